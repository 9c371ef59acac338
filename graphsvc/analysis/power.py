"""Power asymmetry between those who make a system and those it affects (SPEC §3).

For a pair (system S, stakeholder C) and every deployer or developer O of S:

``powerOver = (severity + stakes + automation) / 3``, each on a four-step scale
(LOW 0.25, MEDIUM 0.5, HIGH 0.75, CRITICAL 1; automation ADVISORY 0.25, HUMAN_IN_THE_LOOP 0.5,
HUMAN_ON_THE_LOOP 0.75, FULLY_AUTOMATED 1; an unknown value counts as the middle, 0.5).

``counterPower = 0.9 · access · (0.5 + 0.5 · capacity) + 0.05 · represented + 0.05 · participates``

- ``access``: the best accessibility over all contest paths of the pair (the accessibility of
  its best path; 0 without a contest path);
- ``capacity``: the widest contest path relative to the pair's own demand — the largest, over
  all contest paths, of the smallest ``capacityPerMonth`` on the path, divided by the pair's
  demand and capped at 1 (1 when the demand is unknown or 0, or when a path has no known
  capacity; 0 without a contest path);
- ``represented``: 1 when an organization REPRESENTS C; ``participates``: 1 when C
  PARTICIPATES_IN S.

``asymmetry = powerOver · (1 − counterPower)``. Every term of counterPower is a maximum over
paths or an existence test, so adding a path, capacity, accessibility, representation or
participation can only raise it, and nothing in it depends on other pairs' load. Without a
contest path counterPower ≤ 0.1, so asymmetry ≥ 0.9 · powerOver. An actor behind several
systems that affect C gets one entry: the system with the highest asymmetry.
"""

from __future__ import annotations

import heapq
from operator import itemgetter
from typing import NamedTuple

from graphsvc.analysis.contest import ContestAnalysis, ContestPair
from graphsvc.analysis.graph import MapGraph, Traversal
from graphsvc.domain.kinds import AutomationLevel, EdgeKind, Level
from graphsvc.domain.model import Affects, AISystem, Mechanism

LEVEL_WEIGHT = {Level.LOW: 0.25, Level.MEDIUM: 0.5, Level.HIGH: 0.75, Level.CRITICAL: 1.0}
AUTOMATION_WEIGHT = {
    AutomationLevel.ADVISORY: 0.25,
    AutomationLevel.HUMAN_IN_THE_LOOP: 0.5,
    AutomationLevel.HUMAN_ON_THE_LOOP: 0.75,
    AutomationLevel.FULLY_AUTOMATED: 1.0,
}
UNKNOWN_WEIGHT = 0.5
ACCESS_WEIGHT, REPRESENTATION_WEIGHT, PARTICIPATION_WEIGHT = 0.9, 0.05, 0.05
INFINITE = float("inf")


class PowerAsymmetry(NamedTuple):
    actor: str
    stakeholder: str
    system: str
    power_over: float
    counter_power: float
    asymmetry: float
    reasons: tuple[str, ...]


class PairPower(NamedTuple):
    """The terms of one (system, stakeholder) pair, shared by all its actors."""

    power_over: float
    counter_power: float
    asymmetry: float
    reasons: tuple[str, ...]


#: (-asymmetry, -power over, system, terms): ordered best first
_Entry = tuple[float, float, str, PairPower]


def power_over(edge: Affects, system: AISystem) -> float:
    """Mean of the severity, stakes and automation weights, in [0.25, 1]."""
    weights = (
        LEVEL_WEIGHT.get(edge.severity, UNKNOWN_WEIGHT) if edge.severity else UNKNOWN_WEIGHT,
        LEVEL_WEIGHT.get(system.stakes, UNKNOWN_WEIGHT) if system.stakes else UNKNOWN_WEIGHT,
        AUTOMATION_WEIGHT[system.automation_level] if system.automation_level else UNKNOWN_WEIGHT,
    )
    return sum(weights) / 3


def counter_power(access: float, capacity: float, represented: bool, participates: bool) -> float:
    """Weighted sum of the stakeholder's means of pushing back, in [0, 1]."""
    return (
        ACCESS_WEIGHT * access * (0.5 + 0.5 * capacity)
        + REPRESENTATION_WEIGHT * represented
        + PARTICIPATION_WEIGHT * participates
    )


def power_asymmetry(g: MapGraph, contest: ContestAnalysis) -> list[PowerAsymmetry]:
    """One entry per (actor, stakeholder); sorted by asymmetry (highest first), then ids.

    Cost: one widest-path search per pair with a contest path, stopping at the first authority
    it reaches, plus O(1) per (pair, actor).

    >>> from graphsvc.analysis.contest import analyse_contest
    >>> from graphsvc.domain.mapfile import load_map_text
    >>> m = load_map_text('''
    ... map: {id: t}
    ... nodes:
    ...   - {id: s, kind: AISystem, name: S, stakes: HIGH, automationLevel: FULLY_AUTOMATED}
    ...   - {id: o, kind: Organization, name: O}
    ...   - {id: c, kind: AffectedCommunity, name: C}
    ... edges:
    ...   - {from: o, kind: DEPLOYS, to: s}
    ...   - {from: s, kind: AFFECTS, to: c, severity: HIGH}
    ... ''')
    >>> g = MapGraph.build(m)
    >>> p, = power_asymmetry(g, analyse_contest(g))
    >>> p.actor, p.stakeholder, round(p.power_over, 3), p.counter_power, round(p.asymmetry, 3)
    ('o', 'c', 0.833, 0.0, 0.833)
    """
    terms = _PairTerms(g, WidestPaths(g, g.contest_walk()))
    # actor → stakeholder → (-asymmetry, -power over, system, terms) of the best system so far:
    # nested rather than keyed by (actor, stakeholder), so that no key tuple is built per
    # (pair, actor) and the final order can come from sorting plain strings (below)
    best: dict[str, dict[str, _Entry]] = {}
    rows_of: dict[str, list[dict[str, _Entry]]] = {}
    deployers, developers = g.predecessors(EdgeKind.DEPLOYS), g.predecessors(EdgeKind.DEVELOPS)
    # Both lists hold every pair in the same order (the graph's sorted pairs), so each pair's
    # AFFECTS edge comes from there rather than from a lookup in the map's edge index (a cache
    # miss or several per pair at 100k nodes).
    for pair, edge in zip(contest.pairs, g.pairs(), strict=True):
        system, stakeholder = pair.system, pair.stakeholder
        rows = rows_of.get(system)
        if rows is None:
            actors = {*deployers.get(system, ()), *developers.get(system, ())}
            rows = rows_of[system] = [best.setdefault(actor, {}) for actor in actors]
        if not rows:
            continue
        p = terms.of(pair, edge)
        # entries compared here differ in system, so the comparison never reaches ``p``
        entry = (-p.asymmetry, -p.power_over, system, p)
        for row in rows:
            old = row.get(stakeholder)
            if old is None or entry < old:
                row[stakeholder] = entry
    found = []
    for actor in sorted(best):
        row = best[actor]
        for stakeholder in sorted(row):
            _, _, system, p = row[stakeholder]
            found.append(PowerAsymmetry._make((actor, stakeholder, system, *p)))
    # Now in (actor, stakeholder) order; a stable sort on asymmetry alone (float keys, no
    # 5-tuples compared field by field on the many ties) completes the documented order.
    found.sort(key=itemgetter(5), reverse=True)
    return found


def pair_power(g: MapGraph, pair: ContestPair, widths: WidestPaths) -> PairPower:
    """powerOver, counterPower, asymmetry and reasons of one pair."""
    return _PairTerms(g, widths).of(pair)


class _PairTerms:
    """The terms of pairs, with what pairs share worked out once: per system its weights and
    say phrases, per stakeholder its representation and the systems it participates in, and
    the reasons many pairs share (memory: one string, not one per pair; a 100k-node report has
    over 300k power entries)."""

    def __init__(self, g: MapGraph, widths: WidestPaths) -> None:
        self._g = g
        self._widths = widths
        # system → (severity → (power over, weights phrase), "participates in", "no say in")
        self._systems: dict[str, tuple[dict[str | None, tuple[float, str]], str, str]] = {}
        # stakeholder → (represented, representation phrase, systems it participates in)
        self._stakeholders: dict[str, tuple[bool, str, frozenset[str]]] = {}
        self._statuses: dict[str, str] = {}
        self._accesses: dict[float, str] = {}

    def _system(self, system_id: str) -> tuple[dict[str | None, tuple[float, str]], str, str]:
        found = self._systems[system_id] = (
            {},
            f"participates in {system_id}",
            f"no say in {system_id}",
        )
        return found

    def _power_over(self, system_id: str, edge: Affects) -> tuple[float, str]:
        system = self._g.nodes[system_id]
        assert isinstance(system, AISystem)
        over = power_over(edge, system)
        found = self._systems[system_id][0][edge.severity] = (
            over,
            f"severity {_name(edge.severity)}, stakes {_name(system.stakes)}, automation "
            f"{_name(system.automation_level)} (power over {over:.2f})",
        )
        return found

    def _stakeholder(self, stakeholder: str) -> tuple[bool, str, frozenset[str]]:
        g = self._g
        reps = g.pred(EdgeKind.REPRESENTS, stakeholder)
        found = self._stakeholders[stakeholder] = (
            bool(reps),
            f"represented by {', '.join(reps)}" if reps else "not represented",
            frozenset(g.succ(EdgeKind.PARTICIPATES_IN, stakeholder)),
        )
        return found

    def of(self, pair: ContestPair, edge: Affects | None = None) -> PairPower:
        """``edge``: the pair's AFFECTS edge, when the caller has it at hand."""
        system, stakeholder = pair.system, pair.stakeholder
        if edge is None:
            found = self._g.edge(EdgeKind.AFFECTS, system, stakeholder)
            assert isinstance(found, Affects)
            edge = found
        by_severity, say, no_say = self._systems.get(system) or self._system(system)
        over, weights = by_severity.get(edge.severity) or self._power_over(system, edge)
        known = self._stakeholders.get(stakeholder) or self._stakeholder(stakeholder)
        represented, said, takes_part_in = known
        participates = system in takes_part_in
        affects = f"{system} affects {stakeholder}: {weights}"
        if not participates:
            say = no_say
        if pair.path is None:
            # Most pairs (nine in ten at 100k nodes): every reason but the first is shared.
            status = self._statuses.get(pair.status)
            if status is None:
                status = self._statuses[pair.status] = f"no contest path ({pair.status})"
            counter = counter_power(0.0, 0.0, represented, participates)
            reasons: tuple[str, ...] = (affects, status, said, say)
        else:
            access = pair.accessibility if pair.accessibility is not None else 1.0
            capacity, limit = self._capacity(pair)
            counter = counter_power(access, capacity, represented, participates)
            phrase = self._accesses.get(access)
            if phrase is None:
                phrase = self._accesses[access] = f"best contest path accessibility {access:.2f}"
            reasons = (affects, phrase, limit, said, say)
        return PairPower(over, counter, over * (1.0 - counter), reasons)

    def _capacity(self, pair: ContestPair) -> tuple[float, str]:
        """The capacity term of a pair with a contest path, and its reason."""
        width = self._widths.width(pair.stakeholder, frozenset(pair.authorities))
        demand = pair.demand_per_month
        if not demand:
            return 1.0, "own contest demand unknown or zero: capacity not limiting"
        if width == INFINITE:
            return 1.0, "a contest path with no capacity limit on record"
        capacity = min(1.0, width / demand)
        return capacity, (
            f"widest contest path handles {width:g}/month of its own {demand:g}/month "
            f"({capacity:.0%})"
        )


def _name(value: object) -> str:
    return "unknown" if value is None else str(value)


class WidestPaths:
    """The largest bottleneck capacity of a contest path from a stakeholder to an authority set.

    A mechanism's width is its ``capacityPerMonth`` (unknown = unlimited); other nodes are
    unlimited. One forward max-min search per pair, widest node first, that stops at the first
    node with an edge into the authority set: nodes come out in non-increasing width, so that
    node's width is the answer (a path is cut at the first authority it meets, which never
    narrows it). On the 100k-node benchmark map a search takes about ten nodes out of its heap,
    far less work in all than one reverse search per authority over everything reaching it.
    """

    def __init__(self, g: MapGraph, walk: Traversal) -> None:
        self._succ = walk.succ
        self._cap = {
            node.id: float(node.capacity_per_month)
            for node in g.nodes.values()
            if isinstance(node, Mechanism) and node.capacity_per_month is not None
        }

    def width(self, start: str, targets: frozenset[str]) -> float:
        """0 when no contest path exists.

        The path has at least two edges (the one-edge path is not a contest path) and does not
        come back to ``start``.
        """
        succ, cap = self._succ, self._cap.get
        first = cap(start, INFINITE)
        width: dict[str, float] = {}
        heap: list[tuple[float, str]] = []
        for nxt in succ(start):
            if nxt != start and nxt not in targets:
                candidate = cap(nxt, INFINITE)
                if candidate > first:
                    candidate = first
                if candidate > width.get(nxt, -1.0):
                    width[nxt] = candidate
                    heap.append((-candidate, nxt))
        heapq.heapify(heap)
        # The loop is inlined (no min(), local names): it runs once per node of every search.
        while heap:
            negative, node = heapq.heappop(heap)
            if width[node] != -negative:
                continue
            following = succ(node)
            if not targets.isdisjoint(following):
                return -negative
            for nxt in following:
                if nxt == start:
                    continue
                candidate = cap(nxt, INFINITE)
                if candidate > -negative:
                    candidate = -negative
                if candidate > width.get(nxt, -1.0):
                    width[nxt] = candidate
                    heapq.heappush(heap, (-candidate, nxt))
        return 0.0

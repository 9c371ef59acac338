"""Giving stakeholders a contest path: the best mechanism to connect to, and a minimal plan.

A stakeholder C without a contest path to system S gets one from a new CAN_CONTEST_VIA edge
to an existing mechanism that reaches an authority of S. The *entry points* of an authority
set are the mechanisms that reach it, best first (accessibility of the rest of the path, then
fewer edges, then id); only the best ``ENTRY_POINTS`` per authority are kept, so the work is
one reverse search per distinct authority (shared with nothing else, as in the contest
analysis) plus a sort of its reach. The minimal plan is a set cover per stakeholder: its
systems are the elements, each entry point covers the systems it reaches. Systems that no
mechanism reaches get one new mechanism handled by a deployer, shared by all their
stakeholders.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from graphsvc.analysis.contest import WITHOUT_PATH, ContestPair
from graphsvc.analysis.cover import greedy_cover_bits
from graphsvc.analysis.graph import MapGraph
from graphsvc.analysis.suite import Analysis
from graphsvc.domain.changes import ChangeData, upsert_edge, upsert_node
from graphsvc.domain.kinds import EdgeKind, NodeKind

ENTRY_POINTS = 5


class EntryPoints:
    """The best existing mechanisms through which a stakeholder could reach an authority set."""

    def __init__(self, g: MapGraph, *, per_authority: int = ENTRY_POINTS) -> None:
        walk = g.contest_walk()

        self._g = g
        self._walk = walk
        self._paths = g.contest_paths()
        self._keep = per_authority
        self._mechanisms = frozenset(g.of_kind(NodeKind.MECHANISM))
        self._top: dict[str, list[tuple[float, int, str]]] = {}
        # by sorted authority tuple (a pair's ``authorities``: no set built per lookup)
        self._best: dict[tuple[str, ...], list[tuple[str, float]]] = {}

    def _of(self, authority: str) -> list[tuple[float, int, str]]:
        found = self._top.get(authority)
        if found is None:
            mechanisms = self._mechanisms
            found = self._top[authority] = heapq.nsmallest(  # = sorted(...)[:keep]
                self._keep,
                (
                    (-cost[0], cost[1], node)
                    for node, cost in self._paths.distances(authority).items()
                    if node in mechanisms
                ),
            )
        return found

    def best(self, authorities: Iterable[str]) -> list[tuple[str, float]]:
        """Mechanisms reaching any of ``authorities`` with the accessibility of the way on."""
        key = authorities if isinstance(authorities, tuple) else tuple(sorted(set(authorities)))
        found = self._best.get(key)
        if found is None:
            found = self._best[key] = self._merge(frozenset(key))
        return found

    def for_stakeholder(
        self, stakeholder: str, authorities: Iterable[str]
    ) -> list[tuple[str, float]]:
        """:meth:`best`, less the mechanisms that reach the authorities only through the
        stakeholder itself (possible for a user group that handles cases): connecting to
        those would make no simple contest path."""
        options = self.best(authorities)
        if not self._g.pred(EdgeKind.HANDLED_BY, stakeholder):
            return options
        targets = frozenset(authorities)
        return [o for o in options if self._reaches_without(o[0], targets, stakeholder)]

    def _reaches_without(self, start: str, targets: frozenset[str], avoid: str) -> bool:
        seen = {start, avoid}
        stack = [start]
        while stack:
            for nxt in self._walk.succ(stack.pop()):
                if nxt in targets:
                    return True
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
        return False

    def _merge(self, authorities: frozenset[str]) -> list[tuple[str, float]]:
        merged: dict[str, tuple[float, int]] = {}
        for authority in authorities:
            for negative, length, node in self._of(authority):
                old = merged.get(node)
                if old is None or (negative, length) < old:
                    merged[node] = (negative, length)
        ranked = sorted((cost, node) for node, cost in merged.items())[: self._keep]
        return [(node, -cost[0]) for cost, node in ranked]


@dataclass
class ContestPlan:
    """New edges (and new mechanisms) that give every listed pair a contest path."""

    connections: list[tuple[str, str]] = field(default_factory=list)  # (stakeholder, mechanism)
    # (new mechanism, system, its handler, stakeholders connected to it)
    created: list[tuple[str, str, str, tuple[str, ...]]] = field(default_factory=list)
    unfixable: list[tuple[str, str]] = field(default_factory=list)  # (system, stakeholder)
    fixed: list[tuple[str, str]] = field(default_factory=list)
    changes: list[ChangeData] = field(default_factory=list)


class CoverInstance(NamedTuple):
    """One stakeholder's set cover: its systems to cover, each with its bit, and each entry
    mechanism with the mask of the systems it covers, best first."""

    universe: dict[str, int]
    candidates: dict[str, int]


def cover_instances(
    a: Analysis,
    entries: EntryPoints,
    pairs: Iterable[ContestPair] | None,
    options_of: dict[tuple[str, str], list[tuple[str, float]]],
) -> dict[str, CoverInstance]:
    """Per stakeholder: its cover instance; fills ``options_of`` with each pair's entry
    points. Systems are bits as they come, so the cover needs no sets."""
    todo = [p for p in (a.contest.pairs if pairs is None else pairs) if p.status in WITHOUT_PATH]
    # stakeholder → (system → bit, mechanism → [mask of systems, best accessibility])
    found: dict[str, tuple[dict[str, int], dict[str, list[Any]]]] = {}
    handles: set[str] = set()  # stakeholders that handle cases (see for_stakeholder)
    for pair in todo:
        stakeholder, system = pair.stakeholder, pair.system
        instance = found.get(stakeholder)
        if instance is None:
            instance = found[stakeholder] = ({}, {})
            if a.graph.pred(EdgeKind.HANDLED_BY, stakeholder):
                handles.add(stakeholder)
        options = options_of[(system, stakeholder)] = (
            entries.for_stakeholder(stakeholder, pair.authorities)
            if stakeholder in handles
            else entries.best(pair.authorities)
        )
        if not options:
            continue
        universe, covered = instance
        bit = universe.get(system)
        if bit is None:
            bit = universe[system] = 1 << len(universe)
        for mechanism, access in options:
            known = covered.get(mechanism)
            if known is None:
                covered[mechanism] = [bit, access]
            else:
                known[0] |= bit
                if access > known[1]:
                    known[1] = access
    out: dict[str, CoverInstance] = {}
    for stakeholder, (universe, covered) in found.items():
        order = sorted(
            [(-access, mechanism, mask) for mechanism, (mask, access) in covered.items()]
        )
        out[stakeholder] = CoverInstance(universe, {m: mask for _, m, mask in order})
    return out


def contest_plan(
    a: Analysis,
    *,
    pairs: Iterable[ContestPair] | None = None,
    entries: EntryPoints | None = None,
    covers: Covers | None = None,
) -> ContestPlan:
    """Fewest new connections (greedy set cover per stakeholder) for pairs without a path.

    ``covers`` shares each stakeholder's cover between plans (the recommender makes one plan
    per stakeholder and then the plan for the whole map, which is made of the same covers).

    >>> from graphsvc.analysis.suite import analyse
    >>> from graphsvc.domain.mapfile import load_map_text
    >>> m = load_map_text('''
    ... map: {id: t}
    ... nodes:
    ...   - {id: s1, kind: AISystem, name: S1}
    ...   - {id: s2, kind: AISystem, name: S2}
    ...   - {id: o, kind: Organization, name: O}
    ...   - {id: m, kind: Mechanism, name: M}
    ...   - {id: c, kind: AffectedCommunity, name: C}
    ... edges:
    ...   - {from: o, kind: DEPLOYS, to: s1}
    ...   - {from: o, kind: DEPLOYS, to: s2}
    ...   - {from: m, kind: HANDLED_BY, to: o}
    ...   - {from: s1, kind: AFFECTS, to: c}
    ...   - {from: s2, kind: AFFECTS, to: c}
    ... ''')
    >>> contest_plan(analyse(m)).connections
    [('c', 'm')]
    """
    g = a.graph
    todo = [p for p in (a.contest.pairs if pairs is None else pairs) if p.status in WITHOUT_PATH]
    covers = covers or Covers(a, entries or EntryPoints(g), todo)
    plan = ContestPlan()
    # (system, handler) → stakeholders no existing mechanism serves. The handler depends on
    # the pair: a stakeholder is never its own authority, so it cannot handle its own appeal.
    orphans: dict[tuple[str, str], list[str]] = {}
    for stakeholder in sorted({p.stakeholder for p in todo}):
        for mechanism in covers.chosen(stakeholder):
            plan.connections.append((stakeholder, mechanism))
            plan.changes.append(covers.connection(stakeholder, mechanism))
    for pair in todo:
        if pair.system in covers.universe(pair.stakeholder):
            plan.fixed.append((pair.system, pair.stakeholder))
        elif pair.authorities:
            group = (pair.system, handler_of(g, pair.system, pair.authorities))
            orphans.setdefault(group, []).append(pair.stakeholder)
            plan.fixed.append((pair.system, pair.stakeholder))
        else:
            plan.unfixable.append((pair.system, pair.stakeholder))
    taken: set[str] = set()
    for group in sorted(orphans):
        system, handler = group
        stakeholders = tuple(sorted(set(orphans[group])))
        mechanism, changes = new_mechanism(g, system, (handler,), stakeholders, taken)
        plan.created.append((mechanism, system, handler, stakeholders))
        plan.changes.extend(changes)
    return plan


class Covers:
    """Each stakeholder's set cover, computed once over all its pairs without a path
    (or over those among ``pairs``)."""

    def __init__(
        self, a: Analysis, entries: EntryPoints, pairs: Iterable[ContestPair] | None = None
    ) -> None:
        self._options: dict[tuple[str, str], list[tuple[str, float]]] = {}
        self._instances = cover_instances(a, entries, pairs, self._options)
        self._chosen: dict[str, list[str]] = {}
        self._connections: dict[tuple[str, str], ChangeData] = {}

    def options(self, pair: ContestPair) -> list[tuple[str, float]]:
        """The entry points of one of the pairs covered, best first."""
        return self._options[(pair.system, pair.stakeholder)]

    def universe(self, stakeholder: str) -> Collection[str]:
        """The systems of ``stakeholder`` that some existing mechanism can give a path."""
        return self._instances[stakeholder].universe

    def connection(self, stakeholder: str, mechanism: str) -> ChangeData:
        """:func:`connect`, one shared object per connection: the single-pair fixes, each
        stakeholder's plan and the map's plan propose the same connections, and a report
        holds each once (do not modify)."""
        key = (stakeholder, mechanism)
        found = self._connections.get(key)
        if found is None:
            found = self._connections[key] = connect(stakeholder, mechanism)
        return found

    def chosen(self, stakeholder: str) -> list[str]:
        """The mechanisms to connect ``stakeholder`` to, sorted by id."""
        found = self._chosen.get(stakeholder)
        if found is None:
            universe, candidates = self._instances[stakeholder]
            chosen = greedy_cover_bits(len(universe), candidates)
            found = self._chosen[stakeholder] = sorted(chosen or [])
        return found


def new_mechanism(
    g: MapGraph,
    system: str,
    authorities: Iterable[str],
    stakeholders: Iterable[str],
    taken: set[str],
    *,
    base: str | None = None,
) -> tuple[str, list[ChangeData]]:
    """A new appeal mechanism handled by a deployer of ``system`` (else another authority)."""
    handler = handler_of(g, system, authorities)
    mechanism = fresh_id(g, base or f"appeal-{system}", taken)
    name = f"Appeal to {g.nodes[handler].name} about {g.nodes[system].name}"
    node = {"id": mechanism, "kind": "Mechanism", "name": name[:500], "mechanismType": "APPEAL"}
    changes = [upsert_node(node), upsert_edge(mechanism, "HANDLED_BY", handler)]
    changes += [connect(s, mechanism) for s in stakeholders]
    return mechanism, changes


def handler_of(g: MapGraph, system: str, authorities: Iterable[str]) -> str:
    """Who should handle appeals about a system: a deployer, else a developer, else another."""
    pool = set(authorities)
    for kind in (EdgeKind.DEPLOYS, EdgeKind.DEVELOPS):
        for maker in g.pred(kind, system):  # sorted: the first is the smallest id
            if maker in pool:
                return maker
    return min(pool)


def fresh_id(g: MapGraph | Mapping[str, object], base: str, taken: set[str]) -> str:
    """A slug from ``base`` used by no node of the map and not in ``taken`` (then taken)."""
    nodes = g.nodes if isinstance(g, MapGraph) else g
    slug = re.sub(r"[^a-z0-9._-]+", "-", base.lower()).strip("-._")[:120] or "new"
    candidate, n = slug, 2
    while candidate in nodes or candidate in taken:
        candidate, n = f"{slug}-{n}", n + 1
    taken.add(candidate)
    return candidate


def connect(stakeholder: str, mechanism: str) -> ChangeData:
    """The change that lets a stakeholder contest through a mechanism."""
    return upsert_edge(stakeholder, "CAN_CONTEST_VIA", mechanism)

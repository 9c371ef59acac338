"""Who can contest what a system decides, through which mechanisms, and whether they cope.

Definitions are SPEC §3: authorities, contest traversal, contest paths, the four statuses,
best path, demand, mechanism load, coverage and utilization.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple

from graphsvc.analysis.findings import contest_key
from graphsvc.analysis.graph import MapGraph
from graphsvc.domain.kinds import Authority, EdgeKind, NodeKind
from graphsvc.domain.model import Affects, AISystem, Mechanism, Operates, Oversees


class ContestStatus(StrEnum):
    NONE = "NONE"
    NO_AUTHORITY = "NO_AUTHORITY"
    OVERLOADED = "OVERLOADED"
    EFFECTIVE = "EFFECTIVE"


WITHOUT_PATH = frozenset({ContestStatus.NONE, ContestStatus.NO_AUTHORITY})


class ContestPair(NamedTuple):
    """The contest status of one (system, stakeholder) pair and its best contest path."""

    system: str
    stakeholder: str
    status: ContestStatus
    authorities: tuple[str, ...]
    path: tuple[str, ...] | None
    accessibility: float | None
    demand_per_month: float | None
    coverage: float | None
    key: str  # the finding key (findings.contest_key), made once and shared by every section


class MechanismLoad(NamedTuple):
    """How much contest demand one mechanism carries against its capacity."""

    id: str
    capacity_per_month: float | None
    load_per_month: float
    utilization: float | None
    coverage: float


#: A placeholder in ``analyse_contest`` for a pair whose coverage is not known yet.
_PENDING = ContestPair("", "", ContestStatus.NONE, (), None, None, None, None, "")


@dataclass(frozen=True, slots=True)
class ContestAnalysis:
    pairs: list[ContestPair]
    mechanisms: list[MechanismLoad]
    without_contest_path: list[str]


def authorities_of(g: MapGraph, system: str) -> frozenset[str]:
    """Who can change what ``system`` decides.

    Its deployers and developers, the user groups that operate it with ``canOverride``, then
    every oversight body with a BINDING OVERSEES edge to it or to an authority already found.
    """
    found = set(g.pred(EdgeKind.DEPLOYS, system)) | set(g.pred(EdgeKind.DEVELOPS, system))
    for group in g.pred(EdgeKind.OPERATES, system):
        edge = g.edge(EdgeKind.OPERATES, group, system)
        if isinstance(edge, Operates) and edge.can_override:
            found.add(group)
    frontier = [system, *found]
    while frontier:
        overseen = frontier.pop()
        for body in g.pred(EdgeKind.OVERSEES, overseen):
            edge = g.edge(EdgeKind.OVERSEES, body, overseen)
            if (
                isinstance(edge, Oversees)
                and edge.authority == Authority.BINDING
                and body not in found
            ):
                found.add(body)
                frontier.append(body)
    return frozenset(found)


def demand_of(edge: Affects, system: AISystem) -> float | None:
    """Contests per month a pair sends: contestsPerMonth, else volume × error rate, else unknown."""
    if edge.contests_per_month is not None:
        return float(edge.contests_per_month)
    if edge.volume_per_month is not None and system.error_rate is not None:
        return float(edge.volume_per_month) * system.error_rate
    return None


def mechanism_coverage(capacity: float | None, load: float) -> float:
    """min(1, capacity / load); 1 when load is 0 or capacity unknown."""
    if capacity is None or load == 0:
        return 1.0
    return min(1.0, capacity / load)


def analyse_contest(g: MapGraph) -> ContestAnalysis:
    """Status, best path, demand and coverage of every pair; load of every mechanism.

    Near-linear: one reverse search per distinct authority (shared by every pair whose
    system it governs), one reachability sweep for NONE, and best paths memoised per
    (authority set, stakeholder).
    """
    walk = g.contest_walk()

    paths = g.contest_paths()
    cost_to = paths.cost_to
    reaches_mechanism = walk.reaching(g.of_kind(NodeKind.MECHANISM))
    authority_cache: dict[str, tuple[frozenset[str], tuple[str, ...], AISystem]] = {}
    path_cache: dict[tuple[frozenset[str], str], tuple[list[str], float] | None] = {}

    # Pairs without a path are finished in this one pass (most of them); the others wait in
    # ``with_path`` for the mechanisms' coverage, which needs every pair's load first.
    pairs: list[ContestPair] = []
    with_path: list[
        tuple[int, str, str, tuple[str, ...], tuple[list[str], float], float | None]
    ] = []
    for edge in g.pairs():
        system, stakeholder = edge.from_, edge.to
        authorities = authority_cache.get(system)
        if authorities is None:
            found_set = authorities_of(g, system)
            node = g.nodes[system]
            assert isinstance(node, AISystem)
            authorities = authority_cache[system] = (found_set, tuple(sorted(found_set)), node)
        targets, listed, node = authorities
        if stakeholder in targets:  # never its own authority
            targets = targets - {stakeholder}
            listed = tuple(sorted(targets))
        found = None
        reaches = stakeholder in reaches_mechanism
        # Most stakeholders that reach a mechanism still reach no authority: one look-up
        # rules them out.
        if reaches and cost_to(targets)(stakeholder) is not None:
            key = (targets, stakeholder)
            if key in path_cache:
                found = path_cache[key]
            else:
                found = path_cache[key] = paths.best_path(
                    stakeholder, targets, first_step_may_end=False
                )
        demand = demand_of(edge, node)
        if found is None:
            status = ContestStatus.NO_AUTHORITY if reaches else ContestStatus.NONE
            finding = contest_key(status, system, stakeholder)
            pairs.append(
                ContestPair(system, stakeholder, status, listed, None, None, demand, None, finding)
            )
        else:
            with_path.append((len(pairs), system, stakeholder, listed, found, demand))
            pairs.append(_PENDING)

    load: dict[str, float] = dict.fromkeys(g.of_kind(NodeKind.MECHANISM), 0.0)
    for _, _, _, _, found, demand in with_path:
        if demand is not None:
            for node_id in found[0]:
                if node_id in load:
                    load[node_id] += demand
    mechanisms = [_mechanism_load(g, mech_id, amount) for mech_id, amount in load.items()]
    coverage = {m.id: m.coverage for m in mechanisms}

    for index, system, stakeholder, listed, (path, product), demand in with_path:
        pair_coverage = min((coverage[n] for n in path if n in coverage), default=1.0)
        status = ContestStatus.EFFECTIVE if pair_coverage >= 1.0 else ContestStatus.OVERLOADED
        pairs[index] = ContestPair(
            system, stakeholder, status, listed, tuple(path), product, demand,
            pair_coverage, contest_key(status, system, stakeholder),
        )  # fmt: skip
    without = sorted({p.stakeholder for p in pairs if p.status in WITHOUT_PATH})
    return ContestAnalysis(pairs, mechanisms, without)


def _mechanism_load(g: MapGraph, mech_id: str, load: float) -> MechanismLoad:
    node = g.nodes[mech_id]
    assert isinstance(node, Mechanism)
    capacity = None if node.capacity_per_month is None else float(node.capacity_per_month)
    utilization = load / capacity if capacity else None
    return MechanismLoad(mech_id, capacity, load, utilization, mechanism_coverage(capacity, load))

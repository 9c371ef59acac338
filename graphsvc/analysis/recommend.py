"""Recommendations: for each finding, a change set that would fix it (SPEC §3).

Every recommendation is a plain change set (:mod:`graphsvc.domain.changes`), so it can be
run as a scenario; ``resolves`` lists the finding keys it is expected to resolve (the tests
run every recommendation of the seed maps as a scenario and check them). Salience and power
asymmetry are assessments, not defects, and get no recommendation; neither does a system
nobody deploys or develops (there is nobody to name as its deployer).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import NamedTuple

from graphsvc.analysis import findings as keys
from graphsvc.analysis.contest import WITHOUT_PATH, ContestPair, ContestStatus
from graphsvc.analysis.feedback import FeedbackStatus
from graphsvc.analysis.graph import MapGraph
from graphsvc.analysis.plan import (
    ContestPlan,
    Covers,
    EntryPoints,
    contest_plan,
    handler_of,
    new_mechanism,
)
from graphsvc.analysis.recommend_gaps import automation_fixes, gap_fixes
from graphsvc.analysis.spof import SinglePointOfFailure
from graphsvc.analysis.suite import Analysis
from graphsvc.domain.changes import (
    ChangeData,
    set_node_fields,
    upsert_edge,
)
from graphsvc.domain.kinds import EdgeKind, NodeKind

PLAN_KEY = "plan:contest-paths"


class Recommendation(NamedTuple):
    key: str
    finding: str | None
    resolves: tuple[str, ...]
    title: str
    rationale: str
    changes: tuple[ChangeData, ...]


def each_recommendation(a: Analysis) -> Iterator[Recommendation]:
    """One recommendation per fixable finding, then the minimal contest plan; unsorted and one
    at a time, so that a caller converting them holds one representation of each, not two
    (the report sorts its entries by key).

    Cost: the entry points (one reverse search per distinct authority), then O(size of the
    finding's neighbourhood) per finding; the plan is a greedy set cover over at most
    ``ENTRY_POINTS`` candidates per pair.
    """
    covers = Covers(a, EntryPoints(a.graph))
    yield from _contest_fixes(a, covers)
    yield from _capacity_fixes(a)
    yield from _feedback_fixes(a)
    for key, title, why, changes in gap_fixes(a):
        yield _fix(key, [key], title, why, changes)
    for key, title, why, changes in automation_fixes(a):
        yield _fix(key, [key], title, why, changes)
    yield from _spof_fixes(a)
    plan = contest_plan(a, covers=covers)
    if plan.changes:
        yield _plan_recommendation(a, plan)


def _fix(
    finding: str, resolves: list[str], title: str, why: str, changes: list[ChangeData]
) -> Recommendation:
    return Recommendation(
        f"fix:{finding}", finding, tuple(sorted(set(resolves))), title, why, tuple(changes)
    )


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


# --- contest paths ------------------------------------------------------------------------


def _contest_fixes(a: Analysis, covers: Covers) -> Iterator[Recommendation]:
    pairs_of: dict[str, list[ContestPair]] = {}
    for pair in a.contest.pairs:
        if pair.status in WITHOUT_PATH:
            pairs_of.setdefault(pair.stakeholder, []).append(pair)
    for stakeholder, pairs in pairs_of.items():
        alone = len(pairs) == 1
        for pair in pairs:
            fix = _single_pair_fix(a.graph, pair, covers)
            if fix is None:
                continue
            key = pair.key
            title = f"Give {stakeholder} a way to contest {pair.system}"
            resolved = tuple(sorted((key, keys.without_path_key(stakeholder)))) if alone else (key,)
            yield Recommendation(f"fix:{key}", key, resolved, title, *fix)
        if alone:
            continue
        plan = contest_plan(a, pairs=pairs, covers=covers)
        if plan.changes:
            key = keys.without_path_key(stakeholder)
            done = set(plan.fixed)
            fixed = [p.key for p in pairs if (p.system, p.stakeholder) in done]
            resolves = fixed + ([key] if not plan.unfixable else [])
            yield _fix(key, resolves, *_describe(plan, pairs), plan.changes)


def _single_pair_fix(
    g: MapGraph, pair: ContestPair, covers: Covers
) -> tuple[str, tuple[ChangeData, ...]] | None:
    """Rationale and changes of the best fix for one pair: connecting to its best entry
    mechanism (its entry points, best first), else a new mechanism (what the plan for that
    pair alone would be)."""
    stakeholder = pair.stakeholder
    options = covers.options(pair)
    if options:
        mechanism = options[0][0]
        why = f"Connect {stakeholder} to the existing mechanism {mechanism}."
        return why, (covers.connection(stakeholder, mechanism),)
    if not pair.authorities:
        return None
    handler = handler_of(g, pair.system, pair.authorities)
    mechanism, changes = new_mechanism(g, pair.system, (handler,), (stakeholder,), set())
    why = f"Create the mechanism {mechanism} handled by {handler} and connect {stakeholder} to it."
    return why, tuple(changes)


def _describe(plan: ContestPlan, pairs: list[ContestPair]) -> tuple[str, str]:
    stakeholder = pairs[0].stakeholder
    systems = ", ".join(sorted({p.system for p in pairs}))
    steps = [f"connect {s} to the existing mechanism {m}" for s, m in plan.connections]
    steps += [
        f"create the mechanism {m} handled by {handler} and connect {', '.join(ss)} to it"
        for m, _, handler, ss in plan.created
    ]
    title = f"Give {stakeholder} a way to contest {systems}"
    why = "; ".join(steps)
    if plan.unfixable:
        why += "; no fix for " + ", ".join(s for s, _ in plan.unfixable) + " (nobody to appeal to)"
    return title, why[0].upper() + why[1:] + "."


def _plan_recommendation(a: Analysis, plan: ContestPlan) -> Recommendation:
    fixed = set(plan.fixed)
    resolves = [p.key for p in a.contest.pairs if (p.system, p.stakeholder) in fixed]
    blocked = {s for _, s in plan.unfixable}
    resolves += [
        keys.without_path_key(s) for s in a.contest.without_contest_path if s not in blocked
    ]
    edges = sum(c["op"] == "upsertEdge" for c in plan.changes)
    title = "Minimal plan: a contest path for every stakeholder without one"
    why = (
        f"{_count(edges, 'new edge')} ({_count(len(plan.connections), 'connection')} to "
        f"existing mechanisms, {_count(len(plan.created), 'new mechanism')}) give "
        f"{_count(len(fixed), 'pair')} a contest path; chosen by greedy set cover per "
        "stakeholder over the best entry mechanisms."
    )
    if plan.unfixable:
        why += f" {_count(len(plan.unfixable), 'pair')} with no authority to appeal to."
    return Recommendation(PLAN_KEY, None, tuple(sorted(resolves)), title, why, tuple(plan.changes))


def _capacity_fixes(a: Analysis) -> Iterator[Recommendation]:
    short = {m.id: m for m in a.contest.mechanisms if m.coverage < 1}
    # Pairs that only this mechanism holds back: raising it alone makes them EFFECTIVE.
    freed: dict[str, list[str]] = {}
    overloaded = [p for p in a.contest.pairs if p.status == ContestStatus.OVERLOADED and p.path]
    for pair in overloaded:
        culprits = {n for n in pair.path or () if n in short}
        if len(culprits) == 1:
            key = pair.key
            freed.setdefault(culprits.pop(), []).append(key)
    # One change per mechanism, shared by every fix that raises it (do not modify).
    raise_to = {
        m.id: set_node_fields(m.id, capacityPerMonth=math.ceil(m.load_per_month))
        for m in short.values()
    }
    for mech in short.values():
        key = keys.mechanism_key(mech.id, mech.coverage)
        needed = math.ceil(mech.load_per_month)
        yield _fix(
            key, [key, *freed.get(mech.id, [])], f"Raise the capacity of {mech.id} to {needed}",
            f"{mech.id} handles {mech.capacity_per_month:g} contests a month but receives "
            f"{mech.load_per_month:g}.",
            [raise_to[mech.id]],
        )  # fmt: skip
    for pair in overloaded:
        key = pair.key
        on_path = [short[n] for n in pair.path or () if n in short]
        changes: list[ChangeData] = [raise_to[m.id] for m in on_path]
        resolves = [key, *(keys.mechanism_key(m.id, m.coverage) for m in on_path)]
        names = ", ".join(m.id for m in on_path)
        yield _fix(
            key, resolves, f"Add the capacity the contest path of {pair.stakeholder} lacks",
            f"The best contest path of {pair.stakeholder} about {pair.system} is cut to "
            f"{pair.coverage or 0:.0%} by {names}; raise each to its monthly load.",
            changes,
        )  # fmt: skip


# --- feedback -----------------------------------------------------------------------------


def _feedback_fixes(a: Analysis) -> Iterator[Recommendation]:
    nearest: dict[str, str] = {}
    mechanisms = frozenset(a.graph.of_kind(NodeKind.MECHANISM))
    # Both lists hold every pair in the same order (the graph's sorted pairs).
    for pair, loop in zip(a.contest.pairs, a.feedback, strict=True):
        if loop.status != FeedbackStatus.BROKEN:
            continue
        system, stakeholder = loop.system, loop.stakeholder
        source = _last_mechanism(mechanisms, pair.path)
        if source is None:
            if stakeholder not in nearest:
                nearest[stakeholder] = _nearest_mechanism(a.graph, stakeholder)
            source = nearest[stakeholder]
        key = loop.key
        via = "" if source == stakeholder else f" from {source}"
        yield Recommendation(
            f"fix:{key}", key, (key,), f"Feed what {stakeholder} reports back to {system}",
            f"Nothing {stakeholder} raises reaches {system} or its developers; add a "
            f"FEEDS_BACK_TO channel{via} to {system}.",
            (upsert_edge(source, "FEEDS_BACK_TO", system),),
        )  # fmt: skip


def _last_mechanism(mechanisms: frozenset[str], contest_path: tuple[str, ...] | None) -> str | None:
    return next((n for n in reversed(contest_path or ()) if n in mechanisms), None)


def _nearest_mechanism(g: MapGraph, stakeholder: str) -> str:
    """The mechanism fewest contest steps away (then smallest id), else the stakeholder."""
    seen = {stakeholder}
    frontier = [stakeholder]
    while frontier:
        layer: list[str] = sorted(
            {
                nxt
                for node in frontier
                for nxt in (
                    *g.succ(EdgeKind.CAN_CONTEST_VIA, node),
                    *g.succ(EdgeKind.HANDLED_BY, node),
                    *g.pred(EdgeKind.REPRESENTS, node),
                )
                if nxt not in seen
            }
        )
        for nxt in layer:
            if g.is_kind(nxt, NodeKind.MECHANISM):
                return nxt
        seen.update(layer)
        frontier = layer
    return stakeholder


# --- single points of failure ---------------------------------------------------------


def _spof_fixes(a: Analysis) -> Iterator[Recommendation]:
    g = a.graph
    taken: set[str] = set()
    # the authorities of the pairs that some single point of failure holds, by pair
    held = {c for spof in a.spofs for _, c in spof.pairs}
    authorities = {
        (p.system, p.stakeholder): p.authorities for p in a.contest.pairs if p.stakeholder in held
    }
    for spof in a.spofs:
        key = keys.spof_key(spof.node)
        changes = _bypass(g, spof, authorities, taken)
        yield _fix(
            key, [key], f"Add a second route around {spof.node}",
            f"{_count(len(spof.pairs), 'pair')} can only contest through {spof.node}; a second "
            "mechanism "
            "handled by the deployers gives them another route.",
            changes,
        )  # fmt: skip


def _bypass(
    g: MapGraph,
    spof: SinglePointOfFailure,
    authorities: dict[tuple[str, str], tuple[str, ...]],
    taken: set[str],
) -> list[ChangeData]:
    """One new mechanism, handled by an authority of every dependent pair (a deployer where
    there is one), that every dependent stakeholder can contest through."""
    handlers = sorted({handler_of(g, s, authorities[(s, c)]) for s, c in spof.pairs})
    stakeholders = sorted({c for _, c in spof.pairs})
    first_system, first_stakeholder = spof.pairs[0]
    mechanism, changes = new_mechanism(
        g, first_system, authorities[(first_system, first_stakeholder)], stakeholders, taken,
        base=f"{spof.node}-alternative",
    )  # fmt: skip
    existing = {c["edge"]["to"] for c in changes if c["op"] == "upsertEdge"}
    for handler in handlers:
        if handler not in existing:
            changes.append(upsert_edge(mechanism, "HANDLED_BY", handler))
    return changes


__all__ = ["PLAN_KEY", "Recommendation", "each_recommendation"]

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
from dataclasses import dataclass

from graphsvc.analysis import findings as keys
from graphsvc.analysis.automation import AutomationRisk, BiasFlag
from graphsvc.analysis.contest import WITHOUT_PATH, ContestPair, ContestStatus
from graphsvc.analysis.feedback import FeedbackStatus
from graphsvc.analysis.gaps import Gap, GapType, makers_of
from graphsvc.analysis.graph import MapGraph
from graphsvc.analysis.plan import (
    ContestPlan,
    EntryPoints,
    contest_plan,
    edge_of,
    fresh_id,
    handler_of,
    new_mechanism,
)
from graphsvc.analysis.spof import SinglePointOfFailure
from graphsvc.analysis.suite import Analysis
from graphsvc.domain.changes import AnyChange, DeleteEdge, SetFields, UpsertEdge, UpsertNode
from graphsvc.domain.kinds import EdgeKind, NodeKind
from graphsvc.domain.model import OversightBody

PLAN_KEY = "plan:contest-paths"


@dataclass(frozen=True)
class Recommendation:
    key: str
    finding: str | None
    resolves: tuple[str, ...]
    title: str
    rationale: str
    changes: tuple[AnyChange, ...]


def recommendations(a: Analysis) -> list[Recommendation]:
    """One recommendation per fixable finding, then the minimal contest plan; sorted by key.

    Cost: the entry points (one reverse search per distinct authority), then O(size of the
    finding's neighbourhood) per finding; the plan is a greedy set cover over at most
    ``ENTRY_POINTS`` candidates per pair.
    """
    entries = EntryPoints(a.graph)
    out = [
        *_contest_fixes(a, entries),
        *_capacity_fixes(a),
        *_feedback_fixes(a),
        *_gap_fixes(a),
        *_automation_fixes(a),
        *_spof_fixes(a),
    ]
    plan = contest_plan(a, entries=entries)
    if plan.changes:
        out.append(_plan_recommendation(a, plan))
    return sorted(out, key=lambda r: r.key)


def _fix(
    finding: str, resolves: list[str], title: str, why: str, changes: list[AnyChange]
) -> Recommendation:
    return Recommendation(
        f"fix:{finding}", finding, tuple(sorted(set(resolves))), title, why, tuple(changes)
    )


# --- contest paths ------------------------------------------------------------------------


def _contest_fixes(a: Analysis, entries: EntryPoints) -> Iterator[Recommendation]:
    pairs_of: dict[str, list[ContestPair]] = {}
    for pair in a.contest.pairs:
        if pair.status in WITHOUT_PATH:
            pairs_of.setdefault(pair.stakeholder, []).append(pair)
    for stakeholder, pairs in pairs_of.items():
        alone = len(pairs) == 1
        for pair in pairs:
            plan = contest_plan(a, pairs=[pair], entries=entries)
            if not plan.changes:
                continue
            key = keys.contest_key(pair.status.value, pair.system, stakeholder)
            resolves = [key] + ([keys.without_path_key(stakeholder)] if alone else [])
            yield _fix(key, resolves, *_describe(a.graph, plan, [pair]), plan.changes)
        plan = contest_plan(a, pairs=pairs, entries=entries)
        if plan.changes and not alone:
            key = keys.without_path_key(stakeholder)
            fixed = [
                keys.contest_key(p.status.value, p.system, p.stakeholder)
                for p in pairs
                if (p.system, p.stakeholder) in plan.fixed
            ]
            resolves = fixed + ([key] if not plan.unfixable else [])
            yield _fix(key, resolves, *_describe(a.graph, plan, pairs), plan.changes)


def _describe(g: MapGraph, plan: ContestPlan, pairs: list[ContestPair]) -> tuple[str, str]:
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
    resolves = [
        keys.contest_key(p.status.value, p.system, p.stakeholder)
        for p in a.contest.pairs
        if (p.system, p.stakeholder) in fixed
    ]
    blocked = {s for _, s in plan.unfixable}
    resolves += [
        keys.without_path_key(s) for s in a.contest.without_contest_path if s not in blocked
    ]
    edges = sum(isinstance(c, UpsertEdge) for c in plan.changes)
    title = "Minimal plan: a contest path for every stakeholder without one"
    why = (
        f"{edges} new edges ({len(plan.connections)} connections to existing mechanisms, "
        f"{len(plan.created)} new mechanisms) give {len(fixed)} pairs a contest path; chosen by "
        "greedy set cover per stakeholder over the best entry mechanisms."
    )
    if plan.unfixable:
        why += f" {len(plan.unfixable)} pairs have no authority to appeal to."
    return Recommendation(PLAN_KEY, None, tuple(sorted(resolves)), title, why, tuple(plan.changes))


def _capacity_fixes(a: Analysis) -> Iterator[Recommendation]:
    short = {m.id: m for m in a.contest.mechanisms if m.coverage < 1}
    for mech in short.values():
        key = keys.mechanism_key(mech.id, mech.coverage)
        needed = math.ceil(mech.load_per_month)
        pairs = [p for p in a.contest.pairs if p.status == ContestStatus.OVERLOADED and p.path]
        freed = [
            keys.contest_key(p.status.value, p.system, p.stakeholder)
            for p in pairs
            if {n for n in p.path or () if n in short} == {mech.id}
        ]
        yield _fix(
            key, [key, *freed], f"Raise the capacity of {mech.id} to {needed}/month",
            f"{mech.id} handles {mech.capacity_per_month:g} contests a month but receives "
            f"{mech.load_per_month:g}.",
            [SetFields(node=mech.id, fields={"capacityPerMonth": needed})],
        )  # fmt: skip
    for pair in a.contest.pairs:
        if pair.status != ContestStatus.OVERLOADED or pair.path is None:
            continue
        key = keys.contest_key(pair.status.value, pair.system, pair.stakeholder)
        on_path = [short[n] for n in pair.path if n in short]
        changes: list[AnyChange] = [
            SetFields(node=m.id, fields={"capacityPerMonth": math.ceil(m.load_per_month)})
            for m in on_path
        ]
        resolves = [key, *(keys.mechanism_key(m.id, m.coverage) for m in on_path)]
        names = ", ".join(m.id for m in on_path)
        yield _fix(
            key, resolves, f"Add the capacity {pair.stakeholder}'s contest path lacks",
            f"The best contest path of {pair.stakeholder} about {pair.system} is cut to "
            f"{pair.coverage:.0%} by {names}; raise each to its monthly load.",
            changes,
        )  # fmt: skip


# --- feedback -----------------------------------------------------------------------------


def _feedback_fixes(a: Analysis) -> Iterator[Recommendation]:
    best = {(p.system, p.stakeholder): p.path for p in a.contest.pairs}
    nearest: dict[str, str] = {}
    for loop in a.feedback:
        if loop.status != FeedbackStatus.BROKEN:
            continue
        source = _last_mechanism(a.graph, best.get((loop.system, loop.stakeholder)))
        if source is None:
            if loop.stakeholder not in nearest:
                nearest[loop.stakeholder] = _nearest_mechanism(a.graph, loop.stakeholder)
            source = nearest[loop.stakeholder]
        key = keys.feedback_key(loop.status.value, loop.system, loop.stakeholder)
        via = "" if source == loop.stakeholder else f" from {source}"
        yield _fix(
            key, [key], f"Feed what {loop.stakeholder} reports back to {loop.system}",
            f"Nothing {loop.stakeholder} raises reaches {loop.system} or its developers; add a "
            f"FEEDS_BACK_TO channel{via} to {loop.system}.",
            [UpsertEdge(edge=edge_of(EdgeKind.FEEDS_BACK_TO, source, loop.system))],
        )  # fmt: skip


def _last_mechanism(g: MapGraph, contest_path: tuple[str, ...] | None) -> str | None:
    mechanisms = [n for n in contest_path or () if g.kind(n) == NodeKind.MECHANISM]
    return mechanisms[-1] if mechanisms else None


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
            if g.kind(nxt) == NodeKind.MECHANISM:
                return nxt
        seen.update(layer)
        frontier = layer
    return stakeholder


# --- accountability gaps ------------------------------------------------------------------


def _gap_fixes(a: Analysis) -> Iterator[Recommendation]:
    g = a.graph
    taken: set[str] = set()
    for gap in a.gaps:
        key = keys.gap_key(gap.type.value, gap.subject)
        fix = _GAP_FIXES[gap.type](g, gap, taken)
        if fix is not None:
            title, why, changes = fix
            yield _fix(key, [key], title, why, changes)


Fix = tuple[str, str, list[AnyChange]] | None


def _no_deployer(g: MapGraph, gap: Gap, taken: set[str]) -> Fix:
    developers = g.pred(EdgeKind.DEVELOPS, gap.subject)
    if not developers:
        return None
    owner = developers[0]
    return (
        f"Make {owner} the deployer of {gap.subject}",
        f"Nobody answers for running {gap.subject}; its developer {owner} is the natural "
        "deployer of record.",
        [UpsertEdge(edge=edge_of(EdgeKind.DEPLOYS, owner, gap.subject))],
    )


def _unoverseen(g: MapGraph, gap: Gap, taken: set[str]) -> Fix:
    makers = set(makers_of(g, gap.subject))
    body, changes = _regulator(g, f"oversight-{gap.subject}", taken, exclude=makers)
    changes.append(
        UpsertEdge(edge=edge_of(EdgeKind.OVERSEES, body, gap.subject, authority="BINDING"))
    )
    return (
        f"Put {gap.subject} under binding oversight by {body}",
        f"{gap.subject} is high-stakes and nobody oversees it or its makers; a BINDING "
        f"OVERSEES edge from {body} closes the gap.",
        changes,
    )


def _advisory_only(g: MapGraph, gap: Gap, taken: set[str]) -> Fix:
    direct = g.pred(EdgeKind.OVERSEES, gap.subject)
    if direct:
        body, target = direct[0], gap.subject
    else:
        body, target = next(
            (b, m) for m in makers_of(g, gap.subject) for b in g.pred(EdgeKind.OVERSEES, m)
        )
    edge = g.edge(EdgeKind.OVERSEES, body, target)
    assert edge is not None
    return (
        f"Make {body}'s oversight of {target} binding",
        f"{gap.subject} is high-stakes and all its oversight is advisory.",
        [SetFields(edge=edge.id, fields={"authority": "BINDING"})],
    )


def _conflict(g: MapGraph, gap: Gap, taken: set[str]) -> Fix:
    body = gap.subject
    changes: list[AnyChange] = []
    steps = []
    for node in gap.related:
        funds = g.edge(EdgeKind.FUNDS, node, body)
        if funds is not None:
            changes.append(DeleteEdge(id=funds.id))
            steps.append(f"fund {body} independently of {node}")
        else:
            oversees = g.edge(EdgeKind.OVERSEES, body, node)
            assert oversees is not None
            changes.append(DeleteEdge(id=oversees.id))
            steps.append(f"hand the oversight of {node} to a body that does not make it")
    why = "; ".join(steps)
    return f"Remove {body}'s conflict of interest", why[0].upper() + why[1:] + ".", changes


def _unaccountable(g: MapGraph, gap: Gap, taken: set[str]) -> Fix:
    overseers = sorted({b for s in gap.related for b in g.pred(EdgeKind.OVERSEES, s)})
    changes: list[AnyChange] = []
    if overseers:
        body = overseers[0]
    else:
        body, changes = _regulator(g, f"oversight-{gap.subject}", taken, exclude={gap.subject})
    changes.append(UpsertEdge(edge=edge_of(EdgeKind.ACCOUNTABLE_TO, gap.subject, body)))
    return (
        f"Make {gap.subject} accountable to {body}",
        f"{gap.subject} makes high-stakes systems ({', '.join(gap.related)}) and answers to "
        "nobody.",
        changes,
    )


def _regulator(
    g: MapGraph, base: str, taken: set[str], *, exclude: set[str]
) -> tuple[str, list[AnyChange]]:
    """The busiest existing oversight body not in ``exclude``, else a new one."""
    bodies = [
        (-len(g.succ(EdgeKind.OVERSEES, b)), b)
        for b in g.of_kind(NodeKind.OVERSIGHT_BODY)
        if b not in exclude
    ]
    if bodies:
        return min(bodies)[1], []
    body = fresh_id(g, base, taken)
    node = OversightBody.model_validate(
        {"id": body, "kind": "OversightBody", "name": "Independent oversight body (to establish)",
         "bodyType": "REGULATOR"}
    )  # fmt: skip
    return body, [UpsertNode(node=node)]


_GAP_FIXES = {
    GapType.NO_DEPLOYER: _no_deployer,
    GapType.UNOVERSEEN: _unoverseen,
    GapType.ADVISORY_ONLY_OVERSIGHT: _advisory_only,
    GapType.CONFLICT_OF_INTEREST: _conflict,
    GapType.UNACCOUNTABLE_ACTOR: _unaccountable,
}


# --- automation bias and single points of failure -----------------------------------------


def _automation_fixes(a: Analysis) -> Iterator[Recommendation]:
    for risk in a.automation:
        key = keys.automation_key(risk.system)
        changes, steps = _automation_changes(a.graph, risk)
        why = "; ".join(steps)
        yield _fix(
            key, [key], f"Put people back in control of {risk.system}",
            why[0].upper() + why[1:] + ".", changes,
        )  # fmt: skip


def _automation_changes(g: MapGraph, risk: AutomationRisk) -> tuple[list[AnyChange], list[str]]:
    changes: list[AnyChange] = []
    steps = []
    if BiasFlag.HIGH_STAKES_AUTOMATION in risk.flags:
        changes.append(SetFields(node=risk.system, fields={"automationLevel": "HUMAN_IN_THE_LOOP"}))
        steps.append("have a person confirm each decision (HUMAN_IN_THE_LOOP)")
    if BiasFlag.NO_OVERRIDE in risk.flags:
        group = g.pred(EdgeKind.OPERATES, risk.system)[0]
        edge = g.edge(EdgeKind.OPERATES, group, risk.system)
        assert edge is not None
        changes.append(SetFields(edge=edge.id, fields={"canOverride": True}))
        steps.append(f"let {group} override {risk.system}")
    for incentive, target in risk.pressures:
        edge = g.edge(EdgeKind.INCENTIVIZES, incentive, target)
        assert edge is not None
        changes.append(DeleteEdge(id=edge.id))
        steps.append(f"remove the pressure of {incentive} on {target}")
    return changes, steps


def _spof_fixes(a: Analysis) -> Iterator[Recommendation]:
    g = a.graph
    taken: set[str] = set()
    authorities = {(p.system, p.stakeholder): p.authorities for p in a.contest.pairs}
    for spof in a.spofs:
        key = keys.spof_key(spof.node)
        changes = _bypass(g, spof, authorities, taken)
        yield _fix(
            key, [key], f"Add a second route around {spof.node}",
            f"{len(spof.pairs)} pairs can only contest through {spof.node}; a second mechanism "
            "handled by the deployers gives them another route.",
            changes,
        )  # fmt: skip


def _bypass(
    g: MapGraph,
    spof: SinglePointOfFailure,
    authorities: dict[tuple[str, str], tuple[str, ...]],
    taken: set[str],
) -> list[AnyChange]:
    """One new mechanism, handled by an authority of every dependent pair (a deployer where
    there is one), that every dependent stakeholder can contest through."""
    handlers = sorted({handler_of(g, s, authorities[(s, c)]) for s, c in spof.pairs})
    stakeholders = sorted({c for _, c in spof.pairs})
    first_system, first_stakeholder = spof.pairs[0]
    mechanism, changes = new_mechanism(
        g, first_system, authorities[(first_system, first_stakeholder)], stakeholders, taken,
        base=f"{spof.node}-alternative",
    )  # fmt: skip
    existing = {c.edge.id for c in changes if isinstance(c, UpsertEdge)}
    for handler in handlers:
        edge = edge_of(EdgeKind.HANDLED_BY, mechanism, handler)
        if edge.id not in existing:
            changes.append(UpsertEdge(edge=edge))
    return changes


__all__ = ["PLAN_KEY", "Recommendation", "recommendations"]

"""Fixes for accountability gaps and automation-bias risks (see :mod:`.recommend`).

Each fix names existing actors where the map has suitable ones (the busiest oversight body,
a system's own developer) and only proposes a new node when it has none.
"""

from __future__ import annotations

from collections.abc import Iterator

from graphsvc.analysis import findings as keys
from graphsvc.analysis.automation import AutomationRisk, BiasFlag
from graphsvc.analysis.gaps import Gap, GapType, makers_of
from graphsvc.analysis.graph import MapGraph
from graphsvc.analysis.plan import fresh_id
from graphsvc.analysis.suite import Analysis
from graphsvc.domain.changes import (
    ChangeData,
    delete_edge,
    set_edge_fields,
    set_node_fields,
    upsert_edge,
    upsert_node,
)
from graphsvc.domain.kinds import EdgeKind, NodeKind


class _Ids(set[str]):
    """Ids handed out so far, plus the oversight bodies busiest first (ranked once)."""

    def __init__(self, g: MapGraph) -> None:
        super().__init__()
        ranked = sorted(
            (-len(g.succ(EdgeKind.OVERSEES, b)), b) for b in g.of_kind(NodeKind.OVERSIGHT_BODY)
        )
        self.bodies = [b for _, b in ranked]


Fix = tuple[str, str, list[ChangeData]] | None  # title, rationale, changes


def gap_fixes(a: Analysis) -> Iterator[tuple[str, str, str, list[ChangeData]]]:
    """(finding key, title, rationale, changes) for every gap that can be fixed."""
    g = a.graph
    taken = _Ids(g)
    for gap in a.gaps:
        fix = _GAP_FIXES[gap.type](g, gap, taken)
        if fix is not None:
            yield (keys.gap_key(gap.type.value, gap.subject), *fix)


def _no_deployer(g: MapGraph, gap: Gap, taken: set[str]) -> Fix:
    developers = g.pred(EdgeKind.DEVELOPS, gap.subject)
    if not developers:
        return None
    owner = developers[0]
    return (
        f"Make {owner} the deployer of {gap.subject}",
        f"Nobody answers for running {gap.subject}; its developer {owner} is the natural "
        "deployer of record.",
        [upsert_edge(owner, "DEPLOYS", gap.subject)],
    )


def _unoverseen(g: MapGraph, gap: Gap, taken: set[str]) -> Fix:
    makers = set(makers_of(g, gap.subject))
    body, changes = _regulator(g, f"oversight-{gap.subject}", taken, exclude=makers)
    changes.append(upsert_edge(body, "OVERSEES", gap.subject, authority="BINDING"))
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
        [set_edge_fields(edge.id, authority="BINDING")],
    )


def _conflict(g: MapGraph, gap: Gap, taken: set[str]) -> Fix:
    body = gap.subject
    changes: list[ChangeData] = []
    steps = []
    for node in gap.related:
        funds = g.edge(EdgeKind.FUNDS, node, body)
        if funds is not None:
            changes.append(delete_edge(funds.id))
            steps.append(f"fund {body} independently of {node}")
        else:
            oversees = g.edge(EdgeKind.OVERSEES, body, node)
            assert oversees is not None
            changes.append(delete_edge(oversees.id))
            steps.append(f"hand the oversight of {node} to a body that does not make it")
    why = "; ".join(steps)
    return f"Remove {body}'s conflict of interest", why[0].upper() + why[1:] + ".", changes


def _unaccountable(g: MapGraph, gap: Gap, taken: set[str]) -> Fix:
    overseers = sorted({b for s in gap.related for b in g.pred(EdgeKind.OVERSEES, s)})
    changes: list[ChangeData] = []
    if overseers:
        body = overseers[0]
    else:
        body, changes = _regulator(g, f"oversight-{gap.subject}", taken, exclude={gap.subject})
    changes.append(upsert_edge(gap.subject, "ACCOUNTABLE_TO", body))
    return (
        f"Make {gap.subject} accountable to {body}",
        f"{gap.subject} makes high-stakes systems ({', '.join(gap.related)}) and answers to "
        "nobody.",
        changes,
    )


def _regulator(
    g: MapGraph, base: str, taken: set[str], *, exclude: set[str]
) -> tuple[str, list[ChangeData]]:
    """The busiest existing oversight body not in ``exclude``, else a new one."""
    bodies = taken.bodies if isinstance(taken, _Ids) else []
    found = next((b for b in bodies if b not in exclude), None)
    if found is not None:
        return found, []
    body = fresh_id(g, base, taken)
    node = {"id": body, "kind": "OversightBody", "bodyType": "REGULATOR",
            "name": "Independent oversight body (to establish)"}  # fmt: skip
    return body, [upsert_node(node)]


_GAP_FIXES = {
    GapType.NO_DEPLOYER: _no_deployer,
    GapType.UNOVERSEEN: _unoverseen,
    GapType.ADVISORY_ONLY_OVERSIGHT: _advisory_only,
    GapType.CONFLICT_OF_INTEREST: _conflict,
    GapType.UNACCOUNTABLE_ACTOR: _unaccountable,
}


# --- automation bias -----------------------------------------------------------------------


def automation_fixes(a: Analysis) -> Iterator[tuple[str, str, str, list[ChangeData]]]:
    """(finding key, title, rationale, changes) for every automation-bias risk."""
    for risk in a.automation:
        changes, steps = _automation_changes(a.graph, risk)
        why = "; ".join(steps)
        yield (
            keys.automation_key(risk.system),
            f"Put people back in control of {risk.system}",
            why[0].upper() + why[1:] + ".",
            changes,
        )


def _automation_changes(g: MapGraph, risk: AutomationRisk) -> tuple[list[ChangeData], list[str]]:
    changes: list[ChangeData] = []
    steps = []
    if BiasFlag.HIGH_STAKES_AUTOMATION in risk.flags:
        changes.append(set_node_fields(risk.system, automationLevel="HUMAN_IN_THE_LOOP"))
        steps.append("have a person confirm each decision (HUMAN_IN_THE_LOOP)")
    if BiasFlag.NO_OVERRIDE in risk.flags:
        group = g.pred(EdgeKind.OPERATES, risk.system)[0]
        edge = g.edge(EdgeKind.OPERATES, group, risk.system)
        assert edge is not None
        changes.append(set_edge_fields(edge.id, canOverride=True))
        steps.append(f"let {group} override {risk.system}")
    for incentive, target in risk.pressures:
        edge = g.edge(EdgeKind.INCENTIVIZES, incentive, target)
        assert edge is not None
        changes.append(delete_edge(edge.id))
        steps.append(f"remove the pressure of {incentive} on {target}")
    return changes, steps

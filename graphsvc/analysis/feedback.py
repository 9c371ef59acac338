"""Whether what a stakeholder reports can reach the system or its developer (SPEC §3)."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import NamedTuple

from graphsvc.analysis.findings import feedback_key
from graphsvc.analysis.graph import MapGraph
from graphsvc.analysis.paths import Cost, NearestTarget
from graphsvc.domain.kinds import EdgeKind


class FeedbackStatus(StrEnum):
    PRESENT = "PRESENT"
    BROKEN = "BROKEN"


BROKEN, PRESENT = FeedbackStatus.BROKEN, FeedbackStatus.PRESENT


class FeedbackLoop(NamedTuple):
    system: str
    stakeholder: str
    status: FeedbackStatus
    path: tuple[str, ...] | None
    key: str  # the finding key (findings.feedback_key)


def feedback_loops(g: MapGraph) -> list[FeedbackLoop]:
    """For every pair: is the system or one of its developers reachable from the stakeholder
    along CAN_CONTEST_VIA, HANDLED_BY, FEEDS_BACK_TO forward and REPRESENTS backward?

    The path reported has the fewest edges, then the smallest sequence of node ids.
    """
    walk = g.feedback_walk()
    paths = NearestTarget(walk.succ, walk.pred)  # fewest edges
    loops = []
    targets_of: dict[str, tuple[frozenset[str], Callable[[str], Cost | None]]] = {}
    for edge in g.pairs():
        system, stakeholder = edge.from_, edge.to
        reach = targets_of.get(system)
        if reach is None:
            targets = frozenset({system, *g.pred(EdgeKind.DEVELOPS, system)})
            reach = targets_of[system] = (targets, paths.cost_to(targets))
        targets, cost = reach
        # Most stakeholders reach no target: one look-up rules them out.
        found = None if cost(stakeholder) is None else paths.best_path(stakeholder, targets)
        if found is None:
            key = feedback_key(BROKEN, system, stakeholder)
            loops.append(FeedbackLoop(system, stakeholder, BROKEN, None, key))
        else:
            key = feedback_key(PRESENT, system, stakeholder)
            loops.append(FeedbackLoop(system, stakeholder, PRESENT, tuple(found[0]), key))
    return loops

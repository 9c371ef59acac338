"""The ``Analysis`` type: every list of the analysis report (SPEC §4), camelCase, with filters.

The report is computed once per map version by the map service and cached; these fields only
select from it, so filters and limits never recompute anything.
"""

from __future__ import annotations

from typing import Annotated, Any, TypeVar

import strawberry
from strawberry.scalars import JSON

from graphsvc.analysis.automation import RiskLevel
from graphsvc.analysis.contest import ContestStatus
from graphsvc.analysis.feedback import FeedbackStatus
from graphsvc.analysis.gaps import GapType
from graphsvc.analysis.salience import SalienceClass
from graphsvc.api.graphql.fields import field
from graphsvc.api.graphql.report import (
    AccountabilityGap,
    AnalysedMap,
    AutomationBias,
    ContestPair,
    FeedbackLoop,
    MechanismLoad,
    PowerAsymmetry,
    Recommendation,
    Salience,
    SinglePointOfFailure,
    StakeholderWithoutContestPath,
)
from graphsvc.api.graphql.scenario import FindingChange, to_change_inputs
from graphsvc.errors import InvalidInput, Problem

T = TypeVar("T")
LIMIT = "At most this many entries, in report order."


def _limited(items: list[T], limit: int | None) -> list[T]:
    if limit is None:
        return items
    if limit < 0:
        raise InvalidInput([Problem("must be 0 or more", "limit", value=limit)])
    return items[:limit]


@strawberry.type(description="Every analysis of one map version (the JSON report of SPEC §4).")
class Analysis:
    report: strawberry.Private[dict[str, Any]]

    def _entries(self, section: str) -> list[dict[str, Any]]:
        entries: list[dict[str, Any]] = self.report[section]
        return entries

    @field(description="The map analysed.")
    def map(self) -> AnalysedMap:
        return AnalysedMap.from_entry(self.report["map"])

    @field(description="Every AFFECTS pair; filter by status, system, stakeholder. " + LIMIT)
    def contest_pairs(
        self,
        status: list[ContestStatus] | None = None,
        system: strawberry.ID | None = None,
        stakeholder: strawberry.ID | None = None,
        limit: int | None = None,
    ) -> list[ContestPair]:
        map_id = self.report["map"]["id"]
        pairs = [
            ContestPair.from_entry(map_id, p)
            for p in self._entries("contestPairs")
            if (not status or p["status"] in status)
            and (system is None or p["system"] == system)
            and (stakeholder is None or p["stakeholder"] == stakeholder)
        ]
        return _limited(pairs, limit)

    @field(description="Stakeholders with a pair that is NONE or NO_AUTHORITY. " + LIMIT)
    def without_contest_path(self, limit: int | None = None) -> list[StakeholderWithoutContestPath]:
        entries = self._entries("withoutContestPath")
        return _limited([StakeholderWithoutContestPath.from_entry(e) for e in entries], limit)

    @field(description="Every mechanism; `overloaded: true` keeps coverage < 1. " + LIMIT)
    def mechanisms(
        self, overloaded: bool | None = None, limit: int | None = None
    ) -> list[MechanismLoad]:
        return _limited(
            [
                MechanismLoad.from_entry(m)
                for m in self._entries("mechanisms")
                if overloaded is None or (m["coverage"] < 1) == overloaded
            ],
            limit,
        )

    @field(description="Feedback loop of every pair; filter by status. " + LIMIT)
    def feedback_loops(
        self, status: list[FeedbackStatus] | None = None, limit: int | None = None
    ) -> list[FeedbackLoop]:
        entries = self._entries("feedbackLoops")
        found = [FeedbackLoop.from_entry(f) for f in entries if not status or f["status"] in status]
        return _limited(found, limit)

    @field(description="Accountability gaps; filter by type. " + LIMIT)
    def accountability_gaps(
        self, type: list[GapType] | None = None, limit: int | None = None
    ) -> list[AccountabilityGap]:
        entries = self._entries("accountabilityGaps")
        found = [AccountabilityGap.from_entry(g) for g in entries if not type or g["type"] in type]
        return _limited(found, limit)

    @field(description="Systems with automation-bias flags; filter by level. " + LIMIT)
    def automation_bias(
        self, level: list[RiskLevel] | None = None, limit: int | None = None
    ) -> list[AutomationBias]:
        entries = self._entries("automationBias")
        found = [AutomationBias.from_entry(a) for a in entries if not level or a["level"] in level]
        return _limited(found, limit)

    @field(description="Nodes on every contest path of some pairs. " + LIMIT)
    def single_points_of_failure(self, limit: int | None = None) -> list[SinglePointOfFailure]:
        entries = self._entries("singlePointsOfFailure")
        return _limited([SinglePointOfFailure.from_entry(s) for s in entries], limit)

    @field(description="Salience of every stakeholder; filter by class. " + LIMIT)
    def salience(
        self,
        class_: Annotated[list[SalienceClass] | None, strawberry.argument(name="class")] = None,
        limit: int | None = None,
    ) -> list[Salience]:
        entries = self._entries("salience")
        found = [Salience.from_entry(s) for s in entries if not class_ or s["class"] in class_]
        return _limited(found, limit)

    @field(description="Power asymmetry of (actor, stakeholder) pairs. " + LIMIT)
    def power_asymmetry(
        self, min_asymmetry: float | None = None, limit: int | None = None
    ) -> list[PowerAsymmetry]:
        entries = self._entries("powerAsymmetry")
        found = [
            PowerAsymmetry.from_entry(p)
            for p in entries
            if min_asymmetry is None or p["asymmetry"] >= min_asymmetry
        ]
        return _limited(found, limit)

    @field(description="Change sets that would fix findings; each runnable as a scenario. " + LIMIT)
    def recommendations(self, limit: int | None = None) -> list[Recommendation]:
        return _limited(
            [
                Recommendation(
                    key=r["key"],
                    finding=r["finding"],
                    resolves=r["resolves"],
                    title=r["title"],
                    rationale=r["rationale"],
                    changes=r["changes"],
                    scenario_changes=JSON(to_change_inputs(r["changes"])),
                )
                for r in self._entries("recommendations")
            ],
            limit,
        )


@strawberry.type(description="A what-if: the analysis of the changed copy and what changed.")
class Scenario:
    analysis: Analysis
    resolved: list[FindingChange]
    introduced: list[FindingChange]
    changed: list[FindingChange]

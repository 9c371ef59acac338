"""GraphQL types of the analysis report (SPEC §3, §4): one field per report key, camelCase.

The report is computed once per map version by the map service and cached; these types only
select from it, so filters and limits never recompute anything.
"""

from __future__ import annotations

from typing import Any

import strawberry

from graphsvc.analysis.contest import ContestStatus
from graphsvc.analysis.feedback import FeedbackStatus
from graphsvc.api.graphql.context import Info
from graphsvc.api.graphql.fields import field
from graphsvc.api.graphql.types import MapNode, load_node
from graphsvc.errors import InvalidInput, Problem


def _limited(items: list[Any], limit: int | None) -> list[Any]:
    if limit is None:
        return items
    if limit < 0:
        raise InvalidInput([Problem("must be 0 or more", "limit", value=limit)])
    return items[:limit]


@strawberry.type(description="The map an analysis describes, at the version analysed.")
class AnalysedMap:
    id: strawberry.ID
    title: str | None
    version: int | None
    node_count: int
    edge_count: int


@strawberry.type(description="Contest status of one (system, stakeholder) pair.")
class ContestPair:
    map_id: strawberry.Private[str]
    system: strawberry.ID
    stakeholder: strawberry.ID
    status: ContestStatus
    authorities: list[strawberry.ID]
    path: list[strawberry.ID] | None = strawberry.field(
        description="Node ids of the best contest path; null without one."
    )
    accessibility: float | None
    demand_per_month: float | None
    coverage: float | None

    @field(description="The system node.")
    async def system_node(self, info: Info) -> MapNode:
        return await load_node(info, self.map_id, self.system)

    @field(description="The stakeholder node.")
    async def stakeholder_node(self, info: Info) -> MapNode:
        return await load_node(info, self.map_id, self.stakeholder)


@strawberry.type(description="A system a stakeholder cannot contest, and why.")
class UncontestedSystem:
    system: strawberry.ID
    status: ContestStatus


@strawberry.type(description="A stakeholder with a NONE or NO_AUTHORITY pair.")
class StakeholderWithoutContestPath:
    id: strawberry.ID
    name: str
    kind: str
    pairs: list[UncontestedSystem]


@strawberry.type(description="Contest demand a mechanism carries against its capacity.")
class MechanismLoad:
    id: strawberry.ID
    capacity_per_month: float | None
    load_per_month: float
    utilization: float | None
    coverage: float


@strawberry.type(description="Whether what a stakeholder reports can reach the system.")
class FeedbackLoop:
    system: strawberry.ID
    stakeholder: strawberry.ID
    status: FeedbackStatus
    path: list[strawberry.ID] | None


@strawberry.type(description="Every analysis of one map version (the JSON report of SPEC §4).")
class Analysis:
    report: strawberry.Private[dict[str, Any]]

    @strawberry.field
    def map(self) -> AnalysedMap:
        m = self.report["map"]
        return AnalysedMap(
            id=strawberry.ID(m["id"]),
            title=m["title"],
            version=m["version"],
            node_count=m["nodeCount"],
            edge_count=m["edgeCount"],
        )

    @field(description="Every AFFECTS pair; filter by status, system, stakeholder.")
    def contest_pairs(
        self,
        status: list[ContestStatus] | None = None,
        system: strawberry.ID | None = None,
        stakeholder: strawberry.ID | None = None,
        limit: int | None = None,
    ) -> list[ContestPair]:
        map_id = self.report["map"]["id"]
        pairs = [
            ContestPair(
                map_id=map_id,
                system=p["system"],
                stakeholder=p["stakeholder"],
                status=ContestStatus(p["status"]),
                authorities=p["authorities"],
                path=p["path"],
                accessibility=p["accessibility"],
                demand_per_month=p["demandPerMonth"],
                coverage=p["coverage"],
            )
            for p in self.report["contestPairs"]
            if (not status or p["status"] in status)
            and (system is None or p["system"] == system)
            and (stakeholder is None or p["stakeholder"] == stakeholder)
        ]
        return _limited(pairs, limit)

    @field(description="Stakeholders with a pair that is NONE or NO_AUTHORITY.")
    def without_contest_path(self, limit: int | None = None) -> list[StakeholderWithoutContestPath]:
        return _limited(
            [
                StakeholderWithoutContestPath(
                    id=s["id"],
                    name=s["name"],
                    kind=s["kind"],
                    pairs=[
                        UncontestedSystem(system=p["system"], status=ContestStatus(p["status"]))
                        for p in s["pairs"]
                    ],
                )
                for s in self.report["withoutContestPath"]
            ],
            limit,
        )

    @field(description="Every mechanism; `overloaded: true` keeps coverage < 1 only.")
    def mechanisms(
        self, overloaded: bool | None = None, limit: int | None = None
    ) -> list[MechanismLoad]:
        return _limited(
            [
                MechanismLoad(
                    id=m["id"],
                    capacity_per_month=m["capacityPerMonth"],
                    load_per_month=m["loadPerMonth"],
                    utilization=m["utilization"],
                    coverage=m["coverage"],
                )
                for m in self.report["mechanisms"]
                if overloaded is None or (m["coverage"] < 1) == overloaded
            ],
            limit,
        )

    @field(description="Feedback loop of every pair; filter by status.")
    def feedback_loops(
        self, status: list[FeedbackStatus] | None = None, limit: int | None = None
    ) -> list[FeedbackLoop]:
        return _limited(
            [
                FeedbackLoop(
                    system=f["system"],
                    stakeholder=f["stakeholder"],
                    status=FeedbackStatus(f["status"]),
                    path=f["path"],
                )
                for f in self.report["feedbackLoops"]
                if not status or f["status"] in status
            ],
            limit,
        )

"""GraphQL types of the entries of the analysis report (SPEC §3, §4), one per report list.

Each is built from one entry of the JSON report (``from_entry``), field for field in camelCase;
every finding carries its stable ``key``. Enum fields take the report's strings as they are
(GraphQL serialises them by value and refuses an unknown one), never constructing enums.
"""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.scalars import JSON

from graphsvc.analysis.automation import BiasFlag, RiskLevel
from graphsvc.analysis.contest import ContestStatus
from graphsvc.analysis.feedback import FeedbackStatus
from graphsvc.analysis.gaps import GapType
from graphsvc.analysis.salience import SalienceClass
from graphsvc.api.graphql import enums as _enums  # noqa: F401  (registers the domain enums)
from graphsvc.api.graphql.context import Info
from graphsvc.api.graphql.fields import field
from graphsvc.api.graphql.types import MapNode, load_node

Entry = dict[str, Any]


@strawberry.type(description="The map an analysis describes, at the version analysed.")
class AnalysedMap:
    id: strawberry.ID
    title: str | None
    version: int | None = strawberry.field(description="Null for a scenario (not stored).")
    node_count: int
    edge_count: int

    @classmethod
    def from_entry(cls, e: Entry) -> AnalysedMap:
        return cls(
            id=e["id"],
            title=e["title"],
            version=e["version"],
            node_count=e["nodeCount"],
            edge_count=e["edgeCount"],
        )


@strawberry.type(description="Contest status of one (system, stakeholder) pair.")
class ContestPair:
    map_id: strawberry.Private[str]
    key: str
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

    @classmethod
    def from_entry(cls, map_id: str, e: Entry) -> ContestPair:
        return cls(
            map_id=map_id,
            key=e["key"],
            system=e["system"],
            stakeholder=e["stakeholder"],
            status=e["status"],
            authorities=e["authorities"],
            path=e["path"],
            accessibility=e["accessibility"],
            demand_per_month=e["demandPerMonth"],
            coverage=e["coverage"],
        )


@strawberry.type(description="A system a stakeholder cannot contest, and why.")
class UncontestedSystem:
    system: strawberry.ID
    status: ContestStatus


@strawberry.type(description="A stakeholder with a NONE or NO_AUTHORITY pair.")
class StakeholderWithoutContestPath:
    key: str
    id: strawberry.ID
    name: str
    kind: str
    entry: strawberry.Private[Entry]

    @field()
    def pairs(self) -> list[UncontestedSystem]:
        # Built only when asked for: a stakeholder can have many pairs.
        return [
            UncontestedSystem(system=p["system"], status=p["status"]) for p in self.entry["pairs"]
        ]

    @classmethod
    def from_entry(cls, e: Entry) -> StakeholderWithoutContestPath:
        return cls(key=e["key"], id=e["id"], name=e["name"], kind=e["kind"], entry=e)


@strawberry.type(description="Contest demand a mechanism carries against its capacity.")
class MechanismLoad:
    key: str
    id: strawberry.ID
    capacity_per_month: float | None
    load_per_month: float
    utilization: float | None
    coverage: float

    @classmethod
    def from_entry(cls, e: Entry) -> MechanismLoad:
        return cls(
            key=e["key"],
            id=e["id"],
            capacity_per_month=e["capacityPerMonth"],
            load_per_month=e["loadPerMonth"],
            utilization=e["utilization"],
            coverage=e["coverage"],
        )


@strawberry.type(description="Whether what a stakeholder reports can reach the system.")
class FeedbackLoop:
    key: str
    system: strawberry.ID
    stakeholder: strawberry.ID
    status: FeedbackStatus
    path: list[strawberry.ID] | None

    @classmethod
    def from_entry(cls, e: Entry) -> FeedbackLoop:
        return cls(
            key=e["key"],
            system=e["system"],
            stakeholder=e["stakeholder"],
            status=e["status"],
            path=e["path"],
        )


@strawberry.type(description="An accountability gap: a type and the node it is about.")
class AccountabilityGap:
    key: str
    type: GapType
    subject: strawberry.ID
    related: list[strawberry.ID]
    reason: str

    @classmethod
    def from_entry(cls, e: Entry) -> AccountabilityGap:
        return cls(
            key=e["key"],
            type=e["type"],
            subject=e["subject"],
            related=e["related"],
            reason=e["reason"],
        )


@strawberry.type(description="Automation-bias risk of a system: 1 flag MEDIUM, 2+ HIGH.")
class AutomationBias:
    key: str
    system: strawberry.ID
    level: RiskLevel
    flags: list[BiasFlag]

    @classmethod
    def from_entry(cls, e: Entry) -> AutomationBias:
        return cls(
            key=e["key"],
            system=e["system"],
            level=e["level"],
            flags=e["flags"],
        )


@strawberry.type(description="A node on every contest path of some pairs.")
class SinglePointOfFailure:
    key: str
    node: strawberry.ID
    kind: str
    pairs: list[list[strawberry.ID]] = strawberry.field(
        description="The [system, stakeholder] pairs that depend on the node."
    )

    @classmethod
    def from_entry(cls, e: Entry) -> SinglePointOfFailure:
        return cls(key=e["key"], node=e["node"], kind=e["kind"], pairs=e["pairs"])


@strawberry.type(description="Stakeholder salience (Mitchell, Agle & Wood 1997).")
class Salience:
    key: str
    stakeholder: strawberry.ID
    kind: str
    power: bool
    legitimacy: bool
    urgency: bool
    class_: SalienceClass = strawberry.field(name="class")

    @classmethod
    def from_entry(cls, e: Entry) -> Salience:
        return cls(
            key=e["key"],
            stakeholder=e["stakeholder"],
            kind=e["kind"],
            power=e["power"],
            legitimacy=e["legitimacy"],
            urgency=e["urgency"],
            class_=e["class"],
        )


@strawberry.type(description="Power of an actor over a stakeholder against its counter-power.")
class PowerAsymmetry:
    key: str
    actor: strawberry.ID
    stakeholder: strawberry.ID
    system: strawberry.ID
    power_over: float
    counter_power: float
    asymmetry: float
    reasons: list[str]

    @classmethod
    def from_entry(cls, e: Entry) -> PowerAsymmetry:
        return cls(
            key=e["key"],
            actor=e["actor"],
            stakeholder=e["stakeholder"],
            system=e["system"],
            power_over=e["powerOver"],
            counter_power=e["counterPower"],
            asymmetry=e["asymmetry"],
            reasons=e["reasons"],
        )


@strawberry.type(description="A change set that would fix a finding; runnable as a scenario.")
class Recommendation:
    key: str
    finding: str | None = strawberry.field(
        description="Key of the finding it fixes; null for the minimal plan, which fixes many."
    )
    resolves: list[str]
    title: str
    rationale: str
    changes: JSON = strawberry.field(
        description="The change set in the report's shape ({op: upsertNode, node: {...}}, ...)."
    )
    scenario_changes: JSON = strawberry.field(
        description="The same change set as `scenario(changes:)` takes it (ChangeInput list)."
    )

"""GraphQL enums: the domain's enumerations under the names SPEC §1 gives them."""

from __future__ import annotations

from enum import StrEnum

import strawberry

from graphsvc.analysis.automation import BiasFlag, RiskLevel
from graphsvc.analysis.contest import ContestStatus
from graphsvc.analysis.feedback import FeedbackStatus
from graphsvc.analysis.gaps import GapType
from graphsvc.analysis.salience import SalienceClass
from graphsvc.domain.kinds import (
    Authority,
    AutomationLevel,
    BodyType,
    EdgeKind,
    Level,
    MechanismType,
    Polarity,
    Sector,
    Vulnerability,
)


@strawberry.enum(name="NodeKind", description="The kind of a node; values as in map files.")
class NodeKindValue(StrEnum):
    # Named exactly like the kinds in map files, not SCREAMING_CASE, so clients compare one
    # spelling everywhere (domain NodeKind has Python-style member names for the same values).
    AISystem = "AISystem"
    Organization = "Organization"
    UserGroup = "UserGroup"
    AffectedCommunity = "AffectedCommunity"
    OversightBody = "OversightBody"
    Mechanism = "Mechanism"
    Incentive = "Incentive"


@strawberry.enum(description="Which edges of a node: those leaving it, entering it, or both.")
class Direction(StrEnum):
    OUT = "OUT"
    IN = "IN"
    BOTH = "BOTH"


@strawberry.enum(description="Format of a map document.")
class MapFormat(StrEnum):
    YAML = "yaml"
    JSON = "json"


EdgeKindValue = strawberry.enum(EdgeKind, name="EdgeKind")
AutomationLevelValue = strawberry.enum(AutomationLevel)
LevelValue = strawberry.enum(Level)
VulnerabilityValue = strawberry.enum(Vulnerability)
SectorValue = strawberry.enum(Sector)
BodyTypeValue = strawberry.enum(BodyType)
MechanismTypeValue = strawberry.enum(MechanismType)
PolarityValue = strawberry.enum(Polarity)
AuthorityValue = strawberry.enum(Authority)
ContestStatusValue = strawberry.enum(ContestStatus)
FeedbackStatusValue = strawberry.enum(FeedbackStatus)
GapTypeValue = strawberry.enum(GapType)
BiasFlagValue = strawberry.enum(BiasFlag)
RiskLevelValue = strawberry.enum(RiskLevel, name="AutomationRiskLevel")
SalienceClassValue = strawberry.enum(SalienceClass)

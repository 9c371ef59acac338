"""GraphQL inputs for nodes and edges: the map-file fields of every kind, all optional but
the common ones. Fields that do not belong to the kind are reported by domain validation."""

from __future__ import annotations

import dataclasses
from typing import Any

import strawberry
from pydantic.alias_generators import to_camel
from strawberry.scalars import JSON

from graphsvc.api.graphql.enums import NodeKindValue
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


@strawberry.input(description="A whole node as in a map file; replaces a node with this id.")
class NodeInput:
    id: strawberry.ID
    kind: NodeKindValue
    name: str
    description: str | None = None
    tags: list[str] | None = None
    sources: list[str] | None = None
    attributes: JSON | None = None
    domain: str | None = strawberry.field(default=None, description="AISystem.")
    purpose: str | None = strawberry.field(default=None, description="AISystem.")
    automation_level: AutomationLevel | None = strawberry.field(
        default=None, description="AISystem."
    )
    stakes: Level | None = strawberry.field(default=None, description="AISystem.")
    error_rate: float | None = strawberry.field(default=None, description="AISystem, in [0,1].")
    sector: Sector | None = strawberry.field(default=None, description="Organization.")
    size: float | None = strawberry.field(default=None, description="UserGroup, a count.")
    population: float | None = strawberry.field(
        default=None, description="AffectedCommunity, a count."
    )
    vulnerability: Vulnerability | None = strawberry.field(
        default=None, description="AffectedCommunity."
    )
    body_type: BodyType | None = strawberry.field(default=None, description="OversightBody.")
    mechanism_type: MechanismType | None = strawberry.field(default=None, description="Mechanism.")
    capacity_per_month: float | None = strawberry.field(default=None, description="Mechanism.")
    accessibility: float | None = strawberry.field(default=None, description="Mechanism, in [0,1].")
    polarity: Polarity | None = strawberry.field(default=None, description="Incentive.")
    strength: float | None = strawberry.field(default=None, description="Incentive, in [0,1].")


@strawberry.input(description="A whole edge as in a map file; the id defaults to FROM--KIND--TO.")
class EdgeInput:
    kind: EdgeKind
    from_: strawberry.ID = strawberry.field(name="from")
    to: strawberry.ID
    id: strawberry.ID | None = None
    description: str | None = None
    sources: list[str] | None = None
    attributes: JSON | None = None
    can_override: bool | None = strawberry.field(default=None, description="OPERATES.")
    severity: Level | None = strawberry.field(default=None, description="AFFECTS.")
    volume_per_month: float | None = strawberry.field(default=None, description="AFFECTS.")
    contests_per_month: float | None = strawberry.field(default=None, description="AFFECTS.")
    authority: Authority | None = strawberry.field(default=None, description="OVERSEES.")


_COUNTS = {"size", "population"}


def as_file_data(value: NodeInput | EdgeInput) -> dict[str, Any]:
    """The input as map-file data: camelCase keys, unset fields left out, enums as text."""
    out: dict[str, Any] = {}
    for f in dataclasses.fields(value):
        item = getattr(value, f.name)
        if item is None:
            continue
        if f.name in _COUNTS and isinstance(item, float) and item.is_integer():
            item = int(item)  # GraphQL has no 64-bit Int; the domain wants a whole count
        key = "from" if f.name == "from_" else to_camel(f.name)
        out[key] = item.value if hasattr(item, "value") and not isinstance(item, str) else item
    return out

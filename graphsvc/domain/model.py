"""Pydantic models of a stakeholder map: its metadata, sources, nodes and edges (SPEC §1)."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
    field_validator,
    model_validator,
)
from pydantic.alias_generators import to_camel

from graphsvc.domain.kinds import (
    Authority,
    AutomationLevel,
    BodyType,
    EdgeKind,
    Level,
    MechanismType,
    NodeKind,
    Polarity,
    Sector,
    Vulnerability,
)

SLUG_PATTERN = r"^[a-z0-9][a-z0-9._-]{0,127}$"
_DERIVED_EDGE_ID = re.compile(
    r"^([a-z0-9][a-z0-9._-]{0,127})--([A-Z_]+)--([a-z0-9][a-z0-9._-]{0,127})$"
)
_SLUG = re.compile(SLUG_PATTERN)

Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN)]
Name = Annotated[str, StringConstraints(min_length=1, max_length=500)]
Text = Annotated[str, StringConstraints(max_length=20_000)]
Tag = Annotated[str, StringConstraints(min_length=1, max_length=100)]
Scalar = str | bool | int | float
Fraction = Annotated[float, Field(ge=0, le=1)]
NonNegative = Annotated[int | float, Field(ge=0)]
Count = Annotated[int, Field(ge=0)]


def _empty(factory: type[list[Any]] | type[dict[str, Any]]) -> Any:
    """An empty list or dict default, made fresh per instance by a C call: a plain ``= []``
    makes pydantic deep-copy the default in Python for every element, which was half the
    cost of validating a large map. The schema still shows the default."""
    return Field(default_factory=factory, json_schema_extra={"default": factory()})


class _Model(BaseModel):
    """Strict file-facing model: camelCase keys, unknown keys rejected, no NaN or infinity."""

    model_config = ConfigDict(
        extra="forbid",
        alias_generator=to_camel,
        validate_by_alias=True,
        validate_by_name=False,
        serialize_by_alias=True,
        allow_inf_nan=False,
        use_enum_values=False,
    )


class MapMeta(_Model):
    id: Slug
    title: Text | None = None
    description: Text | None = None
    tags: list[Tag] = _empty(list)


class Source(_Model):
    id: Slug
    title: Text | None = None
    url: Annotated[str, StringConstraints(pattern=r"^(https?|doi|urn):\S+$")] | None = None
    publisher: Text | None = None
    date: Annotated[str, StringConstraints(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")] | None = None

    @field_validator("date", mode="before")
    @classmethod
    def _year_as_text(cls, value: Any) -> Any:
        # A bare year such as `date: 2020` arrives as an int from YAML.
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


class NodeBase(_Model):
    id: Slug
    kind: str
    name: Name
    description: Text | None = None
    tags: list[Tag] = _empty(list)
    sources: list[Slug] = _empty(list)
    attributes: dict[str, Scalar] = _empty(dict)


class AISystem(NodeBase):
    kind: Literal["AISystem"]
    domain: Text | None = None
    purpose: Text | None = None
    automation_level: AutomationLevel | None = None
    stakes: Level | None = None
    error_rate: Fraction | None = None


class Organization(NodeBase):
    kind: Literal["Organization"]
    sector: Sector | None = None


class UserGroup(NodeBase):
    kind: Literal["UserGroup"]
    size: Count | None = None


class AffectedCommunity(NodeBase):
    kind: Literal["AffectedCommunity"]
    population: Count | None = None
    vulnerability: Vulnerability | None = None


class OversightBody(NodeBase):
    kind: Literal["OversightBody"]
    body_type: BodyType | None = None


class Mechanism(NodeBase):
    kind: Literal["Mechanism"]
    mechanism_type: MechanismType | None = None
    capacity_per_month: NonNegative | None = None
    accessibility: Fraction | None = None


class Incentive(NodeBase):
    kind: Literal["Incentive"]
    polarity: Polarity | None = None
    strength: Fraction | None = None


Node = Annotated[
    AISystem | Organization | UserGroup | AffectedCommunity | OversightBody | Mechanism | Incentive,
    Field(discriminator="kind"),
]


def derived_edge_id(source: str, kind: str, target: str) -> str:
    """The id an edge gets when its file gives none: ``FROM--KIND--TO``."""
    return f"{source}--{kind}--{target}"


def is_valid_edge_id(edge_id: str) -> bool:
    """Edge ids are slugs, or have the derived ``from--KIND--to`` shape."""
    return bool(_SLUG.match(edge_id) or _DERIVED_EDGE_ID.match(edge_id))


class EdgeBase(_Model):
    id: str = ""
    kind: str
    from_: Slug = Field(alias="from")
    to: Slug
    description: Text | None = None
    sources: list[Slug] = _empty(list)
    attributes: dict[str, Scalar] = _empty(dict)

    @model_validator(mode="after")
    def _derive_id(self) -> EdgeBase:
        fields = self.__dict__
        if not fields["id"]:
            # What BaseModel.__setattr__ does for a plain field, without its dispatch, and
            # derived_edge_id inlined: this runs once per edge of every map read.
            fields["id"] = f"{fields['from_']}--{fields['kind']}--{fields['to']}"
            self.__pydantic_fields_set__.add("id")
        elif self.id != f"{fields['from_']}--{fields['kind']}--{fields['to']}" and not (
            is_valid_edge_id(self.id)  # its own derived id is valid: from/to are slugs
        ):
            raise ValueError(
                f"edge id {self.id!r} is neither a slug ({SLUG_PATTERN}) nor FROM--KIND--TO"
            )
        return self

    @property
    def edge_kind(self) -> EdgeKind:
        return EdgeKind(self.kind)


class Develops(EdgeBase):
    kind: Literal["DEVELOPS"]


class Deploys(EdgeBase):
    kind: Literal["DEPLOYS"]


class Operates(EdgeBase):
    kind: Literal["OPERATES"]
    can_override: bool = False


class Employs(EdgeBase):
    kind: Literal["EMPLOYS"]


class Affects(EdgeBase):
    kind: Literal["AFFECTS"]
    severity: Level | None = None
    volume_per_month: NonNegative | None = None
    contests_per_month: NonNegative | None = None


class CanContestVia(EdgeBase):
    kind: Literal["CAN_CONTEST_VIA"]


class HandledBy(EdgeBase):
    kind: Literal["HANDLED_BY"]


class Oversees(EdgeBase):
    kind: Literal["OVERSEES"]
    authority: Authority = Authority.ADVISORY


class AccountableTo(EdgeBase):
    kind: Literal["ACCOUNTABLE_TO"]


class Funds(EdgeBase):
    kind: Literal["FUNDS"]


class Incentivizes(EdgeBase):
    kind: Literal["INCENTIVIZES"]


class FeedsBackTo(EdgeBase):
    kind: Literal["FEEDS_BACK_TO"]


class Represents(EdgeBase):
    kind: Literal["REPRESENTS"]


class ParticipatesIn(EdgeBase):
    kind: Literal["PARTICIPATES_IN"]


Edge = Annotated[
    Develops
    | Deploys
    | Operates
    | Employs
    | Affects
    | CanContestVia
    | HandledBy
    | Oversees
    | AccountableTo
    | Funds
    | Incentivizes
    | FeedsBackTo
    | Represents
    | ParticipatesIn,
    Field(discriminator="kind"),
]

AnyNode = (
    AISystem | Organization | UserGroup | AffectedCommunity | OversightBody | Mechanism | Incentive
)
AnyEdge = (
    Develops
    | Deploys
    | Operates
    | Employs
    | Affects
    | CanContestVia
    | HandledBy
    | Oversees
    | AccountableTo
    | Funds
    | Incentivizes
    | FeedsBackTo
    | Represents
    | ParticipatesIn
)

NODE_ADAPTER: TypeAdapter[AnyNode] = TypeAdapter(Node)
EDGE_ADAPTER: TypeAdapter[AnyEdge] = TypeAdapter(Edge)
# Whole sections in one call, for reading large maps (the same element schemas as above).
SOURCE_LIST_ADAPTER: TypeAdapter[list[Source]] = TypeAdapter(list[Source])
NODE_LIST_ADAPTER: TypeAdapter[list[AnyNode]] = TypeAdapter(list[Node])
EDGE_LIST_ADAPTER: TypeAdapter[list[AnyEdge]] = TypeAdapter(list[Edge])

NODE_MODELS: dict[NodeKind, type[NodeBase]] = {
    NodeKind(model.model_fields["kind"].annotation.__args__[0]): model  # type: ignore[union-attr]
    for model in (
        AISystem,
        Organization,
        UserGroup,
        AffectedCommunity,
        OversightBody,
        Mechanism,
        Incentive,
    )
}
EDGE_MODELS: dict[EdgeKind, type[EdgeBase]] = {
    EdgeKind(model.model_fields["kind"].annotation.__args__[0]): model  # type: ignore[union-attr]
    for model in (
        Develops, Deploys, Operates, Employs, Affects, CanContestVia, HandledBy, Oversees,
        AccountableTo, Funds, Incentivizes, FeedsBackTo, Represents, ParticipatesIn,
    )
}  # fmt: skip


class StakeholderMap(_Model):
    """One stakeholder map: a map-file document after validation."""

    meta: MapMeta = Field(alias="map")
    sources: list[Source] = []
    nodes: list[Node] = []
    edges: list[Edge] = []

    @property
    def id(self) -> str:
        return self.meta.id

    def node(self, node_id: str) -> AnyNode | None:
        """The node with this id, or None (a scan: no cached state, which pydantic would
        count in equality and which edits to ``nodes`` would make stale)."""
        return next((n for n in self.nodes if n.id == node_id), None)


MAP_FIELDS = ("map", "sources", "nodes", "edges")

"""GraphQL object types of maps, nodes (one type per kind) and edges, built from domain models."""

from __future__ import annotations

from typing import TypeVar

import strawberry
from strawberry.scalars import JSON

from graphsvc.api.graphql.context import Info
from graphsvc.api.graphql.enums import Direction, NodeKindValue
from graphsvc.api.graphql.fields import field
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
from graphsvc.domain.model import AnyEdge, AnyNode
from graphsvc.errors import NotFound
from graphsvc.store.base import MapInfo

T = TypeVar("T")


@strawberry.type(description="A stored map: its metadata and version (bumped by every write).")
class Map:
    id: strawberry.ID
    title: str | None
    description: str | None
    tags: list[str]
    version: int
    node_count: int
    edge_count: int
    updated_at: str

    @classmethod
    def from_info(cls, info: MapInfo) -> Map:
        return cls(
            id=strawberry.ID(info.id),
            title=info.title,
            description=info.description,
            tags=list(info.tags),
            version=info.version,
            node_count=info.node_count,
            edge_count=info.edge_count,
            updated_at=info.updated_at,
        )


@strawberry.interface(description="A node of a map; there is one type per kind.")
class MapNode:
    map_id: strawberry.ID
    id: strawberry.ID
    kind: NodeKindValue
    name: str
    description: str | None
    tags: list[str]
    sources: list[str]
    attributes: JSON

    @field(description="Edges that touch this node, optionally of some kinds only.")
    async def edges(
        self,
        info: Info,
        kind: list[EdgeKind] | None = None,
        direction: Direction = Direction.BOTH,
    ) -> list[MapEdge]:
        found = await _touching(info, self.map_id, self.id, kind, direction)
        return [MapEdge.from_model(self.map_id, e) for e in found]

    @field(description="Nodes one edge away (as `edges` selects them), in id order.")
    async def neighbors(
        self,
        info: Info,
        kind: list[EdgeKind] | None = None,
        direction: Direction = Direction.BOTH,
    ) -> list[MapNode]:
        edges = await _touching(info, self.map_id, self.id, kind, direction)
        ids = sorted({e.to if e.from_ == self.id else e.from_ for e in edges})
        loaded = await info.context.loaders.node.load_many([(self.map_id, i) for i in ids])
        return [node_type(self.map_id, n) for n in loaded if n is not None]


async def _touching(
    info: Info, map_id: str, node_id: str, kinds: list[EdgeKind] | None, direction: Direction
) -> list[AnyEdge]:
    found = await info.context.loaders.edges_of.load((map_id, node_id))
    return [
        e
        for e in found
        if (not kinds or e.edge_kind in kinds)
        and (direction != Direction.OUT or e.from_ == node_id)
        and (direction != Direction.IN or e.to == node_id)
    ]


@strawberry.type
class AISystem(MapNode):
    domain: str | None
    purpose: str | None
    automation_level: AutomationLevel | None
    stakes: Level | None
    error_rate: float | None


@strawberry.type
class Organization(MapNode):
    sector: Sector | None


@strawberry.type
class UserGroup(MapNode):
    size: float | None = strawberry.field(
        description="People in the group (a Float: GraphQL Int stops at 2^31)."
    )


@strawberry.type
class AffectedCommunity(MapNode):
    population: float | None = strawberry.field(
        description="People affected (a Float: GraphQL Int stops at 2^31)."
    )
    vulnerability: Vulnerability | None


@strawberry.type
class OversightBody(MapNode):
    body_type: BodyType | None


@strawberry.type
class Mechanism(MapNode):
    mechanism_type: MechanismType | None
    capacity_per_month: float | None
    accessibility: float | None


@strawberry.type
class Incentive(MapNode):
    polarity: Polarity | None
    strength: float | None


NODE_TYPES: dict[str, type[MapNode]] = {
    cls.__name__: cls
    for cls in (
        AISystem,
        Organization,
        UserGroup,
        AffectedCommunity,
        OversightBody,
        Mechanism,
        Incentive,
    )
}


#: Enum members by value: a dict lookup, not an enum call, per object.
_NODE_KINDS = {k.value: k for k in NodeKindValue}
_EDGE_KINDS = {k.value: k for k in EdgeKind}


def _bare(cls: type[T]) -> T:
    """An instance of a GraphQL type whose attributes the caller sets. These types are plain
    attribute holders, and strawberry's generated ``__init__`` costs four times what the rest
    of building one does; pages and neighbourhoods build hundreds per request."""
    return cls.__new__(cls)


def node_type(map_id: str, node: AnyNode) -> MapNode:
    """The GraphQL object of a domain node: every field of the node's model under its own
    name (the types declare the same names), values shared, not copied (neither is changed)."""
    fields = node.__dict__
    obj = _bare(NODE_TYPES[fields["kind"]])
    attributes = obj.__dict__
    attributes.update(fields)
    attributes["kind"] = _NODE_KINDS[fields["kind"]]
    attributes["map_id"] = map_id
    return obj


@strawberry.type(description="A directed edge of a map; fields of other kinds are null.")
class MapEdge:
    map_id: strawberry.ID
    id: strawberry.ID
    kind: EdgeKind
    from_id: strawberry.ID
    to_id: strawberry.ID
    description: str | None
    sources: list[str]
    attributes: JSON
    can_override: bool | None = strawberry.field(description="OPERATES only.")
    severity: Level | None = strawberry.field(description="AFFECTS only.")
    volume_per_month: float | None = strawberry.field(description="AFFECTS only.")
    contests_per_month: float | None = strawberry.field(description="AFFECTS only.")
    authority: Authority | None = strawberry.field(description="OVERSEES only.")

    @field(name="from", description="The node the edge starts at.")
    async def from_node(self, info: Info) -> MapNode:
        return await load_node(info, self.map_id, self.from_id)

    @field(name="to", description="The node the edge ends at.")
    async def to_node(self, info: Info) -> MapNode:
        return await load_node(info, self.map_id, self.to_id)

    @classmethod
    def from_model(cls, map_id: str, edge: AnyEdge) -> MapEdge:
        """The GraphQL object of a domain edge (fields of other kinds null), as
        :func:`node_type` builds one."""
        fields = edge.__dict__
        get = fields.get
        obj = _bare(cls)
        obj.__dict__.update(
            map_id=map_id,
            id=fields["id"],
            kind=_EDGE_KINDS[fields["kind"]],
            from_id=fields["from_"],
            to_id=fields["to"],
            description=fields["description"],
            sources=fields["sources"],
            attributes=fields["attributes"],
            can_override=get("can_override"),
            severity=get("severity"),
            volume_per_month=get("volume_per_month"),
            contests_per_month=get("contests_per_month"),
            authority=get("authority"),
        )
        return obj


async def load_node(info: Info, map_id: str, node_id: str) -> MapNode:
    """One node through the request's DataLoader; NOT_FOUND when it does not exist."""
    node = await info.context.loaders.node.load((map_id, node_id))
    if node is None:
        raise NotFound(f"no node {node_id!r} in map {map_id!r}")
    return node_type(map_id, node)

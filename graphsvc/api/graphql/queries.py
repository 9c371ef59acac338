"""The root Query (SPEC §4): resolvers translate arguments and call the service layer."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.scalars import JSON

from graphsvc.analysis.findings import FindingChange as FindingChangeData
from graphsvc.api.graphql.access import ChangeConnection, Me, changes, me
from graphsvc.api.graphql.analysis import Analysis, Scenario
from graphsvc.api.graphql.connections import (
    EdgeItem,
    MapEdgeConnection,
    MapNodeConnection,
    NodeItem,
    decode_cursor,
    encode_cursor,
    page_info,
    page_size,
)
from graphsvc.api.graphql.context import Info
from graphsvc.api.graphql.enums import NodeKindValue
from graphsvc.api.graphql.fields import field
from graphsvc.api.graphql.scenario import ChangeInput, FindingChange, relocate, to_change_set
from graphsvc.api.graphql.types import Map, MapEdge, MapNode, node_type
from graphsvc.api.state import in_thread
from graphsvc.domain.kinds import EdgeKind
from graphsvc.errors import InvalidInput, LimitExceeded, NotFound, Problem
from graphsvc.service.explore import impact_paths_between, neighborhood
from graphsvc.service.scenarios import scenario
from graphsvc.store.base import EdgeQuery, NodeQuery


@strawberry.type(description="One impact path: its nodes and the edge taken at each step.")
class ImpactPath:
    nodes: list[MapNode]
    edges: list[MapEdge]

    @field(description="Number of edges.")
    def length(self) -> int:
        return len(self.edges)


@strawberry.type(description="The nodes within `depth` edges of a node, and those edges.")
class Neighborhood:
    center: MapNode
    depth: int
    nodes: list[MapNode]
    edges: list[MapEdge]


def _at_most(name: str, value: int, limit: int) -> None:
    if value < 1:
        raise InvalidInput([Problem("must be 1 or more", name, value=value)])
    if value > limit:
        raise LimitExceeded(f"{name} is {value}; at most {limit}")


@strawberry.type
class Query:
    @field(description="Who is calling: token, role and the maps it may see.")
    def me(self, info: Info) -> Me:
        return me(info)

    @field(description="A map's audit log, newest first (editor and admin tokens).")
    async def changes(
        self,
        info: Info,
        map_id: strawberry.ID,
        first: int | None = None,
        after: str | None = None,
    ) -> ChangeConnection:
        return await changes(info, map_id, first, after)

    @field(description="Every stored map, by id.")
    async def maps(self, info: Info) -> list[Map]:
        infos = await in_thread(info.context.store.list_maps)
        return [Map.from_info(i) for i in infos]

    @field(description="One map (NOT_FOUND error when unknown).")
    async def map(self, info: Info, id: strawberry.ID) -> Map | None:
        return Map.from_info(await info.context.point_read(info.context.store.map_info, id))

    @field(description="One node (NOT_FOUND error when unknown).")
    async def node(self, info: Info, map_id: strawberry.ID, id: strawberry.ID) -> MapNode | None:
        found = await info.context.loaders.node.load((map_id, id))
        if found is None:  # NOT_FOUND for the map when it is the map that is unknown
            await info.context.point_read(info.context.store.map_info, map_id)
            raise NotFound(f"no node {id!r} in map {map_id!r}")
        return node_type(map_id, found)

    @field(description="Nodes in id order, filtered by kinds, a tag and a search text.")
    async def nodes(
        self,
        info: Info,
        map_id: strawberry.ID,
        kind: list[NodeKindValue] | None = None,
        tag: str | None = None,
        search: Annotated[
            str | None, strawberry.argument(description="Case-insensitive part of name or id.")
        ] = None,
        first: int | None = None,
        after: str | None = None,
    ) -> MapNodeConnection:
        query = NodeQuery(
            kinds=[k.value for k in kind or []],
            tag=tag,
            search=search or None,
            after=decode_cursor("node", after),
            limit=page_size(first, info.context.settings),
        )
        page = await in_thread(info.context.store.find_nodes, map_id, query)
        info.context.loaders.prime_nodes(map_id, page.items)
        items = [
            NodeItem(cursor=encode_cursor("node", n.id), node=node_type(map_id, n))
            for n in page.items
        ]
        return MapNodeConnection(
            edges=items,
            page_info=page_info([i.cursor for i in items], page.has_next, after),
            total_count=page.total,
        )

    @field(description="Edges in id order, filtered by kinds.")
    async def edges(
        self,
        info: Info,
        map_id: strawberry.ID,
        kind: list[EdgeKind] | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> MapEdgeConnection:
        query = EdgeQuery(
            kinds=[k.value for k in kind or []],
            after=decode_cursor("edge", after),
            limit=page_size(first, info.context.settings),
        )
        page = await in_thread(info.context.store.find_edges, map_id, query)
        items = [
            EdgeItem(cursor=encode_cursor("edge", e.id), node=MapEdge.from_model(map_id, e))
            for e in page.items
        ]
        return MapEdgeConnection(
            edges=items,
            page_info=page_info([i.cursor for i in items], page.has_next, after),
            total_count=page.total,
        )

    @field(description="A node with everything within `depth` edges of it.")
    async def neighborhood(
        self, info: Info, map_id: strawberry.ID, id: strawberry.ID, depth: int = 1
    ) -> Neighborhood:
        _at_most("depth", depth, info.context.settings.max_neighborhood_depth)
        found = await in_thread(neighborhood, info.context.store, map_id, id, depth)
        info.context.loaders.prime_nodes(map_id, found.nodes)
        return Neighborhood(
            center=node_type(map_id, found.center),
            depth=depth,
            nodes=[node_type(map_id, n) for n in found.nodes],
            edges=[MapEdge.from_model(map_id, e) for e in found.edges],
        )

    @field(description="Simple directed paths of power and impact, shortest first (SPEC §3).")
    async def impact_paths(
        self,
        info: Info,
        map_id: strawberry.ID,
        from_: Annotated[strawberry.ID, strawberry.argument(name="from")],
        to: strawberry.ID,
        max_depth: int = 6,
        limit: int = 100,
    ) -> list[ImpactPath]:
        settings = info.context.settings
        _at_most("maxDepth", max_depth, settings.max_impact_depth)
        _at_most("limit", limit, settings.max_impact_paths)
        found = await in_thread(
            impact_paths_between,
            info.context.store,
            map_id,
            from_,
            to,
            max_depth=max_depth,
            limit=limit,
        )
        return [
            ImpactPath(
                nodes=[node_type(map_id, n) for n in p.nodes],
                edges=[MapEdge.from_model(map_id, e) for e in p.edges],
            )
            for p in found
        ]

    @field(description="Every analysis of the map (cached per map version).")
    async def analysis(self, info: Info, map_id: strawberry.ID) -> Analysis:
        return Analysis(report=await in_thread(info.context.service.analyze, map_id))

    @field(description="What-if: apply changes to a copy of the map; nothing is stored.")
    async def scenario(
        self, info: Info, map_id: strawberry.ID, changes: list[ChangeInput]
    ) -> Scenario:
        change_set = to_change_set(changes)
        try:
            result = await in_thread(scenario, info.context.service, map_id, change_set)
        except InvalidInput as exc:
            problems = [relocate(p, change_set) for p in exc.problems]
            raise InvalidInput(problems, exc.message) from None

        def listed(found: list[FindingChangeData]) -> list[FindingChange]:
            return [
                FindingChange(
                    key=c.key, section=c.section, before=JSON(c.before), after=JSON(c.after)
                )
                for c in found
            ]

        return Scenario(
            analysis=Analysis(report=result.report),
            resolved=listed(result.findings.resolved),
            introduced=listed(result.findings.introduced),
            changed=listed(result.findings.changed),
        )

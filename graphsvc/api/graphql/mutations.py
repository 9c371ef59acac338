"""The root Mutation (SPEC §4). Every write goes through the map editor or the map service;
an invalid input changes nothing and reports every problem with its path."""

from __future__ import annotations

from typing import Annotated

import strawberry

from graphsvc.api.graphql.context import Info
from graphsvc.api.graphql.enums import MapFormat
from graphsvc.api.graphql.fields import mutation
from graphsvc.api.graphql.inputs import EdgeInput, NodeInput, as_file_data
from graphsvc.api.graphql.types import Map, MapEdge, MapNode, node_type
from graphsvc.api.state import in_thread
from graphsvc.domain.mapfile import Format
from graphsvc.domain.model import EdgeBase, NodeBase
from graphsvc.service.edits import Edit


@strawberry.type(description="A node after an upsert and the map version that holds it.")
class NodePayload:
    node: MapNode
    version: int
    created: bool


@strawberry.type(description="An edge after an upsert and the map version that holds it.")
class EdgePayload:
    edge: MapEdge
    version: int
    created: bool


@strawberry.type(description="What a delete removed and the map version after it.")
class DeletePayload:
    id: strawberry.ID
    version: int | None = strawberry.field(description="Null when a whole map was deleted.")
    removed_edges: list[strawberry.ID] = strawberry.field(
        description="Edges removed along with a node."
    )


def _deleted(edit: Edit) -> DeletePayload:
    return DeletePayload(
        id=strawberry.ID(edit.element_id),
        version=edit.version,
        removed_edges=[strawberry.ID(e) for e in edit.removed_edges],
    )


Expected = Annotated[
    int | None,
    strawberry.argument(
        description="Fail with CONFLICT unless the map is at this version (optimistic locking)."
    ),
]


@strawberry.type
class Mutation:
    @mutation(description="Validate a map document (YAML or JSON) and store it.")
    async def import_map(
        self,
        info: Info,
        document: str,
        format: MapFormat | None = None,
        replace: bool = False,
    ) -> Map:
        service = info.context.api.service
        fmt: Format | None = None if format is None else format.value
        m = await in_thread(service.read_text, document, fmt=fmt, name=None)
        await in_thread(service.store.save_map, m, replace=replace)
        return Map.from_info(await in_thread(service.store.map_info, m.id))

    @mutation(description="Delete a map and everything in it.")
    async def delete_map(self, info: Info, id: strawberry.ID) -> DeletePayload:
        await in_thread(info.context.api.store.delete_map, id)
        return DeletePayload(id=id, version=None, removed_edges=[])

    @mutation(description="Add a node, or replace the node with the same id.")
    async def upsert_node(
        self,
        info: Info,
        map_id: strawberry.ID,
        input: NodeInput,
        expected_version: Expected = None,
    ) -> NodePayload:
        edit = await in_thread(
            info.context.api.editor.upsert_node,
            map_id,
            as_file_data(input),
            expected_version=expected_version,
        )
        assert isinstance(edit.after, NodeBase)
        return NodePayload(
            node=node_type(map_id, edit.after),
            version=edit.version,
            created=edit.before is None,
        )

    @mutation(description="Delete a node and every edge that touches it.")
    async def delete_node(
        self,
        info: Info,
        map_id: strawberry.ID,
        id: strawberry.ID,
        expected_version: Expected = None,
    ) -> DeletePayload:
        edit = await in_thread(
            info.context.api.editor.delete_node, map_id, id, expected_version=expected_version
        )
        return _deleted(edit)

    @mutation(description="Add an edge, or replace the edge with the same id.")
    async def upsert_edge(
        self,
        info: Info,
        map_id: strawberry.ID,
        input: EdgeInput,
        expected_version: Expected = None,
    ) -> EdgePayload:
        edit = await in_thread(
            info.context.api.editor.upsert_edge,
            map_id,
            as_file_data(input),
            expected_version=expected_version,
        )
        assert isinstance(edit.after, EdgeBase)
        return EdgePayload(
            edge=MapEdge.from_model(map_id, edit.after),
            version=edit.version,
            created=edit.before is None,
        )

    @mutation(description="Delete one edge.")
    async def delete_edge(
        self,
        info: Info,
        map_id: strawberry.ID,
        id: strawberry.ID,
        expected_version: Expected = None,
    ) -> DeletePayload:
        edit = await in_thread(
            info.context.api.editor.delete_edge, map_id, id, expected_version=expected_version
        )
        return _deleted(edit)

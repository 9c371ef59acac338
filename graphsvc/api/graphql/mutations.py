"""The root Mutation (SPEC §4). Every write goes through the map editor or the map service
of the caller (scoped, and recorded in the audit log); an invalid input changes nothing and
reports every problem with its path. Scope and role are checked before any work is done."""

from __future__ import annotations

from typing import Annotated

import strawberry

from graphsvc.api.graphql.context import Info
from graphsvc.api.graphql.enums import MapFormat
from graphsvc.api.graphql.fields import mutation
from graphsvc.api.graphql.inputs import EdgeInput, NodeInput, as_file_data
from graphsvc.api.graphql.types import Map, MapEdge, MapNode, node_type
from graphsvc.api.state import in_thread
from graphsvc.domain.access import Action
from graphsvc.domain.mapfile import Format
from graphsvc.domain.model import EdgeBase, NodeBase
from graphsvc.errors import Forbidden
from graphsvc.service.access import DENIED
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
        expected_version: Annotated[
            int | None,
            strawberry.argument(
                description="With replace: fail with CONFLICT unless the stored map is at "
                "this version (optimistic locking)."
            ),
        ] = None,
    ) -> Map:
        if not info.context.caller.may(Action.EDIT):
            raise Forbidden(DENIED[Action.EDIT])
        fmt: Format | None = None if format is None else format.value
        stored = await in_thread(
            info.context.service.import_text,
            document,
            fmt=fmt,
            replace=replace,
            expected_version=expected_version,
        )
        return Map.from_info(stored)

    @mutation(description="Delete a map and everything in it.")
    async def delete_map(
        self, info: Info, id: strawberry.ID, expected_version: Expected = None
    ) -> DeletePayload:
        info.context.require(Action.DELETE_MAP, id)
        await in_thread(info.context.service.delete, id, expected_version=expected_version)
        return DeletePayload(id=id, version=None, removed_edges=[])

    @mutation(description="Add a node, or replace the node with the same id.")
    async def upsert_node(
        self,
        info: Info,
        map_id: strawberry.ID,
        input: NodeInput,
        expected_version: Expected = None,
    ) -> NodePayload:
        info.context.require(Action.EDIT, map_id)
        edit = await in_thread(
            info.context.editor.upsert_node,
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
        info.context.require(Action.EDIT, map_id)
        edit = await in_thread(
            info.context.editor.delete_node, map_id, id, expected_version=expected_version
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
        info.context.require(Action.EDIT, map_id)
        edit = await in_thread(
            info.context.editor.upsert_edge,
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
        info.context.require(Action.EDIT, map_id)
        edit = await in_thread(
            info.context.editor.delete_edge, map_id, id, expected_version=expected_version
        )
        return _deleted(edit)

"""GraphQL types of access and audit: who the caller is (``me``), and a map's audit log
(``changes``) as a Relay connection, newest entry first."""

from __future__ import annotations

import strawberry
from strawberry.scalars import JSON

from graphsvc.api.graphql.connections import PageInfo, decode_cursor, encode_cursor, page_size
from graphsvc.api.graphql.context import Info
from graphsvc.api.graphql.fields import field
from graphsvc.api.state import in_thread
from graphsvc.domain.access import Action, Role
from graphsvc.errors import InvalidInput, Problem
from graphsvc.store.base import Change as ChangeRecord

RoleValue = strawberry.enum(Role, description="What a token may do on its maps.")


@strawberry.type(description="The caller: its token (null on an open loopback server) and role.")
class Me:
    token_id: strawberry.ID | None
    name: str | None
    role: RoleValue  # type: ignore[valid-type]
    maps: list[strawberry.ID] | None = strawberry.field(
        description="The maps it may see; null: every map."
    )
    can_edit: bool
    authenticated: bool = strawberry.field(
        description="False on a server without tokens (open, loopback only)."
    )


def me(info: Info) -> Me:
    caller = info.context.caller
    token = caller.actor not in {"local", "cli"}
    return Me(
        token_id=strawberry.ID(caller.actor) if token else None,
        name=caller.name,
        role=caller.role,
        maps=None if caller.maps is None else [strawberry.ID(m) for m in sorted(caller.maps)],
        can_edit=caller.may(Action.EDIT),
        authenticated=token,
    )


@strawberry.type(description="One entry of a map's audit log: one element written, or a whole map.")
class Change:
    version: int | None = strawberry.field(
        description="The map version the write produced (null: the map was deleted)."
    )
    at: str = strawberry.field(description="When, UTC, ISO 8601.")
    actor: str = strawberry.field(
        description="The token id; `local` for an open loopback server; `cli` for the command line."
    )
    operation: str = strawberry.field(
        description="importMap, deleteMap, upsertNode, deleteNode, upsertEdge or deleteEdge."
    )
    element_id: strawberry.ID | None
    before: JSON | None = strawberry.field(
        description="The element as in a map file before the write (null: it did not exist); "
        "for importMap and deleteMap a summary of the map."
    )
    after: JSON | None = strawberry.field(description="The element after the write (null: gone).")

    @classmethod
    def from_record(cls, c: ChangeRecord) -> Change:
        return cls(
            version=c.version,
            at=c.at,
            actor=c.actor,
            operation=c.operation,
            element_id=None if c.element_id is None else strawberry.ID(c.element_id),
            before=c.before,
            after=c.after,
        )


@strawberry.type(name="ChangeEdge", description="One audit entry and its cursor.")
class ChangeItem:
    cursor: str
    node: Change


@strawberry.type
class ChangeConnection:
    edges: list[ChangeItem]
    page_info: PageInfo
    total_count: int = strawberry.field(description="Entries in the map's log.")

    @field(description="The entries of this page.")
    def nodes(self) -> list[Change]:
        return [item.node for item in self.edges]


async def changes(
    info: Info, map_id: str, first: int | None, after: str | None
) -> ChangeConnection:
    info.context.require(Action.AUDIT, map_id)
    position = decode_cursor("change", after)
    if position is not None and not (
        position.isascii() and position.isdigit() and len(position) < 19
    ):
        raise InvalidInput([Problem("not a cursor of this list", "after", value=after)])
    page = await in_thread(
        info.context.service.changes,
        map_id,
        after=None if position is None else int(position),
        limit=page_size(first, info.context.settings),
    )
    items = [
        ChangeItem(cursor=encode_cursor("change", str(c.seq)), node=Change.from_record(c))
        for c in page.items
    ]
    return ChangeConnection(
        edges=items,
        page_info=PageInfo(
            has_next_page=page.has_next,
            has_previous_page=after is not None,
            start_cursor=items[0].cursor if items else None,
            end_cursor=items[-1].cursor if items else None,
        ),
        total_count=page.total,
    )

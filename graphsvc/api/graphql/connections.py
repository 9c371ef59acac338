"""Relay connections over the store's keyset pages: opaque cursors, pageInfo, totalCount."""

from __future__ import annotations

import base64
import binascii

import strawberry

from graphsvc.api.graphql.fields import field
from graphsvc.api.graphql.types import MapEdge, MapNode
from graphsvc.errors import InvalidInput, LimitExceeded, Problem
from graphsvc.settings import Settings


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type(name="MapNodeEdge", description="One node of a page and its cursor.")
class NodeItem:
    cursor: str
    node: MapNode


@strawberry.type
class MapNodeConnection:
    edges: list[NodeItem]
    page_info: PageInfo
    total_count: int = strawberry.field(description="Matching nodes on all pages.")

    @field(description="The nodes of this page (the `node` of each edge).")
    def nodes(self) -> list[MapNode]:
        return [item.node for item in self.edges]


@strawberry.type(name="MapEdgeEdge", description="One edge of a page and its cursor.")
class EdgeItem:
    cursor: str
    node: MapEdge


@strawberry.type
class MapEdgeConnection:
    edges: list[EdgeItem]
    page_info: PageInfo
    total_count: int = strawberry.field(description="Matching edges on all pages.")

    @field(description="The edges of this page (the `node` of each edge).")
    def nodes(self) -> list[MapEdge]:
        return [item.node for item in self.edges]


def encode_cursor(section: str, element_id: str) -> str:
    return base64.urlsafe_b64encode(f"{section}:{element_id}".encode()).decode()


def decode_cursor(section: str, cursor: str | None) -> str | None:
    """The element id a cursor points after; INVALID_INPUT for a cursor not made here."""
    if cursor is None:
        return None
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
    except (binascii.Error, UnicodeError, ValueError):
        text = ""
    prefix = f"{section}:"
    if not text.startswith(prefix) or len(text) == len(prefix):
        raise InvalidInput([Problem("not a cursor of this list", "after", value=cursor)])
    return text[len(prefix) :]


def page_size(first: int | None, settings: Settings) -> int:
    """``first`` checked against the configured maximum (LIMIT_EXCEEDED beyond it)."""
    if first is None:
        return min(settings.default_page_size, settings.max_page_size)
    if first < 0:
        raise InvalidInput([Problem("must be 0 or more", "first", value=first)])
    if first > settings.max_page_size:
        raise LimitExceeded(f"first is {first}; at most {settings.max_page_size} per page")
    return first


def page_info(cursors: list[str], has_next: bool, after: str | None) -> PageInfo:
    return PageInfo(
        has_next_page=has_next,
        has_previous_page=after is not None,
        start_cursor=cursors[0] if cursors else None,
        end_cursor=cursors[-1] if cursors else None,
    )

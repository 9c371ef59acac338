"""Domain elements as Neo4j property rows, and rows back as domain elements."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from pydantic import TypeAdapter

from graphsvc.domain.model import AnyEdge, AnyNode, Edge, MapMeta, Node, Source, StakeholderMap
from graphsvc.store.base import MapInfo

Row = dict[str, Any]

NODES: TypeAdapter[list[AnyNode]] = TypeAdapter(list[Node])
EDGES: TypeAdapter[list[AnyEdge]] = TypeAdapter(list[Edge])
SOURCES: TypeAdapter[list[Source]] = TypeAdapter(list[Source])


def dump(model: AnyNode | AnyEdge | MapMeta) -> str:
    """The JSON kept in ``data``: every field that is set, nothing that is default."""
    return model.model_dump_json(exclude_defaults=True, exclude_none=True)


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def json_list(texts: Iterable[str]) -> str:
    """One JSON array of JSON texts (or of texts of elements already joined by commas, as the
    neighbourhood statements return them)."""
    # One JSON array validated in one call is far faster than one call per element.
    return "[" + ",".join(texts) + "]"


def node_row(n: AnyNode, pos: int | None) -> Row:
    return {
        "id": n.id,
        "kind": n.kind,
        "name": n.name,
        "tags": list(n.tags),
        "data": dump(n),
        "pos": pos,
    }


def edge_row(e: AnyEdge, pos: int | None) -> Row:
    return {
        "id": e.id,
        "kind": e.kind,
        "source": e.from_,
        "target": e.to,
        "data": dump(e),
        "pos": pos,
    }


def map_row(m: StakeholderMap) -> Row:
    """The GMap properties a whole-map import sets."""
    return {
        "meta": dump(m.meta),
        "sources": json_list(s.model_dump_json(exclude_none=True) for s in m.sources),
        "title": m.meta.title,
        "description": m.meta.description,
        "tags": list(m.meta.tags),
    }


def map_info(row: Row) -> MapInfo:
    meta = MapMeta.model_validate_json(row["meta"])
    return MapInfo(
        row["id"],
        meta.title,
        meta.description,
        tuple(meta.tags),
        int(row["version"]),
        int(row["nodeCount"]),
        int(row["edgeCount"]),
        row["updatedAt"],
    )


def stakeholder_map(head: Row, nodes: list[str], edges: list[str]) -> StakeholderMap:
    """A map from its GMap row and the ``data`` of its nodes and edges, all stored valid."""
    return StakeholderMap.model_construct(
        meta=MapMeta.model_validate_json(head["meta"]),
        sources=SOURCES.validate_json(head["sources"]),
        nodes=NODES.validate_json(json_list(nodes)),
        edges=EDGES.validate_json(json_list(edges)),
    )

"""What the audit log records of each write: one note per element changed, with the element's
map-file JSON before and after; for a whole map, a summary (sizes and the document's SHA-256)
rather than a copy, so the log stays small beside large imports."""

from __future__ import annotations

from typing import Any

from graphsvc.domain.model import AnyEdge, AnyNode, StakeholderMap
from graphsvc.store.base import ChangeNote, MapInfo


def element_data(element: AnyNode | AnyEdge | None) -> dict[str, Any] | None:
    """An element as it reads in a map file (defaults and nulls left out)."""
    if element is None:
        return None
    return element.model_dump(mode="json", exclude_defaults=True, exclude_none=True)


def element_note(
    actor: str,
    operation: str,
    before: AnyNode | AnyEdge | None,
    after: AnyNode | AnyEdge | None,
) -> ChangeNote:
    element = after if after is not None else before
    assert element is not None
    return ChangeNote(actor, operation, element.id, element_data(before), element_data(after))


def map_summary(info: MapInfo | None) -> dict[str, Any] | None:
    """What the log keeps of a map that an import replaces or a delete removes."""
    if info is None:
        return None
    return {
        "title": info.title,
        "version": info.version,
        "nodeCount": info.node_count,
        "edgeCount": info.edge_count,
    }


def import_note(
    actor: str, m: StakeholderMap, before: MapInfo | None, digest: str | None
) -> ChangeNote:
    after: dict[str, Any] = {
        "title": m.meta.title,
        "nodeCount": len(m.nodes),
        "edgeCount": len(m.edges),
    }
    if digest is not None:
        after["sha256"] = digest
    return ChangeNote(actor, "importMap", None, map_summary(before), after)


def delete_map_note(actor: str, before: MapInfo) -> ChangeNote:
    return ChangeNote(actor, "deleteMap", None, map_summary(before), None)

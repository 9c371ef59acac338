"""Build small maps for tests from terse node and edge specs."""

from __future__ import annotations

from typing import Any

from graphsvc.domain.model import StakeholderMap

KIND_BY_PREFIX = {
    "s": "AISystem",
    "o": "Organization",
    "u": "UserGroup",
    "c": "AffectedCommunity",
    "b": "OversightBody",
    "m": "Mechanism",
    "i": "Incentive",
}


def node(node_id: str, kind: str | None = None, **fields: Any) -> dict[str, Any]:
    """A node spec; the kind defaults from the id's first letter (s1 → AISystem, m2 → Mechanism)."""
    return {
        "id": node_id,
        "kind": kind or KIND_BY_PREFIX[node_id[0]],
        "name": node_id.upper(),
        **fields,
    }


def edge(source: str, kind: str, target: str, **fields: Any) -> dict[str, Any]:
    return {"from": source, "kind": kind, "to": target, **fields}


def build_map(
    nodes: list[dict[str, Any]], edges: list[dict[str, Any]], map_id: str = "t"
) -> StakeholderMap:
    """A validated map (integrity rules included) from specs; node kinds as in :func:`node`."""
    from graphsvc.domain.document import Document
    from graphsvc.domain.mapfile import validate_document

    data = {"map": {"id": map_id, "title": map_id}, "nodes": nodes, "edges": edges}
    return validate_document(Document(data, None, None))

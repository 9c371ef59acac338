"""A Cypher script that loads a map into any Neo4j (cypher-shell, Browser, or a driver).

Data model (graphsvc's own Neo4j adapter, graphsvc/store/neo4j.py, did not exist when this
was written; this is the plain model the brief of issue 7 names):

- the map is ``(:Map {id, title, description, tags})``;
- each node is ``(:MapNode:<Kind> {mapId, id, kind, name, …})`` with its fields as
  properties and each attribute as a property ``attr:NAME``;
- each edge is a relationship whose type is the edge kind (``DEPLOYS``) with ``{mapId, id,
  …}`` and the same property conventions;
- each source is ``(:MapSource {mapId, id, title, url, publisher, date})``.

Values are inlined as Cypher literals, never spliced as text: strings are quoted and escaped,
property names are backticked. Running the script again replaces the map's earlier copy.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from graphsvc.domain.mapfile import map_to_data
from graphsvc.domain.model import StakeholderMap

BATCH = 200
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_ESCAPES = {
    "\\": "\\\\",
    "'": "\\'",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\b": "\\b",
    "\f": "\\f",
}


def literal(value: Any) -> str:
    """A Cypher literal for a string, number, boolean, list or map."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        return "'" + "".join(_escape(c) for c in value) + "'"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{name(k)}: {literal(v)}" for k, v in value.items()) + "}"
    if isinstance(value, Sequence):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    raise TypeError(f"no Cypher literal for {type(value).__name__}")


def _escape(char: str) -> str:
    if char in _ESCAPES:
        return _ESCAPES[char]
    if ord(char) < 0x20 or 0x7F <= ord(char) < 0xA0 or char in "\u2028\u2029":
        return f"\\u{ord(char):04x}"
    return char


def name(text: str) -> str:
    """A property key, label or type as a Cypher name (backticked unless a plain identifier)."""
    return text if _IDENTIFIER.match(text) else "`" + text.replace("`", "``") + "`"


def _properties(item: Mapping[str, Any], map_id: str, skip: Iterable[str] = ()) -> dict[str, Any]:
    skipped = {"attributes", *skip}
    out: dict[str, Any] = {"mapId": map_id}
    out |= {k: v for k, v in item.items() if k not in skipped}
    out |= {f"attr:{k}": v for k, v in item.get("attributes", {}).items()}
    return out


def _batches(rows: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(rows), BATCH):
        yield rows[start : start + BATCH]


def export_cypher(m: StakeholderMap) -> str:
    """The script; every statement ends with ``;`` on its own line end (cypher-shell -f)."""
    data = map_to_data(m)
    map_id = literal(m.id)
    lines = [
        f"// graphsvc map {m.id!r}: {len(m.nodes)} nodes, {len(m.edges)} edges, "
        f"{len(m.sources)} sources.",
        "// Load with: cypher-shell -f FILE (or a driver, one statement at a time).",
        "// Running it again replaces this map's earlier copy; other maps are untouched.",
        "CREATE INDEX graphsvc_map_node IF NOT EXISTS FOR (n:MapNode) ON (n.mapId, n.id);",
        f"MATCH (n:MapNode {{mapId: {map_id}}}) DETACH DELETE n;",
        f"MATCH (s:MapSource {{mapId: {map_id}}}) DETACH DELETE s;",
        f"MATCH (g:Map {{id: {map_id}}}) DETACH DELETE g;",
        f"CREATE (g:Map) SET g = {literal(data['map'])};",
    ]
    sources = [_properties(s, m.id) for s in data["sources"]]
    for batch in _batches(sources):
        lines.append(f"UNWIND {literal(list(batch))} AS row CREATE (s:MapSource) SET s = row;")
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for node in data["nodes"]:
        by_kind.setdefault(node["kind"], []).append(_properties(node, m.id))
    for kind, rows in by_kind.items():
        for batch in _batches(rows):
            lines.append(
                f"UNWIND {literal(list(batch))} AS row CREATE (n:MapNode:{name(kind)}) SET n = row;"
            )
    edges_by_kind: dict[str, list[dict[str, Any]]] = {}
    for edge, plain in zip(m.edges, data["edges"], strict=True):
        props = _properties({**plain, "id": edge.id}, m.id, skip=("from", "to"))
        edges_by_kind.setdefault(edge.kind, []).append(
            {"from": edge.from_, "to": edge.to, "props": props}
        )
    for kind, rows in edges_by_kind.items():
        for batch in _batches(rows):
            lines.append(
                f"UNWIND {literal(list(batch))} AS row "
                f"MATCH (a:MapNode {{mapId: {map_id}, id: row.from}}) "
                f"MATCH (b:MapNode {{mapId: {map_id}, id: row.to}}) "
                f"CREATE (a)-[r:{name(kind)}]->(b) SET r = row.props;"
            )
    return "\n".join(lines) + "\n"

"""A Cypher script that loads a map into any Neo4j 5 (cypher-shell, Browser, or a driver).

The script writes the data model of graphsvc's own Neo4j store (graphsvc/store/neo4j.py), so
that a map loaded this way is a stored map like any other (``GRAPHSVC_STORE=neo4j graphsvc
analyze MAP`` works on it):

- the store's constraints (``schema/neo4j.cypher``), created if missing;
- ``(:GNode:<Kind> {mapId, gen, id, kind, name, tags, data, pos})`` per node and
  ``[:<EDGE_KIND> {mapId, gen, id, kind, data, pos}]`` per edge, where ``data`` is the element's
  JSON (every field and attribute), ``pos`` its place in the map, and ``gen`` a fresh
  generation (``randomUUID()``);
- one last statement swaps the map's ``(:GMap)`` to the new generation, bumps its
  ``(:GMapCounter)`` version and retires the previous generation, as ``save_map`` does; an
  interrupted run leaves the live map untouched, and running the script again replaces it.

To look at a map in Neo4j Browser: ``MATCH (g:GMap {id: 'MAP'}) MATCH (n:GNode {mapId: g.id,
gen: g.gen}) RETURN n``. Values are inlined as Cypher literals, never spliced as text: strings
are quoted and escaped, names backticked; a test loads the script into a real Neo4j and reads
the map back through the store.
"""

from __future__ import annotations

import hashlib
import json
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


def _json(model: Any) -> str:
    # The element JSON of the Neo4j store: every field, defaults and nulls left out.
    text: str = model.model_dump_json(exclude_defaults=True, exclude_none=True)
    return text


def _batches(rows: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(rows), BATCH):
        yield rows[start : start + BATCH]


def export_cypher(m: StakeholderMap) -> str:
    """The script; every statement ends with ``;`` at a line end (``cypher-shell -f FILE``)."""
    from graphsvc.store.cypher import schema_statements

    data = map_to_data(m)
    token = literal(hashlib.sha1(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16])
    map_id = literal(m.id)
    staging = f"MATCH (s:GStage {{script: {token}, state: 'staging'}})"
    stage = f"{staging} SET s.touchedAt = timestamp() WITH s.gen AS gen"
    lines = [
        f"// graphsvc map {m.id!r}: {len(m.nodes)} nodes, {len(m.edges)} edges, "
        f"{len(m.sources)} sources; the data model of graphsvc's Neo4j store.",
        "// Load with: cypher-shell -f FILE (or run the statements in order, one at a time).",
        *(f"{statement};" for statement in schema_statements()),
        "// An earlier, interrupted run of this script: its generation is collected later.",
        f"MATCH (s:GStage {{mapId: {map_id}, script: {token}, state: 'staging'}}) "
        "SET s.state = 'retired', s.script = null;",
        f"CREATE (:GStage {{gen: randomUUID(), mapId: {map_id}, state: 'staging', "
        f"touchedAt: timestamp(), script: {token}}});",
    ]
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for pos, node in enumerate(m.nodes):
        row = {"id": node.id, "kind": node.kind, "name": node.name, "tags": list(node.tags)}
        by_kind.setdefault(node.kind, []).append({**row, "data": _json(node), "pos": pos})
    for kind, rows in by_kind.items():
        for batch in _batches(rows):
            lines.append(
                f"{stage} UNWIND {literal(list(batch))} AS row "
                f"CREATE (:GNode:{name(kind)} {{mapId: {map_id}, gen: gen, id: row.id, "
                "kind: row.kind, name: row.name, tags: row.tags, data: row.data, pos: row.pos});"
            )
    edges_by_kind: dict[str, list[dict[str, Any]]] = {}
    for pos, edge in enumerate(m.edges):
        row = {"id": edge.id, "kind": edge.kind, "source": edge.from_, "target": edge.to}
        edges_by_kind.setdefault(edge.kind, []).append({**row, "data": _json(edge), "pos": pos})
    for kind, rows in edges_by_kind.items():
        for batch in _batches(rows):
            lines.append(
                f"{stage} UNWIND {literal(list(batch))} AS row "
                f"MATCH (a:GNode {{mapId: {map_id}, gen: gen, id: row.source}}) "
                f"MATCH (b:GNode {{mapId: {map_id}, gen: gen, id: row.target}}) "
                f"CREATE (a)-[:{name(kind)} {{mapId: {map_id}, gen: gen, id: row.id, "
                "kind: row.kind, data: row.data, pos: row.pos}]->(b);"
            )
    sources = "[" + ",".join(_json(s) for s in m.sources) + "]"
    meta = {
        "meta": _json(m.meta),
        "sources": sources,
        "title": m.meta.title,
        "description": m.meta.description,
        "tags": list(m.meta.tags),
        "nodeCount": len(m.nodes),
        "edgeCount": len(m.edges),
        "nextNodePos": len(m.nodes),
        "nextEdgePos": len(m.edges),
    }
    lines += [
        "// Take the new generation live and retire the previous one, in one transaction.",
        f"{staging} WITH s, s.gen AS gen DELETE s "
        f"MERGE (c:GMapCounter {{id: {map_id}}}) ON CREATE SET c.version = 0 "
        "SET c.version = c.version + 1 "
        f"MERGE (g:GMap {{id: {map_id}}}) WITH g, c, gen, g.gen AS oldGen "
        "SET g.gen = gen, g.version = c.version, "
        "g.updatedAt = replace(toString(datetime.truncate('second', datetime())), 'Z', '+00:00'), "
        + ", ".join(f"g.{key} = {literal(value)}" for key, value in meta.items())
        + " WITH oldGen WHERE oldGen IS NOT NULL "
        f"CREATE (:GStage {{gen: oldGen, mapId: {map_id}, state: 'retired', "
        "touchedAt: timestamp()});",
    ]
    return "\n".join(lines) + "\n"

"""The Cypher of the Neo4j store: every statement, read once from ``queries/*.cypher``.

Statements take values only as parameters. Labels and relationship types cannot be
parameters, so a statement may hold placeholders that are filled from the kind enums, never
from input: ``<KIND>`` (one NodeKind or EdgeKind member), ``<NODE_KINDS>`` (every node label,
``A:B:...``) and ``<EDGE_KINDS>`` (every relationship type, ``A|B|...``).
"""

from __future__ import annotations

import re
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import LiteralString

from graphsvc import resources
from graphsvc.domain.kinds import EdgeKind, NodeKind

QUERIES_DIR = resources.QUERIES_DIR
SCHEMA_FILE = resources.SCHEMA_DIR / "neo4j.cypher"

PLACEHOLDER = re.compile(r"<([A-Z_]+)>")
_FILLS = {
    "NODE_KINDS": ":".join(NodeKind),
    "EDGE_KINDS": "|".join(EdgeKind),
}


class Cypher(StrEnum):
    """The name of every statement; each is the file ``queries/<name>.cypher``."""

    PING = "ping"
    LIST_MAPS = "list_maps"
    MAP_INFO = "map_info"
    MAP_HEAD = "map_head"
    NODES_ALL = "nodes_all"
    EDGES_ALL = "edges_all"
    STAGE_OPEN = "stage_open"
    STAGE_TOUCH = "stage_touch"
    NODES_CREATE = "nodes_create"
    EDGES_CREATE = "edges_create"
    COUNTER_NEXT = "counter_next"
    STAGE_CLAIM = "stage_claim"
    STAGE_ABANDON = "stage_abandon"
    MAP_PUT = "map_put"
    MAP_DELETE = "map_delete"
    STAGES_GARBAGE = "stages_garbage"
    GENERATION_DELETE = "generation_delete"
    STAGE_DROP = "stage_drop"
    MAP_BUMP = "map_bump"
    META_UPDATE = "meta_update"
    NODE_UPSERT = "node_upsert"
    NODE_DELETE = "node_delete"
    EDGE_DELETE = "edge_delete"
    EDGE_PUT = "edge_put"
    NODES_GET = "nodes_get"
    EDGES_GET = "edges_get"
    EDGES_TOUCHING = "edges_touching"
    NEIGHBORHOOD_NEAR = "neighborhood_near"
    NEIGHBORHOOD_RING = "neighborhood_ring"
    NODES_FIND = "nodes_find"
    EDGES_FIND = "edges_find"
    MAP_LOCK = "map_lock"
    CHANGE_APPEND = "change_append"
    CHANGE_LIST = "change_list"
    TOKEN_ADD = "token_add"
    TOKEN_GET = "token_get"
    TOKEN_ALL = "token_all"
    TOKEN_REVOKE = "token_revoke"
    TOKEN_ANY_ACTIVE = "token_any_active"


class MissingCypher(RuntimeError):
    """A statement file the store needs is not there (a broken installation)."""


@cache
def _texts(folder: Path = QUERIES_DIR) -> dict[Cypher, str]:
    texts: dict[Cypher, str] = {}
    missing = []
    for name in Cypher:
        path = folder / f"{name.value}.cypher"
        try:
            texts[name] = path.read_text(encoding="utf-8")
        except OSError:
            missing.append(str(path))
    if missing:
        raise MissingCypher("missing Cypher statements: " + ", ".join(missing))
    return texts


@cache
def statement(name: Cypher, kind: NodeKind | EdgeKind | None = None) -> LiteralString:
    """The text of a statement, its placeholders filled from the kind enums."""
    if kind is not None and not isinstance(kind, NodeKind | EdgeKind):
        raise TypeError(f"a label must be a NodeKind or EdgeKind member, not {kind!r}")
    fills = dict(_FILLS)
    if kind is not None:
        fills["KIND"] = kind.value

    def fill(match: re.Match[str]) -> str:
        key = match.group(1)
        if key not in fills:
            raise ValueError(f"statement {name.value!r} needs <{key}>, which was not given")
        return fills[key]

    # A literal in all but name: the only text not read from our own files is an enum value.
    # (mypy treats LiteralString as str, which is what the driver's signature needs here.)
    return PLACEHOLDER.sub(fill, _texts()[name])


def schema_statements(path: Path = SCHEMA_FILE) -> list[LiteralString]:
    """The constraint and index statements of ``schema/neo4j.cypher``, in order."""
    lines = [
        line
        for line in path.read_text(encoding="utf-8").splitlines()
        if not line.lstrip().startswith("//")
    ]
    parts = (part.strip() for part in "\n".join(lines).split(";"))
    return [part for part in parts if part]

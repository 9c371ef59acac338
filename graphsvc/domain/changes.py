"""Change sets: edits to a map, applied to a copy for scenarios, recommendations and the API.

A change set is a list of changes, each discriminated by ``op``:

- ``{"op": "upsertNode", "node": {...}}`` — add a node, or replace the node with that id;
- ``{"op": "deleteNode", "id": "..."}`` — remove a node and every edge that touches it;
- ``{"op": "upsertEdge", "edge": {...}}`` — add an edge, or replace the edge with that id, or
  else the edge of the same kind between the same two nodes;
- ``{"op": "deleteEdge", "id": "..."}`` — remove an edge (its derived id ``FROM--KIND--TO``
  works for edges given without one);
- ``{"op": "setFields", "node": "...", "fields": {...}}`` (or ``"edge": "..."``) — change some
  fields of one element in place, keys in file spelling (``capacityPerMonth``); a null value
  clears a field back to its default. ``id``, ``kind``, ``from`` and ``to`` cannot be set.

Changes apply in order. The result is checked with the rules of map files; every problem is
reported at once with a path into the change set (``changes[2].edge.to``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, model_validator

from graphsvc.domain.integrity import integrity_problems
from graphsvc.domain.mapfile import _message, _strip_tag
from graphsvc.domain.model import (
    EDGE_ADAPTER,
    NODE_ADAPTER,
    AnyEdge,
    AnyNode,
    Edge,
    Node,
    Slug,
    StakeholderMap,
    derived_edge_id,
)
from graphsvc.errors import InvalidInput, Problem

FIXED_FIELDS = frozenset({"id", "kind", "from", "to"})


class _Change(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class UpsertNode(_Change):
    """Add a node, or replace the node with the same id."""

    op: Literal["upsertNode"] = "upsertNode"
    node: Node


class DeleteNode(_Change):
    """Remove a node and every edge that touches it."""

    op: Literal["deleteNode"] = "deleteNode"
    id: Slug


class UpsertEdge(_Change):
    """Add an edge, or replace the edge with the same id or the same (kind, from, to)."""

    op: Literal["upsertEdge"] = "upsertEdge"
    edge: Edge


class DeleteEdge(_Change):
    """Remove one edge by id."""

    op: Literal["deleteEdge"] = "deleteEdge"
    id: str


class SetFields(_Change):
    """Change some fields of one node or edge; a null value clears the field."""

    op: Literal["setFields"] = "setFields"
    node: Slug | None = None
    edge: str | None = None
    fields: dict[str, Any]

    @model_validator(mode="after")
    def _one_target(self) -> SetFields:
        if (self.node is None) == (self.edge is None):
            raise ValueError("give exactly one of 'node' and 'edge'")
        fixed = sorted(FIXED_FIELDS & self.fields.keys())
        if fixed:
            raise ValueError(f"cannot set {', '.join(map(repr, fixed))} (delete and add instead)")
        return self


Change = Annotated[
    UpsertNode | DeleteNode | UpsertEdge | DeleteEdge | SetFields, Field(discriminator="op")
]
AnyChange = UpsertNode | DeleteNode | UpsertEdge | DeleteEdge | SetFields
ChangeSet = list[Change]
CHANGE_ADAPTER: TypeAdapter[AnyChange] = TypeAdapter(Change)
CHANGE_SET_ADAPTER: TypeAdapter[list[AnyChange]] = TypeAdapter(ChangeSet)


def parse_changes(data: Any, *, root: str = "changes") -> list[AnyChange]:
    """Validate plain data (a list of change objects) as a change set.

    >>> parse_changes([{"op": "deleteNode", "id": "m1"}])
    [DeleteNode(op='deleteNode', id='m1')]
    >>> parse_changes([{"op": "deleteNode"}])
    Traceback (most recent call last):
    ...
    graphsvc.errors.InvalidInput: 1 problem found
      changes[0].id: missing required field 'id'
    """
    if not isinstance(data, list):
        raise InvalidInput([Problem("a change set must be a list of changes", root)])
    problems: list[Problem] = []
    out: list[AnyChange] = []
    for index, item in enumerate(data):
        if isinstance(item, _Change):
            out.append(item)  # type: ignore[arg-type]
            continue
        try:
            out.append(CHANGE_ADAPTER.validate_python(item))
        except ValidationError as exc:
            for error in exc.errors(include_url=False):
                loc = _strip_op(error["loc"], item)
                path = _join(f"{root}[{index}]", loc)
                problems.append(Problem(_message(error, loc), path, value=_input(error)))
    if problems:
        raise InvalidInput(problems)
    return out


def dump_changes(changes: Sequence[AnyChange]) -> list[dict[str, Any]]:
    """Plain JSON-ready data of a change set, in the shape :func:`parse_changes` reads."""
    return [
        c.model_dump(mode="json", by_alias=True, exclude_none=True, exclude_defaults=False)
        for c in changes
    ]


# --- change data ---------------------------------------------------------------------------
# Plain JSON-shaped changes, for code that proposes many of them (recommendations): building
# a validated model per change costs more than the analysis that proposes it, and
# apply_changes validates them anyway when they are used.

ChangeData = dict[str, Any]


def upsert_edge(source: str, kind: str, target: str, **fields: Any) -> ChangeData:
    """``{"op": "upsertEdge", ...}``; ``fields`` in file spelling (``authority="BINDING"``)."""
    return {"op": "upsertEdge", "edge": {"from": source, "kind": kind, "to": target, **fields}}


def upsert_node(node: Mapping[str, Any]) -> ChangeData:
    return {"op": "upsertNode", "node": dict(node)}


def set_node_fields(node_id: str, **fields: Any) -> ChangeData:
    return {"op": "setFields", "node": node_id, "fields": fields}


def set_edge_fields(edge_id: str, **fields: Any) -> ChangeData:
    return {"op": "setFields", "edge": edge_id, "fields": fields}


def delete_edge(edge_id: str) -> ChangeData:
    return {"op": "deleteEdge", "id": edge_id}


def delete_node(node_id: str) -> ChangeData:
    return {"op": "deleteNode", "id": node_id}


def apply_changes(
    m: StakeholderMap, changes: Sequence[AnyChange | Mapping[str, Any]], *, root: str = "changes"
) -> StakeholderMap:
    """A new map: ``m`` with ``changes`` applied in order (``m`` itself is not modified).

    >>> from graphsvc.domain.mapfile import load_map_text
    >>> m = load_map_text('''
    ... map: {id: t}
    ... nodes:
    ...   - {id: s, kind: AISystem, name: S}
    ...   - {id: c, kind: AffectedCommunity, name: C}
    ... ''')
    >>> new = apply_changes(m, [{"op": "upsertEdge", "edge": {"from": "s", "kind": "AFFECTS",
    ...                                                    "to": "c"}}])
    >>> [e.id for e in new.edges], len(m.edges)
    (['s--AFFECTS--c'], 0)
    >>> apply_changes(m, [{"op": "upsertEdge", "edge": {"from": "c", "kind": "AFFECTS",
    ...                                                 "to": "s"}}])
    Traceback (most recent call last):
    ...
    graphsvc.errors.InvalidInput: 2 problems found
      changes[0].edge.from: AFFECTS cannot start at AffectedCommunity 'c' (allowed: AISystem)
      changes[0].edge.to: AFFECTS cannot end at AISystem 's' (allowed: AffectedCommunity, UserGroup)
    """
    parsed = parse_changes(
        list(changes) if isinstance(changes, list | tuple) else changes, root=root
    )
    problems: list[Problem] = []
    # Each element keeps where it came from, so integrity problems point at the change.
    nodes: dict[str, tuple[AnyNode, str]] = {
        n.id: (n, f"nodes[{i}]") for i, n in enumerate(m.nodes)
    }
    edges: dict[str, tuple[AnyEdge, str]] = {
        e.id: (e, f"edges[{i}]") for i, e in enumerate(m.edges)
    }
    for index, change in enumerate(parsed):
        where = f"{root}[{index}]"
        if isinstance(change, UpsertNode):
            nodes[change.node.id] = (change.node, f"{where}.node")
        elif isinstance(change, DeleteNode):
            if nodes.pop(change.id, None) is None:
                problems.append(
                    Problem(f"unknown node {change.id!r}", f"{where}.id", value=change.id)
                )
            edges = {k: v for k, v in edges.items() if change.id not in (v[0].from_, v[0].to)}
        elif isinstance(change, UpsertEdge):
            edge = change.edge
            if edge.id not in edges:
                twin = derived_edge_id(edge.from_, edge.kind, edge.to)
                for key, (old, _) in edges.items():
                    if derived_edge_id(old.from_, old.kind, old.to) == twin:
                        del edges[key]
                        break
            edges[edge.id] = (edge, f"{where}.edge")
        elif isinstance(change, DeleteEdge):
            if edges.pop(change.id, None) is None:
                problems.append(
                    Problem(f"unknown edge {change.id!r}", f"{where}.id", value=change.id)
                )
        else:
            problems.extend(_set_fields(change, where, nodes, edges))
    if problems:
        raise InvalidInput(problems)
    node_list = list(nodes.values())
    edge_list = list(edges.values())
    origin = {
        **{f"nodes[{i}]": o for i, (_, o) in enumerate(node_list)},
        **{f"edges[{i}]": o for i, (_, o) in enumerate(edge_list)},
    }
    found = integrity_problems(
        list(enumerate(m.sources)),
        [(i, n) for i, (n, _) in enumerate(node_list)],
        [(i, e) for i, (e, _) in enumerate(edge_list)],
        raw_source_ids=[(i, s.id) for i, s in enumerate(m.sources)],
        raw_node_ids=[(i, n.id) for i, (n, _) in enumerate(node_list)],
    )
    for problem in found:
        head = re.match(r"^(nodes|edges)\[\d+\]", problem.path)
        path = problem.path
        if head:
            path = origin[head.group(0)] + problem.path[head.end() :]
        problems.append(Problem(_renumber(problem.message, origin), path, value=problem.value))
    if problems:
        raise InvalidInput(problems)
    return StakeholderMap.model_validate(
        {
            "map": m.meta,
            "sources": list(m.sources),
            "nodes": [n for n, _ in node_list],
            "edges": [e for e, _ in edge_list],
        }
    )


def _set_fields(
    change: SetFields,
    where: str,
    nodes: dict[str, tuple[AnyNode, str]],
    edges: dict[str, tuple[AnyEdge, str]],
) -> list[Problem]:
    table: dict[str, Any] = nodes if change.node is not None else edges
    target = change.node if change.node is not None else change.edge
    section = "node" if change.node is not None else "edge"
    assert target is not None
    if target not in table:
        return [Problem(f"unknown {section} {target!r}", f"{where}.{section}", value=target)]
    current, _ = table[target]
    data = current.model_dump(mode="json", by_alias=True, exclude_none=True)
    for key, value in change.fields.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    adapter: TypeAdapter[Any] = NODE_ADAPTER if section == "node" else EDGE_ADAPTER
    try:
        table[target] = (adapter.validate_python(data), f"{where}.fields")
    except ValidationError as exc:
        return [
            Problem(
                _message(error, error["loc"][1:]),
                _join(f"{where}.fields", error["loc"][1:]),
                value=_input(error),
            )
            for error in exc.errors(include_url=False)
        ]
    return []


def _strip_op(loc: tuple[int | str, ...], item: Any) -> tuple[int | str, ...]:
    # The union puts the op (and for nested nodes/edges the kind) into the location.
    if loc and isinstance(item, Mapping) and loc[0] == item.get("op"):
        loc = loc[1:]
        if len(loc) >= 2 and loc[0] in ("node", "edge"):
            inner = item.get(str(loc[0]))
            loc = (loc[0], *_strip_tag(loc[1:], inner))
    return loc


def _input(error: Any) -> Any:
    # Whole-object errors (a rule across fields) would echo the whole change; leave it out.
    if error["type"] in {"missing", "value_error", "model_type"}:
        return None
    return error.get("input")


def _join(head: str, loc: Sequence[int | str]) -> str:
    out = head
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def _renumber(message: str, origin: Mapping[str, str]) -> str:
    # "first is edges[3]" refers to a position in the merged list; name its origin instead.
    return re.sub(r"(nodes|edges)\[\d+\]", lambda g: origin.get(g.group(0), g.group(0)), message)


__all__ = [
    "AnyChange",
    "Change",
    "ChangeData",
    "ChangeSet",
    "DeleteEdge",
    "DeleteNode",
    "SetFields",
    "UpsertEdge",
    "UpsertNode",
    "apply_changes",
    "delete_edge",
    "delete_node",
    "dump_changes",
    "parse_changes",
    "set_edge_fields",
    "set_node_fields",
    "upsert_edge",
    "upsert_node",
]

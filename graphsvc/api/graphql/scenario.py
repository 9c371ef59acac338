"""Scenarios in GraphQL: ``ChangeInput`` mirrors the change-set model of
:mod:`graphsvc.domain.changes` as a one-of input (exactly one field per change)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import strawberry
from strawberry.scalars import JSON

from graphsvc.api.graphql.inputs import EdgeInput, NodeInput, as_file_data
from graphsvc.errors import InvalidInput, Problem

#: GraphQL field of ChangeInput → (op of the change set, key the element goes under).
OPS = {
    "upsert_node": ("upsertNode", "node"),
    "delete_node": ("deleteNode", "id"),
    "upsert_edge": ("upsertEdge", "edge"),
    "delete_edge": ("deleteEdge", "id"),
    "set_node_fields": ("setFields", "node"),
    "set_edge_fields": ("setFields", "edge"),
}


@strawberry.input(description="Some fields of one node or edge; a null value clears a field.")
class SetFieldsInput:
    id: strawberry.ID
    fields: JSON = strawberry.field(description="Keys in map-file spelling (capacityPerMonth).")


@strawberry.input(one_of=True, description="One change of a change set; give exactly one field.")
class ChangeInput:
    upsert_node: NodeInput | None = strawberry.UNSET
    delete_node: strawberry.ID | None = strawberry.UNSET
    upsert_edge: EdgeInput | None = strawberry.UNSET
    delete_edge: strawberry.ID | None = strawberry.UNSET
    set_node_fields: SetFieldsInput | None = strawberry.UNSET
    set_edge_fields: SetFieldsInput | None = strawberry.UNSET


def _given(change: ChangeInput) -> tuple[str, Any]:
    for name in OPS:
        value = getattr(change, name)
        if value is not None and value is not strawberry.UNSET:
            return name, value
    raise AssertionError("one_of guarantees one field")  # pragma: no cover


def to_change_set(changes: Sequence[ChangeInput]) -> list[dict[str, Any]]:
    """GraphQL changes as change-set data for :func:`graphsvc.domain.changes.apply_changes`."""
    out: list[dict[str, Any]] = []
    for change in changes:
        name, value = _given(change)
        op, key = OPS[name]
        if isinstance(value, NodeInput | EdgeInput):
            out.append({"op": op, key: as_file_data(value)})
        elif isinstance(value, SetFieldsInput):
            if not isinstance(value.fields, dict):
                raise InvalidInput([Problem("must be an object", f"changes[{len(out)}].fields")])
            out.append({"op": op, key: value.id, "fields": value.fields})
        else:
            out.append({"op": op, "id": value})
    return out


def to_change_inputs(change_set: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Change-set data (as recommendations carry it) in the shape of ``[ChangeInput!]``."""
    out: list[dict[str, Any]] = []
    for change in change_set:
        op = change["op"]
        if op == "setFields":
            which = "node" if change.get("node") is not None else "edge"
            field = "setNodeFields" if which == "node" else "setEdgeFields"
            out.append({field: {"id": change[which], "fields": change["fields"]}})
        elif op in ("deleteNode", "deleteEdge"):
            out.append({op: change["id"]})
        else:
            element = dict(change["node" if op == "upsertNode" else "edge"])
            out.append({op: element})
    return out


_CHANGE = re.compile(r"^changes\[(\d+)\](?:\.(node|edge|id|fields))?")


def relocate(problem: Problem, change_set: Sequence[dict[str, Any]]) -> Problem:
    """``changes[2].node.name`` (change-set path) → ``changes[2].upsertNode.name`` (GraphQL)."""

    def graphql_path(match: re.Match[str]) -> str:
        index = int(match.group(1))
        if index >= len(change_set):
            return match.group(0)
        change, part = change_set[index], match.group(2)
        op = change["op"]
        if op == "setFields":
            name = "setNodeFields" if change.get("node") is not None else "setEdgeFields"
            return f"changes[{index}].{name}" + (".fields" if part == "fields" else ".id")
        return f"changes[{index}].{op}"

    path = _CHANGE.sub(graphql_path, problem.path)
    return Problem(problem.message, path, problem.file, problem.line, problem.value)


@strawberry.type(description="A finding a scenario resolves, introduces or changes.")
class FindingChange:
    key: str
    section: str = strawberry.field(description="The report list it belongs to.")
    before: JSON | None
    after: JSON | None

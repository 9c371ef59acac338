"""Change sets: each operation, validation with paths into the change set, no mutation."""

from __future__ import annotations

from typing import Any

import pytest

from graphsvc.domain.changes import (
    DeleteNode,
    UpsertEdge,
    apply_changes,
    dump_changes,
    parse_changes,
    upsert_edge,
)
from graphsvc.errors import InvalidInput
from tests.factories import build_map, edge, node

MAP = build_map(
    [node("s1"), node("o1"), node("c1"), node("m1", capacityPerMonth=5)],
    [edge("o1", "DEPLOYS", "s1"), edge("s1", "AFFECTS", "c1", severity="LOW")],
)


def problems(changes: list[Any]) -> list[tuple[str, str]]:
    with pytest.raises(InvalidInput) as caught:
        apply_changes(MAP, changes)
    return [(p.path, p.message) for p in caught.value.problems]


def test_upsert_and_delete_nodes_and_edges() -> None:
    new = apply_changes(
        MAP,
        [
            {"op": "upsertNode", "node": {"id": "m2", "kind": "Mechanism", "name": "Desk"}},
            upsert_edge("c1", "CAN_CONTEST_VIA", "m2"),
            {"op": "upsertNode", "node": {"id": "o1", "kind": "Organization", "name": "Renamed"}},
            {"op": "deleteEdge", "id": "o1--DEPLOYS--s1"},
            {"op": "deleteNode", "id": "m1"},
        ],
    )
    assert [n.id for n in new.nodes] == ["s1", "o1", "c1", "m2"]
    assert new.node("o1") is not None and new.node("o1").name == "Renamed"  # type: ignore[union-attr]
    assert [e.id for e in new.edges] == ["s1--AFFECTS--c1", "c1--CAN_CONTEST_VIA--m2"]
    assert [e.id for e in MAP.edges] == ["o1--DEPLOYS--s1", "s1--AFFECTS--c1"]  # untouched


def test_delete_node_removes_its_edges() -> None:
    new = apply_changes(MAP, [DeleteNode(id="s1")])
    assert new.edges == []


def test_upsert_edge_replaces_the_same_kind_between_the_same_nodes() -> None:
    new = apply_changes(MAP, [upsert_edge("s1", "AFFECTS", "c1", severity="HIGH", id="harm")])
    assert [(e.id, getattr(e, "severity", None)) for e in new.edges][1] == ("harm", "HIGH")
    assert len(new.edges) == 2


def test_set_fields_and_clear_with_null() -> None:
    new = apply_changes(
        MAP,
        [
            {"op": "setFields", "node": "m1", "fields": {"capacityPerMonth": None, "accessibility": 0.5}},
            {"op": "setFields", "edge": "s1--AFFECTS--c1", "fields": {"severity": "CRITICAL"}},
        ],
    )  # fmt: skip
    m1 = new.node("m1")
    assert m1 is not None and m1.capacity_per_month is None and m1.accessibility == 0.5  # type: ignore[union-attr]
    assert new.edges[1].severity == "CRITICAL"  # type: ignore[union-attr]


def test_every_problem_reported_with_its_change_path() -> None:
    assert problems(
        [
            {"op": "upsertNode", "node": {"id": "m2", "kind": "Mechanism", "name": "M", "accessibility": 2}},
            {"op": "upsertEdge", "edge": {"from": "c1", "kind": "CAN_CONTEST_VIA"}},
            {"op": "rename", "id": "x"},
            {"op": "setFields", "node": "m1", "fields": {"id": "m9"}},
        ]
    ) == [
        ("changes[0].node.accessibility", "input should be less than or equal to 1"),
        ("changes[1].edge.to", "missing required field 'to'"),
        ("changes[2]", "unknown kind None (expected one of 'upsertNode', 'deleteNode', "
                       "'upsertEdge', 'deleteEdge', 'setFields')"),
        ("changes[3]", "cannot set 'id' (delete and add instead)"),
    ]  # fmt: skip


def test_integrity_problems_point_at_the_change() -> None:
    assert problems(
        [
            {"op": "deleteEdge", "id": "nope"},
            upsert_edge("c1", "CAN_CONTEST_VIA", "ghost"),
            upsert_edge("c1", "DEPLOYS", "s1"),
            {"op": "setFields", "node": "m1", "fields": {"capacityPerMonth": -1}},
        ]
    ) == [
        ("changes[0].id", "unknown edge 'nope'"),
        ("changes[3].fields.capacityPerMonth", "input should be greater than or equal to 0"),
    ]
    assert problems([upsert_edge("c1", "CAN_CONTEST_VIA", "ghost"), upsert_edge("c1", "DEPLOYS", "s1")]) == [
        ("changes[0].edge.to", "unknown node 'ghost'"),
        ("changes[1].edge.from", "DEPLOYS cannot start at AffectedCommunity 'c1' "
                                 "(allowed: Organization, OversightBody)"),
    ]  # fmt: skip


def test_changing_a_kind_breaks_existing_edges_and_says_where() -> None:
    found = problems([{"op": "upsertNode", "node": {"id": "o1", "kind": "UserGroup", "name": "O"}}])
    assert found == [
        (
            "edges[0].from",
            "DEPLOYS cannot start at UserGroup 'o1' (allowed: Organization, OversightBody)",
        )
    ]


def test_not_a_list() -> None:
    assert problems({"op": "deleteNode"}) == [("changes", "a change set must be a list of changes")]  # type: ignore[arg-type]


def test_parse_and_dump_round_trip() -> None:
    data = [upsert_edge("c1", "CAN_CONTEST_VIA", "m1"), {"op": "deleteNode", "id": "m1"}]
    parsed = parse_changes(data)
    assert isinstance(parsed[0], UpsertEdge)
    assert parse_changes(dump_changes(parsed)) == parsed

"""Mutations through the real app: validated like map files, all or nothing, versioned."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from graphsvc.domain.mapfile import dump_map
from tests.api_support import small_map

if TYPE_CHECKING:
    from tests.api_fixtures import Client

pytest_plugins = ["tests.api_fixtures"]
pytestmark = pytest.mark.anyio

UPSERT_NODE = """
mutation($input: NodeInput!, $expected: Int) {
  upsertNode(mapId: "small", input: $input, expectedVersion: $expected) {
    version created node { id kind name ... on Mechanism { capacityPerMonth } }
  }
}
"""
UPSERT_EDGE = """
mutation($input: EdgeInput!, $expected: Int) {
  upsertEdge(mapId: "small", input: $input, expectedVersion: $expected) {
    version created edge { id kind from { id } to { id } severity }
  }
}
"""


async def version(client: Client) -> int:
    data = await client.data('{ map(id: "small") { version } }')
    result: int = data["map"]["version"]
    return result


async def test_upsert_node_creates_then_replaces(client: Client, small: str) -> None:
    start = await version(client)
    mech = {"id": "m2", "kind": "Mechanism", "name": "Ombudsman", "capacityPerMonth": 5}
    created = (await client.data(UPSERT_NODE, {"input": mech}))["upsertNode"]
    assert created == {
        "version": start + 1,
        "created": True,
        "node": {"id": "m2", "kind": "Mechanism", "name": "Ombudsman", "capacityPerMonth": 5.0},
    }
    again = {**mech, "name": "Ombudsman office", "capacityPerMonth": None}
    replaced = await client.data(UPSERT_NODE, {"input": again, "expected": start + 1})
    assert replaced["upsertNode"]["created"] is False
    assert replaced["upsertNode"]["node"]["capacityPerMonth"] is None  # every field replaced
    assert await version(client) == start + 2


async def test_invalid_node_reports_every_problem_and_changes_nothing(
    client: Client, small: str
) -> None:
    start = await version(client)
    bad = {"id": "m2", "kind": "Mechanism", "name": "", "accessibility": 3, "sector": "PRIVATE"}
    error = await client.error(UPSERT_NODE, {"input": bad})
    assert error["extensions"]["code"] == "INVALID_INPUT"
    problems = {p["path"]: p for p in error["extensions"]["problems"]}
    assert set(problems) == {"input.name", "input.accessibility", "input.sector"}
    assert "unknown key 'sector'" in problems["input.sector"]["message"]
    assert await version(client) == start
    missing = await client.data('{ nodes(mapId: "small", search: "m2") { totalCount } }')
    assert missing["nodes"]["totalCount"] == 0


async def test_bad_slug_and_unknown_source_are_reported_with_paths(
    client: Client, small: str
) -> None:
    bad = {"id": "Not A Slug", "kind": "Organization", "name": "X"}
    error = await client.error(UPSERT_NODE, {"input": bad})
    assert [p["path"] for p in error["extensions"]["problems"]] == ["input.id"]
    unsourced = {"id": "o9", "kind": "Organization", "name": "X", "sources": ["nowhere"]}
    error = await client.error(UPSERT_NODE, {"input": unsourced})
    assert [p["path"] for p in error["extensions"]["problems"]] == ["input.sources[0]"]


async def test_changing_a_kind_that_breaks_other_edges_names_them(
    client: Client, small: str
) -> None:
    error = await client.error(
        UPSERT_NODE, {"input": {"id": "o1", "kind": "AffectedCommunity", "name": "O1"}}
    )
    paths = sorted(p["path"] for p in error["extensions"]["problems"])
    assert paths == ["edges[m1--HANDLED_BY--o1].to", "edges[o1--DEPLOYS--s1].from"]


async def test_upsert_edge_validates_endpoints(client: Client, small: str) -> None:
    start = await version(client)
    error = await client.error(
        UPSERT_EDGE, {"input": {"kind": "AFFECTS", "from": "c1", "to": "nowhere"}}
    )
    problems = {p["path"]: p["message"] for p in error["extensions"]["problems"]}
    assert problems == {
        "input.from": "AFFECTS cannot start at AffectedCommunity 'c1' (allowed: AISystem)",
        "input.to": "unknown node 'nowhere'",
    }
    assert await version(client) == start


async def test_upsert_edge_creates_and_updates_the_same_connection(
    client: Client, small: str
) -> None:
    edge = {"kind": "CAN_CONTEST_VIA", "from": "c2", "to": "m1"}
    created = (await client.data(UPSERT_EDGE, {"input": edge}))["upsertEdge"]
    assert created["created"] is True
    assert created["edge"]["id"] == "c2--CAN_CONTEST_VIA--m1"
    # The same (kind, from, to) without an id updates that edge, with its id kept.
    affects = {"kind": "AFFECTS", "from": "s1", "to": "c2", "severity": "HIGH"}
    updated = (await client.data(UPSERT_EDGE, {"input": affects}))["upsertEdge"]
    assert updated["created"] is False
    assert updated["edge"]["severity"] == "HIGH"
    # A different explicit id for an existing connection is refused.
    error = await client.error(UPSERT_EDGE, {"input": {**affects, "id": "other"}})
    assert [p["path"] for p in error["extensions"]["problems"]] == ["input.id"]


async def test_delete_node_removes_its_edges(client: Client, small: str) -> None:
    data = await client.data(
        'mutation { deleteNode(mapId: "small", id: "m1") { id version removedEdges } }'
    )
    assert data["deleteNode"]["removedEdges"] == ["c1--CAN_CONTEST_VIA--m1", "m1--HANDLED_BY--o1"]
    left = await client.data('{ map(id: "small") { nodeCount edgeCount } }')
    assert left["map"] == {"nodeCount": 4, "edgeCount": 3}


async def test_delete_edge_and_unknown_ids(client: Client, small: str) -> None:
    data = await client.data(
        'mutation { deleteEdge(mapId: "small", id: "s1--AFFECTS--c2") { id version } }'
    )
    assert data["deleteEdge"]["id"] == "s1--AFFECTS--c2"
    for mutation in (
        'mutation { deleteEdge(mapId: "small", id: "s1--AFFECTS--c2") { id } }',
        'mutation { deleteNode(mapId: "small", id: "ghost") { id } }',
        'mutation { deleteNode(mapId: "ghost", id: "m1") { id } }',
        'mutation { deleteMap(id: "ghost") { id } }',
    ):
        assert (await client.error(mutation))["extensions"]["code"] == "NOT_FOUND"


async def test_stale_expected_version_is_a_conflict(client: Client, small: str) -> None:
    start = await version(client)
    node = {"id": "o2", "kind": "Organization", "name": "O2"}
    await client.data(UPSERT_NODE, {"input": node, "expected": start})
    error = await client.error(UPSERT_NODE, {"input": node, "expected": start})
    assert error["extensions"]["code"] == "CONFLICT"
    assert await version(client) == start + 1


async def test_a_mutation_invalidates_the_cached_analysis(client: Client, small: str) -> None:
    query = '{ analysis(mapId: "small") { withoutContestPath { id } } }'
    assert (await client.data(query))["analysis"]["withoutContestPath"] == [{"id": "c2"}]
    await client.data(UPSERT_EDGE, {"input": {"kind": "CAN_CONTEST_VIA", "from": "c2", "to": "m1"}})
    assert (await client.data(query))["analysis"]["withoutContestPath"] == []


IMPORT = """
mutation($document: String!, $format: MapFormat, $replace: Boolean) {
  importMap(document: $document, format: $format, replace: $replace) { id version nodeCount }
}
"""


@pytest.mark.parametrize("fmt", ["YAML", "JSON", None])
async def test_import_map_document(client: Client, fmt: str | None) -> None:
    text = dump_map(small_map("imported"), "json" if fmt == "JSON" else "yaml")
    data = await client.data(IMPORT, {"document": text, "format": fmt})
    assert data["importMap"]["id"] == "imported"
    assert data["importMap"]["nodeCount"] == 5
    error = await client.error(IMPORT, {"document": text, "format": fmt})
    assert error["extensions"]["code"] == "CONFLICT"
    replaced = await client.data(IMPORT, {"document": text, "format": fmt, "replace": True})
    assert replaced["importMap"]["version"] > data["importMap"]["version"]


async def test_import_invalid_document_lists_lines_and_stores_nothing(client: Client) -> None:
    text = "map: {id: broken}\nnodes:\n  - {id: a, kind: Robot, name: A}\n  - {id: b, name: B}\n"
    error = await client.error(IMPORT, {"document": text})
    assert error["extensions"]["code"] == "INVALID_INPUT"
    problems: list[dict[str, Any]] = error["extensions"]["problems"]
    assert [(p["line"], p["path"]) for p in problems] == [(3, "nodes[0]"), (4, "nodes[1]")]
    assert (await client.data("{ maps { id } }"))["maps"] == []


async def test_delete_map(client: Client, small: str) -> None:
    data = await client.data('mutation { deleteMap(id: "small") { id version } }')
    assert data["deleteMap"] == {"id": "small", "version": None}
    assert (await client.error('{ map(id: "small") { id } }'))["extensions"]["code"] == "NOT_FOUND"

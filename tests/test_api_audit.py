"""The audit log through the real app: every mutation records who, when, which operation and
the element before and after; ``changes`` pages it newest first; stale expected versions of
imports and deletes are CONFLICTs that record nothing."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest

from graphsvc.domain.access import Role
from graphsvc.domain.mapfile import dump_map
from graphsvc.service.tokens import issue
from tests.api_support import small_map

if TYPE_CHECKING:
    from tests.api_fixtures import Client, CountingStore

pytest_plugins = ["tests.api_fixtures"]
pytestmark = pytest.mark.anyio

CHANGES = """
query($m: ID!, $first: Int, $after: String) {
  changes(mapId: $m, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { version at actor operation elementId before after }
  }
}
"""
IMPORT = """
mutation($d: String!, $replace: Boolean, $expected: Int) {
  importMap(document: $d, replace: $replace, expectedVersion: $expected) { id version }
}
"""


async def log(client: Client, map_id: str = "small", first: int = 50) -> list[dict[str, Any]]:
    data = await client.data(CHANGES, {"m": map_id, "first": first})
    entries: list[dict[str, Any]] = data["changes"]["nodes"]
    return entries


async def test_every_mutation_is_recorded_with_the_element_before_and_after(
    client: Client, small: str
) -> None:
    await client.data(
        'mutation { upsertNode(mapId: "small", input: {id: "m1", kind: Mechanism, name: "Desk",'
        " capacityPerMonth: 20}) { version } }"
    )
    await client.data(
        'mutation { upsertEdge(mapId: "small", input: {from: "c2", kind: CAN_CONTEST_VIA,'
        ' to: "m1"}) { version } }'
    )
    await client.data(
        'mutation { deleteEdge(mapId: "small", id: "c2--CAN_CONTEST_VIA--m1") { version } }'
    )
    await client.data('mutation { deleteNode(mapId: "small", id: "c1") { version } }')
    entries = await log(client)
    assert [(e["operation"], e["elementId"], e["actor"]) for e in entries] == [
        ("deleteNode", "c1", "local"),
        ("deleteEdge", "c1--CAN_CONTEST_VIA--m1", "local"),  # went with the node
        ("deleteEdge", "s1--AFFECTS--c1", "local"),
        ("deleteEdge", "c2--CAN_CONTEST_VIA--m1", "local"),
        ("upsertEdge", "c2--CAN_CONTEST_VIA--m1", "local"),
        ("upsertNode", "m1", "local"),
    ]
    versions = [e["version"] for e in entries]
    assert versions[0] == versions[1] == versions[2]  # one write, three entries
    assert versions[2] > versions[3] > versions[4] > versions[5]
    upsert = entries[-1]
    assert upsert["before"] == {
        "id": "m1",
        "kind": "Mechanism",
        "name": "M1",
        "capacityPerMonth": 10.0,
        "accessibility": 0.5,
    }
    assert upsert["after"] == {
        "id": "m1",
        "kind": "Mechanism",
        "name": "Desk",
        "capacityPerMonth": 20.0,
    }
    assert entries[4]["before"] is None
    assert entries[0]["after"] is None and entries[0]["before"]["id"] == "c1"
    assert all(e["at"].endswith("+00:00") for e in entries)


async def test_imports_and_deletes_are_recorded_as_summaries(
    make_client: Callable[..., Any], api_store: CountingStore
) -> None:
    secret = issue(api_store.tokens, Role.ADMIN, None, "facilitator")
    client: Client = await make_client(auth_cache_seconds=0)
    client.http.headers["Authorization"] = f"Bearer {secret.secret}"
    document = dump_map(small_map(), "json")
    await client.data(IMPORT, {"d": document})
    await client.data(IMPORT, {"d": document, "replace": True})
    await client.data('mutation { deleteMap(id: "small") { id } }')
    entries = await log(client)
    first = entries[2]["version"]  # a shared Neo4j numbers on from earlier tests' maps
    assert [(e["operation"], e["version"], e["actor"]) for e in entries] == [
        ("deleteMap", None, secret.record.id),
        ("importMap", first + 1, secret.record.id),
        ("importMap", first, secret.record.id),
    ]
    digest = hashlib.sha256(document.encode()).hexdigest()
    assert entries[2]["before"] is None
    assert entries[2]["after"] == {
        "title": "small",
        "nodeCount": 5,
        "edgeCount": 5,
        "sha256": digest,
    }
    assert entries[1]["before"] == {
        "title": "small",
        "version": first,
        "nodeCount": 5,
        "edgeCount": 5,
    }
    assert entries[0]["before"]["version"] == first + 1 and entries[0]["after"] is None


async def test_changes_pages_newest_first(client: Client, small: str) -> None:
    for i in range(5):
        await client.data(
            'mutation($n: String!) { upsertNode(mapId: "small", input: {id: "o1", kind: Organization, name: $n}) { version } }',
            {"n": f"name {i}"},
        )
    seen: list[str] = []
    after = None
    while True:
        page = (await client.data(CHANGES, {"m": "small", "first": 2, "after": after}))["changes"]
        assert page["totalCount"] == 5
        seen += [e["after"]["name"] for e in page["nodes"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == [f"name {i}" for i in reversed(range(5))]


@pytest.mark.parametrize(
    "cursor",
    [
        "bm9kZTpv",
        "Y2hhbmdlOng=",
        "Y2hhbmdlOsKy",
        "Y2hhbmdlOjk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk=",
        "!!",
    ],
)
async def test_bad_cursors_are_invalid_input(client: Client, small: str, cursor: str) -> None:
    error = await client.error(CHANGES, {"m": "small", "after": cursor})
    assert error["extensions"]["code"] == "INVALID_INPUT"


async def test_changes_of_an_unknown_map_are_not_found(client: Client) -> None:
    error = await client.error(CHANGES, {"m": "nowhere"})
    assert error["extensions"]["code"] == "NOT_FOUND"


async def test_viewers_do_not_read_the_audit_log(
    make_client: Callable[..., Any], api_store: CountingStore, small: str
) -> None:
    client: Client = await make_client(auth_cache_seconds=0)
    client.http.headers["Authorization"] = (
        "Bearer " + issue(api_store.tokens, Role.VIEWER, None, None).secret
    )
    error = await client.error(CHANGES, {"m": "small"})
    assert error["extensions"]["code"] == "FORBIDDEN"


async def test_a_stale_expected_version_of_an_import_is_a_conflict(
    client: Client, small: str
) -> None:
    document = dump_map(small_map(), "json")
    current = api_version = client.store.map_info("small").version
    error = await client.error(IMPORT, {"d": document, "replace": True, "expected": current - 1})
    assert error["extensions"]["code"] == "CONFLICT"
    data = await client.data(IMPORT, {"d": document, "replace": True, "expected": api_version})
    assert data["importMap"]["version"] > current
    error = await client.error(
        IMPORT, {"d": dump_map(small_map("fresh"), "json"), "replace": True, "expected": 3}
    )
    assert error["extensions"]["code"] == "CONFLICT"
    assert [e["operation"] for e in await log(client)] == ["importMap"]  # failures record nothing


async def test_a_stale_expected_version_of_a_delete_is_a_conflict(
    client: Client, small: str
) -> None:
    current = client.store.map_info("small").version
    error = await client.error(
        'mutation($v: Int) { deleteMap(id: "small", expectedVersion: $v) { id } }',
        {"v": current + 1},
    )
    assert error["extensions"]["code"] == "CONFLICT"
    assert client.store.map_info("small").version == current
    await client.data(
        'mutation($v: Int) { deleteMap(id: "small", expectedVersion: $v) { id } }', {"v": current}
    )
    assert [m.id for m in client.store.list_maps()] == []


async def test_a_map_too_large_is_refused(make_client: Callable[..., Any], small: str) -> None:
    client: Client = await make_client(max_map_elements=10)
    error = await client.error(
        'mutation { upsertNode(mapId: "small", input: {id: "o9", kind: Organization, name: "O9"}) { version } }'
    )
    assert error["extensions"]["code"] == "LIMIT_EXCEEDED"
    # Replacing an element does not grow the map: allowed at the limit.
    await client.data(
        'mutation { upsertNode(mapId: "small", input: {id: "o1", kind: Organization, name: "O"}) { version } }'
    )
    client2: Client = await make_client(max_map_elements=9)
    error = await client2.error(IMPORT, {"d": dump_map(small_map("big"), "json")})
    assert error["extensions"]["code"] == "LIMIT_EXCEEDED"

"""The response cache: answers to read-only queries are reused for the same caller and request
only while nothing in the store has changed — checked against the same app with reuse off."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest

from graphsvc.api.responses import Answer, ResponseCache
from graphsvc.domain.access import LOCAL, Caller, Role
from graphsvc.errors import NotFound
from graphsvc.service.tokens import issue
from graphsvc.store.base import GraphStore, RevisionReader
from graphsvc.store.open import open_store
from tests.api_support import small_map

if TYPE_CHECKING:
    from tests.api_fixtures import Client, CountingStore

pytest_plugins = ["tests.api_fixtures"]

Maker = Callable[..., Any]
NODE = 'query($id: ID!) { node(mapId: "small", id: $id) { id name } }'
OVERVIEW = """{
  maps { id version }
  nodes(mapId: "small", first: 10) { totalCount nodes { id name } }
  analysis(mapId: "small") { map { version } contestPairs { system stakeholder status } }
}"""


def reuses(store: CountingStore) -> bool:
    """Whether the store can tell its revision (the embedded store can; Neo4j cannot, and its
    answers are never reused)."""
    return isinstance(store.inner, RevisionReader)


def another_client_of(store: CountingStore) -> GraphStore:
    """The same database opened again, as another process (the CLI) would open it."""
    return open_store(store.settings)  # type: ignore[attr-defined]


# --- the cache itself -------------------------------------------------------------------------


def answer(size: int) -> Answer:
    return Answer(b"x" * size, "query", ("node",))


def test_an_answer_is_kept_for_its_caller_body_and_revision_only() -> None:
    cache = ResponseCache(10_000)
    other = Caller("t1", Role.VIEWER, frozenset({"small"}))
    cache.put(1, LOCAL, b"q", answer(10))
    assert cache.get(1, LOCAL, b"q") == answer(10)
    assert cache.get(1, other, b"q") is None
    assert cache.get(1, LOCAL, b"q2") is None
    assert cache.get(2, LOCAL, b"q") is None


def test_a_new_revision_drops_every_kept_answer() -> None:
    cache = ResponseCache(10_000)
    cache.put(1, LOCAL, b"a", answer(10))
    cache.put(1, LOCAL, b"b", answer(10))
    cache.put(2, LOCAL, b"c", answer(10))
    assert len(cache) == 1 and cache.used == 11
    assert cache.get(1, LOCAL, b"a") is None


def test_the_cache_stays_within_its_bytes_dropping_the_least_recently_used() -> None:
    cache = ResponseCache(400)
    for i in range(4):
        cache.put(1, LOCAL, b"%d" % i, answer(99))  # 100 bytes each with the body
    assert cache.used == 400
    assert cache.get(1, LOCAL, b"0") is not None  # now the most recently used
    cache.put(1, LOCAL, b"4", answer(99))
    assert cache.used == 400
    assert cache.get(1, LOCAL, b"1") is None
    assert all(cache.get(1, LOCAL, b"%d" % i) for i in (0, 2, 3, 4))


def test_an_answer_over_a_quarter_of_the_cache_is_not_kept() -> None:
    cache = ResponseCache(400)
    cache.put(1, LOCAL, b"small", answer(10))
    cache.put(1, LOCAL, b"big", answer(100))
    assert cache.get(1, LOCAL, b"big") is None
    assert cache.get(1, LOCAL, b"small") is not None


def test_replacing_an_answer_counts_its_bytes_once() -> None:
    cache = ResponseCache(1_000)
    cache.put(1, LOCAL, b"q", answer(10))
    cache.put(1, LOCAL, b"q", answer(20))
    assert cache.used == 21 and len(cache) == 1


# --- through the app --------------------------------------------------------------------------


@pytest.mark.anyio
async def test_a_repeated_query_costs_no_round_trip(client: Client, small: str) -> None:
    first = await client.data(OVERVIEW)
    client.store.reset()
    assert await client.data(OVERVIEW) == first
    assert (client.store.total == 0) is reuses(client.store), client.store.calls


@pytest.mark.anyio
async def test_a_write_through_the_api_is_seen_at_once(client: Client, small: str) -> None:
    before = await client.data(NODE, {"id": "c1"})
    await client.data(
        'mutation { upsertNode(mapId: "small", input: {id: "c1", kind: AffectedCommunity, '
        'name: "Renamed"}) { version } }'
    )
    after = await client.data(NODE, {"id": "c1"})
    assert before["node"]["name"] != "Renamed"
    assert after["node"] == {"id": "c1", "name": "Renamed"}


@pytest.mark.anyio
async def test_a_write_by_another_process_is_seen_at_once(client: Client, small: str) -> None:
    assert (await client.data(NODE, {"id": "c2"}))["node"] is not None
    other = another_client_of(client.store)
    try:
        other.delete_node("small", "c2")
    finally:
        other.close()
    error = await client.error(NODE, {"id": "c2"})
    assert error["extensions"]["code"] == "NOT_FOUND"


@pytest.mark.anyio
async def test_answers_are_not_shared_between_callers(
    make_client: Maker, api_store: CountingStore
) -> None:
    api_store.save_map(small_map("small"))
    api_store.save_map(small_map("other"))
    scoped = issue(api_store.tokens, Role.VIEWER, ["small"], "one map").secret
    everything = issue(api_store.tokens, Role.VIEWER, None, "all maps").secret
    query = "{ maps { id } me { tokenId } }"
    seen = []
    for secret in (scoped, everything, scoped):
        made: Client = await make_client()
        made.http.headers["Authorization"] = f"Bearer {secret}"
        seen.append(await made.data(query))
    assert [m["id"] for m in seen[0]["maps"]] == ["small"]
    assert sorted(m["id"] for m in seen[1]["maps"]) == ["other", "small"]
    assert seen[0]["me"]["tokenId"] != seen[1]["me"]["tokenId"]
    assert seen[2] == seen[0]


@pytest.mark.anyio
async def test_an_answer_with_errors_is_not_reused(client: Client, small: str) -> None:
    query = '{ node(mapId: "missing", id: "x") { id } }'
    for _ in range(2):
        client.store.reset()
        error = await client.error(query)
        assert error["extensions"]["code"] == "NOT_FOUND"
        assert client.store.total > 0  # asked the store again


@pytest.mark.anyio
async def test_mutations_are_never_answered_from_the_cache(client: Client, small: str) -> None:
    mutation = 'mutation { deleteNode(mapId: "small", id: "c2") { id } }'
    assert (await client.data(mutation))["deleteNode"]["id"] == "c2"
    error = await client.error(mutation)  # the same body again: done, not replayed
    assert error["extensions"]["code"] == "NOT_FOUND"


@pytest.mark.anyio
async def test_reused_answers_are_counted_in_the_metrics(client: Client, small: str) -> None:
    for _ in range(3):
        await client.data(NODE, {"id": "c1"})
    text = (await client.http.get("/metrics")).text
    hits = 2.0 if reuses(client.store) else 0.0
    assert _sample(text, 'graphsvc_graphql_response_cache_total{outcome="hit"}') == hits
    ok = 'graphsvc_graphql_operations_total{field="node",outcome="ok",type="query"}'
    assert _sample(text, ok) == 3.0  # every answer counted, reused or not


def _sample(exposition: str, name: str) -> float | None:
    for line in exposition.splitlines():
        if line.startswith(name + " "):
            return float(line.rsplit(" ", 1)[1])
    return None


# --- against the same app with reuse off (the brute force) -------------------------------------

QUERIES = [
    (NODE, {"id": "c1"}),
    (NODE, {"id": "c2"}),
    (NODE, {"id": "m1"}),
    (NODE, {"id": "x1"}),
    ('{ map(id: "small") { version nodeCount edgeCount } }', None),
    (OVERVIEW, None),
    ('{ node(mapId: "small", id: "c1") { id edges { id to { id name } } } }', None),
]


@pytest.mark.anyio
@pytest.mark.parametrize("seed", range(6))
async def test_random_reads_and_writes_answer_as_without_the_cache(
    make_client: Maker, small: str, seed: int
) -> None:
    cached: Client = await make_client()
    fresh: Client = await make_client(response_cache_bytes=0)
    other = another_client_of(cached.store)
    rng = random.Random(seed)
    log = []
    try:
        for step in range(100):
            roll = rng.random()
            if roll < 0.15:
                name = rng.choice(["A", "B", "C"])
                log.append(f"{step}: rename x1 to {name} through the API")
                await fresh.data(
                    'mutation($name: String!) { upsertNode(mapId: "small", input: {id: "x1", '
                    "kind: AffectedCommunity, name: $name}) { version } }",
                    {"name": name},
                )
            elif roll < 0.25:
                target = rng.choice(["x1", "c2"])
                log.append(f"{step}: delete {target} by another client")
                try:
                    other.delete_node("small", target)
                except NotFound:
                    log.append("   (not there)")
            else:
                query, variables = rng.choice(QUERIES)
                log.append(f"{step}: {query[:40]!r} {variables}")
                got = await cached.post(query, variables)
                want = await fresh.post(query, variables)
                assert got == want, "\n".join(log)
    finally:
        other.close()

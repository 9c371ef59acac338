"""A request leaves no reference cycles behind: everything it made is freed by reference
counting when it ends.

Cyclic garbage is what makes CPython's collector run, and a collection pauses the one event
loop of ``graphsvc serve`` for every request in flight (tens of milliseconds with the serving
thresholds): that was the p99 of node-by-id reads under load (BENCHMARKS.md §4).
"""

from __future__ import annotations

import gc
import json
from collections import Counter
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

from graphsvc.api.app import create_app
from graphsvc.domain.model import StakeholderMap
from graphsvc.domain.synthetic import generate_map_data
from graphsvc.settings import Settings
from tests.test_api_execution import DOCUMENTS

if TYPE_CHECKING:
    from fastapi import FastAPI

    from tests.api_fixtures import CountingStore

pytest_plugins = ["tests.api_fixtures"]

NODE = "query($m: ID!, $id: ID!) { node(mapId: $m, id: $id) { id kind name } }"
ANALYSIS = (
    "query($m: ID!) { analysis(mapId: $m) { map { id version } "
    "withoutContestPath(limit: 5) { id name } contestPairs(limit: 5) { system status } } }"
)
RENAME = (
    "mutation($m: ID!, $id: ID!, $name: String!) "
    "{ updateNode(mapId: $m, id: $id, fields: { name: $name }) { id name } }"
)


@pytest.fixture
def collector_off() -> Iterator[None]:
    """The cyclic collector stopped (cycles stay until ``gc.collect`` finds them)."""
    gc.collect()
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


#: Where the app's own objects come from (the Neo4j driver's are not the app's, below).
APP_PACKAGES = frozenset({"graphsvc", "graphql", "strawberry", "starlette", "fastapi"})


def _cycles_left(neo4j: bool) -> Counter[str]:
    """The types of the objects in the cycles left since the last collection (then freed).

    On Neo4j only the app's own objects count: the driver leaves about 80 objects in cycles
    per transaction (its sessions, transactions and results hold bound methods of each other
    as callbacks), which the app cannot break.
    """
    gc.set_debug(gc.DEBUG_SAVEALL)  # kept in gc.garbage instead of freed
    try:
        gc.collect()
        return Counter(
            type(o).__qualname__
            for o in gc.garbage
            if not neo4j or type(o).__module__.partition(".")[0] in APP_PACKAGES
        )
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.collect()


async def _post(app: FastAPI, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    """One GraphQL request straight to the ASGI app (an HTTP client has cycles of its own)."""
    body = json.dumps({"query": query, "variables": variables}).encode()
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/graphql",
        "raw_path": b"/graphql",
        "root_path": "",
        "query_string": b"",
        "headers": [(b"content-type", b"application/json"), (b"host", b"127.0.0.1")],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }
    incoming = [{"type": "http.request", "body": body, "more_body": False}]
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return incoming.pop() if incoming else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app(scope, receive, send)
    assert sent[0]["status"] == 200, sent
    answer: dict[str, Any] = json.loads(b"".join(m.get("body", b"") for m in sent[1:]))
    return answer


@pytest.mark.anyio
async def test_requests_leave_no_reference_cycles(
    api_store: CountingStore, api_settings: Settings, collector_off: None
) -> None:
    m = StakeholderMap.model_validate(generate_map_data(200, seed=7))
    api_store.save_map(m)
    ids = sorted(n.id for n in m.nodes)
    centre = next(n.id for n in m.nodes if n.kind == "AffectedCommunity")
    requests = [
        *[(NODE, {"m": m.id, "id": node_id}) for node_id in ids[:5]],
        *[(document, {"m": m.id, "id": centre}) for document in DOCUMENTS],  # one fails
        (ANALYSIS, {"m": m.id}),
        (RENAME, {"m": m.id, "id": ids[0], "name": "Renamed"}),
    ]
    settings = api_settings.model_copy(update={"response_cache_bytes": 0})  # all computed
    app = create_app(settings, store_opener=lambda _: api_store)  # type: ignore[arg-type,return-value]
    async with app.router.lifespan_context(app):
        for query, variables in requests:  # documents are parsed and checked once, and kept
            await _post(app, query, variables)
        neo4j = api_store.settings.store == "neo4j"  # type: ignore[attr-defined]
        _cycles_left(neo4j)
        for query, variables in requests:
            answer = await _post(app, query, variables)
            assert "data" in answer
            left = _cycles_left(neo4j)
            # Before, a node read left 76 objects in cycles (its executor, context, loaders
            # and fields) and a failing field its execution's frames too.
            assert not left, (query, left.most_common(8))

"""Fixtures for API tests: a store per backend, the real app around it, an httpx client.

Used by the test_api_* modules through ``pytest_plugins``. The ``api_store`` fixture runs on
SQLite always, and also on Neo4j when ``NEO4J_URI`` is set and the Neo4j adapter exists.
Every store is wrapped in a :class:`CountingStore` so tests can count round trips.
"""

from __future__ import annotations

import importlib.util
import json
import os
from collections import Counter
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from graphsvc.api.app import create_app
from graphsvc.cli.serve import load_demo
from graphsvc.service.maps import MapService
from graphsvc.settings import Settings
from graphsvc.store.base import GraphStore
from graphsvc.store.sqlite import SqliteStore
from tests.api_support import assert_error_shape, small_map

BACKENDS = ["sqlite"]
if os.environ.get("NEO4J_URI") and importlib.util.find_spec("graphsvc.store.neo4j"):
    BACKENDS.append("neo4j")


#: Not round trips of a request: the health monitor pings on its own clock, and the response
#: cache asks the store's revision (a local check, no round trip) before every query.
UNCOUNTED = frozenset({"ping", "revision"})


class CountingStore:
    """A GraphStore proxy that counts calls per method (one call = one round trip)."""

    def __init__(self, inner: GraphStore) -> None:
        self.inner = inner
        self.calls: Counter[str] = Counter()
        self.fail_with: BaseException | None = None

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self.inner, name)
        if not callable(attr):
            return attr

        def counted(*args: Any, **kwargs: Any) -> Any:
            if name not in UNCOUNTED:
                self.calls[name] += 1
            if self.fail_with is not None and name != "close":
                raise self.fail_with
            return attr(*args, **kwargs)

        return counted

    def reset(self) -> None:
        self.calls.clear()

    @property
    def total(self) -> int:
        return sum(self.calls.values())


def _open_backend(backend: str, tmp_path: Path) -> tuple[GraphStore, Settings]:
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'api.sqlite'}"
        return SqliteStore(tmp_path / "api.sqlite"), Settings(store=url)
    from graphsvc.store.open import open_store

    settings = Settings(store="neo4j")
    store = open_store(settings)
    for info in store.list_maps():  # a shared test database: start empty
        store.delete_map(info.id)
    for token in store.tokens.all():  # and open: no active token
        store.tokens.revoke(token.id)
    _clear_audit_log(settings)  # the log outlives deleted maps, as an audit log should
    return store, settings


def _clear_audit_log(settings: Settings) -> None:
    import neo4j

    password = settings.neo4j_password
    auth = None if password is None else (settings.neo4j_username, password.get_secret_value())
    with neo4j.GraphDatabase.driver(settings.neo4j_uri, auth=auth) as driver:
        driver.execute_query("MATCH (c:GChange) DETACH DELETE c", database_=settings.neo4j_database)


@pytest.fixture(params=BACKENDS)
def api_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[CountingStore]:
    if request.param == "neo4j":
        request.applymarker(pytest.mark.neo4j)
    store, settings = _open_backend(request.param, tmp_path)
    counting = CountingStore(store)
    counting.settings = settings  # type: ignore[attr-defined]
    yield counting
    store.close()


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def api_settings(api_store: CountingStore) -> Settings:
    """Settings of the app under test; override with ``settings_for``."""
    base: Settings = api_store.settings  # type: ignore[attr-defined]
    return base


@dataclass
class Client:
    """The app under test over httpx, plus the store behind it."""

    http: httpx.AsyncClient
    store: CountingStore

    async def post(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """One GraphQL request; asserts HTTP 200 and returns the JSON body."""
        response = await self.http.post(
            "/graphql", json={"query": query, "variables": variables or {}}
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def data(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """The data of a request that must succeed."""
        body = await self.post(query, variables)
        assert "errors" not in body, json.dumps(body["errors"], indent=2)
        data: dict[str, Any] = body["data"]
        return data

    async def error(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """The first error of a request that must fail, checked against the error shape."""
        body = await self.post(query, variables)
        assert body.get("errors"), body
        for error in body["errors"]:
            assert_error_shape(error)
        first: dict[str, Any] = body["errors"][0]
        return first


@pytest.fixture
async def make_client(
    api_store: CountingStore, api_settings: Settings
) -> AsyncIterator[Callable[..., Any]]:
    """``await make_client(**setting_overrides)``: a client of a fresh app over the store."""
    from contextlib import AsyncExitStack

    async with AsyncExitStack() as stack:

        async def make(**overrides: Any) -> Client:
            settings = api_settings.model_copy(update=overrides)
            app = create_app(settings, store_opener=lambda _: api_store)  # type: ignore[arg-type,return-value]
            await stack.enter_async_context(app.router.lifespan_context(app))
            http = await stack.enter_async_context(
                httpx.AsyncClient(
                    transport=httpx.ASGITransport(app=app, raise_app_exceptions=False),
                    base_url="http://127.0.0.1",
                )
            )
            return Client(http, api_store)

        yield make


@pytest.fixture
async def client(make_client: Callable[..., Any]) -> Client:
    """A client of the app with default settings."""
    made: Client = await make_client()
    return made


SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture
def demo(api_store: CountingStore, api_settings: Settings) -> list[str]:
    """The seed maps loaded as ``graphsvc serve --demo`` loads them."""
    loaded = load_demo(MapService(api_store, api_settings), SEEDS)  # type: ignore[arg-type]
    api_store.reset()
    return loaded


@pytest.fixture
def small(api_store: CountingStore) -> str:
    """The small map stored; its id."""
    m = small_map()
    api_store.save_map(m)
    api_store.reset()
    return m.id

"""Open the store a settings object names."""

from __future__ import annotations

from graphsvc.errors import InvalidInput, Problem
from graphsvc.settings import Settings
from graphsvc.store.base import GraphStore

SQLITE_PREFIX = "sqlite:///"


def open_store(settings: Settings) -> GraphStore:
    """``sqlite:///PATH`` opens the embedded store; ``neo4j`` connects to NEO4J_URI."""
    url = settings.store
    if url.startswith(SQLITE_PREFIX):
        from graphsvc.store.sqlite import SqliteStore

        path = url[len(SQLITE_PREFIX) :]
        if not path:
            raise _bad(url)
        return SqliteStore(path, busy_timeout_ms=int(settings.store_retry_seconds * 1000))
    if url == "neo4j":
        from graphsvc.store.neo4j import Neo4jStore  # type: ignore[import-not-found, unused-ignore]

        store: GraphStore = Neo4jStore.from_settings(
            settings, max_retry_seconds=settings.store_retry_seconds
        )
        return store
    raise _bad(url)


def _bad(url: str) -> InvalidInput:
    return InvalidInput(
        [Problem("expected sqlite:///PATH or neo4j", path="GRAPHSVC_STORE", value=url)],
        "unknown store",
    )

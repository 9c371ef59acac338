"""Shared fixtures: hypothesis profiles, a temporary embedded store, a small map builder."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NoReturn

import pytest
from hypothesis import HealthCheck, settings

from graphsvc.errors import GraphsvcError
from graphsvc.settings import Settings
from graphsvc.store.base import GraphStore
from graphsvc.store.sqlite import SqliteStore

# Helper modules that test modules import as well as load as plugins: their asserts are
# rewritten (and pytest does not warn that it found them imported already).
pytest.register_assert_rewrite("tests.api_fixtures", "tests.api_support", "tests.explorer_support")

settings.register_profile("dev", max_examples=100, deadline=None)
settings.register_profile(
    "ci", max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[SqliteStore]:
    store = SqliteStore(tmp_path / "graphsvc.sqlite")
    yield store
    store.close()


# --- GraphStore backends for the contract suite (tests/test_store_contract.py) ----------------
# sqlite always; neo4j when NEO4J_URI names a server that answers. Without one the neo4j tests
# skip loudly, unless GRAPHSVC_REQUIRE_NEO4J=1 (.ci/run) turns the skip into a failure.

NEO4J_NOT_RUN = "Neo4j tests NOT RUN"


def not_run(message: str, require: str) -> NoReturn:
    """Skip loudly with ``message``, or fail when the variable ``require`` is 1 (``.ci/run``
    sets each one, so that CI runs every test)."""
    if os.environ.get(require) == "1":
        pytest.fail(f"{message}; {require}=1 requires them", pytrace=False)
    pytest.skip(message)


def _neo4j_unavailable(reason: str) -> NoReturn:
    message = f"{NEO4J_NOT_RUN}: {reason} (make test starts a local Neo4j; or set NEO4J_URI)"
    not_run(message, "GRAPHSVC_REQUIRE_NEO4J")


@pytest.fixture(scope="session")
def neo4j_settings() -> Settings:
    """Settings naming a Neo4j server that answers, or a loud skip (a failure in CI)."""
    if not os.environ.get("NEO4J_URI"):
        _neo4j_unavailable("NEO4J_URI is not set")
    try:
        from graphsvc.store.neo4j import Neo4jStore
    except ImportError as exc:
        _neo4j_unavailable(f"the neo4j driver is not installed ({exc})")
    config = Settings(store="neo4j")
    probe = Neo4jStore.from_settings(config)
    try:
        probe.ping()
    except GraphsvcError as exc:
        _neo4j_unavailable(f"no Neo4j answers at {config.neo4j_uri}: {exc}")
    finally:
        probe.close()
    return config


@pytest.fixture
def mid() -> Callable[[str], str]:
    """Map ids unique to the test, so tests sharing one Neo4j database never meet."""
    prefix = f"t{uuid.uuid4().hex[:10]}-"
    return lambda name: prefix + name


def _drop_test_maps(store: GraphStore, mid: Callable[[str], str]) -> None:
    prefix = mid("")
    for info in store.list_maps():
        if info.id.startswith(prefix):
            store.delete_map(info.id)


@pytest.fixture
def neo4j_store(neo4j_settings: Settings, mid: Callable[[str], str]) -> Iterator[GraphStore]:
    """A Neo4jStore with small import batches (so modest maps span several transactions)."""
    from graphsvc.store.neo4j import Neo4jStore

    store = Neo4jStore.from_settings(neo4j_settings, batch_size=1_000)
    yield store
    _drop_test_maps(store, mid)
    store.close()


@pytest.fixture(params=["sqlite", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> GraphStore:
    """Every GraphStore backend in turn."""
    if request.param == "sqlite":
        sqlite: GraphStore = request.getfixturevalue("sqlite_store")
        return sqlite
    neo4j: GraphStore = request.getfixturevalue("neo4j_store")
    return neo4j


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    skipped = [
        report
        for report in terminalreporter.stats.get("skipped", [])
        if NEO4J_NOT_RUN in str(getattr(report, "longrepr", ""))
    ]
    if skipped:
        terminalreporter.write_sep(
            "!",
            f"{len(skipped)} Neo4j tests skipped: the Neo4j store was NOT tested",
            red=True,
            bold=True,
        )

"""Fixtures for the explorer's browser tests: the real app under uvicorn, headless Chromium.

Used by the test_explorer_* modules through ``pytest_plugins``. Each module gets one server on
a free loopback port, over a temporary SQLite store holding the seed maps, and one Chromium
(Debian's ``chromium`` driven by Playwright through ``executable_path``: browsers are never
downloaded). Each test gets a fresh browser context and fails on any console error or
uncaught page error. Without Chromium or Playwright the tests skip loudly, unless
``GRAPHSVC_REQUIRE_BROWSER=1`` (as ``.ci/run`` sets it) turns the skip into a failure.
"""

from __future__ import annotations

import json
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import httpx
import pytest

from graphsvc.api.app import create_app
from graphsvc.cli.serve import load_demo
from graphsvc.service.maps import MapService
from graphsvc.settings import Settings
from graphsvc.store.sqlite import SqliteStore
from tests.conftest import not_run

if TYPE_CHECKING:
    from playwright.sync_api import Browser, ConsoleMessage, Page

BROWSER_NOT_RUN = "Browser tests NOT RUN"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
VIEWPORT = {"width": 1440, "height": 900}


def chromium_path() -> str | None:
    """Debian's chromium (or another build on PATH)."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


def browser_unavailable(reason: str) -> NoReturn:
    message = f"{BROWSER_NOT_RUN}: {reason} (apt-get install -y chromium; pip install -e '.[dev]')"
    not_run(message, "GRAPHSVC_REQUIRE_BROWSER")


# --- the server ---------------------------------------------------------------------------------


@dataclass
class LiveServer:
    """The real app on a loopback port, and a GraphQL client for checking what it stored."""

    url: str

    def graphql(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        response = httpx.post(
            f"{self.url}/graphql", json={"query": query, "variables": variables or {}}, timeout=30
        )
        body: dict[str, Any] = response.json()
        assert not body.get("errors"), body
        data: dict[str, Any] = body["data"]
        return data

    def import_map(self, document: dict[str, Any]) -> None:
        self.graphql(
            "mutation($d: String!) { importMap(document: $d, format: JSON, replace: true) { id } }",
            {"d": json.dumps(document)},
        )

    def node_ids(self, map_id: str) -> set[str]:
        data = self.graphql(
            "query($m: ID!) { nodes(mapId: $m, first: 1000) { nodes { id } } }", {"m": map_id}
        )
        return {n["id"] for n in data["nodes"]["nodes"]}

    def edge_ids(self, map_id: str) -> set[str]:
        data = self.graphql(
            "query($m: ID!) { edges(mapId: $m, first: 1000) { nodes { id } } }", {"m": map_id}
        )
        return {e["id"] for e in data["edges"]["nodes"]}

    def version(self, map_id: str) -> int:
        version: int = self.graphql("query($m: ID!) { map(id: $m) { version } }", {"m": map_id})[
            "map"
        ]["version"]
        return version


def serve_in_thread(app: Any) -> tuple[str, Any, threading.Thread, socket.socket]:
    """Start uvicorn on a free loopback port in a daemon thread; the URL once it listens."""
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the explorer test server did not start")
        time.sleep(0.02)
    return f"http://127.0.0.1:{port}", server, thread, sock


def seeded_settings(folder: Path) -> Settings:
    """Settings for a fresh SQLite store in ``folder`` holding every seed map."""
    path = folder / "graphsvc.sqlite"
    settings = Settings(store=f"sqlite:///{path}")
    store = SqliteStore(path)
    try:
        load_demo(MapService(store, settings))
    finally:
        store.close()
    return settings


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    settings = seeded_settings(tmp_path_factory.mktemp("explorer"))
    url, server, thread, sock = serve_in_thread(create_app(settings))
    yield LiveServer(url)
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()


# --- the browser --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    path = chromium_path()
    if path is None:
        browser_unavailable("no chromium on PATH")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        browser_unavailable(f"Playwright for Python is not installed ({exc})")
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(
            executable_path=path, args=CHROMIUM_ARGS, headless=True
        )
    except Exception as exc:
        playwright.stop()
        browser_unavailable(f"{path} does not start: {exc}")
    yield browser
    browser.close()
    playwright.stop()


@dataclass
class ExplorerPage:
    """One browser page on the explorer, collecting console errors as it goes."""

    page: Page
    server: LiveServer
    errors: list[str] = field(default_factory=list)

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(f"console: {message.text} ({message.location})")

    def watch(self) -> None:
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda exc: self.errors.append(f"page error: {exc}"))

    def open(self, map_id: str) -> None:
        self.page.goto(f"{self.server.url}/#map={map_id}")
        self.ready(map_id)

    def reload(self, map_id: str) -> None:
        self.page.reload()
        self.ready(map_id)

    def ready(self, map_id: str) -> None:
        self.page.wait_for_selector("body[data-state=ready]", timeout=30_000)
        assert self.js("graphsvcExplorer.model.id") == map_id
        self.idle()

    def idle(self) -> None:
        """Wait until no API request of the explorer is pending."""
        self.page.wait_for_selector("body[data-busy=false]", timeout=30_000)

    def js(self, expression: str, arg: Any = None) -> Any:
        """Evaluate in the page; ``arg`` is passed to a function expression."""
        if arg is None:
            return self.page.evaluate(f"() => {expression}")
        return self.page.evaluate(expression, arg)

    def wait_for(self, expression: str, timeout: float = 15_000) -> None:
        # A function, not a string: the page's CSP forbids eval, which string predicates use.
        self.page.wait_for_function(f"() => {expression}", timeout=timeout)

    def point_of(self, node_id: str) -> dict[str, float]:
        """Where a node is on the page once the view has stopped moving (vis animates)."""
        last: dict[str, float] | None = None
        for _ in range(100):
            point: dict[str, float] = self.js(
                "(id) => graphsvcExplorer.graph.pagePointOf(id)", node_id
            )
            if point == last:
                return point
            last = point
            self.page.wait_for_timeout(100)
        raise AssertionError(f"the view kept moving around {node_id}")

    def drawn_nodes(self) -> set[str]:
        return set(self.js("graphsvcExplorer.graph.drawnNodeIds()"))

    def drawn_edges(self) -> set[str]:
        return set(self.js("graphsvcExplorer.graph.drawnEdgeIds()"))

    def highlighted(self) -> dict[str, list[str]]:
        marked: dict[str, list[str]] = self.js("graphsvcExplorer.graph.highlighted()")
        return marked

    def position(self, node_id: str) -> dict[str, float]:
        point: dict[str, float] = self.js("(id) => graphsvcExplorer.graph.positionOf(id)", node_id)
        return point

    def assert_no_console_errors(self) -> None:
        assert self.errors == [], "\n".join(self.errors)


@pytest.fixture
def explorer(chromium: Browser, live_server: LiveServer) -> Iterator[ExplorerPage]:
    """A fresh browser context (empty storage) on the explorer; any console error fails."""
    context = chromium.new_context(viewport=VIEWPORT, accept_downloads=True)
    ui = ExplorerPage(context.new_page(), live_server)
    ui.watch()
    yield ui
    context.close()
    ui.assert_no_console_errors()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    skipped = [
        r
        for r in terminalreporter.stats.get("skipped", [])
        if BROWSER_NOT_RUN in str(getattr(r, "longrepr", ""))
    ]
    if skipped:
        terminalreporter.write_sep(
            "!",
            f"{len(skipped)} browser tests skipped: the explorer was NOT tested in Chromium",
            red=True,
            bold=True,
        )

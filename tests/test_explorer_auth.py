"""The explorer on a server with API tokens, in headless Chromium: it asks for a token when
the API says UNAUTHENTICATED, keeps it for the tab only, sees only the token's maps, and shows
edit controls only to a role that may edit. Strings that look like Cypher show literally."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import httpx
import pytest

from graphsvc.api.app import create_app
from graphsvc.domain.access import Role
from graphsvc.service.tokens import issue
from graphsvc.store.sqlite import SqliteStore
from tests.explorer_support import VIEWPORT, seeded_settings, serve_in_thread

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytest_plugins = ["tests.explorer_support"]
pytestmark = pytest.mark.browser

CYPHER = "x'}) MATCH (n) DETACH DELETE n //"
SCRIPT = "<script>window.pwned=1</script>"


@dataclass
class TokenServer:
    url: str
    viewer: str  # content-moderation only
    editor: str  # every map


@pytest.fixture(scope="module")
def token_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TokenServer]:
    folder = tmp_path_factory.mktemp("explorer-auth")
    settings = seeded_settings(folder).model_copy(update={"auth_cache_seconds": 0})
    store = SqliteStore(folder / "graphsvc.sqlite")
    try:
        viewer = issue(store.tokens, Role.VIEWER, ["content-moderation"], "viewer").secret
        editor = issue(store.tokens, Role.EDITOR, None, "editor").secret
    finally:
        store.close()
    url, server, thread, sock = serve_in_thread(create_app(settings))
    yield TokenServer(url, viewer, editor)
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()


@pytest.fixture
def page(chromium: Browser) -> Iterator[Page]:
    context = chromium.new_context(viewport=VIEWPORT)
    page = context.new_page()
    errors: list[str] = []
    # The 401 answers that make the explorer ask for a token are expected; nothing else is.
    page.on(
        "console",
        lambda m: errors.append(m.text) if m.type == "error" and "401" not in m.text else None,
    )
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert errors == []


def sign_in(page: Page, token: str) -> None:
    page.wait_for_selector("#signin-dialog[open]", timeout=30_000)
    # Let the signed-out boot settle first. Signing in while its requests are still in flight
    # can leave the explorer in its error state on a loaded machine: a known race (noted on
    # issue 9), which once timed out the first sign-in of a page in CI too.
    page.wait_for_selector("body[data-busy=false]", timeout=30_000)
    page.wait_for_timeout(500)
    page.fill("#signin-token", token)
    page.press("#signin-token", "Enter")
    page.wait_for_selector("body[data-state=ready]", timeout=30_000)
    page.wait_for_selector("body[data-busy=false]", timeout=30_000)


def can_edit(page: Page) -> bool:
    return bool(page.evaluate("() => document.body.classList.contains('can-edit')"))


def test_the_explorer_asks_for_a_token_and_hides_edit_controls_from_viewers(
    page: Page, token_server: TokenServer
) -> None:
    page.goto(token_server.url)
    sign_in(page, token_server.viewer)
    options = page.evaluate(
        "() => [...document.querySelectorAll('#map-picker option')].map(o => o.value)"
    )
    assert options == ["content-moderation"]  # the token's map only
    assert not can_edit(page)
    assert page.locator("#tab-edit").is_hidden()
    assert page.evaluate("() => graphsvcExplorer.role") == "viewer"
    assert page.evaluate("() => sessionStorage.getItem('graphsvc.token')") == token_server.viewer
    assert page.evaluate("() => localStorage.length") == 0  # never kept beyond the tab

    page.click("#signin")  # sign out: the server asks again
    sign_in(page, token_server.editor)
    assert can_edit(page)
    assert page.locator("#tab-edit").is_visible()
    assert page.evaluate("() => graphsvcExplorer.role") == "editor"


def test_a_refused_token_asks_again(page: Page, token_server: TokenServer) -> None:
    page.goto(token_server.url)
    page.wait_for_selector("#signin-dialog[open]", timeout=30_000)
    page.fill("#signin-token", "gsk_000000000000_" + "A" * 43)
    page.press("#signin-token", "Enter")
    page.wait_for_selector("#signin-dialog[open]", timeout=30_000)
    assert not can_edit(page)


def test_cypher_and_script_in_names_are_stored_and_shown_literally(
    page: Page, token_server: TokenServer
) -> None:
    document = {
        "map": {"id": "literal", "title": CYPHER},
        "nodes": [
            {"id": "sys", "kind": "AISystem", "name": CYPHER, "description": SCRIPT},
            {"id": "org", "kind": "Organization", "name": SCRIPT},
        ],
        "edges": [{"from": "org", "to": "sys", "kind": "DEPLOYS", "description": CYPHER}],
    }
    headers = {"Authorization": f"Bearer {token_server.editor}"}
    response = httpx.post(
        f"{token_server.url}/graphql",
        json={
            "query": "mutation($d: String!) { importMap(document: $d, replace: true) { id } }",
            "variables": {"d": json.dumps(document)},
        },
        headers=headers,
        timeout=30,
    )
    assert "errors" not in response.json(), response.text
    page.goto(f"{token_server.url}/#map=literal")
    sign_in(page, token_server.editor)
    page.evaluate("() => graphsvcExplorer.selectNode('sys')")
    page.wait_for_selector("#details-title")
    assert page.text_content("#details-title") == CYPHER
    assert SCRIPT in (page.text_content("#pane-details") or "")
    assert page.evaluate("() => window.pwned === undefined")
    assert page.locator("body script:not([src])").count() == 0

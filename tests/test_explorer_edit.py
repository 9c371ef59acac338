"""The explorer in headless Chromium, editing: forms with inline validation, changes stored and
seen after a reload, undo and redo, saved node positions, applying a recommendation, exports,
and the hooks for roles and tokens. Each test edits its own seed map."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Route

    from tests.explorer_support import ExplorerPage, LiveServer

pytest_plugins = ["tests.explorer_support"]
pytestmark = pytest.mark.browser


def add_node(explorer: ExplorerPage, kind: str, name: str, **fields: str) -> None:
    explorer.page.click("#tab-edit")
    explorer.page.click("#new-node")
    explorer.page.select_option("#node-kind", kind)
    explorer.page.fill("#node-name", name)
    for field, value in fields.items():
        selector = f"#node-form [name={field}]"
        if explorer.page.locator(selector).evaluate("(el) => el.tagName") == "SELECT":
            explorer.page.select_option(selector, value)
        else:
            explorer.page.fill(selector, value)
    explorer.page.click("#node-form button[type=submit]")


def test_a_node_and_an_edge_added_in_forms_are_stored(
    explorer: ExplorerPage, live_server: LiveServer
) -> None:
    map_id = "customer-chatbot"
    explorer.open(map_id)
    add_node(
        explorer,
        "Mechanism",
        "Workshop complaints hotline",
        capacityPerMonth="250",
        accessibility="0.8",
        mechanismType="COMPLAINT",
        tags="workshop, draft",
    )
    node = "workshop-complaints-hotline"
    explorer.wait_for(f"graphsvcExplorer.model.nodes.has('{node}')")
    explorer.idle()
    assert node in explorer.drawn_nodes()  # without a reload
    assert explorer.page.text_content("#details-title") == "Workshop complaints hotline"
    assert node in live_server.node_ids(map_id)
    # An edge from the new node, started from its details panel.
    explorer.page.click("#pane-details button:has-text('Add edge from here')")
    explorer.page.select_option("#edge-kind", "HANDLED_BY")
    target = explorer.js(
        "[...graphsvcExplorer.model.nodes.values()].find((n) => n.kind === 'Organization').id"
    )
    explorer.page.select_option("#edge-to", target)
    explorer.page.click("#edge-form button[type=submit]")
    edge = f"{node}--HANDLED_BY--{target}"
    explorer.wait_for(f"graphsvcExplorer.model.edges.has('{edge}')")
    explorer.idle()
    assert edge in explorer.drawn_edges()
    assert edge in live_server.edge_ids(map_id)
    # After a reload both are still there, with their fields, and the tag filter finds them.
    explorer.reload(map_id)
    assert node in explorer.drawn_nodes()
    assert edge in explorer.drawn_edges()
    record = explorer.js("(id) => graphsvcExplorer.model.nodes.get(id)", node)
    assert record["capacityPerMonth"] == 250
    assert record["accessibility"] == 0.8
    assert record["tags"] == ["workshop", "draft"]
    explorer.page.select_option("#tag-filter", "workshop")
    assert explorer.drawn_nodes() == {node}
    explorer.assert_no_console_errors()


def test_invalid_input_is_shown_next_to_the_field(
    explorer: ExplorerPage, live_server: LiveServer
) -> None:
    map_id = "customer-chatbot"
    version = live_server.version(map_id)
    explorer.open(map_id)
    add_node(explorer, "Mechanism", "Bad mechanism", accessibility="3")
    error = explorer.page.locator("#node-form [data-field=accessibility] .field-error")
    error.wait_for()
    assert error.text_content() == "input should be less than or equal to 1"
    assert explorer.page.get_attribute("#node-form [name=accessibility]", "aria-invalid") == "true"
    # A bad id is the API's to reject, and the message lands next to the id.
    explorer.page.fill("#node-form [name=accessibility]", "0.5")
    explorer.page.fill("#node-id", "Not A Slug")
    explorer.page.click("#node-form button[type=submit]")
    explorer.page.wait_for_selector("#node-form [data-field=id] .field-error:has-text('valid id')")
    assert explorer.page.is_hidden("#node-form [data-field=accessibility] .field-error")
    # An edge the vocabulary forbids: the start list only offers allowed kinds.
    explorer.page.click("#new-edge")
    explorer.page.select_option("#edge-kind", "AFFECTS")
    kinds = explorer.js(
        """[...document.querySelectorAll('#edge-from option')].filter((o) => o.value)
             .map((o) => graphsvcExplorer.model.nodes.get(o.value).kind)"""
    )
    assert kinds and set(kinds) == {"AISystem"}
    explorer.page.click("#edge-form button[type=submit]")
    assert "choose the node" in (
        explorer.page.text_content("#edge-form [data-field=from] .field-error") or ""
    )
    assert live_server.version(map_id) == version  # nothing was stored
    explorer.assert_no_console_errors()


def test_undo_and_redo_of_edits(explorer: ExplorerPage, live_server: LiveServer) -> None:
    map_id = "ofqual-2020"
    explorer.open(map_id)
    assert explorer.page.is_disabled("#undo")
    add_node(explorer, "AffectedCommunity", "Private candidates", vulnerability="HIGH")
    node = "private-candidates"
    explorer.wait_for(f"graphsvcExplorer.model.nodes.has('{node}')")
    explorer.idle()
    assert node in live_server.node_ids(map_id)
    # Undo (the button) removes it everywhere; redo (the keyboard) brings it back.
    explorer.page.click("#undo")
    explorer.wait_for(f"!graphsvcExplorer.model.nodes.has('{node}')")
    explorer.idle()
    assert node not in explorer.drawn_nodes()
    assert node not in live_server.node_ids(map_id)
    assert explorer.page.is_enabled("#redo")
    explorer.page.locator("#graph").focus()
    explorer.page.keyboard.press("Control+Shift+Z")
    explorer.wait_for(f"graphsvcExplorer.model.nodes.has('{node}')")
    explorer.idle()
    assert node in explorer.drawn_nodes()
    assert node in live_server.node_ids(map_id)
    # Deleting a node takes its edges; undoing the delete restores both.
    victim = "ofqual"
    edges = {e for e in live_server.edge_ids(map_id) if victim in e.split("--")[::2]}
    assert edges
    explorer.page.evaluate("(id) => graphsvcExplorer.selectNode(id)", victim)
    delete = explorer.page.locator("#pane-details button.danger:has-text('Delete node')")
    delete.click()
    explorer.page.click("#pane-details button.danger:has-text('Confirm delete')")
    explorer.wait_for(f"!graphsvcExplorer.model.nodes.has('{victim}')")
    explorer.idle()
    assert victim not in live_server.node_ids(map_id)
    assert not edges & live_server.edge_ids(map_id)
    explorer.page.keyboard.press("Control+z")
    explorer.wait_for(f"graphsvcExplorer.model.nodes.has('{victim}')")
    explorer.idle()
    assert victim in live_server.node_ids(map_id)
    assert edges <= live_server.edge_ids(map_id)
    assert edges <= explorer.drawn_edges()
    explorer.assert_no_console_errors()


def test_moved_nodes_keep_their_place_after_a_reload(explorer: ExplorerPage) -> None:
    map_id = "michigan-midas"
    explorer.open(map_id)
    node = "midas"
    start = explorer.point_of(node)
    before = explorer.position(node)
    page = explorer.page
    page.mouse.move(start["x"], start["y"])
    page.mouse.down()
    page.mouse.move(start["x"] + 60, start["y"] + 40, steps=8)
    page.mouse.move(start["x"] + 120, start["y"] + 80, steps=8)
    page.mouse.up()
    moved = explorer.position(node)
    assert moved != before
    assert abs(moved["x"] - before["x"]) > 50
    saved = explorer.js(f"JSON.parse(localStorage.getItem('graphsvc.positions.{map_id}'))")
    assert saved[node] == {"x": round(moved["x"]), "y": round(moved["y"])}
    explorer.reload(map_id)
    restored = explorer.position(node)
    assert abs(restored["x"] - moved["x"]) <= 1
    assert abs(restored["y"] - moved["y"]) <= 1
    # Every node drawn was saved, so the reload needed no layout at all.
    assert set(saved) == explorer.drawn_nodes()
    # Reset layout forgets them.
    page.click("#reset-layout")
    explorer.idle()
    assert explorer.js(f"localStorage.getItem('graphsvc.positions.{map_id}')") is None
    explorer.assert_no_console_errors()


def test_applying_a_recommendation_stores_it_and_resolves_the_finding(
    explorer: ExplorerPage, live_server: LiveServer
) -> None:
    map_id = "content-moderation"
    explorer.open(map_id)
    explorer.page.click("#tab-whatif")
    key = "fix:mechanism:OVERLOADED:in-app-appeal"
    explorer.page.click(f".recommendation[data-key='{key}'] button[data-action=apply]")
    explorer.wait_for(
        "graphsvcExplorer.model.nodes.get('in-app-appeal').capacityPerMonth === 102000"
    )
    explorer.idle()
    stored = live_server.graphql(
        """{ node(mapId: "content-moderation", id: "in-app-appeal") {
             ... on Mechanism { capacityPerMonth accessibility } } }"""
    )["node"]
    assert stored == {"capacityPerMonth": 102000, "accessibility": 0.7}  # other fields kept
    # The analyses refreshed: the mechanism is no longer overloaded.
    explorer.page.click("#tab-analyses")
    explorer.page.click("#analysis-tab-mechanisms")
    assert explorer.page.locator("button[data-key='mechanism:OK:in-app-appeal']").count() == 1
    # And it can be undone like any edit.
    explorer.page.click("#undo")
    explorer.wait_for(
        "graphsvcExplorer.model.nodes.get('in-app-appeal').capacityPerMonth === 40000"
    )
    explorer.idle()
    explorer.assert_no_console_errors()


def test_a_stale_version_is_a_conflict_and_the_map_reloads(
    explorer: ExplorerPage, live_server: LiveServer
) -> None:
    map_id = "robodebt"
    explorer.open(map_id)
    # Another laptop edits the map meanwhile.
    live_server.graphql(
        """mutation { upsertNode(mapId: "robodebt", input: {
             id: "second-laptop", kind: UserGroup, name: "Added elsewhere"}) { version } }"""
    )
    add_node(explorer, "UserGroup", "Added here")
    explorer.page.wait_for_selector("#toast.error:has-text('changed elsewhere')")
    explorer.wait_for("graphsvcExplorer.model.nodes.has('second-laptop')")
    explorer.idle()
    assert "added-here" not in live_server.node_ids(map_id)
    assert "second-laptop" in explorer.drawn_nodes()
    # The 409 of the rejected write is the one expected console error.
    assert [e for e in explorer.errors if "409" not in e and "CONFLICT" not in e] == []
    explorer.errors.clear()


def test_exports_download_the_map(explorer: ExplorerPage) -> None:
    explorer.open("customer-chatbot")
    with explorer.page.expect_download() as info:
        explorer.page.click("[data-export=yaml]")
    download = info.value
    assert download.suggested_filename == "customer-chatbot.yaml"
    text = Path(download.path()).read_text(encoding="utf-8")
    assert text.startswith("map:")
    with explorer.page.expect_download() as info:
        explorer.page.click("[data-export=json]")
    assert info.value.suggested_filename == "customer-chatbot.json"
    explorer.assert_no_console_errors()


def test_viewers_see_no_edit_controls(explorer: ExplorerPage) -> None:
    explorer.open("customer-chatbot")
    explorer.page.evaluate("graphsvcExplorer.selectNode('chatbot')")
    assert explorer.page.is_visible("#tab-edit")
    assert explorer.page.is_visible("#pane-details button.danger")
    explorer.page.evaluate("graphsvcExplorer.setRole('viewer')")
    for selector in ["#tab-edit", "#undo", "#pane-details button.danger", "[data-action=apply]"]:
        assert explorer.page.locator(selector).evaluate_all(
            "(els) => els.every((el) => el.offsetParent === null)"
        ), selector
    explorer.assert_no_console_errors()


def test_the_explorer_asks_for_a_token_and_sends_it(explorer: ExplorerPage) -> None:
    """A server that wants a token answers 401; the explorer asks for one and sends it as a
    Bearer token from then on. (The server here has no tokens, so the test plays the 401 and
    takes the header off before passing requests on.)"""
    page = explorer.page
    sent: list[str | None] = []

    def api(route: Route) -> None:
        token = route.request.headers.get("authorization")
        sent.append(token)
        if token is None:
            route.fulfill(
                status=401,
                json={
                    "errors": [
                        {"message": "a token is needed", "extensions": {"code": "UNAUTHENTICATED"}}
                    ]
                },
            )
        else:
            headers = {k: v for k, v in route.request.headers.items() if k != "authorization"}
            route.continue_(headers=headers)

    page.route("**/graphql", api)
    page.route("**/api/**", api)
    page.goto(f"{explorer.server.url}/#map=customer-chatbot")
    page.wait_for_selector("#signin-dialog[open]")
    assert "needs an API token" in (page.text_content("#signin-message") or "")
    page.fill("#signin-token", "gs_test_token")
    before = len(sent)
    page.click("#signin-form button[type=submit]")
    explorer.ready("customer-chatbot")
    assert set(sent[:before]) == {None}
    assert set(sent[before:]) == {"Bearer gs_test_token"}
    assert page.text_content("#signin") == "Sign out"
    # The token is kept for this tab only.
    assert page.evaluate("sessionStorage.getItem('graphsvc.token')") == "gs_test_token"
    assert page.evaluate("localStorage.getItem('graphsvc.token')") is None
    # The 401 the browser logged is the one expected console error.
    assert [e for e in explorer.errors if "401" not in e] == []
    explorer.errors.clear()

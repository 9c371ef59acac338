"""The explorer in headless Chromium, reading: a seed map drawn, search, filters, findings
highlighted on the graph, impact paths, what-if simulations, hostile strings, large maps.
Nothing here changes a seed map (the editing tests live in test_explorer_edit.py)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from graphsvc.domain.synthetic import generate_map_data

if TYPE_CHECKING:
    from tests.explorer_support import ExplorerPage, LiveServer

pytest_plugins = ["tests.explorer_support"]
pytestmark = pytest.mark.browser

MAP = "content-moderation"
SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def test_a_seed_map_is_drawn_with_every_node_and_edge(
    explorer: ExplorerPage, live_server: LiveServer
) -> None:
    explorer.open(MAP)
    assert explorer.drawn_nodes() == live_server.node_ids(MAP)
    assert explorer.drawn_edges() == live_server.edge_ids(MAP)
    # Shape and colour by kind; line style by edge kind.
    styles = explorer.js(
        """Object.fromEntries(graphsvcExplorer.graph.nodes.get().map(
             (n) => [n.id, [n.shape, n.color.background]]))"""
    )
    assert styles["removal-classifier"] == ["box", "#0072B2"]
    assert styles["in-app-appeal"] == ["hexagon", "#009E73"]
    assert styles["creators"] == ["dot", "#E69F00"]
    dashes = explorer.js(
        """Object.fromEntries(graphsvcExplorer.graph.edges.get().map((e) => [e.kind, e.dashes]))"""
    )
    assert dashes["AFFECTS"] is False
    assert dashes["CAN_CONTEST_VIA"] == [8, 4]
    # The legend names every kind, with counts.
    legend = explorer.page.text_content("#kind-filters") or ""
    for label in ["AI system", "Organization", "Affected community", "Mechanism", "Incentive"]:
        assert label in legend
    assert explorer.page.text_content("#graph-status-text") == (
        "23 of 23 nodes and 38 of 38 edges shown"
    )
    # The layout is frozen after it settles; unfreezing runs physics, freezing saves it.
    assert explorer.page.get_attribute("#freeze", "aria-pressed") == "true"
    explorer.page.click("#freeze")
    assert explorer.page.get_attribute("#freeze", "aria-pressed") == "false"
    assert explorer.js("graphsvcExplorer.graph.network.physics.options.enabled") is True
    explorer.page.click("#freeze")
    assert explorer.js("graphsvcExplorer.graph.network.physics.options.enabled") is False
    saved = explorer.js(f"JSON.parse(localStorage.getItem('graphsvc.positions.{MAP}'))")
    assert set(saved) == explorer.drawn_nodes()
    explorer.assert_no_console_errors()


def test_search_focuses_the_node(explorer: ExplorerPage) -> None:
    explorer.open(MAP)
    explorer.page.click("#search")
    explorer.page.keyboard.type("platform oversight")
    options = explorer.page.locator("#search-results [role=option]")
    assert options.first.text_content().startswith("Platform oversight board")  # type: ignore[union-attr]
    explorer.page.keyboard.press("Enter")
    explorer.wait_for("graphsvcExplorer.graph.network.getSelectedNodes()[0] === 'oversight-board'")
    assert explorer.page.text_content("#details-title") == "Platform oversight board"
    # The view centres on it (vis animates by frames, so wait rather than sleep).
    explorer.wait_for(
        """(() => {
             const g = graphsvcExplorer.graph;
             const p = g.network.canvasToDOM(g.positionOf('oversight-board'));
             const box = g.container.getBoundingClientRect();
             return Math.abs(p.x - box.width / 2) < 3 && Math.abs(p.y - box.height / 2) < 3;
           })()"""
    )
    explorer.assert_no_console_errors()


def test_filters_by_kind_hide_nodes_and_their_edges(explorer: ExplorerPage) -> None:
    explorer.open(MAP)
    everything = explorer.drawn_nodes()
    mechanisms = {
        n
        for n in everything
        if explorer.js("(id) => graphsvcExplorer.model.nodes.get(id).kind", n) == "Mechanism"
    }
    assert len(mechanisms) == 5
    explorer.page.uncheck("#kind-filters input[data-kind=Mechanism]")
    assert explorer.drawn_nodes() == everything - mechanisms
    assert not any("CAN_CONTEST_VIA" in e for e in explorer.drawn_edges())
    assert "18 of 23 nodes" in (explorer.page.text_content("#graph-status-text") or "")
    explorer.page.uncheck("#edge-filters input[data-edge-kind=AFFECTS]")
    assert not any("--AFFECTS--" in e for e in explorer.drawn_edges())
    explorer.page.click("#show-all-kinds")
    assert explorer.drawn_nodes() == everything
    explorer.assert_no_console_errors()


def test_clicking_a_finding_highlights_its_nodes_and_path(explorer: ExplorerPage) -> None:
    explorer.open(MAP)
    explorer.page.click("#tab-analyses")
    explorer.page.click("#analysis-tab-mechanisms")
    button = explorer.page.locator("button.finding[data-key='mechanism:OVERLOADED:in-app-appeal']")
    assert button.text_content() == "In-app appeal against a removal"
    row = explorer.page.locator("#analysis-panel-mechanisms .mechanism").first  # the busiest
    assert row.locator(".bar").get_attribute("aria-label") == "utilization 255%"
    assert "load 102,000/month · capacity 40,000/month" in (row.text_content() or "")
    button.click()
    # The mechanism, and the contest paths of the pairs whose best path runs through it.
    assert explorer.highlighted() == {
        "nodes": ["creators", "in-app-appeal", "moderators", "rights-documenters"],
        "edges": [
            "creators--CAN_CONTEST_VIA--in-app-appeal",
            "in-app-appeal--HANDLED_BY--moderators",
            "rights-documenters--CAN_CONTEST_VIA--in-app-appeal",
        ],
    }
    assert button.get_attribute("aria-pressed") == "true"
    styled = explorer.js(
        "[graphsvcExplorer.graph.nodes.get('in-app-appeal').borderWidth,"
        " graphsvcExplorer.graph.nodes.get('platform').opacity]"
    )
    assert styled == [5, 0.15]  # marked thick, the rest dimmed
    assert "highlighted: In-app appeal" in (explorer.page.text_content("#graph-status-text") or "")
    # Another tab: a stakeholder without a contest path, with the systems it cannot contest.
    explorer.page.click("#analysis-tab-withoutContestPath")
    explorer.page.click("button.finding[data-key='withoutContestPath:targeted-communities']")
    assert explorer.highlighted() == {
        "nodes": ["removal-classifier", "targeted-communities"],
        "edges": ["removal-classifier--AFFECTS--targeted-communities"],
    }
    # Escape clears it.
    explorer.page.keyboard.press("Escape")
    assert explorer.highlighted() == {"nodes": [], "edges": []}
    assert explorer.js("graphsvcExplorer.graph.nodes.get('platform').opacity") == 1
    explorer.assert_no_console_errors()


def test_every_analysis_tab_lists_its_findings(explorer: ExplorerPage) -> None:
    explorer.open(MAP)
    explorer.page.click("#tab-analyses")
    expected = {
        "withoutContestPath": 3,
        "accountabilityGaps": 2,
        "automationBias": 2,
        "singlePointsOfFailure": 2,
        "feedbackLoops": 6,
        "salience": 13,
    }
    for section, count in expected.items():
        explorer.page.click(f"#analysis-tab-{section}")
        panel = f"#analysis-panel-{section}"
        assert explorer.page.is_visible(panel)
        assert (
            explorer.page.locator(f"{panel} button.finding[data-section={section}]").count()
            == count
        )
    # Power asymmetry: a grid of points and a table sortable by every column.
    explorer.page.click("#analysis-tab-powerAsymmetry")
    assert explorer.page.locator("svg.power-grid circle.point").count() == 6
    first_actor = explorer.page.locator("#power-table tbody tr").first.get_attribute("data-key")
    assert first_actor is not None and first_actor.startswith("power:")
    explorer.page.click("#power-table button[data-column=asymmetry]")  # now ascending
    header = explorer.page.locator(
        "#power-table th", has=explorer.page.locator("[data-column=asymmetry]")
    )
    assert header.get_attribute("aria-sort") == "ascending"
    values = [
        float(t)
        for t in explorer.page.locator("#power-table tbody td:nth-child(4)").all_text_contents()
    ]
    assert values == sorted(values)
    explorer.page.locator("svg.power-grid circle.point").first.click()
    assert len(explorer.highlighted()["nodes"]) == 3  # actor, system, stakeholder
    assert explorer.page.locator("#analysis-panel-powerAsymmetry .reasons li").count() >= 1
    explorer.assert_no_console_errors()


def test_impact_paths_between_two_nodes_are_highlighted(explorer: ExplorerPage) -> None:
    explorer.open(MAP)
    explorer.page.click("#tab-analyses")
    explorer.page.click("#analysis-tab-impact")
    explorer.page.select_option("#impact-from", "platform")
    explorer.page.select_option("#impact-to", "creators")
    explorer.page.click(".impact-form button[type=submit]")
    explorer.page.wait_for_selector(".impact-results button.finding")
    paths = explorer.page.locator(".impact-results button.finding")
    assert paths.count() == 2
    paths.first.click()
    assert explorer.highlighted() == {
        "nodes": ["creators", "platform", "removal-classifier"],
        "edges": [
            "platform--DEVELOPS--removal-classifier",
            "removal-classifier--AFFECTS--creators",
        ],
    }
    explorer.assert_no_console_errors()


def test_a_simulation_shows_what_a_recommendation_resolves(
    explorer: ExplorerPage, live_server: LiveServer
) -> None:
    version = live_server.version(MAP)
    explorer.open(MAP)
    explorer.page.click("#tab-whatif")
    key = "fix:contest:NONE:removal-classifier:targeted-communities"
    explorer.page.click(f".recommendation[data-key='{key}'] button[data-action=simulate]")
    explorer.page.wait_for_selector("#scenario-result .resolved")
    resolved = explorer.page.locator("#scenario-result ul.resolved li")
    keys = {resolved.nth(i).get_attribute("data-key") for i in range(resolved.count())}
    assert {
        "contest:NONE:removal-classifier:targeted-communities",
        "withoutContestPath:targeted-communities",
    } <= keys
    assert explorer.page.locator("#scenario-result ul.introduced li").count() == 0
    # The change set is drawn: the proposed edge dashed, its ends marked.
    proposed = explorer.js("graphsvcExplorer.graph.edges.get({filter: (e) => e.proposed})")
    assert [(e["from"], e["to"], e["dashes"]) for e in proposed] == [
        ("targeted-communities", "crosscheck-review", [6, 4])
    ]
    assert explorer.highlighted()["nodes"] == ["crosscheck-review", "targeted-communities"]
    # Nothing was stored.
    assert live_server.version(MAP) == version
    assert "targeted-communities--CAN_CONTEST_VIA--crosscheck-review" not in explorer.js(
        "[...graphsvcExplorer.model.edges.keys()]"
    )
    explorer.page.click("#scenario-result button:has-text('Clear simulation')")
    assert explorer.js("graphsvcExplorer.graph.edges.get({filter: (e) => e.proposed}).length") == 0
    # A change set that adds a node draws it as a proposal too.
    key = "fix:contest:NO_AUTHORITY:hash-database:rights-documenters"
    explorer.page.click(f".recommendation[data-key='{key}'] button[data-action=simulate]")
    explorer.page.wait_for_selector(
        f".recommendation[data-key='{key}'] #scenario-result .resolved li"
    )
    proposed = explorer.js("graphsvcExplorer.graph.nodes.get({filter: (n) => n.proposed})")
    assert len(proposed) == 1
    assert proposed[0]["label"].startswith("+ Appeal to")
    explorer.assert_no_console_errors()


HOSTILE = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>'


def test_hostile_strings_are_shown_as_text(explorer: ExplorerPage, live_server: LiveServer) -> None:
    live_server.import_map(
        {
            "map": {"id": "hostile", "title": HOSTILE, "description": HOSTILE},
            "sources": [
                {
                    "id": "bad",
                    "title": HOSTILE,
                    "url": 'https://example.org/"><svg/onload=window.pwned=3>',
                }
            ],
            "nodes": [
                {
                    "id": "sys",
                    "kind": "AISystem",
                    "name": HOSTILE,
                    "stakes": "HIGH",
                    "sources": ["bad"],
                    "attributes": {"note": HOSTILE},
                },
                {"id": "org", "kind": "Organization", "name": "Deployer"},
                {"id": "people", "kind": "AffectedCommunity", "name": HOSTILE},
            ],
            "edges": [
                {"from": "org", "to": "sys", "kind": "DEPLOYS", "description": HOSTILE},
                {"from": "sys", "to": "people", "kind": "AFFECTS", "severity": "HIGH"},
            ],
        }
    )
    explorer.open("hostile")
    explorer.page.evaluate("graphsvcExplorer.selectNode('sys')")
    explorer.page.wait_for_selector("#pane-details .sources a")
    assert explorer.page.text_content("#details-title") == HOSTILE
    link = explorer.page.locator("#pane-details .sources a")
    assert link.text_content() == HOSTILE
    assert (link.get_attribute("href") or "").startswith("https://example.org/%22%3E%3Csvg")
    assert link.get_attribute("rel") == "noopener noreferrer"
    details = explorer.page.text_content("#pane-details") or ""
    assert HOSTILE in details
    explorer.page.click("#tab-analyses")
    explorer.page.click("#analysis-tab-withoutContestPath")
    assert HOSTILE in (explorer.page.text_content("#analysis-panel-withoutContestPath") or "")
    explorer.page.click("#search")
    explorer.page.keyboard.type("<img")
    explorer.page.wait_for_selector("#search-results [role=option]")
    # No element was ever made from the data, and nothing ran.
    assert explorer.page.locator("img").count() == 0
    assert explorer.page.locator("body script:not([src])").count() == 0
    assert explorer.js("window.pwned === undefined")
    explorer.assert_no_console_errors()


def test_large_maps_open_on_a_focus_set_and_expand_on_demand(
    explorer: ExplorerPage, live_server: LiveServer
) -> None:
    live_server.import_map(generate_map_data(330, seed=5, map_id="synthetic-330"))
    total = len(live_server.node_ids("synthetic-330"))
    explorer.open("synthetic-330")
    drawn = explorer.drawn_nodes()
    assert 0 < len(drawn) <= 150 < total
    notice = explorer.page.text_content("#notice") or ""
    assert f"of {total} nodes drawn" in notice
    assert "Not drawn:" in notice
    assert explorer.js("graphsvcExplorer.graph.network.physics.options.enabled") is False
    # Search finds a node that is not drawn, and draws it.
    hidden = explorer.js(
        """(() => {
             const g = graphsvcExplorer.graph;
             const m = graphsvcExplorer.model;
             const drawn = new Set(g.drawnNodeIds());
             const out = [...m.edges.values()].filter((e) => !drawn.has(e.fromId) && !drawn.has(e.toId));
             return out.map((e) => e.fromId).sort()[0];
           })()"""
    )
    explorer.page.evaluate("(id) => graphsvcExplorer.selectNode(id, {focus: true})", hidden)
    assert hidden in explorer.drawn_nodes()
    # Double-clicking it draws its neighbourhood.
    before = len(explorer.drawn_nodes())
    point = explorer.point_of(hidden)
    explorer.page.mouse.dblclick(point["x"], point["y"])
    explorer.idle()
    assert len(explorer.drawn_nodes()) > before
    assert hidden in explorer.highlighted()["nodes"]
    assert f"of {total} nodes drawn" in (explorer.page.text_content("#notice") or "")
    # And everything on request.
    explorer.page.click("#show-all")
    assert len(explorer.drawn_nodes()) == total
    assert explorer.page.is_hidden("#notice")
    assert not math.isnan(explorer.position(hidden)["x"])
    explorer.assert_no_console_errors()


def test_keyboard_and_screen_reader_basics(explorer: ExplorerPage) -> None:
    explorer.open(MAP)
    page = explorer.page
    # Every control has an accessible name.
    unnamed = page.evaluate(
        """() => [...document.querySelectorAll('button, input, select, [role=tab], textarea')]
             .filter((el) => el.offsetParent !== null)
             .filter((el) => !(el.getAttribute('aria-label') || el.textContent.trim()
                               || (el.id && document.querySelector(`label[for="${el.id}"]`))
                               || el.closest('label')))
             .map((el) => el.outerHTML.slice(0, 80))"""
    )
    assert unnamed == []
    # The side-panel tabs follow the ARIA tabs pattern: arrows move, one tab stop.
    page.focus("#tab-details")
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.id") == "tab-analyses"
    assert page.get_attribute("#tab-analyses", "aria-selected") == "true"
    assert page.is_visible("#pane-analyses")
    assert page.get_attribute("#tab-details", "tabindex") == "-1"
    # A finding is a button: Enter highlights it and the live region says so.
    finding = page.locator("button.finding[data-key='withoutContestPath:targeted-communities']")
    finding.focus()
    page.keyboard.press("Enter")
    assert explorer.highlighted()["nodes"] == ["removal-classifier", "targeted-communities"]
    explorer.wait_for("document.querySelector('#live').textContent.startsWith('Highlighted')")
    # Focus is visible: the focused control draws an outline.
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    # "/" jumps to the search box.
    page.locator("body").press("Escape")
    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "search"
    explorer.assert_no_console_errors()


def test_the_map_picker_opens_every_seed_map_with_every_panel(
    explorer: ExplorerPage, live_server: LiveServer
) -> None:
    explorer.open(MAP)
    seeds = {p.stem for p in SEEDS.glob("*.yaml")}
    ids = [m["id"] for m in live_server.graphql("{ maps { id } }")["maps"] if m["id"] in seeds]
    assert len(ids) >= 6
    sections = [
        "withoutContestPath",
        "mechanisms",
        "powerAsymmetry",
        "accountabilityGaps",
        "feedbackLoops",
        "automationBias",
        "salience",
        "singlePointsOfFailure",
        "impact",
    ]
    for map_id in ids:
        explorer.page.select_option("#map-picker", map_id)
        explorer.wait_for(f"graphsvcExplorer.model?.id === '{map_id}'")
        explorer.ready(map_id)
        assert explorer.page.url.endswith(f"#map={map_id}")
        assert explorer.drawn_nodes() == live_server.node_ids(map_id)
        explorer.page.click("#tab-analyses")
        for section in sections:
            explorer.page.click(f"#analysis-tab-{section}")
            assert explorer.page.is_visible(f"#analysis-panel-{section}")
        explorer.page.click("#tab-whatif")
        explorer.page.click("#tab-details")
    # The URL remembers the map across a reload.
    explorer.reload(ids[-1])
    explorer.assert_no_console_errors()

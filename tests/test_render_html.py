"""The standalone HTML report: offline, findings on their nodes, long tables cut with a note."""

from __future__ import annotations

import json
import re

import pytest

from graphsvc.analysis.report import build_report
from graphsvc.render import html_report
from graphsvc.render.html_report import render_report_html
from tests.factories import build_map, edge, node

MAP = build_map(
    [node("s1", stakes="HIGH", automationLevel="FULLY_AUTOMATED"), node("o1"), node("c1"),
     node("c2"), node("c3")],
    [edge("o1", "DEPLOYS", "s1"), edge("s1", "AFFECTS", "c1"), edge("s1", "AFFECTS", "c2"),
     edge("s1", "AFFECTS", "c3")],
)  # fmt: skip


def network_data(page: str) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    nodes = re.search(r"const nodes = new vis.DataSet\((.*?)\);\n", page)
    edges = re.search(r"const edges = new vis.DataSet\((.*?)\);\n", page)
    assert nodes and edges
    return json.loads(nodes.group(1)), json.loads(edges.group(1))


def test_offline_page_with_findings_on_their_nodes() -> None:
    page = render_report_html(MAP, build_report(MAP))
    assert "<script src" not in page
    assert "<link" not in page
    assert "cdnjs" not in page and "jsdelivr" not in page
    nodes, edges = network_data(page)
    by_id = {n["id"]: n for n in nodes}
    assert set(by_id) == {"s1", "o1", "c1", "c2", "c3"}
    assert "automationBias:s1" in str(by_id["s1"]["title"])
    assert by_id["c1"]["borderWidth"] == 4  # NONE: highlighted
    assert len(edges) == 4


def test_long_tables_are_cut_with_a_note(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(html_report, "MAX_TABLE_ROWS", 1)
    page = render_report_html(MAP, build_report(MAP))
    assert "… and 2 more rows" in page  # three contest pairs, one shown


def test_big_maps_show_the_flagged_part_of_the_network(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(html_report, "MAX_NETWORK_NODES", 3)
    page = render_report_html(MAP, build_report(MAP))
    nodes, _ = network_data(page)
    assert len(nodes) <= 4
    assert "the network shows the" in page

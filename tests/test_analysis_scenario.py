"""Scenarios, map diffs, finding keys in the report, and the HTML report through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graphsvc.analysis.diff import diff_maps
from graphsvc.analysis.findings import KEYED_SECTIONS
from graphsvc.analysis.report import REPORT_KEYS, build_report
from graphsvc.analysis.scenario import run_scenario
from graphsvc.cli import app
from graphsvc.domain.changes import apply_changes, upsert_edge
from graphsvc.domain.mapfile import dump_map
from graphsvc.errors import InvalidInput
from tests.factories import build_map, edge, node

MAP = build_map(
    [node("s1", stakes="HIGH"), node("o1"), node("c1"), node("m1", capacityPerMonth=1)],
    [
        edge("o1", "DEPLOYS", "s1"),
        edge("s1", "AFFECTS", "c1", contestsPerMonth=4),
        edge("m1", "HANDLED_BY", "o1"),
    ],
)


def test_scenario_reports_resolved_introduced_and_changed() -> None:
    before = build_report(MAP)
    result = run_scenario(MAP, [upsert_edge("c1", "CAN_CONTEST_VIA", "m1")])
    resolved = [c.key for c in result.findings.resolved]
    introduced = [c.key for c in result.findings.introduced]
    changed = [c.key for c in result.findings.changed]
    assert "contest:NONE:s1:c1" in resolved
    assert "withoutContestPath:c1" in resolved
    assert "contest:OVERLOADED:s1:c1" in introduced  # 4 contests a month, capacity 1
    assert "mechanism:OVERLOADED:m1" in introduced
    assert "power:o1:c1" in changed  # a contest path lowers the asymmetry
    assert build_report(MAP) == before  # nothing stored, nothing mutated
    data = result.as_dict()
    assert set(data) == {"report", "resolved", "introduced", "changed"}
    assert json.dumps(data)  # JSON-ready


def test_scenario_rejects_an_invalid_change_set() -> None:
    with pytest.raises(InvalidInput) as caught:
        run_scenario(MAP, [upsert_edge("c1", "CAN_CONTEST_VIA", "nope")])
    assert caught.value.problems[0].path == "changes[0].edge.to"


def test_every_finding_entry_has_a_key() -> None:
    report = build_report(MAP)
    assert tuple(report) == REPORT_KEYS
    for section in KEYED_SECTIONS:
        for entry in report[section]:
            assert entry["key"]
    assert [r["key"] for r in report["recommendations"]] == sorted(
        r["key"] for r in report["recommendations"]
    )


def test_map_diff() -> None:
    after = apply_changes(
        MAP,
        [
            upsert_edge("c1", "CAN_CONTEST_VIA", "m1"),
            {"op": "setFields", "node": "m1", "fields": {"capacityPerMonth": 4}},
            {"op": "deleteEdge", "id": "m1--HANDLED_BY--o1"},
            {"op": "upsertEdge", "edge": {"from": "m1", "kind": "HANDLED_BY", "to": "o1"}},
        ],
    )
    d = diff_maps(MAP, after)
    assert d.edges_added == ["c1--CAN_CONTEST_VIA--m1"]
    assert d.edges_removed == []
    assert [(c.id, c.fields) for c in d.nodes_changed] == [("m1", {"capacityPerMonth": [1, 4]})]
    assert "contest:NONE:s1:c1" in [c.key for c in d.findings.resolved]
    assert "contest:EFFECTIVE:s1:c1" not in [c.key for c in d.findings.introduced]
    assert d.as_dict()["nodes"]["changed"] == [{"id": "m1", "fields": {"capacityPerMonth": [1, 4]}}]


def test_analyze_html_through_the_cli(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(dump_map(MAP, "yaml"))
    result = CliRunner().invoke(app, ["analyze", str(path), "--format", "html"])
    assert result.exit_code == 0, result.output
    page = result.stdout
    assert page.startswith("<!DOCTYPE html>")
    assert "<script src" not in page and "<link" not in page  # opens offline
    assert "new vis.Network" in page
    assert "gap:UNOVERSEEN:s1" in page  # findings listed on their node
    assert "Recommendations" in page

"""The seed maps show every kind of finding at least once, and their recommendations work."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest

from graphsvc.analysis.findings import KEYED_SECTIONS
from graphsvc.analysis.report import build_report
from graphsvc.analysis.scenario import run_scenario
from graphsvc.domain.mapfile import load_map_file
from graphsvc.domain.model import StakeholderMap
from graphsvc.render.html_report import render_report_html
from tests.conftest import SEEDS

SEED_FILES = sorted(p for p in SEEDS.glob("*.yaml") if p.stem != "template")


@cache
def seed(path: Path) -> tuple[StakeholderMap, dict[str, Any]]:
    m = load_map_file(path)
    return m, build_report(m)


def kinds_of(report: dict[str, Any]) -> set[str]:
    """Every kind of finding in a report, named as in docs/ANALYSES.md."""
    found = {f"contest:{p['status']}" for p in report["contestPairs"]}
    found |= {f"feedback:{f['status']}" for f in report["feedbackLoops"]}
    found |= {f"gap:{g['type']}" for g in report["accountabilityGaps"]}
    found |= {f"automationBias:{flag}" for a in report["automationBias"] for flag in a["flags"]}
    found |= {f"automationBias:{a['level']}" for a in report["automationBias"]}
    found |= {f"salience:{s['class']}" for s in report["salience"]}
    found |= {"mechanism:OVERLOADED" for m in report["mechanisms"] if m["coverage"] < 1}
    for section in ("withoutContestPath", "singlePointsOfFailure", "powerAsymmetry"):
        if report[section]:
            found.add(section)
    if any(p["asymmetry"] >= 0.9 * p["powerOver"] for p in report["powerAsymmetry"]):
        found.add("powerAsymmetry:no-counter-power")
    found |= {
        r["key"].split(":")[0] + ":" + r["key"].split(":")[1] for r in report["recommendations"]
    }
    return found


EXPECTED = {
    "contest:NONE", "contest:NO_AUTHORITY", "contest:OVERLOADED", "contest:EFFECTIVE",
    "withoutContestPath", "mechanism:OVERLOADED", "feedback:BROKEN", "feedback:PRESENT",
    "gap:NO_DEPLOYER", "gap:UNOVERSEEN", "gap:ADVISORY_ONLY_OVERSIGHT",
    "gap:CONFLICT_OF_INTEREST", "gap:UNACCOUNTABLE_ACTOR",
    "automationBias:HIGH_STAKES_AUTOMATION", "automationBias:NO_OVERRIDE",
    "automationBias:PRESSURED_OPERATORS", "automationBias:MEDIUM", "automationBias:HIGH",
    "singlePointsOfFailure", "powerAsymmetry", "powerAsymmetry:no-counter-power",
    # DEMANDING and DANGEROUS cannot occur under SPEC §3 (urgency implies legitimacy).
    "salience:DORMANT", "salience:DISCRETIONARY", "salience:DOMINANT", "salience:DEPENDENT",
    "salience:DEFINITIVE", "salience:NON_STAKEHOLDER",
    "fix:contest", "fix:mechanism", "fix:feedback", "fix:gap",
    "fix:automationBias", "fix:spof", "plan:contest-paths",
}  # fmt: skip


def test_there_are_seed_maps() -> None:
    assert len(SEED_FILES) >= 5


def test_every_kind_of_finding_appears_in_some_seed() -> None:
    found: set[str] = set()
    for path in SEED_FILES:
        found |= kinds_of(seed(path)[1])
    assert EXPECTED - found == set()


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.stem)
def test_every_finding_has_a_unique_key(path: Path) -> None:
    _, report = seed(path)
    keys = [e["key"] for section in KEYED_SECTIONS for e in report[section]]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.stem)
def test_every_recommendation_resolves_what_it_promises(path: Path) -> None:
    m, report = seed(path)
    for rec in report["recommendations"]:
        result = run_scenario(m, rec["changes"], base_report=report)
        resolved = {c.key for c in result.findings.resolved}
        assert set(rec["resolves"]) <= resolved, rec["key"]


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.stem)
def test_html_report_renders(path: Path) -> None:
    m, report = seed(path)
    page = render_report_html(m, report)
    assert "<script src" not in page
    assert all(n.id in page for n in m.nodes)


def test_build_report_laps_each_step_once_in_order() -> None:
    steps: list[str] = []
    report = build_report(load_map_file(SEED_FILES[0]), lap=steps.append)
    assert steps == [
        "graph", "contest", "feedback", "gaps", "automation", "spof", "salience", "power",
        "recommendations", "report assembly",
    ]  # fmt: skip
    assert report == seed(SEED_FILES[0])[1]

"""Accountability gaps, automation-bias risk and salience on tiny hand-built maps."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given

from graphsvc.analysis.automation import automation_bias
from graphsvc.analysis.contest import analyse_contest
from graphsvc.analysis.gaps import accountability_gaps
from graphsvc.analysis.graph import MapGraph
from graphsvc.analysis.salience import salience
from graphsvc.domain.model import StakeholderMap
from tests.factories import build_map, edge, node
from tests.test_analysis_power import scored_maps


def gaps(nodes: list[dict[str, Any]], edges: list[dict[str, Any]]) -> list[tuple[str, str]]:
    g = MapGraph.build(build_map(nodes, edges))
    return [(gap.type.value, gap.subject) for gap in accountability_gaps(g)]


def test_no_deployer() -> None:
    assert gaps([node("s1"), node("o1")], [edge("o1", "DEVELOPS", "s1")]) == [("NO_DEPLOYER", "s1")]
    assert gaps([node("s1"), node("o1")], [edge("o1", "DEPLOYS", "s1")]) == []


@pytest.mark.parametrize("stakes", ["HIGH", "CRITICAL"])
def test_unoverseen_high_stakes_system_and_its_unaccountable_deployer(stakes: str) -> None:
    found = gaps([node("s1", stakes=stakes), node("o1")], [edge("o1", "DEPLOYS", "s1")])
    assert found == [("UNACCOUNTABLE_ACTOR", "o1"), ("UNOVERSEEN", "s1")]


def test_low_stakes_systems_need_no_oversight() -> None:
    assert gaps([node("s1", stakes="MEDIUM"), node("o1")], [edge("o1", "DEPLOYS", "s1")]) == []


def test_oversight_of_a_deployer_counts_and_advisory_only_is_a_gap() -> None:
    nodes = [node("s1", stakes="HIGH"), node("o1"), node("o2"), node("b1")]
    edges = [
        edge("o1", "DEPLOYS", "s1"),
        edge("o2", "DEVELOPS", "s1"),
        edge("b1", "OVERSEES", "o2"),
        edge("o1", "ACCOUNTABLE_TO", "b1"),
    ]
    assert gaps(nodes, edges) == [("ADVISORY_ONLY_OVERSIGHT", "s1")]
    edges[2] = edge("b1", "OVERSEES", "o2", authority="BINDING")
    assert gaps(nodes, edges) == []


def test_conflicts_of_interest() -> None:
    nodes = [node("s1"), node("o1"), node("b1"), node("b2"), node("b3")]
    edges = [
        edge("o1", "DEPLOYS", "s1"),
        edge("o1", "FUNDS", "b1"),
        edge("b1", "OVERSEES", "o1"),  # overseen funder
        edge("b2", "DEVELOPS", "s1"),
        edge("b2", "OVERSEES", "s1"),  # oversees its own system
        edge("b3", "FUNDS", "b1"),
        edge("b3", "OVERSEES", "o1"),  # funds b1 but b1 does not oversee b3: no conflict
    ]
    g = MapGraph.build(build_map(nodes, edges))
    found = [(x.type.value, x.subject, x.related) for x in accountability_gaps(g)]
    assert found == [
        ("CONFLICT_OF_INTEREST", "b1", ("o1",)),
        ("CONFLICT_OF_INTEREST", "b2", ("s1",)),
    ]


def test_unaccountable_actor_only_for_organizations_making_high_stakes_systems() -> None:
    nodes = [node("s1", stakes="HIGH"), node("s2"), node("o1"), node("o2"), node("b1")]
    edges = [
        edge("o1", "DEPLOYS", "s1"),
        edge("b1", "DEVELOPS", "s1"),  # oversight bodies are never UNACCOUNTABLE_ACTOR
        edge("b1", "OVERSEES", "s1", authority="BINDING"),
        edge("o2", "DEPLOYS", "s2"),  # low stakes
    ]
    assert ("UNACCOUNTABLE_ACTOR", "o1") in gaps(nodes, edges)
    assert ("UNACCOUNTABLE_ACTOR", "o2") not in gaps(nodes, edges)
    assert ("UNACCOUNTABLE_ACTOR", "b1") not in gaps(nodes, edges)


# --- automation bias ----------------------------------------------------------------------


def risks(nodes: list[dict[str, Any]], edges: list[dict[str, Any]]) -> list[Any]:
    g = MapGraph.build(build_map(nodes, edges))
    return [(r.system, r.level.value, [f.value for f in r.flags]) for r in automation_bias(g)]


def test_automation_flags_and_levels() -> None:
    nodes = [
        node("s1", stakes="HIGH", automationLevel="HUMAN_ON_THE_LOOP"),
        node("s2", stakes="CRITICAL", automationLevel="HUMAN_IN_THE_LOOP"),
        node("s3", stakes="LOW", automationLevel="FULLY_AUTOMATED"),
        node("u1"),
        node("u2"),
        node("o1"),
        node("i1", polarity="AGAINST_SAFETY"),
        node("i2", polarity="TOWARD_SAFETY"),
    ]
    edges = [
        edge("u1", "OPERATES", "s2"),
        edge("u2", "OPERATES", "s2", canOverride=True),
        edge("u2", "OPERATES", "s3"),
        edge("o1", "EMPLOYS", "u2"),
        edge("i1", "INCENTIVIZES", "o1"),  # pressure on the employer counts
        edge("i2", "INCENTIVIZES", "u1"),
    ]
    assert risks(nodes, edges) == [
        ("s1", "MEDIUM", ["HIGH_STAKES_AUTOMATION"]),
        ("s2", "MEDIUM", ["PRESSURED_OPERATORS"]),
        ("s3", "MEDIUM", ["PRESSURED_OPERATORS"]),
    ]


def test_no_override_and_high_level() -> None:
    nodes = [node("s1", stakes="HIGH", automationLevel="FULLY_AUTOMATED"), node("u1")]
    edges = [edge("u1", "OPERATES", "s1")]
    assert risks(nodes, edges) == [("s1", "HIGH", ["HIGH_STAKES_AUTOMATION", "NO_OVERRIDE"])]
    assert risks(nodes[:1], []) == [("s1", "MEDIUM", ["HIGH_STAKES_AUTOMATION"])]


# --- salience -----------------------------------------------------------------------------


def test_salience_classes() -> None:
    nodes = [
        node("s1"),
        node("o1"),  # deploys: power + legitimacy → DOMINANT
        node("o2"),  # funds: power only → DORMANT
        node("b1"),  # binding oversight: power, legitimacy (OVERSEES out) → DOMINANT
        node("c1", vulnerability="HIGH"),  # affected, urgent, EFFECTIVE pair → DEFINITIVE
        node("c2"),  # affected by HIGH severity, no path → DEPENDENT
        node("c3"),  # affected, LOW severity → DISCRETIONARY
        node("u1"),  # nothing → NON_STAKEHOLDER
        node("m1"),
    ]
    edges = [
        edge("o1", "DEPLOYS", "s1"),
        edge("o2", "FUNDS", "o1"),
        edge("b1", "OVERSEES", "o1", authority="BINDING"),
        edge("s1", "AFFECTS", "c1"),
        edge("s1", "AFFECTS", "c2", severity="HIGH"),
        edge("s1", "AFFECTS", "c3", severity="LOW"),
        edge("c1", "CAN_CONTEST_VIA", "m1"),
        edge("m1", "HANDLED_BY", "o1"),
    ]
    g = MapGraph.build(build_map(nodes, edges))
    classes = {s.stakeholder: s.salience_class.value for s in salience(g, analyse_contest(g))}
    assert classes == {
        "b1": "DOMINANT",
        "c1": "DEFINITIVE",
        "c2": "DEPENDENT",
        "c3": "DISCRETIONARY",
        "o1": "DOMINANT",
        "o2": "DORMANT",
        "u1": "NON_STAKEHOLDER",
    }


def test_urgency_needs_an_affects_edge() -> None:
    nodes = [node("s1"), node("u1"), node("c1", vulnerability="HIGH")]
    edges = [edge("s1", "AFFECTS", "u1", severity="CRITICAL")]
    g = MapGraph.build(build_map(nodes, edges))
    classes = {s.stakeholder: s.salience_class.value for s in salience(g, analyse_contest(g))}
    assert classes == {"u1": "DEPENDENT", "c1": "NON_STAKEHOLDER"}  # c1 is not affected


@given(scored_maps())
def test_urgent_stakeholders_are_always_legitimate(m: StakeholderMap) -> None:
    # Urgency comes from an AFFECTS edge in, which also gives legitimacy: under SPEC §3 the
    # DEMANDING and DANGEROUS classes cannot occur (docs/ANALYSES.md says so).
    g = MapGraph.build(m)
    for s in salience(g, analyse_contest(g)):
        assert s.legitimacy or not s.urgency
        assert s.salience_class.value not in {"DEMANDING", "DANGEROUS"}

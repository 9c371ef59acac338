"""Recommendations and the minimal plan: hand-checked fixes, set cover against exhaustive
search, and every recommendation run as a scenario resolving what it promises."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from graphsvc.analysis.cover import SCAN_LIMIT, exact_cover, greedy_cover
from graphsvc.analysis.plan import contest_plan
from graphsvc.analysis.report import build_report
from graphsvc.analysis.scenario import run_scenario
from graphsvc.analysis.suite import analyse
from graphsvc.domain.model import StakeholderMap
from tests.factories import build_map, edge, node
from tests.test_analysis_power import scored_maps


def recs(m: StakeholderMap) -> dict[str, dict[str, Any]]:
    return {r["key"]: r for r in build_report(m)["recommendations"]}


def edge_id(change: dict[str, Any]) -> str:
    assert change["op"] == "upsertEdge"
    edge = change["edge"]
    return f"{edge['from']}--{edge['kind']}--{edge['to']}"


def test_connect_to_the_most_accessible_mechanism_that_reaches_an_authority() -> None:
    m = build_map(
        [node("s1"), node("o1"), node("c1"), node("c2"), node("m1", accessibility=0.2),
         node("m2", accessibility=0.9), node("m3")],
        [
            edge("o1", "DEPLOYS", "s1"),
            edge("s1", "AFFECTS", "c1"),
            edge("s1", "AFFECTS", "c2"),
            edge("m1", "HANDLED_BY", "o1"),
            edge("m2", "HANDLED_BY", "o1"),
            edge("c2", "CAN_CONTEST_VIA", "m3"),  # m3 reaches nobody: c2 is NO_AUTHORITY
        ],
    )  # fmt: skip
    found = recs(m)
    fix = found["fix:contest:NONE:s1:c1"]
    assert fix["changes"] == [
        {"op": "upsertEdge", "edge": {"from": "c1", "kind": "CAN_CONTEST_VIA", "to": "m2"}}
    ]
    assert fix["resolves"] == ["contest:NONE:s1:c1", "withoutContestPath:c1"]
    plan = found["plan:contest-paths"]
    assert [edge_id(c) for c in plan["changes"]] == [
        "c1--CAN_CONTEST_VIA--m2",
        "c2--CAN_CONTEST_VIA--m2",
    ]
    assert plan["finding"] is None


def test_create_a_mechanism_handled_by_the_deployer_when_none_reaches_an_authority() -> None:
    m = build_map(
        [node("s1"), node("o1"), node("o2"), node("c1")],
        [edge("o1", "DEVELOPS", "s1"), edge("o2", "DEPLOYS", "s1"), edge("s1", "AFFECTS", "c1")],
    )
    changes = recs(m)["fix:contest:NONE:s1:c1"]["changes"]
    assert [c["op"] for c in changes] == ["upsertNode", "upsertEdge", "upsertEdge"]
    assert changes[0]["node"]["id"] == "appeal-s1"
    assert edge_id(changes[1]) == "appeal-s1--HANDLED_BY--o2"
    assert edge_id(changes[2]) == "c1--CAN_CONTEST_VIA--appeal-s1"


def test_add_the_capacity_an_overloaded_mechanism_lacks() -> None:
    m = build_map(
        [node("s1"), node("o1"), node("c1"), node("m1", capacityPerMonth=10)],
        [
            edge("o1", "DEPLOYS", "s1"),
            edge("s1", "AFFECTS", "c1", contestsPerMonth=25.5),
            edge("c1", "CAN_CONTEST_VIA", "m1"),
            edge("m1", "HANDLED_BY", "o1"),
        ],
    )
    found = recs(m)
    raise_it = {"op": "setFields", "node": "m1", "fields": {"capacityPerMonth": 26}}
    assert found["fix:mechanism:OVERLOADED:m1"]["changes"] == [raise_it]
    assert found["fix:contest:OVERLOADED:s1:c1"]["changes"] == [raise_it]
    assert found["fix:contest:OVERLOADED:s1:c1"]["resolves"] == [
        "contest:OVERLOADED:s1:c1",
        "mechanism:OVERLOADED:m1",
    ]


def test_feedback_channel_from_the_last_mechanism_of_the_contest_path() -> None:
    m = build_map(
        [node("s1"), node("o1"), node("o2"), node("c1"), node("m1"), node("m2")],
        [
            edge("o1", "DEPLOYS", "s1"),
            edge("o2", "DEVELOPS", "s1"),
            edge("s1", "AFFECTS", "c1"),
            edge("c1", "CAN_CONTEST_VIA", "m1"),
            edge("m1", "HANDLED_BY", "m2"),
            edge("m2", "HANDLED_BY", "o1"),
        ],
    )
    (change,) = recs(m)["fix:feedback:BROKEN:s1:c1"]["changes"]
    assert edge_id(change) == "m2--FEEDS_BACK_TO--s1"


def test_gap_and_automation_fixes() -> None:
    m = build_map(
        [node("s1", stakes="HIGH", automationLevel="FULLY_AUTOMATED"), node("s2"), node("o1"),
         node("b1"), node("u1"), node("i1", polarity="AGAINST_SAFETY")],
        [
            edge("o1", "DEPLOYS", "s1"),
            edge("o1", "DEVELOPS", "s2"),
            edge("o1", "FUNDS", "b1"),
            edge("b1", "OVERSEES", "o1"),
            edge("u1", "OPERATES", "s1"),
            edge("i1", "INCENTIVIZES", "u1"),
        ],
    )  # fmt: skip
    found = recs(m)
    assert edge_id(found["fix:gap:NO_DEPLOYER:s2"]["changes"][0]) == "o1--DEPLOYS--s2"
    assert found["fix:gap:ADVISORY_ONLY_OVERSIGHT:s1"]["changes"] == [
        {"op": "setFields", "edge": "b1--OVERSEES--o1", "fields": {"authority": "BINDING"}}
    ]
    assert found["fix:gap:CONFLICT_OF_INTEREST:b1"]["changes"] == [
        {"op": "deleteEdge", "id": "o1--FUNDS--b1"}
    ]
    assert found["fix:automationBias:s1"]["changes"] == [
        {"op": "setFields", "node": "s1", "fields": {"automationLevel": "HUMAN_IN_THE_LOOP"}},
        {"op": "setFields", "edge": "u1--OPERATES--s1", "fields": {"canOverride": True}},
        {"op": "deleteEdge", "id": "i1--INCENTIVIZES--u1"},
    ]


@given(scored_maps())
def test_every_recommendation_resolves_what_it_promises(m: StakeholderMap) -> None:
    report = build_report(m)
    for rec in report["recommendations"]:
        result = run_scenario(m, rec["changes"], base_report=report)
        resolved = {c.key for c in result.findings.resolved}
        assert set(rec["resolves"]) <= resolved, rec["key"]
        # A recommendation fixes its own finding unless it says what it cannot fix.
        partial = "no fix for" in rec["rationale"]
        assert rec["finding"] is None or partial or rec["finding"] in rec["resolves"]


@given(scored_maps())
def test_the_plan_gives_every_fixable_pair_a_contest_path(m: StakeholderMap) -> None:
    a = analyse(m)
    plan = contest_plan(a)
    after = build_report(run_scenario(m, plan.changes).map)
    still = {(p["system"], p["stakeholder"]) for p in after["contestPairs"]
             if p["status"] in {"NONE", "NO_AUTHORITY"}}  # fmt: skip
    assert still == set(plan.unfixable)


# --- set cover ----------------------------------------------------------------------------


@st.composite
def cover_instances(draw: st.DrawFn) -> tuple[set[int], dict[str, set[int]]]:
    universe = set(range(draw(st.integers(0, 7))))
    elements = (
        st.sets(st.sampled_from(sorted(universe)), max_size=5) if universe else st.just(set())
    )
    candidates = {f"k{i}": draw(elements) for i in range(draw(st.integers(0, 7)))}
    return universe, candidates


@given(cover_instances())
def test_greedy_cover_is_a_cover_and_exact_is_no_larger(instance: Any) -> None:
    universe, candidates = instance
    greedy, exact = greedy_cover(universe, candidates), exact_cover(universe, candidates)
    assert (greedy is None) == (exact is None)
    if greedy is not None and exact is not None:
        for chosen in (greedy, exact):
            assert set().union(*(candidates[k] for k in chosen)) >= universe
        assert len(exact) <= len(greedy)
        harmonic = sum(1 / i for i in range(1, max(len(universe), 1) + 1))
        assert len(greedy) <= harmonic * max(len(exact), 1)


def _plain_greedy(universe: set[int], candidates: dict[str, set[int]]) -> list[str] | None:
    """The textbook greedy: rescan every candidate for the largest gain, first one on ties."""
    left, chosen = set(universe), []
    while left:
        best, gain = None, 0
        for key, covered in candidates.items():
            if len(left & covered) > gain:
                best, gain = key, len(left & covered)
        if best is None:
            return None
        chosen.append(best)
        left -= candidates[best]
    return chosen


@st.composite
def large_cover_instances(draw: st.DrawFn) -> tuple[set[int], dict[str, set[int]]]:
    """More candidates than SCAN_LIMIT, so the lazy heap runs instead of the rescan."""
    universe = set(range(draw(st.integers(2, 30))))
    elements = st.sets(st.sampled_from(sorted(universe)), max_size=4)
    count = draw(st.integers(SCAN_LIMIT + 1, SCAN_LIMIT + 60))
    return universe, {f"k{i}": draw(elements) for i in range(count)}


@given(st.one_of(cover_instances(), large_cover_instances()))
def test_both_greedy_ways_pick_what_the_textbook_greedy_picks(instance: Any) -> None:
    universe, candidates = instance
    assert greedy_cover(universe, candidates) == _plain_greedy(universe, candidates)


def test_greedy_can_be_beaten() -> None:
    sets = {"a": {1, 2, 3, 4}, "b": {1, 3, 5}, "c": {2, 4, 6}}
    assert greedy_cover({1, 2, 3, 4, 5, 6}, sets) == ["a", "b", "c"]
    assert exact_cover({1, 2, 3, 4, 5, 6}, sets) == ["b", "c"]

"""Power asymmetry: hand-checked scores, the widest contest path against brute force, and the
monotonicity properties SPEC §3 requires."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from graphsvc.analysis.contest import WITHOUT_PATH, analyse_contest
from graphsvc.analysis.graph import MapGraph
from graphsvc.analysis.power import WidestPaths, pair_power, power_asymmetry
from graphsvc.domain.changes import apply_changes
from graphsvc.domain.model import Mechanism, StakeholderMap
from tests.factories import build_map, edge, node
from tests.reference import _adjacency, _simple_paths, authorities
from tests.test_contest_properties import random_maps

LEVELS = ["LOW", "MEDIUM", "HIGH", "CRITICAL"]
AUTOMATION = ["ADVISORY", "HUMAN_IN_THE_LOOP", "HUMAN_ON_THE_LOOP", "FULLY_AUTOMATED"]


def scores(m: StakeholderMap) -> dict[tuple[str, str], Any]:
    g = MapGraph.build(m)
    return {(p.actor, p.stakeholder): p for p in power_asymmetry(g, analyse_contest(g))}


def pair_scores(m: StakeholderMap) -> dict[tuple[str, str], Any]:
    g = MapGraph.build(m)
    widths = WidestPaths(g, g.contest_walk())
    return {
        (p.system, p.stakeholder): (p, pair_power(g, p, widths)) for p in analyse_contest(g).pairs
    }


def appeal_map(**mechanism: Any) -> StakeholderMap:
    return build_map(
        [
            node("s1", stakes="HIGH", automationLevel="FULLY_AUTOMATED"),
            node("o1"),
            node("c1"),
            node("o2"),
            node("m1", **mechanism),
        ],
        [
            edge("o1", "DEPLOYS", "s1"),
            edge("s1", "AFFECTS", "c1", severity="CRITICAL", contestsPerMonth=100),
            edge("c1", "CAN_CONTEST_VIA", "m1"),
            edge("m1", "HANDLED_BY", "o1"),
            edge("o2", "REPRESENTS", "c1"),
        ],
    )


def test_hand_checked_score() -> None:
    # powerOver = (1 + 0.75 + 1) / 3; access 0.5; capacity 25 of 100 → 0.25; represented.
    entry = scores(appeal_map(accessibility=0.5, capacityPerMonth=25))[("o1", "c1")]
    assert entry.power_over == pytest.approx(2.75 / 3)
    assert entry.counter_power == pytest.approx(0.9 * 0.5 * (0.5 + 0.5 * 0.25) + 0.05)
    assert entry.asymmetry == pytest.approx(entry.power_over * (1 - entry.counter_power))
    assert entry.reasons[1:] == (
        "best contest path accessibility 0.50",
        "widest contest path handles 25/month of its own 100/month (25%)",
        "represented by o2",
        "no say in s1",
    )


def test_unknown_capacity_does_not_limit() -> None:
    entry = scores(appeal_map())[("o1", "c1")]
    assert entry.counter_power == pytest.approx(0.9 + 0.05)


def test_one_entry_per_actor_and_stakeholder_keeps_the_worst_system() -> None:
    m = build_map(
        [node("s1", stakes="LOW"), node("s2", stakes="CRITICAL"), node("o1"), node("c1")],
        [
            edge("o1", "DEPLOYS", "s1"),
            edge("o1", "DEVELOPS", "s2"),
            edge("s1", "AFFECTS", "c1"),
            edge("s2", "AFFECTS", "c1"),
        ],
    )
    (entry,) = scores(m).values()
    assert (entry.actor, entry.system) == ("o1", "s2")


def _widest_brute_force(m: StakeholderMap, system: str, stakeholder: str) -> float:
    kinds = {n.id: n for n in m.nodes}
    succ = _adjacency(m, {"CAN_CONTEST_VIA", "HANDLED_BY"}, {"REPRESENTS"})
    targets = authorities(m, system) - {stakeholder}
    best = 0.0
    for path in _simple_paths(succ, stakeholder, targets):
        mechanisms = [kinds[n] for n in path if isinstance(kinds[n], Mechanism)]
        if mechanisms:
            caps = [
                float(x.capacity_per_month) for x in mechanisms if x.capacity_per_month is not None
            ]
            best = max(best, min(caps, default=float("inf")))
    return best


@given(random_maps())
def test_widest_contest_path_matches_brute_force(m: StakeholderMap) -> None:
    g = MapGraph.build(m)
    widths = WidestPaths(g, g.contest_walk())
    for pair in analyse_contest(g).pairs:
        want = _widest_brute_force(m, pair.system, pair.stakeholder)
        got = (
            0.0
            if pair.path is None
            else widths.width(pair.stakeholder, frozenset(pair.authorities))
        )
        assert got == want


@given(random_maps())
def test_scores_in_range_and_high_without_a_contest_path(m: StakeholderMap) -> None:
    for pair, terms in pair_scores(m).values():
        assert 0 <= terms.counter_power <= 1
        assert 0 <= terms.asymmetry <= terms.power_over <= 1
        if pair.status in WITHOUT_PATH:
            assert terms.asymmetry >= 0.9 * terms.power_over - 1e-12


# --- monotonicity -------------------------------------------------------------------------


@st.composite
def scored_maps(draw: st.DrawFn) -> StakeholderMap:
    """Random maps with severities, stakes, automation levels, representation, participation."""
    m = draw(random_maps())
    changes: list[dict[str, Any]] = []
    for n in m.nodes:
        if n.kind == "AISystem":
            fields = {
                "stakes": draw(st.sampled_from([None, *LEVELS])),
                "automationLevel": draw(st.sampled_from([None, *AUTOMATION])),
            }
            changes.append({"op": "setFields", "node": n.id, "fields": fields})
    for e in m.edges:
        if e.kind == "AFFECTS":
            severity = draw(st.sampled_from([None, *LEVELS]))
            changes.append({"op": "setFields", "edge": e.id, "fields": {"severity": severity}})
            if draw(st.booleans()):
                changes.append(_edge(e.to, "PARTICIPATES_IN", e.from_))
    return apply_changes(m, changes)


def _edge(source: str, kind: str, target: str) -> dict[str, Any]:
    return {"op": "upsertEdge", "edge": {"from": source, "kind": kind, "to": target}}


@st.composite
def rises(draw: st.DrawFn, m: StakeholderMap) -> list[dict[str, Any]]:
    """One change that raises severity, stakes or automation (power may only grow)."""
    options: list[dict[str, Any]] = []
    for n in m.nodes:
        if n.kind == "AISystem":
            for field, scale, now in (
                ("stakes", LEVELS, n.stakes),
                ("automationLevel", AUTOMATION, n.automation_level),
            ):
                if now is not None and now != scale[-1]:
                    higher = scale[scale.index(now) + 1 :]
                    options.append(
                        {
                            "op": "setFields",
                            "node": n.id,
                            "fields": {field: draw(st.sampled_from(higher))},
                        }
                    )
    for e in m.edges:
        if e.kind == "AFFECTS" and e.severity is not None and e.severity != "CRITICAL":
            higher = LEVELS[LEVELS.index(e.severity) + 1 :]
            options.append(
                {
                    "op": "setFields",
                    "edge": e.id,
                    "fields": {"severity": draw(st.sampled_from(higher))},
                }
            )
    assume(options)
    return [draw(st.sampled_from(options))]


@st.composite
def additions(draw: st.DrawFn, m: StakeholderMap) -> list[dict[str, Any]]:
    """One change that adds a contest edge, capacity, accessibility, representation or
    participation (counter-power may only grow)."""
    ids = {
        k: [n.id for n in m.nodes if n.kind == k]
        for k in (
            "AffectedCommunity",
            "UserGroup",
            "Organization",
            "OversightBody",
            "Mechanism",
            "AISystem",
        )
    }
    present = {(e.kind, e.from_, e.to) for e in m.edges}
    options: list[dict[str, Any]] = []
    contesters = ids["AffectedCommunity"] + ids["UserGroup"] + ids["Organization"]
    handlers = ids["Mechanism"] + ids["Organization"] + ids["OversightBody"] + ids["UserGroup"]
    for mech in ids["Mechanism"]:
        options += [_edge(c, "CAN_CONTEST_VIA", mech) for c in contesters]
        options += [_edge(mech, "HANDLED_BY", h) for h in handlers if h != mech]
    for org in ids["Organization"]:
        options += [
            _edge(org, "REPRESENTS", c) for c in ids["AffectedCommunity"] + ids["UserGroup"]
        ]
    for c in ids["AffectedCommunity"] + ids["UserGroup"]:
        options += [_edge(c, "PARTICIPATES_IN", s) for s in ids["AISystem"]]
    options = [
        o for o in options if (o["edge"]["kind"], o["edge"]["from"], o["edge"]["to"]) not in present
    ]
    for n in m.nodes:
        if isinstance(n, Mechanism):
            if n.capacity_per_month is not None:
                more = n.capacity_per_month + draw(st.sampled_from([1, 10, 1000]))
                options.append(
                    {"op": "setFields", "node": n.id, "fields": {"capacityPerMonth": more}}
                )
            if n.accessibility is not None and n.accessibility < 1:
                higher = draw(st.floats(n.accessibility, 1.0))
                options.append(
                    {"op": "setFields", "node": n.id, "fields": {"accessibility": higher}}
                )
    assume(options)
    return [draw(st.sampled_from(options))]


@given(st.data())
def test_asymmetry_never_falls_when_severity_stakes_or_automation_rise(data: st.DataObject) -> None:
    m = data.draw(scored_maps())
    before = scores(m)
    after = scores(apply_changes(m, data.draw(rises(m))))
    assert before.keys() == after.keys()
    for key, entry in before.items():
        assert after[key].asymmetry >= entry.asymmetry - 1e-12


@given(st.data())
def test_asymmetry_never_rises_when_counter_power_is_added(data: st.DataObject) -> None:
    m = data.draw(scored_maps())
    before = scores(m)
    after = scores(apply_changes(m, data.draw(additions(m))))
    assert before.keys() == after.keys()
    for key, entry in before.items():
        assert after[key].asymmetry <= entry.asymmetry + 1e-12

"""Contest statuses, best paths and feedback loops against a brute-force search per pair."""

from __future__ import annotations

from typing import Any

from hypothesis import event, given
from hypothesis import strategies as st

from graphsvc.analysis.contest import analyse_contest, mechanism_coverage
from graphsvc.analysis.feedback import feedback_loops
from graphsvc.analysis.graph import MapGraph
from graphsvc.domain.kinds import ENDPOINTS
from graphsvc.domain.model import StakeholderMap
from tests.factories import build_map
from tests.reference import contest_reference, feedback_reference

# Dyadic accessibilities keep products exact, so ties are real ties.
ACCESS = st.sampled_from([None, 0.0, 0.25, 0.5, 1.0])
PREFIX = {
    "AISystem": "s",
    "Organization": "o",
    "UserGroup": "u",
    "AffectedCommunity": "c",
    "OversightBody": "b",
    "Mechanism": "m",
}
SIZES = {
    "AISystem": 2,
    "Organization": 3,
    "UserGroup": 2,
    "AffectedCommunity": 3,
    "OversightBody": 2,
    "Mechanism": 4,
}


@st.composite
def random_maps(draw: Any) -> StakeholderMap:
    nodes = []
    for kind, most in SIZES.items():
        for i in range(draw(st.integers(1 if kind == "AISystem" else 0, most))):
            spec: dict[str, Any] = {"id": f"{PREFIX[kind]}{i}", "kind": kind, "name": f"{kind} {i}"}
            if kind == "Mechanism":
                spec["accessibility"] = draw(ACCESS)
                spec["capacityPerMonth"] = draw(st.sampled_from([None, 0, 1, 4, 100]))
            if kind == "AISystem":
                spec["errorRate"] = draw(st.sampled_from([None, 0.5]))
            nodes.append({k: v for k, v in spec.items() if v is not None})
    by_kind: dict[str, list[str]] = {}
    for n in nodes:
        by_kind.setdefault(n["kind"], []).append(n["id"])
    edges = []
    density = draw(st.sampled_from([0.15, 0.3, 0.5]))
    for kind, (froms, tos) in ENDPOINTS.items():
        if kind in {"FUNDS", "INCENTIVIZES", "PARTICIPATES_IN", "EMPLOYS", "ACCOUNTABLE_TO"}:
            continue
        for a in [n for k in sorted(froms) for n in by_kind.get(k, [])]:
            for b in [n for k in sorted(tos) for n in by_kind.get(k, [])]:
                if a == b or draw(st.integers(0, 99)) >= density * 100:
                    continue
                spec = {"from": a, "to": b, "kind": str(kind)}
                if kind == "OPERATES":
                    spec["canOverride"] = draw(st.booleans())
                if kind == "OVERSEES":
                    spec["authority"] = draw(st.sampled_from(["ADVISORY", "BINDING"]))
                if kind == "AFFECTS":
                    spec["contestsPerMonth"] = draw(st.sampled_from([None, 1, 3]))
                    spec["volumePerMonth"] = draw(st.sampled_from([None, 10]))
                edges.append({k: v for k, v in spec.items() if v is not None})
    return build_map(nodes, edges)


@given(random_maps())
def test_status_and_best_path_match_brute_force(m: StakeholderMap) -> None:
    expected = contest_reference(m)
    analysis = analyse_contest(MapGraph.build(m))
    for pair in analysis.pairs:
        event(f"status {pair.status}")
    assert len(analysis.pairs) == len(expected)
    for pair in analysis.pairs:
        want = expected[(pair.system, pair.stakeholder)]
        if want["status"] == "PATH":
            assert pair.status in {"EFFECTIVE", "OVERLOADED"}
            assert list(pair.path or []) == want["path"]
            assert pair.accessibility == want["accessibility"]
        else:
            assert pair.status == want["status"]
            assert pair.path is None


@given(random_maps())
def test_load_and_coverage_follow_best_paths(m: StakeholderMap) -> None:
    analysis = analyse_contest(MapGraph.build(m))
    load: dict[str, float] = {mech.id: 0.0 for mech in analysis.mechanisms}
    for pair in analysis.pairs:
        if pair.path and pair.demand_per_month is not None:
            for n in pair.path:
                if n in load:
                    load[n] += pair.demand_per_month
    capacity = {mech.id: mech.capacity_per_month for mech in analysis.mechanisms}
    for mech in analysis.mechanisms:
        assert mech.load_per_month == load[mech.id]
        assert mech.coverage == mechanism_coverage(capacity[mech.id], load[mech.id])
    for pair in analysis.pairs:
        if pair.path:
            cover = min([mechanism_coverage(capacity[n], load[n]) for n in pair.path if n in load])
            assert pair.coverage == cover
            assert (pair.status == "EFFECTIVE") == (cover == 1.0)


@given(random_maps())
def test_feedback_loops_match_brute_force(m: StakeholderMap) -> None:
    expected = feedback_reference(m)
    for loop in feedback_loops(MapGraph.build(m)):
        want = expected[(loop.system, loop.stakeholder)]
        assert (loop.path is None) == (want is None)
        assert loop.status == ("BROKEN" if want is None else "PRESENT")
        if want is not None:
            assert list(loop.path or []) == want

"""Each contest-analysis definition of SPEC §3 on tiny maps with hand-checked answers."""

from __future__ import annotations

import pytest

from graphsvc.analysis.contest import ContestPair, analyse_contest, authorities_of
from graphsvc.analysis.feedback import feedback_loops
from graphsvc.analysis.graph import MapGraph
from graphsvc.analysis.report import REPORT_KEYS, build_report
from tests.factories import build_map, edge, node


def pairs_of(
    nodes: list[dict[str, object]], edges: list[dict[str, object]]
) -> dict[str, ContestPair]:
    analysis = analyse_contest(MapGraph.build(build_map(nodes, edges)))
    return {p.stakeholder: p for p in analysis.pairs}


BASE_NODES = [node("s1"), node("o1"), node("c1")]
BASE_EDGES = [edge("o1", "DEPLOYS", "s1"), edge("s1", "AFFECTS", "c1")]


class TestAuthorities:
    def test_deployers_developers_and_override_operators(self) -> None:
        m = build_map(
            [node("s1"), node("o1"), node("o2"), node("u1"), node("u2")],
            [
                edge("o1", "DEPLOYS", "s1"),
                edge("o2", "DEVELOPS", "s1"),
                edge("u1", "OPERATES", "s1", canOverride=True),
                edge("u2", "OPERATES", "s1"),
            ],
        )
        assert authorities_of(MapGraph.build(m), "s1") == {"o1", "o2", "u1"}

    def test_binding_oversight_is_followed_repeatedly_advisory_is_not(self) -> None:
        m = build_map(
            [node("s1"), node("o1"), node("b1"), node("b2"), node("b3"), node("b4")],
            [
                edge("o1", "DEPLOYS", "s1"),
                edge("b1", "OVERSEES", "o1", authority="BINDING"),  # over an authority
                edge("b2", "OVERSEES", "b1", authority="BINDING"),  # over b1, found before
                edge("b3", "OVERSEES", "s1", authority="ADVISORY"),
                edge("b4", "OVERSEES", "b3", authority="BINDING"),  # b3 is no authority
            ],
        )
        assert authorities_of(MapGraph.build(m), "s1") == {"o1", "b1", "b2"}


class TestStatuses:
    def test_none_when_no_mechanism_is_reachable(self) -> None:
        pair = pairs_of(BASE_NODES, BASE_EDGES)["c1"]
        assert (pair.status, pair.path, pair.accessibility, pair.coverage) == (
            "NONE",
            None,
            None,
            None,
        )

    def test_no_authority_when_the_channel_reaches_only_an_advisory_ombudsman(self) -> None:
        pair = pairs_of(
            [*BASE_NODES, node("m1"), node("b1")],
            [
                *BASE_EDGES,
                edge("c1", "CAN_CONTEST_VIA", "m1"),
                edge("m1", "HANDLED_BY", "b1"),
                edge("b1", "OVERSEES", "s1", authority="ADVISORY"),
            ],
        )["c1"]
        assert pair.status == "NO_AUTHORITY"
        assert pair.authorities == ("o1",)

    def test_effective_through_a_representative_followed_backwards(self) -> None:
        # c1 has no channel of its own; legal aid (o2) represents it and goes to court (b1),
        # whose ruling binds the deployer.
        pair = pairs_of(
            [*BASE_NODES, node("o2"), node("m1", mechanismType="LEGAL_ACTION"), node("b1")],
            [
                *BASE_EDGES,
                edge("o2", "REPRESENTS", "c1"),
                edge("o2", "CAN_CONTEST_VIA", "m1"),
                edge("m1", "HANDLED_BY", "b1"),
                edge("b1", "OVERSEES", "o1", authority="BINDING"),
            ],
        )["c1"]
        assert pair.status == "EFFECTIVE"
        assert pair.path == ("c1", "o2", "m1", "b1")
        assert pair.authorities == ("b1", "o1")

    def test_a_representative_that_is_an_authority_is_no_contest_path_by_itself(self) -> None:
        # The deployer "represents" c1: reaching it takes no mechanism, and the path ends there.
        pair = pairs_of(
            [*BASE_NODES, node("m1"), node("b1")],
            [
                *BASE_EDGES,
                edge("o1", "REPRESENTS", "c1"),
                edge("o1", "CAN_CONTEST_VIA", "m1"),
                edge("m1", "HANDLED_BY", "b1"),
            ],
        )["c1"]
        assert pair.status == "NO_AUTHORITY"

    def test_the_stakeholder_is_never_its_own_authority(self) -> None:
        # Operators who can override the system are also affected by it; their own
        # authority does not count as a contest path, the deployer's desk does.
        pair = pairs_of(
            [node("s1"), node("o1"), node("u1"), node("m1")],
            [
                edge("o1", "DEPLOYS", "s1"),
                edge("u1", "OPERATES", "s1", canOverride=True),
                edge("s1", "AFFECTS", "u1"),
                edge("u1", "CAN_CONTEST_VIA", "m1"),
                edge("m1", "HANDLED_BY", "o1"),
            ],
        )["u1"]
        assert pair.path == ("u1", "m1", "o1")
        assert pair.authorities == ("o1",)

    def test_overloaded_when_demand_exceeds_capacity(self) -> None:
        pair = pairs_of(
            [node("s1", errorRate=0.1), node("o1"), node("c1"), node("m1", capacityPerMonth=5)],
            [
                edge("o1", "DEPLOYS", "s1"),
                edge("s1", "AFFECTS", "c1", volumePerMonth=200),
                edge("c1", "CAN_CONTEST_VIA", "m1"),
                edge("m1", "HANDLED_BY", "o1"),
            ],
        )["c1"]
        assert pair.status == "OVERLOADED"
        assert pair.demand_per_month == pytest.approx(20.0)
        assert pair.coverage == pytest.approx(0.25)


class TestBestPath:
    NODES = [
        *BASE_NODES,
        node("m1", accessibility=0.5),
        node("m2"),
        node("m3"),
        node("o2", "Organization"),
    ]

    def test_highest_accessibility_wins_over_fewer_edges(self) -> None:
        pair = pairs_of(
            self.NODES,
            [
                *BASE_EDGES,
                edge("c1", "CAN_CONTEST_VIA", "m1"),
                edge("m1", "HANDLED_BY", "o1"),  # 2 edges, accessibility 0.5
                edge("c1", "CAN_CONTEST_VIA", "m2"),
                edge("m2", "HANDLED_BY", "m3"),
                edge("m3", "HANDLED_BY", "o1"),  # 3 edges, accessibility 1
            ],
        )["c1"]
        assert (pair.path, pair.accessibility) == (("c1", "m2", "m3", "o1"), 1.0)

    def test_then_fewest_edges_then_smallest_ids(self) -> None:
        pair = pairs_of(
            self.NODES,
            [
                *BASE_EDGES,
                edge("c1", "CAN_CONTEST_VIA", "m3"),
                edge("m3", "HANDLED_BY", "o1"),
                edge("c1", "CAN_CONTEST_VIA", "m2"),
                edge("m2", "HANDLED_BY", "o1"),
                edge("m2", "HANDLED_BY", "o2"),
                edge("o2", "CAN_CONTEST_VIA", "m3"),
            ],
        )["c1"]
        assert pair.path == ("c1", "m2", "o1")

    def test_a_missing_accessibility_counts_as_one_and_zero_is_still_a_path(self) -> None:
        pair = pairs_of(
            [*BASE_NODES, node("m1", accessibility=0.0)],
            [*BASE_EDGES, edge("c1", "CAN_CONTEST_VIA", "m1"), edge("m1", "HANDLED_BY", "o1")],
        )["c1"]
        assert (pair.status, pair.accessibility) == ("EFFECTIVE", 0.0)


class TestDemandAndLoad:
    def analysis(
        self, capacity: float | None, **affects: float
    ) -> tuple[ContestPair, dict[str, float | None]]:
        m = build_map(
            [
                node("s1", errorRate=0.05),
                node("o1"),
                node("c1"),
                node("m1", capacityPerMonth=capacity),
            ]
            if capacity is not None
            else [node("s1", errorRate=0.05), node("o1"), node("c1"), node("m1")],
            [
                edge("o1", "DEPLOYS", "s1"),
                edge("s1", "AFFECTS", "c1", **affects),
                edge("c1", "CAN_CONTEST_VIA", "m1"),
                edge("m1", "HANDLED_BY", "o1"),
            ],
        )
        result = analyse_contest(MapGraph.build(m))
        mech = result.mechanisms[0]
        return result.pairs[0], {
            "load": mech.load_per_month,
            "coverage": mech.coverage,
            "utilization": mech.utilization,
        }

    def test_contests_per_month_take_precedence(self) -> None:
        pair, mech = self.analysis(8, contestsPerMonth=4, volumePerMonth=1000)
        assert pair.demand_per_month == 4
        assert mech == {"load": 4, "coverage": 1.0, "utilization": 0.5}

    def test_volume_times_error_rate(self) -> None:
        pair, mech = self.analysis(8, volumePerMonth=400)
        assert pair.demand_per_month == pytest.approx(20)
        assert mech["coverage"] == pytest.approx(0.4)
        assert mech["utilization"] == pytest.approx(2.5)

    def test_unknown_demand_adds_no_load(self) -> None:
        pair, mech = self.analysis(8)
        assert pair.demand_per_month is None
        assert mech == {"load": 0, "coverage": 1.0, "utilization": 0.0}

    def test_zero_capacity_with_load_covers_nothing(self) -> None:
        pair, mech = self.analysis(0, contestsPerMonth=1)
        assert mech == {"load": 1, "coverage": 0.0, "utilization": None}
        assert (pair.status, pair.coverage) == ("OVERLOADED", 0.0)

    def test_unknown_capacity_covers_everything(self) -> None:
        pair, mech = self.analysis(None, contestsPerMonth=1000)
        assert mech == {"load": 1000, "coverage": 1.0, "utilization": None}
        assert pair.status == "EFFECTIVE"

    def test_load_sums_every_pair_whose_best_path_passes(self) -> None:
        m = build_map(
            [
                node("s1"),
                node("s2"),
                node("o1"),
                node("c1"),
                node("c2"),
                node("m1", capacityPerMonth=10),
            ],
            [
                edge("o1", "DEPLOYS", "s1"),
                edge("o1", "DEPLOYS", "s2"),
                edge("s1", "AFFECTS", "c1", contestsPerMonth=6),
                edge("s2", "AFFECTS", "c1", contestsPerMonth=2),
                edge("s2", "AFFECTS", "c2", contestsPerMonth=7),
                edge("c1", "CAN_CONTEST_VIA", "m1"),
                edge("c2", "CAN_CONTEST_VIA", "m1"),
                edge("m1", "HANDLED_BY", "o1"),
            ],
        )
        result = analyse_contest(MapGraph.build(m))
        assert result.mechanisms[0].load_per_month == 15
        assert [p.coverage for p in result.pairs] == pytest.approx([10 / 15] * 3)


class TestFeedback:
    def test_present_through_feedback_to_the_developer_broken_otherwise(self) -> None:
        m = build_map(
            [node("s1"), node("o1"), node("o2"), node("c1"), node("c2"), node("m1"), node("m2")],
            [
                edge("o1", "DEPLOYS", "s1"),
                edge("o2", "DEVELOPS", "s1"),
                edge("s1", "AFFECTS", "c1"),
                edge("s1", "AFFECTS", "c2"),
                edge("c1", "CAN_CONTEST_VIA", "m1"),
                edge("m1", "HANDLED_BY", "o1"),
                edge("m1", "FEEDS_BACK_TO", "o2"),
                edge("c2", "CAN_CONTEST_VIA", "m2"),
                edge("m2", "HANDLED_BY", "o1"),  # the deployer hears it, the developer never does
            ],
        )
        loops = {f.stakeholder: f for f in feedback_loops(MapGraph.build(m))}
        assert (loops["c1"].status, loops["c1"].path) == ("PRESENT", ("c1", "m1", "o2"))
        assert (loops["c2"].status, loops["c2"].path) == ("BROKEN", None)


def test_report_has_every_key_of_spec_section_4_and_lists_stakeholders_without_path() -> None:
    m = build_map(
        [*BASE_NODES, node("c2"), node("m1")],
        [
            *BASE_EDGES,
            edge("s1", "AFFECTS", "c2"),
            edge("c2", "CAN_CONTEST_VIA", "m1"),
            edge("m1", "HANDLED_BY", "o1"),
        ],
    )
    report = build_report(m)
    assert tuple(report) == REPORT_KEYS
    assert [s["id"] for s in report["withoutContestPath"]] == ["c1"]
    assert report["withoutContestPath"][0]["pairs"] == [{"system": "s1", "status": "NONE"}]
    assert [(p["stakeholder"], p["status"]) for p in report["contestPairs"]] == [
        ("c1", "NONE"),
        ("c2", "EFFECTIVE"),
    ]

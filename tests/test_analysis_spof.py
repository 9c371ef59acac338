"""Single points of failure: dominators of contest paths, by hand and against brute force."""

from __future__ import annotations

import networkx as nx
from hypothesis import given
from hypothesis import strategies as st

from graphsvc.analysis.contest import analyse_contest
from graphsvc.analysis.dominators import dominators_of, immediate_dominators
from graphsvc.analysis.graph import MapGraph
from graphsvc.analysis.spof import (
    contest_dominators,
    contest_dominators_along,
    single_points_of_failure,
)
from graphsvc.domain.model import StakeholderMap
from tests.factories import build_map, edge, node
from tests.reference import _adjacency, _simple_paths, authorities
from tests.test_contest_properties import random_maps


def spofs(m: StakeholderMap) -> dict[str, list[tuple[str, str]]]:
    g = MapGraph.build(m)
    return {s.node: list(s.pairs) for s in single_points_of_failure(g, analyse_contest(g))}


def test_shared_desk_and_its_owner_are_single_points() -> None:
    # c1 → {m1, m2} → desk → o (deployer): desk is on every path, m1/m2 are not.
    m = build_map(
        [node("s1"), node("o1"), node("c1"), node("m1"), node("m2"), node("m3")],
        [
            edge("o1", "DEPLOYS", "s1"),
            edge("s1", "AFFECTS", "c1"),
            edge("c1", "CAN_CONTEST_VIA", "m1"),
            edge("c1", "CAN_CONTEST_VIA", "m2"),
            edge("m1", "HANDLED_BY", "m3"),
            edge("m2", "HANDLED_BY", "m3"),
            edge("m3", "HANDLED_BY", "o1"),
        ],
    )
    assert spofs(m) == {"m3": [("s1", "c1")]}


def test_the_only_mechanism_is_a_single_point_and_authorities_never_are() -> None:
    m = build_map(
        [node("s1"), node("o1"), node("b1"), node("c1"), node("c2"), node("m1"), node("o2")],
        [
            edge("o1", "DEPLOYS", "s1"),
            edge("b1", "OVERSEES", "o1", authority="BINDING"),
            edge("s1", "AFFECTS", "c1"),
            edge("s1", "AFFECTS", "c2"),
            edge("o2", "REPRESENTS", "c1"),
            edge("o2", "CAN_CONTEST_VIA", "m1"),
            edge("c2", "CAN_CONTEST_VIA", "m1"),
            edge("m1", "HANDLED_BY", "b1"),
        ],
    )
    assert spofs(m) == {"m1": [("s1", "c1"), ("s1", "c2")], "o2": [("s1", "c1")]}


def test_pairs_without_a_contest_path_have_no_single_points() -> None:
    m = build_map(
        [node("s1"), node("o1"), node("c1"), node("m1")],
        [edge("s1", "AFFECTS", "c1"), edge("c1", "CAN_CONTEST_VIA", "m1")],
    )
    assert spofs(m) == {}


def test_a_direct_step_into_an_authority_is_not_a_bypass() -> None:
    # o1 both represents c1 and deploys s1: c1 → o1 passes no mechanism, so only the path
    # through m1 counts and m1 stays a single point of failure.
    m = build_map(
        [node("s1"), node("o1"), node("c1"), node("m1")],
        [
            edge("o1", "DEPLOYS", "s1"),
            edge("s1", "AFFECTS", "c1"),
            edge("o1", "REPRESENTS", "c1"),
            edge("c1", "CAN_CONTEST_VIA", "m1"),
            edge("m1", "HANDLED_BY", "o1"),
        ],
    )
    assert spofs(m) == {"m1": [("s1", "c1")]}


def _brute_force(m: StakeholderMap) -> dict[str, list[tuple[str, str]]]:
    """Node n is a single point of a pair iff every contest path of the pair visits n."""
    kinds = {n.id: n.kind for n in m.nodes}
    succ = _adjacency(m, {"CAN_CONTEST_VIA", "HANDLED_BY"}, {"REPRESENTS"})
    out: dict[str, list[tuple[str, str]]] = {}
    for e in m.edges:
        if e.kind != "AFFECTS":
            continue
        targets = authorities(m, e.from_) - {e.to}
        paths = [
            p for p in _simple_paths(succ, e.to, targets) if any(kinds[n] == "Mechanism" for n in p)
        ]
        if not paths:
            continue
        for n in set(paths[0]) - {e.to} - targets:
            if all(n in p for p in paths):
                out.setdefault(n, []).append((e.from_, e.to))
    return {n: sorted(pairs) for n, pairs in sorted(out.items())}


@given(random_maps())
def test_single_points_match_brute_force(m: StakeholderMap) -> None:
    assert spofs(m) == _brute_force(m)


@given(random_maps())
def test_the_sweep_along_the_best_path_matches_the_dominator_computation(
    m: StakeholderMap,
) -> None:
    g = MapGraph.build(m)
    walk = g.contest_walk()
    for pair in analyse_contest(g).pairs:
        if pair.path is None:
            continue
        targets = frozenset(pair.authorities)
        general = contest_dominators(walk, pair.stakeholder, targets)
        assert contest_dominators_along(walk, pair.path, targets) == general


@st.composite
def flow_graphs(draw: st.DrawFn) -> nx.DiGraph:
    size = draw(st.integers(1, 9))
    pairs = st.tuples(st.integers(0, size - 1), st.integers(0, size - 1))
    g = nx.DiGraph()
    g.add_nodes_from(str(i) for i in range(size))
    g.add_edges_from((str(a), str(b)) for a, b in draw(st.lists(pairs, max_size=25)))
    return g


@given(flow_graphs())
def test_dominators_match_networkx(g: nx.DiGraph) -> None:
    idom = immediate_dominators("0", lambda n: sorted(g.successors(n)))
    # networkx leaves the root out of its answer in recent versions, maps it to itself in older.
    expected = {**nx.immediate_dominators(g, "0"), "0": "0"}
    assert idom == expected
    for n in idom:
        # Every dominator, checked the slow way: removing it cuts n off from the root.
        cut = {d for d in g if d not in {"0", n} and n not in _reachable(g, "0", without=d)}
        assert set(dominators_of(n, idom)) == (cut | {"0"} if n != "0" else set())


def _reachable(g: nx.DiGraph, root: str, *, without: str) -> set[str]:
    h = g.subgraph(n for n in g if n != without)
    return set(nx.descendants(h, root)) | {root}

"""Impact paths: hand-checked order and limits, and networkx.all_simple_paths as reference."""

from __future__ import annotations

from typing import Any

import networkx as nx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from graphsvc.analysis.graph import MapGraph
from graphsvc.analysis.impact import IMPACT_KINDS, impact_paths
from graphsvc.domain.model import StakeholderMap
from graphsvc.errors import InvalidInput, NotFound
from tests.factories import build_map, edge, node

MAP = build_map(
    [node("o1"), node("o2"), node("s1"), node("s2"), node("c1"), node("u1"), node("m1")],
    [
        edge("o1", "FUNDS", "o2"),
        edge("o1", "DEPLOYS", "s1"),
        edge("o2", "DEPLOYS", "s1"),
        edge("o2", "DEVELOPS", "s1"),
        edge("o2", "DEPLOYS", "s2"),
        edge("s1", "AFFECTS", "c1"),
        edge("s2", "AFFECTS", "c1"),
        edge("o2", "EMPLOYS", "u1"),
        edge("u1", "OPERATES", "s1"),
        edge("c1", "CAN_CONTEST_VIA", "m1"),  # not an impact edge
    ],
)


def paths(source: str, target: str, **options: Any) -> list[tuple[str, ...]]:
    return [p.nodes for p in impact_paths(MapGraph.build(MAP), source, target, **options)]


def test_ordered_by_length_then_ids() -> None:
    assert paths("o1", "c1") == [
        ("o1", "s1", "c1"),
        ("o1", "o2", "s1", "c1"),
        ("o1", "o2", "s2", "c1"),
        ("o1", "o2", "u1", "s1", "c1"),
    ]


def test_depth_and_limit() -> None:
    assert paths("o1", "c1", max_depth=3) == paths("o1", "c1")[:3]
    assert paths("o1", "c1", limit=2) == paths("o1", "c1")[:2]


def test_edges_name_the_first_listed_kind() -> None:
    (path,) = impact_paths(MapGraph.build(MAP), "o2", "s1", max_depth=1)
    assert path.edges == ("o2--DEVELOPS--s1",)


def test_no_path_and_same_node() -> None:
    assert paths("c1", "o1") == []
    assert paths("c1", "m1") == []
    assert paths("o1", "o1") == []


def test_bad_arguments() -> None:
    g = MapGraph.build(MAP)
    with pytest.raises(NotFound):
        impact_paths(g, "nope", "c1")
    with pytest.raises(InvalidInput):
        impact_paths(g, "o1", "c1", max_depth=0, limit=0)


KINDS = ["AISystem", "Organization", "UserGroup", "AffectedCommunity", "OversightBody", "Incentive"]


@st.composite
def impact_maps(draw: st.DrawFn) -> StakeholderMap:
    from graphsvc.domain.kinds import ENDPOINTS

    nodes = [node(f"n{i}", draw(st.sampled_from(KINDS))) for i in range(draw(st.integers(2, 8)))]
    edges = []
    for kind in IMPACT_KINDS:
        froms, tos = ENDPOINTS[kind]
        for a in nodes:
            for b in nodes:
                if a is not b and a["kind"] in froms and b["kind"] in tos and draw(st.booleans()):
                    edges.append(edge(a["id"], str(kind), b["id"]))
    return build_map(nodes, edges)


@given(impact_maps(), st.integers(1, 5), st.integers(1, 6), st.data())
def test_matches_networkx_all_simple_paths(
    m: StakeholderMap, depth: int, limit: int, data: st.DataObject
) -> None:
    ids = [n.id for n in m.nodes]
    source, target = data.draw(st.sampled_from(ids)), data.draw(st.sampled_from(ids))
    g = nx.DiGraph([(e.from_, e.to) for e in m.edges])
    g.add_nodes_from(ids)
    expected = (
        []
        if source == target
        else sorted(
            (tuple(p) for p in nx.all_simple_paths(g, source, target, cutoff=depth)),
            key=lambda p: (len(p), p),
        )[:limit]
    )
    got = paths_of(m, source, target, depth, limit)
    assert got == expected


def paths_of(m: StakeholderMap, source: str, target: str, depth: int, limit: int) -> list[Any]:
    found = impact_paths(MapGraph.build(m), source, target, max_depth=depth, limit=limit)
    return [p.nodes for p in found]

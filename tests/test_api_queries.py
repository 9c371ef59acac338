"""GraphQL queries through the real app: maps, nodes and edges with cursors, neighbourhoods,
the analysis with its filters, served from the cache."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from tests.api_fixtures import Client

pytest_plugins = ["tests.api_fixtures"]
pytestmark = pytest.mark.anyio

NODES_PAGE = """
query($mapId: ID!, $first: Int, $after: String, $kind: [NodeKind!], $tag: String, $search: String) {
  nodes(mapId: $mapId, first: $first, after: $after, kind: $kind, tag: $tag, search: $search) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id kind name } }
    nodes { id }
  }
}
"""


async def test_maps_lists_stored_maps(client: Client, small: str) -> None:
    data = await client.data("{ maps { id title version nodeCount edgeCount updatedAt } }")
    assert data["maps"] == [
        {
            "id": "small",
            "title": "small",
            "version": data["maps"][0]["version"],
            "nodeCount": 5,
            "edgeCount": 5,
            "updatedAt": data["maps"][0]["updatedAt"],
        }
    ]
    assert (await client.data('{ map(id: "small") { id } }'))["map"] == {"id": "small"}


async def test_node_exposes_kind_specific_fields(client: Client, small: str) -> None:
    data = await client.data(
        """{ node(mapId: "small", id: "m1") {
             id kind name ... on Mechanism { capacityPerMonth accessibility mechanismType } } }"""
    )
    assert data["node"] == {
        "id": "m1",
        "kind": "Mechanism",
        "name": "M1",
        "capacityPerMonth": 10.0,
        "accessibility": 0.5,
        "mechanismType": None,
    }


async def test_paging_through_nodes_with_cursors_visits_every_node_once(
    client: Client, small: str
) -> None:
    seen: list[str] = []
    after = None
    pages = 0
    while True:
        page = (await client.data(NODES_PAGE, {"mapId": small, "first": 2, "after": after}))[
            "nodes"
        ]
        pages += 1
        assert page["totalCount"] == 5
        assert page["pageInfo"]["hasPreviousPage"] == (after is not None)
        assert [e["node"]["id"] for e in page["edges"]] == [n["id"] for n in page["nodes"]]
        seen += [e["node"]["id"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
        assert after == page["edges"][-1]["cursor"]
    assert pages == 3
    assert seen == ["c1", "c2", "m1", "o1", "s1"]


async def test_nodes_filter_by_kind_tag_and_search(client: Client, small: str) -> None:
    async def ids(**filters: object) -> list[str]:
        page = (await client.data(NODES_PAGE, {"mapId": small, **filters}))["nodes"]
        return [n["id"] for n in page["nodes"]]

    assert await ids(kind=["AffectedCommunity", "Mechanism"]) == ["c1", "c2", "m1"]
    assert await ids(tag="vulnerable") == ["c2"]
    assert await ids(search="M1") == ["m1"]
    assert await ids(first=0) == []


async def test_edges_page_with_kind_filter_and_endpoints(client: Client, small: str) -> None:
    data = await client.data(
        """{ edges(mapId: "small", kind: [AFFECTS], first: 1) {
             totalCount pageInfo { hasNextPage }
             edges { node { id kind contestsPerMonth from { id } to { id name } } } } }"""
    )
    assert data["edges"]["totalCount"] == 2
    assert data["edges"]["pageInfo"]["hasNextPage"] is True
    assert data["edges"]["edges"][0]["node"] == {
        "id": "s1--AFFECTS--c1",
        "kind": "AFFECTS",
        "contestsPerMonth": 20.0,
        "from": {"id": "s1"},
        "to": {"id": "c1", "name": "C1"},
    }


async def test_node_edges_filter_by_direction_and_kind(client: Client, small: str) -> None:
    data = await client.data(
        """{ node(mapId: "small", id: "s1") {
             out: edges(direction: OUT) { id }
             in: edges(direction: IN) { id }
             deployers: neighbors(kind: [DEPLOYS]) { id name } } }"""
    )
    assert [e["id"] for e in data["node"]["out"]] == ["s1--AFFECTS--c1", "s1--AFFECTS--c2"]
    assert [e["id"] for e in data["node"]["in"]] == ["o1--DEPLOYS--s1"]
    assert data["node"]["deployers"] == [{"id": "o1", "name": "O1"}]


async def test_neighborhood_grows_with_depth(client: Client, small: str) -> None:
    query = """query($depth: Int!) { neighborhood(mapId: "small", id: "c1", depth: $depth) {
                 center { id } depth nodes { id } edges { id } } }"""
    one = (await client.data(query, {"depth": 1}))["neighborhood"]
    assert one["center"] == {"id": "c1"}
    assert [n["id"] for n in one["nodes"]] == ["c1", "m1", "s1"]
    assert [e["id"] for e in one["edges"]] == ["c1--CAN_CONTEST_VIA--m1", "s1--AFFECTS--c1"]
    two = (await client.data(query, {"depth": 2}))["neighborhood"]
    assert [n["id"] for n in two["nodes"]] == ["c1", "c2", "m1", "o1", "s1"]


ANALYSIS = """
query($status: [ContestStatus!]) {
  analysis(mapId: "small") {
    map { id version nodeCount }
    withoutContestPath { id name kind pairs { system status } }
    contestPairs(status: $status) {
      system stakeholder status authorities path accessibility demandPerMonth coverage
      stakeholderNode { name }
    }
    mechanisms { id capacityPerMonth loadPerMonth utilization coverage }
    feedbackLoops { system stakeholder status path }
  }
}
"""


async def test_analysis_mirrors_the_report_with_filters(client: Client, small: str) -> None:
    data = (await client.data(ANALYSIS, {"status": ["NONE", "NO_AUTHORITY"]}))["analysis"]
    assert data["map"]["id"] == "small"
    assert data["withoutContestPath"] == [
        {"id": "c2", "name": "C2", "kind": "AffectedCommunity", "pairs": [
            {"system": "s1", "status": "NONE"}]}
    ]  # fmt: skip
    assert data["contestPairs"] == [
        {
            "system": "s1",
            "stakeholder": "c2",
            "status": "NONE",
            "authorities": ["o1"],
            "path": None,
            "accessibility": None,
            "demandPerMonth": None,
            "coverage": None,
            "stakeholderNode": {"name": "C2"},
        }
    ]
    assert data["mechanisms"] == [
        {"id": "m1", "capacityPerMonth": 10.0, "loadPerMonth": 20.0, "utilization": 2.0,
         "coverage": 0.5}
    ]  # fmt: skip
    everything = (await client.data(ANALYSIS))["analysis"]
    assert [p["status"] for p in everything["contestPairs"]] == ["OVERLOADED", "NONE"]
    assert everything["contestPairs"][0]["path"] == ["c1", "m1", "o1"]


async def test_analysis_limit_and_overloaded_filter(client: Client, small: str) -> None:
    data = await client.data(
        """{ analysis(mapId: "small") {
             contestPairs(limit: 1) { stakeholder }
             none: contestPairs(status: [NONE], limit: 1) { stakeholder }
             nothing: contestPairs(limit: 0) { stakeholder }
             mechanisms(overloaded: false) { id }
             feedbackLoops(status: [PRESENT]) { stakeholder } } }"""
    )
    assert data["analysis"] == {
        "contestPairs": [{"stakeholder": "c1"}],
        "none": [{"stakeholder": "c2"}],  # filtered first, then limited
        "nothing": [],
        "mechanisms": [],
        "feedbackLoops": [],
    }


async def test_repeated_analysis_is_served_from_the_cache(client: Client, small: str) -> None:
    query = '{ analysis(mapId: "small") { map { version } contestPairs { status } } }'
    first = await client.data(query)
    assert client.store.calls["load_map"] == 1
    client.store.reset()
    # Another document (the same one would be answered by the response cache, no store call)
    again = await client.data(query.replace("{ status }", "{ status system }"))
    assert [p["status"] for p in again["analysis"]["contestPairs"]] == [
        p["status"] for p in first["analysis"]["contestPairs"]
    ]
    assert client.store.calls["load_map"] == 0  # only the version is checked
    assert client.store.calls["map_info"] == 1


async def test_impact_paths_in_order_with_their_edges(client: Client, small: str) -> None:
    data = await client.data(
        """{ impactPaths(mapId: "small", from: "o1", to: "c2") {
             length nodes { id } edges { id kind } } }"""
    )
    assert data["impactPaths"] == [
        {
            "length": 2,
            "nodes": [{"id": "o1"}, {"id": "s1"}, {"id": "c2"}],
            "edges": [
                {"id": "o1--DEPLOYS--s1", "kind": "DEPLOYS"},
                {"id": "s1--AFFECTS--c2", "kind": "AFFECTS"},
            ],
        }
    ]


SCENARIO = """
query($changes: [ChangeInput!]!) {
  scenario(mapId: "small", changes: $changes) {
    resolved { key section before }
    introduced { key }
    analysis { map { version } withoutContestPath { id } }
  }
}
"""


async def test_scenario_adding_a_mechanism_resolves_findings_and_stores_nothing(
    client: Client, small: str
) -> None:
    changes = [
        {"upsertNode": {"id": "m2", "kind": "Mechanism", "name": "Hotline"}},
        {"upsertEdge": {"kind": "CAN_CONTEST_VIA", "from": "c2", "to": "m2"}},
        {"upsertEdge": {"kind": "HANDLED_BY", "from": "m2", "to": "o1"}},
    ]
    before = await client.data('{ map(id: "small") { version nodeCount } }')
    data = (await client.data(SCENARIO, {"changes": changes}))["scenario"]
    resolved = [r["key"] for r in data["resolved"]]
    assert "contest:NONE:s1:c2" in resolved
    assert data["analysis"] == {"map": {"version": None}, "withoutContestPath": []}
    assert await client.data('{ map(id: "small") { version nodeCount } }') == before


async def test_recommendations_run_as_scenarios(client: Client, small: str) -> None:
    data = await client.data(
        '{ analysis(mapId: "small") { recommendations { key finding resolves scenarioChanges } } }'
    )
    recommendations = data["analysis"]["recommendations"]
    assert recommendations
    assert any(rec["key"].startswith("plan:") for rec in recommendations)
    for rec in recommendations:
        # The minimal plan fixes many findings at once, so it names none.
        assert (rec["finding"] is None) == rec["key"].startswith("plan:")
        result = (await client.data(SCENARIO, {"changes": rec["scenarioChanges"]}))["scenario"]
        resolved = {r["key"] for r in result["resolved"]}
        assert set(rec["resolves"]) <= resolved, rec["key"]


async def test_invalid_scenario_reports_graphql_paths(client: Client, small: str) -> None:
    error = await client.error(
        SCENARIO,
        {
            "changes": [
                {"deleteNode": "ghost"},
                {"setNodeFields": {"id": "m1", "fields": {"capacityPerMonth": -1}}},
            ]
        },
    )
    assert error["extensions"]["code"] == "INVALID_INPUT"
    paths = [p["path"] for p in error["extensions"]["problems"]]
    assert paths == ["changes[0].deleteNode", "changes[1].setNodeFields.fields.capacityPerMonth"]
    both = await client.error(SCENARIO, {"changes": [{"deleteNode": "c1", "deleteEdge": "x"}]})
    assert both["extensions"]["code"] == "INVALID_INPUT"


async def test_pairs_of_one_system_or_stakeholder_come_from_an_index_of_the_cached_report(
    client: Client, small: str
) -> None:
    query = """{ analysis(mapId: "small") {
        bySystem: contestPairs(system: "s1") { stakeholder }
        byStakeholder: contestPairs(stakeholder: "c2") { system stakeholder }
        none: contestPairs(system: "s1", status: [NONE]) { stakeholder }
        unknown: contestPairs(system: "c1") { stakeholder }
        both: contestPairs(system: "s1", stakeholder: "c1", limit: 5) { stakeholder } } }"""
    expected = {
        "bySystem": [{"stakeholder": "c1"}, {"stakeholder": "c2"}],
        "byStakeholder": [{"system": "s1", "stakeholder": "c2"}],
        "none": [{"stakeholder": "c2"}],
        "unknown": [],
        "both": [{"stakeholder": "c1"}],
    }
    assert (await client.data(query))["analysis"] == expected
    assert (await client.data(query))["analysis"] == expected  # now from the kept index
    scenario = """{ scenario(mapId: "small", changes: []) { analysis {
        contestPairs(system: "s1", status: [NONE]) { stakeholder } } } }"""
    data = await client.data(scenario)
    assert data["scenario"]["analysis"]["contestPairs"] == [{"stakeholder": "c2"}]

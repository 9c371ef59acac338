"""The fast path for JSON POST queries answers exactly what the GraphQL endpoint answers, and
hands everything else to the endpoint."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest

from graphsvc.api.graphql.router import GraphQLEndpoint

if TYPE_CHECKING:
    from tests.api_fixtures import Client

pytest_plugins = ["tests.api_fixtures"]
pytestmark = pytest.mark.anyio

TOO_DEEP = (
    '{ nodes(mapId: "small") { nodes { ' + "edges { from { " * 8 + "id" + " } }" * 8 + " } } }"
)
QUERIES = [
    (
        "query($m: ID!, $id: ID!) { node(mapId: $m, id: $id) { id kind name } }",
        {"m": "small", "id": "c1"},
    ),
    ("query($m: ID!, $id: ID!) { node(mapId: $m, id: $id) { id } }", {"m": "small", "id": "nope"}),
    ("query($m: ID!, $id: ID!) { node(mapId: $m, id: $id) { id } }", {"m": "nope", "id": "c1"}),
    ('{ nodes(mapId: "small", first: 2) { edges { node { id edges { id kind } } } } }', None),
    (
        '{ analysis(mapId: "small") { map { id } contestPairs(status: [NONE], limit: 1) { system } } }',
        None,
    ),
    ('{ neighborhood(mapId: "small", id: "c1", depth: 9) { nodes { id } } }', None),
    ('{ nodes(mapId: "small") { nodes { nosuchfield } } }', None),
    ("query A { maps { id } } query B { maps { title } }", None),
    ("{ maps { id ", None),
    # Run straight on graphql-core when known to be valid; the answers must not differ.
    ("query($m: ID!, $id: ID!) { node(mapId: $m, id: $id) { id } }", {"m": None, "id": "c1"}),
    ("query($m: ID!, $id: ID!) { node(mapId: $m, id: $id) { id } }", {"m": "small"}),
    ('query($first: Int) { nodes(mapId: "small", first: $first) { totalCount } }', {"first": "x"}),
    ('{ nodes(mapId: "small", first: 100000) { totalCount } }', None),
    ("{ __typename maps { __typename id } }", None),
    ("{ __schema { queryType { name } } }", None),
    (
        'query { node(mapId: "small", id: "c1") { ...F } } '
        "fragment F on MapNode { id name ... on AffectedCommunity { population } }",
        None,
    ),
    ('{ a: map(id: "small") { id } b: map(id: "small") { version } }', None),
    ("{ me { role authenticated } }", None),
    ("{ " + " ".join(f'a{i}: map(id: "small") {{ id }}' for i in range(60)) + " }", None),
    (TOO_DEEP, None),
]


@pytest.fixture
def endpoint_runs(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How often the generic endpoint answered (the fast path does not go through it)."""
    runs: list[int] = []
    original = GraphQLEndpoint.run

    async def counted(self: GraphQLEndpoint, *args: Any, **kwargs: Any) -> Any:
        runs.append(1)
        return await original(self, *args, **kwargs)

    monkeypatch.setattr(GraphQLEndpoint, "run", counted)
    return runs


@pytest.mark.parametrize(("query", "variables"), QUERIES)
async def test_a_query_is_answered_as_the_endpoint_answers_it(
    client: Client, small: str, endpoint_runs: list[int], query: str, variables: Any
) -> None:
    params = {"query": query} | ({"variables": json.dumps(variables)} if variables else {})
    by_endpoint = await client.http.get("/graphql", params=params)  # GET: the endpoint's
    assert len(endpoint_runs) == 1
    fast = await client.http.post("/graphql", json={"query": query, "variables": variables})
    assert (fast.status_code, fast.json()) == (by_endpoint.status_code, by_endpoint.json())
    assert fast.content == by_endpoint.content  # byte for byte
    if "{ maps { id " not in query and "query A" not in query:
        assert len(endpoint_runs) == 1  # answered by the fast path
    assert fast.headers["content-type"] == "application/json"


async def test_only_plain_json_queries_take_the_fast_path(
    client: Client, small: str, endpoint_runs: list[int]
) -> None:
    await client.data("{ maps { id } }")
    assert endpoint_runs == []
    await client.post('mutation { deleteNode(mapId: "small", id: "c2") { version } }')
    assert len(endpoint_runs) == 1  # mutations: always the endpoint
    for body in ([{"query": "{ maps { id } }"}], {"query": "{ maps { id } }", "other": 1}):
        response = await client.http.post("/graphql", json=body)
        assert response.status_code in (200, 400)
    assert len(endpoint_runs) == 3  # batches and unknown keys: the endpoint decides
    response = await client.http.post(
        "/graphql", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "INVALID_INPUT"
    assert len(endpoint_runs) == 4


async def test_the_caller_is_checked_before_the_fast_path_answers(
    make_client: Any, small: str, endpoint_runs: list[int]
) -> None:
    client: Client = await make_client(auth_required=True)
    response = await client.http.post("/graphql", json={"query": "{ maps { id } }"})
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    opened: Client = await make_client()
    response = await opened.http.post(
        "/graphql", json={"query": "{ maps { id } }"}, headers={"host": "example.com"}
    )
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"

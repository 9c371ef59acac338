"""Every configured limit is enforced with LIMIT_EXCEEDED, and just under it works."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from tests.api_fixtures import Client

pytest_plugins = ["tests.api_fixtures"]
pytestmark = pytest.mark.anyio

MakeClient = Callable[..., Any]


def nested(depth: int) -> str:
    """A query ``depth`` fields deep: nodes { nodes { edges { from { edges { ... } } } } }."""
    chain = (["edges", "from"] * depth)[: depth - 3]
    inner = "id"
    for name in reversed(chain):
        inner = f"{name} {{ {inner} }}"
    return f'{{ nodes(mapId: "small") {{ nodes {{ {inner} }} }} }}'


async def test_query_depth_limit(make_client: MakeClient, small: str) -> None:
    client: Client = await make_client(max_query_depth=6)
    await client.data(nested(6))
    error = await client.error(nested(7))
    assert error["extensions"]["code"] == "LIMIT_EXCEEDED"
    assert "nested 7 deep" in error["message"]


async def test_depth_counts_through_fragments_and_ignores_cycles(
    make_client: MakeClient, small: str
) -> None:
    client: Client = await make_client(max_query_depth=4)
    deep = """{ nodes(mapId: "small") { nodes { ...N } } }
              fragment N on MapNode { edges { from { edges { id } } } }"""
    assert (await client.error(deep))["extensions"]["code"] == "LIMIT_EXCEEDED"
    cycle = """{ nodes(mapId: "small") { nodes { ...A } } }
               fragment A on MapNode { id ...B } fragment B on MapNode { name ...A }"""
    assert (await client.error(cycle))["extensions"]["code"] == "INVALID_INPUT"


async def test_introspection_is_not_depth_limited(make_client: MakeClient) -> None:
    client: Client = await make_client(max_query_depth=3)
    data = await client.data(
        "{ __schema { types { fields { type { ofType { ofType { name } } } } } } }"
    )
    assert data["__schema"]["types"]


async def test_token_limit(make_client: MakeClient, small: str) -> None:
    client: Client = await make_client(max_query_tokens=40)
    await client.data('{ maps { id } node(mapId: "small", id: "m1") { id name } }')
    many = "{ maps { " + " ".join(["id"] * 50) + " } }"
    error = await client.error(many)
    assert error["extensions"]["code"] == "LIMIT_EXCEEDED"


async def test_alias_limit(make_client: MakeClient, small: str) -> None:
    client: Client = await make_client(max_query_aliases=3)
    three = "{ " + " ".join(f"a{i}: maps {{ id }}" for i in range(3)) + " }"
    assert len(await client.data(three)) == 3
    four = "{ " + " ".join(f"a{i}: maps {{ id }}" for i in range(4)) + " }"
    error = await client.error(four)
    assert error["extensions"]["code"] == "LIMIT_EXCEEDED"
    assert "4 aliases" in error["message"]


async def test_page_size_limit(make_client: MakeClient, small: str) -> None:
    client: Client = await make_client(max_page_size=3, default_page_size=2)
    page = await client.data('{ nodes(mapId: "small") { nodes { id } } }')
    assert len(page["nodes"]["nodes"]) == 2
    assert len((await client.data('{ edges(mapId: "small", first: 3) { nodes { id } } }'))[
        "edges"]["nodes"]) == 3  # fmt: skip
    for query in (
        '{ nodes(mapId: "small", first: 4) { totalCount } }',
        '{ edges(mapId: "small", first: 4) { totalCount } }',
    ):
        assert (await client.error(query))["extensions"]["code"] == "LIMIT_EXCEEDED"


async def test_request_body_limit(make_client: MakeClient, small: str) -> None:
    client: Client = await make_client(max_request_bytes=2_000)
    await client.data("{ maps { id } }")
    padded = "{ maps { id } }" + " " * 3_000
    response = await client.http.post("/graphql", json={"query": padded})
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "LIMIT_EXCEEDED"

    async def chunks() -> Any:  # no Content-Length: counted while streaming
        yield b'{"query": "{ maps { id } }", "pad": "'
        for _ in range(10):
            yield b"x" * 500
        yield b'"}'

    streamed = await client.http.post(
        "/graphql", content=chunks(), headers={"content-type": "application/json"}
    )
    assert streamed.status_code == 413
    assert streamed.json()["errors"][0]["extensions"]["code"] == "LIMIT_EXCEEDED"


async def test_neighborhood_and_impact_path_limits(make_client: MakeClient, small: str) -> None:
    client: Client = await make_client(
        max_neighborhood_depth=2, max_impact_depth=3, max_impact_paths=5
    )
    await client.data('{ neighborhood(mapId: "small", id: "c1", depth: 2) { depth } }')
    for query in (
        '{ neighborhood(mapId: "small", id: "c1", depth: 3) { depth } }',
        '{ impactPaths(mapId: "small", from: "o1", to: "c1", maxDepth: 4) { length } }',
        '{ impactPaths(mapId: "small", from: "o1", to: "c1", limit: 6) { length } }',
    ):
        assert (await client.error(query))["extensions"]["code"] == "LIMIT_EXCEEDED"
    error = await client.error('{ neighborhood(mapId: "small", id: "c1", depth: 0) { depth } }')
    assert error["extensions"]["code"] == "INVALID_INPUT"


async def test_scenario_change_limit(make_client: MakeClient, small: str) -> None:
    client: Client = await make_client(max_scenario_changes=2)
    query = """query($c: [ChangeInput!]!) {
                 scenario(mapId: "small", changes: $c) { resolved { key } } }"""
    two = [{"deleteEdge": "s1--AFFECTS--c2"}, {"deleteNode": "c2"}]
    await client.data(query, {"c": two})
    error = await client.error(query, {"c": [*two, {"deleteNode": "m1"}]})
    assert error["extensions"]["code"] == "LIMIT_EXCEEDED"


async def test_a_repeated_document_is_parsed_once_and_still_checked_every_time(
    make_client: MakeClient, small: str
) -> None:
    from graphsvc.api.graphql.limits import prepare

    strict: Client = await make_client(max_query_depth=6)
    loose: Client = await make_client(max_query_depth=7)
    query = nested(7)
    before = prepare.cache_info()
    for _ in range(3):  # the same text: parsed once, limits checked on every request
        assert (await strict.error(query))["extensions"]["code"] == "LIMIT_EXCEEDED"
        assert (await loose.data(query))["nodes"]
    after = prepare.cache_info()
    assert after.misses - before.misses <= 1
    assert after.hits > before.hits

"""No N+1: nested selections cost one store round trip per nesting level, whatever the page
size, because DataLoaders batch every node and edge list asked for at one level."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest

from graphsvc.store.base import NeighborhoodReader
from tests.factories import build_map, edge, node

if TYPE_CHECKING:
    from tests.api_fixtures import Client, CountingStore

pytest_plugins = ["tests.api_fixtures"]
pytestmark = pytest.mark.anyio

NESTED = """
query($first: Int) {
  nodes(mapId: "wide", first: $first) {
    nodes {
      id
      edges {
        id
        from { id name edges { id to { id name } } }
        to { id name }
      }
    }
  }
}
"""


@pytest.fixture
async def client(make_client: Callable[..., Any]) -> Client:
    """Answers are never reused here (the response cache would answer a repeated request
    without any round trip): these tests count what resolving a request costs."""
    made: Client = await make_client(response_cache_bytes=0)
    return made


@pytest.fixture
def wide(api_store: CountingStore) -> str:
    """60 communities, each affected by one of 6 systems and able to contest via a mechanism."""
    nodes = [node(f"s{i}") for i in range(6)] + [node("m1"), node("o1")]
    edges = [edge("m1", "HANDLED_BY", "o1")]
    for i in range(60):
        nodes.append(node(f"c{i:02d}"))
        edges.append(edge(f"s{i % 6}", "AFFECTS", f"c{i:02d}"))
        edges.append(edge(f"c{i:02d}", "CAN_CONTEST_VIA", "m1"))
    for i in range(6):
        edges.append(edge("o1", "DEPLOYS", f"s{i}"))
    api_store.save_map(build_map(nodes, edges, map_id="wide"))
    api_store.reset()
    return "wide"


async def store_calls(client: Client, first: int) -> dict[str, int]:
    client.store.reset()
    data = await client.data(NESTED, {"first": first})
    assert len(data["nodes"]["nodes"]) == first
    return dict(client.store.calls)


async def test_round_trips_do_not_grow_with_the_page_size(client: Client, wide: str) -> None:
    # find_nodes once; edges of the page once; endpoints once; their edges once; far ends once
    # (fewer when the nodes are already known from the page itself).
    bound = {"find_nodes": 1, "edges_touching": 2, "get_nodes": 2}
    for first in (3, 20, 60):
        calls = await store_calls(client, first)
        assert set(calls) <= set(bound)
        assert all(calls[name] <= bound[name] for name in calls), (first, calls)
    assert await store_calls(client, 3) == bound


async def test_analysis_nodes_are_batched(client: Client, wide: str) -> None:
    await client.data('{ analysis(mapId: "wide") { map { id } } }')  # warm the cache
    client.store.reset()
    data = await client.data(
        """{ analysis(mapId: "wide") { contestPairs {
             systemNode { name } stakeholderNode { name } } } }"""
    )
    assert len(data["analysis"]["contestPairs"]) == 60
    assert client.store.calls["get_nodes"] == 1


async def test_neighborhood_costs_depth_plus_two_round_trips_or_one(
    client: Client, wide: str
) -> None:
    client.store.reset()
    data = await client.data(
        """{ neighborhood(mapId: "wide", id: "m1", depth: 2) {
             nodes { id } edges { from { id } to { id } } } }"""
    )
    assert len(data["neighborhood"]["nodes"]) == 68
    if isinstance(client.store.inner, NeighborhoodReader):  # Neo4j: one read transaction
        assert client.store.calls == {"neighborhood": 1}
    else:
        assert client.store.calls == {"map_info": 1, "get_nodes": 2, "edges_touching": 2}

"""Strings that look like Cypher, SQL, HTML or script are data: stored and returned literally
on every store, searchable as text, and never run (no statement is built from a value)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from tests.api_fixtures import Client

pytest_plugins = ["tests.api_fixtures"]
pytestmark = pytest.mark.anyio

HOSTILE = [
    "x'}) MATCH (n) DETACH DELETE n //",
    '"}) WITH 1 AS x MATCH (g:GMap) DETACH DELETE g RETURN 1 //',
    "` RETURN 1 UNION MATCH (t:GToken) RETURN t.digest //",
    "'); DROP TABLE nodes; --",
    "1' OR '1'='1",
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "{{7*7}} ${7*7} %s %n \\u0000",
    "\u202eevil\u200b\ufeff",
    "名前 🤖 \t\n",
]
DOCUMENT = {
    "map": {"id": "hostile", "title": HOSTILE[0], "description": HOSTILE[5], "tags": HOSTILE[:3]},
    "sources": [{"id": "src", "title": HOSTILE[3], "url": "https://example.org/?q='%20OR%201=1--"}],
    "nodes": [
        {
            "id": f"n{i}",
            "kind": "Organization",
            "name": text,
            "description": text,
            "tags": [text],
            "attributes": {"note": text, text[:20] or "k": text},
            "sources": ["src"],
        }
        for i, text in enumerate(HOSTILE)
    ]
    + [{"id": "s", "kind": "AISystem", "name": "System"}],
    "edges": [
        {"from": f"n{i}", "to": "s", "kind": "DEPLOYS", "description": text}
        for i, text in enumerate(HOSTILE)
    ],
}
NODES = """
query($search: String, $tag: String) {
  nodes(mapId: "hostile", search: $search, tag: $tag, first: 100) {
    totalCount nodes { id name description tags attributes }
  }
}
"""


async def test_hostile_strings_round_trip_literally(client: Client) -> None:
    await client.data(
        "mutation($d: String!) { importMap(document: $d, format: JSON) { id } }",
        {"d": json.dumps(DOCUMENT)},
    )
    maps = (await client.data("{ maps { id title description tags } }"))["maps"]
    assert maps == [
        {"id": "hostile", "title": HOSTILE[0], "description": HOSTILE[5], "tags": HOSTILE[:3]}
    ]
    found = (await client.data(NODES))["nodes"]
    assert found["totalCount"] == len(HOSTILE) + 1
    by_id = {n["id"]: n for n in found["nodes"]}
    for i, text in enumerate(HOSTILE):
        assert by_id[f"n{i}"]["name"] == text
        assert by_id[f"n{i}"]["description"] == text
        assert by_id[f"n{i}"]["tags"] == [text]
        assert by_id[f"n{i}"]["attributes"] == {"note": text, text[:20] or "k": text}
    exported = await client.http.get("/api/maps/hostile/export?format=json")
    assert json.loads(exported.text)["nodes"][0]["name"] == HOSTILE[0]


@pytest.mark.parametrize("index", range(len(HOSTILE)))
async def test_hostile_search_and_tag_match_only_their_text(client: Client, index: int) -> None:
    await client.data(
        "mutation($d: String!) { importMap(document: $d, format: JSON, replace: true) { id } }",
        {"d": json.dumps(DOCUMENT)},
    )
    text = HOSTILE[index]
    by_search = (await client.data(NODES, {"search": text}))["nodes"]
    assert f"n{index}" in {n["id"] for n in by_search["nodes"]}
    assert all(text.lower() in n["name"].lower() for n in by_search["nodes"])
    by_tag = (await client.data(NODES, {"tag": text}))["nodes"]
    assert [n["id"] for n in by_tag["nodes"]] == [f"n{index}"]
    # Nothing was run: every map, node and token is still there.
    assert (await client.data('{ map(id: "hostile") { nodeCount edgeCount } }'))["map"] == {
        "nodeCount": len(HOSTILE) + 1,
        "edgeCount": len(HOSTILE),
    }


async def test_hostile_upserts_are_stored_literally(client: Client) -> None:
    await client.data(
        "mutation($d: String!) { importMap(document: $d, format: JSON, replace: true) { id } }",
        {"d": json.dumps(DOCUMENT)},
    )
    for text in HOSTILE:
        data = await client.data(
            'mutation($n: String!) { upsertNode(mapId: "hostile", input: {id: "m", kind: Mechanism,'
            " name: $n, description: $n, attributes: {x: $n}}) { node { name description attributes } } }",
            {"n": text},
        )
        assert data["upsertNode"]["node"] == {
            "name": text,
            "description": text,
            "attributes": {"x": text},
        }
    changes = await client.data('{ changes(mapId: "hostile", first: 1) { nodes { after } } }')
    assert changes["changes"]["nodes"][0]["after"]["name"] == HOSTILE[-1]

"""Malformed requests, unknown ids, invalid input and faults all get the one error shape with
a stable code; nothing answers with a bare 500 or a traceback."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from graphsvc.errors import StoreUnavailable
from tests.api_support import assert_error_shape

if TYPE_CHECKING:
    from tests.api_fixtures import Client

pytest_plugins = ["tests.api_fixtures"]
pytestmark = pytest.mark.anyio


@pytest.mark.parametrize(
    "query",
    [
        "{ maps { id }",  # syntax
        "{ maps { nope } }",  # unknown field
        '{ node(mapId: "small") { id } }',  # missing argument
        '{ nodes(mapId: "small", first: "ten") { totalCount } }',  # wrong type
        '{ nodes(mapId: "small", kind: [Robot]) { totalCount } }',  # unknown enum value
        "mutation { nope }",
        "",
        "query A { maps { id } } query A { maps { id } }",
    ],
)
async def test_malformed_graphql_is_invalid_input(client: Client, small: str, query: str) -> None:
    response = await client.http.post("/graphql", json={"query": query})
    assert response.status_code in {200, 400}
    errors = response.json()["errors"]
    assert_error_shape(errors[0])
    assert errors[0]["extensions"]["code"] == "INVALID_INPUT"


async def test_wrongly_typed_variables_are_invalid_input(client: Client, small: str) -> None:
    error = await client.error(
        'query($first: Int) { nodes(mapId: "small", first: $first) { totalCount } }',
        {"first": "many"},
    )
    assert error["extensions"]["code"] == "INVALID_INPUT"


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"{not json", "application/json"),
        (b'{"variables": {}}', "application/json"),
        (b"query=1", "text/plain"),
    ],
)
async def test_unusable_http_requests_get_the_error_shape(
    client: Client, body: bytes, content_type: str
) -> None:
    response = await client.http.post(
        "/graphql", content=body, headers={"content-type": content_type}
    )
    assert 400 <= response.status_code < 500
    assert_error_shape(response.json()["errors"][0])


async def test_mutation_over_get_is_refused_with_the_error_shape(client: Client) -> None:
    response = await client.http.get(
        "/graphql", params={"query": 'mutation { deleteMap(id: "x") { id } }'}
    )
    assert 400 <= response.status_code < 500
    assert response.json()["errors"][0]["extensions"]["code"] == "INVALID_INPUT"


@pytest.mark.parametrize(
    "query",
    [
        '{ map(id: "ghost") { id } }',
        '{ node(mapId: "small", id: "ghost") { id } }',
        '{ node(mapId: "ghost", id: "m1") { id } }',
        '{ nodes(mapId: "ghost") { totalCount } }',
        '{ edges(mapId: "ghost") { totalCount } }',
        '{ neighborhood(mapId: "small", id: "ghost") { depth } }',
        '{ impactPaths(mapId: "small", from: "ghost", to: "c1") { length } }',
        '{ analysis(mapId: "ghost") { map { id } } }',
    ],
)
async def test_unknown_ids_are_not_found(client: Client, small: str, query: str) -> None:
    assert (await client.error(query))["extensions"]["code"] == "NOT_FOUND"


async def test_bad_cursor_and_negative_arguments_are_invalid_input(
    client: Client, small: str
) -> None:
    for query in (
        '{ nodes(mapId: "small", after: "garbage") { totalCount } }',
        '{ nodes(mapId: "small", after: "ZWRnZTp4") { totalCount } }',  # an edge cursor
        '{ nodes(mapId: "small", first: -1) { totalCount } }',
        '{ analysis(mapId: "small") { contestPairs(limit: -1) { key } } }',
    ):
        assert (await client.error(query))["extensions"]["code"] == "INVALID_INPUT"


async def test_store_outage_is_store_unavailable(client: Client, small: str) -> None:
    client.store.fail_with = StoreUnavailable("the store is down")
    error = await client.error("{ maps { id } }")
    assert error["extensions"]["code"] == "STORE_UNAVAILABLE"
    ready = await client.http.get("/readyz")
    assert ready.status_code == 503
    assert ready.json()["errors"][0]["extensions"]["code"] == "STORE_UNAVAILABLE"
    export = await client.http.get("/api/maps/small/export")
    assert export.status_code == 503
    assert (await client.http.get("/healthz")).status_code == 200


async def test_internal_errors_are_masked(client: Client, small: str) -> None:
    client.store.fail_with = RuntimeError("secret detail /etc/passwd")
    error = await client.error("{ maps { id } }")
    assert error["extensions"]["code"] == "INTERNAL"
    assert "secret" not in error["message"]
    response = await client.http.get("/api/maps/small/export")
    assert response.status_code == 500
    assert "secret" not in response.text
    assert response.json()["errors"][0]["extensions"]["code"] == "INTERNAL"


async def test_rest_errors_share_the_shape(client: Client, small: str) -> None:
    for path, status, code in (
        ("/nowhere", 404, "NOT_FOUND"),
        ("/api/maps/ghost/export", 404, "NOT_FOUND"),
        ("/api/maps/small/export?format=pdf", 400, "INVALID_INPUT"),
    ):
        response = await client.http.get(path)
        assert response.status_code == status, path
        error = response.json()["errors"][0]
        assert_error_shape(error)
        assert error["extensions"]["code"] == code
    wrong_method = await client.http.delete("/healthz")
    assert wrong_method.status_code == 405
    assert_error_shape(wrong_method.json()["errors"][0])

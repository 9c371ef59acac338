"""The REST part: health, readiness, Prometheus metrics, map export, OpenAPI docs."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest

from graphsvc.domain.mapfile import load_map_text
from tests.api_support import small_map

if TYPE_CHECKING:
    from tests.api_fixtures import Client

pytest_plugins = ["tests.api_fixtures"]
pytestmark = pytest.mark.anyio


async def test_health_and_readiness(client: Client) -> None:
    assert (await client.http.get("/healthz")).json() == {"status": "ok"}
    assert (await client.http.get("/readyz")).json() == {"status": "ready"}


@pytest.mark.parametrize("fmt", ["yaml", "json"])
async def test_export_round_trips(client: Client, small: str, fmt: str) -> None:
    response = await client.http.get(f"/api/maps/{small}/export", params={"format": fmt})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(f"application/{fmt}")
    assert f'filename="small.{fmt}"' in response.headers["content-disposition"]
    if fmt == "json":
        json.loads(response.text)
    assert load_map_text(response.text, fmt=fmt) == small_map()  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("fmt", "media_type", "filename"),
    [
        ("graphml", "application/graphml+xml", "small.graphml"),
        ("gexf", "application/gexf+xml", "small.gexf"),
        ("cypher", "application/x-cypher-query", "small.cypher"),
        ("csv", "application/zip", "small.zip"),
    ],
)
async def test_export_in_exchange_formats(
    client: Client, small: str, fmt: str, media_type: str, filename: str
) -> None:
    response = await client.http.get(f"/api/maps/{small}/export", params={"format": fmt})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media_type)
    assert f'filename="{filename}"' in response.headers["content-disposition"]
    assert response.content


async def test_html_report_is_a_standalone_page_with_the_findings(
    client: Client, small: str
) -> None:
    response = await client.http.get(f"/api/maps/{small}/report.html")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    assert page.startswith("<!DOCTYPE html>")
    assert "vis.Network" in page or "new vis." in page  # the network library is inlined
    assert "<script src=" not in page and "<link " not in page  # nothing fetched from a CDN
    missing = await client.http.get("/api/maps/ghost/report.html")
    assert missing.status_code == 404
    assert missing.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_metrics_count_requests_by_route_and_operation(client: Client, small: str) -> None:
    await client.data("{ maps { id } }")
    await client.error('{ map(id: "ghost") { id } }')
    await client.http.get(f"/api/maps/{small}/export")
    text = (await client.http.get("/metrics")).text
    assert 'graphsvc_graphql_operations_total{field="maps",outcome="ok",type="query"} 1.0' in text
    assert 'field="map",outcome="NOT_FOUND",type="query"} 1.0' in text
    assert 'graphsvc_graphql_operation_seconds_count{field="maps",type="query"} 1.0' in text
    assert (
        'graphsvc_http_requests_total{method="GET",route="/api/maps/{map_id}/export",status="200"}'
        in text
    )
    assert 'graphsvc_http_request_seconds_bucket{le="0.005",method="POST",route="/graphql"}' in text


async def test_metric_labels_stay_bounded(client: Client) -> None:
    await client.error("{ madeUpField }")
    await client.http.get("/some/random/path/123")
    text = (await client.http.get("/metrics")).text
    assert "madeUpField" not in text
    assert "random" not in text
    assert 'route="unmatched"' in text


async def test_openapi_documents_the_rest_routes(client: Client) -> None:
    spec = (await client.http.get("/openapi.json")).json()
    assert {"/healthz", "/readyz", "/metrics", "/api/maps/{map_id}/export"} <= set(spec["paths"])
    assert (await client.http.get("/docs")).status_code == 200


async def test_graphiql_on_get(make_client: Callable[..., Any]) -> None:
    on: Client = await make_client()
    page = await on.http.get("/graphql", headers={"accept": "text/html"})
    assert page.status_code == 200 and "graphiql" in page.text.lower()
    off: Client = await make_client(graphiql=False)
    refused = await off.http.get("/graphql", headers={"accept": "text/html"})
    assert refused.status_code == 404
    assert refused.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"

"""Observability: metrics count every observation under its labels, whatever the order or
repetition, also when the series kept at hand are dropped and looked up again; FastAPI's own
OpenTelemetry runs only when turned on."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from opentelemetry import trace

from graphsvc.api import metrics as metrics_module
from graphsvc.api.app import create_app
from graphsvc.api.metrics import Metrics
from graphsvc.settings import Settings

pytest_plugins = ["tests.api_fixtures"]  # anyio on asyncio

KINDS = st.sampled_from(["query", "mutation", "-"])
FIELDS = st.lists(st.sampled_from(["node", "nodes", "analysis", "maps"]), max_size=3).map(tuple)
OUTCOMES = st.sampled_from(["ok", "NOT_FOUND", "INTERNAL"])
GRAPHQL = st.lists(st.tuples(KINDS, FIELDS, OUTCOMES), max_size=40)
HTTP = st.lists(
    st.tuples(st.sampled_from(["GET", "POST"]), st.sampled_from(["/graphql", "/healthz"]),
              st.sampled_from(["200", "404"])),
    max_size=40,
)  # fmt: skip


def _value(m: Metrics, name: str, labels: dict[str, str]) -> float:
    found = m.registry.get_sample_value(name, labels)
    return 0.0 if found is None else found


@pytest.mark.parametrize("kept", [1024, 2])
@given(observations=GRAPHQL, requests=HTTP)
def test_every_observation_counts_under_its_labels(
    kept: int,
    observations: list[tuple[str, tuple[str, ...], str]],
    requests: list[tuple[str, str, str]],
) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(metrics_module, "MAX_LABEL_SETS", kept)  # 2: dropped again and again
        m = Metrics()
        operations: Counter[tuple[str, str, str]] = Counter()
        timings: Counter[tuple[str, str]] = Counter()
        for kind, fields, outcome in observations:
            m.observe_graphql(kind, fields, outcome, 0.003)
            for name in sorted(set(fields)) or ["-"]:  # the brute force: one per root field
                operations[(kind, name, outcome)] += 1
                timings[(kind, name)] += 1
        for method, route, status in requests:
            m.observe_http(method, route, status, 0.02)

    for (kind, name, outcome), count in operations.items():
        labels = {"type": kind, "field": name, "outcome": outcome}
        assert _value(m, "graphsvc_graphql_operations_total", labels) == count
    for (kind, name), count in timings.items():
        labels = {"type": kind, "field": name}
        assert _value(m, "graphsvc_graphql_operation_seconds_count", labels) == count
        assert (
            _value(m, "graphsvc_graphql_operation_seconds_bucket", {**labels, "le": "0.005"})
            == count
        )
        assert (
            _value(m, "graphsvc_graphql_operation_seconds_bucket", {**labels, "le": "0.001"}) == 0
        )
    for (method, route, status), count in Counter(requests).items():
        labels = {"method": method, "route": route, "status": status}
        assert _value(m, "graphsvc_http_requests_total", labels) == count
    for (method, route), count in Counter((r[0], r[1]) for r in requests).items():
        labels = {"method": method, "route": route}
        assert _value(m, "graphsvc_http_request_seconds_count", labels) == count


@pytest.mark.anyio
@pytest.mark.parametrize("enabled", [False, True])
async def test_fastapi_looks_for_opentelemetry_providers_only_when_asked_to(
    enabled: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """FastAPI's native telemetry asks for the global providers on every request; graphsvc
    turns it off unless ``GRAPHSVC_OPENTELEMETRY`` is set."""
    asked: list[str] = []
    real = trace.get_tracer_provider
    monkeypatch.setattr(trace, "get_tracer_provider", lambda: asked.append("trace") or real())
    settings = Settings(store=f"sqlite:///{tmp_path / 'm.sqlite'}", opentelemetry=enabled)
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client,
    ):
        asked.clear()
        assert (await client.get("/healthz")).status_code == 200
    assert bool(asked) is enabled

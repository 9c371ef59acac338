"""Prometheus metrics: HTTP requests by route and GraphQL operations by root field; and the
access log, one line per HTTP request, written where the request is counted."""

from __future__ import annotations

import logging
import time
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: One line per request: ``client - "METHOD path HTTP/version" status seconds``. ``graphsvc
#: serve`` sends it to stdout (uvicorn's own access log, which costs several times more per
#: request, is off).
access_log = logging.getLogger("graphsvc.access")

#: Label sets whose series are kept at hand (beyond it they are looked up afresh).
MAX_LABEL_SETS = 1024
BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)


class Metrics:
    """One registry per app, so several apps (tests) never share counters."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.http_requests = Counter(
            "graphsvc_http_requests",
            "HTTP requests by method, route template and status code.",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.http_seconds = Histogram(
            "graphsvc_http_request_seconds",
            "HTTP request latency by method and route template.",
            ["method", "route"],
            buckets=BUCKETS,
            registry=self.registry,
        )
        self.graphql_operations = Counter(
            "graphsvc_graphql_operations",
            "GraphQL operations by type, root field (operation names are client-chosen and "
            "would be unbounded) and outcome (ok or the first error code).",
            ["type", "field", "outcome"],
            registry=self.registry,
        )
        self.graphql_seconds = Histogram(
            "graphsvc_graphql_operation_seconds",
            "GraphQL operation latency by type and root field.",
            ["type", "field"],
            buckets=BUCKETS,
            registry=self.registry,
        )
        self.response_cache = Counter(
            "graphsvc_graphql_response_cache",
            "Read-only GraphQL requests answered from the response cache (hit) or not (miss).",
            ["outcome"],
            registry=self.registry,
        )
        self._cache_hits = self.response_cache.labels("hit")
        self._cache_misses = self.response_cache.labels("miss")
        # The labelled series, looked up once per label set: ``labels()`` checks and locks on
        # every call, about an eighth of the CPU of a request answered from the cache.
        self._http: dict[tuple[str, str, str], tuple[Any, Any]] = {}
        self._graphql: dict[tuple[str, tuple[str, ...], str], list[tuple[Any, Any]]] = {}

    def observe_response_cache(self, *, hit: bool) -> None:
        (self._cache_hits if hit else self._cache_misses).inc()

    def observe_http(self, method: str, route: str, status: str, seconds: float) -> None:
        key = (method, route, status)
        series = self._http.get(key)
        if series is None:
            series = self._http[key] = (
                self.http_requests.labels(method, route, status),
                self.http_seconds.labels(method, route),
            )
        series[0].inc()
        series[1].observe(seconds)

    def observe_graphql(
        self, kind: str, fields: tuple[str, ...], outcome: str, seconds: float
    ) -> None:
        key = (kind, fields, outcome)
        series = self._graphql.get(key)
        if series is None:
            if len(self._graphql) >= MAX_LABEL_SETS:  # field combinations are the client's
                self._graphql.clear()
            series = self._graphql[key] = [
                (
                    self.graphql_operations.labels(kind, name, outcome),
                    self.graphql_seconds.labels(kind, name),
                )
                for name in sorted(set(fields)) or ["-"]
            ]
        for operations, timing in series:
            operations.inc()
            timing.observe(seconds)

    def exposition(self) -> bytes:
        return generate_latest(self.registry)


class HttpMetricsMiddleware:
    """Counts and times every HTTP request, labelled by route template (never raw paths), and
    logs it to the access log."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            route = _route_of(scope)
            # Clients choose the method token: only known ones become labels (bounded series).
            method = scope.get("method", "-")
            method = method if method in HTTP_METHODS else "-"
            seconds = time.perf_counter() - start
            self.metrics.observe_http(method, route, str(status), seconds)
            if access_log.isEnabledFor(logging.INFO):
                _log_access(scope, status, seconds)


def _log_access(scope: Scope, status: int, seconds: float) -> None:
    client = scope.get("client")
    path = scope.get("path", "")
    query = scope.get("query_string", b"")
    access_log.info(
        '%s - "%s %s%s HTTP/%s" %d %.1fms',
        f"{client[0]}:{client[1]}" if client else "-",
        scope.get("method", "-"),
        path,
        "?" + query.decode("latin-1") if query else "",
        scope.get("http_version", "1.1"),
        status,
        seconds * 1000,
    )


HTTP_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def _route_of(scope: Scope) -> str:
    # The router records the route it matched in the (shared) scope; its path is a template.
    route = scope.get("route")
    path = getattr(route, "path", None)
    return str(path) if path else "unmatched"

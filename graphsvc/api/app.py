"""The app factory: ``create_app(settings)`` wires the store, GraphQL, REST and middleware.

The app starts whether or not its store answers: a :class:`StoreMonitor` opens and watches it
(``/readyz`` tells). Every request names its caller (``graphsvc.api.auth``) and reaches the
store only as that caller may (``ApiState.access_for``)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.telemetry import TelemetryConfig

import graphsvc
from graphsvc.api.auth import install_cors, is_loopback
from graphsvc.api.bodylimit import BodyLimitMiddleware
from graphsvc.api.deps import get_graph_context
from graphsvc.api.errors import install_handlers
from graphsvc.api.frontend import install_frontend
from graphsvc.api.graphql.fastpath import GraphQLFastPath
from graphsvc.api.graphql.router import GraphQLEndpoint
from graphsvc.api.graphql.schema import build_schema
from graphsvc.api.metrics import HttpMetricsMiddleware, Metrics
from graphsvc.api.rest import router as rest_router
from graphsvc.api.state import ApiState, in_thread
from graphsvc.service.availability import StoreMonitor
from graphsvc.settings import Settings
from graphsvc.store.base import GraphStore
from graphsvc.store.open import open_store

StoreOpener = Callable[[Settings], GraphStore]
#: FastAPI's native OpenTelemetry off (``Settings.opentelemetry``).
NO_TELEMETRY: TelemetryConfig = {"tracing": False, "metrics": False, "logs": False}


def create_app(
    settings: Settings | None = None, *, store_opener: StoreOpener = open_store
) -> FastAPI:
    """A new app; the store is opened when the app starts (or, if it does not answer then, as
    soon as it does) and closed when it stops. Bound beyond loopback (``settings.host``), the
    app requires a token on every request."""
    settings = settings or Settings()
    metrics = Metrics()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        monitor = StoreMonitor(
            lambda: store_opener(settings), interval=settings.store_check_seconds
        )
        await in_thread(monitor.check)
        required = settings.auth_required or not is_loopback(settings.host)
        app.state.api = ApiState(settings, monitor, metrics, auth_required=required)
        monitor.start()
        try:
            yield
        finally:
            await in_thread(monitor.stop)

    app = FastAPI(
        title="graphsvc",
        version=graphsvc.__version__,
        description="Stakeholder and power-mapping knowledge graph. GraphQL at /graphql; "
        "these REST routes serve operations and exports. Errors: see the 4xx responses.",
        lifespan=lifespan,
        telemetry=None if settings.opentelemetry else NO_TELEMETRY,
    )
    install_handlers(app)
    app.include_router(rest_router)
    graphql = GraphQLEndpoint(
        build_schema(),
        path="/graphql",
        graphql_ide="graphiql" if settings.graphiql else None,
        context_getter=get_graph_context,
        subscription_protocols=(),
    )
    app.include_router(graphql)
    install_frontend(app)
    # Innermost middleware: the body limit, metrics and CORS apply to it as to every route.
    app.add_middleware(GraphQLFastPath, endpoint=graphql)
    install_cors(app, settings)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_request_bytes)
    app.add_middleware(HttpMetricsMiddleware, metrics=metrics)
    return app

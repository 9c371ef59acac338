"""The app factory: ``create_app(settings)`` wires the store, GraphQL, REST and middleware."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI

import graphsvc
from graphsvc.api.bodylimit import BodyLimitMiddleware
from graphsvc.api.deps import get_graph_context
from graphsvc.api.errors import install_handlers
from graphsvc.api.frontend import install_frontend
from graphsvc.api.graphql.router import GraphQLEndpoint
from graphsvc.api.graphql.schema import build_schema
from graphsvc.api.metrics import HttpMetricsMiddleware, Metrics
from graphsvc.api.rest import router as rest_router
from graphsvc.api.state import ApiState, in_thread
from graphsvc.settings import Settings
from graphsvc.store.base import GraphStore
from graphsvc.store.open import open_store

StoreOpener = Callable[[Settings], GraphStore]


def create_app(
    settings: Settings | None = None, *, store_opener: StoreOpener = open_store
) -> FastAPI:
    """A new app; the store is opened when the app starts and closed when it stops."""
    settings = settings or Settings()
    metrics = Metrics()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store = await in_thread(store_opener, settings)
        app.state.api = ApiState(settings, store, metrics)
        try:
            yield
        finally:
            await in_thread(store.close)

    app = FastAPI(
        title="graphsvc",
        version=graphsvc.__version__,
        description="Stakeholder and power-mapping knowledge graph. GraphQL at /graphql; "
        "these REST routes serve operations and exports. Errors: see the 4xx responses.",
        lifespan=lifespan,
    )
    install_handlers(app)
    app.include_router(rest_router)
    app.include_router(
        GraphQLEndpoint(
            build_schema(),
            path="/graphql",
            graphql_ide="graphiql" if settings.graphiql else None,
            context_getter=get_graph_context,
            subscription_protocols=(),
        ),
    )
    install_frontend(app)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_request_bytes)
    app.add_middleware(HttpMetricsMiddleware, metrics=metrics)
    return app

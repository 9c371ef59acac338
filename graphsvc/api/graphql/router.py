"""The GraphQL HTTP endpoint: strawberry's FastAPI router, answering in the one error shape
also when the HTTP request itself is unusable (bad JSON, no query, wrong method)."""

from __future__ import annotations

from typing import Any

from cross_web import HTTPException
from strawberry.fastapi import GraphQLRouter

from graphsvc.api.errors import http_error_response
from graphsvc.api.graphql.context import GraphContext


class GraphQLEndpoint(GraphQLRouter[GraphContext, None]):
    async def run(self, request: Any, context: Any = None, root_value: Any = None) -> Any:
        try:
            return await super().run(request, context=context, root_value=root_value)
        except HTTPException as exc:
            return http_error_response(exc.status_code, exc.reason)

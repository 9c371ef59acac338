"""The GraphQL schema: Query, Mutation, every node type, and the request extensions."""

from __future__ import annotations

import strawberry
from graphql import GraphQLError
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext

from graphsvc.api.graphql.errors import ErrorCodes
from graphsvc.api.graphql.execution import Executor
from graphsvc.api.graphql.limits import RequestLimits
from graphsvc.api.graphql.metrics import OperationMetrics
from graphsvc.api.graphql.mutations import Mutation
from graphsvc.api.graphql.queries import Query
from graphsvc.api.graphql.types import NODE_TYPES


class Schema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        """Expected errors are answers, not faults: ErrorCodes logs only internal ones."""


def build_schema() -> strawberry.Schema:
    """The schema; the settings it enforces come from each request's context."""
    return Schema(
        query=Query,
        mutation=Mutation,
        types=list(NODE_TYPES.values()),
        extensions=[RequestLimits, OperationMetrics, ErrorCodes],
        config=StrawberryConfig(auto_camel_case=True),
        execution_context_class=Executor,
    )

"""Counting and timing GraphQL operations by type and root field."""

from __future__ import annotations

import time
from collections.abc import Iterator

from graphql import DocumentNode, FieldNode, GraphQLSchema, OperationDefinitionNode
from strawberry.extensions import SchemaExtension

from graphsvc.api.graphql.errors import classify


def operation_label(
    schema: GraphQLSchema, document: DocumentNode | None, operation_name: str | None
) -> tuple[str, tuple[str, ...]]:
    """The operation's type and root fields as the metrics label them: ``-`` for what is not
    known (no single operation; a root field unknown to the schema), so labels stay bounded."""
    if document is None:
        return "-", ()
    operations = [
        d
        for d in document.definitions
        if isinstance(d, OperationDefinitionNode)
        and (operation_name is None or getattr(d.name, "value", None) == operation_name)
    ]
    if len(operations) != 1:
        return "-", ()
    operation = operations[0]
    root = schema.get_root_type(operation.operation)
    known = set(root.fields) if root is not None else set()
    fields = tuple(
        s.name.value if s.name.value in known else "-"
        for s in operation.selection_set.selections
        if isinstance(s, FieldNode)
    )
    return operation.operation.value, fields


class OperationMetrics(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        start = time.perf_counter()
        yield
        context = self.execution_context
        kind, fields = operation_label(
            context.schema._schema, context.graphql_document, context.operation_name
        )
        result = context.result
        errors = result.errors if result is not None else None
        outcome = classify(errors[0])[1]["code"] if errors else "ok"
        context.context.metrics.observe_graphql(kind, fields, outcome, time.perf_counter() - start)

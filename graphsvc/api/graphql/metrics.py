"""Counting and timing GraphQL operations by type and root field."""

from __future__ import annotations

import time
from collections.abc import Iterator

from graphql import FieldNode, OperationDefinitionNode
from strawberry.extensions import SchemaExtension

from graphsvc.api.graphql.errors import classify


class OperationMetrics(SchemaExtension):
    """Root fields unknown to the schema are counted as ``-`` so labels stay bounded."""

    def on_operation(self) -> Iterator[None]:
        start = time.perf_counter()
        yield
        context = self.execution_context
        kind, fields = "-", []
        document = context.graphql_document
        if document is not None:
            wanted = context.operation_name
            operations = [
                d
                for d in document.definitions
                if isinstance(d, OperationDefinitionNode)
                and (wanted is None or getattr(d.name, "value", None) == wanted)
            ]
            if len(operations) == 1:
                operation = operations[0]
                kind = operation.operation.value
                root = context.schema._schema.get_root_type(operation.operation)
                known = set(root.fields) if root is not None else set()
                fields = [
                    s.name.value if s.name.value in known else "-"
                    for s in operation.selection_set.selections
                    if isinstance(s, FieldNode)
                ]
        result = context.result
        errors = result.errors if result is not None else None
        outcome = classify(errors[0])[1]["code"] if errors else "ok"
        context.context.metrics.observe_graphql(kind, fields, outcome, time.perf_counter() - start)

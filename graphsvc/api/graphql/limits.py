"""Limits on the size and shape of a GraphQL document, checked before it is validated or run.

Tokens bound the parser's work, depth bounds how far nested selections fan out (each level
can multiply the result), aliases bound how often one field can be repeated side by side.
Each breach is one error with code ``LIMIT_EXCEEDED``.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document

from graphsvc.errors import LimitExceeded

TOKEN_LIMIT_MESSAGE = "Document contains more than"  # graphql-core's max_tokens error


def limit_error(message: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": LimitExceeded.code})


def depth_of(document: DocumentNode) -> int:
    """The deepest field nesting of any operation; fragments are followed (cycles are cut,
    validation reports them) and introspection fields (``__schema``) are not counted."""
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    known: dict[str, int] = {}  # each fragment measured once: spreads cannot blow up the work

    def depth(selection_set: SelectionSetNode | None, seen: frozenset[str]) -> int:
        if selection_set is None:
            return 0
        deepest = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                if selection.name.value.startswith("__"):
                    continue
                deepest = max(deepest, 1 + depth(selection.selection_set, seen))
            elif isinstance(selection, InlineFragmentNode):
                deepest = max(deepest, depth(selection.selection_set, seen))
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = fragments.get(name)
                if fragment is not None and name not in seen:
                    if name not in known:
                        known[name] = depth(fragment.selection_set, seen | {name})
                    deepest = max(deepest, known[name])
        return deepest

    return max(
        (
            depth(d.selection_set, frozenset())
            for d in document.definitions
            if isinstance(d, OperationDefinitionNode)
        ),
        default=0,
    )


def alias_count(document: DocumentNode) -> int:
    """Aliases written anywhere in the document."""

    def walk(selection_set: SelectionSetNode | None) -> Iterator[FieldNode]:
        if selection_set is None:
            return
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                yield selection
            if isinstance(selection, FieldNode | InlineFragmentNode):
                yield from walk(selection.selection_set)

    return sum(
        1
        for d in document.definitions
        if isinstance(d, OperationDefinitionNode | FragmentDefinitionNode)
        for field in walk(d.selection_set)
        if field.alias is not None
    )


@lru_cache(maxsize=256)
def _validate(schema: GraphQLSchema, document: DocumentNode, rules: Any) -> list[GraphQLError]:
    # Validation of the same document against the same schema always gives the same answer;
    # clients repeat a handful of operations, so caching it saves most of a request's CPU.
    return validate_document(schema, document, rules)


class RequestLimits(SchemaExtension):
    """Token limit while parsing; depth and alias limits before validation, which is then
    run here (cached per document) since it only makes sense on a document within limits."""

    def on_operation(self) -> Iterator[None]:
        settings = self.execution_context.context.settings
        self.execution_context.parse_options["max_tokens"] = settings.max_query_tokens
        yield

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        settings = context.context.settings
        if document is not None and context.pre_execution_errors is None:
            errors = []
            depth = depth_of(document)
            if depth > settings.max_query_depth:
                errors.append(
                    limit_error(f"query is nested {depth} deep; at most {settings.max_query_depth}")
                )
            aliases = alias_count(document)
            if aliases > settings.max_query_aliases:
                errors.append(
                    limit_error(
                        f"query has {aliases} aliases; at most {settings.max_query_aliases}"
                    )
                )
            context.pre_execution_errors = errors or _validate(
                context.schema._schema, document, tuple(context.validation_rules)
            )
        yield

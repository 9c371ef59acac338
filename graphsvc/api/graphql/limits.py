"""Limits on the size and shape of a GraphQL document, checked before it is validated or run.

Tokens bound the parser's work, depth bounds how far nested selections fan out (each level
can multiply the result), aliases bound how often one field can be repeated side by side.
Each breach is one error with code ``LIMIT_EXCEEDED``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
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
    parse,
    specified_rules,
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


@dataclass(frozen=True)
class Prepared:
    """A parsed document and what the limits need to know of it (computed once per text)."""

    document: DocumentNode
    depth: int
    aliases: int


# Clients repeat a handful of operations: parsing, measuring and validating the same text
# against the same schema always gives the same answer, so each is done once per text (keyed
# by the text, not the parsed document, whose hash walks the whole tree on every lookup).
# Bounded, so that unique texts cannot grow memory; a text over the token limit raises and is
# not cached, and strawberry then parses it itself and reports the error as usual.
CACHED_DOCUMENTS = 256


@lru_cache(maxsize=CACHED_DOCUMENTS)
def prepare(query: str, max_tokens: int) -> Prepared:
    document = parse(query, max_tokens=max_tokens)
    return Prepared(document, depth_of(document), alias_count(document))


#: The rules strawberry validates a document with when no extension adds any (ours add none).
STANDARD_RULES = tuple(specified_rules)


def ready(
    schema: GraphQLSchema, query: str, max_tokens: int, max_depth: int, max_aliases: int
) -> Prepared | None:
    """The document when it is within every limit and valid, so that it can run without the
    checks of :class:`RequestLimits` (which would find nothing); None when they must run (and
    word the errors). Parsing and validating are cached per text, as the extension's are."""
    known = _cached(query, max_tokens)
    if known is None or known.depth > max_depth or known.aliases > max_aliases:
        return None
    if _validate(schema, query, max_tokens, STANDARD_RULES):
        return None
    return known


@lru_cache(maxsize=CACHED_DOCUMENTS)
def _validate(schema: GraphQLSchema, query: str, max_tokens: int, rules: Any) -> list[GraphQLError]:
    return validate_document(schema, prepare(query, max_tokens).document, rules)


class RequestLimits(SchemaExtension):
    """Token limit while parsing; depth and alias limits before validation, which is then
    run here (cached per document text) since it only makes sense on a document within
    limits."""

    def on_operation(self) -> Iterator[None]:
        settings = self.execution_context.context.settings
        self.execution_context.parse_options["max_tokens"] = settings.max_query_tokens
        yield

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        if context.graphql_document is None:
            known = _cached(context.query, context.context.settings.max_query_tokens)
            if known is not None:
                context.graphql_document = known.document
        yield

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        settings = context.context.settings
        if document is not None and context.pre_execution_errors is None:
            query, max_tokens = context.query, settings.max_query_tokens
            known = _cached(query, max_tokens)
            cached = known is not None and known.document is document
            if known is None or not cached:  # a document strawberry parsed (or was given)
                known = Prepared(document, depth_of(document), alias_count(document))
            errors = []
            if known.depth > settings.max_query_depth:
                errors.append(
                    limit_error(
                        f"query is nested {known.depth} deep; at most {settings.max_query_depth}"
                    )
                )
            if known.aliases > settings.max_query_aliases:
                errors.append(
                    limit_error(
                        f"query has {known.aliases} aliases; at most {settings.max_query_aliases}"
                    )
                )
            rules = tuple(context.validation_rules)
            if errors:
                context.pre_execution_errors = errors
            elif cached and query is not None:
                context.pre_execution_errors = _validate(
                    context.schema._schema, query, max_tokens, rules
                )
            else:
                context.pre_execution_errors = validate_document(
                    context.schema._schema, document, rules
                )
        yield


def _cached(query: str | None, max_tokens: int) -> Prepared | None:
    if not query:
        return None
    try:
        return prepare(query, max_tokens)
    except Exception:  # strawberry parses it again and reports the error as usual
        return None

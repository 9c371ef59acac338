"""Every GraphQL error gets the one error shape: a stable ``extensions.code``, and for invalid
input every problem with its path. Anything unexpected is logged and masked as INTERNAL."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from graphql import GraphQLError, GraphQLSyntaxError
from strawberry.extensions import SchemaExtension

from graphsvc.api.errors import INTERNAL_MESSAGE, extensions_of
from graphsvc.api.graphql.limits import TOKEN_LIMIT_MESSAGE
from graphsvc.errors import GraphsvcError, InvalidInput, LimitExceeded

log = logging.getLogger("graphsvc.api")


def classify(error: GraphQLError) -> tuple[str, dict[str, Any]]:
    """The message and extensions clients see for an error (``code`` INTERNAL: masked)."""
    original = error.original_error
    while isinstance(original, GraphQLError) and original.original_error is not None:
        original = original.original_error
    if isinstance(original, GraphsvcError):
        return original.message, extensions_of(original)
    if isinstance(original, RecursionError):
        # Input nested deeper than the interpreter can walk: the client's input, not a fault.
        return "input is nested too deeply", {"code": LimitExceeded.code}
    if error.extensions and "code" in error.extensions:
        return error.message, dict(error.extensions)
    if isinstance(error, GraphQLSyntaxError) and TOKEN_LIMIT_MESSAGE in error.message:
        return error.message, {"code": LimitExceeded.code}
    if error.path is None and (original is None or isinstance(original, GraphQLError)):
        # Malformed or invalid operation, or variables of the wrong type: the client's input.
        return error.message, {"code": InvalidInput.code}
    return INTERNAL_MESSAGE, {"code": "INTERNAL"}


def coded(error: GraphQLError) -> GraphQLError:
    """The error as clients see it; internal errors are logged with their cause."""
    message, extensions = classify(error)
    if extensions["code"] == "INTERNAL":
        where = ".".join(map(str, error.path or []))
        log.error("internal error at %s: %s", where, error.message, exc_info=error.original_error)
    # The error replaces ``error``, whose traceback (and its cause's) holds the frames of the
    # execution that raised it, which hold the error: a reference cycle that kept a whole
    # request alive until the cyclic collector ran. Logged above, the frames are not needed.
    for raised in (error, error.original_error):
        if raised is not None:
            raised.__traceback__ = None
    return _with(error, message, extensions)


def _with(error: GraphQLError, message: str, extensions: dict[str, Any]) -> GraphQLError:
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        original_error=None,
        extensions=extensions,
    )


class ErrorCodes(SchemaExtension):
    """Rewrites the errors of a finished operation (like strawberry's MaskErrors)."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if result is not None and result.errors:
            result.errors = [coded(e) for e in result.errors]

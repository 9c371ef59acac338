"""The GraphQL HTTP endpoint: strawberry's FastAPI router, answering in the one error shape
also when the HTTP request itself is unusable (bad JSON, no query, wrong method)."""

from __future__ import annotations

import json
from typing import Any

from cross_web import HTTPException
from strawberry.fastapi import GraphQLRouter

from graphsvc.api.errors import http_error_response
from graphsvc.api.graphql.context import GraphContext

UNPARSABLE = "Unable to parse request body as JSON"


class GraphQLEndpoint(GraphQLRouter[GraphContext, None]):
    async def run(self, request: Any, context: Any = None, root_value: Any = None) -> Any:
        try:
            return await super().run(request, context=context, root_value=root_value)
        except HTTPException as exc:
            return http_error_response(exc.status_code, exc.reason)

    def decode_json(self, data: str | bytes) -> object:
        """A request body or ``variables`` parameter as JSON (RFC 8259: UTF-8, valid Unicode).
        Whatever the standard parser refuses, however deep or long, is the client's 400."""
        try:
            text = data.decode("utf-8") if isinstance(data, bytes) else data
            value = json.loads(text)
        except UnicodeDecodeError:
            raise HTTPException(400, f"{UNPARSABLE}: it is not UTF-8") from None
        except RecursionError:
            raise HTTPException(400, f"{UNPARSABLE}: it is nested too deeply") from None
        except ValueError as exc:  # JSONDecodeError, or a number too long to convert
            raise HTTPException(400, f"{UNPARSABLE}: {exc}") from None
        # Strict UTF-8 decoding refuses surrogates, so in a body only a \u escape can make one.
        if (not isinstance(data, bytes) or "\\u" in text) and not valid_unicode(value):
            raise HTTPException(
                400, f"{UNPARSABLE}: a \\u escape names a lone surrogate, which is not Unicode"
            )
        return value


def valid_unicode(value: object) -> bool:
    """No string anywhere in ``value`` holds a lone surrogate (which no store can encode)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return False
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return True

"""The common GraphQL request answered without the generic machinery around it.

A JSON ``POST /graphql`` holding one query operation is what clients send almost always. For
it, FastAPI's routing and dependency injection and strawberry's generic HTTP view cost as
much CPU as executing the query itself. :class:`GraphQLFastPath` runs such a request
straight through the same schema with the same context (caller, scoped store, limits,
extensions), and answers exactly what the endpoint would. Everything else — mutations,
GET, other content types, batches, malformed bodies, callers the authenticator refuses —
goes on to the endpoint unchanged (the body is replayed), so its checks and error answers
stay in one place. Only queries take the fast path, so a request handed on after an
unexpected failure has changed nothing.
"""

from __future__ import annotations

import logging
import time
from inspect import isawaitable
from typing import Any, cast

import strawberry
from graphql import OperationDefinitionNode, execute
from graphql import OperationType as DocumentOperation
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from strawberry.execution import optimized_is_awaitable
from strawberry.http import process_result
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType

from graphsvc.api.auth import host_of, is_loopback
from graphsvc.api.graphql.context import GraphContext
from graphsvc.api.graphql.errors import ErrorCodes, classify, coded
from graphsvc.api.graphql.limits import RequestLimits, prepare, ready
from graphsvc.api.graphql.metrics import OperationMetrics, operation_label
from graphsvc.api.graphql.router import GraphQLEndpoint
from graphsvc.api.responses import Answer
from graphsvc.api.state import ApiState, in_thread
from graphsvc.domain.access import LOCAL, Caller
from graphsvc.errors import GraphsvcError

log = logging.getLogger(__name__)
QUERY_ONLY = (OperationType.QUERY,)


class GraphQLFastPath:
    """ASGI middleware in front of the app's router (inside the body limit, metrics and CORS
    middleware, which see fast and slow requests alike)."""

    def __init__(self, app: ASGIApp, endpoint: GraphQLEndpoint, path: str = "/graphql") -> None:
        self.app = app
        self.endpoint = endpoint
        schema = cast(strawberry.Schema, endpoint.schema)
        self.graphql_schema = schema._schema
        self.executor_class = schema.execution_context_class
        # Only the extensions this module stands in for may be skipped (none wraps resolvers).
        self.direct = {type(e) if not isinstance(e, type) else e for e in schema.extensions} <= {
            RequestLimits,
            OperationMetrics,
            ErrorCodes,
        }
        self.path = path
        self.route: BaseRoute | None = next(
            (r for r in endpoint.routes if getattr(r, "path", None) == path), None
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "POST"
            or scope["path"] != self.path
            or not _plain_json(scope)
        ):
            await self.app(scope, receive, send)
            return
        body = await _read_body(receive)
        answer = await self._answer(scope, body)
        if answer is None:
            await self.app(scope, _replay(body, receive), send)
            return
        if self.route is not None:
            scope["route"] = self.route  # the metrics label, as the router would set it
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-length", str(len(answer)).encode()),
                    (b"content-type", b"application/json"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": answer})

    async def _answer(self, scope: Scope, body: bytes) -> bytes | None:
        """The response body, or None when the endpoint must answer."""
        start = time.perf_counter()
        state: ApiState = scope["app"].state.api
        caller = await _caller(state, scope)
        if caller is None:
            return None
        revision = state.revision()
        if revision is not None:  # only answers to queries are kept: a hit is a query's
            kept = state.responses.get(revision, caller, body)
            if kept is not None:
                state.metrics.observe_response_cache(hit=True)
                state.metrics.observe_graphql(
                    kept.kind, kept.fields, "ok", time.perf_counter() - start
                )
                return kept.body
        request = self._request(body, state.settings.max_query_tokens)
        if request is None:
            return None
        query, variables, operation_name, extensions = request
        if revision is not None:
            state.metrics.observe_response_cache(hit=False)
        # How the metrics label the operation (the document parsed when _request checked it).
        document = prepare(query, state.settings.max_query_tokens).document
        kind, fields = operation_label(self.graphql_schema, document, operation_name)
        context = GraphContext(state, state.access_for(caller))
        try:
            result = await self._execute(
                query, variables, operation_name, extensions, context, kind, fields
            )
            encoded = self.endpoint.encode_json(process_result(result))
            answer = encoded.encode() if isinstance(encoded, str) else encoded
        except Exception:  # a query changed nothing: let the endpoint answer it
            log.debug("fast path handed a query on", exc_info=True)
            return None
        if revision is not None and not result.errors:
            state.responses.put(revision, caller, body, Answer(answer, kind, fields))
        return answer

    async def _execute(
        self,
        query: str,
        variables: dict[str, Any] | None,
        operation_name: str | None,
        extensions: dict[str, Any] | None,
        context: GraphContext,
        kind: str,
        fields: tuple[str, ...],
    ) -> ExecutionResult:
        """Run the query. A document known to be within the limits and valid runs straight on
        graphql-core, with strawberry's own executor class, and the work of the schema's
        extensions done here (metrics, error codes; the limits found nothing): strawberry's
        per-request extension machinery costs as much as executing a small query. Anything
        else runs through strawberry, which then words the errors."""
        settings = context.settings
        prepared = self.direct and ready(
            self.graphql_schema,
            query,
            settings.max_query_tokens,
            settings.max_query_depth,
            settings.max_query_aliases,
        )
        if not prepared:
            return await self.endpoint.schema.execute(
                query,
                variable_values=variables,
                context_value=context,
                operation_name=operation_name,
                allowed_operation_types=QUERY_ONLY,
                operation_extensions=extensions,
            )
        start = time.perf_counter()
        done = execute(
            self.graphql_schema,
            prepared.document,
            context_value=context,
            variable_values=variables,
            operation_name=operation_name,
            executor_class=self.executor_class,
            is_awaitable=optimized_is_awaitable,  # type: ignore[arg-type]  # as strawberry does
            operation_extensions=extensions,
        )
        if isawaitable(done):
            done = await done
        errors = [coded(e) for e in done.errors] if done.errors else None
        outcome = classify(errors[0])[1]["code"] if errors else "ok"
        context.metrics.observe_graphql(kind, fields, outcome, time.perf_counter() - start)
        return ExecutionResult(data=done.data, errors=errors)

    def _request(
        self, body: bytes, max_tokens: int
    ) -> tuple[str, dict[str, Any] | None, str | None, dict[str, Any] | None] | None:
        try:
            data = self.endpoint.decode_json(body)
        except Exception:  # the endpoint answers malformed bodies with its own 400
            return None
        if not isinstance(data, dict) or not set(data) <= {
            "query",
            "variables",
            "operationName",
            "extensions",
        }:
            return None
        query, variables = data.get("query"), data.get("variables")
        operation_name, extensions = data.get("operationName"), data.get("extensions")
        if (
            not isinstance(query, str)
            or not isinstance(variables, dict | None)
            or not isinstance(operation_name, str | None)
            or not isinstance(extensions, dict | None)
            or not _is_query(query, operation_name, max_tokens)
        ):
            return None
        return query, variables, operation_name, extensions


def _plain_json(scope: Scope) -> bool:
    for name, value in scope["headers"]:
        if name == b"content-type":
            media_type: bytes = value.split(b";")[0].strip().lower()
            return media_type == b"application/json"
    return False


def _is_query(query: str, operation_name: str | None, max_tokens: int) -> bool:
    """Whether the document's chosen operation is a query (parsed once per text, as the
    limits extension parses it; a text that does not parse, or is over the token limit, is
    the endpoint's to answer)."""
    try:
        document = prepare(query, max_tokens).document
    except Exception:
        return False
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is not None:
        operations = [o for o in operations if o.name and o.name.value == operation_name]
    return len(operations) == 1 and bool(operations[0].operation is DocumentOperation.QUERY)


async def _caller(state: ApiState, scope: Scope) -> Caller | None:
    """The caller as ``get_caller`` finds it; None when it would refuse the request."""
    header = None
    host = None
    for name, value in scope["headers"]:  # the first of each, as starlette's headers.get
        if name == b"authorization" and header is None:
            header = value.decode("latin-1")
        elif name == b"host" and host is None:
            host = value.decode("latin-1")
    try:
        caller = state.auth.cached(header)
        if caller is None:
            caller = await in_thread(state.auth.authenticate, header)
    except GraphsvcError:
        return None
    if caller is LOCAL:
        client = scope.get("client")
        if not (client and is_loopback(client[0]) and is_loopback(host_of(host or ""))):
            return None  # the endpoint refuses it (OPEN_ONLY_ON_LOOPBACK)
    return caller


async def _read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replayed

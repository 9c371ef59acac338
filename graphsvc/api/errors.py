"""The one error shape of every endpoint, GraphQL and REST alike.

A response that failed carries ``{"errors": [{"message": ..., "extensions": {"code": ...,
"problems": [...]}}]}`` — the GraphQL error format, so a client reads REST errors the same
way. ``code`` is stable (``NOT_FOUND``, ``INVALID_INPUT``, ``CONFLICT``, ``UNAUTHENTICATED``,
``FORBIDDEN``, ``STORE_UNAVAILABLE``, ``LIMIT_EXCEEDED``, ``INTERNAL``); ``problems`` lists
every problem of an invalid input with its field ``path``. Internal errors never show their cause.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from graphsvc.errors import GraphsvcError, InvalidInput, Problem

log = logging.getLogger("graphsvc.api")

INTERNAL_MESSAGE = "internal error (it has been logged)"

#: HTTP status for each error code on REST routes.
STATUS = {
    "NOT_FOUND": 404,
    "INVALID_INPUT": 400,
    "CONFLICT": 409,
    "UNAUTHENTICATED": 401,
    "FORBIDDEN": 403,
    "STORE_UNAVAILABLE": 503,
    "LIMIT_EXCEEDED": 413,
    "INTERNAL": 500,
}


HEADERS = {
    "STORE_UNAVAILABLE": {"Retry-After": "1"},
    "UNAUTHENTICATED": {"WWW-Authenticate": 'Bearer realm="graphsvc"'},
}


def extensions_of(error: GraphsvcError) -> dict[str, Any]:
    """The ``extensions`` of one error: its code, and its problems when it has them."""
    out: dict[str, Any] = {"code": error.code}
    if isinstance(error, InvalidInput):
        out["problems"] = [p.as_dict() for p in error.problems]
    return out


def error_body(code: str, message: str, **extensions: Any) -> dict[str, Any]:
    return {"errors": [{"message": message, "extensions": {"code": code, **extensions}}]}


def error_response(error: GraphsvcError, status: int | None = None) -> JSONResponse:
    body = {"errors": [{"message": error.message, "extensions": extensions_of(error)}]}
    headers = HEADERS.get(error.code)
    return JSONResponse(body, status_code=status or STATUS.get(error.code, 500), headers=headers)


def http_error_response(status: int, message: str) -> JSONResponse:
    """An HTTP-level failure (unknown route, wrong method, unreadable body) in the one shape."""
    code = "NOT_FOUND" if status == 404 else "LIMIT_EXCEEDED" if status == 413 else "INVALID_INPUT"
    if status >= 500:
        code, message = "INTERNAL", INTERNAL_MESSAGE
    return JSONResponse(error_body(code, message), status_code=status)


def install_handlers(app: FastAPI) -> None:
    """Route every exception of a REST endpoint into the one shape."""

    async def graphsvc_error(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, GraphsvcError)
        return error_response(exc)

    async def http_error(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        return http_error_response(exc.status_code, str(exc.detail))

    async def validation_error(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        problems = [
            Problem(str(e.get("msg", "invalid")), ".".join(str(p) for p in e.get("loc", ())))
            for e in exc.errors()
        ]
        return error_response(InvalidInput(problems), 400)

    async def internal_error(_: Request, exc: Exception) -> JSONResponse:
        log.error("internal error", exc_info=exc)
        return JSONResponse(error_body("INTERNAL", INTERNAL_MESSAGE), status_code=500)

    app.add_exception_handler(GraphsvcError, graphsvc_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(Exception, internal_error)

"""Who is calling: the Bearer token of a request, or — on a server without tokens — the local
operator, accepted only on loopback.

A server without tokens is open, so it answers only requests that come from a loopback
address *and* name a loopback host (``Host: 127.0.0.1:8000``, ``localhost``, ``[::1]``). The
Host check stops DNS rebinding (a web page whose own name resolves to 127.0.0.1) and a
same-host reverse proxy from exposing the open server; browsers cannot forge a JSON POST
across origins, and CORS is closed unless ``GRAPHSVC_CORS_ORIGINS`` names an origin.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware

from graphsvc.api.state import ApiState, in_thread
from graphsvc.domain.access import LOCAL, Caller
from graphsvc.errors import Unauthenticated
from graphsvc.settings import Settings

LOOPBACK_NAMES = {"localhost", "localhost.", "ip6-localhost"}
OPEN_ONLY_ON_LOOPBACK = (
    "this server has no API tokens, so it answers only on loopback "
    "(create one with `graphsvc token create`)"
)


@lru_cache(maxsize=256)  # asked twice per request with a handful of distinct values
def is_loopback(host: str | None) -> bool:
    """An address or name of this machine's loopback interface (no port)."""
    if not host:
        return False
    host = host.strip("[]").lower()
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def host_of(header: str) -> str:
    """The host part of a Host header: ``[::1]:8000`` → ``::1``, ``a:80`` → ``a``."""
    if header.startswith("["):
        return header[1 : header.find("]")] if "]" in header else header
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


def is_local_request(request: Request) -> bool:
    client = request.client.host if request.client else None
    return is_loopback(client) and is_loopback(host_of(request.headers.get("host", "")))


async def get_caller(request: Request) -> Caller:
    """The caller of a request (UNAUTHENTICATED when it must bring a token and did not)."""
    state: ApiState = request.app.state.api
    header = request.headers.get("authorization")
    # Most requests are answered from the authenticator's cache: no thread hand-off for them.
    caller = state.auth.cached(header)
    if caller is None:
        caller = await in_thread(state.auth.authenticate, header)
    if caller is LOCAL and not is_local_request(request):
        raise Unauthenticated(OPEN_ONLY_ON_LOOPBACK)
    return caller


def install_cors(app: FastAPI, settings: Settings) -> None:
    """Closed by default; open to exactly the configured origins, for the token header only."""
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type"],
            allow_credentials=False,
            max_age=600,
        )

"""API tokens: issuing, listing and revoking them (the CLI), and recognising them (the API).

Lookups are cached for ``GRAPHSVC_AUTH_CACHE_SECONDS`` so that a busy server does not ask the
store on every request; a revoked token, and the first token created on an open server, take
effect within that time. The cache holds store records, never secrets: every request's secret
is still compared with the stored digest, in constant time.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from graphsvc.domain.access import LOCAL, Caller, Role, new_token, parse_token, secret_matches
from graphsvc.domain.model import SLUG_PATTERN
from graphsvc.errors import InvalidInput, Problem, Unauthenticated
from graphsvc.store.base import TokenRecord, TokenRegistry

INVALID = "the API token is not valid (unknown, revoked or mistyped)"
MISSING = "this server needs an API token: send `Authorization: Bearer <token>`"
MAP_ID_HINT = "map ids are slugs: lowercase letters, digits, '.', '_' and '-'"


@dataclass(frozen=True)
class Issued:
    """A new token: the secret, shown once, and the record stored of it."""

    secret: str
    record: TokenRecord


def issue(
    registry: TokenRegistry, role: Role, maps: Sequence[str] | None, name: str | None
) -> Issued:
    """Create a token for ``maps`` (None: every map) with ``role``."""
    bad = [m for m in maps or () if not re.match(SLUG_PATTERN, m)]
    if bad:
        raise InvalidInput([Problem(MAP_ID_HINT, "--map", value=m) for m in bad])
    if maps is not None and not maps:
        raise InvalidInput([Problem("give at least one map, or none for every map", "--map")])
    token = new_token()
    record = TokenRecord(
        id=token.id,
        name=name,
        role=role.value,
        maps=None if maps is None else tuple(sorted(set(maps))),
        digest=token.digest,
        created_at=now(),
    )
    registry.add(record)
    return Issued(token.secret, record)


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def caller_of(record: TokenRecord) -> Caller:
    maps = None if record.maps is None else frozenset(record.maps)
    return Caller(record.id, Role(record.role), maps, record.name)


class Authenticator:
    """Bearer token → Caller, with a short-lived cache of store lookups."""

    def __init__(
        self,
        registry: Callable[[], TokenRegistry],
        *,
        cache_seconds: float,
        always_required: bool,
    ) -> None:
        self._registry = registry
        self.cache_seconds = cache_seconds
        self.always_required = always_required
        self._records: dict[str, tuple[float, TokenRecord | None]] = {}
        self._active: tuple[float, bool] | None = None
        self._lock = threading.Lock()

    def required(self) -> bool:
        """Whether requests need a token: always when so configured, else while any token
        is active."""
        return self._required(cached_only=False)

    def _required(self, *, cached_only: bool) -> bool:
        if self.always_required:
            return True
        with self._lock:
            cached = self._active
        if cached is not None and time.monotonic() - cached[0] < self.cache_seconds:
            return cached[1]
        if cached_only:
            raise _NeedsStore
        active = self._registry().any_active()
        with self._lock:
            self._active = (time.monotonic(), active)
        return active

    def authenticate(self, authorization: str | None) -> Caller:
        """The caller of a request from its Authorization header; LOCAL when no token is
        needed and none is sent (the API answers LOCAL callers on loopback only)."""
        return self._authenticate(authorization, cached_only=False)

    def cached(self, authorization: str | None) -> Caller | None:
        """What :meth:`authenticate` answers when it can answer from its cache alone (the
        same caller or the same Unauthenticated); None when it would have to ask the store.
        Lets a server skip a thread hand-off per request without keeping records longer."""
        try:
            return self._authenticate(authorization, cached_only=True)
        except _NeedsStore:
            return None

    def _authenticate(self, authorization: str | None, *, cached_only: bool) -> Caller:
        if not authorization:
            if self._required(cached_only=cached_only):
                raise Unauthenticated(MISSING)
            return LOCAL
        scheme, _, credentials = authorization.partition(" ")
        parsed = parse_token(credentials.strip()) if scheme.lower() == "bearer" else None
        if parsed is None:
            raise Unauthenticated(INVALID)
        token_id, secret_part = parsed
        record = self._record(token_id, cached_only=cached_only)
        if record is None or record.revoked_at is not None:
            raise Unauthenticated(INVALID)
        if not secret_matches(secret_part, record.digest):
            raise Unauthenticated(INVALID)
        return caller_of(record)

    def _record(self, token_id: str, *, cached_only: bool) -> TokenRecord | None:
        with self._lock:
            cached = self._records.get(token_id)
        if cached is not None and time.monotonic() - cached[0] < self.cache_seconds:
            return cached[1]
        if cached_only:
            raise _NeedsStore
        record = self._registry().get(token_id)
        with self._lock:
            if len(self._records) > 10_000:  # unknown ids cannot grow it without bound
                self._records.clear()
            self._records[token_id] = (time.monotonic(), record)
        return record


class _NeedsStore(Exception):
    """The cache cannot answer; the store must be asked."""

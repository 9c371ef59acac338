"""Roles, token secrets, the authenticator's cache and the store monitor, without a server."""

from __future__ import annotations

import doctest
import threading
import time
from pathlib import Path
from typing import Any

import pytest

import graphsvc.domain.access
from graphsvc.api.auth import host_of, is_loopback
from graphsvc.domain.access import (
    LOCAL,
    Action,
    Caller,
    Role,
    digest_of,
    new_token,
    parse_token,
    secret_matches,
)
from graphsvc.errors import StoreUnavailable, Unauthenticated
from graphsvc.service.availability import StoreMonitor, guarded
from graphsvc.service.tokens import Authenticator, issue
from graphsvc.store.sqlite import SqliteStore


def test_doctests() -> None:
    assert doctest.testmod(graphsvc.domain.access).failed == 0


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.VIEWER, {Action.READ}),
        (Role.EDITOR, {Action.READ, Action.EDIT, Action.AUDIT}),
        (Role.ADMIN, set(Action)),
    ],
)
def test_what_each_role_may_do(role: Role, allowed: set[Action]) -> None:
    caller = Caller("t", role)
    assert {a for a in Action if caller.may(a)} == allowed


def test_tokens_are_random_and_only_their_digest_is_kept() -> None:
    a, b = new_token(), new_token()
    assert a.secret != b.secret and a.id != b.id
    token_id, secret_part = parse_token(a.secret)  # type: ignore[misc]
    assert token_id == a.id and len(secret_part) == 43
    assert a.digest == digest_of(secret_part) and secret_part not in a.digest
    assert secret_matches(secret_part, a.digest)
    assert not secret_matches(secret_part[:-1] + "x", a.digest)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "gsk_",
        "gsk_0123456789ab_short",
        "GSK_0123456789ab_" + "a" * 43,
        "gsk_0123456789AB_" + "a" * 43,
        "gsk_0123456789ab_" + "a" * 42 + "!",
        " gsk_0123456789ab_" + "a" * 43,
        "gsk_0123456789ab_" + "a" * 44,
    ],
)
def test_malformed_tokens_do_not_parse(text: str) -> None:
    assert parse_token(text) is None


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.8.9.10", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("LOCALHOST", True),
        ("0.0.0.0", False),
        ("::", False),
        ("10.0.0.1", False),
        ("example.org", False),
        ("localhost.example.org", False),
        ("", False),
        (None, False),
    ],
)
def test_loopback_addresses(host: str | None, loopback: bool) -> None:
    assert is_loopback(host) is loopback


@pytest.mark.parametrize(
    ("header", "host"),
    [
        ("127.0.0.1:8000", "127.0.0.1"),
        ("[::1]:8000", "::1"),
        ("[::1]", "::1"),
        ("localhost", "localhost"),
        ("evil.example:80", "evil.example"),
    ],
)
def test_host_of_a_host_header(header: str, host: str) -> None:
    assert host_of(header) == host


class CountingTokens:
    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.calls = 0

    def __getattr__(self, name: str) -> Any:
        self.calls += 1
        return getattr(self.inner, name)


def test_the_authenticator_caches_lookups_but_compares_every_secret(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "t.sqlite")
    counting = CountingTokens(store.tokens)
    auth = Authenticator(lambda: counting, cache_seconds=60, always_required=False)  # type: ignore[arg-type,return-value]
    assert auth.authenticate(None) is LOCAL  # no token yet: open
    issued = issue(store.tokens, Role.EDITOR, ["a"], "x")
    assert auth.authenticate(None) is LOCAL  # the cached "no token" still holds for 60 s
    caller = auth.authenticate(f"Bearer {issued.secret}")
    assert (caller.actor, caller.role, caller.maps) == (
        issued.record.id,
        Role.EDITOR,
        frozenset({"a"}),
    )
    calls = counting.calls
    auth.authenticate(f"bearer {issued.secret}")
    assert counting.calls == calls  # served from the cache
    with pytest.raises(Unauthenticated):
        auth.authenticate(f"Bearer {issued.secret[:-1]}{'B' if issued.secret[-1] == 'A' else 'A'}")
    store.close()


def test_revocation_is_seen_once_the_cache_expires(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "t.sqlite")
    issued = issue(store.tokens, Role.VIEWER, None, None)
    auth = Authenticator(lambda: store.tokens, cache_seconds=0.2, always_required=False)
    auth.authenticate(f"Bearer {issued.secret}")
    store.tokens.revoke(issued.record.id)
    time.sleep(0.3)
    with pytest.raises(Unauthenticated):
        auth.authenticate(f"Bearer {issued.secret}")
    with pytest.raises(Unauthenticated):
        Authenticator(lambda: store.tokens, cache_seconds=0, always_required=True).authenticate(
            None
        )
    store.close()


def test_the_cache_alone_answers_only_what_it_holds_and_never_past_its_expiry(
    tmp_path: Path,
) -> None:
    store = SqliteStore(tmp_path / "t.sqlite")
    counting = CountingTokens(store.tokens)
    issued = issue(store.tokens, Role.VIEWER, ["a"], None)
    header = f"Bearer {issued.secret}"
    auth = Authenticator(lambda: counting, cache_seconds=0.2, always_required=False)  # type: ignore[arg-type,return-value]
    assert auth.cached(header) is None  # nothing cached yet: the store must be asked
    assert auth.cached(None) is None
    assert counting.calls == 0  # ... and cached() never asks it
    caller = auth.authenticate(header)
    assert auth.cached(header) == caller
    with pytest.raises(Unauthenticated):  # a wrong secret fails from the cache too
        auth.cached(f"Bearer {issued.secret[:-1]}{'B' if issued.secret[-1] == 'A' else 'A'}")
    with pytest.raises(Unauthenticated):
        auth.cached("Basic abc")
    store.tokens.revoke(issued.record.id)
    time.sleep(0.3)
    assert auth.cached(header) is None  # expired: not answered from the old record
    with pytest.raises(Unauthenticated):
        auth.authenticate(header)
    with pytest.raises(Unauthenticated):  # and now the revoked record is what is cached
        auth.cached(header)
    store.close()


class FlakyStore:
    """A store whose ping fails while ``down``; counts pings."""

    def __init__(self) -> None:
        self.down = True
        self.pings = 0
        self.closed = False

    def ping(self) -> None:
        self.pings += 1
        if self.down:
            raise StoreUnavailable("flaky store is down")

    def list_maps(self) -> list[str]:
        if self.down:
            raise StoreUnavailable("flaky store is down")
        return []

    def close(self) -> None:
        self.closed = True


def test_the_monitor_starts_without_the_store_and_recovers() -> None:
    flaky = FlakyStore()
    monitor = StoreMonitor(lambda: flaky, interval=0.1)  # type: ignore[arg-type,return-value]
    assert not monitor.check()
    store = guarded(monitor)
    monitor.start()
    try:
        start = time.monotonic()
        with pytest.raises(StoreUnavailable, match="flaky store is down"):
            store.list_maps()
        assert time.monotonic() - start < 0.05  # failed fast, without asking the store
        pings = flaky.pings
        time.sleep(2.0)
        # Retrying with backoff (at most every 5 × 0.1 s here), neither stopped nor spinning.
        assert 2 <= flaky.pings - pings <= 10
        flaky.down = False
        deadline = time.monotonic() + 3
        while not monitor.ready:
            assert time.monotonic() < deadline, "never recovered"
            time.sleep(0.05)
        assert store.list_maps() == []
        flaky.down = True  # an outage seen by a request wakes the monitor at once
        with pytest.raises(StoreUnavailable):
            store.list_maps()
        deadline = time.monotonic() + 2
        while monitor.ready:
            assert time.monotonic() < deadline, "the outage went unnoticed"
            time.sleep(0.05)
    finally:
        monitor.stop()
    assert flaky.closed


def test_the_monitor_thread_stops() -> None:
    monitor = StoreMonitor(FlakyStore, interval=0.05)  # type: ignore[arg-type]
    monitor.start()
    monitor.stop()
    assert not any(t.name == "store-monitor" and t.is_alive() for t in threading.enumerate())

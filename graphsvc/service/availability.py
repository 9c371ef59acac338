"""Keeping the server up while its store is not: open the store when it can be opened, watch
that it answers, and fail requests at once while it does not.

The server starts whether or not the store answers (readiness is false until it does). A
:class:`StoreMonitor` thread pings the store every ``interval`` seconds while it answers and
retries with exponential backoff (0.5 s, 1 s, 2 s, ... up to ``5 × interval``) while it does
not. A request that meets ``STORE_UNAVAILABLE`` wakes the monitor, which pings at once (at most
every ``MIN_GAP`` seconds); only a failed ping marks the store down, so a busy store (a
conflict, a transient error) never trips it. While the store is down every request through
:func:`guarded` fails fast with ``STORE_UNAVAILABLE`` instead of waiting out a driver's
retries, and the server recovers without a restart as soon as a ping succeeds.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any, cast

from graphsvc.errors import GraphsvcError, StoreUnavailable
from graphsvc.store.base import GraphStore, TokenRegistry

log = logging.getLogger("graphsvc.store")

#: Seconds between two checks at least, however often requests wake the monitor.
MIN_GAP = 0.5


class StoreMonitor:
    """Owns the app's store: opens it, pings it, and knows whether it answers."""

    def __init__(self, opener: Callable[[], GraphStore], *, interval: float = 2.0) -> None:
        self._opener = opener
        self.interval = interval
        self.max_backoff = 5 * interval
        self._store: GraphStore | None = None
        self.ready = False
        self.reason = "the store has not answered yet"
        self.failures = 0
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def current(self) -> GraphStore:
        """The store, or STORE_UNAVAILABLE at once while it does not answer."""
        store = self._store
        if store is None or not self.ready:
            self._wake.set()  # someone is waiting: check again soon (MIN_GAP apart)
            raise StoreUnavailable(f"{self.reason}; retry later")
        return store

    def check(self) -> bool:
        """Open the store if need be and ping it; whether it answers."""
        with self._lock:
            try:
                if self._store is None:
                    self._store = self._opener()
                self._store.ping()
            except GraphsvcError as exc:
                if self.ready or self.failures == 0:
                    log.warning("store unavailable: %s", exc.message)
                self.ready, self.reason = False, exc.message
                self.failures += 1
                return False
            if not self.ready and self.failures:
                log.warning("store answers again after %d failed checks", self.failures)
            self.ready, self.failures = True, 0
            return True

    def suspect(self) -> None:
        """A request met STORE_UNAVAILABLE: check now rather than at the next tick."""
        self._wake.set()

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="store-monitor", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        delay = self.interval
        while not self._stop.is_set():
            self._wake.wait(delay)
            if self._stop.wait(MIN_GAP if self._wake.is_set() else 0):
                break
            self._wake.clear()
            ok = self.check()
            delay = (
                self.interval if ok else min(self.max_backoff, 0.25 * 2 ** min(self.failures, 10))
            )

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        with self._lock:
            if self._store is not None:
                try:
                    self._store.close()
                except Exception:  # closing a broken driver must not fail shutdown
                    log.warning("closing the store failed", exc_info=True)
                self._store = None


class _Guarded:
    """Calls the monitor's store; while it is down, fails at once; reports outages."""

    def __init__(self, monitor: StoreMonitor, attribute: Callable[[GraphStore], Any]) -> None:
        self._monitor = monitor
        self._attribute = attribute

    def __getattr__(self, name: str) -> Any:
        target = getattr(self._attribute(self._monitor.current()), name)
        if not callable(target):
            return target

        def call(*args: Any, **kwargs: Any) -> Any:
            try:
                return target(*args, **kwargs)
            except StoreUnavailable:
                self._monitor.suspect()
                raise

        return call


class _GuardedStore(_Guarded):
    @property
    def tokens(self) -> TokenRegistry:
        return cast(TokenRegistry, _Guarded(self._monitor, lambda store: store.tokens))

    def close(self) -> None:
        """The monitor closes the store when the app stops."""


def guarded(monitor: StoreMonitor) -> GraphStore:
    """A GraphStore that fails fast while the monitor's store is down."""
    return cast(GraphStore, _GuardedStore(monitor, lambda store: store))

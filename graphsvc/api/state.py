"""What the app holds for its lifetime (settings, the store behind its monitor, the token
authenticator, the report and response caches) and what each request gets from it: an
:class:`Access` made for its caller, the only way a request reaches the store."""

from __future__ import annotations

import logging
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import ParamSpec, TypeVar

import anyio.to_thread

from graphsvc.api.metrics import Metrics
from graphsvc.api.responses import ResponseCache
from graphsvc.domain.access import Caller
from graphsvc.service.access import ScopedStore
from graphsvc.service.availability import StoreMonitor, guarded
from graphsvc.service.edits import MapEditor
from graphsvc.service.maps import MapService, ReportCache
from graphsvc.service.tokens import Authenticator
from graphsvc.settings import Settings
from graphsvc.store.base import GraphStore, RevisionReader

log = logging.getLogger(__name__)
P = ParamSpec("P")
R = TypeVar("R")


@dataclass(frozen=True)
class Access:
    """The store and services as one caller may use them (see ``ScopedStore``)."""

    caller: Caller
    store: GraphStore
    service: MapService
    editor: MapEditor


@dataclass
class ApiState:
    """One per app, built in the lifespan; the store may not answer yet (see StoreMonitor)."""

    settings: Settings
    monitor: StoreMonitor
    metrics: Metrics
    auth_required: bool = False
    store: GraphStore = field(init=False)
    auth: Authenticator = field(init=False)
    reports: ReportCache = field(init=False)
    responses: ResponseCache = field(init=False)
    _revision_store: object = field(init=False, default=None)
    _revision_of: Callable[[], Hashable] | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        self.store = guarded(self.monitor)
        self.auth = Authenticator(
            lambda: self.store.tokens,
            cache_seconds=self.settings.auth_cache_seconds,
            always_required=self.auth_required,
        )
        self.reports = ReportCache(self.settings.analysis_cache_size)
        self.responses = ResponseCache(self.settings.response_cache_bytes)
        # The embedded store finds a map or nodes by id in tens of microseconds, in this
        # process: less than handing the read to a worker thread costs. Other stores answer
        # over a network, which must not hold up the event loop.
        self.inline_point_reads = self.settings.store.startswith("sqlite:")

    async def point_read(self, function: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
        """A read by key (a map's info, nodes by id): on the event loop when the store answers
        it in-process, else in a worker thread (see :func:`in_thread`)."""
        if self.inline_point_reads:
            return function(*args, **kwargs)
        return await in_thread(function, *args, **kwargs)

    def revision(self) -> Hashable | None:
        """The store's revision, which the response cache is keyed on; None when answers
        must not be reused: the store cannot tell its revision, does not answer, or reuse is
        turned off."""
        if not self.settings.response_cache_bytes:
            return None
        try:
            store = self.monitor.current()
            if store is not self._revision_store:  # isinstance on a Protocol is slow
                self._revision_store = store
                self._revision_of = store.revision if isinstance(store, RevisionReader) else None
            return self._revision_of() if self._revision_of else None
        except Exception:  # whatever it is, the request itself will meet it and answer it
            log.debug("the store's revision is unknown", exc_info=True)
            return None

    def access_for(self, caller: Caller) -> Access:
        store = ScopedStore(self.store, caller)
        service = MapService(store, self.settings, actor=caller.actor, reports=self.reports)
        editor = MapEditor(store, actor=caller.actor, max_elements=self.settings.max_map_elements)
        return Access(caller, store, service, editor)


async def in_thread(function: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    """Run blocking store or analysis work off the event loop."""
    return await anyio.to_thread.run_sync(lambda: function(*args, **kwargs))

"""What the app holds for its lifetime: settings, the store, and the services over it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ParamSpec, TypeVar

import anyio.to_thread

from graphsvc.api.metrics import Metrics
from graphsvc.service.edits import MapEditor
from graphsvc.service.maps import MapService
from graphsvc.settings import Settings
from graphsvc.store.base import GraphStore

P = ParamSpec("P")
R = TypeVar("R")


@dataclass
class ApiState:
    """One per app; built in the lifespan once the store is open."""

    settings: Settings
    store: GraphStore
    metrics: Metrics
    service: MapService = field(init=False)
    editor: MapEditor = field(init=False)

    def __post_init__(self) -> None:
        self.service = MapService(self.store, self.settings)
        self.editor = MapEditor(self.store)


async def in_thread(function: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    """Run blocking store or analysis work off the event loop."""
    return await anyio.to_thread.run_sync(lambda: function(*args, **kwargs))

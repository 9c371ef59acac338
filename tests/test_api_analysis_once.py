"""Simultaneous requests for the analysis of a map version nobody has analysed yet share one
computation, on both stores (a burst of clients must not start one analysis each)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest

from graphsvc.service import maps as maps_module

if TYPE_CHECKING:
    from tests.api_fixtures import Client

pytest_plugins = ["tests.api_fixtures"]
pytestmark = pytest.mark.anyio

QUERY = '{ analysis(mapId: "small") { map { id version } contestPairs { key status } } }'


async def test_simultaneous_analysis_requests_share_one_computation(
    make_client: Callable[..., Any], small: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    client: Client = await make_client(response_cache_bytes=0)  # every request resolves
    builds: list[int | None] = []
    real = maps_module.build_report

    def slow_build_report(m: Any, *, version: int | None = None) -> dict[str, Any]:
        builds.append(version)
        time.sleep(0.3)  # long enough for every request to ask while this one computes
        return real(m, version=version)

    monkeypatch.setattr(maps_module, "build_report", slow_build_report)
    bodies = await asyncio.gather(*(client.data(QUERY) for _ in range(8)))
    assert len(builds) == 1
    assert bodies[0]["analysis"]["contestPairs"]
    assert all(body == bodies[0] for body in bodies)
    await client.data(QUERY)  # and the next request is answered from the cache
    assert len(builds) == 1

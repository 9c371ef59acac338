"""The report cache: what readers derive from a report lives exactly as long as the report, and
a report asked for by many at once is computed once."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from graphsvc.errors import NotFound
from graphsvc.service import maps as maps_module
from graphsvc.service.maps import MapService, ReportCache
from graphsvc.settings import Settings
from graphsvc.store.sqlite import SqliteStore
from tests.api_support import small_map


def test_derived_values_live_and_die_with_their_report() -> None:
    cache = ReportCache(size=1)
    builds: list[str] = []

    def build(name: str) -> str:
        builds.append(name)
        return name.upper()

    assert cache.derived(("m", 1), "index", lambda: build("a")) == "A"  # no report: not kept
    assert cache.peek_derived(("m", 1), "index") is None
    cache.put(("m", 1), {"map": {}})
    assert cache.derived(("m", 1), "index", lambda: build("b")) == "B"
    assert cache.derived(("m", 1), "index", lambda: build("c")) == "B"  # kept, not rebuilt
    assert cache.peek_derived(("m", 1), "index") == "B"
    assert builds == ["a", "b"]
    cache.put(("m", 2), {"map": {}})  # evicts version 1 and what was derived from it
    assert cache.peek_derived(("m", 1), "index") is None
    cache.put(("m", 2), {"map": {}})  # a report stored again starts with nothing derived
    assert cache.peek_derived(("m", 2), "index") is None


# --- one computation per report, however many ask at once ----------------------------------

WAITERS = 8


def _ask_together(ask: Callable[[], Any], release: threading.Event) -> list[Any]:
    """``ask()`` from WAITERS threads at once; ``release`` is set once they have all been
    started and had time to ask (so that, without sharing, the builds would overlap)."""
    results: list[Any] = [None] * WAITERS
    start = threading.Barrier(WAITERS + 1)

    def run(i: int) -> None:
        start.wait()
        try:
            results[i] = ask()
        except Exception as exc:  # the test compares what each thread got
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(WAITERS)]
    for t in threads:
        t.start()
    start.wait()
    time.sleep(0.3)  # let every thread reach compute() while the first build is held
    release.set()
    for t in threads:
        t.join(timeout=30)
    return results


def test_a_report_asked_for_at_once_is_built_once_and_shared() -> None:
    cache = ReportCache(size=2)
    release, builds = threading.Event(), []

    def build() -> tuple[tuple[str, int], dict[str, Any]]:
        builds.append(1)
        release.wait(30)
        return ("m", 1), {"map": {"version": 1}}

    results = _ask_together(lambda: cache.compute(("m", 1), build), release)
    assert len(builds) == 1
    assert all(r is results[0] for r in results)
    assert cache.get(("m", 1)) is results[0]
    assert cache.compute(("m", 1), build) is results[0] and len(builds) == 1  # cached


def test_a_failed_build_fails_every_waiter_and_is_not_kept() -> None:
    cache = ReportCache(size=2)
    release, builds = threading.Event(), []

    def build() -> tuple[tuple[str, int], dict[str, Any]]:
        builds.append(1)
        release.wait(30)
        raise NotFound("map 'm' is gone")

    results = _ask_together(lambda: cache.compute(("m", 1), build), release)
    assert len(builds) == 1
    assert all(isinstance(r, NotFound) for r in results)
    assert cache.get(("m", 1)) is None
    # the next request tries again
    assert cache.compute(("m", 1), lambda: (("m", 1), {"map": {}})) == {"map": {}}


def test_a_build_for_a_newer_version_is_kept_under_that_version() -> None:
    cache = ReportCache(size=2)
    report = {"map": {"version": 2}}
    assert cache.compute(("m", 1), lambda: (("m", 2), report)) is report
    assert cache.get(("m", 1)) is None
    assert cache.get(("m", 2)) is report


def test_map_service_analyses_a_stored_version_once_for_simultaneous_requests(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Against the real embedded store: eight threads ask for the analysis of a version
    nobody has analysed; build_report runs once and they all get its report."""
    store = SqliteStore(tmp_path / "s.sqlite")
    service = MapService(store, Settings(store=f"sqlite:///{tmp_path / 's.sqlite'}"))
    store.save_map(small_map())
    release, builds = threading.Event(), []
    real = maps_module.build_report

    def held_build_report(m: Any, *, version: int | None = None) -> dict[str, Any]:
        builds.append(version)
        release.wait(30)
        return real(m, version=version)

    monkeypatch.setattr(maps_module, "build_report", held_build_report)
    try:
        results = _ask_together(lambda: service.analyze("small"), release)
    finally:
        store.close()
    assert builds == [1]
    assert all(r is results[0] for r in results)
    assert results[0]["map"]["version"] == 1 and results[0]["contestPairs"]

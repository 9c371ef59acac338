"""The report cache keeps what readers derive from a report exactly as long as the report."""

from __future__ import annotations

from graphsvc.service.maps import ReportCache


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

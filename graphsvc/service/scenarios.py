"""What-if on a stored map: the change set applied to a copy, compared with the cached report."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from graphsvc.analysis.scenario import ScenarioResult, run_scenario
from graphsvc.errors import InvalidInput, LimitExceeded
from graphsvc.service.edits import name_elements
from graphsvc.service.maps import MapService


def scenario(
    service: MapService, map_id: str, changes: Sequence[Mapping[str, Any]]
) -> ScenarioResult:
    """Run ``changes`` against the stored map ``map_id``; nothing is stored.

    The base report comes from the service's cache (keyed by map version), so a scenario
    costs one load of the map and one analysis of the changed copy.
    """
    limit = service.settings.max_scenario_changes
    if len(changes) > limit:
        raise LimitExceeded(f"{len(changes)} changes; at most {limit} per scenario")
    base = service.analyze(map_id)
    m = service.load(map_id)
    if service.store.map_info(map_id).version != base["map"]["version"]:
        base = service.analyze(map_id)  # written meanwhile: compare like with like
        m = service.load(map_id)
    try:
        return run_scenario(m, changes, base_report=base)
    except InvalidInput as exc:
        raise InvalidInput(
            [name_elements(p, m) for p in exc.problems], "the change set breaks the map"
        ) from None

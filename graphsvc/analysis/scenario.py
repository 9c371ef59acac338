"""Scenarios (what-if): a change set applied to a copy of a map, and what it would change."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from graphsvc.analysis.findings import FindingComparison, compare_findings
from graphsvc.analysis.report import build_report
from graphsvc.domain.changes import AnyChange, apply_changes
from graphsvc.domain.model import StakeholderMap


@dataclass(frozen=True)
class ScenarioResult:
    """The report of the changed map and the findings resolved, introduced and changed."""

    map: StakeholderMap
    report: dict[str, Any]
    findings: FindingComparison

    def as_dict(self) -> dict[str, Any]:
        return {"report": self.report, **self.findings.as_dict()}


def run_scenario(
    m: StakeholderMap,
    changes: Sequence[AnyChange | Mapping[str, Any]],
    *,
    base_report: Mapping[str, Any] | None = None,
) -> ScenarioResult:
    """Apply ``changes`` to a copy of ``m`` and compare the findings; nothing is stored.

    Raises InvalidInput (paths like ``changes[2].edge.to``) when the changed map is invalid.
    Pass ``base_report`` when the report of ``m`` is at hand (e.g. cached) to skip rebuilding it.

    >>> from graphsvc.domain.mapfile import load_map_text
    >>> m = load_map_text('''
    ... map: {id: t}
    ... nodes:
    ...   - {id: s, kind: AISystem, name: S}
    ...   - {id: o, kind: Organization, name: O}
    ... edges:
    ...   - {from: o, kind: DEVELOPS, to: s}
    ... ''')
    >>> result = run_scenario(m, [{"op": "upsertEdge",
    ...                            "edge": {"from": "o", "kind": "DEPLOYS", "to": "s"}}])
    >>> [c.key for c in result.findings.resolved]
    ['gap:NO_DEPLOYER:s']
    """
    before = base_report if base_report is not None else build_report(m)
    changed = apply_changes(m, changes)
    after = build_report(changed)
    return ScenarioResult(changed, after, compare_findings(before, after))

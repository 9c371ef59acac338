"""Stable finding keys, and how the findings of two reports compare.

A key names a finding by what it is about, not by where it sits in a list, so the same
finding has the same key in every version of a map and in every scenario:
``contest:NONE:classifier:creators``, ``gap:UNOVERSEEN:scorer``, ``spof:appeals-desk``.
Keys that carry a status (contest pairs, mechanisms, feedback loops) change when the status
does, so fixing a pair reads as one finding resolved.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

#: Report sections whose entries carry keys, in report order.
KEYED_SECTIONS = (
    "contestPairs",
    "withoutContestPath",
    "mechanisms",
    "feedbackLoops",
    "accountabilityGaps",
    "automationBias",
    "singlePointsOfFailure",
    "salience",
    "powerAsymmetry",
)


def contest_key(status: str, system: str, stakeholder: str) -> str:
    return f"contest:{status}:{system}:{stakeholder}"


def without_path_key(stakeholder: str) -> str:
    return f"withoutContestPath:{stakeholder}"


def mechanism_key(mechanism: str, coverage: float) -> str:
    return f"mechanism:{'OVERLOADED' if coverage < 1 else 'OK'}:{mechanism}"


def feedback_key(status: str, system: str, stakeholder: str) -> str:
    return f"feedback:{status}:{system}:{stakeholder}"


def gap_key(gap_type: str, subject: str) -> str:
    return f"gap:{gap_type}:{subject}"


def automation_key(system: str) -> str:
    return f"automationBias:{system}"


def spof_key(node: str) -> str:
    return f"spof:{node}"


def salience_key(stakeholder: str) -> str:
    return f"salience:{stakeholder}"


def power_key(actor: str, stakeholder: str) -> str:
    return f"power:{actor}:{stakeholder}"


def is_problem(section: str, entry: Mapping[str, Any]) -> bool:
    """Whether an entry is something to fix (an EFFECTIVE pair, say, is keyed but is not)."""
    if section == "contestPairs":
        return bool(entry["status"] != "EFFECTIVE")
    if section == "mechanisms":
        return bool(entry["coverage"] < 1)
    if section == "feedbackLoops":
        return bool(entry["status"] == "BROKEN")
    return True


def findings(report: Mapping[str, Any]) -> dict[str, tuple[str, Mapping[str, Any]]]:
    """Every finding of a report by key: (section, entry).

    Salience and power-asymmetry entries count as findings too, so that a scenario shows
    when a class or a score changes.
    """
    return {entry["key"]: (section, entry) for section, entry in _entries(report)}


def _entries(report: Mapping[str, Any]) -> Iterator[tuple[str, Mapping[str, Any]]]:
    for section in KEYED_SECTIONS:
        for entry in report.get(section, []):
            if is_problem(section, entry):
                yield section, entry


@dataclass(frozen=True)
class FindingChange:
    key: str
    section: str
    before: Mapping[str, Any] | None
    after: Mapping[str, Any] | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "section": self.section,
            "before": self.before,
            "after": self.after,
        }


@dataclass(frozen=True)
class FindingComparison:
    resolved: list[FindingChange]
    introduced: list[FindingChange]
    changed: list[FindingChange]

    def as_dict(self) -> dict[str, Any]:
        return {
            "resolved": [c.as_dict() for c in self.resolved],
            "introduced": [c.as_dict() for c in self.introduced],
            "changed": [c.as_dict() for c in self.changed],
        }


def compare_findings(before: Mapping[str, Any], after: Mapping[str, Any]) -> FindingComparison:
    """Findings only in ``before`` (resolved), only in ``after`` (introduced), or in both with
    different content (changed); each list sorted by key.

    >>> a = {"accountabilityGaps": [{"key": "gap:UNOVERSEEN:s", "type": "UNOVERSEEN"}]}
    >>> b = {"accountabilityGaps": [{"key": "gap:NO_DEPLOYER:s", "type": "NO_DEPLOYER"}]}
    >>> diff = compare_findings(a, b)
    >>> [c.key for c in diff.resolved], [c.key for c in diff.introduced]
    (['gap:UNOVERSEEN:s'], ['gap:NO_DEPLOYER:s'])
    """
    old, new = findings(before), findings(after)
    resolved = [FindingChange(k, old[k][0], old[k][1], None) for k in sorted(old.keys() - new)]
    introduced = [FindingChange(k, new[k][0], None, new[k][1]) for k in sorted(new.keys() - old)]
    changed = [
        FindingChange(k, new[k][0], old[k][1], new[k][1])
        for k in sorted(old.keys() & new.keys())
        if old[k][1] != new[k][1]
    ]
    return FindingComparison(resolved, introduced, changed)

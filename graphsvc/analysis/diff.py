"""Map diff: what changed between two versions of a map (or two maps), in the graph and in
the findings."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from graphsvc.analysis.findings import FindingComparison, compare_findings
from graphsvc.analysis.report import build_report
from graphsvc.domain.model import StakeholderMap


@dataclass(frozen=True)
class ElementChange:
    """One node or edge present in both maps with different fields: name → [before, after]."""

    id: str
    fields: dict[str, list[Any]]


@dataclass(frozen=True)
class MapDiff:
    nodes_added: list[str] = field(default_factory=list)
    nodes_removed: list[str] = field(default_factory=list)
    nodes_changed: list[ElementChange] = field(default_factory=list)
    edges_added: list[str] = field(default_factory=list)
    edges_removed: list[str] = field(default_factory=list)
    edges_changed: list[ElementChange] = field(default_factory=list)
    findings: FindingComparison = field(default_factory=lambda: FindingComparison([], [], []))

    def as_dict(self) -> dict[str, Any]:
        def changes(items: list[ElementChange]) -> list[dict[str, Any]]:
            return [{"id": c.id, "fields": c.fields} for c in items]

        return {
            "nodes": {
                "added": self.nodes_added,
                "removed": self.nodes_removed,
                "changed": changes(self.nodes_changed),
            },
            "edges": {
                "added": self.edges_added,
                "removed": self.edges_removed,
                "changed": changes(self.edges_changed),
            },
            "findings": self.findings.as_dict(),
        }


def diff_maps(
    before: StakeholderMap,
    after: StakeholderMap,
    *,
    before_report: Mapping[str, Any] | None = None,
    after_report: Mapping[str, Any] | None = None,
) -> MapDiff:
    """Nodes and edges added, removed and changed (by id), and the findings compared by key.

    O(V + E) plus the two reports (pass them in when cached).

    >>> from graphsvc.domain.mapfile import load_map_text
    >>> a = load_map_text("map: {id: t}\\nnodes: [{id: s, kind: AISystem, name: S}]")
    >>> b = load_map_text("map: {id: t}\\nnodes: [{id: s, kind: AISystem, name: Scorer}]")
    >>> d = diff_maps(a, b)
    >>> d.nodes_changed
    [ElementChange(id='s', fields={'name': ['S', 'Scorer']})]
    """
    nodes = _compare({n.id: _data(n) for n in before.nodes}, {n.id: _data(n) for n in after.nodes})
    edges = _compare({e.id: _data(e) for e in before.edges}, {e.id: _data(e) for e in after.edges})
    old = before_report if before_report is not None else build_report(before)
    new = after_report if after_report is not None else build_report(after)
    return MapDiff(*nodes, *edges, findings=compare_findings(old, new))


def _data(model: Any) -> dict[str, Any]:
    data: dict[str, Any] = model.model_dump(mode="json", by_alias=True, exclude_none=True)
    return data


def _compare(
    old: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]]
) -> tuple[list[str], list[str], list[ElementChange]]:
    added = sorted(new.keys() - old.keys())
    removed = sorted(old.keys() - new.keys())
    changed = []
    for key in sorted(old.keys() & new.keys()):
        a, b = old[key], new[key]
        fields = {
            name: [a.get(name), b.get(name)]
            for name in sorted(a.keys() | b.keys())
            if a.get(name) != b.get(name)
        }
        if fields:
            changed.append(ElementChange(key, fields))
    return added, removed, changed

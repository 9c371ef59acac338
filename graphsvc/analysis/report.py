"""The analysis report of one map: every analysis, in the JSON shape of SPEC §4."""

from __future__ import annotations

from typing import Any

from graphsvc.analysis.contest import ContestAnalysis, analyse_contest
from graphsvc.analysis.feedback import feedback_loops
from graphsvc.analysis.graph import MapGraph
from graphsvc.domain.model import StakeholderMap

REPORT_KEYS = (
    "map",
    "contestPairs",
    "withoutContestPath",
    "mechanisms",
    "feedbackLoops",
    "accountabilityGaps",
    "automationBias",
    "singlePointsOfFailure",
    "salience",
    "powerAsymmetry",
    "recommendations",
)


def build_report(m: StakeholderMap, *, version: int | None = None) -> dict[str, Any]:
    """Run every analysis on ``m``; plain JSON-ready data with the keys of SPEC §4."""
    g = MapGraph.build(m)
    contest = analyse_contest(g)
    report: dict[str, Any] = {key: [] for key in REPORT_KEYS}
    report["map"] = {
        "id": m.id,
        "title": m.meta.title,
        "version": version,
        "nodeCount": len(m.nodes),
        "edgeCount": len(m.edges),
    }
    report["contestPairs"] = [
        {
            "system": p.system,
            "stakeholder": p.stakeholder,
            "status": p.status.value,
            "authorities": list(p.authorities),
            "path": None if p.path is None else list(p.path),
            "accessibility": p.accessibility,
            "demandPerMonth": p.demand_per_month,
            "coverage": p.coverage,
        }
        for p in contest.pairs
    ]
    report["withoutContestPath"] = _without_contest_path(g, contest)
    report["mechanisms"] = [
        {
            "id": mech.id,
            "capacityPerMonth": mech.capacity_per_month,
            "loadPerMonth": mech.load_per_month,
            "utilization": mech.utilization,
            "coverage": mech.coverage,
        }
        for mech in contest.mechanisms
    ]
    report["feedbackLoops"] = [
        {
            "system": f.system,
            "stakeholder": f.stakeholder,
            "status": f.status.value,
            "path": None if f.path is None else list(f.path),
        }
        for f in feedback_loops(g)
    ]
    return report


def _without_contest_path(g: MapGraph, contest: ContestAnalysis) -> list[dict[str, Any]]:
    by_stakeholder: dict[str, list[dict[str, str]]] = {}
    for pair in contest.pairs:
        if pair.stakeholder in contest.without_contest_path and pair.status.value in {
            "NONE",
            "NO_AUTHORITY",
        }:
            by_stakeholder.setdefault(pair.stakeholder, []).append(
                {"system": pair.system, "status": pair.status.value}
            )
    return [
        {
            "id": node_id,
            "name": g.nodes[node_id].name,
            "kind": g.nodes[node_id].kind,
            "pairs": by_stakeholder[node_id],
        }
        for node_id in contest.without_contest_path
    ]

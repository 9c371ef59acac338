"""The analysis report of one map: every analysis, in the JSON shape of SPEC §4.

Entry shapes and finding keys are documented in docs/ANALYSES.md.
"""

from __future__ import annotations

from operator import itemgetter
from typing import Any

from graphsvc.analysis import findings as keys
from graphsvc.analysis.automation import BiasFlag, RiskLevel
from graphsvc.analysis.contest import WITHOUT_PATH, ContestAnalysis, ContestStatus
from graphsvc.analysis.feedback import FeedbackLoop, FeedbackStatus
from graphsvc.analysis.gaps import GapType
from graphsvc.analysis.graph import MapGraph
from graphsvc.analysis.power import PowerAsymmetry
from graphsvc.analysis.recommend import Recommendation, each_recommendation
from graphsvc.analysis.salience import SalienceClass
from graphsvc.analysis.suite import Analysis, Lap, analyse, no_lap
from graphsvc.domain.kinds import NodeKind
from graphsvc.domain.model import StakeholderMap
from graphsvc.gc_pause import gc_paused

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
DIGITS = 4  # power-asymmetry scores are rounded so that reports compare stably
# Enum members (all StrEnum) enter the report as their plain value, one shared string per
# value: ``str(member)`` makes a new string each time (a million of them in a 100k report), and
# reading ``.value`` goes through enum's descriptor.
_TEXT: dict[str, str] = {
    member: member.value
    for enum in (
        ContestStatus, FeedbackStatus, GapType, RiskLevel, BiasFlag, NodeKind, SalienceClass
    )
    for member in enum
}  # fmt: skip
_plain = _TEXT.__getitem__


def build_report(
    m: StakeholderMap, *, version: int | None = None, lap: Lap = no_lap
) -> dict[str, Any]:
    """Run every analysis on ``m``; plain JSON-ready data with the keys of SPEC §4. ``lap`` is
    called after each analysis (:func:`~graphsvc.analysis.suite.analyse`), after the
    recommendations and after the rest of the report ("report assembly")."""
    with gc_paused():
        return _build_report(m, version, lap)


def _build_report(m: StakeholderMap, version: int | None, lap: Lap) -> dict[str, Any]:
    a = analyse(m, lap)
    report: dict[str, Any] = {key: [] for key in REPORT_KEYS}
    report["map"] = map_entry(m, version)
    # Largest first, while every result it needs is alive; then each section's results are
    # dropped once converted, so the peak holds each entry in one form (analysis objects or
    # report dicts), not both. ``a`` is this function's own.
    report["recommendations"] = recommendations_section(a)
    lap("recommendations")
    a.graph.drop_searches()
    report["powerAsymmetry"] = power_section(a.power)
    a.power.clear()
    report.update(contest_sections(a))
    report["feedbackLoops"] = feedback_section(a.feedback)
    report.update(finding_sections(a))
    lap("report assembly")
    return report


def map_entry(m: StakeholderMap, version: int | None) -> dict[str, Any]:
    """The report's ``map`` entry."""
    return {
        "id": m.id,
        "title": m.meta.title,
        "version": version,
        "nodeCount": len(m.nodes),
        "edgeCount": len(m.edges),
    }


def finding_sections(a: Analysis) -> dict[str, list[dict[str, Any]]]:
    """The small sections: accountability gaps, automation bias, single points of failure
    and salience."""
    return {
        "accountabilityGaps": [
            {
                "key": keys.gap_key(gap.type, gap.subject),
                "type": _plain(gap.type),
                "subject": gap.subject,
                "related": list(gap.related),
                "reason": gap.reason,
            }
            for gap in a.gaps
        ],
        "automationBias": [
            {
                "key": keys.automation_key(risk.system),
                "system": risk.system,
                "level": _plain(risk.level),
                "flags": [_plain(f) for f in risk.flags],
            }
            for risk in a.automation
        ],
        "singlePointsOfFailure": [
            {
                "key": keys.spof_key(spof.node),
                "node": spof.node,
                "kind": a.graph.nodes[spof.node].kind,
                "pairs": [list(pair) for pair in spof.pairs],
            }
            for spof in a.spofs
        ],
        "salience": [
            {
                "key": keys.salience_key(s.stakeholder),
                "stakeholder": s.stakeholder,
                "kind": _plain(s.kind),
                "power": s.power,
                "legitimacy": s.legitimacy,
                "urgency": s.urgency,
                "class": _plain(s.salience_class),
            }
            for s in a.salience
        ],
    }


def power_section(power: list[PowerAsymmetry]) -> list[dict[str, Any]]:
    """The power asymmetry entries, scores rounded to ``DIGITS``."""
    # Each distinct score is rounded once: a pair's scores repeat for each of its actors, and
    # many pairs share them (round() is most of this section's time otherwise).
    rounded: dict[float, float] = {}

    def r(x: float) -> float:
        found = rounded.get(x)
        if found is None:
            found = rounded[x] = round(x, DIGITS)
        return found

    return [
        {
            "key": keys.power_key(p.actor, p.stakeholder),
            "actor": p.actor,
            "stakeholder": p.stakeholder,
            "system": p.system,
            "powerOver": r(p.power_over),
            "counterPower": r(p.counter_power),
            "asymmetry": r(p.asymmetry),
            "reasons": list(p.reasons),
        }
        for p in power
    ]


def recommendations_section(a: Analysis) -> list[dict[str, Any]]:
    """The report's recommendations, sorted by key, each converted as the recommender yields
    it (so that it exists in one form at a time)."""
    return sorted((recommendation_data(r) for r in each_recommendation(a)), key=itemgetter("key"))


def recommendation_data(r: Recommendation) -> dict[str, Any]:
    return {
        "key": r.key,
        "finding": r.finding,
        "resolves": list(r.resolves),
        "title": r.title,
        "rationale": r.rationale,
        "changes": list(r.changes),
    }


def contest_sections(a: Analysis) -> dict[str, list[dict[str, Any]]]:
    """The contest pairs, the stakeholders without a contest path and the mechanisms."""
    contest = a.contest
    return {
        "contestPairs": [
            {
                "key": p.key,
                "system": p.system,
                "stakeholder": p.stakeholder,
                "status": _plain(p.status),
                "authorities": list(p.authorities),
                "path": None if p.path is None else list(p.path),
                "accessibility": p.accessibility,
                "demandPerMonth": p.demand_per_month,
                "coverage": p.coverage,
            }
            for p in contest.pairs
        ],
        "withoutContestPath": _without_contest_path(a.graph, contest),
        "mechanisms": [
            {
                "key": keys.mechanism_key(mech.id, mech.coverage),
                "id": mech.id,
                "capacityPerMonth": mech.capacity_per_month,
                "loadPerMonth": mech.load_per_month,
                "utilization": mech.utilization,
                "coverage": mech.coverage,
            }
            for mech in contest.mechanisms
        ],
    }


def feedback_section(loops: list[FeedbackLoop]) -> list[dict[str, Any]]:
    """The feedback loop of every pair."""
    return [
        {
            "key": f.key,
            "system": f.system,
            "stakeholder": f.stakeholder,
            "status": _plain(f.status),
            "path": None if f.path is None else list(f.path),
        }
        for f in loops
    ]


def _without_contest_path(g: MapGraph, contest: ContestAnalysis) -> list[dict[str, Any]]:
    by_stakeholder: dict[str, list[dict[str, str]]] = {}
    for pair in contest.pairs:
        if pair.status in WITHOUT_PATH:
            by_stakeholder.setdefault(pair.stakeholder, []).append(
                {"system": pair.system, "status": _plain(pair.status)}
            )
    return [
        {
            "key": keys.without_path_key(node_id),
            "id": node_id,
            "name": g.nodes[node_id].name,
            "kind": g.nodes[node_id].kind,
            "pairs": by_stakeholder[node_id],
        }
        for node_id in contest.without_contest_path
    ]

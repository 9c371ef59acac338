"""Every analysis of one map, run once and kept together for the report and the recommender."""

from __future__ import annotations

from dataclasses import dataclass

from graphsvc.analysis.automation import AutomationRisk, automation_bias
from graphsvc.analysis.contest import ContestAnalysis, analyse_contest
from graphsvc.analysis.feedback import FeedbackLoop, feedback_loops
from graphsvc.analysis.gaps import Gap, accountability_gaps
from graphsvc.analysis.graph import MapGraph
from graphsvc.analysis.power import PowerAsymmetry, power_asymmetry
from graphsvc.analysis.salience import Salience, salience
from graphsvc.analysis.spof import SinglePointOfFailure, single_points_of_failure
from graphsvc.domain.model import StakeholderMap


@dataclass(frozen=True)
class Analysis:
    """The results of every analysis of SPEC §3 except recommendations (built from these)."""

    graph: MapGraph
    contest: ContestAnalysis
    feedback: list[FeedbackLoop]
    gaps: list[Gap]
    automation: list[AutomationRisk]
    spofs: list[SinglePointOfFailure]
    salience: list[Salience]
    power: list[PowerAsymmetry]


def analyse(m: StakeholderMap | MapGraph) -> Analysis:
    """Run every analysis on a map (or on its already built graph)."""
    g = m if isinstance(m, MapGraph) else MapGraph.build(m)
    contest = analyse_contest(g)
    return Analysis(
        graph=g,
        contest=contest,
        feedback=feedback_loops(g),
        gaps=accountability_gaps(g),
        automation=automation_bias(g),
        spofs=single_points_of_failure(g, contest),
        salience=salience(g, contest),
        power=power_asymmetry(g, contest),
    )

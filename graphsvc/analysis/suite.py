"""Every analysis of one map, run once and kept together for the report and the recommender."""

from __future__ import annotations

from collections.abc import Callable
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


#: Called with a step's name as the step ends (the benchmarks time the steps so; compiled
#: code cannot be wrapped from outside).
Lap = Callable[[str], None]


def no_lap(step: str) -> None:
    """The default :data:`Lap`: nothing."""


def analyse(m: StakeholderMap | MapGraph, lap: Lap = no_lap) -> Analysis:
    """Run every analysis on a map (or on its already built graph); ``lap`` after each."""
    g = m if isinstance(m, MapGraph) else MapGraph.build(m)
    lap("graph")
    contest = analyse_contest(g)
    lap("contest")
    feedback = feedback_loops(g)
    lap("feedback")
    gaps = accountability_gaps(g)
    lap("gaps")
    automation = automation_bias(g)
    lap("automation")
    spofs = single_points_of_failure(g, contest)
    lap("spof")
    salient = salience(g, contest)
    lap("salience")
    power = power_asymmetry(g, contest)
    lap("power")
    return Analysis(g, contest, feedback, gaps, automation, spofs, salient, power)

"""The ``Analysis`` type: every list of the analysis report (SPEC §4), camelCase, with filters.

The report is computed once per map version by the map service and cached; these fields only
select from it, so filters and limits never recompute anything.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from functools import partial
from itertools import islice
from typing import Annotated, Any, TypeVar

import strawberry
from strawberry.scalars import JSON

from graphsvc.analysis.automation import RiskLevel
from graphsvc.analysis.contest import ContestStatus
from graphsvc.analysis.feedback import FeedbackStatus
from graphsvc.analysis.gaps import GapType
from graphsvc.analysis.salience import SalienceClass
from graphsvc.api.graphql.context import Info
from graphsvc.api.graphql.fields import field
from graphsvc.api.graphql.report import (
    AccountabilityGap,
    AnalysedMap,
    AutomationBias,
    ContestPair,
    FeedbackLoop,
    MechanismLoad,
    PowerAsymmetry,
    Recommendation,
    Salience,
    SinglePointOfFailure,
    StakeholderWithoutContestPath,
)
from graphsvc.api.graphql.scenario import FindingChange, to_change_inputs
from graphsvc.api.state import in_thread
from graphsvc.errors import InvalidInput, Problem

T = TypeVar("T")
Entry = dict[str, Any]
LIMIT = "At most this many entries, in report order."


def _select(
    entries: Iterable[Entry],
    convert: Callable[[Entry], T],
    limit: int | None,
    keep: Callable[[Entry], bool] | None = None,
) -> list[T]:
    """The first ``limit`` entries that ``keep`` accepts, converted. Filters run on the raw
    report and conversion stops at the limit: a request costs what it returns, not the size of
    the report (resolvers run on the event loop, so a whole-report pass would stall others)."""
    if limit is not None and limit < 0:
        raise InvalidInput([Problem("must be 0 or more", "limit", value=limit)])
    if limit == 0:
        return []
    kept = entries if keep is None else filter(keep, entries)
    return [convert(e) for e in (kept if limit is None else islice(kept, limit))]


def _values(chosen: Iterable[str] | None) -> frozenset[str]:
    """Enum arguments as the plain strings the report holds (compared, never constructed)."""
    return frozenset(str(getattr(c, "value", c)) for c in chosen or ())


class PairIndex:
    """The contest pairs of one report by system and by stakeholder, each in report order."""

    def __init__(self, pairs: list[Entry]) -> None:
        self.by_system: dict[str, list[Entry]] = defaultdict(list)
        self.by_stakeholder: dict[str, list[Entry]] = defaultdict(list)
        for p in pairs:
            self.by_system[p["system"]].append(p)
            self.by_stakeholder[p["stakeholder"]].append(p)
        self.by_system, self.by_stakeholder = dict(self.by_system), dict(self.by_stakeholder)


@strawberry.type(description="Every analysis of one map version (the JSON report of SPEC §4).")
class Analysis:
    report: strawberry.Private[dict[str, Any]]

    def _entries(self, section: str) -> list[Entry]:
        entries: list[Entry] = self.report[section]
        return entries

    @field(description="The map analysed.")
    def map(self) -> AnalysedMap:
        return AnalysedMap.from_entry(self.report["map"])

    @field(description="Every AFFECTS pair; filter by status, system, stakeholder. " + LIMIT)
    async def contest_pairs(
        self,
        info: Info,
        status: list[ContestStatus] | None = None,
        system: strawberry.ID | None = None,
        stakeholder: strawberry.ID | None = None,
        limit: int | None = None,
    ) -> list[ContestPair]:
        map_id = self.report["map"]["id"]
        pairs = self._entries("contestPairs")
        if system is not None or stakeholder is not None:
            pairs = await self._pairs_of(info, system, stakeholder)
        statuses = _values(status)
        keep = None
        if statuses or system is not None or stakeholder is not None:

            def keep(p: Entry) -> bool:
                return (
                    (not statuses or p["status"] in statuses)
                    and (system is None or p["system"] == system)
                    and (stakeholder is None or p["stakeholder"] == stakeholder)
                )

        return _select(pairs, partial(ContestPair.from_entry, map_id), limit, keep)

    async def _pairs_of(
        self, info: Info, system: str | None, stakeholder: str | None
    ) -> list[Entry]:
        """The pairs of one system (or else one stakeholder), in report order, through an
        index built once per cached report, off the event loop: a selective filter would
        otherwise scan every pair of the map on it, per request."""
        pairs = self._entries("contestPairs")
        version = self.report["map"]["version"]
        if version is None:  # a scenario's report is not cached: nothing to index
            return pairs
        key, reports = (self.report["map"]["id"], version), info.context.service.reports
        index: PairIndex | None = reports.peek_derived(key, "contestPairs")
        if index is None:
            index = await in_thread(reports.derived, key, "contestPairs", partial(PairIndex, pairs))
        if system is not None:
            return index.by_system.get(system, [])
        return index.by_stakeholder.get(str(stakeholder), [])

    @field(description="Stakeholders with a pair that is NONE or NO_AUTHORITY. " + LIMIT)
    def without_contest_path(self, limit: int | None = None) -> list[StakeholderWithoutContestPath]:
        return _select(
            self._entries("withoutContestPath"), StakeholderWithoutContestPath.from_entry, limit
        )

    @field(description="Every mechanism; `overloaded: true` keeps coverage < 1. " + LIMIT)
    def mechanisms(
        self, overloaded: bool | None = None, limit: int | None = None
    ) -> list[MechanismLoad]:
        keep = None if overloaded is None else (lambda m: (m["coverage"] < 1) == overloaded)
        return _select(self._entries("mechanisms"), MechanismLoad.from_entry, limit, keep)

    @field(description="Feedback loop of every pair; filter by status. " + LIMIT)
    def feedback_loops(
        self, status: list[FeedbackStatus] | None = None, limit: int | None = None
    ) -> list[FeedbackLoop]:
        statuses = _values(status)
        keep = (lambda f: f["status"] in statuses) if statuses else None
        return _select(self._entries("feedbackLoops"), FeedbackLoop.from_entry, limit, keep)

    @field(description="Accountability gaps; filter by type. " + LIMIT)
    def accountability_gaps(
        self, type: list[GapType] | None = None, limit: int | None = None
    ) -> list[AccountabilityGap]:
        types = _values(type)
        keep = (lambda g: g["type"] in types) if types else None
        return _select(
            self._entries("accountabilityGaps"), AccountabilityGap.from_entry, limit, keep
        )

    @field(description="Systems with automation-bias flags; filter by level. " + LIMIT)
    def automation_bias(
        self, level: list[RiskLevel] | None = None, limit: int | None = None
    ) -> list[AutomationBias]:
        levels = _values(level)
        keep = (lambda a: a["level"] in levels) if levels else None
        return _select(self._entries("automationBias"), AutomationBias.from_entry, limit, keep)

    @field(description="Nodes on every contest path of some pairs. " + LIMIT)
    def single_points_of_failure(self, limit: int | None = None) -> list[SinglePointOfFailure]:
        return _select(
            self._entries("singlePointsOfFailure"), SinglePointOfFailure.from_entry, limit
        )

    @field(description="Salience of every stakeholder; filter by class. " + LIMIT)
    def salience(
        self,
        class_: Annotated[list[SalienceClass] | None, strawberry.argument(name="class")] = None,
        limit: int | None = None,
    ) -> list[Salience]:
        classes = _values(class_)
        keep = (lambda s: s["class"] in classes) if classes else None
        return _select(self._entries("salience"), Salience.from_entry, limit, keep)

    @field(description="Power asymmetry of (actor, stakeholder) pairs. " + LIMIT)
    def power_asymmetry(
        self, min_asymmetry: float | None = None, limit: int | None = None
    ) -> list[PowerAsymmetry]:
        keep = None if min_asymmetry is None else (lambda p: p["asymmetry"] >= min_asymmetry)
        return _select(self._entries("powerAsymmetry"), PowerAsymmetry.from_entry, limit, keep)

    @field(description="Change sets that would fix findings; each runnable as a scenario. " + LIMIT)
    def recommendations(self, limit: int | None = None) -> list[Recommendation]:
        return _select(self._entries("recommendations"), _recommendation, limit)


def _recommendation(r: Entry) -> Recommendation:
    return Recommendation(
        key=r["key"],
        finding=r["finding"],
        resolves=r["resolves"],
        title=r["title"],
        rationale=r["rationale"],
        changes=r["changes"],
        scenario_changes=JSON(to_change_inputs(r["changes"])),
    )


@strawberry.type(description="A what-if: the analysis of the changed copy and what changed.")
class Scenario:
    analysis: Analysis
    resolved: list[FindingChange]
    introduced: list[FindingChange]
    changed: list[FindingChange]

"""Automation-bias risk: where people are unlikely or unable to overrule a system (SPEC §3)."""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple

from graphsvc.analysis.gaps import is_high_stakes
from graphsvc.analysis.graph import MapGraph
from graphsvc.domain.kinds import AutomationLevel, EdgeKind, NodeKind, Polarity
from graphsvc.domain.model import AISystem, Incentive, Operates


class BiasFlag(StrEnum):
    HIGH_STAKES_AUTOMATION = "HIGH_STAKES_AUTOMATION"
    NO_OVERRIDE = "NO_OVERRIDE"
    PRESSURED_OPERATORS = "PRESSURED_OPERATORS"


class RiskLevel(StrEnum):
    MEDIUM = "MEDIUM"
    HIGH = "HIGH"


LOOSE_HUMAN_CONTROL = frozenset(
    {AutomationLevel.HUMAN_ON_THE_LOOP, AutomationLevel.FULLY_AUTOMATED}
)


class AutomationRisk(NamedTuple):
    """The flags of one system; ``pressures`` are the INCENTIVIZES edges behind the third."""

    system: str
    level: RiskLevel
    flags: tuple[BiasFlag, ...]
    pressures: tuple[tuple[str, str], ...] = ()


def automation_bias(g: MapGraph) -> list[AutomationRisk]:
    """Systems with at least one flag, sorted by id; 1 flag is MEDIUM, 2 or more HIGH.

    O(V + E): each system looks at its operators, their employers and their incentives.

    >>> from graphsvc.domain.mapfile import load_map_text
    >>> m = load_map_text('''
    ... map: {id: t}
    ... nodes:
    ...   - {id: s, kind: AISystem, name: S, stakes: CRITICAL, automationLevel: FULLY_AUTOMATED}
    ...   - {id: u, kind: UserGroup, name: U}
    ... edges:
    ...   - {from: u, kind: OPERATES, to: s}
    ... ''')
    >>> risk, = automation_bias(MapGraph.build(m))
    >>> risk.level.value, [f.value for f in risk.flags]
    ('HIGH', ['HIGH_STAKES_AUTOMATION', 'NO_OVERRIDE'])
    """
    out = []
    for system in g.of_kind(NodeKind.AI_SYSTEM):
        node = g.nodes[system]
        assert isinstance(node, AISystem)
        flags = []
        high = is_high_stakes(g, system)
        if high and node.automation_level in LOOSE_HUMAN_CONTROL:
            flags.append(BiasFlag.HIGH_STAKES_AUTOMATION)
        operators = g.pred(EdgeKind.OPERATES, system)
        if high and operators and not any(_can_override(g, u, system) for u in operators):
            flags.append(BiasFlag.NO_OVERRIDE)
        pressures = sorted(
            (incentive, target)
            for group in operators
            for target in (group, *g.pred(EdgeKind.EMPLOYS, group))
            for incentive in g.pred(EdgeKind.INCENTIVIZES, target)
            if _against_safety(g, incentive)
        )
        if pressures:
            flags.append(BiasFlag.PRESSURED_OPERATORS)
        if flags:
            level = RiskLevel.HIGH if len(flags) >= 2 else RiskLevel.MEDIUM
            out.append(AutomationRisk(system, level, tuple(flags), tuple(dict.fromkeys(pressures))))
    return out


def _can_override(g: MapGraph, group: str, system: str) -> bool:
    edge = g.edge(EdgeKind.OPERATES, group, system)
    return isinstance(edge, Operates) and edge.can_override


def _against_safety(g: MapGraph, incentive: str) -> bool:
    node = g.nodes[incentive]
    return isinstance(node, Incentive) and node.polarity == Polarity.AGAINST_SAFETY

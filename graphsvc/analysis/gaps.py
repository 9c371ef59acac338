"""Accountability gaps: systems and actors that nobody with power answers for (SPEC §3)."""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple

from graphsvc.analysis.graph import MapGraph
from graphsvc.domain.kinds import HIGH_STAKES, Authority, EdgeKind, NodeKind
from graphsvc.domain.model import AISystem, Oversees


class GapType(StrEnum):
    NO_DEPLOYER = "NO_DEPLOYER"
    UNOVERSEEN = "UNOVERSEEN"
    ADVISORY_ONLY_OVERSIGHT = "ADVISORY_ONLY_OVERSIGHT"
    CONFLICT_OF_INTEREST = "CONFLICT_OF_INTEREST"
    UNACCOUNTABLE_ACTOR = "UNACCOUNTABLE_ACTOR"


class Gap(NamedTuple):
    """One gap; ``related`` are the other nodes involved (sorted), ``reason`` says why."""

    type: GapType
    subject: str
    related: tuple[str, ...]
    reason: str


def is_high_stakes(g: MapGraph, system: str) -> bool:
    node = g.nodes[system]
    return isinstance(node, AISystem) and node.stakes in HIGH_STAKES


def makers_of(g: MapGraph, system: str) -> list[str]:
    """Deployers and developers of a system, sorted."""
    return sorted({*g.pred(EdgeKind.DEPLOYS, system), *g.pred(EdgeKind.DEVELOPS, system)})


def accountability_gaps(g: MapGraph) -> list[Gap]:
    """Every gap of the map, sorted by type then subject.

    One pass over systems, oversight bodies and organizations; O(V + E).

    >>> from graphsvc.domain.mapfile import load_map_text
    >>> m = load_map_text('''
    ... map: {id: t}
    ... nodes:
    ...   - {id: s, kind: AISystem, name: S, stakes: HIGH}
    ...   - {id: o, kind: Organization, name: O}
    ...   - {id: b, kind: OversightBody, name: B}
    ... edges:
    ...   - {from: o, kind: DEVELOPS, to: s}
    ...   - {from: b, kind: OVERSEES, to: s}
    ... ''')
    >>> [(gap.type.value, gap.subject) for gap in accountability_gaps(MapGraph.build(m))]
    [('ADVISORY_ONLY_OVERSIGHT', 's'), ('NO_DEPLOYER', 's'), ('UNACCOUNTABLE_ACTOR', 'o')]
    """
    gaps: list[Gap] = []
    high_stakes_makers: dict[str, list[str]] = {}
    for system in g.of_kind(NodeKind.AI_SYSTEM):
        if not g.pred(EdgeKind.DEPLOYS, system):
            developers = tuple(g.pred(EdgeKind.DEVELOPS, system))
            gaps.append(Gap(GapType.NO_DEPLOYER, system, developers, "nobody deploys the system"))
        if not is_high_stakes(g, system):
            continue
        makers = makers_of(g, system)
        for maker in makers:
            high_stakes_makers.setdefault(maker, []).append(system)
        oversight = [(b, system) for b in g.pred(EdgeKind.OVERSEES, system)]
        oversight += [(b, maker) for maker in makers for b in g.pred(EdgeKind.OVERSEES, maker)]
        if not oversight:
            gaps.append(
                Gap(
                    GapType.UNOVERSEEN,
                    system,
                    tuple(makers),
                    "high-stakes system; nobody oversees it, its deployers or its developers",
                )
            )
        elif not any(_binding(g, body, target) for body, target in oversight):
            gaps.append(
                Gap(
                    GapType.ADVISORY_ONLY_OVERSIGHT,
                    system,
                    tuple(sorted({body for body, _ in oversight})),
                    "high-stakes system whose oversight is advisory only",
                )
            )
    for body in g.of_kind(NodeKind.OVERSIGHT_BODY):
        funded_by = set(g.pred(EdgeKind.FUNDS, body))
        made = set(g.succ(EdgeKind.DEPLOYS, body)) | set(g.succ(EdgeKind.DEVELOPS, body))
        overseen = g.succ(EdgeKind.OVERSEES, body)
        conflicts = sorted(n for n in overseen if n in funded_by or n in made)
        if conflicts:
            reasons = [
                f"oversees {n}, which funds it"
                if n in funded_by
                else f"oversees {n}, its own system"
                for n in conflicts
            ]
            gaps.append(
                Gap(GapType.CONFLICT_OF_INTEREST, body, tuple(conflicts), "; ".join(reasons))
            )
    for actor, systems in high_stakes_makers.items():
        if not g.is_kind(actor, NodeKind.ORGANIZATION):
            continue
        if not g.succ(EdgeKind.ACCOUNTABLE_TO, actor) and not g.pred(EdgeKind.OVERSEES, actor):
            gaps.append(
                Gap(
                    GapType.UNACCOUNTABLE_ACTOR,
                    actor,
                    tuple(sorted(systems)),
                    "makes a high-stakes system; accountable to nobody and overseen by nobody",
                )
            )
    return sorted(gaps, key=lambda gap: (gap.type.value, gap.subject))


def _binding(g: MapGraph, body: str, target: str) -> bool:
    edge = g.edge(EdgeKind.OVERSEES, body, target)
    return isinstance(edge, Oversees) and edge.authority == Authority.BINDING

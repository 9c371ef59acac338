"""Stakeholder salience after Mitchell, Agle & Wood (1997): power, legitimacy, urgency."""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple

from graphsvc.analysis.contest import ContestAnalysis, ContestStatus, authorities_of
from graphsvc.analysis.graph import MapGraph
from graphsvc.domain.kinds import HIGH_STAKES, Authority, EdgeKind, NodeKind, Vulnerability
from graphsvc.domain.model import AffectedCommunity, Oversees


class SalienceClass(StrEnum):
    DORMANT = "DORMANT"
    DISCRETIONARY = "DISCRETIONARY"
    DEMANDING = "DEMANDING"
    DOMINANT = "DOMINANT"
    DANGEROUS = "DANGEROUS"
    DEPENDENT = "DEPENDENT"
    DEFINITIVE = "DEFINITIVE"
    NON_STAKEHOLDER = "NON_STAKEHOLDER"


#: (power, legitimacy, urgency) → class.
CLASSES: dict[tuple[bool, bool, bool], SalienceClass] = {
    (True, False, False): SalienceClass.DORMANT,
    (False, True, False): SalienceClass.DISCRETIONARY,
    (False, False, True): SalienceClass.DEMANDING,
    (True, True, False): SalienceClass.DOMINANT,
    (True, False, True): SalienceClass.DANGEROUS,
    (False, True, True): SalienceClass.DEPENDENT,
    (True, True, True): SalienceClass.DEFINITIVE,
    (False, False, False): SalienceClass.NON_STAKEHOLDER,
}
RATED_KINDS = (
    NodeKind.AFFECTED_COMMUNITY,
    NodeKind.USER_GROUP,
    NodeKind.ORGANIZATION,
    NodeKind.OVERSIGHT_BODY,
)
_LEGITIMATE_OUT = (
    EdgeKind.DEVELOPS,
    EdgeKind.DEPLOYS,
    EdgeKind.OPERATES,
    EdgeKind.OVERSEES,
    EdgeKind.EMPLOYS,
    EdgeKind.REPRESENTS,
)


class Salience(NamedTuple):
    stakeholder: str
    kind: NodeKind
    power: bool
    legitimacy: bool
    urgency: bool
    salience_class: SalienceClass


def salience(g: MapGraph, contest: ContestAnalysis) -> list[Salience]:
    """The salience of every community, user group, organization and oversight body, by id.

    O(V + E) given the contest analysis (authorities are found once per system).

    >>> from graphsvc.analysis.contest import analyse_contest
    >>> from graphsvc.domain.mapfile import load_map_text
    >>> m = load_map_text('''
    ... map: {id: t}
    ... nodes:
    ...   - {id: s, kind: AISystem, name: S}
    ...   - {id: o, kind: Organization, name: O}
    ...   - {id: c, kind: AffectedCommunity, name: C, vulnerability: HIGH}
    ... edges:
    ...   - {from: o, kind: DEPLOYS, to: s}
    ...   - {from: s, kind: AFFECTS, to: c}
    ... ''')
    >>> g = MapGraph.build(m)
    >>> [(x.stakeholder, x.salience_class.value) for x in salience(g, analyse_contest(g))]
    [('c', 'DEPENDENT'), ('o', 'DOMINANT')]
    """
    powerful: set[str] = set()
    for system in g.of_kind(NodeKind.AI_SYSTEM):
        powerful |= authorities_of(g, system)
    for oversees in g.edges_of(EdgeKind.OVERSEES, Oversees):
        if oversees.authority == Authority.BINDING:
            powerful.add(oversees.from_)
    powerful.update(g.sources_of(EdgeKind.FUNDS))
    powerful.update(p.stakeholder for p in contest.pairs if p.status == ContestStatus.EFFECTIVE)

    # Urgent: affected through a high-severity edge, or a highly vulnerable community that
    # anything affects (tested once per community, not once per edge).
    urgent = {edge.to for edge in g.pairs() if edge.severity in HIGH_STAKES}
    for node_id in g.of_kind(NodeKind.AFFECTED_COMMUNITY):
        node = g.nodes[node_id]
        if (
            isinstance(node, AffectedCommunity)
            and node.vulnerability == Vulnerability.HIGH
            and g.pred(EdgeKind.AFFECTS, node_id)
        ):
            urgent.add(node_id)

    out = []
    for node_id in sorted(n for n, node in g.nodes.items() if node.kind in RATED_KINDS):
        power = node_id in powerful
        legitimacy = bool(g.pred(EdgeKind.AFFECTS, node_id)) or any(
            g.succ(kind, node_id) for kind in _LEGITIMATE_OUT
        )
        urgency = node_id in urgent
        out.append(
            Salience(
                node_id, g.kind(node_id), power, legitimacy, urgency,
                CLASSES[(power, legitimacy, urgency)],
            )
        )  # fmt: skip
    return out

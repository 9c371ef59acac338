"""Single points of failure: nodes that every contest path of a pair passes through (SPEC §3).

For a pair (S, C) with a contest path, take the contest traversal from C in which the
authorities of S are dead ends feeding a virtual sink, C is never re-entered, and the one-edge
step from C straight into an authority is left out (a contest path passes a mechanism). The
dominators of the sink, other than C and the authorities, lie on every contest path. Work is
shared per (authority set, stakeholder): one dominator computation over the part of the map
C reaches before meeting an authority.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from graphsvc.analysis.contest import WITHOUT_PATH, ContestAnalysis
from graphsvc.analysis.dominators import dominators_of, immediate_dominators
from graphsvc.analysis.graph import MapGraph, Traversal

SINK = "\x00sink"  # not a slug, so never a node id


class SinglePointOfFailure(NamedTuple):
    node: str
    pairs: tuple[tuple[str, str], ...]


def contest_dominators(walk: Traversal, stakeholder: str, authorities: frozenset[str]) -> set[str]:
    """The nodes other than ``stakeholder`` and ``authorities`` on every contest path.

    Empty when there is no contest path at all.

    >>> from graphsvc.analysis.graph import Traversal
    >>> succ = {"c": ["m1", "m2"], "m1": ["x"], "m2": ["x"], "x": ["a"]}
    >>> walk = Traversal({k: v for k, v in succ.items()}, {})
    >>> sorted(contest_dominators(walk, "c", frozenset({"a"})))
    ['x']
    """

    def successors(node: str) -> Iterable[str]:
        if node in authorities:
            return (SINK,)
        if node == SINK:
            return ()
        following = walk.succ(node)
        if node == stakeholder:
            return [n for n in following if n != stakeholder and n not in authorities]
        if stakeholder in following:
            return [n for n in following if n != stakeholder]
        return following

    idom = immediate_dominators(stakeholder, successors)
    if SINK not in idom:
        return set()
    return {n for n in dominators_of(SINK, idom) if n != stakeholder and n not in authorities}


def single_points_of_failure(g: MapGraph, contest: ContestAnalysis) -> list[SinglePointOfFailure]:
    """Every node some pair cannot contest without, with those pairs; sorted by node id.

    Cost: one dominator computation per distinct (authority set, stakeholder) among pairs
    with a contest path, each linear in the part of the map the stakeholder reaches before
    an authority: O(sum of those parts), O(P · (V + E)) in the worst case.
    """
    walk = g.contest_walk()
    cache: dict[tuple[frozenset[str], str], set[str]] = {}
    found: dict[str, list[tuple[str, str]]] = {}
    for pair in contest.pairs:
        if pair.status in WITHOUT_PATH:
            continue
        key = (frozenset(pair.authorities), pair.stakeholder)
        if key not in cache:
            cache[key] = contest_dominators(walk, pair.stakeholder, key[0])
        for node in cache[key]:
            found.setdefault(node, []).append((pair.system, pair.stakeholder))
    return [SinglePointOfFailure(n, tuple(sorted(found[n]))) for n in sorted(found)]

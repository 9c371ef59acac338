"""Single points of failure: nodes that every contest path of a pair passes through (SPEC §3).

For a pair (S, C) with a contest path, take the contest traversal from C in which the
authorities of S are dead ends feeding a virtual sink, C is never re-entered, and the one-edge
step from C straight into an authority is left out (a contest path passes a mechanism). The
dominators of the sink, other than C and the authorities, lie on every contest path. Work is
shared per (authority set, stakeholder): one sweep along the pair's best contest path (which
every such node is on) over the part of the map C reaches before a path bypasses the rest.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
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


def contest_dominators_along(
    walk: Traversal, path: Sequence[str], authorities: frozenset[str]
) -> set[str]:
    """The same set as :func:`contest_dominators`, given one contest path ``path`` (the
    stakeholder first, an authority last), in one sweep instead of a dominator computation.

    A node on every contest path is on this one. Absorb the path's nodes in order, each with
    everything it reaches off the path: ``path[i]`` is on every contest path exactly when,
    just before it is absorbed, nothing reached so far steps further along the path than
    ``path[i]``. Stepping into any authority completes a contest path, so no later node can
    be on every one and the sweep stops there, usually long before the reachable part ends.

    >>> from graphsvc.analysis.graph import Traversal
    >>> succ = {"c": ["m1", "m2"], "m1": ["x"], "m2": ["x"], "x": ["a"]}
    >>> walk = Traversal({k: v for k, v in succ.items()}, {})
    >>> sorted(contest_dominators_along(walk, ["c", "m1", "x", "a"], frozenset({"a"})))
    ['x']
    """
    stakeholder, end = path[0], len(path) - 1
    index = {node: i for i, node in enumerate(path)}
    seen: set[str] = set()
    found: set[str] = set()
    furthest = 0  # the furthest index along ``path`` reached so far
    for i in range(end):
        node = path[i]
        if i and furthest == i:
            found.add(node)
        stack = [node]
        while stack:
            current = stack.pop()
            for nxt in walk.succ(current):
                if nxt in authorities:
                    if current != stakeholder:  # the one-edge step is not a contest path
                        return found
                    continue
                j = index.get(nxt)
                if j is None:
                    if nxt not in seen:
                        seen.add(nxt)
                        stack.append(nxt)
                elif j > furthest:
                    furthest = j
    return found  # pragma: no cover - the path ends in an authority, reached above


def single_points_of_failure(g: MapGraph, contest: ContestAnalysis) -> list[SinglePointOfFailure]:
    """Every node some pair cannot contest without, with those pairs; sorted by node id.

    Cost: one sweep (:func:`contest_dominators_along`) per distinct (authority set,
    stakeholder) among pairs with a contest path, each linear in the part of the map the
    stakeholder reaches before an authority: O(sum of those parts), O(P · (V + E)) in the
    worst case.
    """
    walk = g.contest_walk()
    cache: dict[tuple[frozenset[str], str], set[str]] = {}
    found: dict[str, list[tuple[str, str]]] = {}
    for pair in contest.pairs:
        if pair.status in WITHOUT_PATH:
            continue
        key = (frozenset(pair.authorities), pair.stakeholder)
        if key not in cache:
            assert pair.path is not None  # a status with a path
            cache[key] = contest_dominators_along(walk, pair.path, key[0])
        for node in cache[key]:
            found.setdefault(node, []).append((pair.system, pair.stakeholder))
    return [SinglePointOfFailure(n, tuple(sorted(found[n]))) for n in sorted(found)]

"""Best paths from a node to the nearest of a set of targets.

A path's cost is the product of its nodes' weights (higher is better; weights lie in [0, 1])
and then its number of edges (fewer is better); remaining ties go to the smallest sequence of
node ids. Products equal within a relative 1e-9 count as equal.

The work is grouped by target: one reverse search per target node, computed on first use and
shared by every start node and every target set that contains it, so a whole map costs one
search per distinct target instead of one per (start, target set) pair. The best path to a
set is the best path to its best member, and such a path never passes through another member
(cutting it there would be shorter and no less accessible), so per-target distances compose.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Collection, Iterable, Sequence

Cost = tuple[float, int]  # (product of weights, number of edges)
Neighbours = Callable[[str], Sequence[str]]  # a sequence: a start's steps are read twice
RELATIVE_TOLERANCE = 1e-9


def _unit_weight(_: str) -> float:
    return 1.0


def same_product(a: float, b: float) -> bool:
    """True when two products are equal within the relative tolerance."""
    return abs(a - b) <= RELATIVE_TOLERANCE * max(abs(a), abs(b))


def better(a: Cost, b: Cost) -> bool:
    """True when cost ``a`` is strictly better than ``b``."""
    if same_product(a[0], b[0]):
        return a[1] < b[1]
    return a[0] > b[0]


class NearestTarget:
    """Best paths along ``successors`` to the nearest member of a target set.

    >>> succ = {"c": ["m1", "m2"], "m1": ["a"], "m2": ["x"], "x": ["a"]}
    >>> pred = {"m1": ["c"], "m2": ["c"], "a": ["m1", "x"], "x": ["m2"]}
    >>> weight = {"m1": 0.5, "m2": 1.0}
    >>> paths = NearestTarget(lambda n: succ.get(n, []), lambda n: pred.get(n, []),
    ...                       lambda n: weight.get(n, 1.0))
    >>> paths.best_path("c", frozenset({"a"}))
    (['c', 'm2', 'x', 'a'], 1.0)
    """

    def __init__(
        self,
        successors: Neighbours,
        predecessors: Neighbours,
        weight: Callable[[str], float] | None = None,
    ):
        """``weight`` None means every node weighs 1: fewest edges, by breadth-first search."""
        self._succ = successors
        self._pred = predecessors
        self._unit = weight is None
        self._weight: Callable[[str], float] = weight or _unit_weight
        self._dist: dict[str, dict[str, Cost]] = {}
        self._cost_fns: dict[frozenset[str], Callable[[str], Cost | None]] = {}

    def distances(self, target: str) -> dict[str, Cost]:
        """Best cost from every node that reaches ``target`` (a reverse Dijkstra search)."""
        found = self._dist.get(target)
        if found is not None:
            return found
        if self._unit:
            self._dist[target] = levels = self._breadth_first(target)
            return levels
        dist: dict[str, Cost] = {target: (1.0, 0)}
        heap: list[tuple[float, int, str]] = [(-1.0, 0, target)]
        pred, weight = self._pred, self._weight
        pop, push, tolerance = heapq.heappop, heapq.heappush, RELATIVE_TOLERANCE
        while heap:
            negative, length, node = pop(heap)
            product = -negative
            if dist[node] != (product, length):
                continue  # a better cost was found after this entry was queued
            length += 1
            for prev in pred(node):
                if prev == target:
                    continue
                candidate = weight(prev) * product
                old = dist.get(prev)
                if old is not None:  # ``better(candidate, old)``, inlined: this is the hot loop
                    if abs(candidate - old[0]) <= tolerance * max(candidate, old[0]):
                        if length >= old[1]:
                            continue
                    elif candidate < old[0]:
                        continue
                dist[prev] = (candidate, length)
                push(heap, (-candidate, length, prev))
        self._dist[target] = dist
        return dist

    def _breadth_first(self, target: str) -> dict[str, Cost]:
        dist: dict[str, Cost] = {target: (1.0, 0)}
        pred, frontier, length = self._pred, [target], 0
        while frontier:
            length += 1
            cost, following = (1.0, length), []
            for node in frontier:
                for prev in pred(node):
                    if prev not in dist:
                        dist[prev] = cost
                        following.append(prev)
            frontier = following
        return dist

    def best_path(
        self,
        start: str,
        targets: Collection[str],
        *,
        first_step_may_end: bool = True,
    ) -> tuple[list[str], float] | None:
        """The best path from ``start`` (not itself a target) and its weight product.

        With ``first_step_may_end`` false, a path of one edge straight into a target does
        not count (a contest path must pass through a mechanism first).
        """
        steps = self._succ(start)
        if not steps or self.cost_to(targets)(start) is None:
            # No target is reachable from ``start`` at all (its cost covers every step, and
            # a target's own table holds it): most pairs end here, with one look-up.
            return None
        if not first_step_may_end and _meets(targets, steps):
            # The shared distances may use that forbidden step after a detour back through
            # ``start``; search again in the graph without ``start`` so paths stay simple.
            def succ(node: str) -> list[str]:
                return [n for n in self._succ(node) if n != start]

            def pred(node: str) -> list[str]:
                return [n for n in self._pred(node) if n != start]

            private = NearestTarget(succ, pred, self._weight)
            return private._walk(start, targets, steps, first_step_may_end)
        return self._walk(start, targets, steps, first_step_may_end)

    def _walk(
        self, start: str, targets: Collection[str], steps: Sequence[str], first_step_may_end: bool
    ) -> tuple[list[str], float] | None:
        cost = self.cost_to(targets)
        first: list[tuple[str, Cost]] = []
        for nxt in steps:
            if nxt == start or (nxt in targets and not first_step_may_end):
                continue
            found = cost(nxt)
            if found is not None:
                first.append((nxt, found))
        if not first:
            return None
        best = first[0][1]
        for _, found in first[1:]:
            if better(found, best):
                best = found
        # Among optimal next steps take the smallest id, and so on: all optimal paths have
        # the same length, so this greedy walk gives the smallest sequence of ids.
        node, need = min(
            (n, found) for n, found in first if not better(best, found) and found[1] == best[1]
        )
        weight, unit = self._weight, self._unit
        path, product = [start, node], weight(start) * need[0]
        while node not in targets:
            want_length = need[1] - 1
            for nxt in self._succ(node):
                found = cost(nxt)
                if found is None or found[1] != want_length:
                    continue
                if unit or same_product(weight(node) * found[0], need[0]):  # unit: products 1
                    node, need = nxt, found
                    break
            else:  # pragma: no cover - distances guarantee a successor on an optimal path
                raise AssertionError(f"lost the optimal path at {node!r}")
            path.append(node)
        return path, product

    def cost_to(self, targets: Collection[str]) -> Callable[[str], Cost | None]:
        """The best cost from a node to any of ``targets`` (``(1.0, 0)`` for a target itself,
        None when it reaches none), as a function of the node, with the per-target tables
        looked up once (and the function kept per target set: many pairs share their
        system's authorities). A start it gives None has no best path: callers with many
        starts rule those out with it, one call each, before :meth:`best_path`."""
        if isinstance(targets, frozenset):
            found = self._cost_fns.get(targets)
            if found is None:
                found = self._cost_fns[targets] = self._make_cost(targets)
            return found
        return self._make_cost(targets)

    def _make_cost(self, targets: Collection[str]) -> Callable[[str], Cost | None]:
        cache = self._dist  # a table always holds its own target, so it is never empty
        tables = [cache.get(target) or self.distances(target) for target in targets]
        if len(tables) == 1:
            return tables[0].get

        tolerance = RELATIVE_TOLERANCE

        def cost(node: str) -> Cost | None:
            best: Cost | None = None
            for table in tables:
                found = table.get(node)
                if found is None:
                    continue
                if best is None:
                    best = found
                # ``better(found, best)``, inlined (products are >= 0): every pair calls this
                elif abs(found[0] - best[0]) <= tolerance * max(found[0], best[0]):
                    if found[1] < best[1]:
                        best = found
                elif found[0] > best[0]:
                    best = found
            return best

        return cost


def _meets(targets: Collection[str], nodes: Iterable[str]) -> bool:
    """Whether any of ``nodes`` is a target (one C call for a set of targets)."""
    if isinstance(targets, frozenset | set):
        return not targets.isdisjoint(nodes)
    return any(n in targets for n in nodes)

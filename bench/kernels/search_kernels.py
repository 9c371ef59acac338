"""The contest search of the analysis as a bare kernel, twice: on string ids and dicts (as the
analysis keeps its graph) and on integer ids and lists (the "arrays" layout), for
``bench/levers.py``. Both are compiled with mypyc the same way as the analysis.

Each runs the reverse best-path search of :class:`graphsvc.analysis.paths.NearestTarget`
(highest product of node weights, then fewest edges) from every target, and returns what it
found as ``(states, total edges, total product)`` so that the two can be checked against each
other. Neither keeps its tables (the analysis does): that favours the integer kernel, which
reuses two flat lists instead of building a dict per target.
"""

from __future__ import annotations

import heapq

TOLERANCE = 1e-9


def search_strings(
    pred: dict[str, list[str]], weight: dict[str, float], targets: list[str]
) -> tuple[int, int, float]:
    states, edges, products = 0, 0, 0.0
    empty: list[str] = []
    for target in targets:
        dist: dict[str, tuple[float, int]] = {target: (1.0, 0)}
        heap: list[tuple[float, int, str]] = [(-1.0, 0, target)]
        while heap:
            negative, length, node = heapq.heappop(heap)
            product = -negative
            if dist[node] != (product, length):
                continue
            length += 1
            for prev in pred.get(node, empty):
                if prev == target:
                    continue
                candidate = weight.get(prev, 1.0) * product
                old = dist.get(prev)
                if old is not None:
                    if abs(candidate - old[0]) <= TOLERANCE * max(candidate, old[0]):
                        if length >= old[1]:
                            continue
                    elif candidate < old[0]:
                        continue
                dist[prev] = (candidate, length)
                heapq.heappush(heap, (-candidate, length, prev))
        for product, length in dist.values():
            states += 1
            edges += length
            products += product
    return states, edges, products


def search_integers(
    pred: list[list[int]], weight: list[float], targets: list[int]
) -> tuple[int, int, float]:
    states, edges, products = 0, 0, 0.0
    best: list[float] = [-1.0] * len(pred)  # -1: not reached from the current target
    steps: list[int] = [0] * len(pred)
    for target in targets:
        reached = [target]
        best[target], steps[target] = 1.0, 0
        heap: list[tuple[float, int, int]] = [(-1.0, 0, target)]
        while heap:
            negative, length, node = heapq.heappop(heap)
            product = -negative
            if best[node] != product or steps[node] != length:
                continue
            length += 1
            for prev in pred[node]:
                if prev == target:
                    continue
                candidate = weight[prev] * product
                old = best[prev]
                if old >= 0.0:
                    if abs(candidate - old) <= TOLERANCE * max(candidate, old):
                        if length >= steps[prev]:
                            continue
                    elif candidate < old:
                        continue
                else:
                    reached.append(prev)
                best[prev], steps[prev] = candidate, length
                heapq.heappush(heap, (-candidate, length, prev))
        for node in reached:
            states += 1
            edges += steps[node]
            products += best[node]
            best[node] = -1.0
    return states, edges, products

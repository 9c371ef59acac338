"""Set cover: the fewest candidate sets whose union covers a universe.

Greedy (take the set covering most still-uncovered elements; ties to the earlier candidate)
is within a factor H(n) ≈ ln n + 1 of optimal and exact on most small cases; the exhaustive
search is for tests and for measuring that gap on small instances.
"""

from __future__ import annotations

import heapq
from collections.abc import Hashable, Mapping, Sequence, Set
from itertools import combinations
from typing import TypeVar, cast

K = TypeVar("K", bound=Hashable)
# Up to this many candidates, rescanning them all each round beats the lazy heap: no tuples
# to build. Past it the heap's O(n log n) wins (measured: crossover near 100 candidates;
# a stakeholder's instance has about 5 per system, 10-30 in the generated maps).
SCAN_LIMIT = 64
T = TypeVar("T", bound=Hashable)


def greedy_cover(universe: Set[T], candidates: Mapping[K, Set[T]]) -> list[K] | None:
    """Chosen candidates in the order picked; None when the candidates cannot cover.

    Candidates are tried in their mapping order, so put preferred ones first.

    >>> greedy_cover({1, 2, 3}, {"a": {1}, "b": {1, 2}, "c": {3}})
    ['b', 'c']
    """
    # Elements become bits, so a gain is one AND and a popcount instead of a set built.
    bit = {element: 1 << i for i, element in enumerate(universe)}
    masks: dict[K, int] = {}
    for key, covered in candidates.items():
        mask = 0
        for element in covered:
            mask |= bit.get(element, 0)
        masks[key] = mask
    return greedy_cover_bits(len(bit), masks)


def greedy_cover_bits(size: int, candidates: Mapping[K, int]) -> list[K] | None:
    """:func:`greedy_cover` of the universe ``{0, ..., size - 1}`` with each candidate's set
    given as a bit mask (for callers that build the masks as they go)."""
    if size == 1:  # the common case: the first candidate that covers it
        return next(([key] for key, mask in candidates.items() if mask), None)
    if len(candidates) <= SCAN_LIMIT:
        return _scanning_greedy(size, candidates)
    keys = [key for key, mask in candidates.items() if mask]
    masks = [mask for mask in candidates.values() if mask]
    # Lazy greedy: gains only fall as elements get covered, so a candidate whose fresh gain
    # still beats every other's last-known gain (ties to the earlier one) is the greedy pick.
    left = (1 << size) - 1
    heap = [(-mask.bit_count(), i) for i, mask in enumerate(masks)]
    heapq.heapify(heap)
    chosen: list[K] = []
    while left:
        if not heap:
            return None
        _, i = heapq.heappop(heap)
        fresh = (-(masks[i] & left).bit_count(), i)
        if fresh[0] == 0:
            continue
        if heap and fresh > heap[0]:
            heapq.heappush(heap, fresh)
            continue
        chosen.append(keys[i])
        left &= ~masks[i]
    return chosen


def _scanning_greedy(size: int, candidates: Mapping[K, int]) -> list[K] | None:
    """The textbook greedy: every round rescans every candidate (first one on ties)."""
    left = (1 << size) - 1
    chosen: list[K] = []
    while left:
        gain, best, best_mask = 0, None, 0
        for key, mask in candidates.items():
            covers = (mask & left).bit_count()
            if covers > gain:
                gain, best, best_mask = covers, key, mask
        if not gain:
            return None
        chosen.append(cast(K, best))
        left &= ~best_mask
    return chosen


def exact_cover(universe: Set[T], candidates: Mapping[K, Set[T]]) -> list[K] | None:
    """A smallest cover by exhaustive search (exponential: small instances only).

    >>> exact_cover({1, 2, 3, 4, 5, 6}, {"a": {1, 2, 3, 4}, "b": {1, 3, 5}, "c": {2, 4, 6},
    ...                                   "d": {5}, "e": {6}})
    ['b', 'c']
    """
    if not universe:
        return []
    keys: Sequence[K] = [k for k, covered in candidates.items() if covered & universe]
    for size in range(1, len(keys) + 1):
        for combo in combinations(keys, size):
            if set().union(*(candidates[k] for k in combo)) >= universe:
                return list(combo)
    return None

"""The naive baseline of bench/analysis.py: one breadth-first search per (system, stakeholder).

What a first implementation would do (the idea of tests/reference.py, but breadth-first so it
finishes on large maps): for every AFFECTS pair, work out the system's authorities, then search
from the stakeholder along the contest traversal for the nearest authority behind a mechanism
(contest status and a shortest contest path), then search again along the feedback traversal
for the system or a developer (feedback loop). Nothing is shared between pairs.

It computes *less* than graphsvc's analysis (fewest edges instead of the best accessibility;
no coverage, dominators, salience, power or recommendations), which flatters the baseline.
Adjacency lists are built once, as any implementation would.
"""

from __future__ import annotations

import time
from collections import deque
from typing import Any

CONTEST_FORWARD = {"CAN_CONTEST_VIA", "HANDLED_BY"}
FEEDBACK_FORWARD = {"CAN_CONTEST_VIA", "HANDLED_BY", "FEEDS_BACK_TO"}
BACKWARD = {"REPRESENTS"}


class Baseline:
    """Adjacency of one map, and the per-pair searches."""

    def __init__(self, m: Any) -> None:
        self.kind = {n.id: n.kind for n in m.nodes}
        self.contest: dict[str, list[str]] = {}
        self.feedback: dict[str, list[str]] = {}
        self.pred: dict[tuple[str, str], list[tuple[str, Any]]] = {}
        self.pairs: list[tuple[str, str]] = []
        self.visited = 0  # search states reached, summed over every search (the work per pair)
        for e in m.edges:
            if e.kind in CONTEST_FORWARD:
                self.contest.setdefault(e.from_, []).append(e.to)
            if e.kind in FEEDBACK_FORWARD:
                self.feedback.setdefault(e.from_, []).append(e.to)
            if e.kind in BACKWARD:
                self.contest.setdefault(e.to, []).append(e.from_)
                self.feedback.setdefault(e.to, []).append(e.from_)
            self.pred.setdefault((e.kind, e.to), []).append((e.from_, e))
            if e.kind == "AFFECTS":
                self.pairs.append((e.from_, e.to))

    def authorities(self, system: str) -> set[str]:
        found = {src for src, _ in self.pred.get(("DEPLOYS", system), ())}
        found |= {src for src, _ in self.pred.get(("DEVELOPS", system), ())}
        found |= {
            src
            for src, e in self.pred.get(("OPERATES", system), ())
            if getattr(e, "can_override", False)
        }
        frontier = [system, *found]
        while frontier:
            node = frontier.pop()
            for body, e in self.pred.get(("OVERSEES", node), ()):
                if getattr(e, "authority", None) == "BINDING" and body not in found:
                    found.add(body)
                    frontier.append(body)
        return found

    def contest_status(self, system: str, stakeholder: str) -> tuple[str, list[str] | None]:
        """NONE / NO_AUTHORITY / PATH and a shortest contest path (BFS over (node, via mech))."""
        targets = self.authorities(system) - {stakeholder}
        start = (stakeholder, False)
        parent: dict[tuple[str, bool], tuple[str, bool] | None] = {start: None}
        queue = deque([start])
        any_mechanism = False
        while queue:
            state = queue.popleft()
            node, via = state
            for nxt in self.contest.get(node, ()):
                if nxt == stakeholder:
                    continue
                is_mech = self.kind[nxt] == "Mechanism"
                any_mechanism = any_mechanism or is_mech
                new = (nxt, via or is_mech)
                if new in parent:
                    continue
                parent[new] = state
                if nxt in targets:
                    if new[1]:
                        path = [nxt]
                        back = parent[new]
                        while back is not None:
                            path.append(back[0])
                            back = parent[back]
                        self.visited += len(parent)
                        return "PATH", path[::-1]
                    continue  # a contest path ends at the first authority it reaches
                queue.append(new)
        self.visited += len(parent)
        return ("NO_AUTHORITY" if any_mechanism else "NONE"), None

    def feedback_loop(self, system: str, stakeholder: str) -> bool:
        targets = {system} | {src for src, _ in self.pred.get(("DEVELOPS", system), ())}
        seen = {stakeholder}
        queue = deque([stakeholder])
        while queue:
            for nxt in self.feedback.get(queue.popleft(), ()):
                if nxt in targets:
                    self.visited += len(seen)
                    return True
                if nxt not in seen:
                    seen.add(nxt)
                    queue.append(nxt)
        self.visited += len(seen)
        return False


def run_baseline(m: Any, deadline_s: float | None = None) -> dict[str, Any]:
    """Every pair once; stops at the deadline and extrapolates from the pairs done."""
    start = time.perf_counter()
    b = Baseline(m)
    statuses: dict[str, int] = {}
    done = 0
    for system, stakeholder in b.pairs:
        status, _ = b.contest_status(system, stakeholder)
        b.feedback_loop(system, stakeholder)
        statuses[status] = statuses.get(status, 0) + 1
        done += 1
        if deadline_s is not None and done % 64 == 0 and time.perf_counter() - start > deadline_s:
            break
    elapsed = time.perf_counter() - start
    total = len(b.pairs)
    finished = done == total
    return {
        "pairs": total,
        "pairs_done": done,
        "finished": finished,
        "seconds": elapsed,
        # A straight-line extrapolation from the pairs searched (said so wherever shown).
        "seconds_estimated": elapsed if finished or done == 0 else elapsed * total / done,
        "statuses": statuses,
        # Why a per-pair search is cheap here: how much of the map one search reaches.
        "states_per_search": b.visited / (2 * done) if done else None,
    }

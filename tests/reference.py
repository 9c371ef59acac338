"""Brute-force references for the analyses: exhaustive simple-path search per pair.

Deliberately naive and independent of graphsvc.analysis, so property tests can compare.
"""

from __future__ import annotations

from typing import Any

from graphsvc.domain.model import StakeholderMap


def _adjacency(m: StakeholderMap, forward: set[str], backward: set[str]) -> dict[str, set[str]]:
    succ: dict[str, set[str]] = {n.id: set() for n in m.nodes}
    for e in m.edges:
        if e.kind in forward:
            succ[e.from_].add(e.to)
        if e.kind in backward:
            succ[e.to].add(e.from_)
    return succ


def authorities(m: StakeholderMap, system: str) -> set[str]:
    found = set()
    for e in m.edges:
        if e.to == system and e.kind in {"DEPLOYS", "DEVELOPS"}:
            found.add(e.from_)
        if e.to == system and e.kind == "OPERATES" and getattr(e, "can_override", False):
            found.add(e.from_)
    changed = True
    while changed:
        changed = False
        for e in m.edges:
            binding = e.kind == "OVERSEES" and getattr(e, "authority", None) == "BINDING"
            if binding and (e.to == system or e.to in found) and e.from_ not in found:
                found.add(e.from_)
                changed = True
    return found


def _simple_paths(succ: dict[str, set[str]], start: str, stop: set[str]) -> list[list[str]]:
    """Every simple path of ≥1 edge from start that ends at the first node of ``stop``."""
    out: list[list[str]] = []

    def walk(path: list[str]) -> None:
        for nxt in sorted(succ[path[-1]]):
            if nxt in path:
                continue
            if nxt in stop:
                out.append([*path, nxt])
            else:
                walk([*path, nxt])

    walk([start])
    return out


def contest_reference(m: StakeholderMap) -> dict[tuple[str, str], dict[str, Any]]:
    kinds = {n.id: n.kind for n in m.nodes}
    access = {n.id: (getattr(n, "accessibility", None)) for n in m.nodes}
    succ = _adjacency(m, {"CAN_CONTEST_VIA", "HANDLED_BY"}, {"REPRESENTS"})
    out = {}
    for e in m.edges:
        if e.kind != "AFFECTS":
            continue
        system, stakeholder = e.from_, e.to
        targets = authorities(m, system) - {stakeholder}
        reach, stack = set(), [stakeholder]
        while stack:
            for nxt in succ[stack.pop()]:
                if nxt not in reach:
                    reach.add(nxt)
                    stack.append(nxt)
        if not any(kinds[n] == "Mechanism" for n in reach):
            out[(system, stakeholder)] = {"status": "NONE", "path": None, "accessibility": None}
            continue
        paths = [
            p
            for p in _simple_paths(succ, stakeholder, targets)
            if any(kinds[n] == "Mechanism" for n in p)
        ]
        if not paths:
            out[(system, stakeholder)] = {
                "status": "NO_AUTHORITY",
                "path": None,
                "accessibility": None,
            }
            continue

        def product(path: list[str]) -> float:
            result = 1.0
            for n in path:
                if kinds[n] == "Mechanism" and access[n] is not None:
                    result *= access[n]
            return result

        best = min(paths, key=lambda p: (-product(p), len(p), p))
        out[(system, stakeholder)] = {
            "status": "PATH",
            "path": best,
            "accessibility": product(best),
        }
    return out


def feedback_reference(m: StakeholderMap) -> dict[tuple[str, str], list[str] | None]:
    succ = _adjacency(m, {"CAN_CONTEST_VIA", "HANDLED_BY", "FEEDS_BACK_TO"}, {"REPRESENTS"})
    out = {}
    for e in m.edges:
        if e.kind != "AFFECTS":
            continue
        targets = {e.from_} | {d.from_ for d in m.edges if d.kind == "DEVELOPS" and d.to == e.from_}
        paths = _simple_paths(succ, e.to, targets)
        out[(e.from_, e.to)] = min(paths, key=lambda p: (len(p), p)) if paths else None
    return out

"""Synthetic maps of realistic shape, for benchmarks and scale tests (``graphsvc generate``).

The mix follows the seed maps: many systems sharing a few deployers (a Zipf-like pool), most
communities affected by several systems, some with channels and some without, appeal desks
handled by deployers or by advisory ombudsmen, escalation chains, binding and advisory
oversight, incentives on deployers and operators, and mechanisms whose capacity is sometimes
far below their load. About four edges per node. Deterministic for a given seed.
"""

from __future__ import annotations

import random
from typing import Any

# Share of nodes per kind (sums to 1).
MIX = {
    "AISystem": 0.08,
    "Organization": 0.08,
    "UserGroup": 0.08,
    "AffectedCommunity": 0.42,
    "OversightBody": 0.02,
    "Mechanism": 0.27,
    "Incentive": 0.05,
}
PREFIX = {
    "AISystem": "sys",
    "Organization": "org",
    "UserGroup": "ops",
    "AffectedCommunity": "com",
    "OversightBody": "body",
    "Mechanism": "mech",
    "Incentive": "inc",
}


def generate_map_data(nodes: int, seed: int = 0, map_id: str | None = None) -> dict[str, Any]:
    """Plain map-file data with about ``nodes`` nodes and four edges per node.

    >>> data = generate_map_data(200, seed=1)
    >>> len(data["nodes"]), 3 * len(data["nodes"]) < len(data["edges"]) < 5 * len(data["nodes"])
    (200, True)
    """
    rng = random.Random(seed)
    counts = {kind: max(1, round(nodes * share)) for kind, share in MIX.items()}
    counts["AffectedCommunity"] += nodes - sum(counts.values())
    ids = {kind: [f"{PREFIX[kind]}-{i}" for i in range(n)] for kind, n in counts.items()}
    out_nodes: list[dict[str, Any]] = []
    edges: dict[tuple[str, str, str], dict[str, Any]] = {}

    def add(source: str, kind: str, target: str, **fields: Any) -> None:
        edges.setdefault(
            (source, kind, target), {"from": source, "to": target, "kind": kind, **fields}
        )

    orgs = ids["Organization"]
    # A few big deployers take most systems: weights fall off like 1/rank.
    cumulative, total = [], 0.0
    for rank in range(len(orgs)):
        total += 1.0 / (rank + 1)
        cumulative.append(total)

    def big_org() -> str:
        return rng.choices(orgs, cum_weights=cumulative)[0]

    advocates = orgs[len(orgs) // 2 :]
    bodies = ids["OversightBody"]
    groups = ids["UserGroup"]
    communities = ids["AffectedCommunity"]
    mechanisms = ids["Mechanism"]
    levels = ["LOW", "MEDIUM", "HIGH", "CRITICAL"]

    for i, sys_id in enumerate(ids["AISystem"]):
        out_nodes.append(
            {
                "id": sys_id,
                "kind": "AISystem",
                "name": f"System {i}",
                "stakes": rng.choice(levels),
                "automationLevel": rng.choice(
                    ["ADVISORY", "HUMAN_IN_THE_LOOP", "HUMAN_ON_THE_LOOP", "FULLY_AUTOMATED"]
                ),
                "errorRate": round(rng.uniform(0.005, 0.15), 4),
            }
        )
        deployer = big_org()
        add(deployer, "DEPLOYS", sys_id)
        add(big_org(), "DEVELOPS", sys_id)
        operators = rng.sample(groups, min(len(groups), 1 + (rng.random() < 0.5)))
        for group in operators:
            add(group, "OPERATES", sys_id, canOverride=rng.random() < 0.3)
            if rng.random() < 0.5:  # operators who report errors back
                add(group, "FEEDS_BACK_TO", sys_id)
        if rng.random() < 0.3:  # caseworkers and moderators are affected too
            add(sys_id, "AFFECTS", operators[0], severity=rng.choice(levels))
        for community in rng.sample(communities, min(len(communities), rng.randint(15, 30))):
            add(
                sys_id,
                "AFFECTS",
                community,
                severity=rng.choice(levels),
                volumePerMonth=rng.choice([100, 1_000, 10_000, 50_000]),
            )
    for i, org in enumerate(orgs):
        node: dict[str, Any] = {"id": org, "kind": "Organization", "name": f"Organization {i}"}
        node["sector"] = rng.choice(["PUBLIC", "PRIVATE", "NONPROFIT"])
        out_nodes.append(node)
        if rng.random() < 0.7:
            add(org, "ACCOUNTABLE_TO", rng.choice(bodies))
        if rng.random() < 0.2:
            add(org, "FUNDS", rng.choice(bodies))
        add(org, "EMPLOYS", rng.choice(groups))
    for i, group in enumerate(groups):
        out_nodes.append({"id": group, "kind": "UserGroup", "name": f"Operators {i}"})
    for i, community in enumerate(communities):
        out_nodes.append(
            {
                "id": community,
                "kind": "AffectedCommunity",
                "name": f"Community {i}",
                "vulnerability": rng.choice(["LOW", "MEDIUM", "HIGH"]),
            }
        )
        roll = rng.random()
        if roll < 0.6:
            for mech in rng.sample(mechanisms, min(len(mechanisms), rng.randint(1, 4))):
                add(community, "CAN_CONTEST_VIA", mech)
            if rng.random() < 0.2:
                add(rng.choice(advocates), "REPRESENTS", community)
        elif roll < 0.70:
            add(rng.choice(advocates), "REPRESENTS", community)
        # else: no channel at all
        if rng.random() < 0.2:
            add(community, "PARTICIPATES_IN", rng.choice(ids["AISystem"]))
    for i, body in enumerate(bodies):
        kind = rng.choice(["REGULATOR", "OMBUDSMAN", "COURT", "AUDITOR"])
        out_nodes.append(
            {"id": body, "kind": "OversightBody", "name": f"Body {i}", "bodyType": kind}
        )
        for org in rng.sample(orgs, min(len(orgs), 5)):
            add(body, "OVERSEES", org, authority="BINDING" if kind == "COURT" else "ADVISORY")
    for i, mech in enumerate(mechanisms):
        out_nodes.append(
            {
                "id": mech,
                "kind": "Mechanism",
                "name": f"Mechanism {i}",
                "mechanismType": rng.choice(["APPEAL", "COMPLAINT", "HUMAN_REVIEW", "ESCALATION"]),
                "capacityPerMonth": rng.choice([10, 100, 1_000, 10_000]),
                "accessibility": rng.choice([0.2, 0.5, 0.8, 1.0]),
            }
        )
        roll = rng.random()
        if roll < 0.6:
            add(mech, "HANDLED_BY", big_org())
        elif roll < 0.8:
            add(mech, "HANDLED_BY", rng.choice(bodies))
        elif i > 0:
            add(mech, "HANDLED_BY", mechanisms[rng.randrange(i)])  # escalation, acyclic
        if i > 0 and roll < 0.8 and rng.random() < 0.4:
            add(mech, "HANDLED_BY", mechanisms[rng.randrange(i)])  # and a second tier
        if rng.random() < 0.7:
            add(mech, "FEEDS_BACK_TO", big_org())
        if rng.random() < 0.4:
            add(rng.choice(advocates), "CAN_CONTEST_VIA", mech)
    pressured = orgs + groups  # built once: concatenating per incentive is quadratic
    for i, incentive in enumerate(ids["Incentive"]):
        out_nodes.append(
            {
                "id": incentive,
                "kind": "Incentive",
                "name": f"Incentive {i}",
                "polarity": rng.choice(["TOWARD_SAFETY", "AGAINST_SAFETY", "MIXED"]),
                "strength": rng.choice([0.2, 0.5, 0.9]),
            }
        )
        add(incentive, "INCENTIVIZES", rng.choice(pressured))
    return {
        "map": {
            "id": map_id or f"synthetic-{nodes}-{seed}",
            "title": f"Synthetic map ({nodes} nodes, seed {seed})",
        },
        "sources": [],
        "nodes": out_nodes,
        "edges": list(edges.values()),
    }

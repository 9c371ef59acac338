"""Small maps for API tests."""

from __future__ import annotations

from graphsvc.domain.model import StakeholderMap
from tests.factories import build_map, edge, node


def small_map(map_id: str = "small") -> StakeholderMap:
    """One system, its deployer, two communities (one can contest), a mechanism."""
    return build_map(
        [
            node("s1", stakes="HIGH", errorRate=0.1),
            node("o1"),
            node("c1", population=1000),
            node("c2", tags=["vulnerable"]),
            node("m1", capacityPerMonth=10, accessibility=0.5),
        ],
        [
            edge("o1", "DEPLOYS", "s1"),
            edge("s1", "AFFECTS", "c1", contestsPerMonth=20),
            edge("s1", "AFFECTS", "c2"),
            edge("c1", "CAN_CONTEST_VIA", "m1"),
            edge("m1", "HANDLED_BY", "o1"),
        ],
        map_id=map_id,
    )

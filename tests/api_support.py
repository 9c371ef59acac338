"""Helpers for API tests: a small map and the check of the one error shape."""

from __future__ import annotations

import json
from typing import Any

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


#: The stable error codes of docs/API.md (INTERNAL: a bug, never expected from a request).
ERROR_CODES = {
    "NOT_FOUND",
    "INVALID_INPUT",
    "CONFLICT",
    "UNAUTHENTICATED",
    "FORBIDDEN",
    "STORE_UNAVAILABLE",
    "LIMIT_EXCEEDED",
    "INTERNAL",
}


def assert_error_shape(error: dict[str, Any]) -> None:
    """The documented shape: a message and a stable code, problems with paths if any."""
    assert isinstance(error["message"], str) and error["message"]
    code = error["extensions"]["code"]
    assert code in ERROR_CODES
    for problem in error["extensions"].get("problems", []):
        assert isinstance(problem["message"], str) and isinstance(problem["path"], str)
    assert "Traceback" not in json.dumps(error)

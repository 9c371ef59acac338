"""The JSON Schema of map files, generated from the models (``schema/map.schema.json``).

Regenerate with ``python -m graphsvc.domain.schema > schema/map.schema.json``; a test fails
when the committed file drifts from the models.
"""

from __future__ import annotations

import json
from typing import Any

from graphsvc.domain.model import SLUG_PATTERN, StakeholderMap


def map_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a map file."""
    schema = StakeholderMap.model_json_schema(by_alias=True, mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://graphsvc.dev/schema/map.schema.json",
        "title": "graphsvc stakeholder map",
        "description": (
            "A stakeholder map file (YAML or JSON). Ids are slugs matching "
            f"{SLUG_PATTERN}; edge ids default to FROM--KIND--TO. Rules that span the "
            "document (unique ids, references, allowed endpoints) are checked by graphsvc."
        ),
        **{k: v for k, v in schema.items() if k not in {"title", "description"}},
    }


def render() -> str:
    return json.dumps(map_json_schema(), indent=2, sort_keys=True) + "\n"


if __name__ == "__main__":
    print(render(), end="")

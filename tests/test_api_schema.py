"""The schema as an artefact: no drift from schema/schema.graphql, types that mirror the
domain, and the example operations of queries/*.graphql run against the demo maps."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from graphsvc.api.graphql.enums import NodeKindValue
from graphsvc.api.graphql.inputs import EdgeInput, NodeInput
from graphsvc.api.graphql.types import NODE_TYPES, MapEdge
from graphsvc.api.schema_export import DEFAULT_PATH, schema_sdl
from graphsvc.domain.kinds import NodeKind
from graphsvc.domain.model import EDGE_MODELS, NODE_MODELS

if TYPE_CHECKING:
    from tests.api_fixtures import Client

pytest_plugins = ["tests.api_fixtures"]

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "queries").glob("*.graphql"))


def test_schema_file_matches_the_code() -> None:
    assert DEFAULT_PATH.read_text(encoding="utf-8") == schema_sdl(), (
        "schema/schema.graphql is stale: run `python -m graphsvc.api.schema_export`"
    )


def test_spec_operations_are_in_the_schema() -> None:
    sdl = schema_sdl()
    for name in (
        "maps:", "map(", "node(", "nodes(", "edges(", "neighborhood(", "impactPaths(",
        "analysis(", "scenario(", "importMap(", "deleteMap(", "upsertNode(", "deleteNode(",
        "upsertEdge(", "deleteEdge(",
    ):  # fmt: skip
        assert f"  {name}" in sdl, name


def test_node_kinds_mirror_the_domain() -> None:
    assert [k.value for k in NodeKindValue] == [k.value for k in NodeKind]
    assert set(NODE_TYPES) == {k.value for k in NodeKind}


def _graphql_fields(cls: type) -> set[str]:
    definition = cls.__strawberry_definition__  # type: ignore[attr-defined]
    return {f.python_name for f in definition.fields}


@pytest.mark.parametrize("kind", list(NodeKind))
def test_node_types_and_input_have_every_model_field(kind: NodeKind) -> None:
    model_fields = set(NODE_MODELS[kind].model_fields)
    assert model_fields <= _graphql_fields(NODE_TYPES[kind.value])
    assert model_fields <= _graphql_fields(NodeInput)


def test_edge_type_and_input_have_every_model_field() -> None:
    fields = set().union(*(m.model_fields for m in EDGE_MODELS.values()))
    renamed = {"from_": "from_id", "to": "to_id"}
    assert {renamed.get(f, f) for f in fields} <= _graphql_fields(MapEdge)
    assert fields <= _graphql_fields(EdgeInput)


def _variables(path: Path) -> dict[str, object]:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# variables:"):
            loaded: dict[str, object] = json.loads(line.removeprefix("# variables:"))
            return loaded
    raise AssertionError(f"{path.name} has no '# variables:' line")


@pytest.mark.anyio
@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
async def test_example_operation_runs_on_the_demo_maps(
    client: Client, demo: list[str], path: Path
) -> None:
    assert "content-moderation" in demo
    data = await client.data(path.read_text(encoding="utf-8"), _variables(path))
    assert data and all(value is not None for value in data.values())


def test_every_spec_operation_has_an_example() -> None:
    text = "\n".join(p.read_text(encoding="utf-8") for p in EXAMPLES)
    for name in (
        "maps", "nodes(", "node(", "neighborhood(", "impactPaths(", "analysis(", "scenario(",
        "importMap(", "upsertNode(", "upsertEdge(", "deleteNode(", "deleteEdge(",
    ):  # fmt: skip
        assert name in text, name

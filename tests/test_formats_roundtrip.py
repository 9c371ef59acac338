"""Every re-importable format gives back an equal map: on the seeds and on generated maps."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from graphsvc.domain.kinds import ENDPOINTS
from graphsvc.domain.mapfile import load_map_file
from graphsvc.domain.model import StakeholderMap
from graphsvc.formats import EXPORT_FORMATS, IMPORT_FORMATS, export_map, load_map_path
from graphsvc.formats.csv import export_csv, load_csv_files
from graphsvc.formats.fields import EDGE_FIELDS, NODE_FIELDS
from graphsvc.formats.graphml import export_graphml, load_graphml
from tests.conftest import SEEDS
from tests.factories import build_map

SEED_FILES = sorted(SEEDS.glob("*.yaml"))
LIMITS = {"max_bytes": 10_000_000, "max_alias_values": 10_000}


def through_graphml(m: StakeholderMap) -> StakeholderMap:
    return load_graphml(export_graphml(m).encode("utf-8"), file="m.graphml")


def through_csv(m: StakeholderMap) -> StakeholderMap:
    return load_csv_files(export_csv(m), where="m")


@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda p: p.stem)
@pytest.mark.parametrize("fmt", sorted(set(IMPORT_FORMATS)))
def test_seed_round_trips_through_files(seed: Path, fmt: str, tmp_path: Path) -> None:
    m = load_map_file(seed)
    target = tmp_path / ("folder" if fmt == "csv" else f"map.{fmt}")
    export_map(m, fmt).write(target)
    assert load_map_path(target, **LIMITS) == m


def test_csv_zip_round_trips(tmp_path: Path) -> None:
    m = load_map_file(SEED_FILES[0])
    target = tmp_path / "map.zip"
    export_map(m, "csv").write(target)
    assert load_map_path(target, **LIMITS) == m


def test_every_field_of_every_kind_survives() -> None:
    nodes: list[dict[str, Any]] = []
    for spec in NODE_FIELDS:
        for kind in spec.kinds:
            value = _example(spec.type, spec.choices)
            nodes.append({"id": f"{kind.lower()}-{spec.name.lower()}", "kind": kind, "name": "n",
                          spec.name: value})  # fmt: skip
    by_kind = {n["kind"]: n["id"] for n in nodes}
    edges = []
    for edge_kind, (froms, tos) in ENDPOINTS.items():
        source = by_kind[sorted(froms)[0]]
        target = by_kind[sorted(tos)[-1]]
        edge: dict[str, Any] = {"from": source, "to": target, "kind": str(edge_kind)}
        for spec in EDGE_FIELDS:
            if str(edge_kind) in spec.kinds:
                edge[spec.name] = _example(spec.type, spec.choices)
        edges.append(edge)
    m = build_map(nodes, edges)
    assert through_graphml(m) == m
    assert through_csv(m) == m


def _example(value_type: str, choices: tuple[str, ...]) -> Any:
    return {"text": "text, with; punctuation\nand a line", "integer": 7, "number": 0.25,
            "boolean": True}.get(value_type, choices[-1] if choices else None)  # fmt: skip


# --- generated maps ---------------------------------------------------------------------------

# Characters XML 1.0 can hold (no other control characters) and CSV cells can hold.
TEXT = st.text(
    st.one_of(
        st.characters(
            min_codepoint=0x20, blacklist_categories=("Cs",), blacklist_characters="\ufffe\uffff"
        ),
        st.sampled_from("\t\n\r"),
    ),
    max_size=20,
)
NON_BLANK = TEXT.filter(lambda t: t.strip() != "")
TAG = NON_BLANK.filter(lambda t: ";" not in t and t == t.strip())
SCALAR = st.one_of(
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    TEXT,
)
ATTRIBUTES = st.dictionaries(st.sampled_from(["a", "b", "count", "note:text"]), SCALAR, max_size=3)


@st.composite
def generated_maps(draw: Any) -> StakeholderMap:
    kinds = ["AISystem", "Organization", "AffectedCommunity", "Mechanism", "OversightBody"]
    nodes = []
    for i in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(kinds))
        node: dict[str, Any] = {"id": f"n{i}", "kind": kind, "name": draw(NON_BLANK)}
        if draw(st.booleans()):
            node["description"] = draw(NON_BLANK)
        node["tags"] = draw(st.lists(TAG, max_size=2, unique=True))
        node["attributes"] = draw(ATTRIBUTES)
        if kind == "Mechanism":
            node["capacityPerMonth"] = draw(st.one_of(st.integers(0, 10**6), st.floats(0, 1e6)))
            node["accessibility"] = draw(st.floats(0, 1))
        if kind == "AISystem":
            node["stakes"] = draw(st.sampled_from(["LOW", "HIGH"]))
        nodes.append(node)
    edges = []
    for a, b in draw(
        st.lists(st.tuples(st.sampled_from(nodes), st.sampled_from(nodes)), max_size=6)
    ):
        for edge_kind, (froms, tos) in ENDPOINTS.items():
            if a["kind"] in froms and b["kind"] in tos and a is not b:
                edge = {"from": a["id"], "to": b["id"], "kind": str(edge_kind)}
                edge["attributes"] = draw(ATTRIBUTES)
                if not any((e["from"], e["to"], e["kind"]) == (a["id"], b["id"], str(edge_kind))
                           for e in edges):  # fmt: skip
                    edges.append(edge)
                break
    return build_map(nodes, edges)


@given(generated_maps())
def test_generated_maps_round_trip_through_graphml(m: StakeholderMap) -> None:
    assert through_graphml(m) == m


@given(generated_maps())
def test_generated_maps_round_trip_through_csv(m: StakeholderMap) -> None:
    assert through_csv(m) == m


def test_format_lists_match_the_cli() -> None:
    from graphsvc.cli.maps import ExportFormat, ImportFormat

    assert tuple(f.value for f in ExportFormat) == EXPORT_FORMATS
    assert tuple(f.value for f in ImportFormat) == IMPORT_FORMATS

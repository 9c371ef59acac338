"""Map files: parsing, every error with file/line/value at once, limits, and round trips."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from graphsvc.domain.mapfile import dump_map, load_map_file, load_map_text
from graphsvc.domain.schema import render
from graphsvc.errors import InvalidInput, Problem
from tests.conftest import ROOT
from tests.test_contest_properties import random_maps

GOOD = textwrap.dedent(
    """\
    map: {id: demo, title: Demo}
    sources:
      - {id: dsa, title: Digital Services Act, url: "https://eur-lex.europa.eu/eli/reg/2022/2065/oj", date: 2022-10-19}
    nodes:
      - {id: platform, kind: Organization, name: Platform, sector: PRIVATE, sources: [dsa]}
      - {id: classifier, kind: AISystem, name: Classifier, stakes: HIGH, errorRate: 0.05}
      - {id: creators, kind: AffectedCommunity, name: Creators, population: 1000}
    edges:
      - {from: platform, to: classifier, kind: DEPLOYS}
      - {from: classifier, to: creators, kind: AFFECTS, volumePerMonth: 100}
    """
)


def problems_of(text: str, fmt: str = "yaml") -> list[Problem]:
    with pytest.raises(InvalidInput) as caught:
        load_map_text(text, file=f"m.{fmt}", fmt=fmt)  # type: ignore[arg-type]
    return list(caught.value.problems)


def test_a_good_file_loads_with_dates_as_text_and_derived_edge_ids() -> None:
    m = load_map_text(GOOD, file="m.yaml")
    assert m.id == "demo"
    assert m.sources[0].date == "2022-10-19"
    assert [e.id for e in m.edges] == [
        "platform--DEPLOYS--classifier",
        "classifier--AFFECTS--creators",
    ]


@pytest.mark.parametrize(
    ("line_text", "line", "path", "fragment"),
    [
        ("  - {id: x, kind: Robot, name: X}", 8, "nodes[3]", "unknown kind 'Robot'"),
        ("  - {id: x, kind: Organization, name: X, colour: red}", 8, "nodes[3].colour", "unknown key"),
        ("  - {id: x, kind: AISystem, name: X, errorRate: 1.5}", 8, "nodes[3].errorRate", "less than or equal to 1"),
        ("  - {id: x, kind: Mechanism, name: X, capacityPerMonth: -1}", 8, "nodes[3].capacityPerMonth", "greater than or equal to 0"),
        ("  - {id: Bad Id, kind: Organization, name: X}", 8, "nodes[3].id", "not a valid id"),
        ("  - {id: platform, kind: Organization, name: Again}", 8, "nodes[3].id", "duplicate id 'platform'"),
        ("  - {id: x, kind: Organization}", 8, "nodes[3].name", "missing required field 'name'"),
        ("  - {id: x, kind: Organization, name: X, sources: [nope]}", 8, "nodes[3].sources[0]", "unknown source 'nope'"),
    ],
)  # fmt: skip
def test_each_bad_node_is_reported_with_its_line_and_path(
    line_text: str, line: int, path: str, fragment: str
) -> None:
    text = GOOD.replace("edges:", line_text + "\nedges:")
    [problem] = problems_of(text)
    assert (problem.file, problem.line, problem.path) == ("m.yaml", line, path)
    assert fragment in str(problem)


@pytest.mark.parametrize(
    ("line_text", "path", "fragment"),
    [
        ("  - {from: creators, to: classifier, kind: DEPLOYS}", "edges[2].from", "DEPLOYS cannot start at AffectedCommunity"),
        ("  - {from: platform, to: ghost, kind: DEPLOYS}", "edges[2].to", "unknown node 'ghost'"),
        ("  - {from: platform, to: classifier, kind: DEPLOYS, id: other}", "edges[2]", "second DEPLOYS edge"),
        ("  - {from: platform, to: classifier, kind: OWNS}", "edges[2]", "unknown kind 'OWNS'"),
        ("  - {from: classifier, to: creators, kind: AFFECTS, severity: HUGE, id: e2}", "edges[2].severity", "'HUGE'"),
    ],
)  # fmt: skip
def test_each_bad_edge_is_reported_with_its_line_and_path(
    line_text: str, path: str, fragment: str
) -> None:
    [problem] = problems_of(GOOD + line_text + "\n")
    assert (problem.line, problem.path) == (11, path)
    assert fragment in str(problem)


def test_every_problem_of_a_document_is_reported_at_once() -> None:
    text = GOOD.replace("sector: PRIVATE", "sector: PRIVAT").replace(
        "population: 1000", "population: -5"
    )
    text += "  - {from: platform, to: nobody, kind: DEPLOYS}\nextra: 1\n"
    problems = problems_of(text)
    assert [(p.line, p.path) for p in problems] == [
        (5, "nodes[0].sector"),
        (7, "nodes[2].population"),
        (11, "edges[2].to"),
        (12, "extra"),
    ]
    assert "'PRIVAT'" in str(problems[0])


def test_malformed_yaml_names_the_line() -> None:
    [problem] = problems_of("map: {id: x}\nnodes:\n  - {id: a, kind: [unclosed\n")
    assert problem.line == 4
    assert problem.message.startswith("malformed YAML")


def test_a_yaml_alias_bomb_fails_fast_with_a_location() -> None:
    bomb = ["map: {id: x}", 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    bomb += [f"a{i}: &a{i} [{','.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    [problem] = problems_of("\n".join(bomb) + "\n")
    assert "alias" in problem.message
    assert problem.line is not None


@pytest.mark.parametrize("text", ["", "- just\n- a list\n", "hello\n", "42\n"])
def test_a_file_that_is_not_a_map_at_all(text: str) -> None:
    [problem] = problems_of(text)
    assert "not a map file" in problem.message


def test_duplicate_yaml_keys_are_errors() -> None:
    [problem] = problems_of("map: {id: x}\nnodes: []\nnodes: []\n")
    assert (problem.line, problem.message) == (3, "duplicate key 'nodes'")


def test_json_errors_have_lines_too() -> None:
    data = json.loads(json.dumps(load_map_text(GOOD).model_dump(mode="json", by_alias=True)))
    data["nodes"][1]["stakes"] = "EXTREME"
    text = json.dumps(data, indent=2)
    [problem] = problems_of(text, "json")
    assert problem.path == "nodes[1].stakes"
    assert problem.line == text.splitlines().index('      "stakes": "EXTREME",') + 1
    [syntax] = problems_of('{"map": {"id": "x"},\n "nodes": [,]}', "json")
    assert (syntax.line, syntax.message.startswith("malformed JSON")) == (2, True)


def test_files_that_cannot_be_read_or_decoded(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="cannot read"):
        load_map_file(tmp_path / "missing.yaml")
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(b"\xff\xfe\x00map")
    with pytest.raises(InvalidInput, match="not UTF-8"):
        load_map_file(binary)
    big = tmp_path / "big.yaml"
    big.write_text(GOOD)
    with pytest.raises(InvalidInput, match="over the limit"):
        load_map_file(big, max_bytes=10)


@given(random_maps(), st.sampled_from(["yaml", "json"]))
def test_export_then_import_gives_an_equal_map(m: object, fmt: str) -> None:
    text = dump_map(m, fmt)  # type: ignore[arg-type]
    assert load_map_text(text, fmt=fmt) == m  # type: ignore[arg-type]


def test_seed_maps_round_trip() -> None:
    for path in sorted((ROOT / "seeds").glob("*.yaml")):
        m = load_map_file(path)
        for fmt in ("yaml", "json"):
            assert load_map_text(dump_map(m, fmt), fmt=fmt) == m, (path, fmt)  # type: ignore[arg-type]


def test_schema_file_matches_the_models() -> None:
    committed = (ROOT / "schema" / "map.schema.json").read_text()
    assert committed == render(), (
        "regenerate: python -m graphsvc.domain.schema > schema/map.schema.json"
    )

"""Line numbers of paths in JSON text (``JsonLines``) against composing the text as YAML, which
keeps a mark per node: the way lines were found before, and still the way for YAML files."""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from graphsvc.domain.document import JsonLines, PathPart, _child, parse_json
from graphsvc.domain.synthetic import generate_map_data

KEYS = st.sampled_from(["a", "b", "id", "kind", "nodes", "é", 'q"x', "k\\n"])
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=False,
    allow_infinity=False), st.text(max_size=8),
)  # fmt: skip
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=25,
)
YAML_ONLY_BREAKS = ("\x85", "\u2028", "\u2029")
LAYOUTS = st.sampled_from(
    [
        {"indent": None},
        {"indent": 2},
        {"indent": 1, "separators": (",", ": ")},
        {"indent": None, "separators": (",", ":")},
        {"indent": 3, "ensure_ascii": False},
    ]
)


def yaml_line(text: str, path: list[PathPart]) -> int | None:
    """The reference: the mark of the deepest node on the path, as composed YAML has it."""
    node = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    line = None if node is None else node.start_mark.line + 1
    for part in path:
        node = _child(node, part)
        if node is None:
            break
        line = node.start_mark.line + 1
    return line


def paths_into(value: Any) -> list[list[PathPart]]:
    """Every path into ``value``, plus ones that leave it part way."""
    out: list[list[PathPart]] = [[], ["missing"], [99]]
    if isinstance(value, dict):
        for key, child in value.items():
            out += [[key, *rest] for rest in paths_into(child)]
    elif isinstance(value, list):
        for i, child in enumerate(value):
            out += [[i, *rest] for rest in paths_into(child)]
        out.append([len(value)])
    return out


@settings(max_examples=300, deadline=None)
@given(VALUES, LAYOUTS, st.data())
def test_json_lines_are_the_lines_composed_yaml_marks(value: Any, layout: Any, data: Any) -> None:
    text = json.dumps(value, **layout)
    # YAML also breaks lines at NEL, LS and PS, which JSON keeps inside strings as characters:
    # there the lines are JSON's own (test_json_lines_count_only_newlines), not YAML's.
    assume(not any(mark in text for mark in YAML_ONLY_BREAKS))
    try:
        yaml_line(text, [])
    except yaml.YAMLError:  # JSON that YAML cannot read (lone surrogate escapes): no reference
        assume(False)
    lines = JsonLines(text)
    paths = paths_into(value)
    # asked in any order: lines are counted on from the last one asked, or from the start
    for path in data.draw(st.permutations(paths)):
        assert lines.line_of(path) == yaml_line(text, path), (text, path)


def test_a_problem_deep_in_a_large_pretty_printed_map_gets_its_line() -> None:
    data = generate_map_data(2_000, seed=3)
    text = json.dumps(data, indent=2)
    last = len(data["edges"]) - 1
    doc = parse_json(text, "big.json")
    found = doc.line_of(["edges", last, "to"])
    assert found is not None
    assert text.splitlines()[found - 1].strip().rstrip(",") == (
        '"to": ' + json.dumps(data["edges"][last]["to"])
    )
    assert doc.line_of(["nodes", 7, "name"]) == yaml_line(text, ["nodes", 7, "name"])


def test_tab_indented_json_has_lines_too() -> None:
    """YAML refuses tabs as indentation, so composing gave no line here at all."""
    text = '{\n\t"nodes": [\n\t\t{"id": "a"},\n\t\t{"id": "b",\n\t\t "kind": 7}\n\t]\n}'
    lines = JsonLines(text)
    assert lines.line_of(["nodes", 1, "kind"]) == 5
    assert lines.line_of(["nodes", 0, "id"]) == 3
    assert lines.line_of(["nodes", 1, "nope"]) == 4


def test_json_lines_count_only_newlines() -> None:
    """Lines are JSON's: a NEL, LS or PS inside a string (written raw) is no line break, as in
    the JSON parser's own error messages (``JSONDecodeError.lineno``), though YAML counts it."""
    text = '{\n "a": "x\x85y\u2028z\u2029",\n "b": [1,\n  2]\n}'
    lines = JsonLines(text)
    assert lines.line_of(["b"]) == 3
    assert lines.line_of(["b", 1]) == 4
    with pytest.raises(json.JSONDecodeError) as caught:
        json.loads(text[: text.index("2]")] + "?")
    assert caught.value.lineno == 4

"""Hostile map files: random bytes, random text, random YAML and JSON structures, mutations of
a valid map, alias bombs and deep nesting. Reading one either gives a valid map or raises
InvalidInput / LimitExceeded with problems — never another exception, never a hang.

Bounded for CI (``GRAPHSVC_FUZZ_EXAMPLES`` × 5 per test, 40 by default; the hypothesis profile
``ci`` does not raise it); run longer locally: ``GRAPHSVC_FUZZ_EXAMPLES=2000 pytest -m fuzz``.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from graphsvc.domain.mapfile import load_map_file, load_map_text
from graphsvc.errors import InvalidInput, LimitExceeded
from tests.api_support import small_map

pytestmark = pytest.mark.fuzz

EXAMPLES = 5 * int(os.environ.get("GRAPHSVC_FUZZ_EXAMPLES", "8"))
SECONDS = 5.0
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)
VALID = json.loads(json.dumps(small_map("fuzz").model_dump(mode="json", by_alias=True)))


def read(text: str, fmt: str | None) -> None:
    """Read a document; only a map or our own errors may come out, quickly."""
    start = time.monotonic()
    error: InvalidInput | LimitExceeded | None = None
    try:
        load_map_text(text, fmt=fmt, max_alias_values=1_000)  # type: ignore[arg-type]
    except (InvalidInput, LimitExceeded) as exc:
        error = exc
    assert time.monotonic() - start < SECONDS
    if error is not None:
        assert error.message
        for problem in getattr(error, "problems", []):
            assert isinstance(problem.message, str) and problem.message
            str(problem)  # printable, whatever the value


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=40),
    st.sampled_from(["AISystem", "Mechanism", "DEPLOYS", "AFFECTS", "HIGH", "s1", "o1", "c1"]),
)
values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=5), st.dictionaries(st.text(max_size=10), children, max_size=5)
    ),
    max_leaves=25,
)


def mutate(data: Any, path: list[Any], new: Any) -> Any:
    """``data`` with the value at a (partial) path replaced by ``new``."""
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(data, dict) and data:
        key = sorted(data)[head % len(data)] if isinstance(head, int) else head
        return {**data, key: mutate(data.get(key), rest, new)}
    if isinstance(data, list) and data and isinstance(head, int):
        i = head % len(data)
        return [*data[:i], mutate(data[i], rest, new), *data[i + 1 :]]
    return new


@FUZZ
@given(st.binary(max_size=2_000))
@example(b"\xff\xfe\x00")
@example(b"\xef\xbb\xbfmap: {}")
def test_random_bytes_in_a_file(tmp_path_factory: pytest.TempPathFactory, raw: bytes) -> None:
    path = Path(tmp_path_factory.mktemp("fuzz")) / "map.yaml"
    path.write_bytes(raw)
    start = time.monotonic()
    with contextlib.suppress(InvalidInput, LimitExceeded):
        load_map_file(path, max_alias_values=1_000)
    assert time.monotonic() - start < SECONDS


@FUZZ
@given(st.text(max_size=2_000), st.sampled_from(["yaml", "json", None]))
@example("[" * 50_000, "json")
@example("a: " + "[" * 50_000, "yaml")
@example("{'map': !!python/object/apply:os.system ['true']}", "yaml")
@example("map: {id: x, title: !!binary AAAA}\nnodes: []\nedges: []", "yaml")
@example('{"map": {"id": "x"}, "nodes": [{"size": ' + "9" * 5000 + "}]}", "json")
@example("map: {id: x}\nnodes: [{size: " + "9" * 5000 + "}]", "yaml")
@example("\ud800: x", "yaml")
@example("map: !!int 0x", "yaml")
@example('{"a": NaN, "a": 1}', "json")
def test_random_text(text: str, fmt: str | None) -> None:
    read(text, fmt)


@FUZZ
@given(values, st.sampled_from(["yaml", "json"]))
def test_random_structures(data: Any, fmt: str) -> None:
    text = json.dumps(data) if fmt == "json" else yaml.safe_dump(data)
    read(text, fmt)


@FUZZ
@given(
    st.lists(
        st.one_of(
            st.integers(0, 50),
            st.sampled_from(["map", "nodes", "edges", "id", "kind", "from", "to", "attributes"]),
        ),
        max_size=4,
    ),
    values,
    st.sampled_from(["yaml", "json"]),
)
def test_mutations_of_a_valid_map(path: list[Any], new: Any, fmt: str) -> None:
    data = mutate(VALID, path, new)
    text = json.dumps(data) if fmt == "json" else yaml.safe_dump(data, allow_unicode=True)
    read(text, fmt)


@FUZZ
@given(st.integers(2, 12), st.integers(2, 12))
def test_alias_bombs_fail_fast(width: int, depth: int) -> None:
    lines = ["a0: &a0 [x]"]
    for level in range(1, depth):
        refs = ", ".join([f"*a{level - 1}"] * width)
        lines.append(f"a{level}: &a{level} [{refs}]")
    lines.append(f"map: {{id: bomb, title: t}}\nnodes: *a{depth - 1}")
    read("\n".join(lines), "yaml")


def test_a_valid_map_reads_back() -> None:
    # The fuzzing above must be able to succeed too: the valid map is valid.
    m = load_map_text(json.dumps(VALID), fmt="json")
    assert m.id == "fuzz" and len(m.nodes) == 5

"""The command line as a user runs it: exit codes, readable errors, exact JSON."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from graphsvc.analysis.report import REPORT_KEYS
from graphsvc.cli import app
from graphsvc.cli.app import encode_json, json_pieces
from tests.test_mapfile import GOOD

runner = CliRunner()


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GRAPHSVC_STORE", f"sqlite:///{tmp_path / 'cli.sqlite'}")
    good = tmp_path / "demo.yaml"
    good.write_text(GOOD)
    return tmp_path


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_validate_import_list_export_round_trip(env: Path) -> None:
    assert run("validate", str(env / "demo.yaml"))[0] == 0
    code, out, _ = run("import", str(env / "demo.yaml"))
    assert (code, "imported map 'demo' (version 1)") == (0, out.strip())
    code, out, _ = run("maps", "--format", "json")
    assert code == 0
    assert [(m["id"], m["version"], m["nodeCount"]) for m in json.loads(out)] == [("demo", 1, 3)]
    for fmt in ("yaml", "json"):
        exported = env / f"again.{fmt}"
        assert run("export", "demo", "--format", fmt, "--out", str(exported))[0] == 0
        assert run("import", "--replace", str(exported))[0] == 0
    assert (
        run("export", "demo", "--format", "json")[1] == run("export", "demo", "--format", "json")[1]
    )


def test_importing_an_existing_map_needs_replace(env: Path) -> None:
    assert run("import", str(env / "demo.yaml"))[0] == 0
    code, _, err = run("import", str(env / "demo.yaml"))
    assert code == 2
    assert "CONFLICT" in err and "replace" in err


def test_an_invalid_file_in_a_batch_stores_nothing(env: Path) -> None:
    bad = env / "bad.yaml"
    bad.write_text(GOOD.replace("AISystem", "AiSystem").replace("id: demo", "id: other"))
    code, _, err = run("import", str(env / "demo.yaml"), str(bad))
    assert code == 2
    assert f"{bad}:6: nodes[1]: unknown kind 'AiSystem'" in err
    assert json.loads(run("maps", "--format", "json")[1]) == []


def test_analyze_json_has_the_spec_keys_for_files_and_stored_maps(env: Path) -> None:
    code, out, _ = run("analyze", str(env / "demo.yaml"), "--format", "json")
    assert code == 0
    from_file = json.loads(out)
    assert tuple(from_file) == REPORT_KEYS
    assert from_file["contestPairs"][0]["status"] == "NONE"
    run("import", str(env / "demo.yaml"))
    stored = json.loads(run("analyze", "demo", "--format", "json")[1])
    assert stored["contestPairs"] == from_file["contestPairs"]
    assert stored["map"]["version"] == 1


def test_analyze_tables_show_the_first_rows_and_say_how_many_are_left_out(env: Path) -> None:
    seed = str(Path(__file__).parents[1] / "seeds" / "content-moderation.yaml")
    report = json.loads(run("analyze", seed, "--format", "json")[1])
    pairs = len(report["contestPairs"])
    assert pairs > 1
    code, out, _ = run("analyze", seed, "--rows", "1")
    assert code == 0
    assert f"{pairs - 1:,} more of {pairs:,} (--rows 0 shows all" in out
    everything = run("analyze", seed, "--rows", "0")[1]
    assert "more of" not in everything
    assert all(p["stakeholder"] in everything for p in report["contestPairs"])


def test_fail_on_exits_1_only_when_findings_are_present(env: Path) -> None:
    file = str(env / "demo.yaml")
    assert run("analyze", file, "--fail-on", "withoutContestPath")[0] == 1
    assert run("analyze", file, "--fail-on", "OVERLOADED")[0] == 0
    code, _, err = run("analyze", file, "--fail-on", "everything")
    assert code == 2 and "unknown --fail-on value" in err


def test_unknown_map_is_bad_input(env: Path) -> None:
    code, _, err = run("export", "nope", "--format", "yaml")
    assert code == 2 and "no map 'nope'" in err


def test_the_installed_command_never_prints_a_traceback(env: Path) -> None:
    (env / "bomb.yaml").write_text("a: &a [1,2,3,4,5,6,7,8,9]\n" + "".join(
        f"a{i}: &a{i} [{','.join(['*a' if i == 0 else f'*a{i - 1}'] * 9)}]\n" for i in range(8)
    ))  # fmt: skip
    (env / "list.json").write_text("[1, 2, 3]")
    script = Path(sys.executable).with_name("graphsvc")
    for name in ("bomb.yaml", "list.json", "missing.yaml"):
        done = subprocess.run(
            [str(script), "import", str(env / name)],
            capture_output=True,
            text=True,
            env={**os.environ},
            timeout=60,
        )
        assert done.returncode == 2, done.stderr
        assert "Traceback" not in done.stderr + done.stdout
        assert f"{env / name}" in done.stderr


def test_an_unusable_store_setting_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GRAPHSVC_STORE", "postgres://nope")
    code, _, err = run("maps")
    assert code == 2 and "GRAPHSVC_STORE" in err


_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=3), inner, max_size=4),
    max_leaves=30,
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        _JSON_VALUES,
        st.dictionaries(st.text(max_size=3), _JSON_VALUES, max_size=5),
        st.dictionaries(st.integers(0, 3), _JSON_VALUES, max_size=3),
    ),
    st.integers(1, 4),
)
def test_json_in_pieces_is_the_json_of_the_whole(data: Any, chunk: int) -> None:
    """Streamed JSON (a large report never becomes one string) reads back as the JSON of the
    whole and as the standard library's JSON of it (integers of any size, which orjson
    refuses, included); byte for byte the same as the whole where orjson writes it all (the
    standard library's fallback writes a float such as 1e-06 differently)."""
    whole, joined = encode_json(data), b"".join(json_pieces(data, chunk))
    assert json.loads(joined) == json.loads(whole) == json.loads(json.dumps(data))
    assert json.loads(encode_json(data, indent=True)) == json.loads(whole)
    try:
        orjson.dumps(data, option=orjson.OPT_NON_STR_KEYS)
    except orjson.JSONEncodeError:
        return
    assert joined == whole


def test_json_pieces_read_back_when_only_some_fall_back() -> None:
    # the case hypothesis found: one piece by the standard library, the other by orjson
    data = {"": -(2**63) - 1, "0": 2.2738623350500493e-06}
    assert json.loads(b"".join(json_pieces(data, 1))) == data


def test_json_of_an_integer_past_64_bits_is_written_by_the_standard_library() -> None:
    data = {"population": 2**70, "rows": [{"a": 1.5, "b": "é"}] * 3}
    assert json.loads(b"".join(json_pieces(data, 2))) == data
    assert encode_json([1, "é"]) == '[1,"é"]'.encode()  # compact, UTF-8 rather than escapes

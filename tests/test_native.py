"""The compiled analysis (mypyc, setup.py): used only while it matches its sources, and
computing the same reports as the sources.

``GRAPHSVC_REQUIRE_NATIVE=1`` (as ``.ci/run`` sets it) makes a run without the compiled
modules fail instead of skip, so CI always tests what ``pip install`` builds.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import shutil
import subprocess
import sys
import zipfile
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

import pytest

import graphsvc.analysis
from graphsvc.analysis.native import RECORD, choose, compiled_matches
from tests.conftest import not_run

ROOT = Path(__file__).resolve().parent.parent


def _compiled_or_skip() -> None:
    if not graphsvc.analysis.COMPILED:
        message = "compiled-analysis tests NOT RUN: the analysis is not compiled (make native)"
        not_run(message, "GRAPHSVC_REQUIRE_NATIVE")


def _built_folder(folder: Path, source: str = "VALUE = 1\n") -> Path:
    """A package folder as a build leaves it: a source, its record and the shared library."""
    folder.mkdir()
    (folder / "__init__.py").write_text("")
    (folder / "mod.py").write_text(source)
    digest = hashlib.sha256(source.encode()).hexdigest()
    (folder / RECORD).write_text(json.dumps({"mod": digest}))
    (folder / f"_native__mypyc{EXTENSION_SUFFIXES[0]}").write_bytes(b"not a library")
    return folder


def test_compiled_modules_match_only_their_recorded_sources(tmp_path: Path) -> None:
    folder = _built_folder(tmp_path / "pkg")
    assert compiled_matches(folder)
    (folder / "mod.py").write_text("VALUE = 2\n")  # edited since the build
    assert not compiled_matches(folder)


@pytest.mark.parametrize(
    "damage",
    [
        lambda f: (f / RECORD).unlink(),
        lambda f: (f / RECORD).write_text("{not json"),
        lambda f: (f / RECORD).write_text("[1, 2]"),
        lambda f: (f / f"_native__mypyc{EXTENSION_SUFFIXES[0]}").unlink(),
        lambda f: (f / "mod.py").unlink(),
        lambda f: (f / f"old{EXTENSION_SUFFIXES[0]}").write_bytes(b"left by an older build"),
    ],
    ids=[
        "no record",
        "bad record",
        "record not an object",
        "no library",
        "source gone",
        "an extension the record does not name",
    ],
)
def test_anything_missing_means_sources(tmp_path: Path, damage: object) -> None:
    folder = _built_folder(tmp_path / "pkg")
    damage(folder)  # type: ignore[operator]
    assert not compiled_matches(folder)


def test_sources_are_imported_past_a_stale_extension(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Two packages with the same files: a broken extension module beside each source. The
    # import system prefers the extension; after choose(), the package takes the source.
    for name in ("fresh_pkg", "plain_pkg"):
        folder = _built_folder(tmp_path / name)
        (folder / RECORD).unlink()  # not built from these sources
        (folder / f"mod{EXTENSION_SUFFIXES[0]}").write_bytes(b"not a library")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert choose(str(tmp_path / "fresh_pkg")) is False
    assert importlib.import_module("fresh_pkg.mod").VALUE == 1
    with pytest.raises(ImportError):
        importlib.import_module("plain_pkg.mod")
    for name in ("fresh_pkg", "fresh_pkg.mod", "plain_pkg"):
        sys.modules.pop(name, None)


def test_native_off_by_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _built_folder(tmp_path / "pkg")
    monkeypatch.setenv("GRAPHSVC_NATIVE", "0")
    assert choose(str(folder)) is False
    monkeypatch.delenv("GRAPHSVC_NATIVE")
    assert choose(str(folder)) is True
    sys.path_importer_cache.pop(str(folder), None)


def test_this_run_uses_the_compiled_analysis() -> None:
    _compiled_or_skip()
    import graphsvc.analysis.paths as paths

    assert not (paths.__file__ or "").endswith(".py")


_DIGESTS = """
import hashlib, json, sys
import graphsvc.analysis
from graphsvc.analysis.report import build_report
from graphsvc.domain.mapfile import load_map_file, load_map_text
from graphsvc.domain.synthetic import generate_map_data
maps = [load_map_file(p) for p in sorted(sys.argv[1:])]
maps.append(load_map_text(json.dumps(generate_map_data(3000, seed=7)), fmt="json"))
digests = [hashlib.sha256(json.dumps(build_report(m)).encode()).hexdigest() for m in maps]
print(json.dumps({"compiled": graphsvc.analysis.COMPILED, "digests": digests}))
"""


def test_compiled_reports_equal_the_sources_reports() -> None:
    _compiled_or_skip()
    seeds = sorted(str(p) for p in (ROOT / "seeds").glob("*.yaml"))
    runs = {}
    for native in ("1", "0"):
        env = {**os.environ, "GRAPHSVC_NATIVE": native}
        done = subprocess.run(
            [sys.executable, "-c", _DIGESTS, *seeds],
            capture_output=True, text=True, env=env, check=True, timeout=300,
        )  # fmt: skip
        runs[native] = json.loads(done.stdout)
    assert runs["1"]["compiled"] is True
    assert runs["0"]["compiled"] is False
    assert len(runs["1"]["digests"]) == len(seeds) + 1
    assert runs["1"]["digests"] == runs["0"]["digests"]


@pytest.mark.slow
def test_a_build_without_a_c_compiler_installs_the_sources(tmp_path: Path) -> None:
    # What the slim Docker image does: setup.py's extensions are optional, so the wheel is
    # built with the sources alone and no record that would claim compiled modules.
    source = tmp_path / "src"
    source.mkdir()
    for name in ("setup.py", "pyproject.toml", "README.md"):
        (source / name).write_bytes((ROOT / name).read_bytes())
    ignore = shutil.ignore_patterns("__pycache__", "*.so", "_native.json", "node_modules")
    for folder in ("graphsvc", "frontend", "queries", "schema", "seeds"):
        shutil.copytree(ROOT / folder, source / folder, symlinks=True, ignore=ignore)
    env = {**os.environ, "CC": "false", "GRAPHSVC_NATIVE": "1"}
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path), "."],
        cwd=source, env=env, check=True, capture_output=True, timeout=600,
    )  # fmt: skip
    (wheel,) = tmp_path.glob("graphsvc-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    assert "graphsvc/analysis/contest.py" in names
    assert not [n for n in names if n.endswith(".so") or n.endswith(RECORD)]

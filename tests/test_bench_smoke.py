"""The benchmark scripts under bench/ still run, on tiny maps (they are scripts, not timed tests).

Each runs as a program, the way BENCHMARKS.md says to run it, and its JSON results are checked
for shape and for zero errors. Timings are never asserted.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from graphsvc.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"


def run_bench(script: str, *args: str, tmp_path: Path, env: dict[str, str] | None = None) -> Any:
    out = tmp_path / f"{Path(script).stem}.json"
    done = subprocess.run(
        [sys.executable, str(BENCH / script), *args, "--json", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "GRAPHSVC_BENCH_CACHE": str(tmp_path / "cache"), **(env or {})},
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "|---" in done.stdout  # printed its table
    return json.loads(out.read_text(encoding="utf-8"))["results"]


@pytest.mark.slow
def test_analysis_bench_runs_with_its_baseline(tmp_path: Path) -> None:
    results = run_bench(
        "analysis.py", "--sizes", "150,300", "--repeats", "2", "--baseline-cap", "30",
        "--memory-model", "150", "--floor", "150", tmp_path=tmp_path,
    )  # fmt: skip
    for label in ("150", "300"):
        entry = results["sizes"][label]
        assert len(entry["analysis"]["runs_s"]) == 2
        phases = entry["analysis"]["phases_s"]
        assert set(phases) >= {"contest", "spof", "recommendations", "report assembly"}
        assert all(seconds > 0 for seconds in phases.values())
        assert sum(phases.values()) <= max(entry["analysis"]["runs_s"]) * 1.01
        assert entry["baseline"]["finished"]
        assert entry["baseline"]["pairs"] == entry["analysis"]["pairs"]
    assert results["summary"]["growth_exponent"] is not None
    assert results["memory_model"]["model_bytes_per_node"] > 0
    floor = results["floor"]
    assert floor["report_entries"] > 0 and floor["json_bytes"] > 0
    assert floor["cli_json_bytes"] > 0 and floor["cli_encode_cpu_s"] > 0


def test_levers_bench_checks_its_kernels_and_its_split_report(tmp_path: Path) -> None:
    # The kernels interpreted (compiling them takes a minute); the script itself fails when
    # two kernels disagree or a report's SHA-256 differs from build_report's.
    results = run_bench(
        "levers.py", "--size", "300", "--repeats", "1", "--pairs", "1", "--interpreted",
        tmp_path=tmp_path,
    )  # fmt: skip
    search = results["search"]
    assert search["targets"] > 0 and search["states"] > search["targets"]
    assert set(search["cpu_s"]) == {"analysis", "strings", "integers"}
    assert search["contest_step_cpu_s"] > 0
    assert search["numpy"]["states"] == search["states"]  # numpy: a dev dependency
    one, split, records = results["reports"]
    assert (one["mode"], split["mode"], records["mode"]) == ("one", "split", "records")
    assert one["sha256"] == split["sha256"] == records["sha256"]
    assert split["child"]["private_bytes"] > 0 and split["child"]["payload_bytes"] > 0


def test_import_bench_runs_on_sqlite(tmp_path: Path) -> None:
    results = run_bench(
        "import.py", "--nodes", "300", "--baseline-nodes", "100", "--stores", "sqlite",
        tmp_path=tmp_path,
    )  # fmt: skip
    sqlite = results["stores"]["sqlite"]
    assert sqlite["graphsvc"]["elements"] == results["nodes"] + results["edges"]
    assert sqlite["one-tx"]["per_s"] > 0


@pytest.mark.slow
def test_api_bench_runs_on_sqlite_without_errors(tmp_path: Path) -> None:
    results = run_bench(
        "api.py", "--nodes", "200", "--targets", "sqlite,sqlite-nocache", "--clients", "2",
        "--duration", "1", "--max-requests", "50", tmp_path=tmp_path,
    )  # fmt: skip
    for target in ("graphsvc-sqlite", "graphsvc-sqlite-nocache"):
        ops = results["targets"][target]
        for op in ("node", "page", "neighborhood", "analysis"):
            assert ops[op]["ok"] > 0
            assert ops[op]["errors"] == 0, ops[op]["error_samples"]
            assert ops[op]["requests"] <= 50  # bounded in count
    # The same analysis request over and over: answered from the response cache, unless off.
    assert results["targets"]["graphsvc-sqlite"]["analysis"]["reused"] == 1.0
    assert results["targets"]["graphsvc-sqlite-nocache"]["analysis"]["reused"] == 0.0


@pytest.mark.slow
@pytest.mark.neo4j
def test_import_and_api_benches_run_on_neo4j_and_the_peer(
    neo4j_settings: Settings, tmp_path: Path
) -> None:
    env = {"NEO4J_URI": neo4j_settings.neo4j_uri}
    results = run_bench(
        "import.py", "--nodes", "300", "--baseline-nodes", "50", "--stores", "neo4j",
        "--warmup-nodes", "100", tmp_path=tmp_path, env=env,
    )  # fmt: skip
    assert results["stores"]["neo4j"]["graphsvc"]["per_s"] > 0
    assert results["neo4j_warmup"]["nodes"] == 100 and results["neo4j_warmup"]["elements"] > 100
    targets = "neo4j,peer" if shutil.which("node") and shutil.which("npm") else "neo4j"
    results = run_bench(
        "api.py", "--nodes", "200", "--targets", targets, "--clients", "2", "--duration", "1",
        "--max-requests", "30", "--operations", "node,page,neighborhood", tmp_path=tmp_path,
        env=env,
    )  # fmt: skip
    for ops in results["targets"].values():
        for op in ("node", "page", "neighborhood"):
            assert ops[op]["ok"] > 0
            assert ops[op]["errors"] == 0, ops[op]["error_samples"]

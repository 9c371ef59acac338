"""bench/read.py still runs, on a tiny map (a script, not a timed test: timings are never asserted)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_read_bench_runs_valid_invalid_and_yaml(tmp_path: Path) -> None:
    out = tmp_path / "read.json"
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "read.py"), "--sizes", "200", "--repeats", "1",
         "--invalid", "--yaml", "200", "--json", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
        env={**os.environ, "GRAPHSVC_BENCH_CACHE": str(tmp_path / "cache")},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    assert "|---" in done.stdout
    runs = json.loads(out.read_text(encoding="utf-8"))["results"]["runs"]
    assert set(runs) == {"200-valid", "200-invalid", "200-yaml"}
    assert runs["200-valid"]["nodes"] == 200 and runs["200-valid"]["edges"] > 600
    assert runs["200-yaml"]["edges"] == runs["200-valid"]["edges"]
    assert "unknown node 'no-such-node'" in runs["200-invalid"]["problems"][0]

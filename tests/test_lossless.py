"""Load without loss, short: ``bench/lossless.py`` with 10 clients for 10 s on each store ends
with zero 5xx, no fault, and every acknowledged write present afterwards. (The long run —
50 clients for 60 s — is recorded in docs/SECURITY.md.)"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from graphsvc.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


def lossless(store: str, tmp_path: Path, env: dict[str, str]) -> dict[str, Any]:
    out = tmp_path / "lossless.json"
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "lossless.py"),
            "--store",
            store,
            "--clients",
            "10",
            "--duration",
            "10",
            "--maps",
            "3",
            "--json",
            str(out),
        ],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert out.exists(), done.stderr[-3000:]
    (result,) = json.loads(out.read_text())["results"]
    assert done.returncode == 0, (result, done.stderr[-3000:])
    return result  # type: ignore[no-any-return]


def check(result: dict[str, Any]) -> None:
    assert result["http5xx"] == 0 and result["noAnswer"] == 0
    assert set(result["errors"]) <= {"CONFLICT"}, result["errors"]  # retried, as clients do
    assert result["acknowledgedWrites"] > 0 and result["reads"] > 0
    assert result["lostWrites"] == 0
    assert result["serverAlive"] and result["serverLogTracebacks"] == 0


@pytest.mark.slow
def test_no_acknowledged_write_is_lost_on_sqlite(tmp_path: Path) -> None:
    check(lossless("sqlite", tmp_path, {}))


@pytest.mark.neo4j
@pytest.mark.slow
def test_no_acknowledged_write_is_lost_on_neo4j(neo4j_settings: Settings, tmp_path: Path) -> None:
    check(lossless("neo4j", tmp_path, {"NEO4J_URI": neo4j_settings.neo4j_uri}))

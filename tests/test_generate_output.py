"""``graphsvc generate`` writes the same bytes for the same --nodes and --seed, release after
release: benchmark caches and published numbers depend on it. The digests were taken from the
code before the generator was last sped up (commit 1d98028)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graphsvc.cli import app

DIGESTS = {
    "json": "19860d3eef0bb68d6e89623809431eaed075151811af2c8d821ae15f018acaa1",
    "yaml": "ef66cf5cabc3e5510c2abd0889c2608d9eb435cd97de4962bcecea29743e2301",
}


@pytest.mark.parametrize("suffix", sorted(DIGESTS))
def test_generate_writes_the_same_bytes_per_seed(tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"map.{suffix}"
    result = CliRunner().invoke(
        app, ["generate", "--nodes", "200", "--seed", "1", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert hashlib.sha256(out.read_bytes()).hexdigest() == DIGESTS[suffix]

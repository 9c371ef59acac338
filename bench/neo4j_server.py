"""A Neo4j for the benchmarks: NEO4J_URI when set, else a private tools/neo4j/neo4j-local server.

The private server lives in its own state folder (``bench/.cache/neo4j``), so the test runner's
own start/stop of the shared ``.neo4j-local`` server never stops it mid-run; it is stopped when
the benchmark that started it ends.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from measure import CACHE, ROOT

LAUNCHER = ROOT / "tools" / "neo4j" / "neo4j-local"


@contextmanager
def neo4j_uri(heap: str = "2g", pagecache: str = "1g") -> Iterator[str]:
    """The Bolt URI of a Neo4j to benchmark against (auth off on the private server)."""
    if os.environ.get("NEO4J_URI"):
        yield os.environ["NEO4J_URI"]
        return
    if not LAUNCHER.exists():
        raise RuntimeError(f"no NEO4J_URI and no launcher at {LAUNCHER}")
    state = Path(os.environ.get("GRAPHSVC_BENCH_NEO4J_DIR", CACHE / "neo4j"))
    env = {
        **os.environ,
        "NEO4J_LOCAL_DIR": str(state),
        "NEO4J_LOCAL_HEAP": heap,
        "NEO4J_LOCAL_PAGECACHE": pagecache,
        "NEO4J_LOCAL_AUTH": "false",
    }
    done = subprocess.run(
        [str(LAUNCHER), "start"], capture_output=True, text=True, env=env, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"neo4j-local start failed: {done.stderr[-2000:]}")
    line = next(x for x in done.stdout.splitlines() if x.startswith("NEO4J_URI="))
    try:
        yield line.split("=", 1)[1].strip()
    finally:
        subprocess.run(
            [str(LAUNCHER), "stop"], capture_output=True, text=True, env=env, check=False
        )

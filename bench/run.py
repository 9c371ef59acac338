"""Every benchmark in one go (``make bench``): small sizes by default, ``--sizes`` for large ones.

    python bench/run.py                      # analysis on 1k,10k; import and API on 10k
    python bench/run.py --sizes 100k,1M      # what `make bench SIZE=100k,1M` runs
    python bench/run.py --only analysis      # one script

Results go to bench/results/*.json (the numbers quoted in BENCHMARKS.md come from there) and
each script prints its tables. Neo4j and the peer run when NEO4J_URI is set or the local
launcher (tools/neo4j/neo4j-local, needs Java) and Node.js are there; else they are skipped.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import ROOT, parse_sizes

BENCH = ROOT / "bench"
RESULTS = BENCH / "results"


def have_neo4j() -> bool:
    if os.environ.get("NEO4J_URI"):
        return True
    launcher = ROOT / "tools" / "neo4j" / "neo4j-local"
    return launcher.exists() and shutil.which("java") is not None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--sizes", default="1k,10k", help="analysis sizes, e.g. 1k,10k,100k,1M")
    parser.add_argument("--import-nodes", default="", help="default: the largest size up to 100k")
    parser.add_argument("--api-nodes", default="10k")
    parser.add_argument("--api-duration", default="10", help="seconds per operation")
    parser.add_argument("--clients", default="32")
    parser.add_argument("--only", default="analysis,import,api")
    args = parser.parse_args(argv)
    only = set(args.only.split(","))
    sizes = parse_sizes(args.sizes)
    import_nodes = args.import_nodes or str(max([s for s in sizes if s <= 100_000] or [10_000]))
    neo4j = have_neo4j()
    peer = neo4j and shutil.which("node") is not None and shutil.which("npm") is not None
    if not neo4j:
        print(
            "[bench] no NEO4J_URI and no launcher/Java: Neo4j and the peer are skipped",
            file=sys.stderr,
        )
    python = sys.executable
    runs = []
    if "analysis" in only:
        runs.append(
            [
                python,
                str(BENCH / "analysis.py"),
                "--sizes",
                args.sizes,
                "--memory-model",
                "10k",
                "--json",
                str(RESULTS / "analysis.json"),
            ]
        )
    if "import" in only:
        stores = "sqlite,neo4j" if neo4j else "sqlite"
        runs.append(
            [
                python,
                str(BENCH / "import.py"),
                "--nodes",
                import_nodes,
                "--stores",
                stores,
                "--json",
                str(RESULTS / "import.json"),
            ]
        )
    if "api" in only:
        sqlite = ["sqlite", "sqlite-nocache"]  # as shipped, and with answer reuse off
        targets = ",".join([*sqlite, *(["neo4j"] if neo4j else []), *(["peer"] if peer else [])])
        runs.append(
            [
                python,
                str(BENCH / "api.py"),
                "--nodes",
                args.api_nodes,
                "--targets",
                targets,
                "--clients",
                args.clients,
                "--duration",
                args.api_duration,
                "--json",
                str(RESULTS / "api.json"),
            ]
        )
    status = 0
    for cmd in runs:
        print(
            "[bench] " + " ".join(Path(c).name if c == python else c for c in cmd), file=sys.stderr
        )
        status = subprocess.run(cmd, cwd=ROOT, check=False).returncode or status
    return status


if __name__ == "__main__":
    sys.exit(main())

"""What every benchmark script shares: sizes, generated map files, timing, memory, fits, output.

The scripts under ``bench/`` are run as programs (``python bench/analysis.py``), never as
tests; each prints a table and can write its results as JSON for BENCHMARKS.md.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CACHE = Path(os.environ.get("GRAPHSVC_BENCH_CACHE", ROOT / "bench" / ".cache"))
SUFFIXES = {"k": 1_000, "m": 1_000_000}


def parse_size(text: str) -> int:
    """``"10k"`` → 10000, ``"1M"`` → 1000000, ``"500"`` → 500."""
    text = text.strip().lower().replace("_", "")
    if text and text[-1] in SUFFIXES:
        return int(float(text[:-1]) * SUFFIXES[text[-1]])
    return int(text)


def parse_sizes(text: str) -> list[int]:
    return [parse_size(part) for part in text.split(",") if part.strip()]


def size_label(n: int) -> str:
    if n >= 1_000_000 and n % 1_000_000 == 0:
        return f"{n // 1_000_000}M"
    if n >= 1_000 and n % 1_000 == 0:
        return f"{n // 1_000}k"
    return str(n)


def map_file(nodes: int, seed: int = 0) -> Path:
    """A generated map file (JSON) of ``nodes`` nodes, made once and kept in the cache."""
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"synthetic-{nodes}-{seed}.json"
    if not path.exists():
        from graphsvc.domain.synthetic import generate_map_data

        data = generate_map_data(nodes, seed, map_id=f"bench-{size_label(nodes).lower()}")
        partial = path.with_suffix(".part")
        with partial.open("w", encoding="utf-8") as handle:
            json.dump(data, handle, separators=(",", ":"))
        partial.replace(path)
    return path


def load_map(path: Path) -> Any:
    """Read and validate a generated map file as ``graphsvc analyze FILE`` does (no size cap)."""
    from graphsvc.domain.mapfile import load_map_file

    return load_map_file(path, max_bytes=1 << 40)


def peak_rss_bytes() -> int:
    """The peak resident set size of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def current_rss_bytes() -> int:
    with open("/proc/self/statm", encoding="ascii") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def process_cpu_seconds(pid: int) -> float | None:
    """CPU seconds (user + system) used so far by process ``pid``; None if it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else math.nan


def percentile(sorted_values: Sequence[float], q: float) -> float:
    """The q-th percentile (0..100) of already sorted values, nearest-rank."""
    if not sorted_values:
        return math.nan
    rank = max(1, math.ceil(q / 100 * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def growth_exponent(points: Iterable[tuple[float, float]]) -> float | None:
    """Least-squares slope of log(y) against log(x): 1 is linear, 2 quadratic."""
    pts = [(math.log(x), math.log(y)) for x, y in points if x > 0 and y > 0]
    if len(pts) < 2:
        return None
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    var = sum((x - mx) ** 2 for x, _ in pts)
    if var == 0:
        return None
    return sum((x - mx) * (y - my) for x, y in pts) / var


def run_worker(
    args: list[str], timeout: float | None, env: dict[str, str] | None = None
) -> dict[str, Any] | None:
    """Run ``python <args>`` in a fresh process (``env`` added to this one's environment);
    its last stdout line is a JSON result.

    None when it ran out of time (the process is killed) or failed (stderr is shown).
    """
    cmd = [sys.executable, *args]
    environ = {**os.environ, **env} if env else None
    try:
        done = subprocess.run(
            cmd, capture_output=True, text=True, timeout=timeout, cwd=ROOT, check=False,
            env=environ,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        return None
    if done.returncode != 0:
        sys.stderr.write(done.stderr[-4000:])
        return {"error": f"exit {done.returncode}", "stderr": done.stderr[-2000:]}
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    return json.loads(lines[-1]) if lines else {"error": "no result line"}


def machine() -> dict[str, Any]:
    """Facts about the machine and the code measured, for BENCHMARKS.md."""
    facts: dict[str, Any] = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }
    try:
        with open("/proc/meminfo", encoding="ascii") as handle:
            total_kib = int(handle.readline().split()[1])
        facts["memory_gib"] = round(total_kib / 1024 / 1024, 1)
    except OSError:
        pass
    with contextlib.suppress(OSError):
        facts["commit"] = subprocess.run(
            ["git", "describe", "--always", "--dirty"],
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=False,
        ).stdout.strip()
    from graphsvc.analysis import COMPILED  # as the workers import it: same files, same env

    facts["analysis"] = "compiled (mypyc)" if COMPILED else "Python sources"
    facts["time"] = time.strftime("%Y-%m-%d %H:%M:%S %Z")
    return facts


def write_results(path: str | None, name: str, results: Any) -> None:
    """Write ``{"benchmark", "machine", "results"}`` as JSON when a path is given."""
    if not path:
        return
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    payload = {"benchmark": name, "machine": machine(), "results": results}
    out.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A Markdown table (pastes straight into BENCHMARKS.md)."""
    rows = [[_cell(v) for v in row] for row in rows]
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _cell(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        if math.isnan(value):
            return "–"
        if abs(value) >= 100:
            return f"{value:,.0f}"
        if abs(value) >= 10:
            return f"{value:.1f}"
        return f"{value:.3g}"
    return str(value)


def mib(n_bytes: float | None) -> float | None:
    return None if n_bytes is None else n_bytes / (1024 * 1024)

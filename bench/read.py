"""Reading a map file: parse and validate time and memory of generated maps, per size.

    python bench/read.py --sizes 10k,100k,1M [--repeats 3] [--invalid] [--yaml 10k]
                         [--json bench/results/read.json]

Per size and run, in a fresh process: read the generated JSON map file (``bench/.cache``,
the files ``bench/analysis.py`` uses) the way ``load_map_file`` does — decode, parse, validate
— and report the wall and CPU time of each step, the peak resident set size, and the resident
memory the validated map holds (after a full collection) per node and edge. ``--invalid``
also times a copy of each map with one dangling edge, which takes the element-by-element
path that words every problem. ``--yaml`` times the YAML reader on the same map at the given
sizes (converted in memory). The median run of each size is reported.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import time
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import (
    current_rss_bytes,
    map_file,
    median,
    mib,
    parse_sizes,
    peak_rss_bytes,
    run_worker,
    size_label,
    table,
    write_results,
)

HERE = Path(__file__).resolve()


def _clock() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def _since(start: tuple[float, float]) -> dict[str, float]:
    wall, cpu = _clock()
    return {"wall_s": wall - start[0], "cpu_s": cpu - start[1]}


def worker(nodes: int, seed: int, mode: str) -> dict[str, Any]:
    """One read in this process: ``mode`` is ``valid``, ``invalid`` or ``yaml``."""
    from graphsvc.domain.document import parse_json, parse_yaml
    from graphsvc.domain.mapfile import _validate
    from graphsvc.errors import InvalidInput

    path = map_file(nodes, seed)
    gc.collect()
    rss_start = current_rss_bytes()
    out: dict[str, Any] = {"nodes": nodes, "mode": mode, "file_bytes": path.stat().st_size}
    start = _clock()
    text = path.read_bytes().decode("utf-8-sig")
    out["read"] = _since(start)
    if mode == "yaml":
        import yaml

        dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
        text = yaml.dump(json.loads(text), Dumper=dumper, sort_keys=False, width=120)
        out["yaml_bytes"] = len(text.encode())
        rss_start = current_rss_bytes()
    if mode == "invalid":
        data = json.loads(text)
        data["edges"][-1]["to"] = "no-such-node"
        text = json.dumps(data, separators=(",", ":"))
        del data
        rss_start = current_rss_bytes()
    start = _clock()
    if mode == "yaml":
        doc = parse_yaml(text, str(path), max_alias_values=10_000)
    else:
        doc = parse_json(text, str(path))
    out["parse"] = _since(start)
    start = _clock()
    try:
        # What load_map_text does after parsing (JSON: the text is kept to parse again for
        # the reporting path).
        reread = None if mode == "yaml" else partial(parse_json, text, str(path))
        m = _validate(doc, reread=reread)
    except InvalidInput as exc:
        out["problems"] = [str(p) for p in exc.problems][:5]
        m = None
    out["validate"] = _since(start)
    del doc, text, reread
    out["total"] = {
        key: out["read"][key] + out["parse"][key] + out["validate"][key]
        for key in ("wall_s", "cpu_s")
    }
    out["peak_rss_bytes"] = peak_rss_bytes()
    if m is not None:
        gc.collect()
        held = current_rss_bytes() - rss_start
        out.update(
            nodes=len(m.nodes),
            edges=len(m.edges),
            held_rss_bytes=held,
            held_bytes_per_element=held / (len(m.nodes) + len(m.edges)),
        )
    return out


def run_size(nodes: int, seed: int, mode: str, repeats: int, timeout: float) -> dict[str, Any]:
    runs = []
    for _ in range(repeats):
        args = [str(HERE), "--worker", str(nodes), "--seed", str(seed), "--mode", mode]
        result = run_worker(args, timeout=timeout)
        if result is None or "error" in result:
            return {"error": result or f"timed out after {timeout:g} s", "runs": runs}
        runs.append(result)
    runs.sort(key=lambda r: r["total"]["wall_s"])
    chosen = dict(runs[len(runs) // 2])
    chosen["runs_total_wall_s"] = [r["total"]["wall_s"] for r in runs]
    chosen["median_total_wall_s"] = median(chosen["runs_total_wall_s"])
    return chosen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10k,100k", help="comma-separated: 10k,100k,1M")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeats", type=int, default=3, help="runs per size up to 100k")
    parser.add_argument("--invalid", action="store_true", help="also time a map with an error")
    parser.add_argument("--yaml", default="", help="sizes to also time as YAML")
    parser.add_argument("--timeout", type=float, default=3600.0)
    parser.add_argument("--json", default="", help="write the results here")
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--mode", default="valid", help=argparse.SUPPRESS)
    parser.add_argument("--make-map", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.make_map:
        start = _clock()
        path = map_file(args.make_map, args.seed)
        print(json.dumps({"path": str(path), **_since(start)}))
        return 0
    if args.worker:
        print(json.dumps(worker(args.worker, args.seed, args.mode)))
        return 0

    jobs = [(n, "valid") for n in parse_sizes(args.sizes)]
    jobs += [(n, "invalid") for n in parse_sizes(args.sizes) if args.invalid]
    jobs += [(n, "yaml") for n in parse_sizes(args.yaml)]
    results: dict[str, Any] = {"seed": args.seed, "runs": {}}
    for nodes, mode in jobs:
        label = size_label(nodes)
        if not map_file_exists(nodes, args.seed):
            print(f"[read] {label}: generating the map file", file=sys.stderr, flush=True)
            made = run_worker([str(HERE), "--make-map", str(nodes), "--seed", str(args.seed)], None)
            results.setdefault("generated", {})[label] = made
        print(f"[read] {label} {mode}", file=sys.stderr, flush=True)
        repeats = args.repeats if nodes <= 100_000 else 1
        entry = run_size(nodes, args.seed, mode, repeats, args.timeout)
        results["runs"][f"{label}-{mode}"] = entry
    print(render(results))
    write_results(args.json, "read", results)
    return 0


def map_file_exists(nodes: int, seed: int) -> bool:
    from measure import CACHE

    return (CACHE / f"synthetic-{nodes}-{seed}.json").exists()


def render(results: dict[str, Any]) -> str:
    rows = []
    for key, r in results["runs"].items():
        if "error" in r:
            rows.append([key, *["–"] * 8, str(r["error"])[:60]])
            continue
        per = r.get("held_bytes_per_element")
        rows.append(
            [
                key,
                r.get("nodes"),
                r.get("edges"),
                r["parse"]["wall_s"],
                r["validate"]["wall_s"],
                r["total"]["wall_s"],
                r["total"]["cpu_s"],
                mib(r["peak_rss_bytes"]),
                per,
                "; ".join(r.get("problems", [])[:1]),
            ]
        )
    headers = [
        "size-mode",
        "nodes",
        "edges",
        "parse s",
        "validate s",
        "total s (wall)",
        "total CPU s",
        "peak RSS MiB",
        "held B/element",
        "first problem",
    ]
    return table(headers, rows)


if __name__ == "__main__":
    raise SystemExit(main())

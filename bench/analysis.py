"""Analysis at scale: the full report (``build_report``) on generated maps, beside a naive baseline.

    python bench/analysis.py --sizes 1k,10k,100k [--repeats 5] [--baseline-cap 300]
                             [--profile 10k] [--floor 100k] [--json bench/results/analysis.json]

Per size, in a fresh process: read and validate the generated map file (as
``graphsvc analyze FILE`` does), then time ``build_report`` (median of ``--repeats`` runs for
maps up to 10k nodes, one run above), each analysis separately, and the process's peak RSS.
Then, in another fresh process, the naive baseline of ``bench/baseline.py`` (one BFS per pair)
with a time cap; past the cap it stops and extrapolates from the pairs it did (marked "est.").
Last, the growth exponent (log-log least squares of time against nodes) and the ratios.
``--floor SIZE`` times the finished report as JSON: encoding it as ``graphsvc analyze
--format json`` does on top of the analysis (orjson, in pieces) and with the standard
library's C encoder, and creating its objects again from that text with the standard
library's C decoder. Decoding parses and creates every string anew, so it is no floor under
building the report, whose strings are mostly the map's ids, shared (BENCHMARKS.md, §1).
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import (
    ROOT,
    current_rss_bytes,
    growth_exponent,
    load_map,
    map_file,
    median,
    mib,
    parse_size,
    parse_sizes,
    peak_rss_bytes,
    run_worker,
    size_label,
    table,
    write_results,
)

HERE = Path(__file__).resolve()
#: The steps of build_report, in order: ``build_report(lap=...)`` reports each as it ends.
PHASES = [
    "graph", "contest", "feedback", "gaps", "automation", "spof", "salience", "power",
    "recommendations",  # with their report entries: converted as the recommender yields them
    "report assembly",  # the other sections' entries
]  # fmt: skip


# --- in the worker process ------------------------------------------------------------------

STAGE = ["start"]  # what the worker was doing, reported when it runs out of memory


def _limit_memory(gigabytes: float) -> None:
    import resource

    cap = int(gigabytes * 1024**3)
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))


class PhaseClock:
    """The ``lap`` of build_report: wall and CPU seconds of each step since the one before."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.cpu: dict[str, float] = {}
        self.reset()

    def reset(self) -> None:
        self.seconds = dict.fromkeys(PHASES, 0.0)
        self.cpu = dict.fromkeys(PHASES, 0.0)
        self._last = (time.perf_counter(), time.process_time())

    def __call__(self, step: str) -> None:
        now = (time.perf_counter(), time.process_time())
        self.seconds[step] += now[0] - self._last[0]
        self.cpu[step] += now[1] - self._last[1]
        self._last = now


def worker(nodes: int, seed: int, repeats: int) -> dict[str, Any]:
    from graphsvc.analysis.report import build_report

    clock = PhaseClock()
    path = map_file(nodes, seed)
    STAGE[0] = "reading and validating the map file"
    start = time.perf_counter()
    m = load_map(path)
    load_s = time.perf_counter() - start
    gc.collect()
    rss_loaded = current_rss_bytes()
    peak_after_load = peak_rss_bytes()
    runs, cpu_runs, phases, cpu_phases = [], [], [], []
    STAGE[0] = f"analysis (map read in {load_s:.0f} s, RSS {mib(rss_loaded):.0f} MiB)"
    report: dict[str, Any] = {}
    for _ in range(repeats):
        report = {}
        gc.collect()
        clock.reset()
        start, cpu = time.perf_counter(), time.process_time()
        report = build_report(m, lap=clock)
        runs.append(time.perf_counter() - start)
        cpu_runs.append(time.process_time() - cpu)
        phases.append(dict(clock.seconds))
        cpu_phases.append(dict(clock.cpu))
    best = min(range(len(runs)), key=lambda i: abs(runs[i] - median(runs)))
    return {
        "nodes": len(m.nodes),
        "edges": len(m.edges),
        "pairs": len(report["contestPairs"]),
        "counts": {k: len(v) for k, v in report.items() if isinstance(v, list)},
        "load_s": load_s,
        "runs_s": runs,
        "median_s": median(runs),
        "cpu_runs_s": cpu_runs,
        "median_cpu_s": median(cpu_runs),
        "phases_s": phases[best],
        "phases_cpu_s": cpu_phases[best],
        "rss_loaded_bytes": rss_loaded,
        "peak_rss_after_load_bytes": peak_after_load,
        "peak_rss_bytes": peak_rss_bytes(),
    }


def baseline_worker(nodes: int, seed: int, cap: float) -> dict[str, Any]:
    from baseline import run_baseline

    m = load_map(map_file(nodes, seed))
    cpu = time.process_time()
    result = run_baseline(m, deadline_s=cap)
    result["cpu_s"] = time.process_time() - cpu
    result["peak_rss_bytes"] = peak_rss_bytes()
    return result


def memory_worker(nodes: int, seed: int) -> dict[str, Any]:
    """Bytes per node and per edge of the validated map and of the analysis graph (tracemalloc)."""
    import tracemalloc

    from graphsvc.analysis.graph import MapGraph
    from graphsvc.analysis.report import build_report
    from graphsvc.domain.model import StakeholderMap

    data = json.loads(map_file(nodes, seed).read_text(encoding="utf-8"))
    m = load_map(map_file(nodes, seed))
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    node_models = StakeholderMap.model_validate(
        {"map": data["map"], "sources": [], "nodes": data["nodes"], "edges": []}
    )
    gc.collect()
    after_nodes = tracemalloc.get_traced_memory()[0]
    edge_models = StakeholderMap.model_validate(
        {"map": data["map"], "sources": [], "nodes": [], "edges": data["edges"]}
    )
    gc.collect()
    after_edges = tracemalloc.get_traced_memory()[0]
    del node_models, edge_models
    gc.collect()
    tracemalloc.reset_peak()
    before_graph = tracemalloc.get_traced_memory()[0]
    g = MapGraph.build(m)
    gc.collect()
    after_graph = tracemalloc.get_traced_memory()[0]
    del g
    gc.collect()
    tracemalloc.reset_peak()
    before_report = tracemalloc.get_traced_memory()[0]
    report = build_report(m)
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    n, e = len(m.nodes), len(m.edges)
    return {
        "nodes": n,
        "edges": e,
        "model_bytes_per_node": (after_nodes - base) / n,
        "model_bytes_per_edge": (after_edges - after_nodes) / e,
        "graph_index_bytes_per_edge": (after_graph - before_graph) / e,
        "report_bytes": current - before_report,
        "analysis_peak_bytes": peak - before_report,
        "report_entries": sum(len(v) for v in report.values() if isinstance(v, list)),
    }


def profile_worker(nodes: int, seed: int, out: Path) -> dict[str, Any]:
    """One build_report under pyinstrument (cProfile when pyinstrument is missing), run from
    the Python sources: a profiler of Python frames sees compiled code as one call. The
    compiled steps' own times are the phases of the analysis runs."""
    from graphsvc.analysis.report import build_report

    m = load_map(map_file(nodes, seed))
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        from pyinstrument import Profiler
    except ImportError:
        import cProfile
        import pstats

        prof = cProfile.Profile()
        prof.runcall(build_report, m)
        buffer = io.StringIO()
        pstats.Stats(prof, stream=buffer).sort_stats("cumulative").print_stats(40)
        out.write_text(buffer.getvalue(), encoding="utf-8")
        return {"profile": str(out), "tool": "cProfile"}
    profiler = Profiler(interval=0.005)
    profiler.start()
    build_report(m)
    profiler.stop()
    text = profiler.output_text(unicode=False, color=False, show_all=False)
    out.write_text(text, encoding="utf-8")
    return {"profile": str(out), "tool": "pyinstrument"}


def floor_worker(nodes: int, seed: int) -> dict[str, Any]:
    """CPU seconds to encode the finished report as the CLI does (``json_pieces``: orjson) and
    with the standard library's C encoder, and to create all its objects again from that text
    with the C decoder (no analysis at all), with the cyclic collector paused as build_report
    pauses it."""
    from graphsvc.analysis.report import build_report
    from graphsvc.cli.app import json_pieces
    from graphsvc.gc_pause import gc_paused

    report = build_report(load_map(map_file(nodes, seed)))
    entries = sum(len(v) for v in report.values() if isinstance(v, list))
    with gc_paused():
        cpu = time.process_time()
        cli_bytes = sum(len(piece) for piece in json_pieces(report))
        cli_s = time.process_time() - cpu
        cpu = time.process_time()
        text = json.dumps(report)
        dumps_s = time.process_time() - cpu
        del report
        cpu = time.process_time()
        json.loads(text)
        loads_s = time.process_time() - cpu
    return {
        "nodes": nodes,
        "report_entries": entries,
        "json_bytes": len(text.encode()),
        "cli_json_bytes": cli_bytes,
        "cli_encode_cpu_s": cli_s,
        "dumps_cpu_s": dumps_s,
        "loads_cpu_s": loads_s,
    }


# --- in the driver ----------------------------------------------------------------------------


def _ensure_map(nodes: int, seed: int) -> None:
    # Generated in a child process so the driver stays small (a 1M-node map is gigabytes).
    run_worker([str(HERE), "--make-map", str(nodes), "--seed", str(seed)], timeout=None)


def _at_size(
    size: str,
    worker: str,
    what: str,
    args: argparse.Namespace,
    *extra: str,
    env: dict[str, str] | None = None,
) -> Any:
    """The result of one ``worker`` child process at ``size`` (its map made first)."""
    nodes = parse_size(size)
    _ensure_map(nodes, args.seed)
    print(f"[analysis] {what} at {size_label(nodes)}", file=sys.stderr, flush=True)
    return run_worker(
        [str(HERE), worker, str(nodes), "--seed", str(args.seed), *extra],
        timeout=args.timeout,
        env=env,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--sizes", default="1k,10k", help="comma-separated, e.g. 1k,10k,100k,1M")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeats", type=int, default=5, help="runs per size up to 10k nodes")
    parser.add_argument("--timeout", type=float, default=7200.0, help="seconds per size")
    parser.add_argument("--baseline-cap", type=float, default=300.0, help="seconds per size")
    parser.add_argument(
        "--memory-limit-gb",
        type=float,
        default=16.0,
        help="address-space cap of each child (keeps a shared machine alive)",
    )
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument(
        "--memory-model", default="", help="size for bytes per node/edge (tracemalloc)"
    )
    parser.add_argument("--profile", default="", help="size to profile one report at")
    parser.add_argument(
        "--floor", default="", help="size to time the report's JSON encoding and decoding at"
    )
    parser.add_argument("--json", default="", help="write the results here")
    # Internal: the per-size child processes.
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--baseline-worker", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--memory-worker", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--profile-worker", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--floor-worker", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--make-map", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--profile-out", default="", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.make_map:
        print(json.dumps({"path": str(map_file(args.make_map, args.seed))}))
        return 0
    if args.worker:
        _limit_memory(args.memory_limit_gb)
        try:
            result = worker(args.worker, args.seed, args.repeats)
        except MemoryError:
            result = {
                "error": f"MemoryError at the {args.memory_limit_gb:g} GB cap",
                "stage": STAGE[0],
                "peak_rss_bytes": peak_rss_bytes(),
            }
        print(json.dumps(result))
        return 0
    if args.baseline_worker:
        _limit_memory(args.memory_limit_gb)
        print(json.dumps(baseline_worker(args.baseline_worker, args.seed, args.baseline_cap)))
        return 0
    if args.memory_worker:
        print(json.dumps(memory_worker(args.memory_worker, args.seed)))
        return 0
    if args.floor_worker:
        print(json.dumps(floor_worker(args.floor_worker, args.seed)))
        return 0
    if args.profile_worker:
        out = Path(args.profile_out)
        print(json.dumps(profile_worker(args.profile_worker, args.seed, out)))
        return 0

    results: dict[str, Any] = {"sizes": {}, "seed": args.seed}
    for nodes in parse_sizes(args.sizes):
        label = size_label(nodes)
        print(f"[analysis] {label}: generating / reading map file", file=sys.stderr, flush=True)
        _ensure_map(nodes, args.seed)
        repeats = args.repeats if nodes <= 10_000 else 1
        print(f"[analysis] {label}: build_report x{repeats}", file=sys.stderr, flush=True)
        cmd = [
            str(HERE),
            "--worker",
            str(nodes),
            "--seed",
            str(args.seed),
            "--memory-limit-gb",
            str(args.memory_limit_gb),
        ]
        start = time.perf_counter()
        ours = run_worker([*cmd, "--repeats", str(repeats)], timeout=args.timeout)
        entry: dict[str, Any] = {"analysis": ours}
        if ours is None:
            entry["analysis"] = {"timeout_s": args.timeout, "wall_s": time.perf_counter() - start}
        if not args.no_baseline:
            print(
                f"[analysis] {label}: baseline (cap {args.baseline_cap:g}s)",
                file=sys.stderr,
                flush=True,
            )
            entry["baseline"] = run_worker(
                [
                    str(HERE),
                    "--baseline-worker",
                    str(nodes),
                    "--seed",
                    str(args.seed),
                    "--baseline-cap",
                    str(args.baseline_cap),
                    "--memory-limit-gb",
                    str(args.memory_limit_gb),
                ],
                timeout=args.baseline_cap * 3 + 600,
            )
        results["sizes"][label] = entry
        _print_size(label, entry)
    if args.memory_model:
        results["memory_model"] = _at_size(
            args.memory_model, "--memory-worker", "memory model", args
        )
    if args.profile:
        label = size_label(parse_size(args.profile))
        out = ROOT / "bench" / "results" / f"profile-analysis-{label}.txt"
        sources = {"GRAPHSVC_NATIVE": "0"}  # a Python profiler sees compiled code as one call
        results["profile"] = _at_size(
            args.profile, "--profile-worker", f"profile ({out})", args, "--profile-out", str(out),
            env=sources,
        )  # fmt: skip
    if args.floor:
        results["floor"] = _at_size(args.floor, "--floor-worker", "report as JSON", args)
    results["summary"] = summarise(results["sizes"])
    print(render(results))
    write_results(args.json, "analysis", results)
    return 0


def summarise(sizes: dict[str, Any]) -> dict[str, Any]:
    ours, theirs = [], []
    for entry in sizes.values():
        a = entry.get("analysis") or {}
        if "median_s" in a:
            ours.append((a["nodes"], a["median_s"]))
        b = entry.get("baseline") or {}
        if b.get("finished") and "nodes" in a:
            theirs.append((a["nodes"], b["seconds"]))
    return {
        "growth_exponent": growth_exponent(ours),
        "baseline_growth_exponent": growth_exponent(theirs),
    }


def _print_size(label: str, entry: dict[str, Any]) -> None:
    a = entry.get("analysis") or {}
    b = entry.get("baseline") or {}
    if "median_s" in a:
        msg = f"{label}: analysis {a['median_s']:.2f}s, peak {mib(a['peak_rss_bytes']):.0f} MiB"
    else:
        msg = f"{label}: analysis did not finish ({a})"
    if b:
        est = "" if b.get("finished") else " est."
        msg += f"; baseline {b.get('seconds_estimated', float('nan')):.2f}s{est}"
    print(msg, file=sys.stderr, flush=True)


def render(results: dict[str, Any]) -> str:
    rows, phase_rows = [], []
    for label, entry in results["sizes"].items():
        a = entry.get("analysis") or {}
        b = entry.get("baseline") or {}
        base_s = b.get("seconds_estimated") if b else None
        finished = bool(b.get("finished"))
        ratio = base_s / a["median_s"] if base_s and a.get("median_s") else None
        contest_feedback = None
        if a.get("phases_s"):
            p = a["phases_s"]
            contest_feedback = p["graph"] + p["contest"] + p["feedback"]
        rows.append(
            [
                label,
                a.get("nodes"),
                a.get("edges"),
                a.get("pairs"),
                a.get("load_s"),
                a.get("median_s", f"> {a.get('timeout_s', '?')} s"),
                a.get("median_cpu_s"),
                mib(a.get("peak_rss_bytes")),
                (f"{base_s:.3g}" + ("" if finished else " est.")) if base_s else "–",
                f"{ratio:.2f}×" if ratio else "–",
                f"{base_s / contest_feedback:.2f}×" if base_s and contest_feedback else "–",
                f"{b['states_per_search']:.1f}" if b.get("states_per_search") else "–",
            ]
        )
        if a.get("phases_cpu_s"):
            p = a["phases_cpu_s"]
            phase_rows.append([label, *(p[name] for name in PHASES)])
    out = [
        table(
            [
                "size",
                "nodes",
                "edges",
                "pairs",
                "read+validate s",
                "analysis s (median)",
                "analysis CPU s",
                "peak RSS MiB",
                "baseline s",
                "baseline / analysis",
                "baseline / (graph+contest+feedback)",
                "baseline states per search",
            ],
            rows,
        ),
        "",
        "CPU seconds per analysis (the run nearest the median; CPU time resists the noise of a"
        " shared machine better than wall time):",
        "",
        table(["size", *PHASES], phase_rows),
        "",
    ]
    s = results["summary"]
    if s["growth_exponent"] is not None:
        out.append(f"growth exponent (time ~ nodes^k): k = {s['growth_exponent']:.2f}")
    if s["baseline_growth_exponent"] is not None:
        out.append(
            f"baseline growth exponent (finished sizes): k = {s['baseline_growth_exponent']:.2f}"
        )
    mm = results.get("memory_model")
    if mm and "nodes" in mm:
        out.append(
            f"memory model at {mm['nodes']} nodes: {mm['model_bytes_per_node']:.0f} B/node and "
            f"{mm['model_bytes_per_edge']:.0f} B/edge as validated models, "
            f"{mm['graph_index_bytes_per_edge']:.0f} B/edge of graph index, analysis peak "
            f"{mib(mm['analysis_peak_bytes']):.0f} MiB, report {mib(mm['report_bytes']):.0f} MiB"
        )
    if results.get("profile"):
        out.append(f"profile: {results['profile']}")
    fl = results.get("floor")
    if fl and "nodes" in fl:
        out.append(
            f"report as JSON at {fl['nodes']} nodes: {fl['report_entries']} entries, "
            f"{mib(fl['json_bytes']):.0f} MiB of JSON; graphsvc analyze's encoder (orjson) "
            f"{fl['cli_encode_cpu_s']:.2f} s CPU, json.dumps {fl['dumps_cpu_s']:.2f} s CPU, "
            f"json.loads {fl['loads_cpu_s']:.2f} s CPU"
        )
    return "\n".join(out)


if __name__ == "__main__":
    sys.exit(main())

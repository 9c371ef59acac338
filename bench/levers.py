"""The levers left for the analysis at scale, measured (BENCHMARKS.md §1, "The levers left,
measured"): integer ids on arrays for the searches, a second core, and a compact report.

    python bench/levers.py --size 100k [--repeats 3] [--pairs 2] [--interpreted]
                           [--json bench/results/levers.json]

1. **Searches on integer arrays.** The analysis's heaviest search is the reverse best-path
   search from every authority (the contest walk, highest accessibility product and then
   fewest edges). In one fresh process: that search as the analysis runs it
   (``NearestTarget.distances``), next to the contest step and the whole ``build_report`` of
   the same map; then the bare kernel of ``bench/kernels/search_kernels.py`` on string ids and
   dicts against the same kernel on integer ids and lists, both compiled with mypyc as the
   analysis is (``--interpreted``: not compiled, for a quick check), alternating; and, when
   numpy is installed, the same targets' fewest-edge search as one batched breadth-first
   search on numpy arrays against the string kernel with unit weights. Every pair of kernels
   is checked to find the same states, edges and products.
2. **The second core and a compact report.** ``--pairs`` rounds of three fresh processes:
   ``build_report``; the same report with feedback loops, power asymmetry, their entries and
   the feedback fixes made in a forked child (``os.fork`` after the contest analysis, the
   result sent back with ``marshal``) while the parent makes the rest; and the same work with
   the four large sections kept as the analysis's records instead of dicts (what a compact
   report, rendered per page, would hold). Wall and CPU seconds (the child's included), the
   peak RSS and the child's private memory (pages it wrote: its own objects and the shared
   pages it touched), and the SHA-256 of the report's JSON (the records rendered with the
   report's own functions after the peak is taken), which must be the same all three ways.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import marshal
import os
import resource
import shutil
import subprocess
import sys
import time
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from analysis import PHASES, PhaseClock
from measure import (
    CACHE,
    load_map,
    map_file,
    median,
    mib,
    parse_size,
    peak_rss_bytes,
    run_worker,
    size_label,
    table,
    write_results,
)

HERE = Path(__file__).resolve()
KERNELS = HERE.parent / "kernels" / "search_kernels.py"


# --- 1. searches on integer arrays (in the worker) ---------------------------------------------


def search_worker(nodes: int, seed: int, repeats: int, kernels_dir: str) -> dict[str, Any]:
    from graphsvc.analysis.contest import authorities_of
    from graphsvc.analysis.graph import MapGraph
    from graphsvc.analysis.paths import NearestTarget
    from graphsvc.analysis.report import build_report
    from graphsvc.domain.kinds import NodeKind
    from graphsvc.domain.model import Mechanism
    from graphsvc.gc_pause import gc_paused

    sys.path.insert(0, kernels_dir)
    import search_kernels as kernels

    m = load_map(map_file(nodes, seed))
    clock = PhaseClock()
    start = time.process_time()
    build_report(m, lap=clock)
    report_s = time.process_time() - start
    g = MapGraph.build(m)
    walk = g.contest_walk()
    weight = {
        n.id: n.accessibility
        for n in g.nodes.values()
        if isinstance(n, Mechanism) and n.accessibility is not None
    }
    targets = sorted({a for s in g.of_kind(NodeKind.AI_SYSTEM) for a in authorities_of(g, s)})
    # string layout, as the analysis holds it; integer ids in sorted id order, so that the
    # heaps of both kernels break ties in the same order
    pred = {n: list(walk.pred(n)) for n in g.nodes if walk.pred(n)}
    index = {n: i for i, n in enumerate(sorted(g.nodes))}
    int_pred = [[index[p] for p in pred.get(n, ())] for n in sorted(g.nodes)]
    int_weight = [weight.get(n, 1.0) for n in sorted(g.nodes)]
    int_targets = [index[t] for t in targets]

    tables: list[dict[str, tuple[float, int]]] = []

    def product_search() -> None:
        paths = NearestTarget(walk.succ, walk.pred, lambda n: weight.get(n, 1.0))
        tables[:] = [paths.distances(target) for target in targets]

    timings: dict[str, list[float]] = {"analysis": [], "strings": [], "integers": []}
    found: dict[str, tuple[int, int, float]] = {}
    runs = {
        "analysis": product_search,
        "strings": lambda: found.__setitem__(
            "strings", kernels.search_strings(pred, weight, targets)
        ),
        "integers": lambda: found.__setitem__(
            "integers", kernels.search_integers(int_pred, int_weight, int_targets)
        ),
    }
    with gc_paused():
        for _ in range(repeats):
            for name, run in runs.items():
                cpu = time.process_time()
                run()
                timings[name].append(time.process_time() - cpu)
    costs = [cost for table in tables for cost in table.values()]
    found["analysis"] = (len(costs), sum(c[1] for c in costs), sum(c[0] for c in costs))
    _same(found["analysis"], found["strings"], "the analysis's search and the string kernel")
    _same(found["strings"], found["integers"], "string and integer kernels")
    result: dict[str, Any] = {
        "nodes": len(m.nodes),
        "targets": len(targets),
        "states": found["strings"][0],
        "compiled_kernels": kernels.__file__.endswith(".so"),
        "build_report_cpu_s": report_s,
        "contest_step_cpu_s": clock.cpu["contest"],
        "cpu_s": {name: median(values) for name, values in timings.items()},
        "cpu_runs_s": timings,
    }
    result["numpy"] = _numpy_search(kernels, pred, targets, int_pred, int_targets, repeats)
    return result


def _numpy_search(
    kernels: Any,
    pred: dict[str, list[str]],
    targets: list[str],
    int_pred: list[list[int]],
    int_targets: list[int],
    repeats: int,
) -> dict[str, Any]:
    """The fewest-edge search from every target at once, level by level on numpy arrays,
    against the string kernel with unit weights."""
    try:
        import numpy as np
    except ImportError:
        return {"skipped": "numpy is not installed"}
    count = len(int_pred)
    indptr = np.zeros(count + 1, dtype=np.int64)
    indptr[1:] = np.cumsum([len(p) for p in int_pred])
    indices = np.fromiter((q for p in int_pred for q in p), dtype=np.int64, count=int(indptr[-1]))
    sources = np.asarray(int_targets, dtype=np.int64)

    def batched() -> tuple[int, int]:
        origin = np.arange(len(sources), dtype=np.int64)
        frontier = sources
        seen = np.sort(origin * count + frontier)
        states, edges, level = len(seen), 0, 0
        while len(frontier):
            level += 1
            starts = indptr[frontier]
            widths = indptr[frontier + 1] - starts
            total = int(widths.sum())
            if not total:
                break
            offsets = np.repeat(starts - (np.cumsum(widths) - widths), widths)
            keys = np.unique(
                np.repeat(origin, widths) * count + indices[offsets + np.arange(total)]
            )
            # not seen before: binary search in the sorted keys seen so far
            at = np.minimum(np.searchsorted(seen, keys), len(seen) - 1)
            keys = keys[seen[at] != keys]
            if not len(keys):
                break
            # both sorted: a stable sort of the two runs is one merge (timsort)
            seen = np.sort(np.concatenate((seen, keys)), kind="stable")
            states, edges = states + len(keys), edges + level * len(keys)
            origin, frontier = keys // count, keys % count
        return states, edges

    timings: dict[str, list[float]] = {"strings, unit weights": [], "numpy, batched": []}
    found: dict[str, tuple[int, int]] = {}
    for _ in range(repeats):
        cpu = time.process_time()
        states, edges, _ = kernels.search_strings(pred, {}, targets)
        timings["strings, unit weights"].append(time.process_time() - cpu)
        found["strings"] = (states, edges)
        cpu = time.process_time()
        found["numpy"] = batched()
        timings["numpy, batched"].append(time.process_time() - cpu)
    if found["strings"] != found["numpy"]:
        raise AssertionError(f"numpy and string searches differ: {found}")
    return {
        "states": found["numpy"][0],
        "cpu_s": {name: median(values) for name, values in timings.items()},
        "cpu_runs_s": timings,
    }


def _same(a: tuple[int, int, float], b: tuple[int, int, float], what: str) -> None:
    if a[:2] != b[:2] or abs(a[2] - b[2]) > 1e-9 * max(1.0, abs(a[2])):
        raise AssertionError(f"{what} differ: {a} against {b}")


def compile_kernels(interpreted: bool) -> str:
    """The folder to import ``search_kernels`` from: compiled with mypyc into the cache (once
    per kernel source), or the source's own folder."""
    if interpreted:
        return str(KERNELS.parent)
    source = KERNELS.read_bytes()
    out = CACHE / "kernels" / hashlib.sha256(source).hexdigest()[:16]
    if not any(out.glob("search_kernels*.so")):
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir(parents=True)
        shutil.copy(KERNELS, out)
        print(f"[levers] compiling {KERNELS.name} with mypyc", file=sys.stderr, flush=True)
        subprocess.run(
            [sys.executable, "-m", "mypyc", KERNELS.name], cwd=out, check=True,
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
    return str(out)


# --- 2. the second core (in the worker) ---------------------------------------------------------


MODES = ("one", "split", "records")
REPORT_LABELS = {
    "one": "build_report",
    "split": "split over two processes",
    "records": "large sections as records",
}


def report_worker(nodes: int, seed: int, mode: str, digest: bool) -> dict[str, Any]:
    from graphsvc.analysis.report import build_report
    from graphsvc.cli.app import json_pieces

    m = load_map(map_file(nodes, seed))
    start, cpu = time.perf_counter(), time.process_time()
    child: dict[str, Any] = {}
    made: Any
    if mode == "split":
        made = split_report(m, child)
    elif mode == "records":
        made = report_records(m)
    else:
        made = build_report(m)
    wall = time.perf_counter() - start
    own_cpu = time.process_time() - cpu
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak = peak_rss_bytes()  # before the records are rendered for the digest
    sha256 = None
    if digest:
        report = render_records(m, made) if mode == "records" else made
        hashed = hashlib.sha256()
        for piece in json_pieces(report):  # as graphsvc analyze writes it, in pieces
            hashed.update(piece)
        sha256 = hashed.hexdigest()
    return {
        "mode": mode,
        "wall_s": wall,
        "cpu_s": own_cpu + (children.ru_utime + children.ru_stime if mode == "split" else 0.0),
        "peak_rss_bytes": peak,
        "child": child,
        "sha256": sha256,
    }


def report_records(m: Any) -> dict[str, Any]:
    """What a compact report would hold: ``build_report``'s work with its four large sections
    (contest pairs, feedback loops, power asymmetry, recommendations) kept as the analysis's
    own records (named tuples) instead of made into dicts; the small sections are dicts. A
    lower bound on building such a report, pessimistic by the contest pairs' dicts it makes
    and drops (with the small contest sections)."""
    from operator import attrgetter

    from graphsvc.analysis import report as rep
    from graphsvc.analysis.recommend import each_recommendation
    from graphsvc.analysis.suite import analyse
    from graphsvc.gc_pause import gc_paused

    with gc_paused():
        a = analyse(m)
        records: dict[str, Any] = {
            "recommendations": sorted(each_recommendation(a), key=attrgetter("key")),
            "contest": a.contest,
            "feedback": a.feedback,
            "power": a.power,
            **rep.contest_sections(a),
            **rep.finding_sections(a),
        }
        del records["contestPairs"]
    return records


def render_records(m: Any, records: dict[str, Any]) -> dict[str, Any]:
    """The report of :func:`report_records`, as ``build_report`` makes it."""
    from graphsvc.analysis import report as rep
    from graphsvc.analysis.graph import MapGraph
    from graphsvc.analysis.suite import Analysis

    a = Analysis(MapGraph.build(m), records["contest"], [], [], [], [], [], [])
    report: dict[str, Any] = {key: records.get(key, []) for key in rep.REPORT_KEYS}
    report["map"] = rep.map_entry(m, None)
    report["recommendations"] = [rep.recommendation_data(r) for r in records["recommendations"]]
    report["powerAsymmetry"] = rep.power_section(records["power"])
    report["contestPairs"] = rep.contest_sections(a)["contestPairs"]
    report["feedbackLoops"] = rep.feedback_section(records["feedback"])
    return report


def split_report(m: Any, child: dict[str, Any]) -> dict[str, Any]:
    """``build_report(m)``, with feedback, power, their entries and the feedback fixes made
    in a forked child; ``child`` gets its times and memory."""
    from operator import itemgetter

    from graphsvc.analysis import report as rep
    from graphsvc.analysis.automation import automation_bias
    from graphsvc.analysis.contest import analyse_contest
    from graphsvc.analysis.feedback import feedback_loops
    from graphsvc.analysis.gaps import accountability_gaps
    from graphsvc.analysis.graph import MapGraph
    from graphsvc.analysis.power import power_asymmetry
    from graphsvc.analysis.recommend import _feedback_fixes
    from graphsvc.analysis.salience import salience
    from graphsvc.analysis.spof import single_points_of_failure
    from graphsvc.analysis.suite import Analysis
    from graphsvc.gc_pause import gc_paused

    with gc_paused():
        g = MapGraph.build(m)
        contest = analyse_contest(g)
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            try:
                os.close(read)
                start = time.perf_counter()
                loops = feedback_loops(g)
                fixes = _feedback_fixes(Analysis(g, contest, loops, [], [], [], [], []))
                data = [rep.recommendation_data(r) for r in fixes]
                sections = (
                    rep.feedback_section(loops),
                    rep.power_section(power_asymmetry(g, contest)),
                )
                work_s = time.perf_counter() - start
                memory = {"private_bytes": _private_bytes(), "peak_rss_bytes": peak_rss_bytes()}
                payload = marshal.dumps((data, *sections, work_s, memory))
                with os.fdopen(write, "wb") as out:
                    out.write(payload)
            except BaseException:
                traceback.print_exc()
                os._exit(1)
            os._exit(0)
        os.close(write)
        a = Analysis(
            g, contest, [], accountability_gaps(g), automation_bias(g),
            single_points_of_failure(g, contest), salience(g, contest), [],
        )  # fmt: skip
        report: dict[str, Any] = {key: [] for key in rep.REPORT_KEYS}
        report["map"] = rep.map_entry(m, None)
        recommendations = [rep.recommendation_data(r) for r in _all_but_feedback_fixes(a)]
        report.update(rep.contest_sections(a))
        report.update(rep.finding_sections(a))
        parent_s = time.perf_counter()
        with os.fdopen(read, "rb") as incoming:
            payload = incoming.read()
        _, status = os.waitpid(pid, 0)
        if status != 0:
            raise RuntimeError(f"the child failed (status {status})")
        waited = time.perf_counter() - parent_s
        start = time.perf_counter()
        fixes, report["feedbackLoops"], report["powerAsymmetry"], work_s, memory = marshal.loads(
            payload
        )
        report["recommendations"] = sorted(recommendations + fixes, key=itemgetter("key"))
        child.update(memory, work_s=work_s, waited_s=waited, receive_s=time.perf_counter() - start)
        child["payload_bytes"] = len(payload)
    return report


def _all_but_feedback_fixes(a: Any) -> Iterator[Any]:
    """``recommend.each_recommendation`` less its feedback fixes (the child's): the same
    steps, called one by one (the workers check that the report comes out the same)."""
    from graphsvc.analysis import recommend as rec
    from graphsvc.analysis.plan import Covers, EntryPoints, contest_plan
    from graphsvc.analysis.recommend_gaps import automation_fixes, gap_fixes

    covers = Covers(a, EntryPoints(a.graph))
    yield from rec._contest_fixes(a, covers)
    yield from rec._capacity_fixes(a)
    for fixes in (gap_fixes(a), automation_fixes(a)):
        for key, title, why, changes in fixes:
            yield rec._fix(key, [key], title, why, changes)
    yield from rec._spof_fixes(a)
    plan = contest_plan(a, covers=covers)
    if plan.changes:
        yield rec._plan_recommendation(a, plan)


def _private_bytes() -> int:
    """Memory that only this process maps: what it wrote, its own and copied-on-write pages."""
    total = 0
    with open("/proc/self/smaps_rollup", encoding="ascii") as rollup:
        for line in rollup:
            if line.startswith(("Private_Clean:", "Private_Dirty:")):
                total += int(line.split()[1]) * 1024
    return total


# --- the driver ---------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--size", default="10k")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeats", type=int, default=3, help="runs of each search")
    parser.add_argument("--pairs", type=int, default=2, help="rounds of report processes")
    parser.add_argument("--interpreted", action="store_true", help="kernels not compiled")
    parser.add_argument(
        "--modes", default=",".join(MODES), help="reports to make, of " + ", ".join(MODES)
    )
    parser.add_argument("--no-search", action="store_true", help="skip the searches (part 1)")
    parser.add_argument(
        "--no-digest", action="store_true", help="skip the reports' SHA-256 (memory: 1M nodes)"
    )
    parser.add_argument("--timeout", type=float, default=3600.0, help="seconds per process")
    parser.add_argument("--json", default="", help="write the results here")
    parser.add_argument("--search-worker", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--report-worker", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--mode", choices=MODES, default="one", help=argparse.SUPPRESS)
    parser.add_argument("--kernels", default="", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.search_worker:
        result = search_worker(args.search_worker, args.seed, args.repeats, args.kernels)
        print(json.dumps(result))
        return 0
    if args.report_worker:
        result = report_worker(args.report_worker, args.seed, args.mode, not args.no_digest)
        print(json.dumps(result))
        return 0

    nodes = parse_size(args.size)
    common = ["--seed", str(args.seed)]
    run_worker([str(HERE.parent / "analysis.py"), "--make-map", str(nodes), *common], None)
    search = None
    if not args.no_search:
        kernels = compile_kernels(args.interpreted)
        print(f"[levers] searches at {size_label(nodes)}", file=sys.stderr, flush=True)
        search = run_worker(
            [str(HERE), "--search-worker", str(nodes), "--repeats", str(args.repeats),
             "--kernels", kernels, *common],
            args.timeout,
        )  # fmt: skip
    modes = [mode for mode in args.modes.split(",") if mode]
    if unknown := set(modes) - set(MODES):
        parser.error(f"--modes: unknown {', '.join(sorted(unknown))} (of {', '.join(MODES)})")
    digest = ["--no-digest"] if args.no_digest else []
    runs: list[dict[str, Any] | None] = []
    for i in range(args.pairs):
        for mode in modes:
            print(f"[levers] report {i + 1}/{args.pairs}: {mode}", file=sys.stderr, flush=True)
            runs.append(
                run_worker(
                    [str(HERE), "--report-worker", str(nodes), "--mode", mode, *digest, *common],
                    args.timeout,
                )
            )
    results = {"size": size_label(nodes), "search": search, "reports": runs}
    failed = [r for r in runs if r is None or "error" in r]
    failed += [] if args.no_search else [r for r in [search] if r is None or "error" in r]
    digests = {r["sha256"] for r in runs if r and r.get("sha256")}
    if len(digests) > 1:
        results["error"] = "the reports differ from build_report's"
    print(render(results))
    write_results(args.json, "levers", results)
    return 1 if failed or "error" in results else 0


def render(results: dict[str, Any]) -> str:
    out = [f"## Levers at {results['size']}"]
    search = results["search"] or {}
    if "cpu_s" in search:
        cpu = search["cpu_s"]
        out += [
            "",
            f"{search['targets']:,} authorities, {search['states']:,} states; build_report "
            f"{search['build_report_cpu_s']:.2f} s CPU, of which the contest step "
            f"{search['contest_step_cpu_s']:.2f} s; kernels "
            f"{'compiled' if search['compiled_kernels'] else 'interpreted'}",
            "",
            table(
                ["search (median CPU s)", "seconds", "strings / this"],
                [(name, s, cpu["strings"] / s if s else None) for name, s in cpu.items()],
            ),
        ]
        numpy = search.get("numpy", {})
        if "cpu_s" in numpy:
            unit = numpy["cpu_s"]
            base = unit["strings, unit weights"]
            out += [
                "",
                table(
                    ["fewest-edge search (median CPU s)", "seconds", "strings / this"],
                    [(name, s, base / s if s else None) for name, s in unit.items()],
                ),
            ]
        else:
            out += ["", f"numpy: {numpy.get('skipped', 'not run')}"]
    rows = []
    for run in results["reports"]:
        if not run or "wall_s" not in run:
            rows.append(("failed", None, None, None, None, None, None))
            continue
        child = run["child"]
        rows.append(
            (
                REPORT_LABELS[run["mode"]],
                run["wall_s"],
                run["cpu_s"],
                mib(run["peak_rss_bytes"]),
                mib(child.get("private_bytes")),
                mib(run["peak_rss_bytes"] + child.get("private_bytes", 0)),
                (run["sha256"] or "–")[:12],
            )
        )
    out += [
        "",
        table(
            [
                "report",
                "wall s",
                "CPU s",
                "peak RSS MiB",
                "child private MiB",
                "together MiB",
                "sha256",
            ],
            rows,
        ),
    ]
    if "error" in results:
        out += ["", f"**{results['error']}**"]
    return "\n".join(out)


assert "contest" in PHASES  # the step the search belongs to

if __name__ == "__main__":
    sys.exit(main())

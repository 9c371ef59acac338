"""``graphsvc analyze``: the analysis report of a map file or a stored map."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from graphsvc.analysis.report import REPORT_KEYS
from graphsvc.cli.app import Exit, app, emit_json, err, out, reports_errors, service, settings
from graphsvc.domain.model import StakeholderMap
from graphsvc.errors import InvalidInput, Problem
from graphsvc.service.maps import MapService, read_map_file


class ReportFormat(StrEnum):
    table = "table"
    json = "json"
    html = "html"


FINDING_KEYS = [k for k in REPORT_KEYS if k not in {"map", "contestPairs", "mechanisms"}]


@app.command()
@reports_errors
def analyze(
    target: Annotated[
        str, typer.Argument(metavar="FILE_OR_MAP", help="A map file or a stored map id.")
    ],
    fmt: Annotated[ReportFormat, typer.Option("--format", "-f")] = ReportFormat.table,
    fail_on: Annotated[
        list[str] | None,
        typer.Option(
            "--fail-on",
            help="Exit 1 when this report list has entries (e.g. withoutContestPath); repeatable. "
            "OVERLOADED counts overloaded pairs, BROKEN broken feedback loops.",
        ),
    ] = None,
) -> None:
    """Analyse a map: contest paths, overloaded mechanisms, feedback loops and more.

    ``--format html`` prints a standalone report page (opens offline).
    """
    checks = _fail_checks(fail_on or [])
    m, report = _report(target)
    if fmt == ReportFormat.json:
        emit_json(report)
    elif fmt == ReportFormat.html:
        # Imported here: pyvis is only needed for this format.
        from graphsvc.render.html_report import render_report_html

        sys.stdout.write(render_report_html(m, report) + "\n")
    else:
        _print_tables(report)
    failing = [name for name, found in ((c, _findings(report, c)) for c in checks) if found]
    if failing:
        err.print(f"findings present: {', '.join(failing)}")
        raise typer.Exit(Exit.FINDINGS)


def _report(target: str) -> tuple[StakeholderMap, dict[str, Any]]:
    path = Path(target)
    if path.is_file() or path.suffix.lower() in {".yaml", ".yml", ".json"}:
        m = read_map_file(path, settings())
        return m, MapService.analyze_map(m)
    maps = service()
    report = maps.analyze(target)
    return maps.load(target), report


def _fail_checks(names: list[str]) -> list[str]:
    allowed = [*FINDING_KEYS, "OVERLOADED", "BROKEN"]
    bad = [n for n in names if n not in allowed]
    if bad:
        message = f"unknown --fail-on value (expected one of {', '.join(allowed)})"
        raise InvalidInput([Problem(message, "--fail-on", value=b) for b in bad])
    return names


def _findings(report: dict[str, Any], check: str) -> int:
    if check == "OVERLOADED":
        return sum(p["status"] == "OVERLOADED" for p in report["contestPairs"])
    if check == "BROKEN":
        return sum(f["status"] == "BROKEN" for f in report["feedbackLoops"])
    return len(report[check])


_STATUS_STYLE = {
    "NONE": "bold red",
    "NO_AUTHORITY": "red",
    "OVERLOADED": "yellow",
    "EFFECTIVE": "green",
    "BROKEN": "red",
    "PRESENT": "green",
}


def _number(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:,.{digits}f}".rstrip("0").rstrip(".")


def _print_tables(report: dict[str, Any]) -> None:
    meta = report["map"]
    size = f"{meta['nodeCount']} nodes, {meta['edgeCount']} edges"
    out.print(f"[bold]{meta['title'] or meta['id']}[/] ({size})")
    pairs = Table(
        "system",
        "stakeholder",
        "status",
        "best contest path",
        "access.",
        "demand/mo",
        "coverage",
        title="Contest pairs",
    )
    for p in report["contestPairs"]:
        style = _STATUS_STYLE[p["status"]]
        pairs.add_row(
            p["system"], p["stakeholder"], f"[{style}]{p['status']}[/]",
            " → ".join(p["path"]) if p["path"] else "-",
            _number(p["accessibility"], 3), _number(p["demandPerMonth"]), _number(p["coverage"], 3),
        )  # fmt: skip
    out.print(pairs)
    without = report["withoutContestPath"]
    if without:
        table = Table(
            "stakeholder", "name", "cannot contest", title="Stakeholders without a contest path"
        )
        for s in without:
            systems = ", ".join(f"{p['system']} ({p['status']})" for p in s["pairs"])
            table.add_row(s["id"], s["name"], systems)
        out.print(table)
    else:
        out.print("[green]Every affected stakeholder has a contest path.[/]")
    mechanisms = Table(
        "mechanism", "capacity/mo", "load/mo", "utilization", "coverage", title="Mechanisms"
    )
    for m in report["mechanisms"]:
        utilization = m["utilization"]
        shown = "-" if utilization is None else f"{utilization:.0%}"
        if utilization is not None and utilization > 1:
            shown = f"[bold red]{shown}[/]"
        mechanisms.add_row(
            m["id"],
            _number(m["capacityPerMonth"]),
            _number(m["loadPerMonth"]),
            shown,
            _number(m["coverage"], 3),
        )
    out.print(mechanisms)
    loops = Table("system", "stakeholder", "feedback", "path", title="Feedback loops")
    for f in report["feedbackLoops"]:
        style = _STATUS_STYLE[f["status"]]
        loops.add_row(
            f["system"],
            f["stakeholder"],
            f"[{style}]{f['status']}[/]",
            " → ".join(f["path"] or []) or "-",
        )
    out.print(loops)
    _print_findings(report)


def _print_findings(report: dict[str, Any]) -> None:
    """The analyses of issue 5, one compact table each (empty ones are left out)."""
    sections: list[tuple[str, list[str], list[list[str]]]] = [
        ("Accountability gaps", ["type", "subject", "why"],
         [[g["type"], g["subject"], g["reason"]] for g in report["accountabilityGaps"]]),
        ("Automation-bias risk", ["system", "level", "flags"],
         [[a["system"], a["level"], ", ".join(a["flags"])] for a in report["automationBias"]]),
        ("Single points of failure", ["node", "pairs that depend on it"],
         [[s["node"], "; ".join(f"{x} → {c}" for x, c in s["pairs"])]
          for s in report["singlePointsOfFailure"]]),
        ("Salience", ["stakeholder", "class"],
         [[s["stakeholder"], s["class"]] for s in report["salience"]]),
        ("Power asymmetry", ["actor", "stakeholder", "power over", "counter", "asymmetry"],
         [[p["actor"], p["stakeholder"], f"{p['powerOver']:.2f}", f"{p['counterPower']:.2f}",
           f"{p['asymmetry']:.2f}"] for p in report["powerAsymmetry"]]),
        ("Recommendations", ["key", "recommendation"],
         [[r["key"], r["title"]] for r in report["recommendations"]]),
    ]  # fmt: skip
    for title, header, rows in sections:
        if rows:
            table = Table(title=title)
            for name in header:
                table.add_column(name, overflow="fold")  # keys are copied, never cut
            for row in rows:
                table.add_row(*row)
            out.print(table)

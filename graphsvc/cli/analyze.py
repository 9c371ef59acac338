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
    rows: Annotated[
        int,
        typer.Option(
            "--rows",
            min=0,
            help="Rows shown per table (0: all); the table format only, JSON is always whole.",
        ),
    ] = 50,
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
        _print_tables(report, rows)
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


def _shown(table: Table, rows: list[list[str]], total: int) -> Table:
    """``table`` with ``rows`` (the first of ``total``), and a caption saying what is left out:
    a large map has hundreds of thousands of pairs, more than a terminal can show."""
    for row in rows:
        table.add_row(*row)
    if len(rows) < total:
        table.caption = (
            f"{total - len(rows):,} more of {total:,} (--rows 0 shows all; "
            "--format json gives everything)"
        )
    return table


def _print_tables(report: dict[str, Any], limit: int) -> None:
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
    pair_rows = [
        [
            p["system"], p["stakeholder"], f"[{_STATUS_STYLE[p['status']]}]{p['status']}[/]",
            " → ".join(p["path"]) if p["path"] else "-",
            _number(p["accessibility"], 3), _number(p["demandPerMonth"]), _number(p["coverage"], 3),
        ]
        for p in report["contestPairs"][: limit or None]
    ]  # fmt: skip
    out.print(_shown(pairs, pair_rows, len(report["contestPairs"])))
    without = report["withoutContestPath"]
    if without:
        table = Table(
            "stakeholder", "name", "cannot contest", title="Stakeholders without a contest path"
        )
        rows = [
            [s["id"], s["name"], ", ".join(f"{p['system']} ({p['status']})" for p in s["pairs"])]
            for s in without[: limit or None]
        ]
        out.print(_shown(table, rows, len(without)))
    else:
        out.print("[green]Every affected stakeholder has a contest path.[/]")
    mechanisms = Table(
        "mechanism", "capacity/mo", "load/mo", "utilization", "coverage", title="Mechanisms"
    )
    mechanism_rows = []
    for m in report["mechanisms"][: limit or None]:
        utilization = m["utilization"]
        shown = "-" if utilization is None else f"{utilization:.0%}"
        if utilization is not None and utilization > 1:
            shown = f"[bold red]{shown}[/]"
        mechanism_rows.append(
            [
                m["id"],
                _number(m["capacityPerMonth"]),
                _number(m["loadPerMonth"]),
                shown,
                _number(m["coverage"], 3),
            ]
        )
    out.print(_shown(mechanisms, mechanism_rows, len(report["mechanisms"])))
    loops = Table("system", "stakeholder", "feedback", "path", title="Feedback loops")
    loop_rows = [
        [
            f["system"],
            f["stakeholder"],
            f"[{_STATUS_STYLE[f['status']]}]{f['status']}[/]",
            " → ".join(f["path"] or []) or "-",
        ]
        for f in report["feedbackLoops"][: limit or None]
    ]
    out.print(_shown(loops, loop_rows, len(report["feedbackLoops"])))
    _print_findings(report, limit)


def _print_findings(report: dict[str, Any], limit: int) -> None:
    """The analyses of issue 5, one compact table each (empty ones are left out)."""

    def first(key: str) -> list[dict[str, Any]]:
        entries: list[dict[str, Any]] = report[key][: limit or None]
        return entries

    sections: list[tuple[str, str, list[str], list[list[str]]]] = [
        ("Accountability gaps", "accountabilityGaps", ["type", "subject", "why"],
         [[g["type"], g["subject"], g["reason"]] for g in first("accountabilityGaps")]),
        ("Automation-bias risk", "automationBias", ["system", "level", "flags"],
         [[a["system"], a["level"], ", ".join(a["flags"])] for a in first("automationBias")]),
        ("Single points of failure", "singlePointsOfFailure", ["node", "pairs that depend on it"],
         [[s["node"], "; ".join(f"{x} → {c}" for x, c in s["pairs"])]
          for s in first("singlePointsOfFailure")]),
        ("Salience", "salience", ["stakeholder", "class"],
         [[s["stakeholder"], s["class"]] for s in first("salience")]),
        ("Power asymmetry", "powerAsymmetry",
         ["actor", "stakeholder", "power over", "counter", "asymmetry"],
         [[p["actor"], p["stakeholder"], f"{p['powerOver']:.2f}", f"{p['counterPower']:.2f}",
           f"{p['asymmetry']:.2f}"] for p in first("powerAsymmetry")]),
        ("Recommendations", "recommendations", ["key", "recommendation"],
         [[r["key"], r["title"]] for r in first("recommendations")]),
    ]  # fmt: skip
    for title, key, header, rows in sections:
        if rows:
            table = Table(title=title)
            for name in header:
                table.add_column(name, overflow="fold")  # keys are copied, never cut
            out.print(_shown(table, rows, len(report[key])))

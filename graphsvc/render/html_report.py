"""The standalone HTML report: a pyvis network with findings highlighted, plus tables.

The page opens offline: the vis-network script and style that ship inside the pyvis package
are inlined, and nothing else is loaded. Large maps show only the nodes involved in findings
and their neighbours (at most ``MAX_NETWORK_NODES``), and each table its first
``MAX_TABLE_ROWS`` rows (in report order, so the worst power asymmetries come first).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from functools import cache
from html import escape
from importlib import resources
from typing import Any

from pyvis.network import Network

from graphsvc.analysis.findings import findings
from graphsvc.domain.model import StakeholderMap

MAX_NETWORK_NODES = 1500
MAX_TABLE_ROWS = 2000  # beyond this a page stops being readable; the JSON report has all
VIS_VERSION = "vis-9.1.2"

KIND_STYLE: dict[str, tuple[str, str]] = {  # kind → (colour, vis shape)
    "AISystem": ("#4e79a7", "box"),
    "Organization": ("#59a14f", "ellipse"),
    "UserGroup": ("#edc948", "ellipse"),
    "AffectedCommunity": ("#f28e2b", "ellipse"),
    "OversightBody": ("#b07aa1", "diamond"),
    "Mechanism": ("#76b7b2", "hexagon"),
    "Incentive": ("#bab0ac", "triangle"),
}
CONTEST_EDGES = frozenset({"CAN_CONTEST_VIA", "HANDLED_BY", "REPRESENTS", "FEEDS_BACK_TO"})
FINDING_COLOUR = "#e15759"


def render_report_html(m: StakeholderMap, report: Mapping[str, Any]) -> str:
    """One self-contained HTML page for a map and its report (from ``build_report``)."""
    flagged = _findings_by_node(report)
    nodes, edges, note = _network(m, flagged)
    title = report["map"].get("title") or m.id
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{escape(title)} — graphsvc report</title>",
        f"<style>{_vis_asset('vis-network.css')}</style>",
        f"<script>{_vis_asset('vis-network.min.js')}</script>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        _summary(m, report),
        "<h2>Network</h2>",
        f"<p class='note'>{escape(note)}</p>" if note else "",
        _legend(),
        "<div id='network'></div>",
        _tables(report),
        "<script>",
        f"const nodes = new vis.DataSet({_json(nodes)});",
        f"const edges = new vis.DataSet({_json(edges)});",
        "new vis.Network(document.getElementById('network'), {nodes, edges}, "
        f"{_json(_OPTIONS)});",
        "</script></body></html>",
    ]
    return "\n".join(parts)


@cache
def _vis_asset(name: str) -> str:
    # Inlined so that the report needs no network; "</" would end the tag early.
    path = resources.files("pyvis") / "templates" / "lib" / VIS_VERSION / name
    return path.read_text(encoding="utf-8").replace("</script", "<\\/script")


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False).replace("</", "<\\/")


def _findings_by_node(report: Mapping[str, Any]) -> dict[str, list[str]]:
    """Finding keys about each node (its subject, system or stakeholder)."""
    out: dict[str, list[str]] = {}
    for key, (section, entry) in findings(report).items():
        if section in {"salience", "powerAsymmetry"}:
            continue
        for field in ("stakeholder", "system", "subject", "node", "id"):
            if field in entry and isinstance(entry[field], str):
                out.setdefault(entry[field], []).append(key)
    return out


def _network(
    m: StakeholderMap, flagged: Mapping[str, list[str]]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], str]:
    shown = {n.id for n in m.nodes}
    note = ""
    if len(shown) > MAX_NETWORK_NODES:
        shown = set(list(flagged)[:MAX_NETWORK_NODES])
        for e in m.edges:
            if len(shown) >= MAX_NETWORK_NODES:
                break
            if e.from_ in flagged or e.to in flagged:
                shown.update((e.from_, e.to))
        note = (
            f"The map has {len(m.nodes)} nodes; the network shows the {len(shown)} involved in "
            "findings and their neighbours."
        )
    net = Network(directed=True)
    for node in m.nodes:
        if node.id not in shown:
            continue
        colour, shape = KIND_STYLE[node.kind]
        keys = flagged.get(node.id, [])
        lines = [f"{node.name} ({node.kind}, {node.id})", *keys]
        net.add_node(
            node.id,
            label=node.name,
            title="\n".join(lines),
            shape=shape,
            color={"background": colour, "border": FINDING_COLOUR if keys else colour},
            borderWidth=4 if keys else 1,
            group=node.kind,
        )
    for edge in m.edges:
        if edge.from_ in shown and edge.to in shown:
            net.add_edge(
                edge.from_, edge.to, title=edge.kind, label=edge.kind.lower().replace("_", " "),
                dashes=edge.kind in CONTEST_EDGES, arrows="to",
            )  # fmt: skip
    return net.nodes, net.edges, note


def _summary(m: StakeholderMap, report: Mapping[str, Any]) -> str:
    counts = [
        ("contest pairs without a path", len(report["withoutContestPath"])),
        ("overloaded pairs", sum(p["status"] == "OVERLOADED" for p in report["contestPairs"])),
        ("broken feedback loops", sum(f["status"] == "BROKEN" for f in report["feedbackLoops"])),
        ("accountability gaps", len(report["accountabilityGaps"])),
        ("automation-bias risks", len(report["automationBias"])),
        ("single points of failure", len(report["singlePointsOfFailure"])),
        ("recommendations", len(report["recommendations"])),
    ]
    meta = report["map"]
    cards = "".join(
        f"<div class='card{' bad' if n and 'recommend' not in label else ''}'>"
        f"<b>{n}</b>{escape(label)}</div>"
        for label, n in counts
    )
    version = "" if meta.get("version") is None else f", version {meta['version']}"
    return (
        f"<p>Map <code>{escape(m.id)}</code>{version}: {meta['nodeCount']} nodes, "
        f"{meta['edgeCount']} edges. Definitions: docs/ANALYSES.md.</p>"
        f"<div class='cards'>{cards}</div>"
    )


def _legend() -> str:
    items = "".join(
        f"<span><i style='background:{c}'></i>{escape(kind)}</span>"
        for kind, (c, _) in KIND_STYLE.items()
    )
    return (
        f"<div class='legend'>{items}<span><i class='ring'></i>has findings</span>"
        "<span>dashed: contest and feedback edges</span></div>"
    )


def _tables(report: Mapping[str, Any]) -> str:
    def path(value: Sequence[str] | None) -> str:
        return " → ".join(value) if value else "–"

    def num(value: float | None) -> str:
        return "–" if value is None else f"{value:,.3g}"

    sections = [
        _table("Contest pairs", ["system", "stakeholder", "status", "best contest path",
               "accessibility", "demand/month", "coverage"],
               [[p["system"], p["stakeholder"], _status(p["status"]), path(p["path"]),
                 num(p["accessibility"]), num(p["demandPerMonth"]), num(p["coverage"])]
                for p in report["contestPairs"]]),
        _table("Stakeholders without a contest path", ["stakeholder", "name", "cannot contest"],
               [[s["id"], s["name"], ", ".join(f"{x['system']} ({x['status']})"
                                              for x in s["pairs"])]
                for s in report["withoutContestPath"]]),
        _table("Mechanisms", ["mechanism", "capacity/month", "load/month", "utilization",
                              "coverage"],
               [[x["id"], num(x["capacityPerMonth"]), num(x["loadPerMonth"]),
                 "–" if x["utilization"] is None else f"{x['utilization']:.0%}",
                 _status("OVERLOADED" if x["coverage"] < 1 else "OK", num(x["coverage"]))]
                for x in report["mechanisms"]]),
        _table("Feedback loops", ["system", "stakeholder", "status", "path"],
               [[f["system"], f["stakeholder"], _status(f["status"]), path(f["path"])]
                for f in report["feedbackLoops"]]),
        _table("Accountability gaps", ["type", "subject", "related", "why"],
               [[_status(x["type"]), x["subject"], ", ".join(x["related"]), x["reason"]]
                for x in report["accountabilityGaps"]]),
        _table("Automation-bias risk", ["system", "level", "flags"],
               [[x["system"], _status(x["level"]), ", ".join(x["flags"])]
                for x in report["automationBias"]]),
        _table("Single points of failure", ["node", "kind", "pairs that depend on it"],
               [[x["node"], x["kind"], "; ".join(f"{s} → {c}" for s, c in x["pairs"])]
                for x in report["singlePointsOfFailure"]]),
        _table("Salience", ["stakeholder", "kind", "power", "legitimacy", "urgency", "class"],
               [[x["stakeholder"], x["kind"], _yes(x["power"]), _yes(x["legitimacy"]),
                 _yes(x["urgency"]), x["class"]] for x in report["salience"]]),
        _table("Power asymmetry", ["actor", "stakeholder", "system", "power over",
                                   "counter-power", "asymmetry", "reasons"],
               [[x["actor"], x["stakeholder"], x["system"], f"{x['powerOver']:.2f}",
                 f"{x['counterPower']:.2f}", f"{x['asymmetry']:.2f}", "; ".join(x["reasons"])]
                for x in report["powerAsymmetry"]]),
    ]  # fmt: skip
    return "\n".join([*sections, _recommendations(report["recommendations"])])


def _recommendations(items: Sequence[Mapping[str, Any]]) -> str:
    rows = []
    for r in items[:MAX_TABLE_ROWS]:
        changes = escape(json.dumps(r["changes"], indent=1, ensure_ascii=False))
        rows.append(
            f"<tr><td>{escape(r['title'])}<br><small>{escape(r['key'])}</small></td>"
            f"<td>{escape(r['rationale'])}</td><td>{escape(', '.join(r['resolves']))}</td>"
            f"<td><details><summary>{len(r['changes'])} changes</summary>"
            f"<pre>{changes}</pre></details></td></tr>"
        )
    head = "<tr><th>recommendation</th><th>why</th><th>resolves</th><th>change set</th></tr>"
    body = "".join(rows) or "<tr><td colspan='4'>none</td></tr>"
    return f"<h2>Recommendations</h2><table>{head}{body}</table>{_more(len(items))}"


def _table(title: str, header: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(f"<td>{_cell(c)}</td>" for c in row) + "</tr>"
        for row in rows[:MAX_TABLE_ROWS]
    )
    body = body or f"<tr><td colspan='{len(header)}'>none</td></tr>"
    return f"<h2>{escape(title)}</h2><table><tr>{head}</tr>{body}</table>{_more(len(rows))}"


def _more(count: int) -> str:
    if count <= MAX_TABLE_ROWS:
        return ""
    hidden = count - MAX_TABLE_ROWS
    return (
        f"<p class='note'>… and {hidden:,} more rows; <code>graphsvc analyze --format json</code> "
        "lists them all.</p>"
    )


class _Markup(str):
    """Already-escaped HTML."""


def _cell(value: str) -> str:
    return value if isinstance(value, _Markup) else escape(str(value))


def _status(status: str, text: str | None = None) -> str:
    good = status in {"EFFECTIVE", "PRESENT", "OK"}
    return _Markup(f"<span class='{'ok' if good else 'bad'}'>{escape(text or status)}</span>")


def _yes(value: bool) -> str:
    return "yes" if value else "–"


_OPTIONS = {
    "physics": {"solver": "forceAtlas2Based", "stabilization": {"iterations": 300}},
    "edges": {"font": {"size": 9, "color": "#666"}, "smooth": {"type": "dynamic"}},
    "interaction": {"hover": True, "navigationButtons": False},
}
_CSS = """
body{font-family:system-ui,sans-serif;margin:1.5rem;color:#222}
#network{height:640px;border:1px solid #ccc;border-radius:4px}
table{border-collapse:collapse;margin:.5rem 0 1.5rem;font-size:.9rem}
td,th{border:1px solid #ddd;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f4f4f4}.bad{color:#b00020;font-weight:600}.ok{color:#1b7f3b}
.cards{display:flex;flex-wrap:wrap;gap:.5rem}.card{border:1px solid #ccc;border-radius:4px;
padding:.4rem .7rem}.card b{display:block;font-size:1.4rem}.card.bad{border-color:#e15759}
.legend span{margin-right:1rem;font-size:.85rem}.legend i{display:inline-block;width:.8rem;
height:.8rem;margin-right:.3rem;border-radius:50%}.legend i.ring{border:3px solid #e15759}
.note{color:#555}pre{font-size:.75rem;max-width:40rem;overflow:auto}
"""

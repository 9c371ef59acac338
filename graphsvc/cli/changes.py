"""``graphsvc changes MAP``: a map's audit log, newest first."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from graphsvc.cli.app import app, emit_json, out, reports_errors, service
from graphsvc.cli.maps import ListFormat


@app.command()
@reports_errors
def changes(
    map_id: Annotated[str, typer.Argument(metavar="MAP", help="Id of a map (also a deleted one).")],
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="Newest entries shown.")] = 50,
    fmt: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
) -> None:
    """Who changed what in a map and when: one entry per element written."""
    page = service().changes(map_id, after=None, limit=limit)
    if fmt == ListFormat.json:
        emit_json(
            [
                {
                    "version": c.version,
                    "at": c.at,
                    "actor": c.actor,
                    "operation": c.operation,
                    "elementId": c.element_id,
                    "before": c.before,
                    "after": c.after,
                }
                for c in page.items
            ]
        )
        return
    table = Table("version", "at", "actor", "operation", "element", "after", title=Text(map_id))
    for c in page.items:
        after = "" if c.after is None else json.dumps(c.after, ensure_ascii=False)
        cells = (
            "" if c.version is None else str(c.version),
            c.at,
            c.actor,
            c.operation,
            c.element_id or "",
            after if len(after) <= 80 else after[:77] + "...",
        )
        table.add_row(*(Text(cell) for cell in cells))  # shown literally, never as markup
    out.print(table)
    if page.has_next:
        out.print(f"{page.total - len(page.items)} older entries (--limit to see more)")

"""Commands that move maps in and out of the store: validate, import, export, maps."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from graphsvc.cli.app import app, emit_json, err, out, reports_errors, service, settings
from graphsvc.errors import InvalidInput, Problem
from graphsvc.service.maps import read_map_file


class ListFormat(StrEnum):
    table = "table"
    json = "json"


class MapFormat(StrEnum):
    yaml = "yaml"
    json = "json"


class ExportFormat(StrEnum):
    """The formats of graphsvc.formats.EXPORT_FORMATS (a test keeps the two equal)."""

    yaml = "yaml"
    json = "json"
    graphml = "graphml"
    gexf = "gexf"
    csv = "csv"
    cypher = "cypher"
    html = "html"


class ImportFormat(StrEnum):
    """The formats of graphsvc.formats.IMPORT_FORMATS."""

    yaml = "yaml"
    json = "json"
    graphml = "graphml"
    csv = "csv"


Files = Annotated[list[Path], typer.Argument(help="Map files (.yaml, .yml or .json).")]


@app.command()
@reports_errors
def validate(files: Files) -> None:
    """Check map files; report every problem with its file, line and value."""
    config = settings()
    problems: list[Problem] = []
    for path in files:
        try:
            m = read_map_file(path, config)
            out.print(
                f"[green]ok[/] {path}: map {m.id!r}, {len(m.nodes)} nodes, {len(m.edges)} edges"
            )
        except InvalidInput as exc:
            problems.extend(exc.problems)
    if problems:
        raise InvalidInput(problems)


@app.command("import")
@reports_errors
def import_(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="Map files (.yaml, .yml, .json), GraphML files (.graphml), or CSV workshop "
            "folders (a folder, a .zip of one, or its nodes.csv)."
        ),
    ],
    replace: Annotated[bool, typer.Option("--replace", help="Overwrite maps that exist.")] = False,
    fmt: Annotated[
        ImportFormat | None,
        typer.Option("--format", "-f", help="Format of every file (default: from the path)."),
    ] = None,
) -> None:
    """Validate maps and store them, all or nothing."""
    chosen = fmt.value if fmt else None
    for map_id, version in service().import_files(files, replace=replace, fmt=chosen):
        out.print(f"imported map {map_id!r} (version {version})")


@app.command()
@reports_errors
def export(
    map_id: Annotated[str, typer.Argument(metavar="MAP", help="Id of a stored map.")],
    fmt: Annotated[
        ExportFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ExportFormat.yaml,
    output: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="Write to a file (csv: a folder, or a .zip). Required for csv.",
        ),
    ] = None,
) -> None:
    """Print or write a stored map; yaml, json, graphml and csv import back to an equal map.

    gexf opens in Gephi, cypher loads into any Neo4j, html is the standalone report.
    """
    exported = service().export_as(map_id, fmt.value)
    if output is None:
        if not exported.is_single_file:
            raise InvalidInput(
                [Problem("csv export writes several files: give --out FOLDER or --out FILE.zip")]
            )
        typer.echo(exported.text, nl=False)
        return
    for path in exported.write(output):
        err.print(f"wrote {path}")


@app.command("maps")
@reports_errors
def list_maps(
    fmt: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
) -> None:
    """List the stored maps."""
    infos = service().list_maps()
    if fmt == ListFormat.json:
        emit_json(
            [
                {
                    "id": i.id,
                    "title": i.title,
                    "version": i.version,
                    "nodeCount": i.node_count,
                    "edgeCount": i.edge_count,
                    "updatedAt": i.updated_at,
                }
                for i in infos
            ]
        )
        return
    table = Table("map", "title", "version", "nodes", "edges", "updated", title="Stored maps")
    for i in infos:
        table.add_row(
            i.id, i.title or "", str(i.version), str(i.node_count), str(i.edge_count), i.updated_at
        )
    out.print(table if infos else "no maps stored yet (try: graphsvc import seeds/*.yaml)")

"""``graphsvc import-aiid`` and ``graphsvc import-register``: maps from public datasets.

Both store the map into the configured store (``--replace`` overwrites a map with the same
id), or, with ``--out FILE``, write it as a file instead and store nothing; the format follows
the extension (.yaml, .json, .graphml, .gexf, .cypher; a folder or .zip is the CSV format).
Imports are strict: one unusable row fails the import, every such row is listed with its file
and line, and nothing is stored. ``--skip-bad-rows`` imports the rest and lists what it
skipped. A progress bar goes to stderr when it is a terminal (``--progress`` forces it).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from graphsvc.cli.app import app, err, out, reports_errors, service, settings
from graphsvc.formats import detect_export_format, export_map
from graphsvc.importers.issues import Imported, ProgressCallback

MapId = Annotated[str | None, typer.Option("--map-id", help="Id of the new map.")]
OutFile = Annotated[
    Path | None,
    typer.Option(
        "--out",
        "-o",
        help="Write the map to this file (format from the extension) instead of storing it.",
    ),
]
Replace = Annotated[
    bool, typer.Option("--replace", help="Overwrite a stored map with the same id.")
]
SkipBad = Annotated[
    bool,
    typer.Option(
        "--skip-bad-rows",
        help="Import the usable rows and list the others, instead of failing on any.",
    ),
]
ShowProgress = Annotated[
    bool | None,
    typer.Option(
        "--progress/--no-progress", help="Progress bar on stderr (default: when a terminal)."
    ),
]


@app.command("import-aiid")
@reports_errors
def import_aiid_command(
    incidents: Annotated[
        Path, typer.Argument(metavar="INCIDENTS.csv", help="incidents.csv of an AIID export.")
    ],
    entities: Annotated[
        Path | None,
        typer.Option("--entities", metavar="ENTITIES.csv", help="entity_id → name."),
    ] = None,
    duplicates: Annotated[
        Path | None,
        typer.Option(
            "--duplicates",
            metavar="DUPLICATES.csv",
            help="Duplicate → true incident (default: duplicates.csv beside INCIDENTS.csv).",
        ),
    ] = None,
    no_duplicates: Annotated[
        bool, typer.Option("--no-duplicates", help="Do not merge duplicate incidents.")
    ] = False,
    map_id: MapId = None,
    output: OutFile = None,
    replace: Replace = False,
    skip_bad_rows: SkipBad = False,
    progress: ShowProgress = None,
) -> None:
    """Build a map from the AI Incident Database: incidents, deployers, developers, harmed."""
    from graphsvc.importers.aiid import import_aiid

    if duplicates is None and not no_duplicates:
        beside = incidents.parent / "duplicates.csv"
        duplicates = beside if beside.is_file() else None
    if duplicates is not None and not no_duplicates:
        err.print(f"merging duplicate incidents listed in {duplicates}", highlight=False)
    with _progress_bar("incidents", progress) as on_row:
        result = import_aiid(
            incidents,
            entities=entities,
            duplicates=None if no_duplicates else duplicates,
            map_id=map_id or "aiid",
            strict=not skip_bad_rows,
            progress=on_row,
            max_bytes=settings().max_file_bytes,
        )
    _finish(result, output, replace)


@app.command("import-register")
@reports_errors
def import_register_command(
    register: Annotated[
        Path,
        typer.Argument(
            metavar="REGISTER.json", help="The Dutch algorithm register's published JSON."
        ),
    ],
    map_id: MapId = None,
    output: OutFile = None,
    replace: Replace = False,
    skip_bad_rows: SkipBad = False,
    progress: ShowProgress = None,
) -> None:
    """Build a map from the Dutch government algorithm register (algoritmeregister)."""
    from graphsvc.importers.register import import_register

    with _progress_bar("algorithms", progress) as on_row:
        result = import_register(
            register,
            map_id=map_id or "nl-algoritmeregister",
            strict=not skip_bad_rows,
            progress=on_row,
            max_bytes=settings().max_file_bytes,
        )
    _finish(result, output, replace)


@contextmanager
def _progress_bar(label: str, wanted: bool | None) -> Iterator[ProgressCallback | None]:
    show = sys.stderr.isatty() if wanted is None else wanted
    if not show:
        yield None
        return
    bar = Progress(
        TextColumn(f"reading {label}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=True,
    )
    task = bar.add_task(label, total=None)

    def on_row(done: int, total: int) -> None:
        bar.update(task, completed=done, total=total)

    with bar:
        yield on_row


def _finish(result: Imported, output: Path | None, replace: bool) -> None:
    for warning in result.warnings:
        err.print(f"[yellow]warning[/]: {warning}", highlight=False)
    m = result.map
    counts = ", ".join(f"{value} {name}" for name, value in result.counts.items())
    skipped = f"; {result.skipped_rows} rows skipped" if result.skipped_rows else ""
    if output is not None:
        written = export_map(m, detect_export_format(output)).write(output)
        where = ", ".join(str(p) for p in written)
        out.print(f"wrote map {m.id!r} to {where} ({counts}{skipped})", highlight=False)
        return
    version = service().save(m, replace=replace)
    out.print(f"imported map {m.id!r} (version {version}): {counts}{skipped}", highlight=False)

"""Exchange formats: moving maps in and out of the tools people already use.

Every format goes through the map-file shape (:func:`graphsvc.domain.mapfile.map_to_data`) and
back through domain validation, so an import is checked exactly like a map file and reports
problems with the file and line (or CSV row) they come from.

============  ======  ======  ==============================================================
format        export  import  what
============  ======  ======  ==============================================================
``yaml``      yes     yes     map file (SPEC §2)
``json``      yes     yes     map file (SPEC §2)
``graphml``   yes     yes     GraphML with every field and attribute (yEd, Gephi, networkx)
``gexf``      yes     no      GEXF 1.2 for Gephi: kinds as attribute and colour
``csv``       yes     yes     workshop folder: nodes.csv, edges.csv, sources.csv, map.csv
``cypher``    yes     no      Cypher script that loads the map into any Neo4j
``html``      yes     no      the standalone analysis report (graphsvc.render.html_report)
============  ======  ======  ==============================================================

Layering: formats come after the store and the analyses (the Cypher script writes the Neo4j
store's data model; the HTML export renders the analysis report) and before the service.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, get_args

from graphsvc.domain.mapfile import dump_map, load_map_file
from graphsvc.domain.model import StakeholderMap
from graphsvc.errors import InvalidInput, Problem

ExportFormat = Literal["yaml", "json", "graphml", "gexf", "csv", "cypher", "html"]
ImportFormat = Literal["yaml", "json", "graphml", "csv"]
EXPORT_FORMATS: tuple[str, ...] = get_args(ExportFormat)
IMPORT_FORMATS: tuple[str, ...] = get_args(ImportFormat)

MEDIA_TYPES = {
    "yaml": "application/yaml",
    "json": "application/json",
    "graphml": "application/graphml+xml",
    "gexf": "application/gexf+xml",
    "csv": "application/zip",
    "cypher": "application/x-cypher-query",
    "html": "text/html",
}
_EXTENSIONS = {
    "yaml": "yaml",
    "json": "json",
    "graphml": "graphml",
    "gexf": "gexf",
    "cypher": "cypher",
    "html": "html",
}


@dataclass(frozen=True)
class Exported:
    """An exported map: one file, or several (CSV) that travel as a folder or a zip."""

    map_id: str
    format: str
    files: Mapping[str, str]

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.format]

    @property
    def is_single_file(self) -> bool:
        return len(self.files) == 1

    @property
    def filename(self) -> str:
        """A name for a download: the one file's name, or ``MAP.zip``."""
        return next(iter(self.files)) if self.is_single_file else f"{self.map_id}.zip"

    @property
    def text(self) -> str:
        """The content of a single-file export."""
        if not self.is_single_file:
            raise InvalidInput(
                [Problem(f"{self.format} export is a folder of files; write it to a folder or zip")]
            )
        return next(iter(self.files.values()))

    def content(self) -> bytes:
        """The bytes to send: the file itself, or a zip of the folder."""
        if self.is_single_file:
            return self.text.encode("utf-8")
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, text in self.files.items():
                info = zipfile.ZipInfo(f"{self.map_id}/{name}", date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, text.encode("utf-8"))
        return buffer.getvalue()

    def write(self, target: Path) -> list[Path]:
        """Write to ``target``: a file; for several files a folder, or a zip if it ends in .zip."""
        if self.is_single_file:
            target.write_text(self.text, encoding="utf-8", newline="")
            return [target]
        if target.suffix.lower() == ".zip":
            target.write_bytes(self.content())
            return [target]
        target.mkdir(parents=True, exist_ok=True)
        written = []
        for name, text in self.files.items():
            (target / name).write_text(text, encoding="utf-8", newline="")
            written.append(target / name)
        return written


def export_map(m: StakeholderMap, fmt: str) -> Exported:
    """The map in an export format (see the table above)."""
    if fmt in {"yaml", "json"}:
        text = dump_map(m, "json" if fmt == "json" else "yaml")
    elif fmt == "graphml":
        from graphsvc.formats.graphml import export_graphml

        text = export_graphml(m)
    elif fmt == "gexf":
        from graphsvc.formats.gexf import export_gexf

        text = export_gexf(m)
    elif fmt == "cypher":
        from graphsvc.formats.cypher import export_cypher

        text = export_cypher(m)
    elif fmt == "html":
        from graphsvc.analysis.report import build_report
        from graphsvc.render.html_report import render_report_html

        text = render_report_html(m, build_report(m)) + "\n"
    elif fmt == "csv":
        from graphsvc.formats.csv import export_csv

        return Exported(m.id, fmt, export_csv(m))
    else:
        raise _unknown(fmt, EXPORT_FORMATS, "--format")
    return Exported(m.id, fmt, {f"{m.id}.{_EXTENSIONS[fmt]}": text})


def detect_export_format(path: str | Path) -> str:
    """The export format a target path asks for: by extension; a .zip or a folder is CSV."""
    suffix = Path(path).suffix.lower().lstrip(".")
    by_suffix = {"yml": "yaml", "xml": "graphml", "zip": "csv", "cql": "cypher", "htm": "html"}
    fmt = by_suffix.get(suffix, suffix)
    if fmt in EXPORT_FORMATS:
        return fmt
    if not suffix or Path(path).is_dir():
        return "csv"
    raise _unknown(suffix, EXPORT_FORMATS, "--out")


def detect_import_format(path: str | Path) -> str:
    """The format of an import from its path: a folder, a .csv or .zip is the CSV format."""
    target = Path(path)
    suffix = target.suffix.lower()
    if target.is_dir() or suffix in {".csv", ".zip"}:
        return "csv"
    if suffix in {".graphml", ".xml"}:
        return "graphml"
    if suffix == ".json":
        return "json"
    return "yaml"


def load_map_path(
    path: str | Path,
    fmt: str | None = None,
    *,
    max_bytes: int,
    max_alias_values: int,
) -> StakeholderMap:
    """Read and validate a map in any import format (detected from the path when not given)."""
    fmt = fmt or detect_import_format(path)
    if fmt in {"yaml", "json"}:
        # Map files detect YAML or JSON from the extension and the text themselves.
        return load_map_file(path, max_bytes=max_bytes, max_alias_values=max_alias_values)
    if fmt == "graphml":
        from graphsvc.formats.graphml import load_graphml_path

        return load_graphml_path(path, max_bytes=max_bytes)
    if fmt == "csv":
        from graphsvc.formats.csv import load_csv_path

        return load_csv_path(path, max_bytes=max_bytes)
    raise _unknown(fmt, IMPORT_FORMATS, "--format")


def _unknown(fmt: str, allowed: tuple[str, ...], path: str) -> InvalidInput:
    message = f"unknown format (expected one of {', '.join(allowed)})"
    return InvalidInput([Problem(message, path, value=fmt)])


__all__ = [
    "EXPORT_FORMATS",
    "IMPORT_FORMATS",
    "ExportFormat",
    "Exported",
    "ImportFormat",
    "detect_export_format",
    "detect_import_format",
    "export_map",
    "load_map_path",
]

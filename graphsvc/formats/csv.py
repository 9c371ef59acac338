"""The CSV workshop format: a folder of spreadsheet exports, imported and exported.

A map is a folder (or a .zip of one) holding:

- ``nodes.csv`` (required): ``id, kind, name, description, tags, sources``, then one column
  per kind-specific field (``stakes``, ``sector``, ``capacityPerMonth`` …), then one
  ``attr:NAME`` column per attribute;
- ``edges.csv``: ``id, kind, from, to, description, sources``, the edge fields, ``attr:NAME``;
- ``sources.csv``: ``id, title, url, publisher, date``;
- ``map.csv``: one row ``id, title, description, tags``; without it the map id is the
  folder's name.

Only ``id, kind, name`` (nodes) and ``kind, from, to`` (edges) must be present; columns may
come in any order. An empty cell means "not given". Lists (tags, sources) are separated by
``;``. Kinds and enumerated values are matched ignoring case, spaces and hyphens ("human in
the loop"), because people type them. Attribute cells are read as ``true``/``false``, a
number, or text; a column ``attr:NAME:text`` keeps every cell as text, ``attr:NAME:json``
reads each cell as a JSON value (export uses these only when inference would change a value).
Blank rows and rows whose first cell starts with ``#`` are skipped.

The format cannot hold an empty-string description or a tag containing ``;``: the first
reads back as absent, the second is refused on export.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graphsvc.domain.kinds import EdgeKind, NodeKind
from graphsvc.domain.mapfile import map_to_data
from graphsvc.domain.model import SLUG_PATTERN, StakeholderMap
from graphsvc.errors import InvalidInput, Problem
from graphsvc.formats.fields import (
    EDGE_COMMON,
    EDGE_FIELDS,
    NODE_COMMON,
    NODE_FIELDS,
    FieldSpec,
    format_value,
    infer_scalar,
    infers_back,
    parse_field,
)
from graphsvc.formats.origin import Origin, Origins, validate_located

NODES, EDGES, SOURCES, MAP = "nodes.csv", "edges.csv", "sources.csv", "map.csv"
FILES = (MAP, SOURCES, NODES, EDGES)
SOURCE_COLUMNS = ("id", "title", "url", "publisher", "date")
MAP_COLUMNS = ("id", "title", "description", "tags")
ATTR = "attr:"
LIST_SEPARATOR = ";"
_ATTR_TYPES = ("text", "json")
_NODE_KINDS = {k.value.lower(): k.value for k in NodeKind}
_EDGE_KINDS = {k.value.lower().replace("_", ""): k.value for k in EdgeKind}


# --- reading ------------------------------------------------------------------------------


@dataclass
class Table:
    """A CSV file read into rows of named cells, each with the line it starts on."""

    file: str
    header: list[str] = field(default_factory=list)
    header_line: int = 1
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    broken: bool = False  # the CSV could not be read to its end


def read_table(text: str, file: str, problems: list[Problem], *, comments: bool = True) -> Table:
    """Rows of CSV text with the line each starts on (quoted cells may span lines).

    Blank rows are skipped, and with ``comments`` rows whose first cell starts with ``#``;
    a row with more non-empty cells than the header is a problem, fewer cells read as empty.
    """
    table = Table(file)
    reader = csv.reader(io.StringIO(text, newline=""))
    last = 0
    try:
        for cells in reader:
            line, last = last + 1, reader.line_num
            if not any(c.strip() for c in cells) or (
                comments and cells[0].lstrip().startswith("#")
            ):
                continue
            if not table.header:
                table.header, table.header_line = [c.strip() for c in cells], line
                continue
            extra = cells[len(table.header) :]
            if any(c.strip() for c in extra):
                problems.append(
                    Problem(
                        f"row has {len(cells)} cells but the header has {len(table.header)}",
                        file=file,
                        line=line,
                    )
                )
                continue
            row = {name: cells[i] if i < len(cells) else "" for i, name in enumerate(table.header)}
            table.rows.append((line, row))
    except csv.Error as exc:
        problems.append(Problem(f"malformed CSV: {exc}", file=file, line=reader.line_num))
        table.broken = True
    return table


@dataclass(frozen=True)
class _Column:
    name: str
    field: FieldSpec | None = None
    attribute: str | None = None
    attribute_type: str | None = None


def _columns(
    table: Table, common: Sequence[str], specs: Sequence[FieldSpec], problems: list[Problem]
) -> dict[str, _Column]:
    by_name = {s.name: s for s in specs}
    out: dict[str, _Column] = {}
    for name in table.header:
        file, line = table.file, table.header_line
        if not name:
            if any(row.get(name, "").strip() for _, row in table.rows):
                problems.append(Problem("a column without a name has values", file=file, line=line))
            continue
        if name in out:
            problems.append(
                Problem(f"column {name!r} appears twice", file=file, line=line, value=name)
            )
        elif name in common:
            out[name] = _Column(name)
        elif name in by_name:
            out[name] = _Column(name, field=by_name[name])
        elif name.startswith(ATTR) and len(name) > len(ATTR):
            attribute, _, kind = name[len(ATTR) :].rpartition(":")
            if kind not in _ATTR_TYPES or not attribute:
                attribute, kind = name[len(ATTR) :], ""
            out[name] = _Column(name, attribute=attribute, attribute_type=kind or None)
        else:
            expected = ", ".join([*common, *by_name])
            problems.append(
                Problem(
                    f"unknown column {name!r} (expected {expected}, or attr:NAME)",
                    file=file,
                    line=line,
                    value=name,
                )
            )
    return out


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(LIST_SEPARATOR) if part.strip()]


def _element(
    row: Mapping[str, str],
    columns: Mapping[str, _Column],
    kinds: Mapping[str, str],
    where: Origin,
    problems: list[Problem],
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    attributes: dict[str, Any] = {}
    for name, column in columns.items():
        cell = row.get(name, "")
        if not cell.strip():
            continue
        if column.attribute is not None:
            attributes[column.attribute] = _attribute(cell, column, where, problems)
        elif column.field is not None:
            out[name] = parse_field(column.field, cell)
        elif name in {"tags", "sources"}:
            out[name] = _split(cell)
        elif name == "kind":
            key = cell.strip().lower().replace(" ", "").replace("_", "").replace("-", "")
            out[name] = kinds.get(key, cell.strip())
        elif name in {"id", "from", "to"}:
            out[name] = cell.strip()
        else:
            out[name] = cell
    if attributes:
        out["attributes"] = attributes
    return out


def _attribute(cell: str, column: _Column, where: Origin, problems: list[Problem]) -> Any:
    if column.attribute_type == "text":
        return cell
    if column.attribute_type == "json":
        try:
            return json.loads(cell)
        except json.JSONDecodeError as exc:
            problems.append(
                Problem(f"not a JSON value: {exc.msg}", column.name, where.file, where.line, cell)
            )
            return cell
    return infer_scalar(cell)


def _require(table: Table, names: Iterable[str], problems: list[Problem]) -> None:
    missing = [n for n in names if n not in table.header]
    if missing and (table.header or table.rows):
        problems.append(
            Problem(
                f"missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}",
                file=table.file,
                line=table.header_line,
            )
        )


def load_csv_files(
    files: Mapping[str, str], *, where: str, default_id: str | None = None
) -> StakeholderMap:
    """Validate a map from the texts of its CSV files (``nodes.csv`` → text, …).

    ``where`` prefixes file names in problems (the folder or zip); ``default_id`` is the map
    id when there is no ``map.csv``.
    """
    problems: list[Problem] = []
    unknown = sorted(set(files) - set(FILES))
    for name in unknown:
        problems.append(
            Problem(f"unexpected file (expected {', '.join(FILES)})", file=f"{where}/{name}")
        )
    if NODES not in files:
        problems.append(Problem(f"missing {NODES}", file=where))
    origins = Origins(Origin(where))
    data: dict[str, Any] = {"map": {"id": default_id} if default_id else {}}
    if MAP in files:
        table = read_table(files[MAP], f"{where}/{MAP}", problems)
        columns = _columns(table, MAP_COLUMNS, (), problems)
        _require(table, ["id"], problems)
        if len(table.rows) > 1:
            problems.append(
                Problem("map.csv has more than one row", file=table.file, line=table.rows[1][0])
            )
        if table.rows:
            line, row = table.rows[0]
            origin = Origin(table.file, line)
            data["map"] = _element(row, columns, {}, origin, problems)
            origins.add("map", None, origin)
    for name, section, common, specs, kinds, required in (
        (SOURCES, "sources", SOURCE_COLUMNS, (), {}, ["id"]),
        (NODES, "nodes", NODE_COMMON, NODE_FIELDS, _NODE_KINDS, ["id", "kind", "name"]),
        (EDGES, "edges", EDGE_COMMON, EDGE_FIELDS, _EDGE_KINDS, ["kind", "from", "to"]),
    ):
        if name not in files:
            continue
        table = read_table(files[name], f"{where}/{name}", problems)
        columns = _columns(table, common, specs, problems)
        _require(table, required, problems)
        elements: list[dict[str, Any]] = []
        for line, row in table.rows:
            origin = Origin(table.file, line)
            origins.add(section, len(elements), origin)
            elements.append(_element(row, columns, kinds, origin, problems))
        data[section] = elements
    return validate_located(data, origins, extra=problems, rename=_column_name)


def _column_name(path: str) -> str:
    # attributes.weight → attr:weight; tags[2] → tags: name the column, not the data path.
    if path.startswith("attributes."):
        return ATTR + path[len("attributes.") :]
    return path.split("[", 1)[0]


def load_csv_path(path: str | Path, *, max_bytes: int) -> StakeholderMap:
    """A map from a CSV folder, a .zip of one, or one of its files (its folder is read)."""
    target = Path(path)
    if target.is_file() and target.suffix.lower() == ".zip":
        return _load_zip(target, max_bytes)
    folder = target.parent if target.is_file() else target
    if not folder.is_dir():
        raise InvalidInput([Problem("no such folder or file", file=str(path))])
    files: dict[str, str] = {}
    total = 0
    for candidate in sorted(folder.iterdir()):
        if candidate.suffix.lower() != ".csv":
            continue
        total += candidate.stat().st_size
        if total > max_bytes:
            raise InvalidInput([Problem(f"CSV files are over {max_bytes} bytes", file=str(folder))])
        files[candidate.name] = _decode(candidate.read_bytes(), str(candidate))
    return load_csv_files(files, where=str(folder), default_id=_default_id(folder.name))


def _load_zip(path: Path, max_bytes: int) -> StakeholderMap:
    try:
        with zipfile.ZipFile(path) as archive:
            members = [i for i in archive.infolist() if i.filename.lower().endswith(".csv")]
            if sum(i.file_size for i in members) > max_bytes:
                raise InvalidInput(
                    [Problem(f"CSV files are over {max_bytes} bytes", file=str(path))]
                )
            # A zip of the folder itself holds FOLDER/nodes.csv: read files by their base name.
            files: dict[str, str] = {}
            for info in members:
                name = Path(info.filename).name
                if name.startswith("."):
                    continue
                if name in files:
                    message = f"more than one {name} in the archive"
                    raise InvalidInput([Problem(message, file=f"{path}/{info.filename}")])
                files[name] = _decode(archive.read(info), f"{path}/{info.filename}")
    except zipfile.BadZipFile as exc:
        raise InvalidInput([Problem(f"not a zip archive: {exc}", file=str(path))]) from None
    return load_csv_files(files, where=str(path), default_id=_default_id(path.stem))


def _decode(raw: bytes, file: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput([Problem(f"not UTF-8 text (byte {exc.start})", file=file)]) from None


def _default_id(name: str) -> str | None:
    return name if re.match(SLUG_PATTERN, name) else None


# --- writing ------------------------------------------------------------------------------


def export_csv(m: StakeholderMap) -> dict[str, str]:
    """The map as CSV files (file name → text) that :func:`load_csv_files` reads back equal."""
    data = map_to_data(m)
    problems: list[Problem] = []
    files = {
        MAP: _write([data["map"]], MAP_COLUMNS, "map", problems),
        SOURCES: _write(data["sources"], SOURCE_COLUMNS, "sources", problems),
        NODES: _write(
            data["nodes"], [*NODE_COMMON, *(f.name for f in NODE_FIELDS)], "nodes", problems
        ),
        EDGES: _write(
            data["edges"], [*EDGE_COMMON, *(f.name for f in EDGE_FIELDS)], "edges", problems
        ),
    }
    if problems:
        raise InvalidInput(problems, "this map cannot be written as CSV")
    return files


def _write(
    items: Sequence[Mapping[str, Any]],
    columns: Sequence[str],
    section: str,
    problems: list[Problem],
) -> str:
    attribute_columns = _attribute_columns(items)
    buffer = io.StringIO()
    # CRLF as RFC 4180 has it; it also makes the writer quote cells holding a lone "\r".
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([*columns, *(c for c, _, _ in attribute_columns)])
    for index, item in enumerate(items):
        row = []
        for name in columns:
            value = item.get(name)
            if isinstance(value, list):
                row.append(_join(value, f"{section}[{index}].{name}", problems))
            else:
                row.append("" if value is None else format_value(value))
        attributes = item.get("attributes", {})
        for _, attribute, kind in attribute_columns:
            value = attributes.get(attribute)
            if value is None:
                row.append("")
            elif kind == "json":
                row.append(json.dumps(value, ensure_ascii=False))
            else:
                row.append(format_value(value))
        writer.writerow(row)
    return buffer.getvalue()


def _attribute_columns(items: Sequence[Mapping[str, Any]]) -> list[tuple[str, str, str]]:
    values: dict[str, list[Any]] = {}
    for item in items:
        for name, value in item.get("attributes", {}).items():
            values.setdefault(name, []).append(value)
    out = []
    for name in sorted(values):
        seen = values[name]
        if all(infers_back(v) and str(v).strip() for v in seen):
            kind = ""
        elif all(isinstance(v, str) and v.strip() for v in seen):
            kind = "text"
        else:
            kind = "json"
        if not kind and name.rpartition(":")[2] in _ATTR_TYPES:
            kind = "text" if all(isinstance(v, str) for v in seen) else "json"
        header = f"{ATTR}{name}:{kind}" if kind else f"{ATTR}{name}"
        out.append((header, name, kind))
    return out


def _join(values: Sequence[Any], path: str, problems: list[Problem]) -> str:
    for value in values:
        text = str(value)
        if LIST_SEPARATOR in text or text != text.strip():
            problems.append(
                Problem(
                    f"{text!r} contains {LIST_SEPARATOR!r} or surrounding spaces, "
                    "which the CSV list cells cannot hold",
                    path,
                    value=text,
                )
            )
    return "; ".join(str(v) for v in values)

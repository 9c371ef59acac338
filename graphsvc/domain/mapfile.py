"""Map files (SPEC §2): text in YAML or JSON to a validated StakeholderMap, and back."""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from itertools import compress, count, repeat
from operator import attrgetter, contains, ge, itemgetter, setitem
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic_core import ErrorDetails

from graphsvc.domain.document import Document, PathPart, parse_json, parse_yaml
from graphsvc.domain.integrity import integrity_problems, is_consistent
from graphsvc.domain.model import (
    EDGE_ADAPTER,
    EDGE_LIST_ADAPTER,
    MAP_FIELDS,
    NODE_ADAPTER,
    NODE_LIST_ADAPTER,
    SOURCE_LIST_ADAPTER,
    AnyEdge,
    AnyNode,
    MapMeta,
    Source,
    StakeholderMap,
    derived_edge_id,
)
from graphsvc.errors import InvalidInput, Problem
from graphsvc.gc_pause import gc_paused

Format = Literal["yaml", "json"]
MAX_ALIAS_VALUES = 10_000
MAX_BYTES = 256 * 1024 * 1024
ID_RULE = "lowercase letters, digits, '.', '_' and '-'; at most 128"
_FIELDS_SET = attrgetter("__pydantic_fields_set__")
_CHUNK = 10_000  # elements validated per call when the raw ones are let go of as we go
_REPORT_CHUNK = 1_000  # elements per call on the reporting path (a bad chunk is redone singly)
_Dumper: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def detect_format(name: str | None, text: str) -> Format:
    """The format of a map file from its extension, else from its first character."""
    suffix = Path(name).suffix.lower() if name else ""
    if suffix == ".json":
        return "json"
    if suffix in {".yaml", ".yml"}:
        return "yaml"
    return "json" if text.lstrip().startswith(("{", "[")) else "yaml"


def load_map_file(
    path: str | Path, *, max_bytes: int = MAX_BYTES, max_alias_values: int = MAX_ALIAS_VALUES
) -> StakeholderMap:
    """Read and validate one map file; raises InvalidInput listing every problem."""
    name = str(path)
    try:
        size = Path(path).stat().st_size
        if size > max_bytes:
            problem = Problem(f"file is {size} bytes, over the limit of {max_bytes}", file=name)
            raise InvalidInput([problem])
        raw = Path(path).read_bytes()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise InvalidInput([Problem(f"cannot read file: {reason}", file=name)]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        problem = Problem(f"not UTF-8 text (byte {exc.start})", file=name)
        raise InvalidInput([problem]) from None
    del raw  # a copy of the file's size, not needed while the map is validated
    return load_map_text(text, file=name, max_alias_values=max_alias_values)


def load_map_text(
    text: str,
    *,
    file: str | None = None,
    fmt: Format | None = None,
    max_alias_values: int = MAX_ALIAS_VALUES,
) -> StakeholderMap:
    """Parse and validate a map document given as text."""
    fmt = fmt or detect_format(file, text)
    if fmt == "json":
        # The parsed data is ours alone: validation may let go of each element once it is
        # a model (a large map's peak), and the reporting path gets the text parsed again.
        return _validate(parse_json(text, file), reread=lambda: parse_json(text, file))
    return validate_document(parse_yaml(text, file, max_alias_values=max_alias_values))


def validate_document(doc: Document) -> StakeholderMap:
    """Validate parsed data as a map: every problem of the document is reported at once.

    A valid map takes the fast path: each section validated by one pydantic-core call and
    the rules spanning the map checked with set operations. Anything else — any problem at
    all — goes through the element-by-element path, which alone words the problems, so a
    document is accepted or rejected, and its problems reported, exactly as that path says.
    """
    return _validate(doc, reread=None)


def _validate(doc: Document, reread: Callable[[], Document] | None) -> StakeholderMap:
    # Validation creates millions of objects and no garbage cycles (graphsvc.gc_pause).
    with gc_paused():
        valid = _valid_map(doc.data, release=reread is not None)
        if valid is not None:
            return valid
        return _validate_reporting(doc if reread is None else reread())


def _valid_map(data: Any, *, release: bool = False) -> StakeholderMap | None:
    """The map when ``data`` is a valid map document, else None (the caller finds why).

    With ``release``, the lists of nodes and edges in ``data`` are emptied as they are
    validated, so the raw elements and their models are not all held at once.
    """
    if not isinstance(data, Mapping) or "map" not in data:
        return None
    if any(key not in MAP_FIELDS for key in data):
        return None
    sections = [data.get(key) for key in ("sources", "nodes", "edges")]
    if not all(raw is None or isinstance(raw, list) for raw in sections):
        return None
    raw_sources, raw_nodes, raw_edges = (raw or [] for raw in sections)
    # Edges given as dicts without an "id" have derived ids, which stand for their
    # (kind, from, to); only the others need their triple checked on its own.
    explicit = None
    if all(type(raw) is dict for raw in raw_edges):
        explicit = list(compress(count(), map(contains, raw_edges, repeat("id"))))
    try:
        meta = MapMeta.model_validate(data["map"])
        sources = SOURCE_LIST_ADAPTER.validate_python(raw_sources)
        nodes = _validate_list(NODE_LIST_ADAPTER, raw_nodes, release)
        edges = _validate_list(EDGE_LIST_ADAPTER, raw_edges, release)
    except ValidationError:
        return None
    _share_node_ids(nodes, edges)
    if not is_consistent(sources, nodes, edges, explicit_ids=explicit):
        return None
    # The same map as StakeholderMap.model_validate of these models gives, without running
    # every edge's validator a second time.
    return StakeholderMap.model_construct(meta=meta, sources=sources, nodes=nodes, edges=edges)


def _validate_list(adapter: TypeAdapter[list[Any]], raw: list[Any], release: bool) -> list[Any]:
    if not release:
        out = adapter.validate_python(raw)
        _compact_fields_sets(out)
        return out
    out = []
    for start in range(0, len(raw), _CHUNK):
        chunk = raw[start : start + _CHUNK]
        models = adapter.validate_python(chunk)
        # Per chunk, so that the next chunk reuses the memory the grown sets leave.
        _compact_fields_sets(models)
        out += models
        raw[start : start + len(chunk)] = repeat(None, len(chunk))
    raw.clear()
    return out


def _share_node_ids(nodes: list[AnyNode], edges: list[AnyEdge]) -> None:
    """Point each edge's ``from`` and ``to`` at its node's id string instead of a copy of it.

    Parsers make a new string per occurrence: ~115 bytes per edge held twice over, and a
    hash computed again on every lookup. All in C (``setitem`` over the field dicts); an
    endpoint that is no node keeps its own string.
    """
    ids = list(map(attrgetter("id"), nodes))
    canonical = dict(zip(ids, ids, strict=True))
    fields = list(map(attrgetter("__dict__"), edges))
    for name in ("from_", "to"):
        ends = list(map(itemgetter(name), fields))
        deque(map(setitem, fields, repeat(name), map(canonical.get, ends, ends)), maxlen=0)


def _compact_fields_sets(models: list[Any]) -> None:
    """Give each model a copy of its set of given fields, which CPython sizes to fit.

    pydantic-core grows the set as it adds names: five to seven (an AFFECTS edge with its
    numbers, an AISystem, a Mechanism) take a 32-slot table, 728 bytes; the copy takes 472.
    """
    sizes = map(len, map(_FIELDS_SET, models))
    grown = list(compress(models, map(ge, sizes, repeat(5))))
    copies = map(set.copy, map(_FIELDS_SET, grown))
    deque(map(object.__setattr__, grown, repeat("__pydantic_fields_set__"), copies), maxlen=0)


def _validate_reporting(doc: Document) -> StakeholderMap:
    """Validate element by element, collecting every problem with its file, line and path."""
    problems: list[Problem] = []

    def report(message: str, path: Sequence[PathPart], value: Any = None) -> None:
        problems.append(
            Problem(message, _dotted(path), file=doc.file, line=doc.line_of(path), value=value)
        )

    data = doc.data
    if not isinstance(data, Mapping):
        report(
            "not a map file: expected a mapping with the keys " + ", ".join(MAP_FIELDS),
            [],
            _kind_of(data),
        )
        raise InvalidInput(problems)
    for key in data:
        if key not in MAP_FIELDS:
            report(f"unknown top-level key {key!r} (expected {', '.join(MAP_FIELDS)})", [key], key)
    meta = None
    if "map" not in data:
        report("missing the 'map' section (map: {id: ..., title: ...})", [])
    else:
        meta = _one(MapMeta, data["map"], ["map"], report)
    sources = _section(data, "sources", Source, SOURCE_LIST_ADAPTER, report)
    nodes = _section(data, "nodes", NODE_ADAPTER, NODE_LIST_ADAPTER, report)
    edges = _section(data, "edges", EDGE_ADAPTER, EDGE_LIST_ADAPTER, report)
    for problem in integrity_problems(
        sources,
        nodes,
        edges,
        raw_source_ids=_raw_ids(data.get("sources")),
        raw_node_ids=_raw_ids(data.get("nodes")),
    ):
        path = _parse_dotted(problem.path)
        problems.append(
            Problem(problem.message, problem.path, doc.file, doc.line_of(path), problem.value)
        )
    if problems or meta is None:
        raise InvalidInput(problems)
    return StakeholderMap.model_validate(
        {
            "map": meta,
            "sources": [s for _, s in sources],
            "nodes": [n for _, n in nodes],
            "edges": [e for _, e in edges],
        }
    )


def _section(
    data: Mapping[str, Any], key: str, model: Any, many: TypeAdapter[list[Any]], report: Any
) -> list[tuple[int, Any]]:
    """The valid elements of one section with their indexes; the problems of the others.

    Elements go ``_REPORT_CHUNK`` at a time through one pydantic-core call (``many``); only a
    chunk with a problem is done again element by element, which words the problems, so a map
    with one bad element among 100k costs about what a valid one does.
    """
    raw = data.get(key)
    if raw is None:
        return []
    if not isinstance(raw, list):
        report(f"'{key}' must be a list", [key], _kind_of(raw))
        return []
    out: list[tuple[int, Any]] = []
    for start in range(0, len(raw), _REPORT_CHUNK):
        chunk = raw[start : start + _REPORT_CHUNK]
        try:
            out += zip(count(start), many.validate_python(chunk))
        except ValidationError:
            for index, item in enumerate(chunk, start):
                valid = _one(model, item, [key, index], report)
                if valid is not None:
                    out.append((index, valid))
    return out


def _one(model: Any, item: Any, path: list[PathPart], report: Any) -> Any:
    try:
        if isinstance(model, TypeAdapter):
            return model.validate_python(item)
        return model.model_validate(item)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            loc = _strip_tag(error["loc"], item)
            report(_message(error, loc), [*path, *loc], _offending(error, item))
    return None


def _offending(error: ErrorDetails, item: Any) -> Any:
    if error["type"] == "missing":
        return None
    if error["type"].startswith("union_tag") and isinstance(item, Mapping):
        return item.get("kind")
    return error.get("input")


def _strip_tag(loc: tuple[int | str, ...], item: Any) -> tuple[int | str, ...]:
    # Discriminated unions put the kind name first in the error location.
    if loc and isinstance(item, Mapping) and loc[0] == item.get("kind"):
        return loc[1:]
    return loc


def _message(error: ErrorDetails, loc: Sequence[PathPart]) -> str:
    kind = error["type"]
    field = str(loc[-1]) if loc else ""
    if kind == "missing":
        return f"missing required field {field!r}"
    if kind == "extra_forbidden":
        return f"unknown key {field!r}"
    if kind == "union_tag_invalid":
        expected = error.get("ctx", {}).get("expected_tags", "")
        return f"unknown kind {error['input'].get('kind')!r} (expected one of {expected})"
    if kind == "union_tag_not_found":
        return "missing required field 'kind'"
    if (kind == "string_pattern_mismatch" and field in {"id", "from", "to"}) or (
        kind == "string_pattern_mismatch" and loc and loc[0] == "sources"
    ):
        return f"{error['input']!r} is not a valid id ({ID_RULE})"
    message = error["msg"]
    if message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    return message[0].lower() + message[1:] if message else kind


def _raw_ids(raw: Any) -> list[tuple[int, str]]:
    if not isinstance(raw, list):
        return []
    return [
        (index, item["id"])
        for index, item in enumerate(raw)
        if isinstance(item, Mapping) and isinstance(item.get("id"), str)
    ]


def _kind_of(value: Any) -> str:
    return "nothing" if value is None else type(value).__name__


def _dotted(path: Sequence[PathPart]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _parse_dotted(path: str) -> list[PathPart]:
    parts: list[PathPart] = []
    for chunk in path.replace("]", "").replace("[", ".").split("."):
        if chunk:
            parts.append(int(chunk) if chunk.isdigit() else chunk)
    return parts


# --- writing ------------------------------------------------------------------------------


def map_to_data(m: StakeholderMap) -> dict[str, Any]:
    """Plain data of a map in file shape: defaults, empty lists and derived edge ids left out."""

    def compact(model: BaseModel) -> dict[str, Any]:
        return model.model_dump(mode="json", exclude_defaults=True, exclude_none=True)

    edges = []
    for edge in m.edges:
        data = compact(edge)
        if edge.id == derived_edge_id(edge.from_, edge.kind, edge.to):
            data.pop("id", None)
        edges.append(data)
    return {
        "map": compact(m.meta),
        "sources": [compact(s) for s in m.sources],
        "nodes": [compact(n) for n in m.nodes],
        "edges": edges,
    }


def dump_map(m: StakeholderMap, fmt: Format) -> str:
    """The map as YAML or JSON text that loads back to an equal map."""
    data = map_to_data(m)
    if fmt == "json":
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


__all__ = [
    "AnyEdge",
    "AnyNode",
    "Format",
    "detect_format",
    "dump_map",
    "load_map_file",
    "load_map_text",
    "map_to_data",
    "validate_document",
]

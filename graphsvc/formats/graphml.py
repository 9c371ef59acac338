"""GraphML export and import that keep every field and attribute of a map.

Each field is one GraphML key named as in map files (``kind``, ``name``, ``stakes``,
``capacityPerMonth`` …); each attribute is a key ``attr:NAME``. Keys hold typed values
(``double``, ``long``, ``boolean``, ``string``); lists (tags, sources) and attributes whose
values mix types are JSON text, marked by ``<desc>graphsvc:json</desc>`` on their key. The map's
title, description, tags and sources are keys for the graph. Tools such as Gephi, yEd,
Cytoscape and networkx read the result; a file they write back imports as long as it keeps
the key names. Numbers written without a decimal point read back as integers.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from graphsvc.domain.mapfile import map_to_data
from graphsvc.domain.model import SLUG_PATTERN, StakeholderMap
from graphsvc.errors import InvalidInput, Problem
from graphsvc.formats.fields import (
    EDGE_FIELDS,
    NODE_FIELDS,
    FieldSpec,
    format_value,
    parse_boolean,
    parse_field,
    parse_number,
)
from graphsvc.formats.origin import Origin, Origins, validate_located
from graphsvc.formats.xmltree import XmlElement, parse_xml

NS = "http://graphml.graphdrawing.org/xmlns"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA = "http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd"
JSON_MARK = "graphsvc:json"
ATTR = "attr:"
_GRAPH_KEYS = ("title", "description", "tags", "sources")
_LISTS = frozenset({"tags", "sources"})
_SLUG = re.compile(SLUG_PATTERN)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_TYPES = {
    "text": "string",
    "enum": "string",
    "integer": "long",
    "number": "double",
    "boolean": "boolean",
}


# --- writing ------------------------------------------------------------------------------


class _Key:
    """One GraphML key: its id, and whether its values are JSON text."""

    def __init__(self, key_id: str, as_json: bool) -> None:
        self.id = key_id
        self.as_json = as_json

    def text(self, value: Any) -> str:
        return json.dumps(value, ensure_ascii=False) if self.as_json else format_value(value)


def export_graphml(m: StakeholderMap) -> str:
    """The map as GraphML text; :func:`load_graphml` reads it back to an equal map."""
    data = map_to_data(m)
    ET.register_namespace("", NS)
    root = ET.Element(f"{{{NS}}}graphml", {f"{{{XSI}}}schemaLocation": f"{NS} {SCHEMA}"})
    keys: dict[tuple[str, str], _Key] = {}

    def declare(domain: str, name: str, value_type: str, as_json: bool = False) -> None:
        key_id = f"{domain[0]}{sum(1 for d, _ in keys if d == domain)}"
        attrs = {"id": key_id, "for": domain, "attr.name": name, "attr.type": value_type}
        element = ET.SubElement(root, f"{{{NS}}}key", attrs)
        if as_json:
            ET.SubElement(element, f"{{{NS}}}desc").text = JSON_MARK
        keys[(domain, name)] = _Key(key_id, as_json)

    for name in _GRAPH_KEYS:
        declare("graph", name, "string", as_json=name in _LISTS)
    for domain, common, specs, items in (
        ("node", ("kind", "name", "description", "tags", "sources"), NODE_FIELDS, data["nodes"]),
        ("edge", ("kind", "description", "sources"), EDGE_FIELDS, data["edges"]),
    ):
        for name in common:
            declare(domain, name, "string", as_json=name in _LISTS)
        for spec in specs:
            declare(domain, spec.name, _TYPES[spec.type])
        for name, (value_type, as_json) in _attribute_types(items).items():
            declare(domain, ATTR + name, value_type, as_json)

    graph = ET.SubElement(root, f"{{{NS}}}graph", {"id": m.id, "edgedefault": "directed"})
    meta = {k: v for k, v in data["map"].items() if k != "id"}
    if data["sources"]:
        meta["sources"] = data["sources"]
    _data(graph, keys, "graph", meta)
    for node in data["nodes"]:
        element = ET.SubElement(graph, f"{{{NS}}}node", {"id": node["id"]})
        _data(element, keys, "node", node)
    for edge, plain in zip(m.edges, data["edges"], strict=True):
        attrs = {"id": edge.id, "source": edge.from_, "target": edge.to}
        _data(ET.SubElement(graph, f"{{{NS}}}edge", attrs), keys, "edge", plain)
    ET.indent(root)
    text = ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
    bad = _NOT_XML.search(text)
    if bad:
        message = f"contains the character U+{ord(bad.group()):04X}, which XML cannot hold"
        raise InvalidInput([Problem(message, value=text[max(0, bad.start() - 30) : bad.end()])])
    # A raw carriage return would read back as a line feed; a character reference keeps it.
    return text.replace("\r", "&#13;")


def _data(
    parent: ET.Element, keys: Mapping[tuple[str, str], _Key], domain: str, item: Mapping[str, Any]
) -> None:
    for name, value in item.items():
        if name in {"id", "from", "to", "attributes"}:
            continue
        key = keys[(domain, name)]
        ET.SubElement(parent, f"{{{NS}}}data", {"key": key.id}).text = key.text(value)
    for name, value in item.get("attributes", {}).items():
        key = keys[(domain, ATTR + name)]
        ET.SubElement(parent, f"{{{NS}}}data", {"key": key.id}).text = key.text(value)


def _attribute_types(items: Sequence[Mapping[str, Any]]) -> dict[str, tuple[str, bool]]:
    seen: dict[str, set[type]] = {}
    for item in items:
        for name, value in item.get("attributes", {}).items():
            seen.setdefault(name, set()).add(type(value))
    out = {}
    for name in sorted(seen):
        types = seen[name]
        if types == {bool}:
            out[name] = ("boolean", False)
        elif types == {int}:
            out[name] = ("long", False)
        elif types <= {int, float}:
            out[name] = ("double", False)
        elif types == {str}:
            out[name] = ("string", False)
        else:
            out[name] = ("string", True)
    return out


# --- reading ------------------------------------------------------------------------------


class _KeyDef:
    def __init__(self, element: XmlElement) -> None:
        self.id = element.attrib.get("id", "")
        self.domain = element.attrib.get("for", "all")
        self.name = element.attrib.get("attr.name") or self.id
        self.type = element.attrib.get("attr.type", "string").lower()
        self.as_json = any(d.text.strip() == JSON_MARK for d in element.findall("desc"))
        defaults = element.findall("default")
        self.default = defaults[0].text if defaults else None
        self.line = element.line


def load_graphml(
    data: bytes, *, file: str | None = None, default_id: str | None = None
) -> StakeholderMap:
    """Validate a map from GraphML; every problem names the file and line of its element.

    The map id is the graph's ``id``, else ``default_id`` (the file's name, when a slug).
    """
    root = parse_xml(data, file)
    problems: list[Problem] = []
    if root.local != "graphml":
        raise InvalidInput(
            [Problem(f"not GraphML (root element <{root.local}>)", file=file, line=root.line)]
        )
    keys: dict[str, _KeyDef] = {}
    for element in root.findall("key"):
        key = _KeyDef(element)
        keys[key.id] = key
    graphs = root.findall("graph")
    if len(graphs) != 1:
        raise InvalidInput(
            [Problem(f"expected one <graph>, found {len(graphs)}", file=file, line=root.line)]
        )
    graph = graphs[0]
    reader = _Reader(file, keys, problems)
    meta = reader.values(graph, "graph")
    origins = Origins(Origin(file, graph.line))
    origins.add("map", None, Origin(file, graph.line))
    sources = meta.pop("sources", [])
    for index in range(len(sources) if isinstance(sources, list) else 0):
        origins.add("sources", index, Origin(file, reader.lines.get("sources", graph.line)))
    map_id = graph.attrib.get("id") or default_id
    out: dict[str, Any] = {"map": {**({"id": map_id} if map_id else {}), **meta}}
    out["sources"] = sources
    out["nodes"], out["edges"] = [], []
    for element in graph.children:
        if element.local == "node":
            node = {"id": element.attrib.get("id"), **reader.values(element, "node")}
            origins.add("nodes", len(out["nodes"]), Origin(file, element.line))
            out["nodes"].append(node)
            if element.findall("graph") or element.findall("port"):
                problems.append(
                    Problem(
                        "nested graphs and ports are not supported", file=file, line=element.line
                    )
                )
        elif element.local == "edge":
            edge = {
                "from": element.attrib.get("source"),
                "to": element.attrib.get("target"),
                **reader.values(element, "edge"),
            }
            if element.attrib.get("id"):
                edge["id"] = element.attrib["id"]
            origins.add("edges", len(out["edges"]), Origin(file, element.line))
            out["edges"].append(edge)
        elif element.local == "hyperedge":
            problems.append(Problem("hyperedges are not supported", file=file, line=element.line))
    return validate_located(out, origins, extra=problems)


_SPECS: dict[str, dict[str, FieldSpec]] = {
    "node": {s.name: s for s in NODE_FIELDS},
    "edge": {s.name: s for s in EDGE_FIELDS},
    "graph": {},
}


class _Reader:
    def __init__(self, file: str | None, keys: Mapping[str, _KeyDef], problems: list[Problem]):
        self.file = file
        self.keys = keys
        self.problems = problems
        self.lines: dict[str, int] = {}

    def values(self, element: XmlElement, domain: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        attributes: dict[str, Any] = {}
        given = set()
        for data in element.findall("data"):
            key = self.keys.get(data.attrib.get("key", ""))
            if key is None or key.domain not in {domain, "all"}:
                self.problems.append(
                    Problem(
                        f"<data> refers to no {domain} key",
                        "key",
                        self.file,
                        data.line,
                        data.attrib.get("key"),
                    )
                )
                continue
            given.add(key.id)
            self.lines[key.name] = data.line
            self._put(key, data.text, data.line, domain, out, attributes)
        for key in self.keys.values():
            if key.default is not None and key.id not in given and key.domain in {domain, "all"}:
                self._put(key, key.default, key.line, domain, out, attributes)
        if attributes:
            out["attributes"] = attributes
        return out

    def _put(
        self,
        key: _KeyDef,
        text: str,
        line: int,
        domain: str,
        out: dict[str, Any],
        attributes: dict[str, Any],
    ) -> None:
        value = self._value(key, text, line, domain)
        if key.name.startswith(ATTR):
            attributes[key.name[len(ATTR) :]] = value
        else:
            out[key.name] = value

    def _value(self, key: _KeyDef, text: str, line: int, domain: str) -> Any:
        if key.as_json:
            try:
                return json.loads(text)
            except json.JSONDecodeError as exc:
                self.problems.append(
                    Problem(f"not JSON: {exc.msg}", key.name, self.file, line, text)
                )
                return None
        if key.name in _LISTS:
            return [part.strip() for part in text.split(";") if part.strip()]
        spec = _SPECS[domain].get(key.name)
        if spec is not None:
            return parse_field(spec, text)
        if key.type in {"double", "float", "int", "long"}:
            return parse_number(text)
        if key.type == "boolean":
            return parse_boolean(text)
        return text


def is_slug(text: str) -> bool:
    return bool(_SLUG.match(text))


def load_graphml_path(path: str | Path, *, max_bytes: int) -> StakeholderMap:
    """Read and validate one GraphML file within a size limit."""
    target = Path(path)
    try:
        size = target.stat().st_size
        if size > max_bytes:
            raise InvalidInput(
                [Problem(f"file is {size} bytes, over the limit of {max_bytes}", file=str(path))]
            )
        raw = target.read_bytes()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise InvalidInput([Problem(f"cannot read file: {reason}", file=str(path))]) from None
    stem = target.stem
    return load_graphml(raw, file=str(path), default_id=stem if is_slug(stem) else None)

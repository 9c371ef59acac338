"""GEXF export for Gephi: node kinds as an attribute and as colours, every field as a column.

Nodes are labelled with their name and carry ``kind``, the common fields, each kind-specific
field and each attribute (``attr:NAME``) as GEXF attributes, so that Gephi can partition,
filter and colour by any of them. Edges are labelled with their kind. Colours follow
:data:`KIND_COLOURS`; node size grows with degree. Export only: GraphML is the format to
edit in Gephi and bring back.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from graphsvc.domain.mapfile import map_to_data
from graphsvc.domain.model import StakeholderMap
from graphsvc.formats.fields import EDGE_FIELDS, NODE_FIELDS, format_value

NS = "http://www.gexf.net/1.2draft"
VIZ = "http://www.gexf.net/1.2draft/viz"
XSI = "http://www.w3.org/2001/XMLSchema-instance"

#: RGB colour of each node kind: the palette of the HTML report (Tableau 10).
KIND_COLOURS: dict[str, tuple[int, int, int]] = {
    "AISystem": (78, 121, 167),
    "Organization": (89, 161, 79),
    "UserGroup": (237, 201, 72),
    "AffectedCommunity": (242, 142, 43),
    "OversightBody": (176, 122, 161),
    "Mechanism": (118, 183, 178),
    "Incentive": (186, 176, 172),
}
_TYPES = {"text": "string", "enum": "string", "integer": "long", "number": "double"}


def export_gexf(m: StakeholderMap) -> str:
    """The map as GEXF 1.2 text (Gephi 0.8 and later, networkx, sigma.js)."""
    data = map_to_data(m)
    ET.register_namespace("", NS)
    ET.register_namespace("viz", VIZ)
    root = ET.Element(
        f"{{{NS}}}gexf",
        {"version": "1.2", f"{{{XSI}}}schemaLocation": f"{NS} {NS}/gexf.xsd"},
    )
    meta = ET.SubElement(root, f"{{{NS}}}meta")
    ET.SubElement(meta, f"{{{NS}}}creator").text = "graphsvc"
    ET.SubElement(meta, f"{{{NS}}}description").text = m.meta.title or m.id
    graph = ET.SubElement(root, f"{{{NS}}}graph", {"defaultedgetype": "directed", "mode": "static"})
    node_columns = _columns(
        graph, "node", ["kind", "description", "tags", "sources"], NODE_FIELDS, data["nodes"]
    )
    edge_columns = _columns(
        graph, "edge", ["kind", "description", "sources"], EDGE_FIELDS, data["edges"]
    )
    degree: Counter[str] = Counter()
    for edge in m.edges:
        degree[edge.from_] += 1
        degree[edge.to] += 1
    nodes = ET.SubElement(graph, f"{{{NS}}}nodes")
    for node in data["nodes"]:
        element = ET.SubElement(nodes, f"{{{NS}}}node", {"id": node["id"], "label": node["name"]})
        _values(element, node_columns, node)
        red, green, blue = KIND_COLOURS[node["kind"]]
        ET.SubElement(element, f"{{{VIZ}}}color", {"r": str(red), "g": str(green), "b": str(blue)})
        ET.SubElement(element, f"{{{VIZ}}}size", {"value": f"{10 + 2 * degree[node['id']]:.1f}"})
    edges = ET.SubElement(graph, f"{{{NS}}}edges")
    for edge, plain in zip(m.edges, data["edges"], strict=True):
        attrs = {"id": edge.id, "source": edge.from_, "target": edge.to, "label": edge.kind}
        _values(ET.SubElement(edges, f"{{{NS}}}edge", attrs), edge_columns, plain)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def _columns(
    graph: ET.Element,
    domain: str,
    common: Sequence[str],
    specs: Sequence[Any],
    items: Sequence[Mapping[str, Any]],
) -> dict[str, str]:
    """Declare the attribute columns in use; column name → GEXF attribute id."""
    used = {name for item in items for name in item}
    kinds: dict[str, set[type]] = {}
    for item in items:
        for name, value in item.get("attributes", {}).items():
            kinds.setdefault(name, set()).add(type(value))
    declared: list[tuple[str, str]] = [(name, "string") for name in common if name in used]
    declared += [(s.name, _TYPES.get(s.type, "boolean")) for s in specs if s.name in used]
    declared += [(f"attr:{name}", _gexf_type(kinds[name])) for name in sorted(kinds)]
    element = ET.SubElement(graph, f"{{{NS}}}attributes", {"class": domain})
    out = {}
    for index, (name, value_type) in enumerate(declared):
        ET.SubElement(
            element, f"{{{NS}}}attribute", {"id": str(index), "title": name, "type": value_type}
        )
        out[name] = str(index)
    return out


def _gexf_type(types: set[type]) -> str:
    if types == {bool}:
        return "boolean"
    if types == {int}:
        return "long"
    if types <= {int, float}:
        return "double"
    return "string"


def _values(element: ET.Element, columns: Mapping[str, str], item: Mapping[str, Any]) -> None:
    values = ET.SubElement(element, f"{{{NS}}}attvalues")
    flat = {k: v for k, v in item.items() if k not in {"id", "name", "from", "to", "attributes"}}
    flat |= {f"attr:{k}": v for k, v in item.get("attributes", {}).items()}
    for name, value in flat.items():
        text = "; ".join(map(str, value)) if isinstance(value, list) else format_value(value)
        ET.SubElement(values, f"{{{NS}}}attvalue", {"for": columns[name], "value": text})

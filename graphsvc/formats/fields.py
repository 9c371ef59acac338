"""The kind-specific fields of nodes and edges, read from the domain models once.

Tabular and XML formats need one column (or key) per field and a way to turn text back into
a value of the field's type; this table gives both, so that a field added to the domain
appears in every format without editing them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from graphsvc.domain.model import EDGE_MODELS, NODE_MODELS, EdgeBase, NodeBase

_INTEGER = re.compile(r"^[+-]?\d+$")
_DECIMAL = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")

ValueType = Literal["text", "enum", "integer", "number", "boolean"]


@dataclass(frozen=True)
class FieldSpec:
    """One kind-specific field: its file name, value type, allowed values and owning kinds."""

    name: str
    type: ValueType
    choices: tuple[str, ...]
    kinds: tuple[str, ...]


def _types(schema: Mapping[str, Any], defs: Mapping[str, Any]) -> Iterator[tuple[str, Any]]:
    if "$ref" in schema:
        target = defs[schema["$ref"].rsplit("/", 1)[-1]]
        yield "enum", tuple(target["enum"])
    for option in schema.get("anyOf", []):
        yield from _types(option, defs)
    if "type" in schema and schema["type"] != "null":
        yield schema["type"], None


def _value_type(
    schema: Mapping[str, Any], defs: Mapping[str, Any]
) -> tuple[ValueType, tuple[str, ...]]:
    found = dict(_types(schema, defs))
    if "enum" in found:
        return "enum", found["enum"]
    if "number" in found:
        return "number", ()
    if "integer" in found:
        return "integer", ()
    if "boolean" in found:
        return "boolean", ()
    return "text", ()


def _specs(models: Mapping[Any, Any], base: type[Any]) -> tuple[FieldSpec, ...]:
    out: dict[str, FieldSpec] = {}
    for kind, model in models.items():
        schema = model.model_json_schema(by_alias=True)
        defs = schema.get("$defs", {})
        for name, prop in schema["properties"].items():
            if name in {f.alias or n for n, f in base.model_fields.items()} | {"from", "kind"}:
                continue
            value_type, choices = _value_type(prop, defs)
            known = out.get(name)
            kinds = (*known.kinds, str(kind)) if known else (str(kind),)
            out[name] = FieldSpec(name, value_type, choices, kinds)
    return tuple(out.values())


#: Kind-specific node fields, in the order of SPEC §1 (AISystem's first, then Organization's …).
NODE_FIELDS: tuple[FieldSpec, ...] = _specs(NODE_MODELS, NodeBase)
#: Kind-specific edge fields.
EDGE_FIELDS: tuple[FieldSpec, ...] = _specs(EDGE_MODELS, EdgeBase)

NODE_COMMON = ("id", "kind", "name", "description", "tags", "sources")
EDGE_COMMON = ("id", "kind", "from", "to", "description", "sources")


def parse_number(text: str) -> int | float | str:
    """``"40"`` → 40, ``"0.5"`` → 0.5; anything else unchanged (the domain reports it)."""
    stripped = text.strip()
    if _INTEGER.match(stripped):
        return int(stripped)
    if _DECIMAL.match(stripped):
        return float(stripped)
    return text


def parse_boolean(text: str) -> bool | str:
    """``true``/``false`` (any case; also yes/no and 1/0, as spreadsheets write them)."""
    lowered = text.strip().lower()
    if lowered in {"true", "yes", "1"}:
        return True
    if lowered in {"false", "no", "0"}:
        return False
    return text


def parse_field(spec: FieldSpec, text: str) -> Any:
    """Text of a cell or XML value as a value of the field; unparseable text is left as is."""
    if spec.type in {"integer", "number"}:
        return parse_number(text)
    if spec.type == "boolean":
        return parse_boolean(text)
    if spec.type == "enum":
        # Workshop spreadsheets are typed by people: "human in the loop" means HUMAN_IN_THE_LOOP.
        candidate = text.strip().upper().replace(" ", "_").replace("-", "_")
        return candidate if candidate in spec.choices else text
    return text


def infer_scalar(text: str) -> str | bool | int | float:
    """An attribute cell: ``true``/``false`` (any case), a number, else the text itself."""
    lowered = text.strip().lower()
    if lowered in {"true", "false"}:
        return lowered == "true"
    return parse_number(text)


def infers_back(value: Any) -> bool:
    """Whether :func:`infer_scalar` reads the written ``value`` back as the same value and type."""
    again = infer_scalar(format_value(value))
    return type(again) is type(value) and again == value


def format_value(value: Any) -> str:
    """A field or attribute value as text that :func:`parse_field` reads back."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)

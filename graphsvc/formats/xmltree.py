"""A small, safe XML reader that keeps the line of every element.

The standard library's ElementTree forgets lines, and a GraphML problem must name one. The
reader refuses document type declarations outright, which rules out entity expansion
("billion laughs") and external entities; exchange formats never need them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.parsers import expat

from graphsvc.errors import InvalidInput, Problem


@dataclass
class XmlElement:
    """One element: ``{namespace}local`` tag, attributes, direct text, children, line."""

    tag: str
    attrib: dict[str, str]
    line: int
    text: str = ""
    children: list[XmlElement] = field(default_factory=list)

    @property
    def local(self) -> str:
        return self.tag.rsplit("}", 1)[-1]

    def findall(self, local: str) -> list[XmlElement]:
        """Children with this local name, whatever their namespace."""
        return [c for c in self.children if c.local == local]


class _Refused(Exception):
    pass


def parse_xml(data: bytes, file: str | None) -> XmlElement:
    """Parse XML; raise InvalidInput with the line of a syntax error or a DOCTYPE."""
    parser = expat.ParserCreate(namespace_separator="}")
    stack: list[XmlElement] = []
    root: list[XmlElement] = []

    def start(name: str, attrs: dict[str, str]) -> None:
        tag = "{" + name if "}" in name else name
        element = XmlElement(tag, dict(attrs), parser.CurrentLineNumber)
        if stack:
            stack[-1].children.append(element)
        else:
            root.append(element)
        stack.append(element)

    def end(name: str) -> None:
        stack.pop()

    def text(data: str) -> None:
        if stack:
            stack[-1].text += data

    def refuse(*args: object) -> None:
        raise _Refused("document type declarations and entities are not accepted")

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        message = f"malformed XML: {expat.errors.messages[exc.code]} (column {exc.offset + 1})"
        raise InvalidInput([Problem(message, file=file, line=exc.lineno)]) from None
    except _Refused as exc:
        raise InvalidInput([Problem(str(exc), file=file, line=parser.CurrentLineNumber)]) from None
    return root[0]

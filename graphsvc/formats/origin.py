"""Validate map data built from another format, reporting problems where the rows came from.

Formats and importers build plain map data (the shape of a map file) and remember, for each
element, the file and line it was read from. Domain problems (``nodes[3].kind``) are then
reported at that place (``nodes.csv:5: kind``), so that a spreadsheet row or an XML element
is named, not an index into data the user never saw.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from graphsvc.domain.document import Document
from graphsvc.domain.mapfile import validate_document
from graphsvc.domain.model import StakeholderMap
from graphsvc.errors import InvalidInput, Problem

_KIND_WORDS = frozenset({"unknown", "missing"})
_ELEMENT = re.compile(r"^(map|sources|nodes|edges)(?:\[(\d+)\])?\.?(.*)$")


@dataclass(frozen=True)
class Origin:
    """Where one element of built data came from."""

    file: str | None
    line: int | None = None


@dataclass
class Origins:
    """The origin of each element (``("nodes", 3)``) and of the map section (``("map", None)``)."""

    default: Origin
    elements: dict[tuple[str, int | None], Origin] = field(default_factory=dict)

    def add(self, section: str, index: int | None, origin: Origin) -> None:
        self.elements[(section, index)] = origin

    def locate(self, problem: Problem, rename: Callable[[str], str] = lambda p: p) -> Problem:
        """The problem moved to the file and line of its element; the rest of its path renamed."""
        match = _ELEMENT.match(problem.path)
        if match is None:
            return Problem(problem.message, problem.path, *self._at(self.default), problem.value)
        section, index, rest = match.group(1), match.group(2), match.group(3)
        key = (section, int(index) if index is not None else None)
        origin = self.elements.get(key)
        if origin is None:
            return Problem(problem.message, problem.path, *self._at(self.default), problem.value)
        if not rest and "kind" in problem.message and problem.message.split()[0] in _KIND_WORDS:
            rest = "kind"  # the domain reports a bad kind on the whole element
        return Problem(problem.message, rename(rest), origin.file, origin.line, problem.value)

    @staticmethod
    def _at(origin: Origin) -> tuple[str | None, int | None]:
        return origin.file, origin.line


def validate_located(
    data: Mapping[str, Any],
    origins: Origins,
    *,
    extra: list[Problem] | None = None,
    rename: Callable[[str], str] = lambda p: p,
) -> StakeholderMap:
    """Validate built map data through the domain; raise every problem at its origin.

    ``extra`` are problems the format found itself (unparseable cells, unknown columns); they
    are reported together with the domain's, so a user sees everything wrong at once.
    """
    problems = list(extra or [])
    try:
        m = validate_document(Document(data, None, None))
    except InvalidInput as exc:
        problems.extend(origins.locate(p, rename) for p in exc.problems)
        raise InvalidInput(problems) from None
    if problems:
        raise InvalidInput(problems)
    return m

"""Reading YAML and JSON text into plain data while keeping where each value came from.

YAML is composed (never constructed with arbitrary tags) so that every value keeps its line;
aliases are followed with a budget so that an alias bomb fails fast instead of eating memory.
JSON is parsed by the standard library and only re-read for line numbers when it has errors.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from graphsvc.errors import InvalidInput, Problem

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_scalars = yaml.constructor.SafeConstructor()

PathPart = str | int
_SPACE = re.compile(r"[ \t\n\r]*")  # JSON's whitespace


def _past_space(text: str, at: int) -> int:
    found = _SPACE.match(text, at)
    assert found is not None  # the pattern matches the empty string
    return found.end()


@dataclass
class Document:
    """Plain data of one file plus a way to find the line of any path in it."""

    data: Any
    file: str | None
    _root: yaml.Node | None
    _text: str | None = None  # JSON text, scanned for lines only when asked
    _json_lines: JsonLines | None = None

    def line_of(self, path: Sequence[PathPart]) -> int | None:
        """The 1-based line of the deepest node on ``path`` that exists in the file."""
        if self._text is not None:
            if self._json_lines is None:
                self._json_lines = JsonLines(self._text)
            return self._json_lines.line_of(path)
        node = self._root
        line = None if node is None else node.start_mark.line + 1
        for part in path:
            child = _child(node, part)
            if child is None:
                break
            node = child
            line = node.start_mark.line + 1
        return line


class JsonLines:
    """Lines of paths in JSON text that has parsed: the error path's line numbers.

    Finding one walks down the path; each container on the way has the start offsets of its
    members found once (the C decoder skips each member whole), so the cost is about one parse
    of the sections that have problems, however many problems they have — where composing the
    text as YAML for its marks took 20 s and 2 GB on a 100k-node map.
    """

    def __init__(self, text: str) -> None:
        self._text = text
        self._skip = json.JSONDecoder().raw_decode
        # container path → its members' start offsets (by key or by index)
        self._members: dict[tuple[PathPart, ...], dict[str, int] | list[int]] = {}
        self._counted = (0, 1)  # (offset, its line): lines are counted on from the last asked

    def line_of(self, path: Sequence[PathPart]) -> int | None:
        at = _past_space(self._text, 0)
        if at >= len(self._text):
            return None
        line = self._line(at)
        for depth, part in enumerate(path):
            found = _member(self._members_of(tuple(path[:depth]), at), part)
            if found is None:
                break
            at = found
            line = self._line(at)
        return line

    def _members_of(
        self, container: tuple[PathPart, ...], at: int
    ) -> dict[str, int] | list[int] | None:
        found = self._members.get(container)
        if found is None:
            opener = self._text[at]
            if opener == "{":
                found = self._object(at)
            elif opener == "[":
                found = self._array(at)
            else:
                return None
            self._members[container] = found
        return found

    def _object(self, at: int) -> dict[str, int]:
        text, members = self._text, {}
        at = _past_space(text, at + 1)
        while text[at] != "}":
            key, at = self._skip(text, at)  # a key is a JSON string
            at = _past_space(text, at)
            at = _past_space(text, at + 1)  # past ':'
            members[key] = at
            at = self._after(at)
        return members

    def _array(self, at: int) -> list[int]:
        text, members = self._text, []
        at = _past_space(text, at + 1)
        while text[at] != "]":
            members.append(at)
            at = self._after(at)
        return members

    def _after(self, at: int) -> int:
        """Past the value at ``at``, a following comma and whitespace."""
        _, at = self._skip(self._text, at)
        at = _past_space(self._text, at)
        if self._text[at] == ",":
            at = _past_space(self._text, at + 1)
        return at

    def _line(self, at: int) -> int:
        start, line = self._counted
        if at < start:
            start, line = 0, 1
        line += self._text.count("\n", start, at)
        self._counted = (at, line)
        return line


def _member(members: dict[str, int] | list[int] | None, part: PathPart) -> int | None:
    if isinstance(members, dict) and isinstance(part, str):
        return members.get(part)
    if isinstance(members, list) and isinstance(part, int) and 0 <= part < len(members):
        return members[part]
    return None


def _child(node: yaml.Node | None, part: PathPart) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode) and isinstance(part, str):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == part:
                found: yaml.Node = value
                return found
    if (
        isinstance(node, yaml.SequenceNode)
        and isinstance(part, int)
        and 0 <= part < len(node.value)
    ):
        child: yaml.Node = node.value[part]
        return child
    return None


def parse_yaml(text: str, file: str | None, *, max_alias_values: int) -> Document:
    """Parse one YAML document safely; raises InvalidInput with the line of a syntax error."""
    try:
        root = yaml.compose(text, Loader=_Loader)
    except UnicodeError:  # a lone surrogate: text from JSON escapes, never from a file
        raise InvalidInput([Problem("malformed YAML: not valid Unicode text", file=file)]) from None
    except RecursionError:
        raise InvalidInput([Problem("malformed YAML: nested too deeply", file=file)]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        message = f"malformed YAML: {exc.problem or exc.context}"
        raise InvalidInput([Problem(message, file=file, line=line)]) from None
    except yaml.YAMLError as exc:  # e.g. several documents in one file
        raise InvalidInput([Problem(f"malformed YAML: {exc}", file=file)]) from None
    builder = _Builder(file, max_alias_values)
    try:
        data = None if root is None else builder.build(root, via_alias=False)
    except RecursionError:
        raise InvalidInput([Problem("malformed YAML: nested too deeply", file=file)]) from None
    if builder.problems:
        raise InvalidInput(builder.problems)
    return Document(data, file, root)


def parse_json(text: str, file: str | None) -> Document:
    """Parse JSON strictly (no NaN, no duplicate keys); raises InvalidInput with line and column."""
    try:
        data = json.loads(text, object_pairs_hook=_unique_keys, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            [Problem(f"malformed JSON: {exc.msg} (column {exc.colno})", file=file, line=exc.lineno)]
        ) from None
    except RecursionError:
        raise InvalidInput([Problem("malformed JSON: nested too deeply", file=file)]) from None
    except ValueError as exc:  # ours (duplicate keys, NaN), or a number too long to convert
        raise InvalidInput([Problem(f"malformed JSON: {exc}", file=file)]) from None
    return Document(data, file, None, text)


class _JsonValueError(ValueError):
    pass


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)  # one C call per object; look for the culprit only when there is one
    if len(out) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _JsonValueError(f"duplicate key {key!r}")
            seen.add(key)
    return out


def _no_constant(name: str) -> Any:
    raise _JsonValueError(f"{name} is not a valid number")


class _Builder:
    """Turns composed YAML nodes into plain data, refusing what a map file never needs."""

    def __init__(self, file: str | None, max_alias_values: int) -> None:
        self.file = file
        self.budget = max_alias_values
        self.seen: set[int] = set()
        self.problems: list[Problem] = []

    def build(self, node: yaml.Node, *, via_alias: bool) -> Any:
        if id(node) in self.seen:
            via_alias = True
        else:
            self.seen.add(id(node))
        if via_alias:
            self.budget -= 1
            if self.budget < 0:
                message = "YAML aliases expand to too many values (an alias bomb?)"
                raise InvalidInput(
                    [Problem(message, file=self.file, line=node.start_mark.line + 1)]
                )
        if isinstance(node, yaml.ScalarNode):
            if node.tag == "tag:yaml.org,2002:timestamp":
                return node.value  # dates stay text: "2022-10-19"
            try:
                return _scalars.construct_object(node)
            except (yaml.YAMLError, ValueError, OverflowError) as exc:
                # An unknown tag (!!python/object), a number too long, a bad !!int or !!binary.
                reason = exc.problem if isinstance(exc, yaml.MarkedYAMLError) else str(exc)
                self.problems.append(
                    Problem(
                        f"unreadable YAML value: {reason}",
                        file=self.file,
                        line=node.start_mark.line + 1,
                        value=node.value[:80],
                    )
                )
                return None
        if isinstance(node, yaml.SequenceNode):
            return [self.build(child, via_alias=via_alias) for child in node.value]
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, via_alias)
        raise AssertionError(f"unexpected YAML node {node!r}")

    def _mapping(self, node: yaml.MappingNode, via_alias: bool) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.problems.append(
                    Problem("YAML merge keys (<<) are not supported", file=self.file, line=line)
                )
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.problems.append(
                    Problem("mapping keys must be plain text", file=self.file, line=line)
                )
                continue
            key = str(key_node.value)
            if key in out:
                self.problems.append(
                    Problem(f"duplicate key {key!r}", file=self.file, line=line, value=key)
                )
                continue
            out[key] = self.build(value_node, via_alias=via_alias)
        return out

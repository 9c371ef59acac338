"""What an import found wrong in its input, strictly or leniently, and what it produced.

Public data is messy. Two kinds of trouble are told apart:

- a **bad row** cannot be used as it is (an incident id that is not a number, a list column
  that is not a JSON list). Strict imports (the default) fail with every bad row listed by file
  and line, and nothing is stored; lenient imports skip bad rows and report each as a warning.
- a **repair** is a small, lossless-enough fix the import makes in either mode and reports as a
  warning (a blank entry in a list dropped, an over-long title shortened).

Problems of the input as a whole (a missing column, a file that is not CSV) always fail.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from graphsvc.domain.model import StakeholderMap
from graphsvc.errors import InvalidInput, Problem

#: Called as rows are read: (rows done, rows in total).
ProgressCallback = Callable[[int, int], None]


@dataclass
class RowIssues:
    """Collects bad rows and repairs while an importer reads its input."""

    strict: bool = True
    bad_rows: list[Problem] = field(default_factory=list)
    repairs: list[Problem] = field(default_factory=list)
    _rows: set[tuple[str | None, object]] = field(default_factory=set)

    def bad_row(self, problem: Problem, row: object = None) -> None:
        """A problem that makes a row unusable; ``row`` identifies the row (default: its line)."""
        self.bad_rows.append(problem)
        self._rows.add((problem.file, problem.line if row is None else row))

    @property
    def skipped(self) -> int:
        """How many rows are unusable (a row may have several problems)."""
        return len(self._rows)

    def repair(self, problem: Problem) -> None:
        self.repairs.append(problem)

    def check(self) -> None:
        """In strict mode, fail with every bad row; lenient mode carries on."""
        if self.strict and self.bad_rows:
            count = len(self.bad_rows)
            raise InvalidInput(
                self.bad_rows,
                f"{count} row{'s' if count != 1 else ''} cannot be used "
                "(nothing was imported; --skip-bad-rows imports the rest)",
            )

    def warnings(self) -> list[Problem]:
        """Skipped rows and repairs, in file and line order."""
        skipped = [
            Problem(f"skipped: {p.message}", p.path, p.file, p.line, p.value) for p in self.bad_rows
        ]
        return sorted([*skipped, *self.repairs], key=lambda p: (p.file or "", p.line or 0, p.path))


@dataclass(frozen=True)
class Imported:
    """The result of an import: the map, and what the user should be told about it."""

    map: StakeholderMap
    warnings: list[Problem]
    skipped_rows: int
    counts: dict[str, int]


def read_input(path: str, *, max_bytes: int) -> str:
    """The UTF-8 text of an input file, or InvalidInput naming the file."""
    from pathlib import Path

    try:
        size = Path(path).stat().st_size
        if size > max_bytes:
            message = f"file is {size} bytes, over the limit of {max_bytes}"
            raise InvalidInput([Problem(message, file=path)])
        raw = Path(path).read_bytes()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise InvalidInput([Problem(f"cannot read file: {reason}", file=path)]) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput([Problem(f"not UTF-8 text (byte {exc.start})", file=path)]) from None

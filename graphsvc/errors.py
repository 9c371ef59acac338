"""The one exception tree of graphsvc.

Every error a user can see derives from :class:`GraphsvcError` and carries a stable
``code``; adapters (CLI, API, stores) translate to and from this tree at their boundary.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input: where (file, line, path) and what."""

    message: str
    path: str = ""
    file: str | None = None
    line: int | None = None
    value: Any = field(default=None, compare=False)

    def location(self) -> str:
        where = self.file or ""
        if self.line is not None:
            where = f"{where}:{self.line}" if where else f"line {self.line}"
        if self.path:
            where = f"{where}: {self.path}" if where else self.path
        return where

    def __str__(self) -> str:
        where = self.location()
        text = f"{where}: {self.message}" if where else self.message
        if self.value is not None and repr(self.value) not in self.message:
            text += f" (got {_printable(self.value)!r})"
        return text

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"message": self.message, "path": self.path}
        if self.file is not None:
            out["file"] = self.file
        if self.line is not None:
            out["line"] = self.line
        if self.value is not None:
            out["value"] = _printable(self.value)
        return out


def _printable(value: Any) -> Any:
    if isinstance(value, str | int | float | bool):
        return value
    text = repr(value)
    return text if len(text) <= 200 else text[:197] + "..."


class GraphsvcError(Exception):
    """Root of every error graphsvc reports to a user."""

    code = "INTERNAL"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message}


class NotFound(GraphsvcError):
    """A map, node or edge that does not exist."""

    code = "NOT_FOUND"


class InvalidInput(GraphsvcError):
    """Input that breaks the map format or the domain rules; lists every problem."""

    code = "INVALID_INPUT"

    def __init__(self, problems: Iterable[Problem], message: str | None = None) -> None:
        self.problems: Sequence[Problem] = sorted(
            problems, key=lambda p: (p.file or "", p.line or 0, p.path, p.message)
        )
        count = len(self.problems)
        summary = message or f"{count} problem{'s' if count != 1 else ''} found"
        super().__init__(summary)

    def __str__(self) -> str:
        return "\n".join([self.message, *(f"  {p}" for p in self.problems)])

    def as_dict(self) -> dict[str, Any]:
        return {**super().as_dict(), "problems": [p.as_dict() for p in self.problems]}


class Conflict(GraphsvcError):
    """A write that clashes with the stored state (existing map, stale version)."""

    code = "CONFLICT"


class StoreUnavailable(GraphsvcError):
    """The store cannot be reached right now; retrying later may succeed."""

    code = "STORE_UNAVAILABLE"
    retryable = True


class LimitExceeded(GraphsvcError):
    """A request or input larger than a configured limit."""

    code = "LIMIT_EXCEEDED"


class Unauthenticated(GraphsvcError):
    """A request without a valid API token where one is required."""

    code = "UNAUTHENTICATED"


class Forbidden(GraphsvcError):
    """A valid token whose role does not allow the operation."""

    code = "FORBIDDEN"

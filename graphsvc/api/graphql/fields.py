"""Typed spellings of ``strawberry.field`` and ``strawberry.mutation`` used as decorators with
options (strawberry types them as returning ``Any``, which strict mypy refuses)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

import strawberry

F = TypeVar("F", bound=Callable[..., Any])


def field(*, description: str | None = None, name: str | None = None) -> Callable[[F], F]:
    """A resolver field with a description (and a GraphQL name when Python's differs)."""
    return cast(Callable[[F], F], strawberry.field(description=description, name=name))


def mutation(*, description: str) -> Callable[[F], F]:
    """A root mutation with a description."""
    return cast(Callable[[F], F], strawberry.mutation(description=description))

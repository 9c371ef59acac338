"""The Typer application, the shared context, and the one way the CLI reports errors."""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Callable, Iterator
from enum import IntEnum
from typing import Any, ParamSpec, TypeVar

import orjson
import typer
from pydantic import ValidationError
from rich.console import Console

from graphsvc.errors import GraphsvcError, InvalidInput, StoreUnavailable
from graphsvc.service.maps import MapService
from graphsvc.settings import Settings
from graphsvc.store.open import open_store

app = typer.Typer(
    name="graphsvc",
    help="Stakeholder and power-mapping knowledge graph for sociotechnical AI safety.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

P = ParamSpec("P")
R = TypeVar("R")


class Exit(IntEnum):
    """Exit statuses of SPEC §4, plus one for an unreachable store or an internal fault."""

    OK = 0
    FINDINGS = 1
    BAD_INPUT = 2
    UNAVAILABLE = 3
    INTERNAL = 70


def settings() -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise InvalidInput([], f"bad settings: {problems}") from None


def service() -> MapService:
    """The map service over the configured store (opened per command)."""
    config = settings()
    return MapService(open_store(config), config)


def reports_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn every error into one readable message and an exit status; never a traceback."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except typer.Exit:
            raise
        except StoreUnavailable as exc:
            err.print(f"[bold red]error[/]: {exc.message}", markup=True, highlight=False)
            raise typer.Exit(Exit.UNAVAILABLE) from None
        except GraphsvcError as exc:
            _print_error(exc)
            raise typer.Exit(Exit.BAD_INPUT) from None
        except KeyboardInterrupt:
            err.print("interrupted")
            raise typer.Exit(130) from None
        except Exception as exc:
            if os.environ.get("GRAPHSVC_DEBUG"):
                raise
            err.print(
                f"[bold red]internal error[/]: {type(exc).__name__}: {exc}\n"
                "(set GRAPHSVC_DEBUG=1 to see the traceback, and please report it)",
                markup=True,
                highlight=False,
            )
            raise typer.Exit(Exit.INTERNAL) from None

    return wrapper


def _print_error(exc: GraphsvcError) -> None:
    err.print(
        f"[bold red]error[/] [dim]({exc.code})[/]: {exc.message}", markup=True, highlight=False
    )
    if isinstance(exc, InvalidInput):
        for problem in exc.problems:
            err.print(f"  {problem}", markup=False, highlight=False)


def emit_json(data: Any) -> None:
    """Exact JSON on stdout for machines (no colour), compact, or indented for a terminal;
    a large report goes out in pieces (:func:`json_pieces`)."""
    sys.stdout.flush()  # text written before goes first
    stdout = getattr(sys.stdout, "buffer", None)
    pieces = [encode_json(data, indent=True)] if sys.stdout.isatty() else json_pieces(data)
    for piece in pieces:
        if stdout is None:  # a text-only stream (tests)
            sys.stdout.write(piece.decode())
        else:
            stdout.write(piece)
    if stdout is not None:
        stdout.flush()
    sys.stdout.write("\n")


def encode_json(value: Any, *, indent: bool = False) -> bytes:
    """``value`` as compact UTF-8 JSON (indented by 2 with ``indent``) by orjson, three to five
    times faster than the standard library on a large report (BENCHMARKS.md, §1). What orjson
    refuses, an integer past 64 bits, is written by the standard library instead. orjson
    writes a NaN or infinity as null; no report holds one (maps reject them)."""
    try:
        return orjson.dumps(value, option=_ORJSON_INDENT if indent else _ORJSON)
    except orjson.JSONEncodeError:
        text = json.dumps(
            value, ensure_ascii=False, allow_nan=False, indent=2 if indent else None,
            separators=(",", ": ") if indent else (",", ":"),
        )  # fmt: skip
        return text.encode()


_ORJSON = orjson.OPT_NON_STR_KEYS
_ORJSON_INDENT = orjson.OPT_NON_STR_KEYS | orjson.OPT_INDENT_2
JSON_CHUNK = 2_000  # list entries per piece of streamed JSON


def json_pieces(data: Any, chunk: int = JSON_CHUNK) -> Iterator[bytes]:
    """:func:`encode_json` of ``data`` in pieces: the lists of a top-level mapping go
    ``chunk`` entries at a time, so a large report is never one string (a 100k-node report
    is 420 MB of JSON)."""
    if not isinstance(data, dict) or not all(isinstance(key, str) for key in data):
        yield encode_json(data)
        return
    yield b"{"
    for i, (key, value) in enumerate(data.items()):
        yield (b"," if i else b"") + encode_json(key) + b":"
        if isinstance(value, list) and len(value) > chunk:
            yield b"["
            for start in range(0, len(value), chunk):
                yield (b"," if start else b"") + encode_json(value[start : start + chunk])[1:-1]
            yield b"]"
        else:
            yield encode_json(value)
    yield b"}"

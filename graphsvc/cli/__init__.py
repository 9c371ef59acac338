"""The ``graphsvc`` command line: one module per command group, registered here."""

from __future__ import annotations

from graphsvc.cli import analyze as _analyze  # noqa: F401  (registers commands)
from graphsvc.cli import changes as _changes  # noqa: F401
from graphsvc.cli import generate as _generate  # noqa: F401
from graphsvc.cli import imports as _imports  # noqa: F401
from graphsvc.cli import maps as _maps  # noqa: F401
from graphsvc.cli import serve as _serve  # noqa: F401
from graphsvc.cli import tokens as _tokens  # noqa: F401
from graphsvc.cli.app import app


def main() -> None:
    """Entry point of the console script."""
    app()


__all__ = ["app", "main"]

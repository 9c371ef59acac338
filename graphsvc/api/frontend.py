"""The explorer: ``frontend/`` at ``/`` and vis-network from the pyvis package, under a strict CSP.

The explorer's files live in ``frontend/`` at the top of a checkout; ``graphsvc/frontend`` is a
symlink to it, so ``pip install .`` ships them as package data of ``graphsvc`` (see
``[tool.setuptools.package-data]``) and one lookup finds them in a checkout, an editable install
and a wheel alike. vis-network is never copied into the repository: the copy inside the
installed ``pyvis`` package is served as ``/static/vendor/vis-network.min.js``.
"""

from __future__ import annotations

import os
import re
from functools import cache
from importlib import resources
from os import PathLike
from pathlib import Path

from fastapi import FastAPI, HTTPException
from fastapi.responses import FileResponse, Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

import graphsvc

#: Only our own scripts, styles, images and API. vis-network sets styles through the CSSOM
#: (``element.style``), which CSP does not govern, so no ``'unsafe-inline'`` is needed; its
#: stylesheet embeds one ``data:`` image.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    ]
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    # Revalidate on every load (ETags keep that cheap), so an upgrade never mixes old modules
    # with new ones.
    "Cache-Control": "no-cache",
}
VENDOR_FILES = {"vis-network.min.js", "vis-network.css"}


def frontend_dir() -> Path:
    """The folder holding the explorer's ``index.html``."""
    return Path(str(resources.files(graphsvc).joinpath("frontend")))


@cache
def vis_dir() -> Path:
    """The newest ``vis-*`` folder that the installed pyvis package ships."""
    lib = Path(str(resources.files("pyvis").joinpath("lib")))
    found = [d for d in lib.glob("vis-*") if (d / "vis-network.min.js").is_file()]
    if not found:
        raise RuntimeError(f"pyvis ships no vis-network under {lib}")
    return max(found, key=lambda d: tuple(int(p) for p in re.findall(r"\d+", d.name)))


class ExplorerFiles(StaticFiles):
    """Static files with the explorer's security headers."""

    def file_response(
        self,
        full_path: PathLike[str] | str,
        stat_result: os.stat_result,
        scope: Scope,
        status_code: int = 200,
    ) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        response.headers.update(SECURITY_HEADERS)
        return response


def install_frontend(app: FastAPI, folder: Path | None = None) -> None:
    """Serve the explorer at ``/``, its files under ``/static/`` and vis-network beside them."""
    root = (folder or frontend_dir()).resolve()

    @app.get("/", include_in_schema=False)
    async def index() -> FileResponse:
        return FileResponse(root / "index.html", headers=SECURITY_HEADERS)

    @app.get("/static/vendor/{name}", include_in_schema=False)
    async def vendor(name: str) -> FileResponse:
        if name not in VENDOR_FILES:
            raise HTTPException(404, f"no vendor file {name!r}")
        return FileResponse(vis_dir() / name, headers=SECURITY_HEADERS)

    app.mount("/static", ExplorerFiles(directory=root, check_dir=False), name="explorer")

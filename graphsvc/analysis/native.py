"""Whether the analysis runs compiled or from its Python sources.

``setup.py`` compiles the hot analysis modules with mypyc and records the SHA-256 of each
source it compiled in ``_native.json`` beside them. The compiled modules are used only while
that record matches the sources in this folder and ``GRAPHSVC_NATIVE`` is not ``0``; otherwise
every module of the package comes from its source. It is all or none, because compiled modules
call each other directly: a source edited since the build would be bypassed. So an edit takes
effect at once (slower, in pure Python) until ``make native`` compiles again.

``GRAPHSVC_NATIVE`` is read here, at import, and not in :mod:`graphsvc.settings`: the choice
is made once per process, before any analysis module exists.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from importlib.machinery import (
    BYTECODE_SUFFIXES,
    EXTENSION_SUFFIXES,
    SOURCE_SUFFIXES,
    FileFinder,
    SourceFileLoader,
    SourcelessFileLoader,
)
from pathlib import Path

RECORD = "_native.json"
SHARED_LIBRARY = "_native__mypyc"  # the group's runtime, named in setup.py (GROUP)


def compiled_matches(folder: Path) -> bool:
    """True when ``folder`` holds a build record whose every source digest matches the source
    there, its shared library, and no extension module the record does not name (left by an
    older build: it would be imported and fail)."""
    try:
        record = json.loads((folder / RECORD).read_text())
        for name, digest in record.items():
            if hashlib.sha256((folder / f"{name}.py").read_bytes()).hexdigest() != digest:
                return False
        extensions = {
            path.name.partition(".")[0]
            for suffix in EXTENSION_SUFFIXES
            for path in folder.glob(f"*{suffix}")
        }
    except (OSError, ValueError, AttributeError):
        return False
    return SHARED_LIBRARY in extensions and extensions <= {SHARED_LIBRARY, *record}


def choose(folder: str) -> bool:
    """Decide for the package in ``folder``: True if its compiled modules will be imported.
    Otherwise its submodules are found by a finder that knows only sources and bytecode."""
    if os.environ.get("GRAPHSVC_NATIVE", "1") != "0" and compiled_matches(Path(folder)):
        return True
    sys.path_importer_cache[folder] = FileFinder(
        folder,
        (SourceFileLoader, SOURCE_SUFFIXES),
        (SourcelessFileLoader, BYTECODE_SUFFIXES),
    )
    return False

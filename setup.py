"""Build step of graphsvc beyond pyproject.toml: the analysis compiled to C with mypyc.

The hot analysis modules (``NATIVE``) are compiled from their unchanged Python sources, which
stay the reference: ``graphsvc/analysis/native.py`` uses the compiled modules only while they
match the sources beside them (the SHA-256 of each, recorded here after a successful build),
and falls back to the sources otherwise. Without a C compiler the build still succeeds, as pure
Python (the extensions are optional). ``GRAPHSVC_NATIVE=0`` at build time skips compiling.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

PACKAGE = "graphsvc/analysis"
GROUP = "graphsvc.analysis._native"  # the shared library lives in the package, not top level
RECORD = "_native.json"
# Not report.py, which makes the report's million dicts: compiled, it held 92 MiB more at 100k
# nodes, in no less time (BENCHMARKS.md, §1).
NATIVE = [
    "automation", "contest", "cover", "dominators", "feedback", "findings", "gaps", "graph",
    "paths", "plan", "power", "recommend", "salience", "spof", "suite",
]  # fmt: skip


def source_digests(folder: Path) -> dict[str, str]:
    return {
        name: hashlib.sha256((folder / f"{name}.py").read_bytes()).hexdigest() for name in NATIVE
    }


class BuildNative(build_ext):
    """build_ext that records the compiled sources' digests once every extension is built,
    beside the built modules (in place for editable installs, in the wheel otherwise)."""

    failed: list[str]

    def run(self) -> None:
        self.failed = []
        super().run()
        if not self.extensions:
            return
        folder = Path(self.get_ext_fullpath(f"{GROUP}__mypyc")).parent
        record = folder / RECORD
        built = [Path(self.get_ext_fullpath(ext.name)) for ext in self.extensions]
        for path in folder.glob("*.so"):  # of a module compiled before, no longer in NATIVE
            if path not in built:
                path.unlink()
        if not self.failed and all(path.exists() for path in built):
            record.write_text(json.dumps(source_digests(Path(PACKAGE)), indent=1) + "\n")
        else:  # no compiler, or it failed: pure Python, as if never compiled
            record.unlink(missing_ok=True)

    def build_extension(self, ext: Extension) -> None:
        try:
            super().build_extension(ext)
        except Exception:  # optional extensions: setuptools warns and goes on
            self.failed.append(ext.name)
            raise


ext_modules = []
if os.environ.get("GRAPHSVC_NATIVE", "1") != "0":
    from mypyc.build import mypycify

    ext_modules = mypycify([f"{PACKAGE}/{name}.py" for name in NATIVE], group_name=GROUP)
    for ext in ext_modules:
        ext.optional = True

setup(ext_modules=ext_modules, cmdclass={"build_ext": BuildNative})

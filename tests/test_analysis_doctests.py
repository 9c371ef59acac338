"""The runnable examples in the analysis docstrings stay true.

Compiled modules (mypyc) keep no docstrings, so the examples are read from each module's source
file and run in the namespace of the module as imported, compiled or not.
"""

from __future__ import annotations

import ast
import doctest
import importlib
from pathlib import Path

import pytest

MODULES = [
    "graphsvc.analysis.automation",
    "graphsvc.analysis.cover",
    "graphsvc.analysis.diff",
    "graphsvc.analysis.dominators",
    "graphsvc.analysis.findings",
    "graphsvc.analysis.gaps",
    "graphsvc.analysis.impact",
    "graphsvc.analysis.plan",
    "graphsvc.analysis.power",
    "graphsvc.analysis.salience",
    "graphsvc.analysis.scenario",
    "graphsvc.analysis.spof",
    "graphsvc.domain.changes",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    package, _, last = name.rpartition(".")
    path = Path(importlib.import_module(package).__file__ or "").parent / f"{last}.py"
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef):
            text = ast.get_docstring(node, clean=False)
            if text and ">>>" in text:
                where = f"{name}.{getattr(node, 'name', '')}"
                lineno = getattr(node, "lineno", 0)
                runner.run(parser.get_doctest(text, dict(vars(module)), where, str(path), lineno))
    result = runner.summarize(verbose=False)
    assert result.attempted > 0
    assert result.failed == 0

"""The runnable examples in the analysis docstrings stay true."""

from __future__ import annotations

import doctest
import importlib

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
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0

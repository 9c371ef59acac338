"""The docs mention every kind, edge kind and setting the code has (datasette's habit)."""

from __future__ import annotations

import re

import pytest

from graphsvc.domain.kinds import ENDPOINTS, EdgeKind, NodeKind
from graphsvc.settings import Settings
from tests.conftest import ROOT

MAP_FORMAT = (ROOT / "docs" / "MAP_FORMAT.md").read_text()
README = (ROOT / "README.md").read_text()


@pytest.mark.parametrize("kind", list(NodeKind))
def test_map_format_documents_every_node_kind(kind: NodeKind) -> None:
    assert f"| `{kind}` |" in MAP_FORMAT


@pytest.mark.parametrize("kind", list(EdgeKind))
def test_map_format_documents_every_edge_kind_with_its_endpoints(kind: EdgeKind) -> None:
    row = re.search(rf"^\| `{kind}` \| (.+?) → (.+?) \|", MAP_FORMAT, re.M)
    assert row is not None
    sources, targets = ENDPOINTS[kind]
    assert set(row.group(1).split(", ")) == set(sources)
    assert set(row.group(2).split(", ")) == set(targets)


@pytest.mark.parametrize("name", list(Settings.model_fields))
def test_readme_documents_every_setting(name: str) -> None:
    field = Settings.model_fields[name]
    aliases = getattr(field.validation_alias, "choices", None) or [f"GRAPHSVC_{name.upper()}"]
    assert any(f"`{alias}`" in README for alias in aliases), name

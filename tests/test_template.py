"""The blank workshop template validates, explains every kind, and its examples are valid."""

from __future__ import annotations

import pytest
import yaml

from graphsvc.domain.kinds import EdgeKind, NodeKind
from graphsvc.domain.mapfile import load_map_file
from tests.conftest import SEEDS
from tests.factories import build_map

TEMPLATE = SEEDS / "template.yaml"
TEXT = TEMPLATE.read_text(encoding="utf-8")
COMMENTS = "\n".join(line for line in TEXT.splitlines() if line.startswith("#"))


def test_template_is_a_valid_blank_map() -> None:
    m = load_map_file(TEMPLATE)
    assert (m.id, m.nodes, m.edges) == ("template", [], [])


@pytest.mark.parametrize("kind", [*NodeKind, *EdgeKind])
def test_template_explains_every_kind(kind: str) -> None:
    assert f"# {kind} " in COMMENTS


def test_template_examples_validate_when_uncommented() -> None:
    examples = [
        yaml.safe_load(line[len("#   - ") :])
        for line in TEXT.splitlines()
        if line.startswith("#   - {")
    ]
    nodes = [e for e in examples if "kind" in e and "from" not in e]
    edges = [e for e in examples if "from" in e]
    m = build_map(nodes, edges)
    assert len(m.nodes) == 4 and len(m.edges) == 4

"""GraphML: problems at the line of their element, safe parsing, and files other tools write."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from graphsvc.errors import InvalidInput
from graphsvc.formats.graphml import export_graphml, load_graphml, load_graphml_path
from graphsvc.service.maps import MapService
from graphsvc.settings import Settings
from graphsvc.store.sqlite import SqliteStore
from tests.factories import build_map, edge, node

HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
  <key id="k" for="node" attr.name="kind" attr.type="string"/>
  <key id="n" for="node" attr.name="name" attr.type="string"/>
  <key id="p" for="node" attr.name="population" attr.type="long"/>
  <key id="ek" for="edge" attr.name="kind" attr.type="string"/>
  <graph id="g" edgedefault="directed">
"""


def test_problems_name_the_line_of_their_element() -> None:
    text = (
        HEAD
        + """\
    <node id="s1"><data key="k">AISystem</data><data key="n">Classifier</data></node>
    <node id="c1"><data key="k">Community</data><data key="n">Creators</data></node>
    <node id="c2"><data key="k">AffectedCommunity</data><data key="p">many</data></node>
    <edge source="s1" target="ghost"><data key="ek">AFFECTS</data></edge>
    <node id="c3"><data key="zz">x</data><data key="k">AffectedCommunity</data><data key="n">C</data></node>
  </graph>
</graphml>
"""
    )
    with pytest.raises(InvalidInput) as caught:
        load_graphml(text.encode(), file="m.graphml")
    found = [str(p) for p in caught.value.problems]
    assert any(p.startswith("m.graphml:9: kind: unknown kind 'Community'") for p in found), found
    assert any(p.startswith("m.graphml:10: name: missing required field 'name'") for p in found), (
        found
    )
    assert any(p.startswith("m.graphml:10: population:") for p in found), found
    assert any(p.startswith("m.graphml:11: to: unknown node 'ghost'") for p in found), found
    assert any(p.startswith("m.graphml:12: key: <data> refers to no node key") for p in found), (
        found
    )


def test_malformed_xml_names_the_line() -> None:
    with pytest.raises(InvalidInput) as caught:
        load_graphml((HEAD + "<node id='a'>\n</graph>").encode(), file="m.graphml")
    (problem,) = caught.value.problems
    assert problem.file == "m.graphml" and problem.line == 9
    assert problem.message.startswith("malformed XML: mismatched tag")


def test_entities_are_refused() -> None:
    bomb = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph>&lol2;</graph></graphml>
"""
    with pytest.raises(InvalidInput, match="document type declarations"):
        load_graphml(bomb.encode(), file="bomb.graphml")


def test_not_graphml() -> None:
    with pytest.raises(InvalidInput, match="not GraphML"):
        load_graphml(b"<html/>", file="x.xml")


def test_reads_graphml_written_by_networkx(tmp_path: Path) -> None:
    g = nx.DiGraph()
    g.add_node("o1", kind="Organization", name="Agency", sector="PUBLIC")
    g.add_node("s1", kind="AISystem", name="Scorer", errorRate=0.1)
    g.add_edge("o1", "s1", kind="DEPLOYS")
    path = tmp_path / "nx.graphml"
    nx.write_graphml(g, path)
    m = load_graphml_path(path, max_bytes=10**6)
    assert m.id == "nx"  # networkx writes no graph id: the file's name is the map id
    assert [(e.from_, e.kind, e.to) for e in m.edges] == [("o1", "DEPLOYS", "s1")]


def test_networkx_reads_our_export(tmp_path: Path) -> None:
    m = build_map(
        [node("o1", sector="PUBLIC"), node("s1", errorRate=0.1, attributes={"n": 3})],
        [edge("o1", "DEPLOYS", "s1")],
    )
    path = tmp_path / "m.graphml"
    path.write_text(export_graphml(m), encoding="utf-8")
    g = nx.read_graphml(path)
    assert g.nodes["s1"]["kind"] == "AISystem" and g.nodes["s1"]["attr:n"] == 3
    assert g.edges["o1", "s1"]["kind"] == "DEPLOYS"


def test_nothing_is_stored_from_a_bad_graphml(tmp_path: Path) -> None:
    bad = tmp_path / "bad.graphml"
    bad.write_text(HEAD + "<node id='x'/></graph></graphml>", encoding="utf-8")
    store = SqliteStore(tmp_path / "s.sqlite")
    try:
        with pytest.raises(InvalidInput):
            MapService(store, Settings(store="sqlite:///unused")).import_files([bad])
        assert store.list_maps() == []
    finally:
        store.close()


def test_export_refuses_characters_xml_cannot_hold() -> None:
    m = build_map([node("s1", description="bell \x07")], [])
    with pytest.raises(InvalidInput, match="XML cannot hold"):
        export_graphml(m)

"""The CSV workshop format: spreadsheet-friendly reading, and errors that name file and row."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphsvc.errors import InvalidInput
from graphsvc.formats import export_map
from graphsvc.formats.csv import export_csv, load_csv_files, load_csv_path
from graphsvc.service.maps import MapService
from graphsvc.settings import Settings
from graphsvc.store.sqlite import SqliteStore
from tests.factories import build_map, edge, node

# As a shared spreadsheet exports it: columns in any order, people's spelling of kinds and
# values, a blank row, a comment row, trailing empty cells.
NODES = """\
id,name,kind,stakes,automationLevel,sector,capacityPerMonth,tags,attr:budget,attr:code:text,
# actors,,,,,,,,,,
platform,Video platform,organization,,,private,,big tech; dsa,1200000,007,
classifier,Upload classifier,AI system,high,human on the loop,,,,,,

creators,Creators,Affected Community,,,,,,,,
appeal,Appeal queue,mechanism,,,,40,,,,
"""
EDGES = """\
kind,from,to,description,attr:weight
deploys,platform,classifier,"runs it, at scale",0.5
AFFECTS,classifier,creators,,
can contest via,creators,appeal,,
handled_by,appeal,platform,,
"""


def write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_reads_a_workshop_spreadsheet(tmp_path: Path) -> None:
    m = load_csv_path(
        write(tmp_path / "workshop-1", {"nodes.csv": NODES, "edges.csv": EDGES}), max_bytes=10**6
    )
    assert m.id == "workshop-1"  # no map.csv: the folder's name
    platform = m.node("platform")
    assert platform is not None and platform.kind == "Organization"
    assert platform.tags == ["big tech", "dsa"]
    assert platform.attributes == {"budget": 1200000, "code": "007"}
    classifier = m.node("classifier")
    assert (
        classifier is not None
        and classifier.model_dump(by_alias=True)["automationLevel"] == "HUMAN_ON_THE_LOOP"
    )
    assert [e.kind for e in m.edges] == ["DEPLOYS", "AFFECTS", "CAN_CONTEST_VIA", "HANDLED_BY"]
    assert m.edges[0].attributes == {"weight": 0.5}
    assert m.edges[0].description == "runs it, at scale"


def test_reads_a_nodes_csv_path_and_a_map_csv(tmp_path: Path) -> None:
    folder = write(
        tmp_path / "Not A Slug",
        {"nodes.csv": NODES, "map.csv": "id,title,tags\nws,Workshop,a;b\n"},
    )
    m = load_csv_path(folder / "nodes.csv", max_bytes=10**6)
    assert (m.id, m.meta.title, m.meta.tags) == ("ws", "Workshop", ["a", "b"])


def test_every_problem_names_file_and_row(tmp_path: Path) -> None:
    nodes = """\
id,kind,name,population,colour
s1,AISystem,Classifier,,
c1,Community,Creators,many,
c1,AffectedCommunity,Again,,
o1,Organization,Org,,,extra
"""
    edges = """\
kind,from,to
DEPLOYS,s1,s1
AFFECTS,s1,ghost
"""
    with pytest.raises(InvalidInput) as caught:
        load_csv_path(
            write(tmp_path / "bad", {"nodes.csv": nodes, "edges.csv": edges}), max_bytes=10**6
        )
    found = {str(p).replace(str(tmp_path), "") for p in caught.value.problems}
    assert any(p.startswith("/bad/nodes.csv:1: unknown column 'colour'") for p in found), found
    assert any(p.startswith("/bad/nodes.csv:3: kind: unknown kind 'Community'") for p in found), (
        found
    )
    assert any(p.startswith("/bad/nodes.csv:4: id: duplicate id 'c1'") for p in found), found
    assert any(
        p.startswith("/bad/nodes.csv:5: row has 6 cells but the header has 5") for p in found
    )
    assert any(
        p.startswith("/bad/edges.csv:2: from: DEPLOYS cannot start at AISystem") for p in found
    )
    assert any(p.startswith("/bad/edges.csv:3: to: unknown node 'ghost'") for p in found), found


def test_a_bad_value_names_its_column() -> None:
    nodes = "id,kind,name,population\nc1,AffectedCommunity,Creators,many\n"
    with pytest.raises(InvalidInput) as caught:
        load_csv_files({"nodes.csv": nodes}, where="ws", default_id="ws")
    (problem,) = caught.value.problems
    assert (problem.file, problem.line, problem.path, problem.value) == (
        "ws/nodes.csv",
        2,
        "population",
        "many",
    )


def test_missing_files_and_columns_are_reported() -> None:
    with pytest.raises(InvalidInput, match=r"missing nodes\.csv"):
        load_csv_files({"edges.csv": "kind,from,to\n"}, where="ws", default_id="ws")
    with pytest.raises(InvalidInput) as caught:
        load_csv_files({"nodes.csv": "id,name\nx,X\n"}, where="ws", default_id="ws")
    assert "missing column kind" in str(caught.value)


def test_nothing_is_stored_when_one_import_is_bad(tmp_path: Path) -> None:
    good = write(tmp_path / "good", {"nodes.csv": NODES, "edges.csv": EDGES})
    bad = write(tmp_path / "bad", {"nodes.csv": "id,kind,name\nx,Robot,X\n"})
    store = SqliteStore(tmp_path / "s.sqlite")
    try:
        with pytest.raises(InvalidInput, match="1 problem"):
            MapService(store, Settings(store="sqlite:///unused")).import_files([good, bad])
        assert store.list_maps() == []
    finally:
        store.close()


def test_attribute_columns_keep_their_types() -> None:
    m = build_map(
        [
            node("s1", attributes={"code": "007", "flag": "true", "n": 3, "mixed": "3"}),
            node("s2", attributes={"mixed": 2.5, "empty": ""}),
        ],
        [],
    )
    files = export_csv(m)
    header = files["nodes.csv"].splitlines()[0]
    assert "attr:code:text" in header and "attr:mixed:json" in header and "attr:n," in header + ","
    assert load_csv_files(files, where="m") == m


def test_export_refuses_a_tag_the_format_cannot_hold() -> None:
    m = build_map([node("s1", tags=["a;b"])], [])
    with pytest.raises(InvalidInput, match="cannot be written as CSV"):
        export_csv(m)


def test_export_is_a_folder_or_a_zip(tmp_path: Path) -> None:
    m = build_map([node("s1"), node("o1")], [edge("o1", "DEPLOYS", "s1")])
    exported = export_map(m, "csv")
    assert not exported.is_single_file and exported.filename == "t.zip"
    assert sorted(p.name for p in exported.write(tmp_path / "out")) == [
        "edges.csv", "map.csv", "nodes.csv", "sources.csv",
    ]  # fmt: skip
    assert load_csv_path(tmp_path / "out", max_bytes=10**6) == m
    with pytest.raises(InvalidInput, match="folder of files"):
        _ = exported.text

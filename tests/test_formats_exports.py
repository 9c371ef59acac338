"""Export-only formats (GEXF, Cypher, HTML) and the import/export commands that use them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

from graphsvc.cli import app
from graphsvc.domain.mapfile import load_map_file
from graphsvc.domain.model import StakeholderMap
from graphsvc.formats import export_map
from graphsvc.formats.cypher import export_cypher, literal, name
from graphsvc.formats.gexf import KIND_COLOURS, export_gexf
from graphsvc.settings import Settings
from tests.conftest import SEEDS
from tests.factories import build_map, edge, node

runner = CliRunner()
FIXTURES = Path(__file__).parent / "fixtures"


def small_map() -> StakeholderMap:
    return build_map(
        [
            node("o1", sector="PUBLIC", attributes={"note": 'it\'s "quoted"\nand \\ escaped'}),
            node("s1", stakes="HIGH", errorRate=0.1),
            node("c1", population=1200),
        ],
        [edge("o1", "DEPLOYS", "s1"), edge("s1", "AFFECTS", "c1", severity="HIGH")],
        map_id="small",
    )


def test_gexf_opens_in_networkx_with_kinds_and_colours(tmp_path: Path) -> None:
    path = tmp_path / "m.gexf"
    path.write_text(export_gexf(small_map()), encoding="utf-8")
    g = nx.read_gexf(path)
    assert g.nodes["s1"]["kind"] == "AISystem" and g.nodes["s1"]["label"] == "S1"
    assert g.nodes["c1"]["population"] == 1200
    colour = g.nodes["o1"]["viz"]["color"]
    assert (colour["r"], colour["g"], colour["b"]) == KIND_COLOURS["Organization"]
    assert g.edges["s1", "c1"]["severity"] == "HIGH"


def test_cypher_literals_are_escaped() -> None:
    assert literal('it\'s \\ "x"\n') == "'it\\'s \\\\ \"x\"\\n'"
    assert literal("\x00\u2028") == "'\\u0000\\u2028'"
    assert literal({"a b": [1, 2.5, True, None]}) == "{`a b`: [1, 2.5, true, null]}"
    assert name("attr:x`y") == "`attr:x``y`" and name("plain_1") == "plain_1"


def test_cypher_script_shape() -> None:
    script = export_cypher(small_map())
    statements = [line for line in script.splitlines() if line and not line.startswith("//")]
    assert all(s.endswith(";") for s in statements)
    assert any("CREATE (:GNode:AISystem" in s for s in statements)
    assert any("CREATE (a)-[:DEPLOYS" in s for s in statements)
    assert statements[-1].startswith("MATCH (s:GStage")


def test_html_export_is_the_report_page() -> None:
    m = load_map_file(next(iter(sorted(SEEDS.glob("*.yaml")))))
    page = export_map(m, "html").text
    assert page.startswith("<!DOCTYPE html>") and (m.meta.title or m.id) in page


# --- Cypher into a real Neo4j -----------------------------------------------------------------


@pytest.fixture
def neo4j_driver(neo4j_settings: Settings) -> Iterator[object]:
    import neo4j

    password = neo4j_settings.neo4j_password
    auth = (neo4j_settings.neo4j_username, password.get_secret_value()) if password else None
    driver = neo4j.GraphDatabase.driver(neo4j_settings.neo4j_uri, auth=auth)
    yield driver
    driver.close()


def run_script(driver: object, script: str, database: str) -> None:
    statements = [s.strip() for s in script.split(";\n") if s.strip()]
    with driver.session(database=database) as session:  # type: ignore[attr-defined]
        for statement in statements:
            body = "\n".join(line for line in statement.splitlines() if not line.startswith("//"))
            if body.strip():
                session.run(body.rstrip(";")).consume()


@pytest.mark.neo4j
def test_cypher_script_loads_into_neo4j_as_a_stored_map(
    neo4j_settings: Settings, neo4j_driver: object, neo4j_store: object, mid: object
) -> None:
    seed = load_map_file(SEEDS / "content-moderation.yaml")
    data = seed.model_dump(by_alias=True)
    data["map"]["id"] = mid("cypher")  # type: ignore[operator]
    m = StakeholderMap.model_validate(data)
    script = export_cypher(m)
    run_script(neo4j_driver, script, neo4j_settings.neo4j_database)
    assert neo4j_store.load_map(m.id) == m  # type: ignore[attr-defined]
    assert neo4j_store.map_info(m.id).version == 1  # type: ignore[attr-defined]
    run_script(neo4j_driver, script, neo4j_settings.neo4j_database)  # again: replaces it
    assert neo4j_store.load_map(m.id) == m  # type: ignore[attr-defined]
    assert neo4j_store.map_info(m.id).version == 2  # type: ignore[attr-defined]


# --- commands ---------------------------------------------------------------------------------


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GRAPHSVC_STORE", f"sqlite:///{tmp_path / 'cli.sqlite'}")
    return tmp_path


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_export_and_import_every_format_from_the_command_line(env: Path) -> None:
    seed = SEEDS / "content-moderation.yaml"
    assert run("import", str(seed))[0] == 0
    original = run("export", "content-moderation", "--format", "json")[1]
    for fmt, target in [("graphml", "m.graphml"), ("csv", "folder"), ("csv", "m.zip")]:
        code, _, err = run("export", "content-moderation", "-f", fmt, "--out", str(env / target))
        assert code == 0, err
        code, _, err = run("import", "--replace", str(env / target))
        assert code == 0, err
        assert run("export", "content-moderation", "--format", "json")[1] == original
    for fmt in ("gexf", "cypher", "html"):
        code, out, _ = run("export", "content-moderation", "--format", fmt)
        assert code == 0 and out.strip()
    code, _, err = run("export", "content-moderation", "--format", "csv")
    assert code == 2 and "--out FOLDER" in err


def test_import_with_a_forced_format(env: Path) -> None:
    target = env / "m.xml.txt"
    target.write_text(export_map(small_map(), "graphml").text, encoding="utf-8")
    assert run("import", str(target))[0] == 2  # read as YAML: not a map file
    assert run("import", "--format", "graphml", str(target))[0] == 0


def test_import_aiid_stores_the_map(env: Path) -> None:
    incidents = FIXTURES / "aiid" / "incidents.csv"
    code, out, err = run(
        "import-aiid", str(incidents), "--entities", str(FIXTURES / "aiid" / "entities.csv")
    )
    assert code == 0, err
    assert "imported map 'aiid' (version 1)" in out and "5 AI systems" in out
    assert "duplicates.csv" in err  # picked up beside incidents.csv
    assert "blank entity id dropped" in err
    code, out, _ = run("maps", "--format", "json")
    assert [m["id"] for m in json.loads(out)] == ["aiid"]
    assert run("import-aiid", str(incidents))[0] == 2  # exists: needs --replace
    assert run("import-aiid", str(incidents), "--replace", "--no-duplicates")[0] == 0


def test_import_aiid_with_bad_rows_stores_nothing(env: Path) -> None:
    bad = FIXTURES / "aiid_bad" / "incidents.csv"
    code, _, err = run("import-aiid", str(bad), "--map-id", "bad")
    assert code == 2
    assert f"{bad}:3: incident_id:" in err and "nothing was imported" in err
    assert json.loads(run("maps", "--format", "json")[1]) == []
    code, out, err = run("import-aiid", str(bad), "--map-id", "bad", "--skip-bad-rows")
    assert code == 0 and "5 rows skipped" in out and "skipped:" in err


def test_import_register_to_a_file(env: Path) -> None:
    target = env / "register.yaml"
    code, out, err = run(
        "import-register", str(FIXTURES / "register" / "register.json"), "--out", str(target)
    )
    assert code == 0, err
    assert "5 algorithms" in out
    m = load_map_file(target)
    assert m.id == "nl-algoritmeregister"
    assert json.loads(run("maps", "--format", "json")[1]) == []  # --out stores nothing
    code, _, _ = run("analyze", str(target), "--fail-on", "withoutContestPath")
    assert code == 1  # three of the five registered algorithms leave people without a path

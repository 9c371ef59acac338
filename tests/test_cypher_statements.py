"""The Cypher of the Neo4j store: every statement file used, none missing, labels only from enums."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from graphsvc.domain.kinds import EdgeKind, NodeKind
from graphsvc.store import cypher
from graphsvc.store.cypher import QUERIES_DIR, SCHEMA_FILE, Cypher, schema_statements, statement

ADAPTER = Path(cypher.__file__).parent / "neo4j"
ADAPTER_SOURCE = "\n".join(p.read_text() for p in sorted(ADAPTER.glob("*.py")))
LABELLED: dict[Cypher, NodeKind | EdgeKind] = {
    Cypher.NODES_CREATE: NodeKind.AI_SYSTEM,
    Cypher.NODE_UPSERT: NodeKind.AI_SYSTEM,
    Cypher.EDGES_CREATE: EdgeKind.AFFECTS,
    Cypher.EDGE_PUT: EdgeKind.AFFECTS,
}


def test_every_statement_file_is_a_named_statement() -> None:
    files = {p.stem for p in QUERIES_DIR.glob("*.cypher")}
    assert files == {name.value for name in Cypher}


@pytest.mark.parametrize("name", list(Cypher))
def test_every_named_statement_is_used_by_the_adapter(name: Cypher) -> None:
    assert re.search(rf"\bCypher\.{name.name}\b", ADAPTER_SOURCE), f"{name.value} is unused"


def test_the_adapter_names_no_statement_that_does_not_exist() -> None:
    used = set(re.findall(r"\bCypher\.([A-Z_]+)\b", ADAPTER_SOURCE))
    assert used <= {name.name for name in Cypher}


def test_the_adapter_runs_only_statements_from_files() -> None:
    # Every tx.run / session.run goes through statement(...): no Cypher is built in Python.
    runs = re.findall(r"\.run\(([^,)]*)", ADAPTER_SOURCE)
    assert runs and all(
        arg.strip().startswith(("statement(", "schema_statement")) for arg in runs
    ), runs


def test_a_missing_statement_file_fails_at_load(tmp_path: Path) -> None:
    for name in Cypher:
        if name is not Cypher.MAP_BUMP:
            (tmp_path / f"{name.value}.cypher").write_text("RETURN 1")
    with pytest.raises(cypher.MissingCypher, match=r"map_bump\.cypher"):
        cypher._texts(tmp_path)


@pytest.mark.parametrize("name", list(Cypher))
def test_every_statement_is_parameterised_and_fills_its_placeholders(name: Cypher) -> None:
    kind = LABELLED.get(name)
    assert ("<KIND>" in cypher._texts()[name]) == (kind is not None)
    filled = statement(name, kind)
    assert not cypher.PLACEHOLDER.search(filled)
    # No value is written into a statement: literals are limited to the stage states.
    body = "\n".join(line for line in filled.splitlines() if not line.lstrip().startswith("//"))
    assert set(re.findall(r"'([^']*)'", body)) <= {"staging", "retired"}


def test_labels_come_only_from_the_kind_enums() -> None:
    with pytest.raises(TypeError):
        statement(Cypher.NODES_CREATE, "AISystem`) DETACH DELETE n //")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="<KIND>"):
        statement(Cypher.NODES_CREATE)
    assert ":GNode:Mechanism " in statement(Cypher.NODES_CREATE, NodeKind.MECHANISM)
    assert "-[r:FUNDS " in statement(Cypher.EDGE_PUT, EdgeKind.FUNDS)
    every_type = statement(Cypher.EDGE_DELETE)
    assert all(kind.value in every_type for kind in EdgeKind)


def test_the_schema_constrains_every_label_and_relationship_type() -> None:
    text = "\n".join(schema_statements())
    assert all(
        s.startswith(
            ("CREATE CONSTRAINT", "CREATE INDEX", "DROP CONSTRAINT", "CALL db.awaitIndexes")
        )
        for s in schema_statements()
    )
    assert all(" IF NOT EXISTS " in s for s in schema_statements() if s.startswith("CREATE"))
    # The only drops: the edge constraints of databases written before they became indexes,
    # each made again as an index of the same name.
    dropped = [s.split()[2] for s in schema_statements() if s.startswith("DROP")]
    assert all(s.endswith(" IF EXISTS") for s in schema_statements() if s.startswith("DROP"))
    assert dropped == [f"{kind.lower()}_id" for kind in EdgeKind]
    assert all(f"CREATE INDEX {name} IF NOT EXISTS FOR ()-[r:" in text for name in dropped)
    for label in ("GMap", "GMapCounter", "GStage", "GNode"):
        assert re.search(rf"FOR \(\w+:{label}\)", text), label
    assert "REQUIRE (n.mapId, n.gen, n.id) IS UNIQUE" in text
    types = set(re.findall(r"FOR \(\)-\[r:(\w+)\]-\(\) ON \(r.mapId, r.gen, r.id\)", text))
    assert types == {kind.value for kind in EdgeKind}
    assert SCHEMA_FILE.name == "neo4j.cypher"

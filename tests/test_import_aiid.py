"""The AI Incident Database importer on small fixtures in the export's format, and on the real
exports in ../shared/data (marked realdata)."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from graphsvc.analysis.report import build_report
from graphsvc.domain.model import StakeholderMap
from graphsvc.errors import InvalidInput
from graphsvc.importers.aiid import import_aiid

FIXTURES = Path(__file__).parent / "fixtures"
GOOD = FIXTURES / "aiid"
BAD = FIXTURES / "aiid_bad" / "incidents.csv"
DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def fixture_map() -> StakeholderMap:
    return import_aiid(
        GOOD / "incidents.csv", entities=GOOD / "entities.csv", duplicates=GOOD / "duplicates.csv"
    ).map


def edges_of(m: StakeholderMap) -> set[tuple[str, str, str]]:
    return {(e.from_, e.kind, e.to) for e in m.edges}


def test_one_system_per_incident_with_its_source() -> None:
    m = fixture_map()
    systems = sorted(n.id for n in m.nodes if n.kind == "AISystem")
    assert systems == ["incident-1", "incident-2", "incident-3", "incident-4", "incident-6"]
    first = m.node("incident-1")
    assert first is not None
    assert first.name == "Video Platform Recommends Disturbing Videos to Children"
    assert first.attributes == {
        "incidentId": 1,
        "date": "2015-05-19",
        "reportCount": 3,
        "mergedIncidents": "5",
    }
    cite = {s.id: s for s in m.sources}["aiid-1"]
    assert cite.url == "https://incidentdatabase.ai/cite/1" and cite.date == "2015-05-19"
    shuttle = m.node("incident-2")
    assert shuttle is not None and shuttle.description is not None
    assert "\n" in shuttle.description  # a quoted cell spanning two lines


def test_roles_become_edges_and_names_come_from_entities() -> None:
    m = fixture_map()
    assert {
        ("videotube", "DEPLOYS", "incident-1"),
        ("videotube", "DEVELOPS", "incident-1"),
        ("incident-1", "AFFECTS", "children"),
        ("transit-operator", "DEPLOYS", "incident-2"),
        ("incident-2", "AFFECTS", "bus-passengers"),
        ("voice-clone-inc", "DEVELOPS", "incident-6"),
    } <= edges_of(m)
    videotube = m.node("videotube")
    assert videotube is not None and (videotube.kind, videotube.name) == (
        "Organization",
        "VideoTube",
    )
    operator = m.node("transit-operator")
    assert operator is not None and operator.name == "Transit Operator"  # not in entities.csv


def test_an_entity_is_one_node_across_incidents() -> None:
    m = fixture_map()
    assert [n.id for n in m.nodes].count("videotube") == 1
    videotube = m.node("videotube")
    assert videotube is not None and videotube.sources == ["aiid-1", "aiid-4", "aiid-5"]


def test_an_actor_that_was_also_harmed_gets_a_community_twin() -> None:
    m = fixture_map()
    assert ("shuttle-co", "DEPLOYS", "incident-2") in edges_of(m)
    assert ("incident-2", "AFFECTS", "shuttle-co.harmed") in edges_of(m)
    twin = m.node("shuttle-co.harmed")
    assert twin is not None and twin.kind == "AffectedCommunity"
    assert twin.attributes == {"aiidEntityId": "shuttle-co"}


def test_duplicates_merge_into_the_true_incident() -> None:
    m = fixture_map()
    assert m.node("incident-5") is None
    # incident 5 (a duplicate of 1) adds parents as harmed; both incidents are cited.
    affects = {e.to: e.sources for e in m.edges if e.from_ == "incident-1" and e.kind == "AFFECTS"}
    assert affects == {"children": ["aiid-1", "aiid-5"], "parents": ["aiid-5"]}


def test_entity_ids_that_are_not_slugs_are_repaired_without_collisions() -> None:
    m = fixture_map()
    by_raw = {n.attributes["aiidEntityId"]: n for n in m.nodes if "aiidEntityId" in n.attributes}
    assert by_raw["x-twitter"].id == "x-twitter"  # already a slug: keeps its id
    assert by_raw["x-(twitter)"].id.startswith("x-twitter-")  # would collide: a short hash
    assert by_raw["mcdonald's-customers"].id == "mcdonald-s-customers"
    assert "unidentified" in by_raw["unknown-scammers"].tags


def test_repairs_are_warnings_with_file_and_line() -> None:
    result = import_aiid(GOOD / "incidents.csv", entities=GOOD / "entities.csv")
    warnings = [str(w).replace(str(GOOD), "") for w in result.warnings]
    assert "/incidents.csv:6: Alleged developer of AI system: blank entity id dropped" in warnings
    assert "/entities.csv:6: entity_id: row without an entity_id ignored" in warnings
    assert result.skipped_rows == 0
    assert result.map.node("incident-5") is not None  # without duplicates.csv, nothing merged


def test_malformed_rows_fail_with_file_and_line_and_nothing_is_built() -> None:
    with pytest.raises(InvalidInput) as caught:
        import_aiid(BAD)
    found = {(p.line, p.path) for p in caught.value.problems}
    assert found == {
        (3, "incident_id"),
        (4, "Alleged deployer of AI system"),
        (5, "incident_id"),
        (6, "Alleged developer of AI system"),
        (7, ""),  # one cell more than the header
    }
    assert all(p.file == str(BAD) for p in caught.value.problems)
    assert "incident 1 appears again (first on line 2)" in str(caught.value)
    assert "--skip-bad-rows" in caught.value.message


def test_lenient_import_skips_bad_rows_and_says_so() -> None:
    result = import_aiid(BAD, strict=False)
    assert [n.id for n in result.map.nodes if n.kind == "AISystem"] == ["incident-1"]
    assert result.skipped_rows == 5
    assert sum(str(w).startswith(f"{BAD}:") and "skipped:" in str(w) for w in result.warnings) == 5


def test_a_missing_column_always_fails(tmp_path: Path) -> None:
    path = tmp_path / "incidents.csv"
    path.write_text("incident_id,title\n1,A\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="missing columns"):
        import_aiid(path, strict=False)


def test_progress_is_reported_per_row() -> None:
    seen: list[tuple[int, int]] = []
    import_aiid(GOOD / "incidents.csv", progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (6, 6) and len(seen) == 6


# --- the real exports -------------------------------------------------------------------------


def harmed_reach(m: StakeholderMap) -> dict[str, set[str]]:
    """Distinct harmed parties of the systems each organization deploys or develops."""
    affects: dict[str, set[str]] = defaultdict(set)
    for e in m.edges:
        if e.kind == "AFFECTS":
            affects[e.from_].add(e.to)
    reach: dict[str, set[str]] = defaultdict(set)
    for e in m.edges:
        if e.kind in {"DEPLOYS", "DEVELOPS"}:
            reach[e.from_] |= affects[e.to]
    return reach


def real(folder: str) -> Path:
    path = DATA / folder
    if not path.is_dir():
        pytest.skip(f"real data folder {path} is absent (CI has ../shared/data)")
    return path


@pytest.mark.realdata
def test_real_export_2025_with_entities() -> None:
    folder = real("aiid_snapshot_SylvesterDuah")
    result = import_aiid(
        folder / "incidents.csv",
        entities=folder / "entities.csv",
        duplicates=folder / "duplicates.csv",
    )
    m = result.map
    assert result.skipped_rows == 0
    assert result.counts["incident rows"] == 913
    assert result.counts["AI systems"] == 912  # incident 637 is a duplicate of 112
    assert result.counts["organizations"] > 1000 and result.counts["affected communities"] > 1500
    assert m.node("incident-4") is not None and m.node("uber") is not None
    openai = m.node("openai")
    assert openai is not None and openai.name == "OpenAI"  # the name from entities.csv
    reach = harmed_reach(m)
    named = [o for o in reach if "unidentified" not in (m.node(o) or openai).tags]
    top = sorted(named, key=lambda o: (-len(reach[o]), o))[:3]
    assert top == ["openai", "facebook", "google"]
    report = build_report(m)
    assert len(report["contestPairs"]) == result.counts["AFFECTS edges"]
    # The AIID records no contest channels: every harmed party is without a contest path.
    assert {p["status"] for p in report["contestPairs"]} == {"NONE"}


@pytest.mark.realdata
def test_real_export_2026_without_entities() -> None:
    folder = real("aiid_snapshot_TanviPatel")
    result = import_aiid(folder / "incidents.csv", duplicates=folder / "duplicates.csv")
    m = result.map
    assert result.skipped_rows == 0
    assert result.counts["incident rows"] == 1367
    assert result.counts["AI systems"] == 1365  # 637 → 112 and 88 → 1057 merged
    assert m.node("incident-88") is None and m.node("incident-1057") is not None
    reach = harmed_reach(m)
    top = max(reach, key=lambda o: (len(reach[o]), o))
    assert top == "unknown-deepfake-technology-developers"
    named = [o for o in reach if "unidentified" not in (m.node(o) or m.nodes[0]).tags]
    assert sorted(named, key=lambda o: (-len(reach[o]), o))[0] == "openai"

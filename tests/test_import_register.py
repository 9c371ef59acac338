"""The Dutch algorithm-register importer on fixtures in the register's format, the objection
classifier on the register's own phrasings, and the real register (marked realdata)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from graphsvc.analysis.report import build_report
from graphsvc.errors import InvalidInput
from graphsvc.importers.register import ObjectionStatus, classify_objection, import_register

FIXTURES = Path(__file__).parent / "fixtures" / "register"
DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def test_organizations_deploy_their_algorithms() -> None:
    m = import_register(FIXTURES / "register.json").map
    deploys = sorted((e.from_, e.to) for e in m.edges if e.kind == "DEPLOYS")
    assert deploys == [
        ("gemeente-voorbeeldstad", "parkeercontrole-scanauto-10000001"),
        ("gemeente-voorbeeldstad", "voorspelmodel-schuldhulp-10000002"),
        ("omgevingsdienst-voorbeeld", "verkeersmodel-10000005"),
        ("provincie-voorbeeld", "geluidsherkenning-10000004"),
        ("provincie-voorbeeld", "verkeersmodel-10000003"),
    ]
    org = m.node("provincie-voorbeeld")  # no owner field: the slug of the organization
    assert org is not None and org.model_dump(by_alias=True)["sector"] == "PUBLIC"
    system = m.node("parkeercontrole-scanauto-10000001")
    assert system is not None
    assert system.attributes["contactEmail"] == "algoritmes@voorbeeldstad.example"
    assert system.attributes["objectionStatus"] == "APPEAL"
    assert system.model_dump(by_alias=True)["domain"] == "Openbare orde en veiligheid"
    source = {s.id: s for s in m.sources}["register-10000001"]
    assert source.url == "https://example.org/algoritmes/parkeercontrole"


def test_a_documented_objection_is_an_appeal_handled_by_the_organization() -> None:
    m = import_register(FIXTURES / "register.json").map
    alg = "parkeercontrole-scanauto-10000001"
    edges = {(e.from_, e.kind, e.to) for e in m.edges}
    assert {
        (alg, "AFFECTS", f"{alg}.affected"),
        (f"{alg}.affected", "CAN_CONTEST_VIA", f"{alg}.objection"),
        (f"{alg}.objection", "HANDLED_BY", "gemeente-voorbeeldstad"),
    } <= edges
    mechanism = m.node(f"{alg}.objection")
    assert mechanism is not None
    assert mechanism.model_dump(by_alias=True)["mechanismType"] == "APPEAL"


def test_the_analysis_names_the_algorithms_without_a_contest_path() -> None:
    m = import_register(FIXTURES / "register.json").map
    report = build_report(m)
    status = {p["system"]: p["status"] for p in report["contestPairs"]}
    assert status == {
        "parkeercontrole-scanauto-10000001": "EFFECTIVE",  # bezwaar documented
        "geluidsherkenning-10000004": "EFFECTIVE",  # an e-mail route, no formal procedure
        "voorspelmodel-schuldhulp-10000002": "NONE",  # field empty
        "verkeersmodel-10000003": "NONE",  # "n.v.t."
        "verkeersmodel-10000005": "NONE",  # text that documents no procedure
    }
    tags = {n.id: n.tags for n in m.nodes if n.kind == "AISystem"}
    assert "contest:not-filled-in" in tags["voorspelmodel-schuldhulp-10000002"]
    assert "contest:none-stated" in tags["verkeersmodel-10000003"]
    assert "contest:unclear" in tags["verkeersmodel-10000005"]
    no_personal_data = m.node("verkeersmodel-10000003")
    assert no_personal_data is not None and no_personal_data.attributes["personalData"] is False


@pytest.mark.parametrize(
    ("text", "status"),
    [
        (None, ObjectionStatus.NOT_FILLED_IN),
        ("  ", ObjectionStatus.NOT_FILLED_IN),
        ("Bezwaar maken conform de Algemene wet bestuursrecht", ObjectionStatus.APPEAL),
        ("https://www.belastingdienst.nl/bezwaar", ObjectionStatus.APPEAL),
        ("Ja, respectievelijk Bezwarenprocedure Parkeerhandhaving.", ObjectionStatus.APPEAL),
        (
            " Nee, maar de uitkomsten worden beoordeeld. Bezwaar kan worden gemaakt tegen een boete.",
            ObjectionStatus.APPEAL,
        ),
        (
            "Een burger kan melding doen van een slecht functionerend regelsysteem via een formulier.",
            ObjectionStatus.COMPLAINT,
        ),
        ("n.v.t.", ObjectionStatus.NONE_STATED),
        ("-", ObjectionStatus.NONE_STATED),
        ("Nee, algoritme slechts voor intern gebruik.", ObjectionStatus.NONE_STATED),
        ("Gezien de aard van het model is dit niet geregeld.", ObjectionStatus.NONE_STATED),
        (
            "De gebruiker besluit. Daarom is er geen sprake van een mogelijkheid om hier bezwaar "
            "tegen te maken.",
            ObjectionStatus.NONE_STATED,
        ),
        ("Wetgeving beschermt de belangen van burgers.", ObjectionStatus.UNCLEAR),
    ],
)
def test_classify_objection(text: str | None, status: ObjectionStatus) -> None:
    assert classify_objection(text) is status


def test_malformed_records_fail_with_file_and_line() -> None:
    path = FIXTURES / "bad_register.json"
    with pytest.raises(InvalidInput) as caught:
        import_register(path)
    found = sorted((p.line, p.path, p.message) for p in caught.value.problems)
    assert found == [
        (9, "[1]", "record is not a JSON object"),
        (10, "[2].organization", "missing 'organization'"),
        (15, "[3].name", "expected text"),
    ]
    assert all(p.file == str(path) for p in caught.value.problems)


def test_lenient_import_keeps_the_usable_records() -> None:
    result = import_register(FIXTURES / "bad_register.json", strict=False)
    assert [n.id for n in result.map.nodes if n.kind == "AISystem"] == [
        "een-bruikbaar-algoritme-20000001"
    ]
    assert result.skipped_rows == 3


def test_not_a_list(tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    path.write_text(json.dumps({"records": []}), encoding="utf-8")
    with pytest.raises(InvalidInput, match="expected a JSON list"):
        import_register(path)


# --- the real register ------------------------------------------------------------------------


@pytest.mark.realdata
def test_real_register_reports_which_systems_leave_people_without_a_contest_path() -> None:
    path = DATA / "nl_algoritmeregister" / "minbzk_pub_data.json"
    if not path.is_file():
        pytest.skip(f"real data file {path} is absent (CI has ../shared/data)")
    result = import_register(path)
    assert result.skipped_rows == 0 and result.warnings == []
    assert result.counts["algorithms"] == 130 and result.counts["organizations"] == 18
    assert result.counts["objection APPEAL"] == 18
    assert result.counts["objection COMPLAINT"] == 4
    assert result.counts["objection NONE_STATED"] == 20
    assert result.counts["objection UNCLEAR"] == 4
    assert result.counts["objection NOT_FILLED_IN"] == 84
    report = build_report(result.map)
    statuses = Counter(p["status"] for p in report["contestPairs"])
    assert statuses == {"NONE": 108, "EFFECTIVE": 22}
    assert len(report["withoutContestPath"]) == 108
    m = result.map
    deployer = {e.to: e.from_ for e in m.edges if e.kind == "DEPLOYS"}
    without = Counter(
        deployer[p["system"]] for p in report["contestPairs"] if p["status"] == "NONE"
    )
    assert without["gemeente-utrecht"] == 38  # all of Utrecht's 38 registered algorithms
    assert without["provincie-zuid-holland"] == 0

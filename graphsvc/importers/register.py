"""The Dutch government algorithm register (algoritmeregister) as a stakeholder map.

Input: the register's published JSON, a list of records with the fields of the register's
standard (``name``, ``organization``, ``owner``, ``lars``, ``objection_procedure``,
``competent_authority``, ``human_intervention``, ``contact_email`` …), as in MinBZK's
``pub_data.json``.

Model (choices, and why):

- each organization (keyed by ``owner``, the register's own organization slug) is a PUBLIC
  ``Organization`` that ``DEPLOYS`` each of its algorithms, an ``AISystem``;
- the people an algorithm affects are one ``AffectedCommunity`` **per algorithm**
  (``ALG.affected``): an objection procedure is against a decision of that algorithm's
  process, so pooling everyone an organization affects would let people "reach" a procedure
  that is not theirs. The register names no affected group, so the community is generic;
- the free-text ``objection_procedure`` is classified by :func:`classify_objection`:
  a formal objection (*bezwaar*, *beroep*, the Awb, a link to an objection page) becomes a
  ``Mechanism`` of type ``APPEAL``; another documented route (a report form, *terugmelding*,
  making an objection known by e-mail where no formal procedure exists) a ``COMPLAINT``
  mechanism. Either is ``HANDLED_BY`` the organization, and the community
  ``CAN_CONTEST_VIA`` it. Text that states there is none, text that says nothing usable,
  and an empty field give **no mechanism**; the status is kept in the attribute
  ``objectionStatus`` and the tag ``contest:STATUS``, so the contest analysis reports those
  algorithms' people as having no contest path, from the register's own words;
- ``competent_authority`` is **not** an ``OversightBody``: in this data it names the
  controller under the GDPR (mostly the organization itself or one of its departments) or
  says no personal data is processed; no record names a supervisor with power over the
  organization. It is kept as the attribute ``competentAuthority``;
- ``human_intervention``, ``contact_email``, ``status``, ``type``, ``department`` are kept as
  attributes; a statement that no personal data is processed sets ``personalData: false``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path
from typing import Any

from graphsvc.domain.document import parse_json
from graphsvc.errors import InvalidInput, Problem
from graphsvc.formats.origin import Origin, Origins, validate_located
from graphsvc.importers.issues import Imported, ProgressCallback, RowIssues, read_input
from graphsvc.importers.slugs import IdAllocator, is_slug, slugify

REGISTER_URL = "https://algoritmes.overheid.nl"
MAX_NAME = 500
MAX_TEXT = 20_000
_ATTRIBUTE_FIELDS = {
    "lars": "lars",
    "department": "department",
    "status": "status",
    "type": "algorithmType",
    "competent_authority": "competentAuthority",
    "human_intervention": "humanIntervention",
    "objection_procedure": "objectionProcedure",
    "contact_email": "contactEmail",
    "area": "area",
    "lawful_basis": "lawfulBasis",
    "standard_version": "standardVersion",
}


class ObjectionStatus(StrEnum):
    """What an algorithm's ``objection_procedure`` says about contesting its outcomes."""

    APPEAL = "APPEAL"  # a formal objection or appeal procedure is documented
    COMPLAINT = "COMPLAINT"  # another documented route (report form, e-mail, correction)
    NONE_STATED = "NONE_STATED"  # the register says there is none, or that it does not apply
    UNCLEAR = "UNCLEAR"  # text that documents no procedure
    NOT_FILLED_IN = "NOT_FILLED_IN"  # the field is empty


_DENIES_FORMAL = re.compile(r"geen formele bezwaar")
_DENIES = re.compile(
    r"geen sprake van een mogelijkheid|niet geregeld|nooit sprake|niet van toepassing"
)
_DENIES_AT_START = re.compile(r"^(n\.?v\.?t\.?|nee|-+|geen)(\W|$)")
_FORMAL = re.compile(
    r"bezwa(ar|ren)procedure|bezwaarclausule|\b(kan|kunnen|kun)\b[^.]*\bbezwaar\b"
    r"|\bbezwaar\W+(kan|maken|tegen|indienen)\b|\bberoep\b|algemene wet bestuursrecht|\bawb\b"
    r"|https?://\S*bezwaar"
)
_OTHER_ROUTE = re.compile(r"melding|terugmeld|klacht|kenbaar te maken|https?://|\S+@\S+\.\w+")
_NO_PERSONAL_DATA = re.compile(
    r"\bgeen\b[^.]{0,60}\bpersoons(gegevens|kenmerken|niveau)|niet herleidbaar"
)


def classify_objection(text: str | None) -> ObjectionStatus:
    """Classify the register's free text on objection (Dutch), by explicit rules.

    >>> classify_objection("Er kan bezwaar gemaakt worden tegen het besluit.")
    <ObjectionStatus.APPEAL: 'APPEAL'>
    >>> classify_objection("n.v.t.")
    <ObjectionStatus.NONE_STATED: 'NONE_STATED'>
    >>> classify_objection("Er is geen formele bezwaarprocedure. Mochten burgers bezwaar willen "
    ...                    "maken dan kan dit door het bezwaar kenbaar te maken bij de gemeente.")
    <ObjectionStatus.COMPLAINT: 'COMPLAINT'>
    """
    plain = " ".join((text or "").lower().split())
    if not plain:
        return ObjectionStatus.NOT_FILLED_IN
    if _DENIES_FORMAL.search(plain):
        return (
            ObjectionStatus.COMPLAINT if _OTHER_ROUTE.search(plain) else ObjectionStatus.NONE_STATED
        )
    if _DENIES.search(plain):
        return ObjectionStatus.NONE_STATED
    if _FORMAL.search(plain):
        return ObjectionStatus.APPEAL
    if _DENIES_AT_START.match(plain):
        return ObjectionStatus.NONE_STATED
    if _OTHER_ROUTE.search(plain):
        return ObjectionStatus.COMPLAINT
    return ObjectionStatus.UNCLEAR


_MECHANISM_TYPES = {ObjectionStatus.APPEAL: "APPEAL", ObjectionStatus.COMPLAINT: "COMPLAINT"}


def import_register(
    path: str | Path,
    *,
    map_id: str = "nl-algoritmeregister",
    strict: bool = True,
    progress: ProgressCallback | None = None,
    max_bytes: int = 256 * 1024 * 1024,
) -> Imported:
    """Build a map from the register's JSON; strict imports fail on any unusable record."""
    file = str(path)
    doc = parse_json(read_input(file, max_bytes=max_bytes), file)
    if not isinstance(doc.data, list):
        problem = Problem("expected a JSON list of algorithm records", file=file, line=1)
        raise InvalidInput([problem])
    issues = RowIssues(strict=strict)
    records: list[tuple[int, dict[str, str]]] = []
    for index, raw in enumerate(doc.data):
        line = doc.line_of([index]) or 1
        record = _record(raw, index, line, file, issues, doc)
        if record is not None:
            records.append((line, record))
        if progress is not None:
            progress(index + 1, len(doc.data))
    issues.check()
    data, origins, counts = _build(records, map_id, file)
    m = validate_located(data, origins)
    return Imported(m, issues.warnings(), issues.skipped, counts)


def _record(
    raw: Any, index: int, line: int, file: str, issues: RowIssues, doc: Any
) -> dict[str, str] | None:
    where = f"[{index}]"
    if not isinstance(raw, Mapping):
        issues.bad_row(Problem("record is not a JSON object", where, file, line), index)
        return None
    out: dict[str, str] = {}
    bad: set[str] = set()
    for key, value in raw.items():
        if value is None or isinstance(value, bool):
            continue
        if isinstance(value, int | float):
            value = str(value)
        if not isinstance(value, str):
            at = doc.line_of([index, key]) or line
            issues.bad_row(Problem("expected text", f"{where}.{key}", file, at, value), index)
            bad.add(str(key))
            continue
        if value.strip():
            out[str(key)] = value.strip()
    for required in ("name", "organization"):
        if required not in out and required not in bad:
            problem = Problem(f"missing {required!r}", f"{where}.{required}", file, line)
            issues.bad_row(problem, index)
            bad.add(required)
    return None if bad else out


def _build(
    records: list[tuple[int, dict[str, str]]], map_id: str, file: str
) -> tuple[dict[str, Any], Origins, dict[str, int]]:
    origins = Origins(Origin(file))
    allocator = IdAllocator()
    organizations: dict[str, dict[str, Any]] = {}
    sources: list[dict[str, Any]] = [
        {
            "id": "algoritmeregister",
            "title": "Algoritmeregister van de Nederlandse overheid",
            "url": REGISTER_URL,
            "publisher": "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties",
        }
    ]
    nodes: list[dict[str, Any]] = []
    edges: list[dict[str, Any]] = []
    statuses: dict[ObjectionStatus, int] = dict.fromkeys(ObjectionStatus, 0)

    def add(section: list[dict[str, Any]], name: str, item: dict[str, Any], line: int) -> None:
        origins.add(name, len(section), Origin(file, line))
        section.append(item)

    for line, record in records:
        owner = record.get("owner", "")
        org_id = allocator.claim(
            f"org\x00{owner or record['organization']}",
            owner if is_slug(owner) else slugify(record["organization"]),
        )
        code = record.get("lars") or str(line)
        system_id = allocator.claim(
            f"alg\x00{code}", f"{slugify(record['name'], 60)}-{slugify(code)}"
        )
        source_id = allocator.claim(f"src\x00{code}", f"register-{slugify(code)}")
        add(sources, "sources", _source(source_id, record), line)
        if org_id not in organizations:
            organizations[org_id] = {
                "id": org_id,
                "kind": "Organization",
                "name": record["organization"][:MAX_NAME],
                "sector": "PUBLIC",
                "tags": ["algorithm-register"],
                "sources": [],
                "attributes": {"registerOwner": owner} if owner else {},
            }
            add(nodes, "nodes", organizations[org_id], line)
        organizations[org_id]["sources"].append(source_id)
        status = classify_objection(record.get("objection_procedure"))
        statuses[status] += 1
        add(nodes, "nodes", _system(system_id, source_id, record, status), line)
        community = f"{system_id}.affected"
        add(
            nodes,
            "nodes",
            {
                "id": community,
                "kind": "AffectedCommunity",
                "name": f"People affected by {record['name']}"[:MAX_NAME],
                "tags": ["algorithm-register"],
                "sources": [source_id],
                **({"description": record["impact"][:MAX_TEXT]} if "impact" in record else {}),
            },
            line,
        )
        cite = [source_id]
        add(
            edges,
            "edges",
            {"from": org_id, "to": system_id, "kind": "DEPLOYS", "sources": cite},
            line,
        )
        add(
            edges,
            "edges",
            {"from": system_id, "to": community, "kind": "AFFECTS", "sources": cite},
            line,
        )
        if status in _MECHANISM_TYPES:
            mechanism = f"{system_id}.objection"
            add(nodes, "nodes", _mechanism(mechanism, source_id, record, status), line)
            add(
                edges,
                "edges",
                {"from": community, "to": mechanism, "kind": "CAN_CONTEST_VIA", "sources": cite},
                line,
            )
            add(
                edges,
                "edges",
                {"from": mechanism, "to": org_id, "kind": "HANDLED_BY", "sources": cite},
                line,
            )
    counts = {
        "algorithms": len(records),
        "organizations": len(organizations),
        "contest mechanisms": sum(statuses[s] for s in _MECHANISM_TYPES),
        **{f"objection {s.value}": n for s, n in statuses.items()},
    }
    data = {
        "map": {
            "id": map_id,
            "title": f"Dutch government algorithm register: {len(records)} algorithms",
            "description": (
                f"Imported from {Path(file).name}: each organization deploys its registered "
                "algorithms; the people each algorithm affects can contest it only where the "
                "register documents an objection procedure or another route."
            ),
            "tags": ["algorithm-register", "netherlands", "public-sector", "imported"],
        },
        "sources": sources,
        "nodes": nodes,
        "edges": edges,
    }
    return data, origins, counts


def _source(source_id: str, record: Mapping[str, str]) -> dict[str, Any]:
    source: dict[str, Any] = {
        "id": source_id,
        "title": f"Algoritmeregister: {record['name']}"[:MAX_TEXT],
        "publisher": record["organization"],
    }
    url = next(
        (record[k] for k in ("url", "website", "documentation") if _is_url(record.get(k, ""))),
        None,
    )
    if url:
        source["url"] = url
    date = (record.get("revision_date") or record.get("create_dt") or "")[:10]
    if re.match(r"^\d{4}-\d{2}-\d{2}$", date):
        source["date"] = date
    return source


def _is_url(text: str) -> bool:
    return bool(re.match(r"^https?://\S+$", text))


def _system(
    system_id: str, source_id: str, record: Mapping[str, str], status: ObjectionStatus
) -> dict[str, Any]:
    attributes: dict[str, Any] = {
        name: record[key] for key, name in _ATTRIBUTE_FIELDS.items() if key in record
    }
    attributes["objectionStatus"] = status.value
    texts = " ".join(
        record.get(k, "")
        for k in ("competent_authority", "dpia", "objection_procedure", "description_short")
    ).lower()
    if _NO_PERSONAL_DATA.search(" ".join(texts.split())):
        attributes["personalData"] = False
    node: dict[str, Any] = {
        "id": system_id,
        "kind": "AISystem",
        "name": record["name"][:MAX_NAME],
        "tags": ["algorithm-register", f"contest:{status.value.lower().replace('_', '-')}"],
        "sources": [source_id],
        "attributes": attributes,
    }
    description = record.get("description_short") or record.get("description")
    if description:
        node["description"] = description[:MAX_TEXT]
    if "goal" in record:
        node["purpose"] = record["goal"][:MAX_TEXT]
    if "category" in record:
        node["domain"] = re.sub(r'[{}"]', "", record["category"]).replace(",", ", ")[:MAX_TEXT]
    return node


def _mechanism(
    mechanism_id: str, source_id: str, record: Mapping[str, str], status: ObjectionStatus
) -> dict[str, Any]:
    label = "Objection (bezwaar)" if status is ObjectionStatus.APPEAL else "Documented route"
    return {
        "id": mechanism_id,
        "kind": "Mechanism",
        "name": f"{label}: {record['name']}"[:MAX_NAME],
        "description": record["objection_procedure"][:MAX_TEXT],
        "mechanismType": _MECHANISM_TYPES[status],
        "tags": ["algorithm-register"],
        "sources": [source_id],
    }


__all__ = ["ObjectionStatus", "classify_objection", "import_register"]

"""The AI Incident Database public export as a stakeholder map.

Input: ``incidents.csv`` of the AIID snapshot (one row per incident; the columns
"Alleged deployer of AI system", "Alleged developer of AI system" and "Alleged harmed or
nearly harmed parties" hold JSON lists of entity ids), optionally ``entities.csv``
(``entity_id`` → ``name``) and ``duplicates.csv`` (``duplicate_incident_number`` →
``true_incident_number``).

Model:

- each incident is an ``AISystem`` ``incident-N`` named by the incident title, with the
  incident id, date and report count as attributes and a source ``aiid-N`` citing
  ``https://incidentdatabase.ai/cite/N``;
- each alleged deployer or developer is an ``Organization`` that ``DEPLOYS`` / ``DEVELOPS``
  the system; each harmed or nearly harmed party is an ``AffectedCommunity`` the system
  ``AFFECTS``. An entity is one node however many incidents name it;
- an entity named both as an actor and as a harmed party (a company whose own shuttle
  crashed) is an ``Organization`` ``ID`` and an ``AffectedCommunity`` ``ID.harmed``: one node
  cannot be both kinds, and an AFFECTS edge may only end at a community;
- a duplicate incident is merged into its true incident (followed through chains); the
  system keeps both sources and lists the merged ids in ``mergedIncidents``;
- entity ids become node ids: AIID ids that are not slugs (``x-(twitter)``, ``mcdonald's``)
  are slugified, with a short hash only if that would collide; the raw id is kept in the
  attribute ``aiidEntityId``.

The AIID states allegations, not findings: edges are "alleged", as the source columns say.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graphsvc.errors import InvalidInput, Problem
from graphsvc.formats.csv import Table, read_table
from graphsvc.formats.origin import Origin, Origins, validate_located
from graphsvc.importers.issues import Imported, ProgressCallback, RowIssues, read_input
from graphsvc.importers.slugs import IdAllocator, humanize, is_slug

DEPLOYER = "Alleged deployer of AI system"
DEVELOPER = "Alleged developer of AI system"
HARMED = "Alleged harmed or nearly harmed parties"
ROLE_COLUMNS = (DEPLOYER, DEVELOPER, HARMED)
REQUIRED = ("incident_id", "title", *ROLE_COLUMNS)
CITE_URL = "https://incidentdatabase.ai/cite/{}"
MAX_NAME = 500
MAX_TEXT = 20_000
_DATE_LENGTH = len("2015-05-19")
# AIID names actors it could not identify "unknown-…", "unnamed-…"; they are tagged so that
# rankings of actors can leave these placeholders out.
_UNIDENTIFIED = re.compile(r"^(unknown|unidentified|unnamed|unspecified|anonymous)\b")


@dataclass
class Incident:
    """One usable row of incidents.csv."""

    id: int
    line: int
    title: str
    date: str | None
    description: str | None
    reports: int | None
    roles: dict[str, list[str]]
    merged: list[Incident] = field(default_factory=list)


def import_aiid(
    incidents: str | Path,
    *,
    entities: str | Path | None = None,
    duplicates: str | Path | None = None,
    map_id: str = "aiid",
    strict: bool = True,
    progress: ProgressCallback | None = None,
    max_bytes: int = 256 * 1024 * 1024,
) -> Imported:
    """Build a map from an AIID export; strict imports fail on any unusable row."""
    issues = RowIssues(strict=strict)
    file = str(incidents)
    rows = _read_incidents(read_input(file, max_bytes=max_bytes), file, issues, progress)
    names = _read_entities(str(entities), issues, max_bytes) if entities else {}
    true_of = _read_duplicates(str(duplicates), issues, max_bytes) if duplicates else {}
    issues.check()
    systems = _merge_duplicates(rows, true_of)
    data, origins, counts = _build(systems, names, map_id, file)
    m = validate_located(data, origins)
    counts = {
        "incident rows": len(rows),
        "duplicates merged": len(rows) - len(systems),
        **counts,
    }
    return Imported(m, issues.warnings(), issues.skipped, counts)


# --- reading ------------------------------------------------------------------------------


def _table(text: str, file: str, required: Iterable[str]) -> tuple[Table, list[Problem]]:
    """The rows of a CSV input, and its row-level problems (a row with too many cells).

    A missing column or unreadable CSV fails the whole input, strict or not.
    """
    problems: list[Problem] = []
    table = read_table(text, file, problems, comments=False)
    if table.broken:
        raise InvalidInput(problems)
    missing = [c for c in required if c not in table.header]
    if missing:
        plural = "s" if len(missing) > 1 else ""
        message = f"missing column{plural} {', '.join(map(repr, missing))}"
        raise InvalidInput([Problem(message, file=file, line=table.header_line)])
    return table, problems


def _read_incidents(
    text: str, file: str, issues: RowIssues, progress: ProgressCallback | None
) -> list[Incident]:
    table, row_problems = _table(text, file, REQUIRED)
    for problem in row_problems:
        issues.bad_row(problem)
    out: list[Incident] = []
    first_line: dict[int, int] = {}
    total = len(table.rows)
    for done, (line, row) in enumerate(table.rows, start=1):
        incident = _incident(row, file, line, issues)
        if incident is not None:
            if incident.id in first_line:
                issues.bad_row(
                    Problem(
                        f"incident {incident.id} appears again (first on line "
                        f"{first_line[incident.id]})",
                        "incident_id",
                        file,
                        line,
                    )
                )
            else:
                first_line[incident.id] = line
                out.append(incident)
        if progress is not None:
            progress(done, total)
    return out


def _incident(row: dict[str, str], file: str, line: int, issues: RowIssues) -> Incident | None:
    raw_id = row["incident_id"].strip()
    if not raw_id.isdigit() or int(raw_id) == 0:
        issues.bad_row(
            Problem("incident_id is not a positive whole number", "incident_id", file, line, raw_id)
        )
        return None
    number = int(raw_id)
    roles: dict[str, list[str]] = {}
    usable = True
    for column in ROLE_COLUMNS:
        ids = _entity_list(row[column], column, file, line, issues)
        if ids is None:
            usable = False
        else:
            roles[column] = ids
    if not usable:
        return None
    title = " ".join(row["title"].split())
    if not title:
        title = f"AIID incident {number}"
        issues.repair(Problem(f"no title; named {title!r}", "title", file, line))
    elif len(title) > MAX_NAME:
        title = title[: MAX_NAME - 1] + "…"
        issues.repair(Problem(f"title shortened to {MAX_NAME} characters", "title", file, line))
    date = (row.get("date") or "").strip() or None
    if date is not None and not _is_date(date):
        issues.repair(Problem("not a YYYY-MM-DD date; left out", "date", file, line, date))
        date = None
    description = (row.get("description") or "").strip() or None
    if description is not None and len(description) > MAX_TEXT:
        description = description[: MAX_TEXT - 1] + "…"
        issues.repair(
            Problem(f"description shortened to {MAX_TEXT} characters", "description", file, line)
        )
    return Incident(
        number, line, title, date, description, _report_count(row.get("reports")), roles
    )


def _entity_list(
    cell: str, column: str, file: str, line: int, issues: RowIssues
) -> list[str] | None:
    if not cell.strip():
        return []
    try:
        value = json.loads(cell)
    except json.JSONDecodeError as exc:
        issues.bad_row(Problem(f"not a JSON list: {exc.msg}", column, file, line, cell))
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        issues.bad_row(Problem("not a JSON list of entity ids", column, file, line, cell))
        return None
    ids: list[str] = []
    for entry in value:
        entity = entry.strip()
        if not entity:
            issues.repair(Problem("blank entity id dropped", column, file, line))
        elif entity not in ids:
            ids.append(entity)
    return ids


def _is_date(text: str) -> bool:
    from datetime import date

    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == _DATE_LENGTH


def _report_count(cell: str | None) -> int | None:
    try:
        value = json.loads(cell or "")
    except json.JSONDecodeError:
        return None
    return len(value) if isinstance(value, list) else None


def _read_entities(file: str, issues: RowIssues, max_bytes: int) -> dict[str, str]:
    table, row_problems = _table(read_input(file, max_bytes=max_bytes), file, ("entity_id", "name"))
    for problem in row_problems:
        issues.bad_row(problem)
    names: dict[str, str] = {}
    for line, row in table.rows:
        entity, name = row["entity_id"].strip(), " ".join(row["name"].split())
        if not entity:
            issues.repair(Problem("row without an entity_id ignored", "entity_id", file, line))
        elif entity in names:
            issues.repair(
                Problem(f"entity {entity!r} named again; first name kept", "entity_id", file, line)
            )
        elif name:
            names[entity] = name[:MAX_NAME]
    return names


def _read_duplicates(file: str, issues: RowIssues, max_bytes: int) -> dict[int, int]:
    columns = ("duplicate_incident_number", "true_incident_number")
    table, row_problems = _table(read_input(file, max_bytes=max_bytes), file, columns)
    for problem in row_problems:
        issues.bad_row(problem)
    true_of: dict[int, int] = {}
    for line, row in table.rows:
        duplicate, true = (row[c].strip() for c in columns)
        if not (duplicate.isdigit() and true.isdigit()) or duplicate == true:
            issues.bad_row(
                Problem(
                    "expected two different incident numbers", "", file, line, f"{duplicate},{true}"
                )
            )
            continue
        true_of[int(duplicate)] = int(true)
    return true_of


def _merge_duplicates(rows: list[Incident], true_of: dict[int, int]) -> list[Incident]:
    """Fold each duplicate into the last incident of its chain that the export holds."""
    present = {i.id: i for i in rows}
    systems: dict[int, Incident] = {}
    for incident in rows:
        target, seen = incident.id, {incident.id}
        step = incident.id
        while step in true_of and true_of[step] not in seen:
            step = true_of[step]
            seen.add(step)
            if step in present:
                target = step
        if target == incident.id:
            systems.setdefault(incident.id, incident)
        else:
            systems.setdefault(target, present[target]).merged.append(incident)
    return sorted(systems.values(), key=lambda i: i.id)


# --- building -----------------------------------------------------------------------------


@dataclass
class _Entity:
    raw: str
    line: int
    actor_sources: set[int] = field(default_factory=set)
    harmed_sources: set[int] = field(default_factory=set)


def _build(
    systems: list[Incident], names: dict[str, str], map_id: str, file: str
) -> tuple[dict[str, Any], Origins, dict[str, int]]:
    origins = Origins(Origin(file))
    entities: dict[str, _Entity] = {}
    links: dict[tuple[str, str, str], tuple[int, set[int]]] = {}  # (kind, entity, system)
    sources: list[dict[str, Any]] = []
    nodes: list[dict[str, Any]] = []
    allocator = IdAllocator()
    for system in systems:
        allocator.reserve(f"incident-{system.id}")
    for system in systems:
        for incident in [system, *system.merged]:
            origins.add("sources", len(sources), Origin(file, incident.line))
            sources.append(_source(incident))
            for column, kind in (
                (DEPLOYER, "DEPLOYS"),
                (DEVELOPER, "DEVELOPS"),
                (HARMED, "AFFECTS"),
            ):
                for raw in incident.roles[column]:
                    entity = entities.setdefault(raw, _Entity(raw, incident.line))
                    (entity.harmed_sources if kind == "AFFECTS" else entity.actor_sources).add(
                        incident.id
                    )
                    line, cited = links.setdefault(
                        (kind, raw, f"incident-{system.id}"), (incident.line, set())
                    )
                    cited.add(incident.id)
        origins.add("nodes", len(nodes), Origin(file, system.line))
        nodes.append(_system_node(system))
    # Entity ids that are already slugs keep them; repaired ones yield on collision.
    ordered = sorted(entities, key=lambda raw: (not is_slug(raw), raw))
    actor_id: dict[str, str] = {}
    harmed_id: dict[str, str] = {}
    for raw in ordered:
        entity = entities[raw]
        if entity.actor_sources:
            actor_id[raw] = allocator.claim(raw)
        if entity.harmed_sources:
            own = allocator.claim(raw) if not entity.actor_sources else None
            harmed_id[raw] = own or allocator.claim(f"{raw}\x00harmed", f"{actor_id[raw]}.harmed")
    for raw in ordered:
        entity = entities[raw]
        name = names.get(raw) or humanize(raw)
        for ids, kind, cited, label in (
            (actor_id, "Organization", entity.actor_sources, name),
            (
                harmed_id,
                "AffectedCommunity",
                entity.harmed_sources,
                name if not entity.actor_sources else f"{name} (as harmed party)",
            ),
        ):
            if raw not in ids:
                continue
            origins.add("nodes", len(nodes), Origin(file, entity.line))
            nodes.append(
                {
                    "id": ids[raw],
                    "kind": kind,
                    "name": label[:MAX_NAME],
                    "tags": [
                        "aiid-entity",
                        *(["unidentified"] if _UNIDENTIFIED.match(raw) else []),
                    ],
                    "sources": [f"aiid-{n}" for n in sorted(cited)],
                    "attributes": {"aiidEntityId": raw},
                }
            )
    edges: list[dict[str, Any]] = []
    for (kind, raw, system_id), (line, cited) in sorted(links.items(), key=lambda kv: kv[1][0]):
        ends = (system_id, harmed_id[raw]) if kind == "AFFECTS" else (actor_id[raw], system_id)
        origins.add("edges", len(edges), Origin(file, line))
        edges.append(
            {
                "from": ends[0],
                "to": ends[1],
                "kind": kind,
                "sources": [f"aiid-{n}" for n in sorted(cited)],
            }
        )
    counts = {
        "AI systems": len(systems),
        "organizations": len(actor_id),
        "affected communities": len(harmed_id),
        "entity ids slugified": sum(1 for raw in entities if not is_slug(raw)),
        **{
            f"{kind} edges": sum(1 for k, _, _ in links if k == kind)
            for kind in ("DEPLOYS", "DEVELOPS", "AFFECTS")
        },
    }
    data = {
        "map": {
            "id": map_id,
            "title": f"AI Incident Database: {len(systems)} incidents",
            "description": (
                f"Imported from {Path(file).name}: one AI system per incident, alleged deployers "
                "and developers as organizations, alleged harmed or nearly harmed parties as "
                "affected communities. Edges are allegations as the AIID records them."
            ),
            "tags": ["aiid", "incidents", "imported"],
        },
        "sources": sources,
        "nodes": nodes,
        "edges": edges,
    }
    return data, origins, counts


def _source(incident: Incident) -> dict[str, Any]:
    source: dict[str, Any] = {
        "id": f"aiid-{incident.id}",
        "title": f"AIID incident {incident.id}: {incident.title}",
        "url": CITE_URL.format(incident.id),
        "publisher": "AI Incident Database",
    }
    if incident.date:
        source["date"] = incident.date
    return source


def _system_node(system: Incident) -> dict[str, Any]:
    attributes: dict[str, Any] = {"incidentId": system.id}
    if system.date:
        attributes["date"] = system.date
    if system.reports is not None:
        attributes["reportCount"] = system.reports
    if system.merged:
        attributes["mergedIncidents"] = ",".join(
            str(i.id) for i in sorted(system.merged, key=lambda i: i.id)
        )
    node: dict[str, Any] = {
        "id": f"incident-{system.id}",
        "kind": "AISystem",
        "name": system.title,
        "tags": ["aiid-incident"],
        "sources": [f"aiid-{i.id}" for i in sorted([system, *system.merged], key=lambda i: i.id)],
        "attributes": attributes,
    }
    if system.description:
        node["description"] = system.description
    return node


__all__ = ["CITE_URL", "ROLE_COLUMNS", "import_aiid"]

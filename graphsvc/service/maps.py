"""The map service: the one place the CLI and the API go through to read, write and analyse."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from pathlib import Path
from typing import Any, TypeVar, cast

from graphsvc.analysis.report import build_report
from graphsvc.domain.access import CLI
from graphsvc.domain.mapfile import Format, dump_map, load_map_file, load_map_text
from graphsvc.domain.model import StakeholderMap
from graphsvc.errors import InvalidInput, LimitExceeded, NotFound, Problem
from graphsvc.formats import Exported, export_map, load_map_path
from graphsvc.service.audit import delete_map_note, import_note
from graphsvc.settings import Settings
from graphsvc.store.base import Change, GraphStore, MapInfo, Page

T = TypeVar("T")


def read_map_file(path: str | Path, settings: Settings) -> StakeholderMap:
    """Validate one map file within the configured limits."""
    return load_map_file(
        path,
        max_bytes=settings.max_file_bytes,
        max_alias_values=settings.max_yaml_alias_values,
    )


def check_size(m: StakeholderMap, limit: int) -> None:
    """LIMIT_EXCEEDED for a map with more nodes and edges than ``GRAPHSVC_MAX_MAP_ELEMENTS``."""
    size = len(m.nodes) + len(m.edges)
    if size > limit:
        raise LimitExceeded(f"map {m.id!r} has {size} nodes and edges; at most {limit} per map")


Key = tuple[str, int]  # (map id, version)
Report = dict[str, Any]


class ReportCache:
    """Analysis reports by (map id, version), least recently used dropped first; shared by
    every request (a report depends only on the map version, not on who asks). Beside each
    report it keeps what readers derive from it (an index of a section), dropped with it.

    A report is computed once however many requests ask for it at the same time: the first
    computes it, the others wait for that result (:meth:`compute`). Without this, a burst of
    requests for a new version of a large map would run as many analyses at once, each with
    the memory of a whole report.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._reports: OrderedDict[Key, Report] = OrderedDict()
        self._derived: dict[Key, dict[str, Any]] = {}
        self._computing: dict[Key, Future[Report]] = {}
        self._lock = threading.Lock()

    def compute(self, key: Key, build: Callable[[], tuple[Key, Report]]) -> Report:
        """The cached report of ``key``, else the one ``build`` makes, computed by one caller
        while any others asking for ``key`` meanwhile wait for it (and get its error, if it
        fails). ``build`` returns the key it built for: a newer version when the map was
        written meanwhile, which is then what the waiters get too."""
        with self._lock:
            cached = self._cached(key)
            if cached is not None:
                return cached
            pending = self._computing.get(key)
            owner = pending is None
            if pending is None:
                pending = self._computing[key] = Future()
        if not owner:
            return pending.result()
        try:
            built, report = build()
        except BaseException as exc:
            with self._lock:
                del self._computing[key]
            pending.set_exception(exc)
            del pending  # the traceback holds this frame: no cycle through the future
            raise
        self.put(built, report)
        with self._lock:
            del self._computing[key]
        pending.set_result(report)
        return report

    def peek_derived(self, key: Key, name: str) -> Any | None:
        """What :meth:`derived` built for a cached report, without building it."""
        with self._lock:
            return self._derived.get(key, {}).get(name)

    def derived(self, key: Key, name: str, build: Callable[[], T]) -> T:
        """``build()``, kept beside the report of ``key`` while that report is cached (and
        not kept at all when it is not)."""
        with self._lock:
            known = self._derived.get(key, {}).get(name)
        if known is not None:
            return cast(T, known)
        value = build()
        with self._lock:
            if key in self._reports:
                self._derived.setdefault(key, {})[name] = value
        return value

    def get(self, key: Key) -> Report | None:
        with self._lock:
            return self._cached(key)

    def _cached(self, key: Key) -> Report | None:
        """The report of ``key``, now the most recently used (the caller holds the lock)."""
        if key in self._reports:
            self._reports.move_to_end(key)
            return self._reports[key]
        return None

    def put(self, key: Key, report: Report) -> None:
        with self._lock:
            self._reports[key] = report
            self._derived.pop(key, None)
            while len(self._reports) > self.size:
                dropped, _ = self._reports.popitem(last=False)
                self._derived.pop(dropped, None)


class MapService:
    """Reads and writes maps through a store on behalf of one actor (recorded in the audit log
    of every write); analysis reports cached by (map, version)."""

    def __init__(
        self,
        store: GraphStore,
        settings: Settings,
        *,
        actor: str = CLI.actor,
        reports: ReportCache | None = None,
    ) -> None:
        self.store = store
        self.settings = settings
        self.actor = actor
        self.reports = reports or ReportCache(settings.analysis_cache_size)

    # --- files -----------------------------------------------------------------------------

    def read_file(self, path: str | Path) -> StakeholderMap:
        """Validate one map file (size-limited); raises InvalidInput with every problem."""
        return read_map_file(path, self.settings)

    def read_text(
        self, text: str, *, fmt: Format | None = None, name: str | None = None
    ) -> StakeholderMap:
        if len(text.encode()) > self.settings.max_file_bytes:
            raise LimitExceeded(
                f"document is over the limit of {self.settings.max_file_bytes} bytes"
            )
        return load_map_text(
            text, file=name, fmt=fmt, max_alias_values=self.settings.max_yaml_alias_values
        )

    def import_files(
        self, paths: Sequence[str | Path], *, replace: bool = False, fmt: str | None = None
    ) -> list[tuple[str, int]]:
        """Validate every file first; store nothing unless all are valid. (map id, version) each.

        Each path is a map file, a GraphML file or a CSV workshop folder (or .zip); ``fmt``
        forces the format, else it is detected from the path.
        """
        problems: list[Problem] = []
        maps: list[StakeholderMap] = []
        for path in paths:
            try:
                maps.append(
                    load_map_path(
                        path,
                        fmt,
                        max_bytes=self.settings.max_file_bytes,
                        max_alias_values=self.settings.max_yaml_alias_values,
                    )
                )
            except InvalidInput as exc:
                problems.extend(exc.problems)
        seen: dict[str, str] = {}
        for path, m in zip(paths, maps, strict=False):
            if m.id in seen:
                problems.append(
                    Problem(
                        f"map id {m.id!r} is also used by {seen[m.id]}", "map.id", file=str(path)
                    )
                )
            seen[m.id] = str(path)
        if problems:
            raise InvalidInput(problems)
        for m in maps:
            check_size(m, self.settings.max_map_elements)
        return [
            (m.id, self.save(m, replace=replace, digest=file_digest(path)))
            for path, m in zip(paths, maps, strict=True)
        ]

    # --- maps ------------------------------------------------------------------------------

    def list_maps(self) -> list[MapInfo]:
        return self.store.list_maps()

    def load(self, map_id: str) -> StakeholderMap:
        return self.store.load_map(map_id)

    def export(self, map_id: str, fmt: Format) -> str:
        return dump_map(self.store.load_map(map_id), fmt)

    def report_html(self, map_id: str) -> str:
        """The standalone HTML report of a stored map, from the cached analysis."""
        from graphsvc.render.html_report import render_report_html

        report = self.analyze(map_id)
        return render_report_html(self.store.load_map(map_id), report)

    def export_as(self, map_id: str, fmt: str) -> Exported:
        """The stored map in any export format (graphml, gexf, csv, cypher, yaml, json)."""
        return export_map(self.store.load_map(map_id), fmt)

    def save(
        self,
        m: StakeholderMap,
        *,
        replace: bool = False,
        expected_version: int | None = None,
        digest: str | None = None,
    ) -> int:
        """Store one validated map; its new version. ``digest``: the SHA-256 of the document
        it was read from, for the audit log."""
        check_size(m, self.settings.max_map_elements)
        before = self._info_or_none(m.id) if replace else None
        note = import_note(self.actor, m, before, digest)
        return self.store.save_map(
            m, replace=replace, expected_version=expected_version, audit=[note]
        )

    def import_text(
        self,
        text: str,
        *,
        fmt: Format | None = None,
        replace: bool = False,
        expected_version: int | None = None,
    ) -> MapInfo:
        """Validate a map document and store it; what the store then holds."""
        m = self.read_text(text, fmt=fmt)
        digest = hashlib.sha256(text.encode()).hexdigest()
        self.save(m, replace=replace, expected_version=expected_version, digest=digest)
        return self.store.map_info(m.id)

    def delete(self, map_id: str, *, expected_version: int | None = None) -> None:
        note = delete_map_note(self.actor, self.store.map_info(map_id))
        self.store.delete_map(map_id, expected_version=expected_version, audit=[note])

    def changes(self, map_id: str, *, after: int | None, limit: int) -> Page[Change]:
        """The audit log of a map, newest first; NOT_FOUND for a map that never had one."""
        page = self.store.list_changes(map_id, after=after, limit=limit)
        if page.total == 0:
            self.store.map_info(map_id)
        return page

    def _info_or_none(self, map_id: str) -> MapInfo | None:
        try:
            return self.store.map_info(map_id)
        except NotFound:
            return None

    # --- analysis --------------------------------------------------------------------------

    def analyze(self, map_id: str) -> Report:
        """The report of the stored map, computed once per map version."""
        version = self.store.map_info(map_id).version
        return self.reports.compute((map_id, version), lambda: self._build(map_id, version))

    def _build(self, map_id: str, version: int) -> tuple[Key, Report]:
        m = self.store.load_map(map_id)
        while (now := self.store.map_info(map_id).version) != version:  # written meanwhile
            version, m = now, self.store.load_map(map_id)
        return (map_id, version), build_report(m, version=version)

    @staticmethod
    def analyze_map(m: StakeholderMap) -> Report:
        """The report of a map that is not stored (a file, a scenario)."""
        return build_report(m)


def file_digest(path: str | Path) -> str | None:
    """The SHA-256 of a map file, for the audit log (None for a CSV folder)."""
    digest = hashlib.sha256()
    try:
        with Path(path).open("rb") as f:
            while chunk := f.read(1 << 20):
                digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()

"""The map service: the one place the CLI and the API go through to read, write and analyse."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from graphsvc.analysis.report import build_report
from graphsvc.domain.mapfile import Format, dump_map, load_map_file, load_map_text
from graphsvc.domain.model import StakeholderMap
from graphsvc.errors import InvalidInput, LimitExceeded, Problem
from graphsvc.formats import Exported, export_map, load_map_path
from graphsvc.settings import Settings
from graphsvc.store.base import GraphStore, MapInfo


def read_map_file(path: str | Path, settings: Settings) -> StakeholderMap:
    """Validate one map file within the configured limits."""
    return load_map_file(
        path,
        max_bytes=settings.max_file_bytes,
        max_alias_values=settings.max_yaml_alias_values,
    )


class MapService:
    """Reads and writes maps through a store; analysis reports cached by (map, version)."""

    def __init__(self, store: GraphStore, settings: Settings) -> None:
        self.store = store
        self.settings = settings
        self._reports: OrderedDict[tuple[str, int], dict[str, Any]] = OrderedDict()
        self._lock = threading.Lock()

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
        return [(m.id, self.store.save_map(m, replace=replace)) for m in maps]

    # --- maps ------------------------------------------------------------------------------

    def list_maps(self) -> list[MapInfo]:
        return self.store.list_maps()

    def load(self, map_id: str) -> StakeholderMap:
        return self.store.load_map(map_id)

    def export(self, map_id: str, fmt: Format) -> str:
        return dump_map(self.store.load_map(map_id), fmt)

    def export_as(self, map_id: str, fmt: str) -> Exported:
        """The stored map in any export format (graphml, gexf, csv, cypher, yaml, json)."""
        return export_map(self.store.load_map(map_id), fmt)

    def save(self, m: StakeholderMap, *, replace: bool = False) -> int:
        """Store one validated map (an importer's result); its new version."""
        return self.store.save_map(m, replace=replace)

    # --- analysis --------------------------------------------------------------------------

    def analyze(self, map_id: str) -> dict[str, Any]:
        """The report of the stored map, computed once per map version."""
        version = self.store.map_info(map_id).version
        key = (map_id, version)
        with self._lock:
            if key in self._reports:
                self._reports.move_to_end(key)
                return self._reports[key]
        m = self.store.load_map(map_id)
        while (now := self.store.map_info(map_id).version) != version:  # written meanwhile
            version, m = now, self.store.load_map(map_id)
        key = (map_id, version)
        report = build_report(m, version=version)
        with self._lock:
            self._reports[key] = report
            while len(self._reports) > self.settings.analysis_cache_size:
                self._reports.popitem(last=False)
        return report

    @staticmethod
    def analyze_map(m: StakeholderMap) -> dict[str, Any]:
        """The report of a map that is not stored (a file, a scenario)."""
        return build_report(m)

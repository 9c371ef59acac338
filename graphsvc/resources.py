"""Where the files that ship with the package live (Cypher, schemas, seed maps, explorer).

In a checkout they are the top-level folders, reached through symlinks inside the package;
in a wheel setuptools copies them in (see ``[tool.setuptools.package-data]``).
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
QUERIES_DIR = PACKAGE / "queries"
SCHEMA_DIR = PACKAGE / "schema"
SEEDS_DIR = PACKAGE / "seeds"
FRONTEND_DIR = PACKAGE / "frontend"

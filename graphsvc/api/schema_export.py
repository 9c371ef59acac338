"""Write the GraphQL schema in SDL: ``python -m graphsvc.api.schema_export [PATH]``.

``schema/schema.graphql`` is this output; a test fails when the two drift apart.
"""

from __future__ import annotations

import sys
from pathlib import Path

from graphsvc.api.graphql.schema import build_schema
from graphsvc.resources import SCHEMA_DIR

DEFAULT_PATH = SCHEMA_DIR / "schema.graphql"


def schema_sdl() -> str:
    return build_schema().as_str() + "\n"


def main(argv: list[str]) -> None:
    path = Path(argv[0]) if argv else DEFAULT_PATH
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(schema_sdl(), encoding="utf-8")
    print(f"wrote {path}")


if __name__ == "__main__":
    main(sys.argv[1:])

#!/usr/bin/env bash
# Run the test suite. Starts the local Neo4j (tools/neo4j/neo4j-local) when NEO4J_URI is not
# set and Java is present, and stops it afterwards; tests that need Neo4j skip loudly otherwise
# (GRAPHSVC_REQUIRE_NEO4J=1, as .ci/run sets it, turns such a skip into a failure).
set -uo pipefail
cd "$(dirname "$0")/.."
started=""
if [ -z "${NEO4J_URI:-}" ] && command -v java >/dev/null 2>&1 && [ -x tools/neo4j/neo4j-local ]; then
  if line=$(tools/neo4j/neo4j-local start); then
    export "$line"
    started=1
    if [ -f .neo4j-local/env ]; then set -a; . .neo4j-local/env; set +a; fi
  else
    echo "warning: could not start the local Neo4j; Neo4j tests will be skipped" >&2
  fi
fi
.venv/bin/python -m pytest "$@"
status=$?
if [ -n "$started" ]; then tools/neo4j/neo4j-local stop >/dev/null 2>&1 || true; fi
if [ "$status" -eq 5 ]; then echo "no tests ran" >&2; exit 1; fi
exit "$status"

"""The driver, its sessions and transactions, and the boundary where driver errors end."""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import neo4j
from neo4j.exceptions import (
    AuthError,
    ConfigurationError,
    ConstraintError,
    DriverError,
    Neo4jError,
    ResultFailedError,
    ServiceUnavailable,
    SessionExpired,
    TransientError,
)

from graphsvc.domain.kinds import EdgeKind, NodeKind
from graphsvc.errors import Conflict, GraphsvcError, InvalidInput, Problem, StoreUnavailable
from graphsvc.store.cypher import Cypher, schema_statements, statement

log = logging.getLogger(__name__)

R = TypeVar("R")
#: bolt: one server; neo4j: routed (a cluster, Aura); +s: TLS; +ssc: TLS, self-signed allowed.
SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
Tx = neo4j.ManagedTransaction
Row = dict[str, Any]
#: Runs of one transaction when the driver reports a transient failure (a deadlock) as a
#: failed result, which its own retries do not cover: it does so when a statement after the
#: first fails, and rolling back re-raises the failure as ResultFailedError.
TRANSIENT_RUNS = 4


def _transient(exc: BaseException) -> bool:
    return isinstance(exc, ResultFailedError) and isinstance(exc.__cause__, TransientError)


class Connection:
    """One driver for one database. Work runs in managed transactions, which the driver retries
    on transient errors for up to ``max_retry_seconds``; reads run in read transactions, which
    a cluster routes to its secondaries."""

    def __init__(
        self,
        uri: str,
        *,
        auth: tuple[str, str] | None,
        database: str,
        max_retry_seconds: float = 30.0,
    ) -> None:
        self.uri = uri
        self.database = database
        scheme = uri.partition("://")[0]
        if scheme not in SCHEMES:
            problem = Problem(
                f"a Neo4j URI starts with {', '.join(s + '://' for s in SCHEMES)}",
                path="NEO4J_URI",
                value=uri,
            )
            raise InvalidInput([problem], "bad Neo4j settings")
        try:
            self._driver = neo4j.GraphDatabase.driver(
                uri,
                auth=auth,
                max_transaction_retry_time=max_retry_seconds,
                user_agent="graphsvc",
                # "unknown label or property" is expected of an empty database, not a problem.
                notifications_disabled_classifications=[
                    neo4j.NotificationDisabledClassification.UNRECOGNIZED
                ],
            )
        except (ConfigurationError, ValueError) as exc:
            problem = Problem(f"not a usable Neo4j URI: {exc}", path="NEO4J_URI", value=uri)
            raise InvalidInput([problem], "bad Neo4j settings") from None
        self._schema_ready = False
        self._schema_lock = threading.Lock()

    def close(self) -> None:
        self._driver.close()

    def ping(self) -> None:
        # An auto-commit read: no retries, so an unreachable server is reported at once.
        with self.boundary("pinging the server"), self._session(read=True) as session:
            session.run(statement(Cypher.PING)).consume()

    def read(self, what: str, work: Callable[[Tx], R]) -> R:
        with self.boundary(what):
            self._ensure_schema()
            return self._managed(work, read=True)

    def write(self, what: str, work: Callable[[Tx], R]) -> R:
        with self.boundary(what):
            self._ensure_schema()
            return self._managed(work, read=False)

    def _managed(self, work: Callable[[Tx], R], *, read: bool) -> R:
        for run in range(1, TRANSIENT_RUNS + 1):
            try:
                with self._session(read=read) as session:
                    if read:
                        return session.execute_read(work)
                    return session.execute_write(work)
            except ResultFailedError as exc:
                if run == TRANSIENT_RUNS or not _transient(exc):
                    raise
                time.sleep(random.uniform(0.05, 0.2) * run)  # jitter: let the other one win
        raise AssertionError("unreachable")

    def _session(self, *, read: bool = False) -> neo4j.Session:
        # The shared bookmark manager chains every session of this driver causally, so a read
        # on a cluster secondary sees the writes made through this driver before it.
        return self._driver.session(
            database=self.database,
            bookmark_manager=self._driver.execute_query_bookmark_manager,
            default_access_mode=neo4j.READ_ACCESS if read else neo4j.WRITE_ACCESS,
        )

    def _ensure_schema(self) -> None:
        """Apply ``schema/neo4j.cypher`` once per process (every statement is IF NOT EXISTS)."""
        if self._schema_ready:
            return
        with self._schema_lock:
            if not self._schema_ready:
                with self._session() as session:
                    for schema_statement in schema_statements():
                        session.run(schema_statement).consume()
                self._schema_ready = True

    @contextmanager
    def boundary(self, what: str) -> Iterator[None]:
        """Translate driver errors (after the driver's own retries) into graphsvc errors."""
        try:
            yield
        except GraphsvcError:
            raise
        except (ServiceUnavailable, SessionExpired) as exc:
            raise StoreUnavailable(
                f"Neo4j at {self.uri} is unavailable while {what} ({type(exc).__name__})"
            ) from None
        except TransientError:
            raise StoreUnavailable(f"Neo4j is busy while {what}; try again") from None
        except ConstraintError:
            raise Conflict(f"{what} conflicts with data already stored") from None
        except AuthError:
            raise GraphsvcError(
                f"Neo4j at {self.uri} rejected the configured credentials"
                " (NEO4J_USERNAME, NEO4J_PASSWORD)"
            ) from None
        except (Neo4jError, DriverError) as exc:
            if _transient(exc):  # a deadlock still failing after TRANSIENT_RUNS runs
                raise StoreUnavailable(f"Neo4j is busy while {what}; try again") from None
            code = getattr(exc, "code", None) or type(exc).__name__
            if code == "Neo.ClientError.Database.DatabaseNotFound":
                raise GraphsvcError(
                    f"Neo4j at {self.uri} has no database {self.database!r} (NEO4J_DATABASE)"
                ) from None
            # Masked: the driver's message may quote data; the log keeps it for operators.
            log.exception("Neo4j error while %s", what)
            raise GraphsvcError(f"Neo4j store error while {what} ({code})") from None


def run(
    tx: Tx, name: Cypher, label: NodeKind | EdgeKind | None = None, /, **params: Any
) -> list[Row]:
    """Run one statement of ``queries/`` in a transaction; its rows.

    Values come as the driver decoded them: every statement returns plain values (strings,
    numbers, lists, maps), never nodes or relationships, and ``Record.data()`` would copy
    every list element by element (a third of a neighbourhood read's client time)."""
    return [
        dict(zip(record.keys(), record.values(), strict=True))
        for record in tx.run(statement(name, label), params)
    ]


def one(
    tx: Tx, name: Cypher, label: NodeKind | EdgeKind | None = None, /, **params: Any
) -> Row | None:
    """The first row of a statement, or None."""
    rows = run(tx, name, label, **params)
    return rows[0] if rows else None


def count(row: Row | None, key: str) -> int:
    return 0 if row is None else int(row[key])


def items(row: Row | None, key: str = "items") -> list[Any]:
    return [] if row is None else list(row[key])

"""The store's part in access and audit, run against every backend: tokens kept as digests,
audit entries written in the same transaction as the write they describe, expected versions
of whole-map writes."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest

from graphsvc.domain.access import Role
from graphsvc.errors import Conflict, NotFound
from graphsvc.service.tokens import issue
from graphsvc.store.base import ChangeNote, GraphStore, TokenRecord
from tests.api_support import small_map
from tests.factories import node

Mid = Callable[[str], str]


def note(op: str, element: str | None = None, after: object = None) -> ChangeNote:
    return ChangeNote("t-actor", op, element, None, after)


def test_tokens_are_stored_listed_and_revoked(store: GraphStore) -> None:
    issued = issue(store.tokens, Role.EDITOR, ["a", "b"], "workshop [laptop]")
    record = store.tokens.get(issued.record.id)
    assert record == issued.record
    assert record.maps == ("a", "b") and record.role == "editor" and record.revoked_at is None
    assert issued.secret not in repr(record)  # only the digest is kept
    assert issued.record.id in {t.id for t in store.tokens.all()}
    assert store.tokens.any_active()
    revoked = store.tokens.revoke(issued.record.id)
    assert revoked.revoked_at is not None
    assert store.tokens.revoke(issued.record.id).revoked_at == revoked.revoked_at  # once
    assert store.tokens.get(issued.record.id) == revoked
    with pytest.raises(NotFound):
        store.tokens.revoke("000000000000")
    assert store.tokens.get("000000000000") is None


def test_a_token_for_every_map_has_no_map_list(store: GraphStore) -> None:
    issued = issue(store.tokens, Role.ADMIN, None, None)
    stored = store.tokens.get(issued.record.id)
    assert stored is not None and stored.maps is None and stored.name is None
    store.tokens.revoke(issued.record.id)


def test_any_active_ignores_revoked_tokens(sqlite_store: GraphStore) -> None:
    assert not sqlite_store.tokens.any_active()
    record = TokenRecord(uuid.uuid4().hex[:12], None, "viewer", None, "0" * 64, "2026-01-01")
    sqlite_store.tokens.add(record)
    assert sqlite_store.tokens.any_active()
    sqlite_store.tokens.revoke(record.id)
    assert not sqlite_store.tokens.any_active()


def test_every_write_appends_its_notes_with_the_version(store: GraphStore, mid: Mid) -> None:
    m = small_map(mid("audit"))
    v1 = store.save_map(m, audit=[note("importMap", after={"nodeCount": 5})])
    from graphsvc.domain.model import NODE_ADAPTER

    o2 = NODE_ADAPTER.validate_python(node("o2"))
    v2 = store.upsert_node(m.id, o2, audit=[note("upsertNode", "o2")])
    v3 = store.delete_edge(m.id, "o1--DEPLOYS--s1", audit=[note("deleteEdge", "o1--DEPLOYS--s1")])
    v4 = store.delete_node(m.id, "o2", audit=[note("deleteNode", "o2")])
    page = store.list_changes(m.id)
    assert [(c.operation, c.version, c.element_id) for c in page.items] == [
        ("deleteNode", v4, "o2"),
        ("deleteEdge", v3, "o1--DEPLOYS--s1"),
        ("upsertNode", v2, "o2"),
        ("importMap", v1, None),
    ]
    assert page.total == 4 and not page.has_next
    assert page.items[-1].after == {"nodeCount": 5} and page.items[-1].actor == "t-actor"
    seqs = [c.seq for c in page.items]
    assert seqs == sorted(seqs, reverse=True)
    older = store.list_changes(m.id, after=seqs[1], limit=1)
    assert [c.operation for c in older.items] == ["upsertNode"] and older.has_next


def test_a_failed_write_appends_nothing(store: GraphStore, mid: Mid) -> None:
    m = small_map(mid("failed"))
    version = store.save_map(m, audit=[note("importMap")])
    with pytest.raises(Conflict):
        store.delete_edge(m.id, "o1--DEPLOYS--s1", expected_version=version + 5, audit=[note("x")])
    with pytest.raises(NotFound):
        store.delete_edge(m.id, "nope", audit=[note("y")])
    with pytest.raises(Conflict):
        store.save_map(m, audit=[note("z")])  # exists, no replace
    assert [c.operation for c in store.list_changes(m.id).items] == ["importMap"]


def test_the_log_outlives_the_map(store: GraphStore, mid: Mid) -> None:
    m = small_map(mid("gone"))
    store.save_map(m, audit=[note("importMap")])
    store.delete_map(m.id, audit=[note("deleteMap")])
    entries = store.list_changes(m.id).items
    assert [(c.operation, c.version) for c in entries] == [("deleteMap", None), ("importMap", 1)]
    assert store.list_changes(mid("never")).items == []


def test_whole_map_writes_honour_the_expected_version(store: GraphStore, mid: Mid) -> None:
    m = small_map(mid("expect"))
    with pytest.raises(Conflict):
        store.save_map(m, replace=True, expected_version=1)  # no such map yet
    version = store.save_map(m)
    with pytest.raises(Conflict):
        store.save_map(m, replace=True, expected_version=version + 1)
    assert store.map_info(m.id).version == version
    newer = store.save_map(m, replace=True, expected_version=version)
    with pytest.raises(Conflict):
        store.delete_map(m.id, expected_version=version)
    assert store.map_info(m.id).version == newer
    store.delete_map(m.id, expected_version=newer)
    with pytest.raises(NotFound):
        store.map_info(m.id)

"""Answers to read-only GraphQL requests, reused while nothing in the store has changed.

A query's answer depends on three things only: who asks (the caller: its maps and role), what
the request says (its body: document, variables, operation name, extensions) and what the store
holds. The store's part is its *revision* (``GraphStore``'s optional ``revision()``, see
``graphsvc.store.base.RevisionReader``): a value that changes with every commit, by this process
or any other. So an answer is kept under (caller, body) for the revision it was computed at, and
reused only while the store still reports that revision. The revision is read *before* the query
runs, so an answer that saw a newer commit is kept under an older revision, which is never
current again: a stale answer is never served.

Only answers without errors are kept (an error may be transient: the store down, a timeout).
When the revision moves on, every kept answer is dropped at once: none could be served again.
The cache is bounded in bytes (bodies and answers), least recently used dropped first, and is
used from the event loop only (the GraphQL fast path), so it needs no lock.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass

from graphsvc.domain.access import Caller


@dataclass(frozen=True, slots=True)
class Answer:
    """A kept answer and how the operation metrics label it."""

    body: bytes
    kind: str
    fields: tuple[str, ...]


class ResponseCache:
    """Answers by (caller, request body) for one store revision at a time."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.used = 0
        self._revision: Hashable | None = None
        self._answers: OrderedDict[tuple[Caller, bytes], Answer] = OrderedDict()

    def get(self, revision: Hashable, caller: Caller, body: bytes) -> Answer | None:
        if revision != self._revision:
            return None
        answer = self._answers.get((caller, body))
        if answer is not None:
            self._answers.move_to_end((caller, body))
        return answer

    def put(self, revision: Hashable, caller: Caller, body: bytes, answer: Answer) -> None:
        size = len(body) + len(answer.body)
        if size > self.max_bytes // 4:  # one huge answer must not flush everything else
            return
        if revision != self._revision:
            self.clear()
            self._revision = revision
        previous = self._answers.pop((caller, body), None)
        if previous is not None:
            self.used -= len(body) + len(previous.body)
        self._answers[(caller, body)] = answer
        self.used += size
        while self.used > self.max_bytes:
            (_, old_body), old = self._answers.popitem(last=False)
            self.used -= len(old_body) + len(old.body)

    def clear(self) -> None:
        self._answers.clear()
        self.used = 0

    def __len__(self) -> int:
        return len(self._answers)

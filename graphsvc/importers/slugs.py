"""Turning names and foreign ids into map ids (slugs), without two things sharing one."""

from __future__ import annotations

import hashlib
import re
import unicodedata

from graphsvc.domain.model import SLUG_PATTERN

MAX_ID = 128
_SLUG = re.compile(SLUG_PATTERN)
_NOT_ALLOWED = re.compile(r"[^a-z0-9._-]+")


def is_slug(text: str) -> bool:
    return bool(_SLUG.match(text))


def slugify(text: str, max_length: int = MAX_ID) -> str:
    """``"Pak'n'Save (NZ)"`` → ``"pak-n-save-nz"``; accents folded; may be empty."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _NOT_ALLOWED.sub("-", folded.lower())
    slug = re.sub(r"-{2,}", "-", slug).strip("-._")
    return slug[:max_length].rstrip("-._")


def _digest(key: str) -> str:
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:6]


class IdAllocator:
    """Hands out unique ids: the wanted slug when free, else the slug with a short hash.

    The same key always gets the same id. Keys that are already valid slugs should be
    claimed first, so that they keep their own id and only repaired ones get a suffix.
    """

    def __init__(self) -> None:
        self._by_key: dict[str, str] = {}
        self._taken: set[str] = set()

    def reserve(self, node_id: str) -> None:
        self._taken.add(node_id)

    def claim(self, key: str, wanted: str | None = None) -> str:
        if key in self._by_key:
            return self._by_key[key]
        base = slugify(wanted if wanted is not None else key) or "x"
        candidate = base
        if candidate in self._taken:
            candidate = f"{base[: MAX_ID - 7].rstrip('-._')}-{_digest(key)}"
        self._by_key[key] = candidate
        self._taken.add(candidate)
        return candidate

    def __contains__(self, node_id: str) -> bool:
        return node_id in self._taken


def humanize(entity_id: str) -> str:
    """A readable name from an id: ``"keolis-north-america"`` → ``"Keolis North America"``."""
    words = [w for w in entity_id.replace("_", " ").replace("-", " ").split(" ") if w]
    return " ".join(w[:1].upper() + w[1:] for w in words) or entity_id

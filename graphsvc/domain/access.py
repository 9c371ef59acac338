"""Who may do what: roles, the caller of a request, and API token secrets.

A token is ``gsk_<id>_<secret>``. The id is public (it names the token in ``token list`` and
in the audit log); the secret is 256 random bits, and only its SHA-256 is ever stored. A
secret that random needs no salt or slow hash: guessing it is hopeless, and a leaked hash
cannot be turned back into it.

>>> token = new_token()
>>> parsed = parse_token(token.secret)
>>> parsed is not None and parsed[0] == token.id and secret_matches(parsed[1], token.digest)
True
>>> Caller("t1", Role.VIEWER, frozenset({"a"})).sees("b")
False
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from enum import StrEnum

PREFIX = "gsk"
_TOKEN = re.compile(rf"^{PREFIX}_([0-9a-f]{{12}})_([A-Za-z0-9_-]{{43}})$")


class Role(StrEnum):
    """What a token may do on the maps it is scoped to."""

    VIEWER = "viewer"  # read maps, analyses and scenarios
    EDITOR = "editor"  # also import, replace and edit maps, and read their audit log
    ADMIN = "admin"  # also delete whole maps


class Action(StrEnum):
    READ = "read"
    EDIT = "edit"
    AUDIT = "audit"
    DELETE_MAP = "delete-map"


ALLOWED: dict[Role, frozenset[Action]] = {
    Role.VIEWER: frozenset({Action.READ}),
    Role.EDITOR: frozenset({Action.READ, Action.EDIT, Action.AUDIT}),
    Role.ADMIN: frozenset(Action),
}


@dataclass(frozen=True)
class Caller:
    """Who is asking: a token (its id), or the local operator."""

    actor: str  # a token id; "local" for the open loopback server; "cli" for the command line
    role: Role
    maps: frozenset[str] | None = None  # the maps it may see; None: every map
    name: str | None = None

    def sees(self, map_id: str) -> bool:
        return self.maps is None or map_id in self.maps

    def may(self, action: Action) -> bool:
        return action in ALLOWED[self.role]


#: The caller of a server that has no tokens and so answers loopback clients only.
LOCAL = Caller("local", Role.ADMIN, name="local")
#: The command line: whoever can run it can read the store directly anyway.
CLI = Caller("cli", Role.ADMIN, name="cli")


@dataclass(frozen=True)
class NewToken:
    """A freshly made token: the secret to hand out once, and what is stored of it."""

    id: str
    secret: str
    digest: str


def digest_of(secret_part: str) -> str:
    return hashlib.sha256(secret_part.encode()).hexdigest()


def new_token() -> NewToken:
    token_id = secrets.token_hex(6)
    secret_part = secrets.token_urlsafe(32)
    return NewToken(token_id, f"{PREFIX}_{token_id}_{secret_part}", digest_of(secret_part))


def parse_token(text: str) -> tuple[str, str] | None:
    """(id, secret part) of a well-formed token, else None."""
    match = _TOKEN.match(text)
    return None if match is None else (match.group(1), match.group(2))


def secret_matches(secret_part: str, digest: str) -> bool:
    """Constant-time comparison of a presented secret with a stored digest."""
    return hmac.compare_digest(digest_of(secret_part), digest)

"""``graphsvc token create|list|revoke``: API tokens, kept in the configured store as hashes."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from graphsvc.cli.app import app, emit_json, err, out, reports_errors, settings
from graphsvc.cli.maps import ListFormat
from graphsvc.domain.access import Role
from graphsvc.service.tokens import issue
from graphsvc.store.base import TokenRecord
from graphsvc.store.open import open_store

token_app = typer.Typer(
    help="API tokens (Bearer) for `graphsvc serve`: create, list, revoke.", no_args_is_help=True
)
app.add_typer(token_app, name="token")


def _row(t: TokenRecord) -> dict[str, object]:
    return {
        "id": t.id,
        "name": t.name,
        "role": t.role,
        "maps": None if t.maps is None else list(t.maps),
        "createdAt": t.created_at,
        "revokedAt": t.revoked_at,
    }


@token_app.command("create")
@reports_errors
def create(
    role: Annotated[Role, typer.Option("--role", "-r", help="viewer, editor or admin.")],
    maps: Annotated[
        list[str] | None,
        typer.Option("--map", "-m", help="A map the token may use (repeat); omit for every map."),
    ] = None,
    name: Annotated[
        str | None, typer.Option("--name", "-n", help="Who or what holds it (shown in lists).")
    ] = None,
) -> None:
    """Create a token and print it once: only its SHA-256 is stored."""
    store = open_store(settings())
    try:
        issued = issue(store.tokens, role, maps or None, name)
    finally:
        store.close()
    scope = "every map" if issued.record.maps is None else ", ".join(issued.record.maps)
    err.print(
        f"token {issued.record.id} ({issued.record.role}, {scope}); it is shown only now:",
        highlight=False,
    )
    typer.echo(issued.secret)


@token_app.command("list")
@reports_errors
def list_tokens(
    fmt: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
) -> None:
    """List tokens (never their secrets), revoked ones included."""
    store = open_store(settings())
    try:
        tokens = store.tokens.all()
    finally:
        store.close()
    if fmt == ListFormat.json:
        emit_json([_row(t) for t in tokens])
        return
    table = Table("id", "name", "role", "maps", "created", "revoked", title="API tokens")
    for t in tokens:
        scope = "(every map)" if t.maps is None else ", ".join(t.maps)
        cells = (t.id, t.name or "", t.role, scope, t.created_at, t.revoked_at or "")
        table.add_row(*(Text(c) for c in cells))  # Text: names are shown, never read as markup
    out.print(table if tokens else "no tokens: the server answers on loopback only")


@token_app.command("revoke")
@reports_errors
def revoke(
    token_id: Annotated[str, typer.Argument(metavar="ID", help="The token's id (token list).")],
) -> None:
    """Revoke a token; a running server refuses it within GRAPHSVC_AUTH_CACHE_SECONDS."""
    store = open_store(settings())
    try:
        record = store.tokens.revoke(token_id)
    finally:
        store.close()
    out.print(f"revoked token {record.id} (at {record.revoked_at})", highlight=False)

"""``graphsvc token create|list|revoke``, ``graphsvc changes`` and ``serve`` beyond loopback."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graphsvc.cli import app
from graphsvc.domain.access import digest_of, parse_token
from tests.test_mapfile import GOOD

runner = CliRunner()


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GRAPHSVC_STORE", f"sqlite:///{tmp_path / 'cli.sqlite'}")
    (tmp_path / "demo.yaml").write_text(GOOD)
    return tmp_path


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_create_prints_the_token_once_and_stores_only_its_digest(env: Path) -> None:
    code, out, err = run("token", "create", "--role", "editor", "--map", "demo", "--name", "ana")
    assert code == 0, err
    secret = out.strip()
    parsed = parse_token(secret)
    assert parsed is not None
    token_id, secret_part = parsed
    assert f"token {token_id} (editor, demo)" in err
    with sqlite3.connect(env / "cli.sqlite") as db:
        dumped = "\n".join(db.iterdump())
    assert secret_part not in dumped and secret not in dumped
    assert digest_of(secret_part) in dumped

    code, out, _ = run("token", "list", "--format", "json")
    assert code == 0
    (listed,) = json.loads(out)
    assert listed == {
        "id": token_id,
        "name": "ana",
        "role": "editor",
        "maps": ["demo"],
        "createdAt": listed["createdAt"],
        "revokedAt": None,
    }
    assert secret_part not in out

    code, out, _ = run("token", "revoke", token_id)
    assert code == 0 and f"revoked token {token_id}" in out
    assert json.loads(run("token", "list", "--format", "json")[1])[0]["revokedAt"]
    assert run("token", "revoke", "000000000000")[0] == 2


@pytest.mark.parametrize(
    "args",
    [
        ["--role", "owner"],
        ["--role", "viewer", "--map", "Not A Slug"],
        [],
    ],
)
def test_create_rejects_bad_input(env: Path, args: list[str]) -> None:
    assert run("token", "create", *args)[0] == 2


def test_token_list_shows_names_literally(env: Path) -> None:
    run("token", "create", "--role", "viewer", "--name", "[b]x[/b]")
    code, out, _ = run("token", "list")
    assert code == 0 and "[b]x[/b]" in out


def test_changes_lists_who_changed_what(env: Path) -> None:
    assert run("import", str(env / "demo.yaml"))[0] == 0
    assert run("import", "--replace", str(env / "demo.yaml"))[0] == 0
    code, out, _ = run("changes", "demo", "--format", "json")
    assert code == 0
    entries = json.loads(out)
    assert [(e["version"], e["actor"], e["operation"]) for e in entries] == [
        (2, "cli", "importMap"),
        (1, "cli", "importMap"),
    ]
    assert entries[0]["before"]["version"] == 1 and len(entries[0]["after"]["sha256"]) == 64
    code, out, _ = run("changes", "demo", "--limit", "1")
    assert code == 0 and "importMap" in out and "1 older entries" in out
    assert run("changes", "nowhere")[0] == 2


def test_serve_beyond_loopback_without_tokens_refuses_to_start(env: Path) -> None:
    code, _, err = run("serve", "--host", "0.0.0.0", "--port", "1")
    assert code == 2
    assert "refusing to serve on 0.0.0.0" in err and "graphsvc token create" in err
    # A revoked token is no token.
    out = run("token", "create", "--role", "admin")[1]
    token_id = parse_token(out.strip())[0]  # type: ignore[index]
    run("token", "revoke", token_id)
    assert run("serve", "--host", "192.0.2.1", "--port", "1")[0] == 2

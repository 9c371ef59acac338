"""Tokens, roles and map scopes through the real app: open only on loopback, viewers cannot
write, and a token for one map cannot read or even learn of another."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from graphsvc.api.app import create_app
from graphsvc.domain.access import Role
from graphsvc.domain.mapfile import dump_map
from graphsvc.service.tokens import issue
from tests.api_support import assert_error_shape, small_map

if TYPE_CHECKING:
    from tests.api_fixtures import Client, CountingStore

pytest_plugins = ["tests.api_fixtures"]
pytestmark = pytest.mark.anyio

Maker = Callable[..., Any]


@pytest.fixture
def maps(api_store: CountingStore) -> tuple[str, str]:
    """Two maps: "small" (a token's scope below) and "other" (outside it)."""
    api_store.save_map(small_map("small"))
    api_store.save_map(small_map("other"))
    return "small", "other"


def token(api_store: CountingStore, role: Role, maps: list[str] | None = None) -> str:
    return issue(api_store.tokens, role, maps, f"{role} test").secret


async def client_with(make_client: Maker, secret: str | None, **settings: Any) -> Client:
    made: Client = await make_client(auth_cache_seconds=0, **settings)
    if secret:
        made.http.headers["Authorization"] = f"Bearer {secret}"
    return made


async def raw(
    client: Client, query: str, variables: dict[str, Any] | None = None
) -> httpx.Response:
    return await client.http.post("/graphql", json={"query": query, "variables": variables or {}})


# --- open mode: no tokens, loopback only ---------------------------------------------------------


async def test_without_tokens_the_server_is_open_on_loopback(client: Client, maps: Any) -> None:
    me = (await client.data("{ me { tokenId role canEdit authenticated maps } }"))["me"]
    assert me == {
        "tokenId": None,
        "role": "ADMIN",
        "canEdit": True,
        "authenticated": False,
        "maps": None,
    }


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "10.0.0.5", "[2001:db8::1]"])
async def test_an_open_server_refuses_a_non_loopback_host_header(
    client: Client, maps: Any, host: str
) -> None:
    # DNS rebinding: a page at evil.example whose name now resolves to 127.0.0.1.
    response = await client.http.post(
        "/graphql", json={"query": "{ maps { id } }"}, headers={"Host": host}
    )
    assert response.status_code == 401
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "UNAUTHENTICATED"
    assert "loopback" in error["message"]


async def test_an_open_server_refuses_a_client_beyond_loopback(
    api_store: CountingStore, api_settings: Any, maps: Any
) -> None:
    app = create_app(api_settings, store_opener=lambda _: api_store)  # type: ignore[arg-type,return-value]
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, client=("192.0.2.7", 5555))
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as http:
            response = await http.post("/graphql", json={"query": "{ maps { id } }"})
            export = await http.get("/api/maps/small/export?format=json")
            health = await http.get("/healthz")
    assert response.status_code == 401
    assert export.status_code == 401
    assert health.status_code == 200


@pytest.mark.parametrize("host", ["0.0.0.0", "192.0.2.1", "::"])
async def test_bound_beyond_loopback_every_request_needs_a_token(
    make_client: Maker, maps: Any, host: str
) -> None:
    client = await client_with(make_client, None, host=host)
    response = await raw(client, "{ maps { id } }")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


async def test_auth_required_refuses_everything_until_a_token_exists(
    make_client: Maker, maps: Any
) -> None:
    client = await client_with(make_client, None, auth_required=True)
    assert (await raw(client, "{ maps { id } }")).status_code == 401


# --- tokens ------------------------------------------------------------------------------------


async def test_once_a_token_exists_requests_must_bring_one(
    make_client: Maker, api_store: CountingStore, maps: Any
) -> None:
    secret = token(api_store, Role.VIEWER)
    anonymous = await client_with(make_client, None)
    response = await raw(anonymous, "{ maps { id } }")
    assert response.status_code == 401
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "UNAUTHENTICATED"
    assert secret not in response.text
    assert (await anonymous.http.get("/healthz")).status_code == 200
    assert (await anonymous.http.get("/readyz")).status_code == 200
    assert (await anonymous.http.get("/api/maps/small/export")).status_code == 401

    holder = await client_with(make_client, secret)
    assert [m["id"] for m in (await holder.data("{ maps { id } }"))["maps"]] == ["other", "small"]


@pytest.mark.parametrize(
    "header",
    [
        "Bearer gsk_000000000000_" + "A" * 43,  # well formed, unknown id
        "Bearer not-a-token",
        "Basic dXNlcjpwYXNz",
        "Bearer",
        "Bearer " + "x" * 5000,
    ],
)
async def test_invalid_tokens_are_unauthenticated(
    make_client: Maker, api_store: CountingStore, maps: Any, header: str
) -> None:
    token(api_store, Role.ADMIN)
    client = await client_with(make_client, None)
    response = await client.http.post(
        "/graphql", json={"query": "{ maps { id } }"}, headers={"Authorization": header}
    )
    assert response.status_code == 401
    assert response.json()["errors"][0]["message"].startswith("the API token is not valid")


async def test_a_wrong_secret_for_a_real_token_id_is_refused(
    make_client: Maker, api_store: CountingStore, maps: Any
) -> None:
    secret = token(api_store, Role.ADMIN)
    forged = secret[: -len("x")] + ("A" if secret[-1] != "A" else "B")
    client = await client_with(make_client, forged)
    assert (await raw(client, "{ maps { id } }")).status_code == 401


async def test_a_revoked_token_stops_working(
    make_client: Maker, api_store: CountingStore, maps: Any
) -> None:
    issued = issue(api_store.tokens, Role.EDITOR, None, "laptop")
    token(api_store, Role.ADMIN)  # another token keeps the server closed
    client = await client_with(make_client, issued.secret)
    assert (await raw(client, "{ maps { id } }")).status_code == 200
    api_store.tokens.revoke(issued.record.id)
    assert (await raw(client, "{ maps { id } }")).status_code == 401


async def test_me_tells_the_role_and_scope(
    make_client: Maker, api_store: CountingStore, maps: Any
) -> None:
    issued = issue(api_store.tokens, Role.VIEWER, ["small"], "analyst")
    client = await client_with(make_client, issued.secret)
    me = (await client.data("{ me { tokenId name role canEdit authenticated maps } }"))["me"]
    assert me == {
        "tokenId": issued.record.id,
        "name": "analyst",
        "role": "VIEWER",
        "canEdit": False,
        "authenticated": True,
        "maps": ["small"],
    }


# --- roles -------------------------------------------------------------------------------------

MUTATIONS = {
    "upsertNode": 'mutation { upsertNode(mapId: "small", input: {id: "o2", kind: Organization, name: "O2"}) { version } }',
    "deleteNode": 'mutation { deleteNode(mapId: "small", id: "c2") { version } }',
    "upsertEdge": 'mutation { upsertEdge(mapId: "small", input: {from: "o1", kind: DEVELOPS, to: "s1"}) { version } }',
    "deleteEdge": 'mutation { deleteEdge(mapId: "small", id: "o1--DEPLOYS--s1") { version } }',
    "deleteMap": 'mutation { deleteMap(id: "small") { id } }',
}


def import_small(replace: bool = True, map_id: str = "small") -> tuple[str, dict[str, Any]]:
    return (
        "mutation($d: String!, $r: Boolean!) { importMap(document: $d, replace: $r) { id } }",
        {"d": dump_map(small_map(map_id), "json"), "r": replace},
    )


@pytest.mark.parametrize("operation", [*MUTATIONS, "importMap"])
async def test_viewers_cannot_write(
    make_client: Maker, api_store: CountingStore, maps: Any, operation: str
) -> None:
    client = await client_with(make_client, token(api_store, Role.VIEWER))
    before = api_store.map_info("small").version
    query, variables = import_small() if operation == "importMap" else (MUTATIONS[operation], {})
    error = await client.error(query, variables)
    assert error["extensions"]["code"] == "FORBIDDEN"
    assert api_store.map_info("small").version == before


async def test_a_viewer_gets_forbidden_before_any_validation(
    make_client: Maker, api_store: CountingStore, maps: Any
) -> None:
    client = await client_with(make_client, token(api_store, Role.VIEWER))
    error = await client.error(
        'mutation { upsertNode(mapId: "small", input: {id: "BAD ID", kind: Mechanism, name: ""}) { version } }'
    )
    assert error["extensions"]["code"] == "FORBIDDEN"
    error = await client.error('mutation { importMap(document: "{not json", format: JSON) { id } }')
    assert error["extensions"]["code"] == "FORBIDDEN"


@pytest.mark.parametrize("operation", [op for op in MUTATIONS if op != "deleteMap"])
async def test_editors_edit(
    make_client: Maker, api_store: CountingStore, maps: Any, operation: str
) -> None:
    client = await client_with(make_client, token(api_store, Role.EDITOR, ["small"]))
    await client.data(MUTATIONS[operation])


async def test_only_admins_delete_maps(
    make_client: Maker, api_store: CountingStore, maps: Any
) -> None:
    editor = await client_with(make_client, token(api_store, Role.EDITOR))
    assert (await editor.error(MUTATIONS["deleteMap"]))["extensions"]["code"] == "FORBIDDEN"
    admin = await client_with(make_client, token(api_store, Role.ADMIN, ["small"]))
    await admin.data(MUTATIONS["deleteMap"])
    assert [m.id for m in api_store.list_maps()] == ["other"]


# --- scopes: map B is invisible to a token for map A ---------------------------------------------

READS = {
    "map": '{ map(id: "$M") { id } }',
    "node": '{ node(mapId: "$M", id: "c1") { id } }',
    "nodes": '{ nodes(mapId: "$M", search: "c") { totalCount } }',
    "edges": '{ edges(mapId: "$M") { totalCount } }',
    "neighborhood": '{ neighborhood(mapId: "$M", id: "c1") { depth } }',
    "impactPaths": '{ impactPaths(mapId: "$M", from: "o1", to: "c1") { length } }',
    "analysis": '{ analysis(mapId: "$M") { map { id } } }',
    "scenario": '{ scenario(mapId: "$M", changes: [{deleteNode: "m1"}]) { resolved { key } } }',
    "changes": '{ changes(mapId: "$M") { totalCount } }',
}
WRITES = {name: query.replace('"small"', '"$M"') for name, query in MUTATIONS.items()}


def same_error_for(body: dict[str, Any], map_id: str) -> str:
    """The body with the map id replaced: equal for an existing and a missing map."""
    return json.dumps(body, sort_keys=True).replace(map_id, "$M")


@pytest.mark.parametrize("operation", [*READS, *WRITES])
async def test_another_maps_id_is_not_found_exactly_like_a_missing_map(
    make_client: Maker, api_store: CountingStore, maps: Any, operation: str
) -> None:
    client = await client_with(make_client, token(api_store, Role.ADMIN, ["small"]))
    before = api_store.map_info("other").version  # versions never repeat, even on a shared db
    query = READS.get(operation) or WRITES[operation]
    existing = await client.post(query.replace("$M", "other"))
    missing = await client.post(query.replace("$M", "nowhere"))
    assert existing["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert_error_shape(existing["errors"][0])
    assert same_error_for(existing, "other") == same_error_for(missing, "nowhere")
    assert api_store.map_info("other").version == before  # untouched


async def test_importing_another_map_is_forbidden_whether_or_not_it_exists(
    make_client: Maker, api_store: CountingStore, maps: Any
) -> None:
    client = await client_with(make_client, token(api_store, Role.EDITOR, ["small"]))
    before = api_store.map_info("other").version
    answers = []
    for map_id in ("other", "nowhere"):
        for replace in (False, True):
            query, variables = import_small(replace, map_id)
            body = await client.post(query, variables)
            assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
            answers.append(same_error_for(body, map_id))
    assert answers[:2] == answers[2:]
    assert [m.id for m in api_store.list_maps()] == ["other", "small"]
    assert api_store.map_info("other").version == before


async def test_a_scoped_token_lists_and_exports_only_its_maps(
    make_client: Maker, api_store: CountingStore, maps: Any
) -> None:
    client = await client_with(make_client, token(api_store, Role.VIEWER, ["small"]))
    assert (await client.data("{ maps { id } }"))["maps"] == [{"id": "small"}]
    assert (await client.http.get("/api/maps/small/export?format=json")).status_code == 200
    other = await client.http.get("/api/maps/other/export?format=json")
    nowhere = await client.http.get("/api/maps/nowhere/export?format=json")
    assert other.status_code == nowhere.status_code == 404
    assert other.text.replace("other", "$M") == nowhere.text.replace("nowhere", "$M")
    for path in ("/api/maps/$M/report.html", "/api/maps/$M/export?format=csv"):
        other = await client.http.get(path.replace("$M", "other"))
        nowhere = await client.http.get(path.replace("$M", "nowhere"))
        assert other.status_code == nowhere.status_code == 404, path
        assert other.text.replace("other", "$M") == nowhere.text.replace("nowhere", "$M")
    assert (await client.http.get("/api/maps/small/report.html")).status_code == 200


async def test_a_scoped_editor_may_create_its_own_map(
    make_client: Maker, api_store: CountingStore
) -> None:
    client = await client_with(make_client, token(api_store, Role.EDITOR, ["fresh"]))
    query, variables = import_small(False, "fresh")
    assert (await client.data(query, variables))["importMap"] == {"id": "fresh"}


# --- CORS --------------------------------------------------------------------------------------


async def test_cors_is_closed_by_default(client: Client, maps: Any) -> None:
    response = await client.http.options(
        "/graphql",
        headers={"Origin": "https://elsewhere.example", "Access-Control-Request-Method": "POST"},
    )
    assert "access-control-allow-origin" not in response.headers
    response = await client.http.post(
        "/graphql",
        json={"query": "{ maps { id } }"},
        headers={"Origin": "https://elsewhere.example"},
    )
    assert "access-control-allow-origin" not in response.headers


async def test_cors_opens_to_the_configured_origins_only(make_client: Maker, maps: Any) -> None:
    client = await client_with(make_client, None, cors_origins=["https://workshop.example"])
    preflight = {
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization,content-type",
    }
    allowed = await client.http.options(
        "/graphql", headers={"Origin": "https://workshop.example", **preflight}
    )
    assert allowed.headers["access-control-allow-origin"] == "https://workshop.example"
    assert "authorization" in allowed.headers["access-control-allow-headers"].lower()
    denied = await client.http.options(
        "/graphql", headers={"Origin": "https://elsewhere.example", **preflight}
    )
    assert "access-control-allow-origin" not in denied.headers


def test_requests_reach_the_store_only_through_their_callers_access() -> None:
    # The scoping guarantee rests on this: no resolver or route holds the app's own store.
    from pathlib import Path

    import graphsvc.api

    api = Path(graphsvc.api.__file__).parent
    for path in [*api.glob("graphql/*.py"), api / "rest.py", api / "frontend.py"]:
        text = path.read_text()
        assert "state.store" not in text.replace("await in_thread(state.store.ping)", ""), path
        assert "context.api" not in text and ".inner" not in text, path

"""The executor that reads plain fields in one pass answers exactly as graphql-core does, and
GraphQL objects built from domain models hold what the models hold."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from enum import Enum, StrEnum
from inspect import isawaitable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest
import strawberry
from graphql import ExecutionResult, execute, parse
from hypothesis import given
from hypothesis import strategies as st
from strawberry.scalars import JSON
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

import graphsvc.api.graphql.schema as schema_module
from graphsvc.api.app import create_app
from graphsvc.api.graphql import execution
from graphsvc.api.graphql.connections import encode_cursor
from graphsvc.api.graphql.enums import NodeKindValue
from graphsvc.api.graphql.execution import Executor
from graphsvc.api.graphql.types import NODE_TYPES, MapEdge, node_type
from graphsvc.domain.kinds import EdgeKind
from graphsvc.domain.mapfile import load_map_file
from graphsvc.domain.model import StakeholderMap
from graphsvc.domain.synthetic import generate_map_data
from graphsvc.settings import Settings
from graphsvc.store.base import GraphStore
from graphsvc.store.sqlite import SqliteStore
from tests.conftest import SEEDS

if TYPE_CHECKING:
    from tests.api_fixtures import Client

pytest_plugins = ["tests.api_fixtures"]

# --- a schema of its own, with values its types refuse -------------------------------------


@strawberry.enum
class Colour(Enum):
    RED = "red"
    GREEN = "green"


@strawberry.enum
class Size(StrEnum):
    SMALL = "SMALL"
    LARGE = "large"


@strawberry.type
class Part:
    label: str
    weight: float | None


@strawberry.type
class Thing:
    parts: list[Part]
    spare: list[Part | None] | None
    name: str
    maybe: str | None
    colour: Colour
    shade: Colour | None
    size: Size
    tags: list[str]
    loose: list[str | None] | None
    score: float
    ident: strawberry.ID
    count: int | None
    data: JSON

    @strawberry.field
    async def later(self) -> str:
        return self.name

    @strawberry.field
    def fails(self) -> str | None:
        raise ValueError("boom")

    @strawberry.field
    def child(self) -> Thing | None:
        return self


THINGS: list[Thing] = []


@strawberry.interface
class Shape:
    label: str
    sides: int | None


@strawberry.type
class Square(Shape):
    side: float


@strawberry.type
class Circle(Shape):
    radius: float | None
    tags: list[str]


@strawberry.type
class Blob(Shape):
    @strawberry.field
    def size(self) -> int:
        return len(self.label)


class Tile(Square):
    """A subclass strawberry resolves as Square (by the definition it inherits)."""


class Foreign:
    """Not a type of the schema at all."""

    label = "f"
    sides = None


SHAPES: list[Any] = []


@strawberry.type
class Query:
    @strawberry.field
    def things(self) -> list[Thing]:
        return THINGS

    @strawberry.field
    def shapes(self) -> list[Shape]:
        return SHAPES

    @strawberry.field
    def loose_shapes(self) -> list[Shape | None] | None:
        return SHAPES


OWN_SCHEMA = strawberry.Schema(query=Query, types=[Square, Circle, Blob])._schema

ANY_VALUE = st.one_of(
    st.none(),
    st.text(max_size=3),
    st.integers(-3, 3),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.sampled_from([Colour.RED, Colour.GREEN, "red", "RED", "purple", 2**40, *Size, "SMALL"]),
    st.lists(st.one_of(st.none(), st.text(max_size=2), st.integers(0, 2)), max_size=3),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
)


def _part(values: dict[str, Any]) -> Part:
    part = Part.__new__(Part)
    vars(part).update(values)
    return part


PART = st.fixed_dictionaries(
    {  # values of the types, and one time in four a value of none
        "label": st.one_of(*[st.text(max_size=2)] * 3, st.just(None)),
        "weight": st.one_of(st.none(), st.floats(allow_nan=False), st.floats(), st.just("x")),
    }
).map(_part)
#: Values each field's type takes; any value at all one time in four.
GOOD: dict[str, st.SearchStrategy[Any]] = {
    "parts": st.lists(st.one_of(PART, PART, PART, st.none()), max_size=3),
    "spare": st.none() | st.lists(st.none() | PART, max_size=3),
    "name": st.text(max_size=3),
    "maybe": st.none() | st.text(max_size=3),
    "colour": st.sampled_from(Colour),
    "shade": st.none() | st.sampled_from(Colour),
    "size": st.sampled_from(Size),
    "tags": st.lists(st.text(max_size=2), max_size=3),
    "loose": st.none() | st.lists(st.none() | st.text(max_size=2), max_size=3),
    "score": st.floats(allow_nan=False, allow_infinity=False) | st.integers(-9, 9),
    "ident": st.text(max_size=3),
    "count": st.none() | st.integers(-(2**31), 2**31 - 1),
    "data": st.dictionaries(st.text(max_size=2), st.integers() | st.text(max_size=2), max_size=2),
}
FIELDS = list(GOOD)
SELECTABLE = [
    *(f for f in FIELDS if f not in ("parts", "spare")),
    *["later", "fails", "__typename", "child { name colour }", "a: name"],
    *["parts { label weight }", "parts { weight __typename }", "spare { label }"],
]


def _thing(values: dict[str, Any]) -> Thing:
    thing = Thing.__new__(Thing)  # any values at all, as a bug elsewhere might leave them
    vars(thing).update(values)
    return thing


def _run(document: str, executor: type[StrawberryGraphQLCoreExecutionContext]) -> Any:
    async def run() -> ExecutionResult:
        done = execute(OWN_SCHEMA, parse(document), executor_class=executor)
        return await done if isawaitable(done) else done

    result = asyncio.run(run())
    return json.dumps(result.formatted, default=repr)


@given(
    things=st.lists(
        st.fixed_dictionaries(
            {f: st.one_of(good, good, good, ANY_VALUE) for f, good in GOOD.items()}
        ),
        max_size=3,
    ),
    chosen=st.lists(st.sampled_from(SELECTABLE), min_size=1, max_size=6),
)
def test_any_values_are_answered_as_graphql_core_answers_them(
    things: list[dict[str, Any]], chosen: list[str]
) -> None:
    THINGS[:] = [_thing(t) for t in things]
    document = "{ things { " + " ".join(chosen) + " } }"
    assert _run(document, Executor) == _run(document, StrawberryGraphQLCoreExecutionContext)


@pytest.mark.parametrize(
    "parts",
    [
        [{"label": "a", "weight": 1.0}, None],
        [None],
        [{"label": None, "weight": None}],
        [{"label": "a", "weight": "x"}],
        [{"label": "a", "weight": float("inf")}],
        [{"label": "a"}],
        [],
        None,
        "ab",
    ],
)
def test_lists_of_objects_are_answered_as_graphql_core_answers_them(parts: Any) -> None:
    items = (
        [_part(p) if isinstance(p, dict) else p for p in parts] if type(parts) is list else parts
    )
    for field in ("parts", "spare"):
        THINGS[:] = [_thing({field: items, "name": "n"})]
        for document in (
            "{ things { name " + field + " { label weight } } }",
            "{ things { " + field + " { weight } name } }",
        ):
            plain = _run(document, StrawberryGraphQLCoreExecutionContext)
            assert _run(document, Executor) == plain, (field, document)


def test_the_plain_lane_is_taken_and_leaves_nothing_for_graphql_core_on_good_values(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    good = {
        "name": "n",
        "maybe": None,
        "colour": Colour.GREEN,
        "shade": None,
        "size": Size.LARGE,
        "tags": ["a"],
        "loose": ["x", None],
        "score": 1.5,
        "ident": "i",
        "count": 3,
        "data": {"k": 1},
    }
    part = {"label": "p", "weight": None}
    THINGS[:] = [_thing({**good, "parts": [_part(part)], "spare": None})]
    document = "{ things { " + " ".join(good) + " later parts { label weight } spare { label } } }"
    lists: list[int] = []
    read_items = execution._read_items
    monkeypatch.setattr(
        execution, "_read_items", lambda *args: lists.append(1) or read_items(*args)
    )
    answer = json.loads(_run(document, Executor))
    assert lists == [1]  # the list of parts, read without graphql-core
    expected = {**good, "colour": "GREEN", "size": "LARGE", "later": "n"}
    assert answer == {"data": {"things": [{**expected, "parts": [part], "spare": None}]}}
    assert _run(document, Executor) == _run(document, StrawberryGraphQLCoreExecutionContext)


# --- lists of an interface: each item as the object type of its class -----------------------


def _shape(cls: type, values: dict[str, Any], cast_to: type | None = None) -> Any:
    shape = cls.__new__(cls)
    vars(shape).update(values)
    return shape if cast_to is None else strawberry.cast(cast_to, shape)


SHAPE_VALUES = st.fixed_dictionaries(
    {  # values of the types, and one time in four any value at all
        name: st.one_of(good, good, good, ANY_VALUE)
        for name, good in {
            "label": st.text(max_size=2),
            "sides": st.none() | st.integers(0, 9),
            "side": st.floats(allow_nan=False, allow_infinity=False),
            "radius": st.none() | st.floats(allow_nan=False, allow_infinity=False),
            "tags": st.lists(st.text(max_size=2), max_size=2),
        }.items()
    }
)
SHAPE = st.one_of(
    *[SHAPE_VALUES.map(lambda v, cls=cls: _shape(cls, v)) for cls in (Square, Circle)] * 3,
    SHAPE_VALUES.map(lambda v: _shape(Blob, v)),
    SHAPE_VALUES.map(lambda v: _shape(Tile, v)),
    SHAPE_VALUES.map(lambda v: _shape(Square, v, cast_to=Circle)),
    st.just(Foreign()),
    st.none(),
)
SHAPE_SELECTABLE = [
    *["label", "sides", "__typename", "a: label", "... on Square { side }"],
    *["... on Circle { radius tags }", "... on Blob { size }", "... on Shape { sides }"],
    *["... on Circle { label @skip(if: true) }", "label @include(if: true)"],
]


@given(
    shapes=st.lists(SHAPE, max_size=4),
    chosen=st.lists(st.sampled_from(SHAPE_SELECTABLE), min_size=1, max_size=5),
)
def test_lists_of_an_interface_are_answered_as_graphql_core_answers_them(
    shapes: list[Any], chosen: list[str]
) -> None:
    SHAPES[:] = shapes
    for field in ("shapes", "looseShapes"):
        document = "{ " + field + " { " + " ".join(chosen) + " } }"
        plain = _run(document, StrawberryGraphQLCoreExecutionContext)
        assert _run(document, Executor) == plain, document


def test_a_list_of_an_interface_is_read_item_by_item_on_good_values(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    SHAPES[:] = [
        _shape(Square, {"label": "s", "sides": 4, "side": 2.0}),
        _shape(Circle, {"label": "c", "sides": None, "radius": 1.5, "tags": ["t"]}),
    ]
    read: list[bool] = []
    read_items = execution._read_items
    monkeypatch.setattr(
        execution, "_read_items", lambda *a: read.append(bool(v := read_items(*a))) or v
    )
    document = "{ shapes { label ... on Square { side } ... on Circle { radius tags } } }"
    answer = json.loads(_run(document, Executor))
    assert read == [True]  # answered without graphql-core's per-item completion
    assert answer == {
        "data": {
            "shapes": [
                {"label": "s", "side": 2.0},
                {"label": "c", "radius": 1.5, "tags": ["t"]},
            ]
        }
    }
    # A cast item, an item of another class, a field with a resolver: graphql-core's way.
    for shapes, selection in (
        ([_shape(Square, {"label": "s", "sides": 4}, cast_to=Circle)], "label"),
        ([_shape(Tile, {"label": "s", "sides": 4, "side": 1.0})], "label"),
        ([_shape(Blob, {"label": "b", "sides": None})], "label ... on Blob { size }"),
    ):
        SHAPES[:] = shapes
        read.clear()
        document = "{ shapes { " + selection + " } }"
        assert _run(document, Executor) == _run(document, StrawberryGraphQLCoreExecutionContext)
        assert read in ([], [False]), selection


# --- the app's schema: both stores, byte for byte --------------------------------------------

DOCUMENTS = [
    # What bench/api.py sends.
    "query($m: ID!) { nodes(mapId: $m, first: 100) "
    "{ edges { node { id kind name edges { id kind fromId toId } } } } }",
    "query($m: ID!, $id: ID!) { neighborhood(mapId: $m, id: $id, depth: 2) "
    "{ nodes { id kind name } edges { id kind fromId toId } } }",
    # Every field of every type.
    "query($m: ID!) { nodes(mapId: $m, first: 100) { totalCount pageInfo { hasNextPage "
    "endCursor } edges { cursor node { __typename mapId id kind name description tags sources "
    "attributes ... on AISystem { domain purpose automationLevel stakes errorRate } "
    "... on Organization { sector } ... on UserGroup { size } "
    "... on AffectedCommunity { population vulnerability } ... on OversightBody { bodyType } "
    "... on Mechanism { mechanismType capacityPerMonth accessibility } "
    "... on Incentive { polarity strength } } } } }",
    "query($m: ID!) { edges(mapId: $m, first: 200) { nodes { __typename mapId id kind fromId "
    "toId description sources attributes canOverride severity volumePerMonth contestsPerMonth "
    "authority from { id } to { id kind } } } }",
    "query($m: ID!, $id: ID!) { neighborhood(mapId: $m, id: $id, depth: 3) { depth center "
    "{ id name x: kind } nodes { ...N } edges { id same: id kind @skip(if: true) } } } "
    "fragment N on MapNode { id kind tags neighbors(direction: OUT) { id } "
    "edges(kind: [AFFECTS], direction: IN) { id severity } }",
    # Errors and nulls where graphql-core words them.
    'query($m: ID!) { node(mapId: $m, id: "no-such-node") { id } '
    "nodes(mapId: $m, first: 2) { nodes { id } } }",
]

PAGE_AFTER = (
    "query($m: ID!, $after: String) { nodes(mapId: $m, first: 50, after: $after) "
    "{ totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } "
    "edges { cursor node { id kind name tags edges { id kind fromId toId } } } } }"
)


def _maps() -> list[StakeholderMap]:
    seeds = [load_map_file(p) for p in sorted(SEEDS.glob("*.yaml")) if p.stem != "template"]
    return [*seeds, StakeholderMap.model_validate(generate_map_data(300, seed=3))]


@pytest.fixture
async def reference(
    make_client: Any, monkeypatch: pytest.MonkeyPatch, client: Client
) -> tuple[Client, Client]:
    """The app as it is, and the same app on strawberry's own executor, over one store."""
    with monkeypatch.context() as patched:
        patched.setattr(schema_module, "Executor", StrawberryGraphQLCoreExecutionContext)
        plain: Client = await make_client()
    return client, plain


@pytest.mark.anyio
async def test_the_app_answers_byte_for_byte_as_on_graphql_core(
    reference: tuple[Client, Client],
) -> None:
    ours, plain = reference
    for m in _maps():
        ours.store.save_map(m, replace=True)
        centre = next(n.id for n in m.nodes if n.kind == "AffectedCommunity")
        for document in DOCUMENTS:
            body = {"query": document, "variables": {"m": m.id, "id": centre}}
            got = await ours.http.post("/graphql", json=body)
            want = await plain.http.post("/graphql", json=body)
            assert got.status_code == want.status_code == 200
            assert got.content == want.content, document
            assert "errors" not in got.json() or "no-such-node" in document


# --- GraphQL objects from domain models -----------------------------------------------------


def test_graphql_objects_hold_what_their_models_hold() -> None:
    """As built before by way of ``model_dump`` and strawberry's ``__init__``."""
    for m in _maps():
        for n in m.nodes:
            old = NODE_TYPES[n.kind](
                map_id=strawberry.ID(m.id),
                **{**n.model_dump(by_alias=False), "kind": NodeKindValue(n.kind)},
            )
            new = node_type(m.id, n)
            assert type(new) is type(old) and vars(new) == vars(old)
            assert type(new.kind) is NodeKindValue
        for e in m.edges:
            data = e.model_dump(by_alias=False)
            old_edge = MapEdge(
                map_id=strawberry.ID(m.id),
                id=data.pop("id"),
                kind=EdgeKind(data.pop("kind")),
                from_id=data.pop("from_"),
                to_id=data.pop("to"),
                **{k: data.pop(k) for k in ("description", "sources", "attributes")},
                **{k: data.pop(k, None) for k in ("can_override", "severity", "authority")},
                **{k: data.pop(k, None) for k in ("volume_per_month", "contests_per_month")},
            )
            assert data == {}
            new_edge = MapEdge.from_model(m.id, e)
            assert vars(new_edge) == vars(old_edge) and type(new_edge.kind) is EdgeKind


# --- the two stores answer alike -------------------------------------------------------------


class _KeptOpen:
    """A store the app may close without closing it."""

    def __init__(self, inner: GraphStore) -> None:
        self.inner = inner

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def close(self) -> None:
        pass


@pytest.mark.neo4j
@pytest.mark.anyio
async def test_neo4j_and_sqlite_answer_pages_and_neighbourhoods_alike(
    sqlite_store: SqliteStore,
    neo4j_store: GraphStore,
    neo4j_settings: Settings,
    mid: Callable[[str], str],
    tmp_path: Path,
) -> None:
    m = StakeholderMap.model_validate(generate_map_data(300, seed=5, map_id=mid("alike")))
    centres = [n.id for n in m.nodes if n.kind in ("AffectedCommunity", "Organization")][:4]
    after = encode_cursor("node", sorted(n.id for n in m.nodes)[150])
    bodies = [
        {"query": document, "variables": {"m": m.id, "id": centre, "after": after}}
        for document in [*DOCUMENTS, PAGE_AFTER]
        for centre in centres
    ]
    sqlite_settings = Settings(store=f"sqlite:///{tmp_path / 'graphsvc.sqlite'}")
    answers = []
    for store, settings in ((sqlite_store, sqlite_settings), (neo4j_store, neo4j_settings)):
        store.save_map(m)
        kept = _KeptOpen(store)  # the fixtures close the stores (and drop the test's maps)
        app = create_app(settings, store_opener=lambda _, kept=kept: kept)  # type: ignore[misc]
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1"
            ) as http,
        ):
            answers.append([(await http.post("/graphql", json=b)).content for b in bodies])
    assert answers[0] == answers[1]
    assert all(b'"errors"' not in a or b"no-such-node" in a for a in answers[0])

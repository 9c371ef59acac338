"""The fast path of reading a map (whole sections per pydantic-core call, set-based integrity
checks) against the element-by-element path that words every problem: on any document, when
the fast path accepts, the reporting path accepts the same map; when the reporting path
rejects, the fast path never accepts."""

from __future__ import annotations

import contextlib
import copy
import gc
import json
import sys
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphsvc.domain import mapfile
from graphsvc.domain.document import Document, parse_json
from graphsvc.domain.integrity import integrity_problems, is_consistent
from graphsvc.domain.kinds import ENDPOINTS, NodeKind
from graphsvc.domain.mapfile import (
    _valid_map,
    _validate_reporting,
    load_map_text,
    validate_document,
)
from graphsvc.domain.model import (
    EDGE_ADAPTER,
    NODE_ADAPTER,
    Source,
    StakeholderMap,
    derived_edge_id,
)
from graphsvc.domain.synthetic import generate_map_data
from graphsvc.errors import InvalidInput
from tests.test_fuzz_mapfile import VALID, mutate, values

IDS = ["a", "b", "c", "d", "e", "f"]
NODE_KINDS = [str(k) for k in NodeKind]
EDGE_KINDS = [str(k) for k in ENDPOINTS]
PROPERTY = settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))


@st.composite
def map_data(draw: Any) -> dict[str, Any]:
    """Small documents whose ids collide often: duplicate ids, repeated and misdirected edges,
    dangling references, explicit edge ids equal to derived ones, edges given as models."""
    sources = [{"id": f"s{i}"} for i in range(draw(st.integers(0, 3)))]
    if sources and draw(st.integers(0, 9)) == 0:
        sources.append({"id": "s0"})
    refs = st.lists(st.sampled_from(["s0", "s1", "s2", "zz"]), max_size=2)
    nodes: list[Any] = []
    for node_id in draw(st.lists(st.sampled_from(IDS), min_size=1, max_size=6, unique=True)):
        nodes.append({"id": node_id, "kind": draw(st.sampled_from(NODE_KINDS)), "name": node_id})
    if draw(st.integers(0, 9)) == 0:
        nodes.append({"id": nodes[0]["id"], "kind": "Organization", "name": "again"})
    if draw(st.integers(0, 9)) == 0:
        nodes[-1]["sources"] = draw(refs)
    kinds_of: dict[str, list[str]] = {}
    for n in nodes:
        kinds_of.setdefault(n["kind"], []).append(n["id"])
    edges: list[Any] = []
    for _ in range(draw(st.integers(0, 10))):
        kind = draw(st.sampled_from(EDGE_KINDS))
        froms, tos = ENDPOINTS[kind]  # type: ignore[index]
        fitting_from = [i for k in sorted(froms) for i in kinds_of.get(k, [])]
        fitting_to = [i for k in sorted(tos) for i in kinds_of.get(k, [])]
        if fitting_from and fitting_to and draw(st.integers(0, 9)):
            source, target = draw(st.sampled_from(fitting_from)), draw(st.sampled_from(fitting_to))
        else:
            source = draw(st.sampled_from([*IDS, "ghost"]))
            target = draw(st.sampled_from([*IDS, "ghost"]))
        spec: dict[str, Any] = {"from": source, "to": target, "kind": kind}
        choice = draw(st.integers(0, 12))
        if choice == 0:
            spec["id"] = draw(st.sampled_from(["e1", "e2", ""]))
        elif choice == 1 and edges:
            other = (
                edges[-1] if isinstance(edges[-1], dict) else edges[-1].model_dump(by_alias=True)
            )
            spec["id"] = derived_edge_id(other["from"], other["kind"], other["to"])
        elif choice == 2:
            spec["id"] = derived_edge_id(source, kind, target)
        elif choice == 3:
            spec["sources"] = draw(refs)
        elif choice == 4 and kind == "AFFECTS":
            spec["volumePerMonth"] = -1
        elif choice in (5, 6) and edges and isinstance(edges[-1], dict):
            # The previous edge again, with or without an id of its own.
            spec = {k: edges[-1][k] for k in ("from", "to", "kind")}
            if choice == 5:
                spec["id"] = draw(st.sampled_from(["e3", "e4"]))
        edges.append(spec)
    if edges and draw(st.integers(0, 4)) == 0:
        # An element that is already a model (as callers building data from maps pass it).
        # (Not nodes: the reporting path takes the ids of nodes from mappings only, so a node
        # given as a model escapes its duplicate and reference checks; no caller does that.)
        with contextlib.suppress(ValueError):
            edges[0] = EDGE_ADAPTER.validate_python(edges[0])
    return {"map": {"id": "m"}, "sources": sources, "nodes": nodes, "edges": edges}


def reporting_outcome(data: Any) -> StakeholderMap | list[tuple[Any, ...]]:
    try:
        return _validate_reporting(Document(data, "m.json", None))
    except InvalidInput as exc:
        return [(p.message, p.path, p.file, p.line, p.value) for p in exc.problems]


def an_id_is_another_edges_derived_id(m: StakeholderMap) -> bool:
    """The documented case where the fast path defers a valid map to the reporting path."""
    return any(
        a.id == derived_edge_id(b.from_, b.kind, b.to)
        for a in m.edges
        for b in m.edges
        if a is not b
    )


def assert_same_map(fast: StakeholderMap, slow: StakeholderMap) -> None:
    assert fast == slow
    assert fast.model_fields_set == slow.model_fields_set
    for a, b in zip([*fast.nodes, *fast.edges], [*slow.nodes, *slow.edges], strict=True):
        assert type(a) is type(b)
        assert a.model_fields_set == b.model_fields_set
    assert fast.model_dump(mode="json") == slow.model_dump(mode="json")


def check(data: Any) -> None:
    fast = _valid_map(data)
    slow = reporting_outcome(data)
    if fast is not None:
        assert isinstance(slow, StakeholderMap), slow
        assert_same_map(fast, slow)
    elif isinstance(slow, StakeholderMap):
        assert an_id_is_another_edges_derived_id(slow)
    # And the public entry point gives exactly the reporting path's answer.
    try:
        public: Any = validate_document(Document(data, "m.json", None))
    except InvalidInput as exc:
        public = [(p.message, p.path, p.file, p.line, p.value) for p in exc.problems]
    assert public == slow


#: Paths into a map document, for mutating one place of a valid map.
document_paths = st.lists(
    st.one_of(
        st.integers(0, 50),
        st.sampled_from(["map", "nodes", "edges", "id", "kind", "from", "to", "sources"]),
    ),
    max_size=4,
)


@PROPERTY
@given(map_data())
def test_fast_and_reporting_paths_agree_on_colliding_maps(data: dict[str, Any]) -> None:
    check(data)


@PROPERTY
@given(
    document_paths,
    values,
)
def test_fast_and_reporting_paths_agree_on_mutated_maps(path: list[Any], new: Any) -> None:
    check(mutate(VALID, path, new))


def test_a_generated_map_takes_the_fast_path_to_the_same_map() -> None:
    data = json.loads(json.dumps(generate_map_data(300, seed=3)))
    fast = _valid_map(data)
    assert fast is not None
    slow = reporting_outcome(data)
    assert isinstance(slow, StakeholderMap)
    assert_same_map(fast, slow)
    # Edge endpoints share their node's id string (memory), equal as before.
    ids = {n.id: n.id for n in fast.nodes}
    assert all(e.from_ is ids[e.from_] and e.to is ids[e.to] for e in fast.edges)
    # Each element keeps a set of its own (pydantic adds to it on assignment), sized to fit.
    elements = [*fast.nodes, *fast.edges]
    assert len({id(m.__pydantic_fields_set__) for m in elements}) == len(elements)
    assert max(sys.getsizeof(m.__pydantic_fields_set__) for m in elements) < 500
    edge = fast.edges[0]
    edge.description = "changed"
    assert "description" in edge.model_fields_set
    assert "description" not in fast.edges[1].model_fields_set


def outcome_of_text(read: Any, text: str) -> StakeholderMap | list[tuple[Any, ...]]:
    try:
        return read(text)  # type: ignore[no-any-return]
    except InvalidInput as exc:
        return [(p.message, p.path, p.file, p.line, p.value) for p in exc.problems]


@PROPERTY
@given(
    document_paths,
    values,
    st.sampled_from([1, 2, 3, 10_000]),
)
def test_json_text_read_in_chunks_gives_the_reporting_paths_answer(
    path: list[Any], new: Any, chunk: int
) -> None:
    # load_map_text lets go of each raw element once validated (in chunks) and parses the
    # text again when the map is invalid: the answer must not depend on either.
    text = json.dumps(mutate(VALID, path, new))
    expected = outcome_of_text(lambda t: _validate_reporting(parse_json(t, "m.json")), text)
    saved = mapfile._CHUNK
    mapfile._CHUNK = chunk
    try:
        got = outcome_of_text(lambda t: load_map_text(t, file="m.json"), text)
    finally:
        mapfile._CHUNK = saved
    assert got == expected
    if isinstance(got, StakeholderMap):
        assert isinstance(expected, StakeholderMap)
        assert_same_map(got, expected)


def test_an_error_after_the_first_chunk_is_reported_as_before() -> None:
    data = generate_map_data(3_000, seed=2)
    assert len(data["edges"]) > mapfile._CHUNK
    data["edges"][-1]["to"] = "nobody"
    data["nodes"][-1]["errorRate"] = 2
    text = json.dumps(data, indent=1)
    expected = outcome_of_text(lambda t: _validate_reporting(parse_json(t, "m.json")), text)
    got = outcome_of_text(lambda t: load_map_text(t, file="m.json"), text)
    assert isinstance(got, list) and len(got) == 2
    assert got == expected


SMALL = {
    "map": {"id": "m"},
    "sources": [{"id": "s1"}, {"id": "s2"}],
    "nodes": [
        {"id": "org", "kind": "Organization", "name": "Org", "sources": ["s1"]},
        {"id": "sys", "kind": "AISystem", "name": "Sys"},
        {"id": "com", "kind": "AffectedCommunity", "name": "Com"},
    ],
    "edges": [
        {"from": "org", "to": "sys", "kind": "DEPLOYS"},
        {"from": "sys", "to": "com", "kind": "AFFECTS", "id": "hits", "sources": ["s2"]},
    ],
}
DEPLOYS = {"from": "org", "to": "sys", "kind": "DEPLOYS"}


@pytest.mark.parametrize(
    ("section", "element"),
    [
        ("sources", {"id": "s1"}),
        ("nodes", {"id": "sys", "kind": "Organization", "name": "Again"}),
        ("nodes", {"id": "x", "kind": "Organization", "name": "X", "sources": ["nope"]}),
        ("edges", {**DEPLOYS, "id": "again"}),
        ("edges", {"from": "sys", "to": "com", "kind": "AFFECTS", "id": "hits-too"}),
        ("edges", {"from": "sys", "to": "com", "kind": "AFFECTS"}),
        ("edges", {"from": "org", "to": "sys", "kind": "DEVELOPS", "id": "hits"}),
        ("edges", {"from": "org", "to": "sys", "kind": "DEVELOPS", "sources": ["nope"]}),
        ("edges", {"from": "com", "to": "sys", "kind": "DEVELOPS"}),
        ("edges", {"from": "org", "to": "com", "kind": "DEVELOPS"}),
        ("edges", {"from": "org", "to": "ghost", "kind": "DEVELOPS"}),
        ("edges", {"from": "ghost", "to": "sys", "kind": "DEVELOPS"}),
    ],
)
def test_each_rule_spanning_the_map_keeps_a_map_off_the_fast_path(
    section: str, element: dict[str, Any]
) -> None:
    assert _valid_map(SMALL) is not None
    data = {**SMALL, section: [*SMALL[section], element]}  # type: ignore[list-item]
    assert _valid_map(data) is None
    assert not isinstance(reporting_outcome(data), StakeholderMap)
    edges_as_models = {**data, "edges": [EDGE_ADAPTER.validate_python(e) for e in data["edges"]]}
    assert _valid_map(edges_as_models) is None


@PROPERTY
@given(map_data())
def test_set_checks_match_the_worded_checks_when_no_edge_has_an_id(data: dict[str, Any]) -> None:
    sources = [Source.model_validate(s) for s in data["sources"]]
    nodes = [NODE_ADAPTER.validate_python(n) for n in data["nodes"]]
    edges = []
    for spec in data["edges"]:
        if isinstance(spec, dict) and "id" not in spec:
            try:
                edges.append(EDGE_ADAPTER.validate_python(spec))
            except ValueError:
                continue
    found = list(
        integrity_problems(
            list(enumerate(sources)),
            list(enumerate(nodes)),
            list(enumerate(edges)),
            raw_source_ids=[(i, s.id) for i, s in enumerate(sources)],
            raw_node_ids=[(i, n.id) for i, n in enumerate(nodes)],
        )
    )
    assert is_consistent(sources, nodes, edges, explicit_ids=[]) == (not found)
    assert is_consistent(sources, nodes, edges) == (not found)


def test_the_collector_is_left_as_it_was() -> None:
    text = json.dumps(generate_map_data(50, seed=1))
    assert gc.isenabled()
    validate_document(parse_json(text, None))
    assert gc.isenabled() and gc.get_freeze_count() == 0
    gc.disable()
    try:
        validate_document(parse_json(text, None))
        assert not gc.isenabled()
    finally:
        gc.enable()
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        validate_document(parse_json(text, None))
        assert gc.get_freeze_count() == frozen  # someone else's frozen objects stay frozen
    finally:
        gc.unfreeze()
    with pytest.raises(InvalidInput):
        validate_document(parse_json('{"map": {"id": "Bad Id"}}', None))
    assert gc.isenabled()


def test_duplicate_json_keys_name_the_first_repeated_key() -> None:
    text = '{"map": {"id": "x", "title": "a", "id": "y", "title": "b"}}'
    with pytest.raises(InvalidInput) as caught:
        parse_json(text, "m.json")
    assert [p.message for p in caught.value.problems] == ["malformed JSON: duplicate key 'id'"]


def _problems_one_by_one(doc: Document) -> list[Any]:
    """The reporting path's problems, every element validated on its own (the reference)."""

    def singly(data: Any, key: str, model: Any, many: Any, report: Any) -> list[tuple[int, Any]]:
        raw = data.get(key)
        if raw is None:
            return []
        if not isinstance(raw, list):
            report(f"'{key}' must be a list", [key], mapfile._kind_of(raw))
            return []
        found = [(i, mapfile._one(model, item, [key, i], report)) for i, item in enumerate(raw)]
        return [(i, valid) for i, valid in found if valid is not None]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(mapfile, "_section", singly)
        return _reported(doc)


def _reported(doc: Document) -> list[Any]:
    try:
        return [_validate_reporting(doc).model_dump()]
    except InvalidInput as exc:
        return [(p.message, p.path, p.line, p.value) for p in exc.problems]


@PROPERTY
@given(
    st.lists(st.tuples(document_paths, values), max_size=4),
    st.integers(1, 4),
)
def test_reporting_in_chunks_words_the_same_problems_as_one_by_one(
    mutations: list[tuple[list[Any], Any]], chunk: int
) -> None:
    """Sections go through pydantic a chunk at a time and only a chunk with a problem is
    validated element by element: the problems (message, path, line, value) and the map are
    those of validating every element on its own, wherever the bad elements fall."""
    data: Any = VALID
    for path, new in mutations:
        data = mutate(data, path, new)
    try:
        text = json.dumps(data, allow_nan=False)
    except ValueError:  # not JSON (inf, nan): no lines to check, the rest still is
        text = None

    def document() -> Document:
        return parse_json(text, "m.json") if text else Document(copy.deepcopy(data), "m", None)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(mapfile, "_REPORT_CHUNK", chunk)
        chunked = _reported(document())
    assert chunked == _problems_one_by_one(document())


def test_one_bad_element_in_a_large_map_is_reported_without_validating_the_rest_singly() -> None:
    """The reason for chunks: the element-by-element path runs on the bad chunk only."""
    data = generate_map_data(3_000, seed=1)
    data["edges"][-1]["to"] = "no-such-node"
    data["nodes"][1_500]["kind"] = "Nonsense"
    calls: list[int] = []
    real_one = mapfile._one

    def counting(*args: Any) -> Any:
        calls.append(1)
        return real_one(*args)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(mapfile, "_one", counting)
        with pytest.raises(InvalidInput) as caught:
            validate_document(parse_json(json.dumps(data), "big.json"))
    assert len(calls) == mapfile._REPORT_CHUNK + 1  # the bad node's chunk, and the map section
    messages = [p.path for p in caught.value.problems]
    assert any(path.startswith("nodes[1500]") for path in messages), messages
    assert any(path.startswith(f"edges[{len(data['edges']) - 1}]") for path in messages), messages

"""A GraphQL request body is JSON in UTF-8 with valid Unicode: anything else is the client's
400, decided alike whether or not the body needs the full check for lone surrogates."""

from __future__ import annotations

import json
from typing import Any

import pytest
from cross_web import HTTPException
from hypothesis import example, given
from hypothesis import strategies as st

from graphsvc.api.graphql.router import GraphQLEndpoint, valid_unicode
from graphsvc.api.graphql.schema import build_schema

ENDPOINT = GraphQLEndpoint(build_schema())

# Any code point, surrogates included (hypothesis leaves them out of text() by default).
TEXT = st.text(st.characters(min_codepoint=0, max_codepoint=0x10FFFF))
VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=12,
)


def _decoded(data: str | bytes) -> Any:
    """The decoded value, or the client error (HTTP 400) that refuses it."""
    try:
        return ENDPOINT.decode_json(data)
    except HTTPException as exc:
        refused = exc
    assert refused.status_code == 400
    return refused


@given(VALUES, st.booleans())
@example({"query": "\ud800"}, True)
@example({"query": "\ud83d\ude00"}, False)
@example(["\\ud800"], True)  # a backslash, then text that only looks like an escape
def test_a_body_is_refused_exactly_when_it_holds_a_lone_surrogate(
    value: Any, ascii_only: bool
) -> None:
    text = json.dumps(value, ensure_ascii=ascii_only)
    body = text.encode("utf-8", "surrogatepass")  # raw surrogates: bytes UTF-8 refuses
    got = _decoded(body)
    if valid_unicode(value):
        assert got == value
    else:
        assert isinstance(got, HTTPException)
    as_text = _decoded(text)  # a GET request's variables arrive as text, not bytes
    assert (as_text == value) if valid_unicode(value) else isinstance(as_text, HTTPException)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b'{"query": "\\ud800"}', "lone surrogate"),
        (b'{"query": "\\uDFFF x"}', "lone surrogate"),
        (b'{"query": "\xed\xa0\x80"}', "not UTF-8"),
        (b'{"query": ', "Expecting value"),
    ],
)
def test_refused_bodies_say_why(body: bytes, reason: str) -> None:
    got = _decoded(body)
    assert isinstance(got, HTTPException) and reason in got.reason

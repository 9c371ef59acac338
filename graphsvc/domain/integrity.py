"""Rules that span a whole map: unique ids, references that resolve, allowed endpoints."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import chain
from operator import attrgetter

from graphsvc.domain.kinds import ENDPOINTS
from graphsvc.domain.model import AnyEdge, AnyNode, Source, derived_edge_id
from graphsvc.errors import Problem

#: ENDPOINTS with plain strings: validated elements carry their kind as text, and building an
#: enum member per element was most of the cost of these checks on large maps.
_ALLOWED: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    str(kind): (frozenset(map(str, sources)), frozenset(map(str, targets)))
    for kind, (sources, targets) in ENDPOINTS.items()
}
#: Every allowed (edge kind, source kind, target kind).
_ALLOWED_TRIPLES: frozenset[tuple[str, str, str]] = frozenset(
    (kind, source, target)
    for kind, (sources, targets) in _ALLOWED.items()
    for source in sources
    for target in targets
)
_ID = attrgetter("id")
_KIND = attrgetter("kind")
_FROM = attrgetter("from_")
_TO = attrgetter("to")
_SOURCES = attrgetter("sources")
_TRIPLE = attrgetter("kind", "from_", "to")


def integrity_problems(
    sources: Sequence[tuple[int, Source]],
    nodes: Sequence[tuple[int, AnyNode]],
    edges: Sequence[tuple[int, AnyEdge]],
    *,
    raw_source_ids: Sequence[tuple[int, str]],
    raw_node_ids: Sequence[tuple[int, str]],
) -> Iterator[Problem]:
    """Problems between valid elements; indexes are positions in the document.

    ``raw_*_ids`` also hold ids of elements that failed their own validation, so that a
    duplicate among them is still found and a reference to them is not reported again
    as dangling.
    """
    yield from _duplicates("sources", raw_source_ids)
    yield from _duplicates("nodes", raw_node_ids)
    yield from _duplicates("edges", [(i, e.id) for i, e in edges if not _is_derived(e)])
    known_source_ids = {source_id for _, source_id in raw_source_ids}
    known_node_ids = {node_id for _, node_id in raw_node_ids}
    for index, node in nodes:
        yield from _source_refs(f"nodes[{index}]", node.sources, known_source_ids)
    kinds = {node.id: node.kind for _, node in nodes}
    seen: dict[tuple[str, str, str], int] = {}
    for index, edge in edges:
        where = f"edges[{index}]"
        yield from _source_refs(where, edge.sources, known_source_ids)
        allowed_from, allowed_to = _ALLOWED[edge.kind]
        for end, node_id, allowed in (
            ("from", edge.from_, allowed_from),
            ("to", edge.to, allowed_to),
        ):
            if node_id not in known_node_ids:
                yield Problem(f"unknown node {node_id!r}", f"{where}.{end}", value=node_id)
            elif node_id in kinds and kinds[node_id] not in allowed:
                names = ", ".join(sorted(allowed))
                yield Problem(
                    f"{edge.kind} cannot {'start' if end == 'from' else 'end'} at "
                    f"{kinds[node_id]} {node_id!r} (allowed: {names})",
                    f"{where}.{end}",
                    value=node_id,
                )
        triple = (edge.kind, edge.from_, edge.to)
        if triple in seen:
            yield Problem(
                f"second {edge.kind} edge from {edge.from_!r} to {edge.to!r} "
                f"(first is edges[{seen[triple]}]); at most one edge of a kind between two nodes",
                where,
            )
        else:
            seen[triple] = index


def is_consistent(
    sources: Sequence[Source],
    nodes: Sequence[AnyNode],
    edges: Sequence[AnyEdge],
    *,
    explicit_ids: Sequence[int] | None = None,
) -> bool:
    """Whether a map whose every element is valid breaks none of the rules above.

    The fast check for large maps: whole-map set operations instead of a message per element.
    ``explicit_ids`` are the positions of the edges that may have been given an id (None: any
    edge may); every other edge's id is its derived ``FROM--KIND--TO``, which stands for its
    (kind, from, to). True means ``integrity_problems`` finds nothing. False means it may
    find something; it is also False for one kind of map where it finds nothing (an edge
    given an id that is another edge's derived id), so callers that get False run
    ``integrity_problems`` for the verdict.
    """
    source_ids = set(map(_ID, sources))
    kind_of = dict(zip(map(_ID, nodes), map(_KIND, nodes), strict=True))
    edge_ids = set(map(_ID, edges))
    if explicit_ids is None:
        unique_triples = len(set(map(_TRIPLE, edges))) == len(edges)
    else:
        # An edge given its own derived id is like one given none; the others' triples
        # must not repeat among themselves nor stand for another edge's (derived) id.
        derived = [
            d for d, e in ((_derived(edges[i]), edges[i]) for i in explicit_ids) if d != e.id
        ]
        unique_triples = len(set(derived)) == len(derived) and edge_ids.isdisjoint(derived)
    return (
        len(source_ids) == len(sources)
        and len(kind_of) == len(nodes)
        and len(edge_ids) == len(edges)
        and unique_triples
        and source_ids.issuperset(chain.from_iterable(map(_SOURCES, nodes)))
        and source_ids.issuperset(chain.from_iterable(map(_SOURCES, edges)))
        and _ALLOWED_TRIPLES.issuperset(
            zip(
                map(_KIND, edges),
                map(kind_of.get, map(_FROM, edges)),
                map(kind_of.get, map(_TO, edges)),
                strict=True,
            )
        )
    )


def _derived(edge: AnyEdge) -> str:
    return derived_edge_id(edge.from_, edge.kind, edge.to)


def _is_derived(edge: AnyEdge) -> bool:
    # Two edges with the same derived id are reported once, as a repeated (kind, from, to).
    return edge.id == derived_edge_id(edge.from_, edge.kind, edge.to)


def _duplicates(section: str, ids: Sequence[tuple[int, str]]) -> Iterator[Problem]:
    first: dict[str, int] = {}
    for index, item_id in ids:
        if item_id in first:
            yield Problem(
                f"duplicate id {item_id!r} (first used at {section}[{first[item_id]}])",
                f"{section}[{index}].id",
                value=item_id,
            )
        else:
            first[item_id] = index


def _source_refs(where: str, refs: Sequence[str], known: set[str]) -> Iterator[Problem]:
    for position, ref in enumerate(refs):
        if ref not in known:
            yield Problem(f"unknown source {ref!r}", f"{where}.sources[{position}]", value=ref)

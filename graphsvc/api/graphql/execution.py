"""The executor: graphql-core's, with plain attribute fields of an object read in one loop.

A page of nodes with their edges asks for about 4,000 fields, nearly all of them attributes
of an object (``id``, ``kind``, ``fromId``) with a scalar or enum type. graphql-core runs each
through the same machinery as a resolver that may fail or return a coroutine: a path, a
resolve-info object, strawberry's resolver wrapper, completion by type, and, for enums,
strawberry's scan over the members. That was half the CPU of such a request.

:class:`Executor` reads such fields straight from the object and coerces them as their type
does, reads a list of objects whose selection is all such fields item by item (a list of an
interface too, each item as the object type its class stands for), and hands every other field
(resolvers, single objects, a lone object of an interface) to graphql-core, in the order of
the selection. Whenever a plain field is not simply answered — a null where the type forbids it,
a value the type does not represent — the object (or list) is executed by graphql-core from
the start, so errors read exactly as without this executor. Nothing plain has run yet when
that happens: plain fields are read before any other field of the object.
"""

from __future__ import annotations

import weakref
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, cast
from weakref import WeakKeyDictionary

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLID,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfoHelpers,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLString,
)
from graphql.execution.collect_fields import FieldDetailsList, GroupedFieldSet
from graphql.pyutils import Path, Undefined
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.base import StrawberryObjectDefinition
from strawberry.types.cast import TYPE_CAST_ATTRIBUTE
from strawberry.types.field import StrawberryField

#: How one plain field is read: its attribute, how a value is coerced, whether null is
#: refused, and for a list, whether a null item is refused (None: not a list).
Step = tuple[str, Callable[[Any], Any], bool, bool | None]
Fields = tuple[tuple[str, Step], ...]  # the plain fields of a selection, by response key


@dataclass(frozen=True)
class Plan:
    """How to execute one selection on one object type."""

    order: tuple[str, ...]  # the response keys, in the selection's order
    plain: Fields  # the plain fields
    rest: GroupedFieldSet  # the others, for graphql-core (empty when there are none)


@dataclass(frozen=True)
class Items:
    """How the items of a list of objects are read, each one's selection all plain fields:
    the fields of the list's object type, or (a list of an interface) those of the object type
    each Python class stands for; an item of any other class goes to graphql-core."""

    fields: Fields | None  # a list of one object type
    by_class: dict[type, Fields] | None  # a list of an interface
    item_non_null: bool


_UNANSWERED = object()


def _coercion(leaf: GraphQLOutputType) -> Callable[[Any], Any] | None:
    """What graphql-core's completion does to a value of this leaf type."""
    if isinstance(leaf, GraphQLEnumType):
        # A dict lookup where strawberry scans the members, by value (as graphql-core looks a
        # value up) and by member of the Python enum (as strawberry matches one: the first
        # name with its value). A KeyError falls back to graphql-core.
        names: dict[Any, str] = {}
        for name, value in leaf.values.items():
            names.setdefault(value.value, name)
        for member in getattr(leaf, "wrapped_cls", None) or ():
            for name, value in leaf.values.items():
                if member.value == value.value:
                    names.setdefault(member, name)
                    break
        return names.__getitem__
    if isinstance(leaf, GraphQLScalarType):
        if leaf is GraphQLString or leaf is GraphQLID:
            coerce = leaf.coerce_output_value
            return lambda value: value if type(value) is str else coerce(value)
        return leaf.coerce_output_value
    return None


#: Steps by schema, then by field (a schema's fields live as long as it does, so their ids are
#: not reused meanwhile; a schema's entry goes with it). Working a step out scans an enum's
#: members: per request, that was a tenth of a computed node read.
_steps: WeakKeyDictionary[GraphQLSchema, dict[int, Step | None]] = WeakKeyDictionary()


def _step(schema: GraphQLSchema, field: GraphQLField) -> Step | None:
    """How to read a field without graphql-core, or None when it must run there (worked out
    once per field of a schema)."""
    steps = _steps.get(schema)
    if steps is None:
        steps = _steps[schema] = {}
    key = id(field)
    if key not in steps:
        steps[key] = _new_step(field)
    return steps[key]


def _new_step(field: GraphQLField) -> Step | None:
    definition = (field.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
    if (
        not isinstance(definition, StrawberryField)
        or not definition.is_basic_field
        or definition.default_resolver is not getattr
        or not getattr(field.resolve, "_is_default", False)
        or field.args
    ):
        return None
    kind: Any = field.type
    non_null = isinstance(kind, GraphQLNonNull)
    if non_null:
        kind = kind.of_type
    item_non_null: bool | None = None
    if isinstance(kind, GraphQLList):
        kind = kind.of_type
        item_non_null = isinstance(kind, GraphQLNonNull)
        if item_non_null:
            kind = kind.of_type
    coerce = _coercion(kind)
    if coerce is None:
        return None
    return definition.python_name, coerce, non_null, item_non_null


def _read(source: Any, step: Step) -> Any:
    """The completed value of a plain field, or _UNANSWERED for graphql-core to work out."""
    attribute, coerce, non_null, item_non_null = step
    value = getattr(source, attribute)
    if value is None:
        return _UNANSWERED if non_null else None
    if item_non_null is None:
        done = coerce(value)
        return _UNANSWERED if done is None or done is Undefined else done
    if type(value) is not list:
        return _UNANSWERED
    items: list[Any] = []
    for item in value:
        if item is None:
            if item_non_null:
                return _UNANSWERED
            items.append(None)
            continue
        done = coerce(item)
        if done is None or done is Undefined:
            return _UNANSWERED
        items.append(done)
    return items


class Executor(StrawberryGraphQLCoreExecutionContext):
    """strawberry's execution context, reading plain fields in one pass (module docstring)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # graphql-core's helpers for resolvers hold two bound methods of the executor, which
        # holds the helpers: a reference cycle, so every request's executor, with its context,
        # loaders and fields, waited for the cyclic collector, which then paused the event
        # loop for tens of milliseconds at a time. Held weakly, all of it is freed when the
        # request ends (the helpers are only used while the executor runs).
        executor = weakref.ref(self)
        self.async_helpers = GraphQLResolveInfoHelpers(
            gather=lambda values: _alive(executor).gather_async_work(values),
            track=lambda values: _alive(executor).track_async_work(values),
        )
        # Per selection of an object type. graphql-core keeps each grouped field set alive
        # for the whole execution (it memoizes them), so its id is not reused meanwhile.
        self._plans: dict[tuple[str, int], Plan | None] = {}
        self._items: dict[tuple[int, int], Items | None] = {}

    def _plan(self, parent_type: GraphQLObjectType, fields: GroupedFieldSet) -> Plan | None:
        key = (parent_type.name, id(fields))
        try:
            return self._plans[key]
        except KeyError:
            pass
        plain: list[tuple[str, Step]] = []
        rest: GroupedFieldSet = {}
        if self.middleware_manager is None:  # middleware wraps every resolver: none skipped
            for name, details in fields.items():
                field = self.schema.get_field(parent_type, details[0].node.name.value)
                step = None if field is None else _step(self.schema, field)
                if step is None:
                    rest[name] = details
                else:
                    plain.append((name, step))
        plan = Plan(tuple(fields), tuple(plain), rest) if plain else None
        self._plans[key] = plan
        return plan

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        grouped_field_set: GroupedFieldSet,
        position_context: Any,
    ) -> Any:
        plan = self._plan(parent_type, grouped_field_set)
        if plan is not None:
            values = _read_all(source_value, plan.plain)
            if values is not None:
                if not plan.rest:
                    return values
                done = super().execute_fields(
                    parent_type, source_value, path, plan.rest, position_context
                )
                if self.is_awaitable(done):
                    return _merged_later(plan.order, values, done)
                return _merged(plan.order, values, cast(dict[str, Any], done))
        return super().execute_fields(
            parent_type, source_value, path, grouped_field_set, position_context
        )

    def complete_list_value(
        self,
        return_type: GraphQLList[Any],
        field_details_list: FieldDetailsList,
        info: Any,
        path: Path,
        result: Any,
        position_context: Any,
    ) -> Any:
        """A list of objects whose selection is all plain fields (a neighbourhood's nodes or
        edges, a node's edges) is read item by item without graphql-core's per-item
        completion; any item not simply answered sends the whole list there."""
        if type(result) is list:
            plan = self._plain_items(return_type.of_type, field_details_list)
            if plan is not None:
                items = _read_items(result, plan)
                if items is not None:
                    return items
        return super().complete_list_value(
            return_type, field_details_list, info, path, result, position_context
        )

    def _plain_items(self, item_type: Any, field_details_list: FieldDetailsList) -> Items | None:
        key = (id(item_type), id(field_details_list))
        try:
            return self._items[key]
        except KeyError:
            pass
        found = None
        item_non_null = isinstance(item_type, GraphQLNonNull)
        named = item_type.of_type if item_non_null else item_type
        if not any(details.node.directives for details in field_details_list):
            if isinstance(named, GraphQLObjectType):
                if named.is_type_of is None:  # nothing to check per item
                    fields = self._all_plain(named, field_details_list)
                    if fields is not None:
                        found = Items(fields, None, item_non_null)
            elif isinstance(named, GraphQLInterfaceType):
                by_class = self._by_class(named, field_details_list)
                if by_class:
                    found = Items(None, by_class, item_non_null)
        # Both ids stay valid while the entry exists: the list is kept by graphql-core's own
        # memo of subfields for the whole execution, and types live in the schema.
        self._items[key] = found
        return found

    def _all_plain(
        self, object_type: GraphQLObjectType, field_details_list: FieldDetailsList
    ) -> Fields | None:
        """The plain fields of the selection on an object type, None unless all are plain."""
        grouped, deferred = self.collect_subfields(object_type, field_details_list)[:2]
        plan = None if deferred else self._plan(object_type, grouped)
        return plan.plain if plan is not None and not plan.rest else None

    def _by_class(
        self, interface: GraphQLInterfaceType, field_details_list: FieldDetailsList
    ) -> dict[type, Fields]:
        """The plain fields of the selection on each object type of an interface, by the Python
        class of that type: for an instance of exactly that class (and not cast to another
        type) strawberry's type resolution names that type and its type check passes, so the
        item completes as an object of it. Types with their own resolution or check, generic
        ones and those with a selection not all plain are left out."""
        definition = (interface.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
        if not isinstance(definition, StrawberryObjectDefinition) or definition.resolve_type:
            return {}
        by_class: dict[type, Fields] = {}
        for object_type in self.schema.get_possible_types(interface):
            own = (object_type.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
            if (
                not isinstance(own, StrawberryObjectDefinition)
                or own.name != object_type.name
                or own.is_type_of is not None
                or own.is_graphql_generic
                or own.concrete_of is not None
                or not issubclass(own.origin, definition.origin)
                or own.origin in by_class
            ):
                continue
            fields = self._all_plain(object_type, field_details_list)
            if fields is not None:
                by_class[own.origin] = fields
        return by_class


def _alive(executor: weakref.ref[Executor]) -> Executor:
    found = executor()
    if found is None:  # pragma: no cover - the helpers are used only during execution
        raise RuntimeError("the request's execution has ended")
    return found


def _read_all(source: Any, plain: Fields) -> dict[str, Any] | None:
    """The plain fields' values, or None when any is for graphql-core to work out."""
    values = {}
    try:
        for name, step in plain:
            value = _read(source, step)
            if value is _UNANSWERED:
                return None
            values[name] = value
    except Exception:  # graphql-core words whatever went wrong
        return None
    return values


def _read_items(items: list[Any], plan: Items) -> list[Any] | None:
    """Every item's plain fields, or None when any item is for graphql-core to work out."""
    done: list[Any] = []
    fields, by_class = plan.fields, plan.by_class
    for item in items:
        if item is None:
            if plan.item_non_null:
                return None
            done.append(None)
            continue
        if by_class is not None:
            fields = by_class.get(type(item))
            if fields is None or getattr(item, TYPE_CAST_ATTRIBUTE, None) is not None:
                return None
        values = _read_all(item, cast(Fields, fields))
        if values is None:
            return None
        done.append(values)
    return done


def _merged(order: tuple[str, ...], plain: dict[str, Any], rest: dict[str, Any]) -> dict[str, Any]:
    """One object's answer in the selection's order (a key graphql-core left out stays out)."""
    return {
        name: plain[name] if name in plain else rest[name]
        for name in order
        if name in plain or name in rest
    }


async def _merged_later(
    order: tuple[str, ...], plain: dict[str, Any], rest: Awaitable[dict[str, Any]]
) -> dict[str, Any]:
    return _merged(order, plain, await rest)

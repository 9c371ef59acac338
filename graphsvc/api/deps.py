"""FastAPI dependencies, injected through Annotated aliases. Routes reach the store only
through ``Access`` (scoped to the caller); ``State`` serves the ops routes.

They are ``async def`` although none awaits anything: FastAPI runs a plain ``def``
dependency in a worker thread, a hand-off per dependency per request for a few attribute
reads."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from graphsvc.api.auth import get_caller
from graphsvc.api.graphql.context import GraphContext
from graphsvc.api.state import Access, ApiState
from graphsvc.domain.access import Caller
from graphsvc.service.maps import MapService


async def get_state(request: Request) -> ApiState:
    state: ApiState = request.app.state.api
    return state


State = Annotated[ApiState, Depends(get_state)]
CallerDep = Annotated[Caller, Depends(get_caller)]


async def get_access(state: State, caller: CallerDep) -> Access:
    return state.access_for(caller)


AccessDep = Annotated[Access, Depends(get_access)]


async def get_service(access: AccessDep) -> MapService:
    return access.service


async def get_graph_context(state: State, access: AccessDep) -> GraphContext:
    return GraphContext(state, access)


Service = Annotated[MapService, Depends(get_service)]

"""FastAPI dependencies, injected through Annotated aliases."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from graphsvc.api.graphql.context import GraphContext
from graphsvc.api.state import ApiState
from graphsvc.service.maps import MapService
from graphsvc.store.base import GraphStore


def get_state(request: Request) -> ApiState:
    state: ApiState = request.app.state.api
    return state


State = Annotated[ApiState, Depends(get_state)]


def get_store(state: State) -> GraphStore:
    return state.store


def get_service(state: State) -> MapService:
    return state.service


def get_graph_context(state: State) -> GraphContext:
    return GraphContext(state)


Store = Annotated[GraphStore, Depends(get_store)]
Service = Annotated[MapService, Depends(get_service)]

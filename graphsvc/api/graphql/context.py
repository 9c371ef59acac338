"""The context of one GraphQL request: the app's services and fresh DataLoaders."""

from __future__ import annotations

from strawberry.fastapi import BaseContext
from strawberry.types import Info as StrawberryInfo

from graphsvc.api.graphql.loaders import Loaders
from graphsvc.api.state import ApiState


class GraphContext(BaseContext):
    """Everything a resolver may use; a later auth layer adds the caller here."""

    def __init__(self, api: ApiState) -> None:
        super().__init__()
        self.api = api
        self.settings = api.settings
        self.loaders = Loaders(api.store)


Info = StrawberryInfo[GraphContext, None]

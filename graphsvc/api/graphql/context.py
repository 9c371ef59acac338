"""The context of one GraphQL request: the caller, the store and services as that caller may
use them (the only way a resolver reaches the store), and fresh DataLoaders."""

from __future__ import annotations

from strawberry.fastapi import BaseContext
from strawberry.types import Info as StrawberryInfo

from graphsvc.api.graphql.loaders import Loaders
from graphsvc.api.state import Access, ApiState
from graphsvc.domain.access import Action
from graphsvc.service.access import require


class GraphContext(BaseContext):
    """Everything a resolver may use."""

    def __init__(self, api: ApiState, access: Access) -> None:
        super().__init__()
        self.metrics = api.metrics
        self.settings = api.settings
        self.caller = access.caller
        self.store = access.store
        self.service = access.service
        self.editor = access.editor
        self.point_read = api.point_read
        self.loaders = Loaders(access.store, api.point_read)

    def require(self, action: Action, map_id: str) -> None:
        """Check scope and role before doing work (the scoped store checks again)."""
        require(self.caller, action, map_id)


Info = StrawberryInfo[GraphContext, None]

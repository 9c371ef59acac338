"""REST routes: health, readiness, metrics and map export (the OpenAPI part of the API)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST

from graphsvc.api.deps import Service, State
from graphsvc.api.errors import error_response
from graphsvc.api.state import in_thread
from graphsvc.errors import StoreUnavailable
from graphsvc.formats import EXPORT_FORMATS, ExportFormat

router = APIRouter()

ERROR_SHAPE: dict[str, Any] = {
    "description": "The one error shape: errors[].message and errors[].extensions.code.",
    "content": {
        "application/json": {
            "example": {"errors": [{"message": "no map 'x'", "extensions": {"code": "NOT_FOUND"}}]}
        }
    },
}


FORMAT_HELP = "One of " + ", ".join(EXPORT_FORMATS) + "."


@router.get("/healthz", tags=["ops"], summary="The process is up (never touches the store).")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get(
    "/readyz",
    tags=["ops"],
    summary="The store answers; 503 STORE_UNAVAILABLE while it does not.",
    responses={503: ERROR_SHAPE},
)
async def readyz(state: State) -> Response:
    try:
        await in_thread(state.store.ping)  # fails at once while the monitor knows it is down
    except StoreUnavailable as exc:
        return error_response(exc)
    return JSONResponse({"status": "ready"})


@router.get("/metrics", tags=["ops"], summary="Prometheus metrics.")
async def metrics(state: State) -> Response:
    return Response(state.metrics.exposition(), media_type=CONTENT_TYPE_LATEST)


@router.get(
    "/api/maps/{map_id}/export",
    tags=["maps"],
    summary="A stored map in an exchange format; yaml and json import back to an equal map, "
    "csv is a zip of the workshop tables.",
    response_class=PlainTextResponse,
    responses={400: ERROR_SHAPE, 404: ERROR_SHAPE, 503: ERROR_SHAPE},
)
async def export_map(
    map_id: str,
    service: Service,
    format: Annotated[ExportFormat, Query(description=FORMAT_HELP)] = "yaml",
) -> Response:
    exported = await in_thread(service.export_as, map_id, format)
    return Response(
        exported.content(),
        media_type=exported.media_type,
        headers={"Content-Disposition": f'attachment; filename="{exported.filename}"'},
    )


@router.get(
    "/api/maps/{map_id}/report.html",
    tags=["maps"],
    summary="The standalone HTML analysis report (network with findings highlighted, tables); "
    "it embeds vis-network and opens offline.",
    response_class=HTMLResponse,
    responses={404: ERROR_SHAPE, 503: ERROR_SHAPE},
)
async def report_html(map_id: str, service: Service) -> Response:
    page = await in_thread(service.report_html, map_id)
    return HTMLResponse(page)

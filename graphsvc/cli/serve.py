"""``graphsvc serve``: the GraphQL and HTTP API under uvicorn."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from graphsvc.cli.app import app, err, reports_errors, settings
from graphsvc.service.maps import MapService
from graphsvc.store.open import open_store

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def load_demo(service: MapService, seeds: Path = SEEDS) -> list[str]:
    """Import every seed map that the store does not hold yet; the ids imported."""
    stored = {m.id for m in service.list_maps()}
    maps = [service.read_file(p) for p in sorted(seeds.glob("*.yaml"))]
    missing = [m for m in maps if m.id not in stored]
    for m in missing:
        service.store.save_map(m)
    return [m.id for m in missing]


@app.command()
@reports_errors
def serve(
    host: Annotated[
        str | None, typer.Option(help="Address to bind (default 127.0.0.1, loopback only).")
    ] = None,
    port: Annotated[int | None, typer.Option(help="Port (default 8000).")] = None,
    demo: Annotated[
        bool, typer.Option("--demo", help="Load seeds/*.yaml into the store when missing.")
    ] = False,
    seeds: Annotated[Path, typer.Option(help="Folder of seed maps for --demo.")] = SEEDS,
) -> None:
    """Serve the GraphQL API at /graphql (GraphiQL in a browser) and the HTTP routes."""
    import uvicorn

    from graphsvc.api.app import create_app

    config = settings()
    if demo:
        store = open_store(config)
        try:
            loaded = load_demo(MapService(store, config), seeds)
        finally:
            store.close()
        err.print(f"demo maps loaded: {', '.join(loaded)}" if loaded else "demo maps present")
    bind_host = host or config.host
    bind_port = config.port if port is None else port
    err.print(f"graphsvc on http://{bind_host}:{bind_port}/graphql")
    uvicorn.run(create_app(config), host=bind_host, port=bind_port, log_level="info")

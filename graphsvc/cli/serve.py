"""``graphsvc serve``: the GraphQL and HTTP API under uvicorn."""

from __future__ import annotations

import copy
import gc
from pathlib import Path
from typing import Annotated, Any

import typer

from graphsvc.cli.app import app, err, reports_errors, settings
from graphsvc.errors import InvalidInput, StoreUnavailable
from graphsvc.resources import SEEDS_DIR
from graphsvc.service.maps import MapService
from graphsvc.settings import Settings
from graphsvc.store.open import open_store

SEEDS = SEEDS_DIR

#: The cyclic garbage collector's thresholds while serving (CPython's are 700, 10, 10).
SERVING_GC_THRESHOLDS = (100_000, 50, 20)


def tune_collector_for_serving() -> None:
    """Let the cyclic garbage collector run far less often than CPython's defaults.

    Under load every request in flight holds thousands of container objects (models, GraphQL
    objects, answers). With a young generation of 700 objects the collector ran a young
    collection every few hundred of them, each finding them alive and promoting them, so the
    older generations filled and full collections, which walk every live object (some 300k
    of code and schema alone), ran every few seconds: with 32 clients, a page of 100 nodes
    with edges took 55-75 ms of server CPU, and 36-42 ms with these thresholds (BENCHMARKS.md,
    §5). Most of a request's objects are now freed by reference counting before a collection
    ever looks at them; cycles are still collected, only later.
    """
    gc.set_threshold(*SERVING_GC_THRESHOLDS)


def load_demo(service: MapService, seeds: Path = SEEDS) -> list[str]:
    """Import every seed map that the store does not hold yet; the ids imported."""
    stored = {m.id for m in service.list_maps()}
    maps = [service.read_file(p) for p in sorted(seeds.glob("*.yaml"))]
    missing = [m for m in maps if m.id not in stored]
    for m in missing:
        service.save(m)
    return [m.id for m in missing]


def refuse_open_beyond_loopback(config: Settings) -> None:
    """Refuse to listen beyond loopback while the store holds no active token: the server
    would be open to anyone who can reach it. (The app itself requires a token there too.)"""
    store = open_store(config)
    try:
        active = store.tokens.any_active()
    except StoreUnavailable as exc:
        err.print(
            f"warning: cannot count API tokens ({exc.message}); every request will need one",
            highlight=False,
        )
        return
    finally:
        store.close()
    if not active:
        raise InvalidInput(
            [],
            f"refusing to serve on {config.host}: no API token exists, so anyone who can reach "
            "that address could read and change every map. Create one with "
            "`graphsvc token create --role admin` (then send it as `Authorization: Bearer ...`),"
            " or serve on 127.0.0.1.",
        )


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
    from graphsvc.api.auth import is_loopback

    base = settings()
    bind_host = host or base.host
    bind_port = base.port if port is None else port
    config = base.model_copy(update={"host": bind_host, "port": bind_port})
    if not is_loopback(bind_host):
        refuse_open_beyond_loopback(config)
    if demo:
        store = open_store(config)
        try:
            loaded = load_demo(MapService(store, config), seeds)
        finally:
            store.close()
        err.print(f"demo maps loaded: {', '.join(loaded)}" if loaded else "demo maps present")
    url = f"http://{bind_host}:{bind_port}"
    err.print(f"graphsvc explorer on {url}/  GraphQL on {url}/graphql")
    tune_collector_for_serving()
    uvicorn.run(
        create_app(config),
        host=bind_host,
        port=bind_port,
        log_level="info",
        access_log=False,  # graphsvc's own access log is cheaper (graphsvc.api.metrics)
        log_config=log_config(),
    )


def log_config() -> dict[str, Any]:
    """uvicorn's logging configuration, plus graphsvc's access log on stdout in its style."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["formatters"]["graphsvc_access"] = {"format": "%(levelname)s:     %(message)s"}
    config["handlers"]["graphsvc_access"] = {
        "class": "logging.StreamHandler",
        "formatter": "graphsvc_access",
        "stream": "ext://sys.stdout",
    }
    config["loggers"]["graphsvc.access"] = {
        "handlers": ["graphsvc_access"],
        "level": "INFO",
        "propagate": False,
    }
    return config

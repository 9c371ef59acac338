"""Screenshots of the explorer for the README: serve the demo maps, drive headless Chromium.

    .venv/bin/python tools/screenshots.py [--out docs/screenshots]

Uses the same setup as the browser tests: the real app under uvicorn on a free loopback port,
over a temporary SQLite store holding seeds/*.yaml, and Debian's chromium through Playwright
(never `playwright install`). The layout is seeded, so the pictures only change when the
explorer or the seed maps do. Fails if the page logs any console error.
"""

from __future__ import annotations

import argparse
import shutil
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import uvicorn
from playwright.sync_api import Page, sync_playwright

from graphsvc.api.app import create_app
from graphsvc.cli.serve import load_demo
from graphsvc.service.maps import MapService
from graphsvc.settings import Settings
from graphsvc.store.sqlite import SqliteStore

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
VIEWPORT = {"width": 1440, "height": 860}
MAP = "content-moderation"


@contextmanager
def demo_server() -> Iterator[str]:
    """The app over a fresh store holding the seed maps; yields its URL."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "graphsvc.sqlite"
        settings = Settings(store=f"sqlite:///{path}")
        store = SqliteStore(path)
        try:
            load_demo(MapService(store, settings), ROOT / "seeds")
        finally:
            store.close()
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        server = uvicorn.Server(uvicorn.Config(create_app(settings), log_level="warning"))
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.02)
        try:
            yield f"http://127.0.0.1:{sock.getsockname()[1]}"
        finally:
            server.should_exit = True
            thread.join(timeout=10)
            sock.close()


def settle(page: Page) -> None:
    """Wait until the view stops moving (vis-network animates zoom and focus)."""
    last = None
    for _ in range(100):
        view = page.evaluate(
            "() => { const n = graphsvcExplorer.graph.network;"
            " return [n.getViewPosition(), n.getScale()]; }"
        )
        if view == last:
            return
        last = view
        page.wait_for_timeout(120)


def open_map(page: Page, url: str, map_id: str) -> None:
    page.goto(f"{url}/#map={map_id}")
    page.wait_for_selector("body[data-state=ready]", timeout=60_000)
    page.wait_for_selector("body[data-busy=false]")
    settle(page)


def overview(page: Page, url: str) -> None:
    open_map(page, url, MAP)
    page.evaluate("graphsvcExplorer.selectNode('removal-classifier')")
    page.mouse.move(5, 850)  # no hover tooltip


def analyses(page: Page, url: str) -> None:
    open_map(page, url, MAP)
    page.click("#tab-analyses")
    page.click("#analysis-tab-mechanisms")
    page.click("button.finding[data-key='mechanism:OVERLOADED:in-app-appeal']")
    page.mouse.move(5, 850)


def power(page: Page, url: str) -> None:
    open_map(page, url, MAP)
    page.click("#tab-analyses")
    page.click("#analysis-tab-powerAsymmetry")
    page.locator("#power-table tbody button.finding").first.click()
    page.mouse.move(5, 850)


def whatif(page: Page, url: str) -> None:
    open_map(page, url, MAP)
    page.click("#tab-whatif")
    key = "fix:contest:NO_AUTHORITY:hash-database:rights-documenters"
    page.click(f".recommendation[data-key='{key}'] button[data-action=simulate]")
    page.wait_for_selector("#scenario-result ul.resolved")
    page.mouse.move(5, 850)


SHOTS: dict[str, Callable[[Page, str], None]] = {
    "explorer-overview": overview,
    "analyses-finding": analyses,
    "analyses-power": power,
    "what-if-simulation": whatif,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args(argv)
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("no chromium on PATH (apt-get install -y chromium)", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    errors: list[str] = []
    with demo_server() as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=CHROMIUM_ARGS, headless=True
        )
        for name, shoot in SHOTS.items():
            context = browser.new_context(viewport=VIEWPORT)  # type: ignore[arg-type]
            page = context.new_page()

            def console(message: Any, name: str = name) -> None:
                if message.type == "error":
                    errors.append(f"{name}: {message.text}")

            page.on("console", console)
            page.on("pageerror", lambda exc, name=name: errors.append(f"{name}: {exc}"))
            shoot(page, url)
            settle(page)
            page.wait_for_timeout(300)
            target = args.out / f"{name}.png"
            page.screenshot(path=str(target))
            print(f"wrote {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}")
            context.close()
        browser.close()
    if errors:
        print("console errors:\n" + "\n".join(errors), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

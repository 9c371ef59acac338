"""The explorer is served by the app at ``/`` under a strict Content-Security-Policy, with
vis-network taken from the installed pyvis package, and ships as package data."""

from __future__ import annotations

import fnmatch
import re
import tomllib
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest

from graphsvc.api.app import create_app
from graphsvc.api.frontend import frontend_dir, vis_dir
from graphsvc.settings import Settings

pytest_plugins = ["tests.explorer_support"]

ROOT = Path(__file__).resolve().parent.parent
FRONTEND = ROOT / "frontend"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    from tests.explorer_support import serve_in_thread

    path = tmp_path_factory.mktemp("serving") / "graphsvc.sqlite"
    url, server, thread, sock = serve_in_thread(create_app(Settings(store=f"sqlite:///{path}")))
    with httpx.Client(base_url=url) as c:
        yield c
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()


def csp_of(headers: httpx.Headers) -> dict[str, str]:
    header = headers["content-security-policy"]
    return {
        d.split()[0]: " ".join(d.split()[1:]) for d in (p.strip() for p in header.split(";")) if d
    }


def test_index_is_served_with_a_strict_csp(client: httpx.Client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "graphsvc explorer" in response.text
    policy = csp_of(response.headers)
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert "unsafe-inline" not in response.headers["content-security-policy"]
    assert "unsafe-eval" not in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize(
    ("path", "media"),
    [
        ("/static/js/main.js", "javascript"),
        ("/static/css/explorer.css", "text/css"),
        ("/static/vendor/vis-network.min.js", "javascript"),
        ("/static/vendor/vis-network.css", "text/css"),
    ],
)
def test_assets_are_served_with_the_same_headers(
    client: httpx.Client, path: str, media: str
) -> None:
    response = client.get(path)
    assert response.status_code == 200, path
    assert media in response.headers["content-type"]
    assert csp_of(response.headers)["frame-ancestors"] == "'none'"


def test_vis_network_comes_from_the_pyvis_package(client: httpx.Client) -> None:
    served = client.get("/static/vendor/vis-network.min.js").content
    assert served == (vis_dir() / "vis-network.min.js").read_bytes()
    assert "pyvis" in vis_dir().parts
    assert not list(ROOT.glob("frontend/**/vis-network*")), "vis-network must not be copied"


@pytest.mark.parametrize(
    "path", ["/static/nope.js", "/static/vendor/other.js", "/static/%2e%2e/pyproject.toml"]
)
def test_missing_assets_get_the_one_error_shape(client: httpx.Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"


def test_unknown_routes_still_get_the_error_shape(client: httpx.Client) -> None:
    response = client.get("/no/such/route")
    assert response.status_code == 404
    assert response.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"


class _Inline(HTMLParser):
    """Collects what a strict CSP would block in a page: inline scripts, styles, handlers."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name for name, _ in attrs}
        if tag == "script":
            self._in_script = "src" not in names
        if tag == "style":
            self.problems.append("<style> element")
        self.problems += [f"{tag}[{n}]" for n in names if n == "style" or n.startswith("on")]
        for name, value in attrs:
            if name in {"src", "href"} and value and re.match(r"^(https?:)?//", value):
                self.problems.append(f"remote {name} {value}")

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.problems.append("inline script")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False


def test_index_has_nothing_inline_and_nothing_remote() -> None:
    parser = _Inline()
    parser.feed((FRONTEND / "index.html").read_text())
    assert parser.problems == []


UNSAFE_JS = re.compile(
    r"\.innerHTML|\.outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function\("
)


@pytest.mark.parametrize(
    "path", sorted(FRONTEND.rglob("*.js")), ids=lambda p: str(p.relative_to(FRONTEND))
)
def test_modules_never_parse_html_or_code(path: Path) -> None:
    """Map data may hold hostile strings: text goes in through textContent only."""
    assert not UNSAFE_JS.findall(path.read_text())


def test_package_data_ships_every_frontend_file() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    patterns = config["tool"]["setuptools"]["package-data"]["graphsvc"]
    files = [p.relative_to(ROOT).as_posix() for p in FRONTEND.rglob("*") if p.is_file()]
    assert files
    missed = [f for f in files if not any(fnmatch.fnmatch(f, pat) for pat in patterns)]
    assert missed == []
    # The package reaches frontend/ through a symlink, so a checkout, an editable install
    # and a wheel all find the files at the same place.
    assert frontend_dir().resolve() == FRONTEND.resolve()
    assert (frontend_dir() / "index.html").is_file()

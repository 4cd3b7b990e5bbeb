"""Real-browser checks of pages that name themselves (issue 11 part 1): with print media, every page kind of both
editions says which reporting point and edition it is (and "Draft" or "Corrected" where that applies); the 404 page
a server sends for a missing address at any depth is styled, passes axe and its links resolve."""

from __future__ import annotations

import http.server
from datetime import date
from pathlib import Path

import pytest

from conftest import FIXTURES, build, copy_plan, publish_as, commit_and_correct
from test_browser import axe_problems, page  # noqa: F401  (the shared page fixture)

pytestmark = pytest.mark.browser

KINDS = ["", "actions/", "actions/A1/", "measures/M1/", "recommendations/"]
POINT = "Improvement Board, July 2013"
EDITION = {"public": "Public edition", "staff": "Staff edition: not for publication"}


class _PagesHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a folder as GitHub Pages does: a missing address gets the folder's 404.html, with status 404, at
    whatever depth it was asked for. `prefix` is the path the folder is served at (site_url's path)."""

    prefix = "/"

    def log_message(self, *args) -> None:
        pass

    def translate_path(self, path: str) -> str:
        if not path.startswith(self.prefix):
            return str(Path(self.directory) / ".missing")
        return super().translate_path("/" + path[len(self.prefix):])

    def send_error(self, code, message=None, explain=None) -> None:
        body = (Path(self.directory) / "404.html").read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def pages_server(serve):
    """pages_server(folder, prefix) -> the folder served as GitHub Pages serves it, at `prefix`."""
    def start(folder: Path, prefix: str = "/") -> str:
        return serve(folder, type("H", (_PagesHandler,), {"prefix": prefix}))

    return start
@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    """The minimal plan published twice, the second point corrected afterwards."""
    root = copy_plan(FIXTURES / "minimal", tmp_path_factory.mktemp("print") / "plan")
    publish_as(root, "2013-06-board", "Improvement Board, June 2013", date(2013, 6, 25))
    publish_as(root, "2013-07-board", POINT, date(2013, 7, 1))
    commit_and_correct(root, "2013-07-board", "A figure was misreported.")
    return root


@pytest.fixture(scope="module")
def base(root, pages_server) -> str:
    """The whole output served from the server's root, as `make view` lays it out (no site_url)."""
    return pages_server(build(root, root.parent / "site"))


def _print_text(page, url: str) -> str:  # noqa: F811
    page.emulate_media(media="screen")
    page.goto(url)
    page.emulate_media(media="print")
    return page.locator("body").inner_text()


@pytest.mark.parametrize("edition", ["public", "staff"])
def test_every_page_kind_in_print_names_its_point_edition_and_notices(page, base, edition):  # noqa: F811
    kinds = KINDS + (["guide/"] if edition == "staff" else [])
    for kind in kinds:
        text = _print_text(page, f"{base}/{edition}/2013-07-board/{kind}")
        assert f"{EDITION[edition]} · {POINT} · 1 July 2013" in text, kind
        assert "Corrected after publication. 2013-07-20: A figure was misreported." in text, kind
        assert ("Staff edition. Includes staff-only content" in text) == (edition == "staff"), kind
        old = _print_text(page, f"{base}/{edition}/2013-06-board/{kind}")
        assert f"{EDITION[edition]} · Improvement Board, June 2013 · 25 June 2013" in old, kind
        assert "Corrected" not in old and "Draft" not in old, kind
    for kind in kinds:
        text = _print_text(page, f"{base}/staff/draft/{kind}") if edition == "staff" else ""
        if edition == "staff":
            assert "Staff edition: not for publication · Draft: not yet reported · 1 July 2013" in text, kind
            assert "Draft: not yet reported. This is the working plan" in text, kind
    # The 404 pages: the one the server sends (the public edition's), and each edition's own.
    text = _print_text(page, f"{base}/{edition}/latest/no/such/page")
    assert "Public edition · Improvement Board, July 2013 · 1 July 2013" in text and "Corrected" in text
    text = _print_text(page, f"{base}/{edition}/2013-06-board/404.html")
    assert f"{EDITION[edition]} · Improvement Board, June 2013 · 25 June 2013" in text and "Page not found" in text


def test_printed_screen_chrome_is_hidden_and_the_print_header_is_not_on_screen(page, base):  # noqa: F811
    page.goto(f"{base}/staff/draft/actions/")
    assert not page.locator(".ip-print-id").is_visible()
    page.emulate_media(media="print")
    assert page.locator(".ip-print-id").is_visible()
    assert not page.locator(".md-header").is_visible()
    assert page.title() == ("Actions register · Draft: not yet reported · Staff edition · "
                            "Example Borough Council: Children's Services Improvement Plan")


def _check_404(page, url: str, label: str) -> list[str]:  # noqa: F811
    response = page.goto(url)
    assert response.status == 404, url
    assert page.locator("h1").inner_text() == "Page not found"
    # The inline styles apply wherever the page is served (no stylesheet, image or script is loaded).
    assert page.evaluate("getComputedStyle(document.querySelector('.ip-nf-head')).backgroundColor") == \
        "rgb(26, 35, 126)", url
    # The skip link stays on the page; every other link leads to a page that exists.
    hrefs = page.eval_on_selector_all("a[href]:not([href^='#'])", "els => els.map(e => e.href)")
    assert hrefs, url
    for href in hrefs:
        assert page.request.get(href).status == 200, (url, href)
    assert axe_problems(page, label) == []
    return hrefs


def test_the_404_works_at_any_depth_and_at_the_root(page, base):  # noqa: F811
    loaded = []
    page.on("request", lambda r: loaded.append(r.resource_type))
    paths = ("/public/latest/x/y/z", "/nope", "/staff/2013-06-board/actions/A9/", "/public/latest/actions/x")
    for path in paths:
        hrefs = _check_404(page, base + path, path)
        assert hrefs == [f"{base}/public/2013-07-board/", f"{base}/public/latest/"]
    assert loaded == ["document"] * len(paths)  # self-contained: not even a favicon is asked for
    assert page.errors == ["Failed to load resource: the server responded with a status of 404 (Not Found)"] * \
        len(paths) and not page.foreign


def test_the_404_works_on_github_pages_at_site_url(page, root, pages_server, tmp_path_factory):  # noqa: F811
    """GitHub Pages serves site/public at site_url and sends its 404.html for every missing address."""
    (root / "mkdocs.yml").write_text("site_url: https://example.org/plan/\n")
    try:
        out = build(root, tmp_path_factory.mktemp("pages") / "site")
    finally:
        (root / "mkdocs.yml").unlink()
    pages = pages_server(out / "public", prefix="/plan/")
    for path in ("/plan/x/y/z/", "/plan/latest/actions/nope", "/other"):
        hrefs = _check_404(page, pages + path, path)
        assert hrefs == [f"{pages}/plan/2013-07-board/", f"{pages}/plan/latest/"]

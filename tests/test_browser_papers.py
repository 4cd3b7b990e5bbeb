"""Real-browser checks of the papers on the downloads page (issue 12): the page with its reports and tracker passes
axe-core's WCAG 2.2 AA and best-practice rules and reflows at 320 px, in both editions, and each paper's link fetches
its file, whole."""

from __future__ import annotations

from datetime import date

import pytest

from conftest import FIXTURES, build, copy_plan, publish_as
from test_browser import page  # noqa: F401  (the page fixture: console errors and foreign requests recorded)
from test_browser_statement import axe_with_best_practice

pytestmark = pytest.mark.browser
V = "2013-07-board"


@pytest.fixture(scope="module")
def site(tmp_path_factory, serve) -> tuple:
    root = copy_plan(FIXTURES / "minimal", tmp_path_factory.mktemp("browser-papers") / "plan")
    publish_as(root, V, "Improvement Board, July 2013", date(2013, 7, 1))
    out = build(root, reports=True)
    return out, serve(out)


@pytest.mark.parametrize("edition", ["public", "staff"])
def test_the_downloads_page_with_its_papers_passes_axe_and_reflows(page, site, edition):  # noqa: F811
    _, url = site
    for width in (1280, 375, 320):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{url}/{edition}/latest/downloads/")
        page.wait_for_load_state("networkidle")
        assert axe_with_best_practice(page) == [], width
        wide = page.evaluate("""() => [...document.querySelectorAll('.md-content *')].filter(
            e => e.getBoundingClientRect().right > document.documentElement.clientWidth).map(e => e.tagName)""")
        assert wide == [], f"{width} px: {wide}"
    assert page.errors == [] and page.foreign == []


@pytest.mark.parametrize("edition", ["public", "staff"])
def test_every_paper_link_fetches_its_file(page, site, edition):  # noqa: F811
    out, url = site
    page.goto(f"{url}/{edition}/latest/downloads/")
    links = page.locator(".ip-papers a").all()
    assert [a.inner_text() for a in links] == ["Progress report for Improvement Board, July 2013 (Word)",
                                               "Progress report for Improvement Board, July 2013 (PDF)",
                                               "Tracker (Excel)"]
    for a, name in zip(links, (f"report-{V}.docx", f"report-{V}.pdf", f"tracker-{V}.xlsx")):
        response = page.request.get(a.evaluate("a => a.href"))
        assert response.status == 200, name
        assert response.body() == (out / edition / V / "downloads" / name).read_bytes(), name

"""Real-browser checks in Debian's Chromium: pages load cleanly, search works, nothing leaves localhost,
axe-core finds no serious or critical WCAG 2.2 AA violation, and the version selector switches pages."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date
from pathlib import Path
from urllib.parse import urlparse

import pytest

from conftest import FIXTURES, build, copy_plan, publish_as

pytestmark = pytest.mark.browser

WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(scope="module")
def two_versions(tmp_path_factory) -> Path:
    """The minimal plan published at two reporting points, the second after A1 turned green."""
    root = copy_plan(FIXTURES / "minimal", tmp_path_factory.mktemp("browser") / "plan")
    publish_as(root, "2013-06-board", "Improvement Board, June 2013", date(2013, 6, 25))
    plan = root / "plan.yaml"
    plan.write_text(plan.read_text().replace("        narrative: Audit half done.\n", "        narrative: Audit half done.\n"
                                             "      - date: 2013-07-01\n        status: green\n"
                                             "        narrative: Audit complete for all but ten cases.\n"))
    publish_as(root, "2013-07-board", "Improvement Board, July 2013", date(2013, 7, 1))
    return build(root)


@pytest.fixture(scope="module")
def site_url(two_versions, serve) -> str:
    return serve(two_versions)


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.errors, pg.foreign = [], []
    pg.on("console", lambda m: m.type == "error" and pg.errors.append(m.text))
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    pg.on("request", lambda r: urlparse(r.url).hostname not in ("127.0.0.1", "localhost", None)
          and pg.foreign.append(r.url))
    yield pg
    context.close()


def axe_problems(page, label: str, tags: Sequence[str] = tuple(WCAG),
                 impacts: Collection[str] | None = ("serious", "critical")) -> list[str]:
    """The violations axe-core finds on the page now loaded under `tags` (WCAG 2.2 AA unless told), of the given
    impacts (None: every impact), one line each (the browser test files of each part of the site share this)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": list(tags)}})
    return [f"{label}: {v['id']} ({v['impact']}): {v['nodes'][0]['target']}" for v in results.response["violations"]
            if impacts is None or v["impact"] in impacts]


def test_search_finds_an_action_by_its_id(page, site_url):
    page.goto(f"{site_url}/public/latest/")
    page.wait_for_load_state("networkidle")
    page.keyboard.press("/")
    page.keyboard.type("A2")
    result = page.locator(".md-search-result__item", has_text="A2").first
    result.wait_for(timeout=10_000)
    assert "Put in place weekly performance clinics" in result.inner_text()


def test_version_selector_switches_to_the_same_page_in_an_older_version(page, site_url):
    page.goto(f"{site_url}/public/2013-07-board/actions/A1/")
    page.wait_for_load_state("networkidle")
    selector = page.locator(".md-version__current")
    selector.wait_for(timeout=10_000)
    assert "July 2013" in selector.inner_text()
    assert "July 2013" in selector.get_attribute("aria-label")
    selector.hover(force=True)
    page.locator(".md-version__link", has_text="June 2013").click()
    page.wait_for_url("**/2013-06-board/actions/A1/", timeout=10_000)
    assert "Audit half done." in page.content()
    notice = page.locator("[data-md-component=outdated]")
    notice.wait_for(state="visible", timeout=10_000)
    assert "earlier reporting point" in notice.inner_text()
    assert page.errors == []


def test_register_filter_and_sort(page, site_url):
    page.goto(f"{site_url}/staff/draft/actions/")
    page.wait_for_load_state("networkidle")
    rows = page.locator("table[data-register] tbody tr")
    page.fill("#ip-filter", "clinics")
    page.dispatch_event("#ip-filter", "input")
    assert [r.is_visible() for r in rows.all()] == [False, True]
    page.select_option("#ip-status", "complete")
    assert page.locator(".ip-count").inner_text() == "Showing 1 of 2 actions"
    page.fill("#ip-filter", "")
    page.dispatch_event("#ip-filter", "input")
    page.select_option("#ip-status", "")
    page.click("table[data-register] th:nth-child(5) button")  # target date, ascending
    assert rows.first.locator("td").first.inner_text() == "A2"


def test_draft_banner_and_staff_edition_banner(page, site_url):
    page.goto(f"{site_url}/staff/draft/")
    text = page.locator("[data-md-component=announce]").inner_text()
    assert "Draft: not yet reported" in text and "Staff edition" in text
    page.goto(f"{site_url}/public/latest/")
    assert "Staff edition" not in page.content()


def test_print_stylesheet_hides_navigation(page, site_url):
    page.goto(f"{site_url}/public/latest/actions/A1/")
    page.emulate_media(media="print")
    assert not page.locator(".md-header").is_visible()
    assert not page.locator(".md-sidebar--primary").is_visible()
    assert page.locator("h1").is_visible()

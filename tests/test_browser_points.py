"""The Reporting points page and the comparisons in Chromium: axe-clean, no console error, no script run from a
hostile version title, and with JavaScript off every earlier version is reached from the latest by plain links."""

from __future__ import annotations

import re

import pytest

from conftest import FIXTURES, build, copy_plan
from test_browser import axe_problems
from test_points import JULY, JUNE, three_points

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site_url(tmp_path_factory, serve) -> str:
    return serve(build(three_points(copy_plan(FIXTURES / "minimal", tmp_path_factory.mktemp("bpoints") / "plan"))))


def _watch(page) -> None:
    page.errors, page.dialogs = [], []
    page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))


@pytest.mark.parametrize("width", [1280, 320])
def test_points_and_comparison_pages_pass_axe_without_console_errors(browser, site_url, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    _watch(page)
    problems = []
    for path in ("public/latest/points/", f"public/{JULY}/points/", f"public/latest/changes/since-{JUNE}/",
                 "public/latest/changes/", "staff/draft/points/", f"staff/draft/changes/since-{JUNE}/"):
        page.goto(f"{site_url}/{path}")
        page.wait_for_load_state("networkidle")
        problems += axe_problems(page, path)
        assert page.locator("h1").first.is_visible()
        wide = page.evaluate("Math.max(...[...document.querySelectorAll('.ip-points, .ip-compare')]"
                             ".map(e => e.scrollWidth - e.clientWidth), 0)")
        assert wide == 0, path  # the lists reflow: no link pushes them wider than the page
    context.close()
    assert problems == []
    assert page.errors == []
    assert page.dialogs == []


def test_without_javascript_the_latest_points_page_reaches_every_earlier_version(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    _watch(page)
    start = f"{site_url}/public/latest/points/"
    page.goto(start)
    homes = page.locator(".ip-points a", has_text="The plan as reported")
    assert homes.count() == 3
    reached = []
    for i in range(3):
        page.goto(start)
        page.locator(".ip-points a", has_text="The plan as reported").nth(i).click()
        page.wait_for_load_state()
        reached.append(page.url.removeprefix(f"{site_url}/public/"))
        assert page.locator("h1").inner_text() == "Children's Services Improvement Plan"
    assert reached == ["latest/", f"{JULY}/", f"{JUNE}/"]
    compared = []
    page.goto(start)
    for i in range(page.locator(".ip-compare a").count()):
        page.goto(start)
        link = page.locator(".ip-compare a").nth(i)
        text = link.inner_text()
        link.click()
        page.wait_for_load_state()
        title = page.locator("h1").inner_text()
        compared.append((text, page.url.removeprefix(f"{site_url}/public/"), title))
    assert compared == [
        ("Since July <img src=x onerror=alert(1)> board\n: what changed in Improvement Board, August 2013",
         "latest/changes/", "What changed"),
        ("Since Improvement Board, June 2013\n: what changed in Improvement Board, August 2013",
         f"latest/changes/since-{JUNE}/", "What changed since Improvement Board, June 2013"),
        ("Since Improvement Board, June 2013\n: what changed in July <img src=x onerror=alert(1)> board",
         f"{JULY}/changes/", "What changed"),
    ]
    page.goto(start)
    page.get_by_role("link", name=re.compile("^Corrected on 20 July 2013")).click()
    assert page.url == f"{site_url}/public/{JUNE}/corrections/#{JUNE}-correction-1"
    assert page.locator(f"[id='{JUNE}-correction-1']").is_visible()
    page.goto(f"{site_url}/public/{JULY}/points/")
    page.get_by_role("link", name="the latest list of reporting points").click()
    assert page.url == f"{site_url}/public/latest/points/"
    assert page.locator("[aria-current=true] h2").inner_text() == "Improvement Board, August 2013"
    context.close()
    assert page.dialogs == []

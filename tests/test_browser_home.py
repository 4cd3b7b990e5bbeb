"""The home page of the sample in Debian's Chromium: loads cleanly, passes axe (WCAG 2.2 AA), and its content reflows
at 320 px (WCAG 1.4.10) so that the cards, figures and measure cards stack rather than scroll sideways."""

from __future__ import annotations

import pytest

from test_browser import axe_problems, page  # noqa: F401  (the page fixture: console errors and foreign requests recorded)
from test_home import sample  # noqa: F401  (the sample built once: four published points and the draft)

pytestmark = pytest.mark.browser

HOMES = ["public/latest/", "staff/latest/", "staff/draft/", "public/2012-11-plan-agreed/"]

# Elements of the page's content (not the header, which its own part checks) whose right edge passes the viewport.
OVERFLOW = """() => [...document.querySelectorAll('.md-content *')].filter(e => {
  const r = e.getBoundingClientRect(); return r.width > 0 && r.right > document.documentElement.clientWidth + 0.5;
}).map(e => e.tagName.toLowerCase() + '.' + e.className)"""


@pytest.fixture(scope="module")
def sample_url(sample, serve) -> str:  # noqa: F811
    return serve(sample)


def test_home_pages_load_cleanly_and_pass_axe(page, sample_url):  # noqa: F811
    problems = []
    for home in HOMES:
        page.goto(f"{sample_url}/{home}")
        page.wait_for_load_state("networkidle")
        assert page.get_by_role("heading", name="Is it improving?").is_visible()
        problems += axe_problems(page, home)
    assert page.errors == []
    assert page.foreign == []
    assert problems == []


@pytest.mark.parametrize("width", [320, 375])
def test_home_content_reflows_without_sideways_scroll(page, sample_url, width):  # noqa: F811
    page.set_viewport_size({"width": width, "height": 800})
    for home in HOMES:
        page.goto(f"{sample_url}/{home}")
        page.wait_for_load_state("networkidle")
        assert page.evaluate(OVERFLOW) == [], home
        cards = page.locator(".ip-measure-cards > li")
        if cards.count() > 1:  # stacked: one card under the other, each as wide as the content
            first, second = cards.nth(0).bounding_box(), cards.nth(1).bounding_box()
            assert second["y"] >= first["y"] + first["height"] and second["x"] == first["x"], home
    assert page.errors == []


def test_the_trend_chart_names_what_the_figures_did(page, sample_url):  # noqa: F811
    page.goto(f"{sample_url}/public/latest/")
    chart = page.get_by_role("img", name="Core assessments completed in timescale: from 21.6% in November 2012 to "
                                          "85.4% in April 2013, better")
    assert chart.is_visible()

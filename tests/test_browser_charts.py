"""Charts and the scorecard in Debian's Chromium (issue 11, part 5): no axe violation and no console error, chart
text at least 12 CSS px on a 375 px phone, texts that do not overlap as the browser draws them, and no sideways
scroll caused by the page's content at 320 px."""

from __future__ import annotations

from datetime import date

import pytest

from conftest import FIXTURES, build, copy_plan, publish_as
from test_browser import axe_problems, page  # noqa: F401  (page is a fixture)
from test_measures_model import MEASURES

pytestmark = pytest.mark.browser

PAGES = ["public/latest/measures/", "public/latest/measures/M1/", "public/latest/measures/M2/",
         "staff/latest/measures/M3/", "staff/latest/measures/M4/"]
CHARTS = [p for p in PAGES if p.count("/") == 4]


@pytest.fixture(scope="module")
def site_url(tmp_path_factory, serve) -> str:
    root = copy_plan(FIXTURES / "minimal", tmp_path_factory.mktemp("browser-charts") / "plan")
    plan = root / "plan.yaml"
    plan.write_text(plan.read_text().replace("\nrisks:\n", "\n" + MEASURES))
    publish_as(root, "2013-07-board", "Improvement Board, July 2013", date(2013, 7, 1))
    return serve(build(root))


SHOWN_TEXT = """() => [...document.querySelectorAll('svg.chart')].filter(s => s.getBoundingClientRect().width > 0)
  .map(s => ({cls: s.getAttribute('class'), texts: [...s.querySelectorAll('text')].map(t => {
    const r = t.getBoundingClientRect();
    return {text: t.textContent, px: parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a,
            box: [r.left, r.top, r.right, r.bottom]}; }),
    points: [...s.querySelectorAll('circle')].map(c => { const r = c.getBoundingClientRect();
                                                         return [r.left, r.top, r.right, r.bottom]; })}))"""


def overlaps(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def drawn(page) -> list[dict]:  # noqa: F811
    return page.evaluate(SHOWN_TEXT)


@pytest.mark.parametrize("width", [1280, 375])
def test_chart_pages_and_scorecard_pass_axe_without_console_errors(page, site_url, width):  # noqa: F811
    page.set_viewport_size({"width": width, "height": 900})
    problems = []
    for path in PAGES:
        page.goto(f"{site_url}/{path}")
        page.wait_for_load_state("networkidle")
        problems += axe_problems(page, f"{path} at {width}")
    assert page.errors == [] and page.foreign == [] and problems == []


@pytest.mark.parametrize("width, shown", [(1280, "chart chart--wide"), (375, "chart chart--narrow"),
                                          (320, "chart chart--narrow")])
def test_one_drawing_shows_and_its_texts_neither_overlap_nor_shrink(page, site_url, width, shown):  # noqa: F811
    page.set_viewport_size({"width": width, "height": 900})
    for path in CHARTS:
        page.goto(f"{site_url}/{path}")
        charts = drawn(page)
        assert [c["cls"] for c in charts] == [shown], path
        texts = charts[0]["texts"]
        for a in range(len(texts)):
            for b in range(a + 1, len(texts)):
                assert not overlaps(texts[a]["box"], texts[b]["box"]), (path, texts[a], texts[b])
        target = [t for t in texts if t["text"].startswith("Target ")]
        assert not any(overlaps(t["box"], p) for t in target for p in charts[0]["points"]), path
        if width == 375:
            assert min(t["px"] for t in texts) >= 12, (path, texts)


@pytest.mark.parametrize("path", ["public/latest/measures/", "public/latest/measures/M2/", "staff/latest/measures/M3/"])
def test_no_content_is_wider_than_a_320px_screen(page, site_url, path):  # noqa: F811
    """The page's content (charts, figures, the scorecard's scrolling table box) fits 320 px; the header's version
    menu and the navigation drawer are part 6's (reflow)."""
    page.set_viewport_size({"width": 320, "height": 900})
    page.goto(f"{site_url}/{path}")
    widths = page.evaluate("() => { const m = document.querySelector('.md-content'); "
                           "return [m.getBoundingClientRect().right, m.scrollWidth, document.documentElement.clientWidth]; }")
    assert widths[0] <= widths[2] and widths[1] <= widths[2], widths


def test_scorecard_says_direction_and_judgement_and_the_page_the_age(page, site_url):  # noqa: F811
    page.goto(f"{site_url}/public/latest/measures/")
    assert page.get_by_role("cell", name="Up £220,000 since 2013/14 year to date (to April 2013) — worse (lower is "
                                          "better)").count() == 1
    page.goto(f"{site_url}/public/latest/measures/M1/")
    assert page.locator("figcaption").inner_text().startswith(
        "Latest reading: April 2013, 2 months before this reporting point. The dotted line marks this reporting "
        "point, 1 July 2013.")
    assert page.get_by_role("img", name="Core assessments in timescale").count() == 1  # the hidden drawing is not
    page.emulate_media(media="print")
    assert [c["cls"] for c in drawn(page)] == ["chart chart--wide"]

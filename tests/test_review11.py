"""Defects found by the fresh-eyes review of issue 11's merged work, each pinned by a test that failed before its
fix."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from conftest import build, publish_as
from plan_edits import edited

LONG_TITLE = ("Improvement Board meeting of the Children's Services Strategic Partnership, extraordinary session on "
              "safeguarding, June 2013")


@pytest.fixture(scope="module")
def long_title_site(tmp_path_factory) -> Path:
    root = edited(tmp_path_factory.mktemp("review11-long"))
    publish_as(root, "2013-06-board", LONG_TITLE, date(2013, 6, 25))
    publish_as(root, "2013-07-board", "Improvement plan agreed, November 2012", date(2013, 7, 1))
    return build(root)


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 1024, 800, 721])
def test_the_header_never_widens_a_desktop_or_zoomed_page(browser, serve, long_title_site, width):
    """The version selector wrapped only below 45em: at wider widths a reporting point's title stayed on one line,
    so a long one pushed a 1280px page sideways, and even the sample's 'Improvement plan agreed, November 2012'
    widened an 800px page (a 1440px screen at 180% zoom)."""
    base = serve(long_title_site)
    page = browser.new_page(viewport={"width": width, "height": 900})
    try:
        for version in ("2013-06-board", "2013-07-board"):
            page.goto(f"{base}/public/{version}/")
            page.locator(".md-version__current").wait_for()
            page.wait_for_timeout(300)  # Material's transitions
            assert page.evaluate("document.documentElement.scrollWidth") == width, version
            box = page.locator(".md-version__current").bounding_box()
            search = page.locator(".md-search__form").bounding_box() if width > 960 else None
            assert box is not None and box["x"] + box["width"] <= width
            if search is not None:
                assert box["x"] + box["width"] <= search["x"], version  # it does not run under the search box
    finally:
        page.close()



def test_a_headline_card_names_its_periods_in_words_as_its_trend_line_does():
    """The home page's card said 'From 21.6% in 2012-11 to 85.4% in 2013-04' above 'Up 34.9 points since December
    2012': two ways of naming months in one card, and '2013-04' broke as '2013-' / '04' on a phone."""
    from generator.home import span_words
    from generator.model import Better, Measure, MeasureValue, Unit

    m = Measure(id="M1", name="Core", definition="d", unit=Unit.percent, better=Better.higher,
                values=[MeasureValue(period="2012/13", value=21.6), MeasureValue(period="2013-04", value=85.4),
                        MeasureValue(period="2013-06-18", value=90)])
    assert span_words(m) == "from 21.6% in 2012/13 to 90% in 18 June 2013, better"


def test_a_download_the_page_lists_is_never_overwritten_by_a_short_name():
    """A corrected version whose id is 'as-first-published' named plan.json 'plan-as-first-published.json', the
    short name of the plan as first published, written after it: the link the downloads page lists as the whole
    plan served the plan before its corrections."""
    from generator.render import Download, downloads

    files = [Download("downloads/plan-as-first-published.json", "downloads/plan.json", "JSON", "plan", "corrected"),
             Download("downloads/plan-as-first-published-as-first-published.json",
                      "downloads/plan-as-first-published.json", "JSON", "first", "original")]
    assert downloads(None, files) == {  # type: ignore[arg-type]
        "downloads/plan.json": "corrected", "downloads/plan-as-first-published.json": "corrected",
        "downloads/plan-as-first-published-as-first-published.json": "original"}


@pytest.mark.parametrize("email", ["access?cc=someone@example.gov.uk", "access&bcc=x@example.gov.uk",
                                   "access#x@example.gov.uk", "access%3Fcc@example.gov.uk", "a/b@example.gov.uk"])
def test_the_statements_email_cannot_add_headers_to_its_mailto_link(email):
    """'access?cc=someone@example.gov.uk' passed as an email address and became
    <a href="mailto:access?cc=someone@example.gov.uk">: a mail to 'access' with a copy to someone else."""
    from pydantic import ValidationError

    from generator.model import AccessibilityContact

    with pytest.raises(ValidationError) as raised:
        AccessibilityContact(email=email)
    assert raised.value.errors()[0]["msg"] == (f"Value error, '{email}' is not an email address (write it as "
                                               "name@example.gov.uk)")
    assert AccessibilityContact(email="access.team+web@example.gov.uk").email == "access.team+web@example.gov.uk"


@pytest.mark.browser
@pytest.mark.parametrize("path", ["public/2013-07-board/themes/", "staff/2013-07-board/actions/",
                                  "public/2013-07-board/404.html"])
def test_a_page_that_fits_on_one_sheet_prints_on_one(browser, serve, minimal_site, path):
    """Material's body is at least 100% tall and sat 2px down in print, so every short page printed a second,
    blank sheet, its footer saying 'Page 1 of 2'."""
    import re

    page = browser.new_page()
    try:
        page.goto(f"{serve(minimal_site)}/{path}")
        pdf = page.pdf(format="A4", prefer_css_page_size=True)
    finally:
        page.close()
    assert len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf)) == 1


def test_a_draft_with_no_published_point_does_not_claim_points_or_a_first_report(tmp_path):
    """With nothing published, the draft's Reporting points page said 'The draft lists every reporting point
    published so far' (there are none) and offered 'What it first reported' for a draft that has reported nothing."""
    import re

    site = build(edited(tmp_path))
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", (site / "staff/draft/points/index.html").read_text()))
    assert "No reporting point has been published yet: there is only the working draft." in text
    assert "published so far" not in text and "first reported" not in text
    assert "The working draft : Draft: not yet reported What the working draft holds" in text

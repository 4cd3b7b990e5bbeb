"""The About page and the home page's summary in Debian's Chromium: no console errors, nothing leaves localhost,
no serious or critical axe-core finding (WCAG 2.2 AA), in both editions."""

from __future__ import annotations

from datetime import date

import pytest

from conftest import FIXTURES, build, copy_plan, publish_as
from test_about import ABOUT, GOV
from test_browser import axe_problems, page  # noqa: F401  (the page fixture: console errors and foreign requests recorded)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def about_url(tmp_path_factory, serve) -> str:
    root = copy_plan(FIXTURES / "minimal", tmp_path_factory.mktemp("browser-about") / "plan")
    plan = root / "plan.yaml"
    plan.write_text(plan.read_text().replace(GOV, GOV + ABOUT))
    publish_as(root, "2013-07-board", "Improvement Board, July 2013", date(2013, 7, 1))
    return serve(build(root))


@pytest.mark.parametrize("edition", ["public", "staff"])
def test_about_and_home_load_cleanly_and_pass_axe(page, about_url, edition):  # noqa: F811
    problems = []
    for kind, heading in (("about/", "About this plan"), ("", "Is it improving?")):
        page.goto(f"{about_url}/{edition}/latest/{kind}")
        page.wait_for_load_state("networkidle")
        assert page.get_by_role("heading", name=heading).is_visible()
        problems += axe_problems(page, kind)
    assert page.errors == []
    assert page.foreign == []
    assert problems == []


def test_about_is_reached_from_the_navigation(page, about_url):  # noqa: F811
    page.goto(f"{about_url}/public/latest/")
    page.wait_for_load_state("networkidle")
    page.locator(".md-nav--primary a.md-nav__link", has_text="About this plan").first.click()
    page.wait_for_url("**/latest/about/", timeout=10_000)
    assert page.locator("h1").inner_text() == "About this plan"
    key_dates = page.get_by_role("table", name="Key dates, oldest first")
    assert key_dates.locator("tbody tr").count() == 3  # the staff-only key date is not in the public edition
    assert page.errors == []

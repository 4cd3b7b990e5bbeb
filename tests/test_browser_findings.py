"""Real-browser checks of the findings register and a finding's page: axe finds no serious or critical WCAG 2.2 AA
violation, no console error, nothing leaves localhost, and the register's tables sort by a column."""

from __future__ import annotations

from datetime import date

import pytest

from conftest import FIXTURES, build, copy_plan, publish_as
from test_browser import axe_problems, page  # noqa: F401  (the page fixture: console errors and foreign requests recorded)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site_url(tmp_path_factory, serve) -> str:
    root = copy_plan(FIXTURES / "findings", tmp_path_factory.mktemp("browser-findings") / "plan")
    publish_as(root, "2013-07-board", "Improvement Board, July 2013", date(2013, 7, 1))
    return serve(build(root))


@pytest.mark.parametrize("edition", ["public", "staff"])
def test_findings_pages_load_cleanly_and_pass_axe(page, site_url, edition):  # noqa: F811
    problems = []
    for kind in ("findings/", "findings/F3/", "actions/A5/", "downloads/"):
        page.goto(f"{site_url}/{edition}/latest/{kind}")
        page.wait_for_load_state("networkidle")
        assert page.locator("h1").first.is_visible()
        problems += axe_problems(page, kind)
    assert page.errors == []
    assert page.foreign == []
    assert problems == []


def test_a_findings_table_sorts_by_a_column(page, site_url):  # noqa: F811
    page.goto(f"{site_url}/staff/latest/findings/")
    page.wait_for_load_state("networkidle")
    table = page.locator("table[data-sortable]").first
    ids = lambda: [r.locator("td").first.inner_text() for r in table.locator("tbody tr").all()]  # noqa: E731
    assert ids() == ["F1", "F2", "F3", "F4"]
    table.locator("th:nth-child(5) button").click()  # answered by: fewest answering actions first
    assert table.locator("th:nth-child(5)").get_attribute("aria-sort") == "ascending"
    assert ids() == ["F4", "F1", "F2", "F3"]
    table.locator("th:nth-child(5) button").click()
    assert ids() == ["F3", "F1", "F2", "F4"]
    assert page.errors == []

"""Real-browser checks of the slips: the actions register and a slipped action's page load cleanly and pass axe
(WCAG 2.2 AA, no serious or critical violation) in both editions, and the register sorts by days slipped as
numbers (9 before 122)."""

from __future__ import annotations

from datetime import date

import pytest

from conftest import FIXTURES, build, copy_plan, publish_as
from test_browser import axe_problems, page  # noqa: F401  (the page fixture: console errors and foreign requests)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site_url(tmp_path_factory, serve) -> str:
    """The minimal plan with A1 slipped twice (122 days) and A2 once (9 days), published and built."""
    root = copy_plan(FIXTURES / "minimal", tmp_path_factory.mktemp("browser-slips") / "plan")
    plan = root / "plan.yaml"
    plan.write_text(plan.read_text("utf-8").replace(
        "    target_date: 2013-09-30\n", "    target_date: 2013-09-30\n    target_date_changes:\n"
        "      - {on: 2013-03-01, from: 2013-05-31, reason: The audit tool was not ready.}\n"
        "      - {on: 2013-05-01, from: 2013-07-31, reason: Two auditors left.}\n").replace(
        "    target_date: 2013-03-31\n", "    target_date: 2013-03-31\n    target_date_changes:\n"
        "      - {on: 2013-03-01, from: 2013-03-22, reason: The room was not free.}\n"), "utf-8")
    publish_as(root, "2013-07-board", "Improvement Board, July 2013", date(2013, 7, 1))
    return serve(build(root))


@pytest.mark.parametrize("edition", ["public", "staff"])
def test_register_and_slipped_action_pass_axe(page, site_url, edition):  # noqa: F811
    problems = []
    for kind in ("actions/", "actions/A1/", ""):
        page.goto(f"{site_url}/{edition}/latest/{kind}")
        page.wait_for_load_state("networkidle")
        problems += axe_problems(page, kind)
    assert "Two auditors left." in page.goto(f"{site_url}/{edition}/latest/actions/A1/").text()
    assert page.errors == []
    assert page.foreign == []
    assert problems == []


def test_register_sorts_by_days_slipped_as_numbers(page, site_url):  # noqa: F811
    page.goto(f"{site_url}/public/latest/actions/")
    page.wait_for_load_state("networkidle")
    rows = page.locator("table[data-register] tbody tr")
    page.click("table[data-register] th:nth-child(6) button")  # Slipped, ascending
    assert [r.locator("td").first.inner_text() for r in rows.all()] == ["A2", "A1"]
    page.click("table[data-register] th:nth-child(6) button")  # descending
    assert [r.locator("td").first.inner_text() for r in rows.all()] == ["A1", "A2"]
    assert page.errors == []

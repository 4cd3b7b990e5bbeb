"""The scorecard and measure pages with money, year-to-date readings, a reading without a figure and a neutral
measure, in Debian's Chromium: they load without console errors, request nothing from other hosts, and axe-core
finds no serious or critical WCAG 2.2 AA violation (the arrow is hidden from screen readers, its word is not)."""

from __future__ import annotations

from datetime import date

import pytest

from conftest import FIXTURES, build, copy_plan, publish_as
from test_browser import axe_problems, page  # noqa: F401  (page is a fixture)
from test_measures_model import MEASURES

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site_url(tmp_path_factory, serve) -> str:
    root = copy_plan(FIXTURES / "minimal", tmp_path_factory.mktemp("browser-measures") / "plan")
    plan = root / "plan.yaml"
    plan.write_text(plan.read_text().replace("\nrisks:\n", "\n" + MEASURES))
    publish_as(root, "2013-07-board", "Improvement Board, July 2013", date(2013, 7, 1))
    return serve(build(root))


@pytest.mark.parametrize("edition, kinds", [
    ("public", ["", "measures/", "measures/M2/", "measures/M4/"]),
    ("staff", ["", "measures/", "measures/M2/", "measures/M3/", "measures/M4/"])])
def test_measure_pages_load_cleanly_and_pass_axe(page, site_url, edition, kinds):  # noqa: F811
    problems = []
    for kind in kinds:
        page.goto(f"{site_url}/{edition}/latest/{kind}")
        page.wait_for_load_state("networkidle")
        problems += axe_problems(page, kind)
    assert page.errors == []
    assert page.foreign == []
    assert problems == []
    page.goto(f"{site_url}/{edition}/latest/measures/")
    assert page.get_by_role("cell", name="Up £220,000 since 2013/14 year to date (to April 2013) — worse (lower is better)").count() == 1

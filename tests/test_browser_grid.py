"""Real-browser check of the gradings page with team diagnostics (the grid fixture): it loads without console
errors or requests to other hosts, axe-core finds no serious or critical WCAG 2.2 AA violation, and the grid's
cells are read with their row and column headers."""

from __future__ import annotations

from datetime import date

import pytest

from conftest import FIXTURES, build, copy_plan, publish_as
from test_browser import axe_problems, page  # noqa: F401  (the page fixture: console errors and foreign requests recorded)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def grid_url(tmp_path_factory, serve) -> str:
    root = copy_plan(FIXTURES / "grid", tmp_path_factory.mktemp("browser-grid") / "plan")
    publish_as(root, "2013-07-board", "Improvement Board, July 2013", date(2013, 7, 1))
    return serve(build(root))


@pytest.mark.parametrize("edition", ["public", "staff"])
def test_gradings_page_with_grids_passes_axe(page, grid_url, edition):  # noqa: F811
    page.goto(f"{grid_url}/{edition}/latest/gradings/")
    page.wait_for_load_state("networkidle")
    problems = axe_problems(page, "gradings")
    assert problems == []
    assert page.errors == []
    assert page.foreign == []
    grid = page.get_by_role("table", name="Team diagnostic, January 2013: services by domain")
    assert grid.get_by_role("columnheader").all_inner_texts() == [
        "Service", "Leadership", "Practice", "Quality assurance", "Partnerships", "Overall"]
    assert grid.get_by_role("rowheader").all_inner_texts() == [
        "Front door", "Assessment", "Children in care", "Care leavers"]
    compared = page.get_by_role("table", name="Team diagnostic, January 2013 → Team diagnostic, June 2013")
    assert compared.get_by_role("cell").first.inner_text() == "5 adequate, 3 inadequate, 1 good → 6 good, 3 adequate"

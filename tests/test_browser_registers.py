"""Real-browser checks of the registers (issue 11 part 4) on the sample plan: axe finds no serious or critical WCAG
2.2 AA violation on the registers, the overdue and evidence pages, at desktop and phone widths; at 375 and 320 px
each row is a card whose every cell is on screen and nothing in the content scrolls sideways; the id and status
sort buttons give natural and severity order; the filter still narrows the cards."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import REPO, build
from generator.registers import id_key, status_key
from generator.validate import validate
from test_browser import axe_problems, page  # noqa: F401  (the page fixture: console errors and foreign requests)

pytestmark = pytest.mark.browser

LATEST = "2013-07-scrutiny"
REGISTERS = ["actions/", "recommendations/", "recommendations/overdue/", "themes/T2/"]
STAFF_ONLY = ["evidence/", "risks/"]


@pytest.fixture(scope="module")
def site_url(tmp_path_factory, serve) -> str:
    out: Path = build(REPO, tmp_path_factory.mktemp("browser-registers") / "site", workers=2)
    return serve(out)


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("edition", ["public", "staff"])
def test_registers_pass_axe_at_desktop_and_phone_widths(page, site_url, edition, width):  # noqa: F811
    page.set_viewport_size({"width": width, "height": 900})
    problems = []
    for kind in REGISTERS + (STAFF_ONLY if edition == "staff" else []) + ["documents/DOC-IB-2013-06/"]:
        page.goto(f"{site_url}/{edition}/{LATEST}/{kind}")
        page.wait_for_load_state("networkidle")
        problems += axe_problems(page, f"{kind} at {width}px")
    assert page.errors == []
    assert page.foreign == []
    assert problems == []


OFF_SCREEN = """() => {
  const out = [];
  const width = document.documentElement.clientWidth;
  for (const cell of document.querySelectorAll("table.ip-stack > tbody > tr:not([hidden]) > *")) {
    if (getComputedStyle(cell).display === "none") continue;  // a wide-only column, shown in another cell
    const box = cell.getBoundingClientRect();
    if (box.width === 0 || box.left < 0 || box.right > width + 0.5) out.push(cell.getAttribute("data-label"));
  }
  const content = document.querySelector(".md-content");
  if (content.scrollWidth > content.clientWidth) out.push("content scrolls sideways");
  for (const wrap of document.querySelectorAll(".ip-table-wrap")) {
    if (wrap.querySelector("table.ip-stack") && wrap.scrollWidth > wrap.clientWidth) out.push("a register scrolls");
  }
  return out;
}"""


@pytest.mark.parametrize("width", [375, 320])
def test_at_phone_widths_every_cell_of_every_card_is_on_screen(page, site_url, width):  # noqa: F811
    page.set_viewport_size({"width": width, "height": 800})
    problems = {}
    for kind in REGISTERS + STAFF_ONLY:
        page.goto(f"{site_url}/staff/{LATEST}/{kind}")
        page.wait_for_load_state("networkidle")
        assert page.locator("table.ip-stack").count() > 0, kind
        problems[kind] = page.evaluate(OFF_SCREEN)
    assert problems == {kind: [] for kind in REGISTERS + STAFF_ONLY}
    status = page.goto(f"{site_url}/staff/draft/actions/") and page.locator(
        "table[data-register] tbody tr:has(a[href='A2.2/']) td[data-label='Status']")
    assert status.is_visible() and status.inner_text() == "Amber · slipped 4 months (1 move)"
    assert status.evaluate("c => c.getBoundingClientRect().right") <= width


def ids(page) -> list[str]:  # noqa: F811
    return page.locator("table[data-register] tbody tr td:first-child a").all_inner_texts()


@pytest.mark.parametrize("width", [1280, 375])
def test_id_and_status_sort_in_natural_and_severity_order(page, site_url, width):  # noqa: F811
    plan = validate(REPO)[0]
    natural = sorted((a.id for a in plan.actions), key=id_key)
    severity = [a.id for a in sorted(sorted(plan.actions, key=lambda a: id_key(a.id)),
                                     key=lambda a: status_key(a.status, a.is_overdue(plan.info.as_at)))]
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{site_url}/staff/draft/actions/")
    page.wait_for_load_state("networkidle")
    assert ids(page) == natural
    page.click("table[data-register] th:nth-child(1) button")  # Id, ascending
    assert ids(page) == natural
    page.click("table[data-register] th:nth-child(1) button")  # Id, descending
    assert ids(page) == natural[::-1]
    page.click("table[data-register] th:nth-child(7) button")  # Status, most pressing first
    assert ids(page) == severity
    assert severity[:2] == ["A1.3", "A3.11"] and severity[-1] == "A3.10"  # overdue reds first; complete last
    page.fill("#ip-filter", "caseloads")
    page.dispatch_event("#ip-filter", "input")
    visible = page.locator("table[data-register] tbody tr:visible td:first-child a").all_inner_texts()
    assert visible == ["A2.3"]
    assert page.locator(".ip-count").inner_text() == "Showing 1 of 30 actions"
    assert page.errors == []

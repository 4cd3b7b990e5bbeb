"""Real-browser checks of the accessibility statement and the downloads page (issue 11, items 8 and 9): axe-core's
WCAG 2.2 AA and best-practice rules find nothing serious, no content reaches past a 320 px screen, and every download
link on the page fetches its file."""

from __future__ import annotations

from datetime import date

import pytest

from conftest import FIXTURES, build, copy_plan, publish_as
from test_browser import WCAG, page  # noqa: F401  (the page fixture: console errors and foreign requests recorded)

pytestmark = pytest.mark.browser
KINDS = ["accessibility/", "downloads/"]


@pytest.fixture(scope="module")
def site_url(tmp_path_factory, serve) -> str:
    root = copy_plan(FIXTURES / "minimal", tmp_path_factory.mktemp("browser-statement") / "plan")
    publish_as(root, "2013-07-board", "Improvement Board, July 2013", date(2013, 7, 1))
    plan = root / "plan.yaml"
    plan.write_text(plan.read_text().replace(
        "      chair: ROLE-CHAIR\n", "      chair: ROLE-CHAIR\n  accessibility:\n    team: the Improvement Team\n"
        "    email: access@council.example\n    url: https://council.example/contact/accessibility-problems\n"
        "    prepared: 2013-06-01\n", 1))
    return serve(build(root))


def axe_with_best_practice(page) -> list[str]:  # noqa: F811
    """WCAG 2.2 A/AA on the whole page, best practice on the page's own content (Material's search dialog has no
    name, aria-dialog-name, on every page: the header and search belong to issue 11's layout part)."""
    from axe_playwright_python.sync_playwright import Axe

    found = [*Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG}}).response["violations"],
             *Axe().run(page, context=".md-content",
                        options={"runOnly": {"type": "tag", "values": ["best-practice"]}}).response["violations"]]
    return [f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']}" for v in found
            if v["impact"] in ("serious", "critical", "moderate")]


@pytest.mark.parametrize("edition", ["public", "staff"])
def test_statement_and_downloads_pass_axe_and_reflow(page, site_url, edition):  # noqa: F811
    problems = []
    for kind in KINDS:
        for width in (1280, 320):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(f"{site_url}/{edition}/latest/{kind}")
            page.wait_for_load_state("networkidle")
            problems += [f"{kind} at {width}: {p}" for p in axe_with_best_practice(page)]
            # The page's own content; the header's version label is issue 11's layout part, tested with every page.
            wide = page.evaluate("""() => [...document.querySelectorAll('.md-content *')].filter(
                e => e.getBoundingClientRect().right > document.documentElement.clientWidth).map(e => e.tagName)""")
            assert wide == [], f"{kind} at {width} px: {wide}"
    assert page.errors == [] and page.foreign == []
    assert problems == [], "\n".join(problems)


def test_every_download_link_fetches_its_file(page, site_url):  # noqa: F811
    page.goto(f"{site_url}/public/latest/downloads/")
    links = page.locator(".ip-downloads a").all()
    assert [a.inner_text() for a in links] == [
        "plan-2013-07-board.json", "actions-2013-07-board.csv", "recommendations-2013-07-board.csv",
        "measures-2013-07-board.csv", "timeline-2013-07-board.csv", "gradings-2013-07-board.csv"]
    for a in links:
        response = page.request.get(a.evaluate("a => a.href"))
        assert response.status == 200, a.inner_text()

"""Real-browser checks of the recommendation pages issue 10 changed: the register with its due states, a
"No timescale" group and the "Disagrees with its actions" flag, and a flagged recommendation's page, in both
editions: no console error, no request off localhost, no serious or critical axe (WCAG 2.2 AA) violation."""

from __future__ import annotations

from datetime import date

import pytest

from conftest import build, publish_as
from plan_edits import edited
from test_browser import axe_problems, page  # noqa: F401  (the page fixture: console errors and foreign requests)
from test_recommendations_model import ADD_R2_R3, ANSWERS_R1, V

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def recs_url(tmp_path_factory, serve) -> str:
    root = edited(tmp_path_factory.mktemp("browser-recs"), ANSWERS_R1, ADD_R2_R3)
    publish_as(root, V, "Improvement Board, July 2013", date(2013, 7, 1))
    return serve(build(root))


@pytest.mark.parametrize("edition", ["public", "staff"])
def test_register_and_a_flagged_recommendation_pass_axe(page, recs_url, edition):  # noqa: F811
    problems = []
    for kind, shown in (("recommendations/", "No timescale"), ("recommendations/R1/", "Disagrees with its actions"),
                        ("recommendations/R2/", "No due date")):
        page.goto(f"{recs_url}/{edition}/latest/{kind}")
        page.wait_for_load_state("networkidle")
        assert page.get_by_text(shown, exact=True).first.is_visible(), (kind, shown)
        problems += axe_problems(page, kind)
    if edition == "staff":
        page.goto(f"{recs_url}/staff/latest/recommendations/")
        assert page.get_by_text("Overdue: no progress", exact=True).first.is_visible()
    assert page.errors == []
    assert page.foreign == []
    assert problems == []

"""What the render-time speed-ups (issue 13, item 3) must not change: the answering index follows the plan it was
made for, the shared Markdown converter carries nothing from one document to the next (not even after a
conversion cut short), and page links are posixpath.relpath's."""

from __future__ import annotations

import posixpath

import pytest

from generator.render import _relpath, sanitise_markdown
from generator.validate import validate_all
from plan_edits import edited
from test_recommendations_model import ANSWERS_R1


def ids(actions) -> list[str]:
    return [a.id for a in actions]


def test_answering_index_is_made_again_for_a_copy_with_other_actions(tmp_path):
    plan, _, _ = validate_all(edited(tmp_path, ANSWERS_R1))
    rec = plan.recommendations[0]
    assert (plan.answers_given, ids(plan.answering_actions(rec))) == (True, ["A1"])
    # model_copy copies the cached index too: a copy with other actions must not answer from the original's
    fallback = plan.model_copy(update={"actions": [a.model_copy(update={"answers": []}) for a in plan.actions]})
    assert (fallback.answers_given, ids(fallback.answering_actions(rec))) == (False, ["A1", "A2"])
    none = plan.model_copy(update={"commitments": [c.model_copy(update={"recommendations": []})
                                                   for c in plan.commitments]})
    assert ids(none.answering_actions(rec)) == ["A1"]  # `answers:` still names it
    assert (plan.answers_given, ids(plan.answering_actions(rec))) == (True, ["A1"])


def test_answering_actions_are_a_new_list_each_time(tmp_path):
    plan, _, _ = validate_all(edited(tmp_path, ANSWERS_R1))
    rec = plan.recommendations[0]
    plan.answering_actions(rec).clear()
    assert ids(plan.answering_actions(rec)) == ["A1"]


def test_one_documents_abbreviations_and_ids_do_not_reach_the_next():
    assert sanitise_markdown("*[LADO]: Local authority designated officer\n\nThe LADO.\n\n## Next\n") == (
        '<p>The <abbr title="Local authority designated officer">LADO</abbr>.</p>\n<h2 id="next">Next</h2>')
    assert sanitise_markdown("The LADO.\n\n## Next\n") == '<p>The LADO.</p>\n<h2 id="next">Next</h2>'


def test_a_conversion_cut_short_leaves_the_next_one_whole():
    with pytest.raises(RecursionError):
        sanitise_markdown("".join("\t" * i + "- x\n" for i in range(300)))
    assert sanitise_markdown("Never write `<script>` in a page.\n") == (
        "<p>Never write <code>&lt;script&gt;</code> in a page.</p>")


@pytest.mark.parametrize("path, start", [
    (".", "."), ("actions", "."), (".", "actions/A1"), ("actions/A1", "actions/A2"), ("themes/T1", "actions/A1"),
    ("actions/index.md", "actions"), ("a/b/c", "a/b/c"), ("a/./b", "a//b/"), ("a/../b", "c"), ("/x/y", "x"),
    ("downloads/plan.json", "guide/tasks/edit"),
])
def test_page_links_are_posixpaths_relpath(path, start):
    assert _relpath(path, start) == posixpath.relpath(path, start)

"""The fast validation path (issue 13) says exactly what the slow one said: the loader's compact positions
(generator/marks.py) answer every lookup as the old map of paths did, for the YAML that is hard to locate;
answering actions come from one index; the garbage collector's pause leaves it as it was. Every expected value
here was produced by the loader as it was before the change (a map from each path to its line and column).
Timings are in benchmarks/validate_bench.py, not here."""

from __future__ import annotations

import gc

import pytest

from generator.loader import LoadError, load_yaml, read_text
from generator.marks import Marks
from generator.model import Action, Commitment, Plan, Recommendation, Update
from generator.validate import gc_paused, validate
from conftest import REPO


def spots(text: str, *paths: tuple, key: bool = False, offset: int = 0) -> list[tuple[int, int]]:
    locs = load_yaml(text, "x.yaml", line_offset=offset).locs
    return [(loc.line, loc.col) for loc in (locs.at(p, key=key) for p in paths)]


def problems(text: str, offset: int = 0) -> list[tuple[int, int, str, str]]:
    return [(d.line, d.col, d.code, d.message) for d in load_yaml(text, "x.yaml", line_offset=offset).diags]


DUPLICATED = "a:\n  x: 1\n  y: [1, 2]\nb: 2\na:\n  x: 3\n  z: 4\n"


def test_a_key_written_twice_keeps_both_values_positions():
    assert problems(DUPLICATED) == [(5, 1, "L005", "duplicate key 'a' (first written at line 1)")]
    assert load_yaml(DUPLICATED, "x.yaml").data == {"a": {"x": 3, "z": 4}, "b": 2}
    # a value at the first place it was written; a path only the second value has, there; a key at its last place
    assert spots(DUPLICATED, ("a",), ("a", "x"), ("a", "z"), ("a", "y", 1), ("a", "q")) == [
        (2, 3), (2, 6), (7, 6), (3, 10), (2, 3)]
    assert spots(DUPLICATED, ("a",), ("a", "x"), ("b",), key=True) == [(5, 1), (6, 3), (4, 1)]


def test_the_whole_maps_are_as_the_old_loader_wrote_them():
    locs = load_yaml(DUPLICATED, "x.yaml").locs
    assert isinstance(locs, Marks)
    assert locs.positions == {(): (1, 1), ("<key>",): (1, 1), ("a",): (2, 3), ("a", "<key>"): (2, 3),
                              ("a", "x"): (2, 6), ("a", "y"): (3, 6), ("a", "y", 0): (3, 7), ("a", "y", 1): (3, 10),
                              ("b",): (4, 4), ("a", "z"): (7, 6)}
    assert locs.keys == {("a",): (5, 1), ("a", "x"): (6, 3), ("a", "y"): (3, 3), ("b",): (4, 1), ("a", "z"): (7, 3)}
    odd = load_yaml("<<: {a: 1}\n? [x]\n: 2\nc: 3\n", "x.yaml")
    assert [(d.line, d.col, d.code) for d in odd.diags] == [(1, 1, "L006"), (2, 3, "L008")]
    assert odd.locs.positions == {(): (1, 1), ("<key>",): (1, 1), ("<key>", "<key>"): (1, 6), ("<key>", "a"): (1, 9),
                                  ("<key>", 0): (2, 4), ("c",): (4, 4)}
    assert odd.locs.keys == {("<key>", "a"): (1, 6), ("c",): (4, 1)}


def test_anchors_and_aliases():
    text = "base: &b {k: v, n: [1, 2]}\nuse: *b\nlist: [*b, *b]\n"
    loaded = load_yaml(text, "x.yaml")
    assert loaded.data["use"] is loaded.data["base"] and loaded.aliased
    # inside an alias there is nothing written: its values are located at the alias
    assert spots(text, ("use",), ("use", "k"), ("list", 1), ("base", "n", 1)) == [(2, 6), (2, 6), (3, 12), (1, 24)]


def test_tab_indentation_is_located_and_explained():
    with pytest.raises(LoadError) as info:
        load_yaml("a:\n\tb: 1\n", "x.yaml")
    d = info.value.diag
    assert (d.line, d.col, d.code, d.hint) == (2, 1, "L004", "indent with spaces, not tabs")


def test_very_long_lines_keep_exact_columns():
    assert spots("a: " + "x" * 100_000 + "\nb: [1, \"\\x7f\"]\n", ("a",), ("b", 1)) == [(1, 4), (2, 8)]
    wide = "{" + ", ".join(f"k{i}: {i}" for i in range(12_000)) + "}\n"
    assert spots(wide, ("k11999",), ("k0",)) == [(1, 157_775), (1, 6)]
    assert spots(wide, ("k11999",), key=True) == [(1, 157_767)]
    with pytest.raises(LoadError) as info:
        load_yaml("c: " + "y" * 70_000 + ": z\n", "x.yaml")
    assert (info.value.diag.line, info.value.diag.col) == (1, 70_004)


def test_escaped_unprintable_characters_name_their_field():
    assert problems("\"a\\u202eb\": 1\n") == [
        (1, 1, "L011", "a key at the top level holds the character U+202E (a bidirectional control), which is not "
                       "allowed in text")]
    assert problems("a:\r\n  b: \"x\\r\"\r\n  c: [\"\\x01\"]\r\n") == [
        (2, 6, "L011", "'a.b' holds the character U+000D (a control character), which is not allowed in text"),
        (3, 7, "L011", "'a.c[1]' holds the character U+0001 (a control character), which is not allowed in text")]
    assert problems("a: [1, \"\\x7f\"]\nb: 'x\\x7f'\n") == [
        (1, 8, "L011", "'a[2]' holds the character U+007F (a control character), which is not allowed in text")]


def test_front_matter_counts_file_lines():
    text = "id: D1\nid: D2\n"
    assert problems(text, offset=1) == [(3, 1, "L005", "duplicate key 'id' (first written at line 2)")]
    assert spots(text, ("id",), (), offset=1) == [(2, 5), (2, 1)]
    assert spots(text, ("id",), key=True, offset=1) == [(3, 1)]
    assert spots("# nothing\n", ("a",), offset=4) == [(5, 1)]


def test_deep_nesting_and_lists():
    deep = "".join("  " * i + f"k{i}:\n" for i in range(60)) + "  " * 60 + "leaf\n"
    assert spots(deep, tuple(f"k{i}" for i in range(60)), tuple(f"k{i}" for i in range(30))) == [(61, 121), (31, 61)]
    assert spots("- a\n- [b, {c: d}]\n- e: f\n  g: [h]\n", (1, 1, "c"), (2, "g", 0), (5,), (2, "zz")) == [
        (2, 11), (4, 7), (1, 1), (3, 3)]
    many = "items:\n" + "".join(f"  - id: A{i}\n    n: {i}\n" for i in range(5_000))
    assert spots(many, ("items", 4_999, "n"), ("items", 0, "id"), ("items", 5_000)) == [(10_001, 8), (2, 9), (2, 3)]


def test_bom_and_bad_bytes_as_before(tmp_path):
    (tmp_path / "bom.yaml").write_bytes(b"\xef\xbb\xbfa: 1\n")
    assert spots(read_text(tmp_path / "bom.yaml", "bom.yaml"), ("a",)) == [(1, 4)]
    (tmp_path / "latin.yaml").write_bytes("a: 1\nb: caf".encode() + b"\xe9\n")
    with pytest.raises(LoadError) as info:
        read_text(tmp_path / "latin.yaml", "latin.yaml")
    assert (info.value.diag.line, info.value.diag.col, info.value.diag.message) == (
        2, 7, "byte 0xe9 is not UTF-8 text")


def test_an_unprintable_character_in_a_non_ascii_file_is_found():
    with pytest.raises(LoadError) as info:
        load_yaml("a: café\nb: x\u202ey\n", "x.yaml")
    assert (info.value.diag.line, info.value.diag.col, info.value.diag.code) == (2, 5, "L011")
    with pytest.raises(LoadError) as info:
        load_yaml("a: 1\nb: x\x7fy\n", "x.yaml")
    assert (info.value.diag.line, info.value.diag.col, info.value.diag.code) == (2, 5, "L011")


def _action(ident: str, commitment: str, answers: list[str]) -> Action:
    return Action(id=ident, commitment=commitment, title="t", lead="R", target_date="2013-01-01", answers=answers,
                  updates=[Update(date="2013-01-01", status="green")])


def _recommendation(ident: str) -> Recommendation:
    return Recommendation.model_validate({"id": ident, "source": "S", "reference": "1", "text": "t",
                                          "service_area": "Safeguarding services"})


def test_without_answers_the_commitments_actions_answer():
    plan = Plan(info=None, commitments=[Commitment.model_validate({"id": "C1", "theme": "T", "statement": "s",
                                                                   "recommendations": ["R1"]})])
    plan.recommendations.append(_recommendation("R1"))
    plan.actions += [_action("A1", "C1", []), _action("A2", "C2", []), _action("A3", "C1", [])]
    assert plan.answers_given is False
    assert [a.id for a in plan.answering_actions(plan.recommendations[0])] == ["A1", "A3"]


def test_answers_named_twice_count_once_and_an_added_action_counts():
    plan = Plan(info=None)
    plan.recommendations.append(_recommendation("R1"))
    plan.actions += [_action("A1", "C1", ["R1", "R1"]), _action("A2", "C1", ["F1"])]
    rec = plan.recommendations[0]
    assert plan.answers_given is True
    assert [a.id for a in plan.answering_actions(rec)] == ["A1"]
    plan.actions.append(_action("A3", "C1", ["R1"]))  # the index is worked out again for the longer list
    assert [a.id for a in plan.answering_actions(rec)] == ["A1", "A3"]


def test_the_collector_is_left_as_it_was():
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_validate_leaves_the_collector_on(tmp_path):
    (tmp_path / "plan.yaml").write_text("format: 2\nplan: 1\n", encoding="utf-8")
    _, diags = validate(tmp_path)
    assert [(d.line, d.col, d.code) for d in diags] == [(2, 7, "S103")]
    assert gc.isenabled()


def test_the_sample_plans_answering_actions_are_what_one_scan_per_recommendation_found():
    plan, _ = validate(REPO)
    recs = {r.id for r in plan.recommendations}
    given = any(recs.intersection(a.answers) for a in plan.actions)  # the definitions as they were written before
    assert plan.answers_given is given is True
    for rec in plan.recommendations:
        assert plan.answering_actions(rec) == [a for a in plan.actions if rec.id in a.answers]
        commitments = {c.id for c in plan.commitments if rec.id in c.recommendations}
        assert plan.answering().by_commitment.get(rec.id, []) == [a for a in plan.actions if a.commitment in commitments]

"""The three site engines (generator/engine.py) on the same staged project: MkDocs 1.6.1 (the default), ProperDocs
1.6.7 and Zensical 0.0.73. Each builds the same set of pages; the public edition carries nothing staff-only on any;
a hostile or broken docs_theme/ template stops each with the same kind of located message; a plan large enough to
outgrow Zensical's search index still builds.

Files an engine makes as its own are left out of the comparison: Material's and Zensical's script and style bundles
(assets/javascripts/, assets/stylesheets/: each engine ships its own), the search index (MkDocs and ProperDocs run
Material's search plugin into search/search_index.json; Zensical writes search.json) and MkDocs' gzipped sitemap
(Zensical writes none; the build writes its own sitemap.xml when there is no site_url).
"""

from __future__ import annotations

import json
import shutil
import sys
from datetime import date
from pathlib import Path

import pytest

from conftest import FIXTURES, REPO, copy_plan, copy_sample, publish_as
from generator import build as builder
from generator.build import theme_dir
from generator.engine import ENGINES, EngineError, build_project, zensical_warnings
from test_leak import canaries_in

OWN = {"mkdocs": {"search/search_index.json", "sitemap.xml.gz"}, "properdocs": {"search/search_index.json",
       "sitemap.xml.gz"}, "zensical": {"search.json"}}
BUNDLES = ("assets/javascripts/", "assets/stylesheets/")


def built(root: Path, folder: Path, engine: str, edition: str = "staff", version: str | None = "draft") -> Path:
    """Stage one (edition, version) of the plan at `root` and build it with `engine`; returns its site folder."""
    config = builder.stage_site(root, folder, edition, version)
    build_project(config, theme_dir(root).resolve(), 0, engine)
    return folder / "site"


def files(site: Path, engine: str) -> set[str]:
    every = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    return {f for f in every if not f.startswith(BUNDLES)} - OWN[engine]


@pytest.fixture(scope="module")
def sample_sites(tmp_path_factory) -> dict[str, Path]:
    """The sample's staff draft, built by each engine."""
    base = tmp_path_factory.mktemp("engines")
    root = copy_sample(base / "plan")
    return {engine: built(root, base / engine, engine) for engine in ENGINES}


def test_every_engine_builds_the_same_pages(sample_sites):
    pages = {e: sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
             for e, site in sample_sites.items()}
    assert len(pages["mkdocs"]) == 134 and "actions/A1.1/index.html" in pages["mkdocs"]
    assert pages["properdocs"] == pages["mkdocs"]
    assert pages["zensical"] == pages["mkdocs"]
    assert files(sample_sites["properdocs"], "properdocs") == files(sample_sites["mkdocs"], "mkdocs")
    assert files(sample_sites["zensical"], "zensical") == files(sample_sites["mkdocs"], "mkdocs")


def test_properdocs_makes_mkdocs_bytes_but_for_its_name(sample_sites):
    """ProperDocs is a drop-in fork: the same pages and search index, byte for byte, except the generator tag."""
    mk, pd = sample_sites["mkdocs"], sample_sites["properdocs"]
    ours = sorted(files(mk, "mkdocs") | OWN["mkdocs"])
    differ = [f for f in ours if (mk / f).read_bytes() != (pd / f).read_bytes()]
    assert differ and all(f.endswith(".html") for f in differ)
    tag = ('<meta name="generator" content="mkdocs-1.6.1, mkdocs-material-9.8.1">',
           '<meta name="generator" content="mkdocs-ProperDocs 1.6.7, mkdocs-material-9.8.1">')
    assert [f for f in differ if (mk / f).read_text("utf-8").replace(*tag) != (pd / f).read_text("utf-8")] == []


def test_the_packaged_theme_is_under_the_plans_own_on_every_engine(sample_sites):
    """The sample's docs_theme/ has extra.css and an image; the packaged main.html, ip.css and ip.js come from the
    package on each engine (Zensical has no layering of its own: it gets a merged custom_dir)."""
    for engine, site in sample_sites.items():
        page = (site / "index.html").read_text("utf-8")
        assert '<p class="ip-banner ip-banner--staff"><strong>Staff edition.</strong>' in page, engine
        assert (site / "assets/ip.js").read_bytes() == (REPO / "generator/theme/assets/ip.js").read_bytes(), engine
        assert (site / "assets/extra.css").read_bytes() == (REPO / "docs_theme/assets/extra.css").read_bytes(), engine


def test_registers_and_change_lists_are_out_of_every_engines_search(sample_sites):
    """Their rows are items with pages of their own (found there); the register's heading stays searchable."""
    mk = json.loads((sample_sites["mkdocs"] / "search/search_index.json").read_text("utf-8"))["docs"]
    zs = json.loads((sample_sites["zensical"] / "search.json").read_text("utf-8"))["items"]
    for index in (mk, zs):
        entries = {e["location"]: e for e in index}
        assert entries["actions/#all"]["title"] == "All actions"
        assert "A1.1" not in entries["actions/#all"]["text"]
        assert "Appoint a new independent chair" in entries["actions/A1.1/"]["text"] + entries["actions/A1.1/"]["title"]
        assert "A1.8" in entries["actions/A1.8/"]["title"] + entries["actions/A1.8/"]["text"]
        assert "A1.8" not in json.dumps([e for loc, e in entries.items() if loc.startswith("changes/")])


@pytest.fixture(scope="module")
def leak_root(tmp_path_factory) -> Path:
    root = copy_plan(FIXTURES / "leak", tmp_path_factory.mktemp("leak") / "plan")
    publish_as(root, "2013-07-board", "Improvement Board, July 2013", date(2013, 7, 1))
    return root


@pytest.mark.parametrize("engine", ENGINES)
def test_no_staff_canary_in_the_public_edition_on_any_engine(leak_root, tmp_path, engine):
    staged = builder.stage_site(leak_root, tmp_path / "staff", "staff", "draft").parent
    assert len(canaries_in(staged / "docs")) >= 20  # the staff edition has them, so this test can fail
    site = built(leak_root, tmp_path / "public", engine, "public", "2013-07-board")
    assert (site / "actions/index.html").is_file()
    assert canaries_in(site) == {}


# --- docs_theme/ templates: editors can change them -------------------------------------------------------------

HOSTILE = "{{ self.__init__.__globals__.__builtins__.__import__('os').popen('touch MARK').read() }}"
SANDBOXED = ("the theme tried something templates may not do: access to attribute '__init__' of 'TemplateReference' "
             "object is unsafe.; a template in docs_theme/ may print text and HTML but not reach into Python (the "
             "output was not changed)")
TEMPLATE_FAILURES = {
    # Jinja's sandbox (MkDocs, ProperDocs) refuses the attribute; Zensical's minijinja has no Python to reach: the
    # attribute is an undefined value, which it refuses to print.
    "hostile": {"mkdocs": SANDBOXED, "properdocs": SANDBOXED,
                "zensical": "the theme cannot be rendered: docs_theme/main.html:2: undefined value; fix the template "
                            "in docs_theme/ (the output was not changed)"},
    "broken": {e: f"the theme cannot be rendered: docs_theme/main.html:2: {what}; fix the template in docs_theme/ "
                  "(the output was not changed)"
               for e, what in [("mkdocs", "unexpected '}'"), ("properdocs", "unexpected '}'"),
                               ("zensical", "syntax error: unexpected `}`, expected end of variable block")]},
}


@pytest.fixture(scope="module")
def minimal(tmp_path_factory) -> Path:
    return copy_plan(FIXTURES / "minimal", tmp_path_factory.mktemp("minimal") / "plan")


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("case", sorted(TEMPLATE_FAILURES))
def test_a_bad_theme_template_is_a_located_engine_error(minimal, tmp_path, monkeypatch, engine, case):
    root = copy_plan(minimal, tmp_path / "plan")
    (root / "docs_theme").mkdir()
    body = HOSTILE if case == "hostile" else "{{ x }"
    (root / "docs_theme" / "main.html").write_text('{% extends "base.html" %}\n{% block announce %}' + body
                                                   + "{% endblock %}\n")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(EngineError) as failure:
        built(root, tmp_path / "stage", engine)
    assert failure.value.message == TEMPLATE_FAILURES[case][engine]
    assert not list(tmp_path.rglob("MARK")) and not (tmp_path / "stage" / "site" / "index.html").exists()


def test_zensical_warnings_fail_its_build_with_their_places(minimal, tmp_path):
    """Zensical checks links and anchors; strict, any warning stops the build (as MkDocs' strict mode does)."""
    config = builder.stage_site(minimal, tmp_path, "staff", "draft")
    index = tmp_path / "docs" / "index.md"
    lines = index.read_text("utf-8").count("\n")
    with index.open("a", encoding="utf-8") as f:
        f.write("\n[nowhere](missing.md)\n\n[no anchor](#nope)\n")
    with pytest.raises(EngineError) as failure:
        build_project(config, theme_dir(minimal).resolve(), 0, "zensical")
    assert failure.value.message == (f"Zensical stopped: Aborted with 2 warnings in strict mode! (docs/index.md:"
                                     f"{lines + 2}:11: page does not exist; docs/index.md:{lines + 4}:14: anchor does "
                                     "not exist); the output was not changed")


def test_zensicals_report_is_read_for_warnings_and_places():
    report = ("\x1b[33mWarning:\x1b[0m page does not exist\n"
              "   \x1b[38;5;246m╭─[\x1b[0m a/b.md:3:7 \x1b[38;5;246m]\x1b[0m\n"
              " 3 │ [bad](x.md)\nWarning: anchor does not exist\n   ╭─[ index.md:5:11 ]\n2 issues found\n")
    assert zensical_warnings(report) == ["docs/a/b.md:3:7: page does not exist",
                                         "docs/index.md:5:11: anchor does not exist"]


def test_an_unknown_engine_is_refused(tmp_path):
    with pytest.raises(EngineError) as failure:
        build_project(tmp_path / "mkdocs.yml", tmp_path, 0, "hugo")
    assert failure.value.message == "there is no engine 'hugo' (use mkdocs, properdocs, zensical)"


@pytest.mark.slow
def test_a_plan_beyond_zensicals_search_index_limit_builds(tmp_path):
    """At 4,000 actions Zensical's index allows 32,768 token positions a field: the actions register's list (99k)
    and What changed's (51k) exceeded it before they were left out of search."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        from synthetic import make_plan
    finally:
        sys.path.remove(str(REPO / "benchmarks"))
    root = make_plan(tmp_path / "plan", 4000)
    site = built(root, tmp_path / "stage", "zensical")
    assert (site / "actions/A03999/index.html").is_file() and (site / "search.json").is_file()
    shutil.rmtree(tmp_path / "stage")

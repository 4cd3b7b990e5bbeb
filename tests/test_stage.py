"""Staging: the one place strings reach MkDocs/Material as HTML; and the engine's strict mode."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import yaml

from generator.engine import EngineError, build_project
from generator.project import PUBLIC, STAFF
from generator.render import NavEntry, Page
from generator.reporting import ReportingPoints, Version, VersionEntry
from generator.stage import EditorSettings, page_text, stage, versions_json, write_stage

PAYLOAD = "<img src=x onerror=alert(1)> & \"q\" 'a' \x7f\u0085\u2028"
THEME = Path(__file__).parent.parent / "generator" / "theme"
SETTINGS = EditorSettings(theme={}, extra={"homepage": "https://example.org/?a=1&b=<2>",
                                           "social": [{"icon": "fontawesome/brands/github",
                                                                       "link": "https://example.org/", "name": PAYLOAD}]},
                          copyright=PAYLOAD)


def _staged(edition=STAFF, version=Version("v1", PAYLOAD, date(2013, 7, 1), correction=PAYLOAD)):
    return stage(site_name=PAYLOAD, vision=PAYLOAD, edition=edition, version=version,
                 pages=[Page("index.md", PAYLOAD, "<p>body</p>\n")],
                 nav=[NavEntry("Home", "index.md"), NavEntry(PAYLOAD, children=(NavEntry(PAYLOAD, "index.md"),))],
                 files={"downloads/x.csv": "a,b\n"}, settings=SETTINGS, theme_dir=THEME)


ESCAPED = "&lt;img src=x onerror=alert(1)&gt; &amp; &#34;q&#34; &#39;a&#39; \x7f\u0085\u2028"


def test_page_title_is_escaped_and_survives_yaml_front_matter():
    text = page_text(Page("a.md", PAYLOAD, "<p>x</p>"))
    front = text.split("---\n")[1]
    assert front.isascii()  # every character an escape: no control character can break the front matter
    assert yaml.safe_load(front) == {"title": ESCAPED, "hide": ["toc"]}
    assert text.endswith("---\n\n<p>x</p>")


def test_every_string_handed_to_material_is_escaped():
    config = _staged().config
    assert config["site_name"] == ESCAPED
    assert config["site_description"] == ESCAPED
    assert config["copyright"] == ESCAPED
    assert config["nav"] == [{"Home": "index.md"}, {ESCAPED: [{ESCAPED: "index.md"}]}]
    extra = config["extra"]
    assert extra["version_title"] == ESCAPED
    # Material escapes a social link's name itself (title="{{ title | e }}"): escaping it here would show entities.
    assert extra["social"] == [{"icon": "fontawesome/brands/github", "link": "https://example.org/", "name": PAYLOAD}]
    assert extra["homepage"] == "https://example.org/?a=1&amp;b=&lt;2&gt;"
    assert [b["kind"] for b in extra["banners"]] == ["correction", "staff"]
    assert extra["banners"][0] == {"kind": "correction", "heading": "Corrected after publication.", "text": ESCAPED}
    assert config["strict"] is True


def test_banners_follow_edition_and_version():
    draft = Version("draft", "Draft: not yet reported", date(2013, 7, 1), is_draft=True)
    assert [b["kind"] for b in _staged(STAFF, draft).config["extra"]["banners"]] == ["draft", "staff"]
    assert _staged(PUBLIC, Version("v1", "T", date(2013, 7, 1))).config["extra"]["banners"] == []


def test_versions_json_titles_are_escaped_in_mikes_format():
    text = versions_json([VersionEntry("v1", PAYLOAD, ("latest",))])
    assert json.loads(text) == [{"version": "v1", "title": ESCAPED, "aliases": ["latest"]}]


def test_reporting_points_know_draft_latest_and_keys():
    v1, v2 = Version("a", "A", date(2013, 1, 1), fingerprint=b"1"), Version("b", "B", date(2013, 2, 1), fingerprint=b"2")
    draft = Version("draft", "Draft: not yet reported", date(2013, 3, 1), is_draft=True)
    points = ReportingPoints((v1, v2), draft)
    assert [v.id for v in points.versions(STAFF)] == ["a", "b", "draft"]
    assert [v.id for v in points.versions(PUBLIC)] == ["a", "b"]
    assert points.latest(PUBLIC) == v2
    assert [(e.version, e.aliases) for e in points.entries(STAFF)] == [("draft", ()), ("b", ("latest",)), ("a", ())]
    assert ReportingPoints((), draft).latest(PUBLIC) is None
    assert ReportingPoints((), draft).latest(STAFF) == draft
    keys = points.cache_keys(PUBLIC, "src")
    changed = ReportingPoints((Version("a", "A", date(2013, 1, 1), fingerprint=b"X"), v2), draft).cache_keys(PUBLIC, "src")
    assert keys["a"] != changed["a"] and keys["b"] != changed["b"]  # a change to a point reaches every later one
    assert points.cache_keys(STAFF, "src") != keys
    assert ReportingPoints((v1,), draft).cache_keys(PUBLIC, "src")["a"] == keys["a"]


def test_any_mkdocs_warning_fails_the_build(tmp_path):
    staged = _staged()
    staged.files["index.md"] += "\n[a link to nowhere](missing.md)\n"
    config = write_stage(staged, tmp_path)
    with pytest.raises(EngineError) as exc:
        build_project(config, THEME, 0)
    assert str(exc.value) == ("MkDocs stopped: Aborted with 1 warnings in strict mode! (Doc file 'index.md' contains "
                              "a link 'missing.md', but the target is not found among documentation files.); the output "
                              "was not changed")


# --- the theme: editors can change docs_theme/, so its templates run in Jinja's sandbox -------------------------

ESCAPES = {
    "template-self": "{{ self.__init__.__globals__.__builtins__.__import__('os').popen('touch MARK').read() }}",
    "config-class": "{{ config.__class__.__init__.__globals__['os'].system('touch MARK') }}",
    "cycler-globals": "{{ cycler.__init__.__globals__.os.popen('touch MARK').read() }}",
    "lipsum-globals": "{{ lipsum.__globals__['os'].popen('touch MARK').read() }}",
    "str-subclasses": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "format-attribute": "{{ '{0.__class__.__init__.__globals__}'.format(config) }}",
}


@pytest.mark.parametrize("name", sorted(ESCAPES))
def test_a_theme_template_cannot_reach_python(tmp_path, name):
    """A docs_theme/ override that tries to reach Python stops the build with a plain message; nothing runs."""
    import shutil
    import subprocess
    import sys

    root = tmp_path / "plan"
    shutil.copytree(Path(__file__).parent / "fixtures" / "minimal", root)
    (root / "docs_theme").mkdir()
    (root / "docs_theme" / "main.html").write_text(
        '{% extends "base.html" %}\n{% block announce %}' + ESCAPES[name] + "{% endblock %}\n")
    r = subprocess.run([sys.executable, "-m", "generator", "build", "--root", str(root), "--jobs", "1"],
                       cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert (r.returncode, r.stdout) == (1, "")
    assert r.stderr.startswith("build stopped: the theme tried something templates may not do: ")
    assert r.stderr.endswith("; a template in docs_theme/ may print text and HTML but not reach into Python (the output "
                             "was not changed)\n")
    assert "Traceback" not in r.stderr
    assert not (tmp_path / "MARK").exists() and not (root / "MARK").exists()
    assert not (root / "site" / "index.html").exists()


def test_the_sandbox_changes_nothing_material_renders(tmp_path):
    """The product's theme and Material build the same pages in the sandbox as outside it."""
    from generator import engine

    staged = _staged()
    outside, inside = tmp_path / "outside", tmp_path / "inside"
    original = engine._sandboxed_templates
    try:
        engine._sandboxed_templates = lambda: __import__("contextlib").nullcontext()
        build_project(write_stage(staged, outside), THEME, 0)
    finally:
        engine._sandboxed_templates = original
    build_project(write_stage(staged, inside), THEME, 0)
    files = sorted(p.relative_to(outside / "site") for p in (outside / "site").rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(inside / "site") for p in (inside / "site").rglob("*") if p.is_file())
    assert all((outside / "site" / f).read_bytes() == (inside / "site" / f).read_bytes() for f in files)
    from mkdocs.theme import Theme
    assert Theme.get_env.__module__ == "mkdocs.theme"  # the sandbox is put back after each build

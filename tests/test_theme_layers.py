"""The packaged theme and guide, and a plan folder's own docs_theme/ and content/guide/ layered over them.

The theme: the packaged files are always used; a plan's docs_theme/ replaces them file by file (templates and
static files alike). The guide: the packaged pages, plus the plan's own content/guide/*.md (a page of the same
name replaces the packaged one), each of the plan's pages checked as before.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import FIXTURES, build, copy_plan
from generator.build import theme_dir
from generator.engine import _template_failure
from generator.guide import PACKAGED_GUIDE, check_guide, guide_pages
from generator.site_config import PACKAGED_THEME

PACKAGED_NAMES = ["index.md", "update-status.md", "add-items.md", "preview-and-pull-requests.md", "publish.md",
                  "papers.md", "import-tracker.md", "adopting.md", "new-plan.md"]


@pytest.fixture
def root(tmp_path) -> Path:
    return copy_plan(FIXTURES / "minimal", tmp_path / "plan")


def test_the_theme_and_the_guide_are_package_data():
    assert PACKAGED_THEME == Path(__import__("generator").__file__).parent / "theme"
    assert sorted(p.relative_to(PACKAGED_THEME).as_posix() for p in PACKAGED_THEME.rglob("*.*")) == [
        "404.html", "assets/extra.css", "assets/ip.css", "assets/ip.js", "main.html", "partials/javascripts/outdated.html"]
    assert sorted(p.name for p in PACKAGED_GUIDE.glob("*.md")) == sorted(PACKAGED_NAMES)


def test_a_plan_without_docs_theme_builds_with_the_packaged_theme(root, tmp_path):
    assert theme_dir(root) == PACKAGED_THEME
    out = build(root, tmp_path / "out")
    site = out / "staff" / "draft"
    for rel in ("assets/ip.css", "assets/ip.js", "assets/extra.css"):
        assert (site / rel).read_bytes() == (PACKAGED_THEME / rel).read_bytes()
    page = (site / "index.html").read_text("utf-8")
    assert '<p class="ip-banner ip-banner--staff"><strong>Staff edition.</strong>' in page  # packaged main.html
    assert page.index('href="assets/ip.css"') < page.index('href="assets/extra.css"')  # the council's styles win


def test_a_plans_override_replaces_one_file_and_the_rest_comes_from_the_package(root, tmp_path):
    (root / "docs_theme" / "assets").mkdir(parents=True)
    (root / "docs_theme" / "assets" / "extra.css").write_text(".md-header { background: #123456; }\n")
    (root / "docs_theme" / "partials" / "javascripts").mkdir(parents=True)
    (root / "docs_theme" / "partials" / "javascripts" / "outdated.html").write_text("<p>OUR-OUTDATED</p>\n")
    assert theme_dir(root) == root / "docs_theme"
    out = build(root, tmp_path / "out")
    site = out / "staff" / "draft"
    assert (site / "assets" / "extra.css").read_text() == ".md-header { background: #123456; }\n"
    assert (site / "assets" / "ip.css").read_bytes() == (PACKAGED_THEME / "assets" / "ip.css").read_bytes()
    assert (site / "assets" / "ip.js").read_bytes() == (PACKAGED_THEME / "assets" / "ip.js").read_bytes()
    page = (site / "index.html").read_text("utf-8")
    assert '<p class="ip-banner ip-banner--staff"><strong>Staff edition.</strong>' in page
    assert not (site / "main.html").exists() and not (site / "partials").exists()


def _failure(dirs: list[Path], theme: Path) -> str:
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader([str(d) for d in dirs]))
    with pytest.raises(jinja2.TemplateError) as info:
        env.get_template("main.html").render(config={})
    return _template_failure(info.value, theme).message


def test_a_template_error_in_the_plans_override_names_the_plans_file(root):
    (root / "docs_theme").mkdir()
    (root / "docs_theme" / "main.html").write_text("<p>\n{{ x }\n")
    assert _failure([root / "docs_theme", PACKAGED_THEME], root / "docs_theme") == (
        "the theme cannot be rendered: docs_theme/main.html:2: unexpected '}'; fix the template in docs_theme/ "
        "(the output was not changed)")


def test_a_template_error_in_the_packaged_theme_names_the_packaged_file(root):
    """Rendered without MkDocs' filters, the packaged main.html fails where it uses `url`."""
    (root / "docs_theme").mkdir()
    assert _failure([root / "docs_theme", PACKAGED_THEME], root / "docs_theme") == (
        "the packaged theme cannot be rendered: main.html:24: No filter named 'url'.; a template of the plan's "
        "docs_theme/ may have changed what it needs, else this is a bug in the generator (the output was not "
        "changed)")


def test_the_guide_is_the_packaged_pages_plus_the_plans_own(root):
    guide = root / "content" / "guide"
    guide.mkdir(parents=True)
    (guide / "publish.md").write_text("# Publishing here\n\nOur own way.\n")
    (guide / "calendar.md").write_text("# Our calendar\n\nMonthly.\n")
    pages = {p.path: p for p in guide_pages(root)}
    assert sorted(pages) == sorted([f"guide/{n}" for n in PACKAGED_NAMES]
                                   + ["guide/calendar.md", "guide/fields.md", "guide/codes.md"])
    assert pages["guide/publish.md"].title == "Publishing here"
    assert pages["guide/publish.md"].html == "<p>Our own way.</p>"
    assert pages["guide/calendar.md"].title == "Our calendar"
    assert pages["guide/index.md"].title == "Editor guide"


def test_the_plans_own_guide_pages_keep_their_checks(root):
    guide = root / "content" / "guide"
    guide.mkdir(parents=True)
    (guide / "index.md").write_text("# Ours\n\nText <script>alert(1)</script>\n")
    assert [(d.file, d.line, d.col, d.code) for d in check_guide(root)] == [("content/guide/index.md", 3, 6, "M401")]
    assert check_guide(copy_plan(FIXTURES / "minimal", root.parent / "other")) == []


def test_the_cache_key_covers_the_plans_theme_and_guide_layers(root):
    from generator.build import _source_hash

    keys = [_source_hash(root)]
    (root / "docs_theme" / "assets").mkdir(parents=True)
    (root / "docs_theme" / "assets" / "extra.css").write_text("a { color: #000; }\n")
    keys.append(_source_hash(root))
    (root / "content" / "guide").mkdir(parents=True)
    (root / "content" / "guide" / "calendar.md").write_text("# Our calendar\n")
    keys.append(_source_hash(root))
    (root / "content" / "guide" / "calendar.md").rename(root / "docs_theme" / "calendar.md")
    keys.append(_source_hash(root))  # the same file in the other layer is another site
    assert len(set(keys)) == 4 and _source_hash(root) == keys[-1]


def test_an_edited_override_is_used_by_the_next_build_in_the_same_process(root, tmp_path):
    """Compiled templates are kept per process (engine._ENVIRONMENTS), keyed by the plan's theme folder's content: a
    second build after an editor changes a template, in the same process (workers=1, as the preview), uses the new one,
    even when the file keeps its size."""
    partial = root / "docs_theme" / "partials" / "copyright.html"
    partial.parent.mkdir(parents=True)
    for marker in ("FOOTER-ONE", "FOOTER-TWO"):
        partial.write_text(f"<p>{marker}</p>\n")
        page = (build(root, tmp_path / "site") / "staff" / "draft" / "index.html").read_text()
        assert marker in page

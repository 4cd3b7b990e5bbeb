"""The written guide pages as a council gets them: every page in the navigation, every link between pages
(anchors included) lands on a heading that exists, and the pages say what issue 9 found missing."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

from generator.guide import PACKAGED_GUIDE, PAGES, guide_pages
from generator.render import page_url

NO_GUIDE = Path("/nonexistent")  # a plan folder without a guide of its own gets the product's pages
PAGES_BUILT = {p.path: p for p in guide_pages(NO_GUIDE)}


def text(name: str) -> str:
    return (PACKAGED_GUIDE / name).read_text(encoding="utf-8")


def test_every_page_is_in_the_navigation_in_reading_order():
    assert sorted(f"guide/{name}" for name, _ in PAGES) == sorted(PAGES_BUILT)
    assert [name for name, _ in PAGES].index("adopting.md") == [name for name, _ in PAGES].index("new-plan.md") - 1


def test_every_link_between_guide_pages_lands_on_a_heading():
    ids = {path: set(re.findall(r' id="([^"]+)"', page.html)) for path, page in PAGES_BUILT.items()}
    pages_at = {page_url(path): path for path in PAGES_BUILT}  # guide/ is index.md, guide/publish/ publish.md
    between = set()
    for path, page in PAGES_BUILT.items():
        for href in re.findall(r'href="([^"]+)"', page.html):
            if re.match(r"[a-z]+:", href):
                continue
            target, _, anchor = href.partition("#")
            other = pages_at.get(posixpath.normpath(posixpath.join(page_url(path), target)) + "/") if target else path
            assert other in PAGES_BUILT, (path, href)
            assert not anchor or anchor in ids[other], (path, href)
            if target and anchor:
                between.add(f"{path} {href}")
    assert between == {"guide/add-items.md ../fields/#dates-and-periods",
                       "guide/adopting.md ../new-plan/#one-file-or-several",
                       "guide/adopting.md ../publish/#the-page-not-found-page",
                       "guide/new-plan.md ../adopting/#2-make-your-plans-repository",
                       "guide/new-plan.md ../adopting/#4-turn-on-github-pages-for-the-public-edition",
                       "guide/new-plan.md ../adopting/#10-where-the-staff-edition-goes",
                       "guide/publish.md ../update-status/#the-as-at-date",
                       "guide/update-status.md ../fields/#update"}


def test_index_links_the_adopting_page():
    assert "- [Adopting the tool](adopting.md): from installing it to the first published reporting point\n" \
        in text("index.md")


def test_adopting_names_every_file_init_writes_and_the_one_pin(tmp_path):
    """The page's table of what init writes: a row for each file, or for the folder that holds several; and no row for
    anything init does not write."""
    from generator.scaffold import init

    page = text("adopting.md")
    table = page[page.index("| File | What it is |"):page.index("Now give the folder its own environment")]
    rows = re.findall(r"^\| `([^`]+)` \|", table, flags=re.M)
    written = init(tmp_path / "council", "Northshire County Council")
    covered = {rel: [r for r in rows if rel == r or (r.endswith("/") and rel.startswith(r))] for rel in written}
    assert {rel: len(found) for rel, found in covered.items()} == {rel: 1 for rel in written}
    assert sorted({found[0] for found in covered.values()}) == sorted(rows)
    assert "1. Change the version in that line" in page
    assert "run\n   `improvement-plan migrate`" in page


def test_update_status_says_both_layouts_and_how_to_find_an_item():
    page = text("update-status.md")
    assert "plan/actions.yaml` (search" not in page
    assert "- **A one-file plan** (as `init` writes it): everything is in `plan.yaml`" in page
    assert "- **A split plan**: `plan.yaml` lists further files under `include:`" in page
    assert '`git grep -n "id: A2.3"` prints the file and line' in page


def test_publish_says_what_it_does_to_as_at():
    page = text("publish.md")
    assert "the frozen copy takes `--date` as its `as_at`" in page
    assert "`plan.yaml` itself is not changed: its `as_at` stays where it was." in page


def test_pages_speak_of_the_levels_in_the_councils_words():
    """Wherever the prose names a level it writes a token (replaced by the council's word); code and the one
    sentence that names the tool's own words are left as they are."""
    bare = {}
    for name, _ in PAGES:
        if name in ("fields.md", "codes.md"):
            continue
        prose = re.sub(r"`[^`]*`", "", re.sub(r"```.*?```", "", text(name), flags=re.S))
        prose = prose.replace('the tool\'s own words are "theme" and "commitment"', "")
        found = re.findall(r"(?<![%\w])(?:themes?|commitments?)(?![%\w])", prose, flags=re.I)
        if found:
            bare[name] = found
    assert bare == {}
    assert text("update-status.md").count("%commitment%") == 1


def test_every_code_block_renders_as_a_block():
    """A fence indented under a list item is not a code block to Python-Markdown: it renders as inline code
    starting with the language's name. The pages keep their examples outside lists."""
    broken = {path: re.findall(r"<code>(\w+)\n", page.html) for path, page in PAGES_BUILT.items()}
    assert {path: found for path, found in broken.items() if found} == {}
    blocks = {path: page.html.count("<pre><code") for path, page in PAGES_BUILT.items()}
    assert blocks["guide/adopting.md"] == 8 and blocks["guide/update-status.md"] == 3

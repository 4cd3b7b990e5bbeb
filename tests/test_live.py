"""The preview's draft, kept built and brought up to date by rebuilding only the pages a save changed
(generator/live.py), and the events that tell open pages to reload (generator/serve.py)."""

from __future__ import annotations

import http.client
import json
import threading
from datetime import date
from pathlib import Path

import pytest

from conftest import FIXTURES, build, copy_plan, publish_as
from generator import engine
from generator.build import draft_job, source_key
from generator.engine import EngineError
from generator.live import SEARCH_INDEX, LiveSite, Update, page_url
from generator.serve import DRAFT_PATH, EVENTS, Preview, listen
from generator.validate import check_all


def update(live: LiveSite, root: Path) -> Update:
    checked = check_all(root)
    assert not [d for d in checked.diagnostics if d.severity.value == "error"], checked.diagnostics
    job = draft_job(root, checked)
    return live.update(job, source_key(root, job.settings, checked.plan.info.accessibility, False, job.engine))


def files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def search_entries(data: bytes) -> list[tuple[str, str, str]]:
    return sorted((d["location"], d["title"], d["text"]) for d in json.loads(data)["docs"])


def assert_same_as_a_full_build(live: LiveSite, root: Path, tmp_path: Path) -> None:
    """The draft the preview keeps equals, file for file, the draft a full build makes of the same plan (the search
    index holds the same entries, in another order)."""
    full = files(build(root, tmp_path / "full") / "staff" / "draft")
    kept = files(live.site)
    assert sorted(kept) == sorted(full)
    assert search_entries(kept.pop(SEARCH_INDEX)) == search_entries(full.pop(SEARCH_INDEX))
    assert [name for name in full if kept[name] != full[name]] == []


@pytest.fixture
def root(tmp_path) -> Path:
    return copy_plan(FIXTURES / "minimal", tmp_path / "plan")


@pytest.fixture
def live(tmp_path, root) -> LiveSite:
    site = LiveSite(tmp_path / "live")
    assert update(site, root) == Update(True)
    return site


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_page_urls_are_folder_addresses():
    assert [page_url(p) for p in ("index.md", "about.md", "actions/index.md", "actions/A1.md", "assets/ip.css")] == \
        ["", "about/", "actions/", "actions/A1/", None]


def test_nothing_changed_builds_nothing(live, root):
    before = {p: p.stat().st_mtime_ns for p in live.site.rglob("*.html")}
    assert update(live, root) == Update(False)
    assert {p: p.stat().st_mtime_ns for p in live.site.rglob("*.html")} == before


def test_an_edit_rebuilds_only_the_pages_that_show_it_and_matches_a_full_build(live, root, tmp_path):
    untouched = live.site / "actions" / "A2" / "index.html"
    inode = untouched.stat().st_ino, untouched.stat().st_mtime_ns
    edit(root / "plan.yaml", "narrative: Audit half done.", "narrative: Audit two thirds done.")
    assert update(live, root) == Update(False, frozenset({"actions/A1/"}))  # the one page that shows it
    assert "Audit two thirds done." in (live.site / "actions" / "A1" / "index.html").read_text()
    assert (untouched.stat().st_ino, untouched.stat().st_mtime_ns) == inode  # not written again
    assert any("Audit two thirds done." in d["text"] for d in json.loads((live.site / SEARCH_INDEX).read_text())["docs"])
    assert_same_as_a_full_build(live, root, tmp_path)


def test_an_added_and_a_removed_action(live, root, tmp_path):
    plan = root / "plan.yaml"
    text = plan.read_text()
    start, end = text.index("  - id: A2\n"), text.index("sources:\n")
    a2 = text[start:end]
    plan.write_text(text[:start] + a2.replace("id: A2", "id: A3").replace("weekly performance", "monthly audit")
                    + text[end:])
    changed = update(live, root)
    assert not changed.everything and {"actions/A3/", "actions/"} <= changed.pages
    assert not (live.site / "actions" / "A2" / "index.html").exists()
    assert "monthly audit" in (live.site / "actions" / "A3" / "index.html").read_text()
    assert not any(d["location"].startswith("actions/A2/")
                   for d in json.loads((live.site / SEARCH_INDEX).read_text())["docs"])
    assert_same_as_a_full_build(live, root, tmp_path)


def test_settings_or_the_tool_changing_rebuild_everything(live, root):
    (root / "mkdocs.yml").write_text("copyright: A council\n")  # the minimal plan had none
    assert update(live, root) == Update(True)
    checked = check_all(root)
    job = draft_job(root, checked)
    assert live.update(job, "another tool or theme") == Update(True)


def test_a_failed_build_leaves_the_next_one_full(live, root, monkeypatch):
    edit(root / "plan.yaml", "narrative: Audit half done.", "narrative: Audit nearly done.")
    real = engine.build_project

    def broken(*args, **kwargs):
        raise EngineError("the theme cannot be rendered")

    monkeypatch.setattr("generator.live.build_project", broken)
    with pytest.raises(EngineError):
        update(live, root)
    monkeypatch.setattr("generator.live.build_project", real)
    assert update(live, root) == Update(True)
    assert "Audit nearly done." in (live.site / "actions" / "A1" / "index.html").read_text()


def test_a_failed_full_build_leaves_the_last_good_pages_served(live, root, monkeypatch):
    def broken(*args, **kwargs):
        raise EngineError("the theme cannot be rendered")

    page = live.site / "actions" / "A1" / "index.html"
    before = page.read_text()
    monkeypatch.setattr("generator.live.build_project", broken)
    with pytest.raises(EngineError):
        live.update(draft_job(root, check_all(root)), "another tool or theme")  # a full build
    assert page.read_text() == before and "Audit half done." in before
    assert sorted(p.name for p in live.folder.iterdir()) == [str(live.generation)]  # the failed one's files gone


# --- the events that make open pages reload -------------------------------------------------------------------


@pytest.fixture
def preview(root):
    preview = Preview(root, root / ".cache/preview")
    preview.rebuild()
    server = listen(preview, 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield preview, server.server_address[1]
    preview.close()
    server.shutdown()
    server.server_close()


def next_event(port: int, since: int, session: str, then) -> dict:
    """Open the event stream as a page from build `since` would, run `then`, and return the first message."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", f"{EVENTS}?since={since}&session={session}", headers={"Host": f"127.0.0.1:{port}"})
    resp = conn.getresponse()
    assert (resp.status, resp.getheader("Content-Type")) == (200, "text/event-stream")
    then()
    while not (line := resp.fp.readline().decode()).startswith("data: "):
        pass
    conn.close()
    return json.loads(line[len("data: "):])


def test_an_open_page_hears_which_pages_a_save_rebuilt(preview, root):
    state, port = preview
    page = f"{DRAFT_PATH}actions/A1/"
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", page, headers={"Host": f"127.0.0.1:{port}"})
    served = conn.getresponse().read().decode()
    assert f"{EVENTS}?since=1&session={state.session}" in served and "Audit half done." in served

    def save() -> None:
        edit(root / "plan.yaml", "narrative: Audit half done.", "narrative: Audit all but done.")
        state.rebuild()

    assert next_event(port, 1, state.session, save) == {
        "build": 2, "pages": [f"{DRAFT_PATH}actions/A1/"]}


def test_a_page_from_another_preview_or_a_problem_reloads_everything(preview, root):
    state, port = preview
    assert next_event(port, 0, "another-preview", lambda: None) == {"build": 1, "pages": None}

    def break_the_plan() -> None:
        edit(root / "plan.yaml", "target_date: 2013-09-30", "target_date: 2013-09-31")
        state.rebuild()

    assert next_event(port, 1, state.session, break_the_plan) == {"build": 2, "pages": None}
    assert [d.code for d in state.problems] == ["S105"]


def test_a_page_from_an_earlier_preview_or_too_old_to_tell_reloads_at_once(preview):
    state, port = preview
    assert next_event(port, 7, "an-earlier-preview", lambda: None) == {"build": 1, "pages": None}
    assert next_event(port, -10**8, state.session, lambda: None) == {"build": 1, "pages": None}


def test_a_theme_edit_reaches_the_published_versions_too(tmp_path):
    root = copy_plan(FIXTURES / "minimal", tmp_path / "plan")
    publish_as(root, "2013-07-board", "Improvement Board, July 2013", date(2013, 7, 1))
    partial = root / "docs_theme" / "partials" / "copyright.html"
    partial.parent.mkdir(parents=True)
    preview = Preview(root, root / ".cache/preview")
    for marker in ("FOOTER-ONE", "FOOTER-TWO"):
        partial.write_text(f"<p>{marker}</p>\n")
        preview.rebuild()
        assert preview.problems == []
        for page in (preview.out / "staff" / "latest" / "index.html", preview.out / "public" / "latest" / "index.html",
                     preview.live.site / "index.html"):
            assert marker in page.read_text(), (marker, page)


def test_the_draft_is_served_from_where_it_is_kept(preview):
    state, port = preview
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    for path, status in ((DRAFT_PATH, 200), (DRAFT_PATH.rstrip("/"), 301), (f"{DRAFT_PATH}search/search_index.json", 200),
                         ("/staff/versions.json", 200), ("/public/", 200),
                         (f"{DRAFT_PATH}../../public/", 404)):  # the draft's folder cannot be left
        conn.request("GET", path, headers={"Host": f"127.0.0.1:{port}"})
        resp = conn.getresponse()
        resp.read()
        assert (path, resp.status) == (path, status)
    assert state.live.site.parent.parent == state.root / ".cache/preview-live/staff-draft"

"""The preview in a real browser: a save reaches the open page by itself (server-sent events, no polling), a page the
save did not change is left alone, and a problem shows on every open page at once."""

from __future__ import annotations

import threading

import pytest

from conftest import FIXTURES, copy_plan
from generator.serve import Preview, listen

pytestmark = pytest.mark.browser


@pytest.fixture
def preview(tmp_path):
    root = copy_plan(FIXTURES / "minimal", tmp_path / "plan")
    preview = Preview(root, root / ".cache/preview")
    preview.rebuild()
    server = listen(preview, 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield preview, f"http://127.0.0.1:{server.server_address[1]}"
    preview.close()
    server.shutdown()
    server.server_close()


def save(preview: Preview, old: str, new: str) -> None:
    plan = preview.root / "plan.yaml"
    plan.write_text(plan.read_text().replace(old, new, 1))
    preview.rebuild()  # what the watcher does on a save (the test does not wait for the file system's events)


def test_a_save_reaches_the_open_pages_that_show_it_and_only_those(browser, preview):
    state, url = preview
    changed, other = browser.new_page(), browser.new_page()
    changed.goto(f"{url}/staff/draft/actions/A1/")
    other.goto(f"{url}/staff/draft/actions/A2/")
    for page in (changed, other):
        page.wait_for_load_state("networkidle")
        page.evaluate("window.ipNotReloaded = true")  # gone if the page reloads
    save(state, "narrative: Audit half done.", "narrative: Audit three quarters done.")
    changed.wait_for_function("document.body.innerText.includes('Audit three quarters done.')", timeout=20000)
    assert changed.evaluate("window.ipNotReloaded === undefined")  # it reloaded by itself
    assert other.evaluate("window.ipNotReloaded === true")  # the same event reached it: not its page, no reload
    save(state, "narrative: Clinics running weekly.", "narrative: Clinics running twice a week.")
    other.wait_for_function("document.body.innerText.includes('Clinics running twice a week.')", timeout=20000)
    assert "Audit three quarters done." in changed.inner_text("body")
    changed.evaluate("window.ipNotReloaded = true")
    save(state, "narrative: Clinics running twice a week.", "narrative: Clinics running daily.")
    other.wait_for_function("document.body.innerText.includes('Clinics running daily.')", timeout=20000)
    assert changed.evaluate("window.ipNotReloaded === true")  # A1's page was not rebuilt: not reloaded
    changed.close()
    other.close()


def test_a_problem_shows_on_every_open_page_and_goes_when_fixed(browser, preview):
    state, url = preview
    page = browser.new_page()
    page.goto(f"{url}/staff/draft/actions/A2/")
    page.wait_for_load_state("networkidle")
    save(state, "target_date: 2013-09-30", "target_date: 2013-09-31")
    page.wait_for_selector("[role=alert]", timeout=20000)
    assert "S105" in page.inner_text("[role=alert]")
    save(state, "target_date: 2013-09-31", "target_date: 2013-09-30")
    page.wait_for_selector("[role=alert]", state="detached", timeout=20000)
    page.close()

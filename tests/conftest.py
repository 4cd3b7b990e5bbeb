"""Shared fixtures: plan folders copied to a temp dir, built sites, a local web server, Debian's Chromium."""

from __future__ import annotations

import functools
import os
import http.server
import shutil
import threading
from pathlib import Path

import pytest

from generator.build import build_sites
from generator.validate import validate
from generator.versions import publish

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).parent.parent


def fresh_plan(folder: Path) -> Path:
    """`init`'s plan without its starter themes, commitments, actions and document: a council about to import its
    tracker (the tracker tests, and benchmarks/report_bench.py)."""
    import re
    from datetime import date

    from generator.scaffold import init

    init(folder, "Northshire County Council", today=date(2014, 1, 1))
    plan = folder / "plan.yaml"
    text = plan.read_text(encoding="utf-8")
    for section in ("themes", "commitments", "actions"):
        text = re.sub(rf"(?ms)^{section}:\n.*?(?=^\S)", "", text)
    plan.write_text(text, encoding="utf-8")
    for doc in (folder / "content" / "documents").glob("*.md"):
        doc.unlink()
    return folder


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    """A command as the console script runs it: its exit code, stdout and stderr."""
    from generator.cli import main

    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def usage_cli(capsys, *argv: str) -> tuple[int, str]:
    """argparse's own refusals end in SystemExit(2); the last line says why."""
    from generator.cli import main

    with pytest.raises(SystemExit) as info:
        main(list(argv))
    return info.value.code, capsys.readouterr().err.splitlines()[-1]


def commit_and_correct(root: Path, vid: str, reason: str) -> None:
    """Commit the plan with its published points to a new git repository, then correct point `vid` as an editor
    would: the minimal plan's "Audit half done." is fixed in its record and the plan, and `correct` records why."""
    import subprocess
    import sys

    env = {**os.environ, "GIT_AUTHOR_NAME": "Editor", "GIT_AUTHOR_EMAIL": "e@example.org",
           "GIT_COMMITTER_NAME": "Editor", "GIT_COMMITTER_EMAIL": "e@example.org"}
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "publish"]):
        subprocess.run(["git", "-C", str(root), *args], check=True, env=env)
    for path in (root / f"content/versions/{vid}.json", root / "plan.yaml"):
        path.write_text(path.read_text().replace("Audit half done.", "Audit half done (figure corrected)."))
    r = subprocess.run([sys.executable, "-m", "generator", "correct", "--id", vid, "--date", "2013-07-20",
                        "--reason", reason, "--root", str(root)], capture_output=True, text=True, env=env)
    assert r.returncode == 0, r.stderr


def copy_plan(src: Path, dest: Path) -> Path:
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns("site", ".cache"))
    return dest


SAMPLE_PARTS = ("plan.yaml", "plan", "content", "mkdocs.yml", "docs_theme")  # the sample plan, without its site


def copy_sample(dest: Path) -> Path:
    """A copy of this repository's sample plan (its files only, not its built site or cache) at `dest`."""
    dest.mkdir(parents=True)
    for name in SAMPLE_PARTS:
        src = REPO / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, dest / name)
    return dest


def publish_as(root: Path, vid: str, title: str, day) -> None:
    plan, diags = validate(root)
    assert not [d for d in diags if d.severity.value == "error"], diags
    publish(root, plan, vid, title, day)


def build(root: Path, out: Path | None = None, workers: int = 1, reports: bool = False) -> Path:
    """Build both editions; without the reports and tracker unless `reports` (they multiply the fast suite's time:
    tests of downloads, leaks, the installed wheel and the papers themselves turn them on)."""
    out = out or root / "site"
    diags, _ = build_sites(root, out, workers=workers, reports=reports)
    assert not [d for d in diags if d.severity.value == "error"], [d.text() for d in diags]
    return out


def site_files(out: Path) -> dict[str, bytes]:
    """What a reader of the output can fetch: every file under public/, staff/, index.html and 404.html, links resolved
    (the output's bookkeeping, .trees/, .cache/ and current, is not part of the site)."""
    files: dict[str, bytes] = {}
    for name in ("public", "staff", "index.html", "404.html"):
        top = out / name
        if top.is_file():
            files[name] = top.read_bytes()
        for folder, _, names in os.walk(top, followlinks=True):
            for f in names:
                path = Path(folder) / f
                files[path.relative_to(out).as_posix()] = path.read_bytes()
    return files


@pytest.fixture(scope="session")
def minimal_site(tmp_path_factory) -> Path:
    """The minimal fixture published once (2013-07-01) and built: both editions."""
    from datetime import date

    root = copy_plan(FIXTURES / "minimal", tmp_path_factory.mktemp("minimal") / "plan")
    publish_as(root, "2013-07-board", "Improvement Board, July 2013", date(2013, 7, 1))
    return build(root, reports=True)  # its downloads are checked (tests/test_statement.py)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="session")
def serve():
    """serve(folder[, handler_class]) -> base URL of a local HTTP server for that folder (127.0.0.1 only)."""
    servers = []

    def start(folder: Path, handler_class: type = _QuietHandler) -> str:
        handler = functools.partial(handler_class, directory=str(folder))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield start
    for server in servers:
        server.shutdown()


CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright; the project never downloads a browser."""
    playwright = pytest.importorskip("playwright.sync_api")
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        pytest.fail("Debian's Chromium is not installed: run 'make test' (it installs it) or apt-get install chromium")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield b
        b.close()

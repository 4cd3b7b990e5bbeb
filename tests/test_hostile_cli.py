"""Hostile command lines and content: each gives its exact message and exit code, never a traceback.

One user-facing error base (generator.errors.GeneratorError) is caught only in cli.main; everything
here runs through main() in-process (fast) unless it needs a real process (undecodable argv).
"""

from __future__ import annotations

import errno
import http.client
import os
import pickle
import shutil
import socket
import subprocess
import sys
import threading
from datetime import date
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES, copy_plan, publish_as, run_cli, usage_cli
from generator import build as build_module
from generator.build import OutputError
from generator.cli import main
from generator.compare import CompareError, compare
from generator.diagnostics import Diagnostic
from generator.engine import EngineError, _template_failure, build_project
from generator.errors import GeneratorError, UsageError
from generator.loader import LoadError
from generator.locations import Loc
from generator.scaffold import ScaffoldError
from generator.serve import Preview, listen
from generator.snapshot_format import SnapshotFormatError
from generator.validate import validate
from generator.versions import ManifestError, PublishError


@pytest.fixture
def root(tmp_path) -> Path:
    return copy_plan(FIXTURES / "minimal", tmp_path / "plan")


run, usage = run_cli, usage_cli


# --- one error base -------------------------------------------------------------------------


@pytest.mark.parametrize("cls", [LoadError, OutputError, PublishError, ManifestError, SnapshotFormatError,
                                 CompareError, ScaffoldError, UsageError])
def test_every_user_error_is_a_generator_error(cls):
    assert issubclass(cls, GeneratorError)


def test_a_generator_error_crosses_the_process_pool_whole():
    diag = Diagnostic.at(Loc("mkdocs.yml", 3, 1), "L005", "duplicate key 'theme'")
    back = pickle.loads(pickle.dumps(LoadError(diag)))
    assert (type(back), back.message, back.diagnostics, back.diag) == (LoadError, "mkdocs.yml must be fixed first",
                                                                       [diag], diag)
    manifest = pickle.loads(pickle.dumps(ManifestError("it is not valid JSON")))
    assert (manifest.message, manifest.detail) == ("the versions manifest cannot be read: it is not valid JSON",
                                                    "it is not valid JSON")


def test_ctrl_c_stops_with_130_and_no_traceback(root, capsys, monkeypatch):
    def interrupted(*_a, **_k):
        raise KeyboardInterrupt
    monkeypatch.setattr("generator.validate.validate_all", interrupted)
    assert run(capsys, "validate", "--root", str(root)) == (130, "", "stopped (Ctrl+C)\n")


def test_a_bug_keeps_its_traceback(root, monkeypatch):
    def bug(*_a, **_k):
        raise ZeroDivisionError("a bug")
    monkeypatch.setattr("generator.validate.validate_all", bug)
    with pytest.raises(ZeroDivisionError):
        main(["validate", "--root", str(root)])


# --- the theme: Jinja errors from MkDocs become located messages ------------------------------


def _theme(root: Path, line8: str) -> None:
    """The product's theme as the plan's own, with line 8 (inside the banners loop, so every staff page renders it)
    replaced."""
    theme = root / "docs_theme"
    shutil.copytree(build_module.PACKAGED_THEME, theme)
    lines = (theme / "main.html").read_text(encoding="utf-8").splitlines(keepends=True)
    lines[7] = line8 + "\n"
    (theme / "main.html").write_text("".join(lines), encoding="utf-8")


SYNTAX = ("build stopped: the theme cannot be rendered: docs_theme/main.html:8: unexpected '}'; "
          "fix the template in docs_theme/ (the output was not changed)\n")


def test_jinja_syntax_error_in_the_theme(root, capsys):
    _theme(root, "{{ config.extra.edition }")
    assert run(capsys, "build", "--root", str(root), "--jobs", "1") == (1, "", SYNTAX)
    assert _nothing_live(root / "site")


def test_jinja_syntax_error_crosses_the_process_pool(root, capsys):
    publish_as(root, "2013-07-board", "Improvement Board, July 2013", date(2013, 7, 1))
    _theme(root, "{{ config.extra.edition }")
    assert run(capsys, "build", "--root", str(root), "--jobs", "2") == (1, "", SYNTAX)


def test_jinja_undefined_attribute_in_the_theme(root, capsys):
    _theme(root, "{{ config.extra.nothing.deeper }}")
    assert run(capsys, "build", "--root", str(root), "--jobs", "1") == (
        1, "", "build stopped: the theme cannot be rendered: docs_theme/main.html:8: 'mkdocs.config.base.LegacyConfig "
               "object' has no attribute 'nothing'; fix the template in docs_theme/ (the output was not changed)\n")


# --- numbers and dates past the documented limits -------------------------------------------


@pytest.mark.parametrize("old, new, needle, message", [
    ("{period: 2013-04, value: 85.4}", "{period: 2013-04, value: 1.6e308}", "1.6e308",
     "measure M1 values[2].value '1.6e+308' is outside the supported numbers -1e12 to 1e12"),
    ("target: {value: 80}", "target: {value: -1.6e308}", "-1.6e308",
     "measure M1 target.value '-1.6e+308' is outside the supported numbers -1e12 to 1e12"),
    ("published: 2012-07-06\nrecommendations", "published: 9999-12-31\nrecommendations", "9999-12-31",
     "source SRC-OF published '9999-12-31' is outside the supported dates 1970-01-01 to 2099-12-31"),
    ("as_at: 2013-07-01", "as_at: 1969-07-20", "1969-07-20",
     "plan as_at '1969-07-20' is outside the supported dates 1970-01-01 to 2099-12-31"),
    ("review_date: 2013-08-01", "review_date: 2106-02-07", "2106-02-07",
     "risk RISK1 review_date '2106-02-07' is outside the supported dates 1970-01-01 to 2099-12-31"),
], ids=["value-1.6e308", "target-minus-1.6e308", "source-year-9999-with-timescale", "as-at-1969", "date-2106"])
def test_values_past_the_limits_are_located_errors(root, capsys, old, new, needle, message):
    plan = root / "plan.yaml"
    text = plan.read_text(encoding="utf-8")
    assert text.count(old) == 1
    text = text.replace(old, new)
    plan.write_text(text, encoding="utf-8")
    before = text[:text.index(needle)]
    line, col = before.count("\n") + 1, len(before) - before.rfind("\n")
    code, out, _ = run(capsys, "validate", "--root", str(root))
    assert (code, out) == (1, f"plan.yaml:{line}:{col}: error S107: {message}\n")


@pytest.mark.parametrize("argv, message", [
    (["publish", "--id", "v1", "--title", "T", "--date", "1969-12-31"],
     "argument --date: '1969-12-31' is outside the supported dates 1970-01-01 to 2099-12-31"),
    (["publish", "--id", "v1", "--title", "T", "--date", "2107-01-01"],
     "argument --date: '2107-01-01' is outside the supported dates 1970-01-01 to 2099-12-31"),
    (["publish", "--id", "v1", "--title", "T", "--date", "2013-02-30"],
     "argument --date: '2013-02-30' is not a date (use YYYY-MM-DD)"),
    (["correct", "--id", "v1", "--reason", "typo", "--date", "9999-01-01"],
     "argument --date: '9999-01-01' is outside the supported dates 1970-01-01 to 2099-12-31"),
    (["new", "action", "--commitment", "C1", "--title", "T", "--lead", "ROLE-DCS", "--target-date", "2100-01-01"],
     "argument --target-date: '2100-01-01' is outside the supported dates 1970-01-01 to 2099-12-31"),
], ids=["publish-1969", "publish-2107", "publish-feb-30", "correct-9999", "new-target-2100"])
def test_command_line_dates_are_bounded(root, capsys, argv, message):
    code, last = usage(capsys, *argv, "--root", str(root))
    assert (code, last.split(": error: ", 1)[1]) == (2, message)


# --- writes outside the swap: disk full, read-only ------------------------------------------


def _failing_writes(monkeypatch, err: int) -> None:
    def fail(self, *_a, **_k):
        raise OSError(err, os.strerror(err), str(self))
    monkeypatch.setattr(Path, "write_text", fail)
    monkeypatch.setattr(Path, "write_bytes", fail)


def test_schema_on_a_read_only_root(root, capsys, monkeypatch):
    _failing_writes(monkeypatch, errno.EROFS)
    assert run(capsys, "schema", "--root", str(root)) == (
        1, "", f"schema not written: cannot write {root / 'schema/plan.schema.json'}: Read-only file system\n")


def test_init_on_a_full_disk(tmp_path, capsys, monkeypatch):
    _failing_writes(monkeypatch, errno.ENOSPC)
    assert run(capsys, "init", str(tmp_path / "council")) == (
        1, "", f"not started: cannot write {tmp_path / 'council/.github/workflows/publish.yml'}: No space left on "
                "device\n")


def test_new_document_on_a_full_disk(root, capsys, monkeypatch):
    _failing_writes(monkeypatch, errno.ENOSPC)
    code, out, err = run(capsys, "new", "document", "--title", "Board report", "--type", "board_report",
                         "--date", "2013-06-20", "--root", str(root))
    path = root / "content/documents/2013-06-20-board-report.md"
    assert (code, out, err) == (1, "", f"nothing added: cannot write {path}: No space left on device\n")


def test_new_action_on_a_read_only_plan(root, capsys, monkeypatch):
    _failing_writes(monkeypatch, errno.EROFS)
    code, out, err = run(capsys, "new", "action", "--commitment", "C1", "--title", "Audit", "--lead", "ROLE-DCS",
                         "--target-date", "2013-12-31", "--root", str(root))
    assert (code, out, err) == (1, "", f"nothing added: cannot write {root / 'plan.yaml'}: Read-only file system\n")


def test_build_staging_on_a_full_disk(root, capsys, monkeypatch):
    _failing_writes(monkeypatch, errno.ENOSPC)
    code, out, err = run(capsys, "build", "--root", str(root), "--jobs", "1")
    assert (code, out) == (1, "")
    assert err.startswith(f"build stopped: cannot write {root}/site/.trees/") and err.endswith(
        "/docs/index.md: No space left on device\n")
    assert _nothing_live(root / "site")


def _nothing_live(out: Path) -> bool:
    """A first build that failed leaves its output folder with no site and no tree in it."""
    return not (out / "index.html").exists() and not (out / "current").exists() and not any((out / ".trees").iterdir())


# --- serve ----------------------------------------------------------------------------------


@pytest.mark.parametrize("port", ["99999", "-1", "http", "65536"])
def test_serve_refuses_an_impossible_port(root, capsys, port):
    assert usage(capsys, "serve", "--port", port, "--root", str(root)) == (
        2, f"improvement-plan serve: error: argument --port: '{port}' is not a port "
           "(use a number from 1 to 65535, or 0 for any free one)")


def test_serve_on_a_port_in_use(root, capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert run(capsys, "serve", "--port", str(port), "--root", str(root)) == (
            2, "", f"cannot serve: cannot listen on 127.0.0.1:{port}: Address already in use "
                   "(another program is using it; choose another --port)\n")


@pytest.fixture
def preview(root):
    """The preview server bound and serving an empty preview folder (no build needed to test the Host check)."""
    preview = Preview(root, root / ".cache/preview")
    preview.live.site.mkdir(parents=True)  # where the preview keeps the draft built
    (preview.live.site / "index.html").write_text("<html><body>staff</body></html>")
    server = listen(preview, 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def _request(port: int, host: str | None, method: str = "GET") -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.putrequest(method, "/staff/draft/", skip_host=True)
    if host is not None:
        conn.putheader("Host", host)
    conn.endheaders()
    resp = conn.getresponse()
    body = resp.read()
    conn.close()
    return resp.status, body


@pytest.mark.parametrize("host", ["attacker.example:{port}", "attacker.example", "127.0.0.1", "localhost:1",
                                  "127.0.0.1:{port}.attacker.example", "[::1]:{port}", "", None])
def test_serve_refuses_a_foreign_host_header(preview, host):
    status, body = _request(preview, host.format(port=preview) if host else host)
    assert status == 421 and b"staff" not in body.replace(b"staff preview", b"")


def test_serve_refuses_a_foreign_host_on_head(preview):
    assert _request(preview, "attacker.example", "HEAD") == (421, b"")


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "LOCALHOST:{port}"])
def test_serve_answers_its_own_host(preview, host):
    status, body = _request(preview, host.format(port=preview))
    assert (status, body[:23]) == (200, b"<html><body>staff<scrip")


# --- init -----------------------------------------------------------------------------------


def test_init_onto_a_file(tmp_path, capsys):
    (tmp_path / "council").write_text("notes\n")
    assert run(capsys, "init", str(tmp_path / "council")) == (
        1, "", f"not started: {tmp_path / 'council'} is a file, not a folder; init never overwrites anything\n")


def test_init_into_a_folder_with_files(tmp_path, capsys):
    (tmp_path / "council").mkdir()
    (tmp_path / "council/notes.txt").write_text("mine\n")
    assert run(capsys, "init", str(tmp_path / "council")) == (
        1, "", f"not started: {tmp_path / 'council'} is not empty (it holds notes.txt); choose a new folder\n")
    assert (tmp_path / "council/notes.txt").read_text() == "mine\n"


def test_init_into_a_git_repository_never_overwrites_its_readme(tmp_path, capsys):
    (tmp_path / "council/.git").mkdir(parents=True)
    (tmp_path / "council/README.md").write_text("ours\n")
    assert run(capsys, "init", str(tmp_path / "council")) == (
        1, "", f"not started: {tmp_path / 'council'} already holds README.md; init never overwrites a plan or any "
               "other file, so choose a new folder\n")
    assert (tmp_path / "council/README.md").read_text() == "ours\n"


@pytest.mark.parametrize("name", ["Northshire: County Council", "#1 Council", "Council # of the north",
                                  "O'Neill \"Trust\" Council", "Line one\nLine two", "{Council}", "- Council",
                                  "!tag Council", "*alias", "&anchor Council", "null", "yes", "@Council",
                                  "`Council`", "% Council", "| Council", "> Council", "  Spaced  ", "1.5",
                                  "Côte d’Azur Council ✓"])
def test_init_writes_the_organisation_yaml_safe(tmp_path, capsys, name):
    target = tmp_path / "council"
    code, _, _ = run(capsys, "init", str(target), "--organisation", name)
    plan, diags = validate(target)
    assert (code, [d.text() for d in diags if d.severity.value == "error"]) == (0, [])
    assert plan.info.organisation == name
    assert yaml.safe_load((target / "mkdocs.yml").read_text(encoding="utf-8"))["copyright"] == name


@pytest.mark.parametrize("name", ["Tab\tCouncil", "Bell\x07Council", "Del\x7fCouncil", "C1\x85Council", "  "])
def test_init_refuses_an_unprintable_organisation(tmp_path, capsys, name):
    assert run(capsys, "init", str(tmp_path / "council"), "--organisation", name) == (
        1, "", "not started: the organisation name must be printable text (no tabs or control characters)\n")
    assert not (tmp_path / "council").exists()


def test_new_writes_a_title_yaml_safe(root, capsys):
    title = "Audit: the #1 front door {again} - *all* cases"
    code, out, _ = run(capsys, "new", "action", "--commitment", "C1", "--title", title, "--lead", "ROLE-DCS",
                       "--target-date", "2013-12-31", "--root", str(root))
    plan, diags = validate(root)
    assert (code, [a.title for a in plan.actions if a.id == "A3"]) == (0, [title])


def test_undecodable_argv_is_a_usage_error(tmp_path):
    r = subprocess.run([sys.executable, "-m", "generator", "init", "council", "--organisation", b"\xff Council"],
                       cwd=tmp_path, capture_output=True, text=True)
    assert (r.returncode, r.stdout, r.stderr) == (
        2, "", "improvement-plan: error: argument '\\udcff Council' is not UTF-8 text\n")
    assert not (tmp_path / "council").exists()


# --- diff and git ---------------------------------------------------------------------------


@pytest.mark.parametrize("argv", [["--base=--output=OUT"], ["--", "--output=OUT"], ["draft", "--", "-p"]])
def test_diff_refuses_refs_that_look_like_options(root, capsys, argv):
    argv = [a.replace("OUT", str(root / "written")) for a in argv]
    ref = next(a for a in argv[::-1] if a.startswith("-") and a != "--").removeprefix("--base=")
    assert run(capsys, "diff", "--root", str(root), *argv) == (
        2, "", f"cannot compare: '{ref}' is not a version id, 'draft', or a git ref (none starts with '-')\n")
    assert not (root / "written").exists()


def test_compare_refuses_an_option_as_a_git_ref(root):
    with pytest.raises(UsageError) as info:
        compare(root, None, "draft", "--output=x")
    assert info.value.message == "'--output=x' is not a version id, 'draft', or a git ref (none starts with '-')"


def test_diff_against_a_ref_that_is_not_a_commit(root, capsys):
    git = ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "plan"], check=True)
    blob = subprocess.run([*git, "rev-parse", "HEAD:plan.yaml"], capture_output=True, text=True).stdout.strip()
    assert run(capsys, "diff", "--base", blob, "--root", str(root)) == (
        1, "", f"cannot compare: '{blob}' is not a version id, 'draft', or a git ref of this repository (error: "
               f"{blob}^{{commit}}: expected commit type, but the object dereferences to blob type)\n")


# --- odd command lines and files ------------------------------------------------------------


def test_root_that_is_a_file(root, capsys):
    assert usage(capsys, "validate", "--root", str(root / "plan.yaml")) == (
        2, f"improvement-plan validate: error: argument --root: '{root / 'plan.yaml'}' is not a folder")


@pytest.mark.parametrize("jobs", ["0", "-1", "many", "65"])
def test_build_refuses_a_bad_jobs_count(root, capsys, jobs):
    assert usage(capsys, "build", "--jobs", jobs, "--root", str(root)) == (
        2, f"improvement-plan build: error: argument --jobs: '{jobs}' is not a number of parallel builds (use 1 to 64)")


def test_no_command_and_unknown_command(capsys):
    assert usage(capsys) == (2, "improvement-plan: error: the following arguments are required: command")
    assert usage(capsys, "deploy")[0] == 2


def test_plan_yaml_that_is_a_folder(root, capsys):
    (root / "plan.yaml").unlink()
    (root / "plan.yaml").mkdir()
    code, out, _ = run(capsys, "validate", "--root", str(root))
    assert (code, out) == (1, "plan.yaml:1:1: error L001: 'plan.yaml' is not a regular file\n    hint: it must be a plain text file\n")


def test_plan_yaml_that_is_a_fifo_does_not_hang(root, capsys):
    (root / "plan.yaml").unlink()
    os.mkfifo(root / "plan.yaml")
    code, out, _ = run(capsys, "validate", "--root", str(root))
    assert (code, out) == (1, "plan.yaml:1:1: error L001: 'plan.yaml' is not a regular file\n    hint: it must be a plain text file\n")


def test_document_that_is_a_fifo_does_not_hang(root, capsys):
    os.mkfifo(root / "content/documents/pipe.md")
    code, out, _ = run(capsys, "validate", "--root", str(root))
    assert (code, out) == (1, "content/documents/pipe.md:1:1: error L001: 'content/documents/pipe.md' is not a "
                              "regular file\n    hint: it must be a plain text file\n")


def test_unreadable_plan_yaml(root, capsys, monkeypatch):
    real = Path.read_bytes

    def denied(self):
        if self.name == "plan.yaml":
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real(self)
    monkeypatch.setattr(Path, "read_bytes", denied)
    code, out, _ = run(capsys, "validate", "--root", str(root))
    assert (code, out) == (1, "plan.yaml:1:1: error L001: cannot read 'plan.yaml': Permission denied\n")


def test_correct_with_a_damaged_manifest(root, capsys):
    (root / "content/versions").mkdir(parents=True)
    (root / "content/versions/manifest.json").write_text('{"format": 1, "versions": [\n')
    assert run(capsys, "correct", "--id", "v1", "--reason", "typo", "--root", str(root)) == (
        1, "", "correction not recorded: the versions manifest cannot be read: it is not valid JSON "
               "(Expecting value: line 2 column 1 (char 28))\n")


def test_build_into_a_path_under_a_file(root, capsys, tmp_path):
    (tmp_path / "afile").write_text("x\n")
    assert run(capsys, "build", "--root", str(root), "--out", str(tmp_path / "afile/site")) == (
        1, "", f"build stopped: could not write {tmp_path / 'afile/site'}: Not a directory; the site in "
               f"{tmp_path / 'afile/site'} was not changed\n")


def test_diff_with_a_missing_snapshot(root, capsys):
    publish_as(root, "2013-07-board", "Improvement Board, July 2013", date(2013, 7, 1))
    (root / "content/versions/2013-07-board.json").unlink()
    assert run(capsys, "diff", "2013-07-board", "--root", str(root)) == (
        1, "", "cannot compare: version '2013-07-board' cannot be read: content/versions/2013-07-board.json cannot "
               "be read (No such file or directory)\n")


def test_build_workers_leave_ctrl_c_to_the_main_process():
    import signal

    before = signal.getsignal(signal.SIGINT)
    try:
        build_module._worker_start()
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, before)


def test_a_template_error_outside_the_theme_points_at_mkdocs_yml(root, tmp_path):
    import jinja2

    folder = tmp_path / "material"
    folder.mkdir()
    (folder / "base.html").write_text("<p>\n{% include 'partials/languages/xx.html' %}\n")
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(folder)))
    with pytest.raises(jinja2.TemplateNotFound) as info:
        env.get_template("base.html").render()
    assert _template_failure(info.value, root / "docs_theme").message == (
        f"MkDocs cannot render its template base.html:2: 'partials/languages/xx.html' not found in search path: "
        f"'{folder}'; check the theme settings in mkdocs.yml (the output was not changed)")


def test_an_mkdocs_error_becomes_a_generator_error(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: x\ntheme: {name: nope}\n")
    with pytest.raises(EngineError) as failure:
        build_project(tmp_path / "mkdocs.yml", tmp_path, 0)
    assert isinstance(failure.value, GeneratorError)
    assert failure.value.message == (
        "MkDocs stopped: Aborted with a configuration error! (Config value 'theme': Unrecognised theme name: 'nope'. "
        "The available installed themes are: mkdocs, readthedocs, material); the output was not changed")


def test_ctrl_c_during_a_parallel_build(root):
    """SIGINT reaches the whole process group, as from a terminal: one line, exit 130, no worker tracebacks."""
    import signal
    import time

    publish_as(root, "2013-07-board", "Improvement Board, July 2013", date(2013, 7, 1))
    publish_as(root, "2013-07-scrutiny", "Scrutiny panel, July 2013", date(2013, 7, 1))
    proc = subprocess.Popen([sys.executable, "-m", "generator", "build", "--root", str(root), "--jobs", "2"],
                            start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while not any(root.glob("site/.trees/*/*")) and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.2)  # the workers are rendering
    os.killpg(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert (proc.returncode, out, err) == (130, "", "stopped (Ctrl+C)\n")

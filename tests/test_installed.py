"""The tool as a council gets it: a wheel built from the tracked files, installed into a fresh virtual environment,
run from a folder outside the checkout; then the repository `init` wrote, driven as GitHub Actions and pre-commit
would drive it.

Offline: the pinned dependencies come from the test's own interpreter (a .pth file naming its site-packages, never
the checkout), and the tool is installed from the built wheel only (--no-index). The workflows' `run:` steps are
run in order with bash as the runner runs them; `uses:` steps are GitHub's own actions (check-out, set-up-python,
artifacts, Pages): the temporary repository and the fresh venv stand in for the first two, the rest are skipped.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import sysconfig
import urllib.request
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parent.parent
OUTER_BIN = Path(sys.executable).parent
ORG = "Northshire County Council"
TODAY = date.today()
EXPRESSIONS = {"github.base_ref": "main"}  # the values the runner would give; any other expression fails the test


def run(cmd: list[str], cwd: Path, env: dict[str, str], timeout: int = 180) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def ok(result: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    assert result.returncode == 0, f"{result.args}: {result.stdout}{result.stderr}"
    return result


def clean_env(venv: Path, tmp: Path, **extra: str) -> dict[str, str]:
    """A shell of a council's editor or of the runner: the fresh venv's bin first on PATH, nothing of the checkout
    or of the test's interpreter importable, pip offline (the built wheel only), git isolated."""
    path = [str(venv / "bin")] + [p for p in os.environ.get("PATH", "").split(os.pathsep)
                                   if p and Path(p) != OUTER_BIN]
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("GIT_", "PIP_", "PYTHON", "VIRTUAL_ENV", "GITHUB_"))}
    env.update(PATH=os.pathsep.join(path), NO_MKDOCS_2_WARNING="1", HOME=str(tmp / "home"),
               PIP_CONFIG_FILE=os.devnull, PIP_NO_INDEX="1", PIP_FIND_LINKS=str(tmp / "wheels"),
               PIP_DISABLE_PIP_VERSION_CHECK="1", PRE_COMMIT_HOME=str(tmp / "pre-commit-home"),
               GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1",
               GIT_AUTHOR_NAME="Editor", GIT_AUTHOR_EMAIL="editor@example.invalid",
               GIT_COMMITTER_NAME="Editor", GIT_COMMITTER_EMAIL="editor@example.invalid")
    env.update(extra)
    return env


# --- building and installing the wheel ---------------------------------------------------------

def build_wheel(tmp: Path) -> Path:
    """The wheel, built from a copy of the tracked files (what a clone holds)."""
    import setuptools

    major, minor = (int(n) for n in setuptools.__version__.split(".")[:2])
    assert (major, minor) >= (70, 1), "setuptools>=70.1 builds the wheel: pip install -e '.[test]'"
    src = tmp / "src"
    tracked = ok(subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, text=True)).stdout
    for rel in filter(None, tracked.split("\0")):
        if (REPO / rel).is_file():
            (src / rel).parent.mkdir(parents=True, exist_ok=True)
            (src / rel).write_bytes((REPO / rel).read_bytes())
    ok(run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q",
            "-w", str(tmp / "wheels"), str(src)], tmp, {**os.environ, "PIP_CONFIG_FILE": os.devnull}))
    [wheel] = (tmp / "wheels").glob("improvement_plan_generator-*.whl")
    return wheel


def package_data(src: Path) -> set[str]:
    """Every file the installed tool reads from beside its code."""
    folders = ["templates", "theme", "editor_guide", "starter"]
    return {p.relative_to(src).as_posix() for f in folders for p in (src / "generator" / f).rglob("*") if p.is_file()}


def fresh_venv(tmp: Path, wheel: Path) -> Path:
    venv = tmp / "venv"
    ok(run([sys.executable, "-m", "venv", str(venv)], tmp, {k: v for k, v in os.environ.items()
                                                             if not k.startswith("PYTHON")}))
    purelib = Path(ok(run([str(venv / "bin/python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          tmp, clean_env(venv, tmp))).stdout.strip())
    outer = Path(sysconfig.get_paths()["purelib"])
    # The outer site-packages (which may lie in the checkout's .venv) holds the tool only as an editable finder, whose
    # .pth is not processed in a folder a .pth adds: the fresh venv imports the tool from its wheel alone (asserted).
    assert not (outer / "generator").exists()
    (purelib / "outer-dependencies.pth").write_text(f"{outer}\n", encoding="utf-8")
    # --ignore-installed: the test's interpreter may have the tool installed itself (editable); that must not count.
    ok(run([str(venv / "bin/python"), "-m", "pip", "install", "-q", "--no-deps", "--ignore-installed", str(wheel)],
           tmp, clean_env(venv, tmp)))
    return venv


# --- running workflows as the runner would -----------------------------------------------------

def expand(text: str) -> str:
    def value(m: re.Match) -> str:
        assert m[1] in EXPRESSIONS, f"no value given for the expression {m[0]}"
        return EXPRESSIONS[m[1]]
    return re.sub(r"\$\{\{\s*(.+?)\s*\}\}", value, text)


def run_workflow(path: Path, repo: Path, venv: Path, tmp: Path) -> dict[str, str]:
    """Every `run:` step of every job in order, with the workflow's, job's and step's env; the files the runner
    provides. Returns the step summary and the names of the steps run."""
    wf = yaml.safe_load(path.read_text(encoding="utf-8"))
    work = tmp / f"runner-{path.stem}"
    work.mkdir()
    files = {name: work / name.lower() for name in ("GITHUB_STEP_SUMMARY", "GITHUB_OUTPUT", "GITHUB_ENV")}
    for f in files.values():
        f.touch()
    ran = []
    for job in wf["jobs"].values():
        for n, step in enumerate(job.get("steps", [])):
            if "uses" in step:
                continue  # GitHub's own actions (check-out, Python, artifacts, Pages): stood in for or skipped
            if "failure()" in step.get("if", ""):
                continue  # only after a failed step, and each step before this one passed (asserted below)
            env = {**wf.get("env", {}), **job.get("env", {}), **step.get("env", {})}
            script = work / f"step-{n}.sh"
            script.write_text(expand(step["run"]), encoding="utf-8")
            result = run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)], repo,
                         clean_env(venv, tmp, CI="true", GITHUB_ACTIONS="true", GITHUB_WORKSPACE=str(repo),
                                   **{k: str(v) for k, v in files.items()},
                                   **{k: expand(str(v)) for k, v in env.items()}))
            assert result.returncode == 0, f"{path.name}: {step.get('name')}: {result.stdout}{result.stderr}"
            ran.append(step.get("name", ""))
    return {"summary": files["GITHUB_STEP_SUMMARY"].read_text(encoding="utf-8"), "ran": "\n".join(ran)}


def git(repo: Path, env: dict[str, str], *args: str) -> str:
    return ok(run(["git", *args], repo, env)).stdout


def serve_one_page(tool: str, council: Path, env: dict[str, str]) -> str:
    proc = subprocess.Popen([tool, "serve", "--port", "0"], cwd=council, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        lines = [proc.stdout.readline() for _ in range(2)]
        assert lines[0] == "building the preview...\n" and lines[1].startswith("rebuilt everything in "), lines
        line = proc.stdout.readline()
        m = re.fullmatch(r"Serving the preview on (http://127\.0\.0\.1:\d+/) \(staff edition, draft included\)\. "
                         r"Press Ctrl\+C to stop\.\n", line)
        assert m, line + proc.stderr.read() if proc.poll() is not None else line
        with urllib.request.urlopen(m[1] + "staff/draft/actions/A1.2/", timeout=30) as response:
            assert response.status == 200
            page = response.read().decode("utf-8")
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=30)
    assert proc.returncode == 0, proc.stderr.read()
    return page


# --- the test ----------------------------------------------------------------------------------

def test_a_council_installs_the_wheel_and_runs_its_repository(tmp_path):
    (tmp_path / "home").mkdir()
    wheel = build_wheel(tmp_path)
    import zipfile

    names = set(zipfile.ZipFile(wheel).namelist())
    assert package_data(tmp_path / "src") <= names
    assert {"generator/theme/main.html", "generator/editor_guide/index.md",
            "generator/starter/dot-github/workflows/publish.yml"} <= names

    venv = fresh_venv(tmp_path, wheel)
    work = tmp_path / "elsewhere"  # outside the checkout and outside the copy the wheel was built from
    work.mkdir()
    env = clean_env(venv, tmp_path)
    where = ok(run(["python", "-c", "import generator; print(generator.__file__)"], work, env)).stdout.strip()
    assert Path(where).is_relative_to(venv), where
    tool = str(venv / "bin" / "improvement-plan")
    assert ok(run(["sh", "-c", "command -v improvement-plan"], work, env)).stdout.strip() == tool

    # init, validate, new action, publish, build, serve: as an editor would, from the installed tool
    init = ok(run([tool, "init", "council", "--organisation", ORG], work, env))
    council = work / "council"
    assert init.stdout.splitlines()[:14] == [
        f"started a plan for {ORG} in {council}:", "  .github/workflows/publish.yml",
        "  .github/workflows/pull-request.yml", "  .gitignore", "  .pre-commit-config.yaml", "  README.md",
        "  content/documents/first-board-report.md", "  mkdocs.yml", "  plan.yaml", "  requirements.txt",
        "  schema/document.schema.json", "  schema/included.schema.json", "  schema/plan.schema.json",
        "it is valid (0 errors, 0 warnings). Next:"]
    version = ok(run(["python", "-c", "from importlib.metadata import version; "
                                      "print(version('improvement-plan-generator'))"], work, env)).stdout.strip()
    assert (council / "requirements.txt").read_text() == f"improvement-plan-generator=={version}\n"
    valid = ok(run([tool, "validate"], council, env))
    assert (valid.stdout, valid.stderr) == ("", "Northshire County Council's plan is valid (0 errors, 0 warnings)\n")
    target = (TODAY + timedelta(days=120)).isoformat()  # a date the starter does not use
    added = ok(run([tool, "new", "action", "--commitment", "C1.1", "--lead", "ROLE-HOS", "--title",
                    "Audit every open case", "--target-date", target], council, env))
    lines = (council / "plan.yaml").read_text().splitlines()
    assert added.stdout.splitlines()[0] == f"added action A1.2 to plan.yaml at line {lines.index('  - id: A1.2') + 1}"
    published = ok(run([tool, "publish", "--id", "first-board", "--date", TODAY.isoformat(), "--title",
                        "Improvement Board"], council, env))
    assert published.stdout.splitlines()[0] == (f"published version 'first-board' (Improvement Board, "
                                                f"{TODAY.isoformat()}) of {ORG}'s plan to content/versions/first-board.json")
    built = ok(run([tool, "build", "--out", "site"], council, env))
    assert built.stdout.startswith(f"built 3 sites of {ORG}'s plan (3 rendered, 0 from the cache, 0 unchanged) into {council / 'site'}")
    title = f"Improvement Board · {ORG}: Children&#39;s Services Improvement Plan"  # the point, then the site
    assert f"<title>{title}</title>" in (council / "site/public/latest/index.html").read_text("utf-8")
    packaged = Path(where).parent / "theme"
    assert (council / "site/staff/latest/assets/ip.css").read_bytes() == (packaged / "assets/ip.css").read_bytes()
    assert (council / "site/staff/draft/guide/update-status/index.html").is_file()  # the packaged guide
    assert not (council / "site/public/latest/guide").exists()
    # the papers (issue 12), from the installed package's templates, CSS and fonts: in the downloads, and on demand
    for name in ("report-first-board.docx", "report-first-board.pdf", "tracker-first-board.xlsx"):
        assert (council / "site/public/latest/downloads" / name).stat().st_size > 1000, name
    papers = tmp_path / "papers"
    papers.mkdir()
    for command, fmt in (("report", "docx"), ("report", "pdf"), ("export-tracker", "xlsx")):
        stem = command.removeprefix("export-")
        made = ok(run([tool, command, "--format", fmt, "--root", str(council)], papers, env))
        assert made.stdout.startswith(f"wrote {stem}-first-board-public.{fmt} ("), made.stdout
        assert made.stdout.endswith("): the progress report for Improvement Board (first-board), public edition\n"
                                    if stem == "report" else
                                    "): the tracker for Improvement Board (first-board), public edition\n"), made.stdout
    assert sorted(p.name for p in papers.iterdir()) == ["report-first-board-public.docx", "report-first-board-public.pdf",
                                                        "tracker-first-board-public.xlsx"]
    assert (papers / "report-first-board-public.pdf").read_bytes().startswith(b"%PDF-")
    assert all(zipfile.is_zipfile(papers / n) for n in ("report-first-board-public.docx", "tracker-first-board-public.xlsx"))
    page = serve_one_page(tool, council, env)
    assert '<p class="ip-banner ip-banner--staff"><strong>Staff edition.</strong>' in page
    assert "Audit every open case" in page

    # the council's repository on "GitHub": main pushed to a bare origin
    bare = tmp_path / "origin.git"
    git(tmp_path, env, "init", "-q", "--bare", "-b", "main", str(bare))
    git(council, env, "init", "-q", "-b", "main")
    git(council, env, "add", "-A")
    git(council, env, "commit", "-q", "-m", "Start the plan")
    git(council, env, "remote", "add", "origin", str(bare))
    git(council, env, "push", "-q", "origin", "main")
    assert "site/" in (council / ".gitignore").read_text() and git(council, env, "status", "--porcelain") == ""

    workflows = council / ".github" / "workflows"
    lint = run([str(OUTER_BIN / "actionlint"), "-no-color", str(workflows / "pull-request.yml"),
                str(workflows / "publish.yml")], council, env)
    assert (lint.returncode, lint.stdout) == (0, "")

    # Publish, on main: install from requirements.txt, validate, anchor (tags pushed), build, guard, summary
    publish = run_workflow(workflows / "publish.yml", council, venv, tmp_path)
    assert publish["ran"].splitlines() == ["Install the generator", LIBS, "Validate the plan", "Anchor reporting points",
                                           "Build both editions", GUARD, "Explain how to host the staff edition"]
    assert publish["summary"].startswith("## Staff edition\n")
    assert (council / "site/public/latest/index.html").is_file() and not list((council / "site/public").rglob("risks"))
    tags = git(council, env, "ls-remote", "--tags", str(bare))
    assert re.fullmatch(r"[0-9a-f]{40}\trefs/tags/reporting-point/first-board\n"
                        r"[0-9a-f]{40}\trefs/tags/reporting-point/first-board\^\{\}\n", tags), tags

    # Pull request: a branch that adds an action, compared with origin/main
    git(council, env, "switch", "-q", "-c", "add-an-action")
    ok(run([tool, "new", "action", "--commitment", "C1.1", "--lead", "ROLE-DCS", "--title", "Recruit two team managers",
            "--target-date", target], council, env))
    git(council, env, "commit", "-q", "-am", "Add an action")
    pr = run_workflow(workflows / "pull-request.yml", council, venv, tmp_path)
    assert pr["ran"].splitlines() == ["Install the generator", LIBS, "Validate the plan", "Build both editions", GUARD,
                                      SUMMARY]
    assert pr["summary"].startswith("## What this pull request changes in the plan\n\n# What changed")
    assert "A1.3" in pr["summary"] and "Recruit two team managers" in pr["summary"]

    # pre-commit, with the installed tool (no .venv in the council folder: PATH's improvement-plan)
    pre_commit = [str(OUTER_BIN / "pre-commit"), "run", "--all-files", "--color", "never"]
    passed = ok(run(pre_commit, council, env))
    assert re.search(r"^validate the improvement plan\.+Passed$", passed.stdout, re.M), passed.stdout
    text = (council / "plan.yaml").read_text()
    at = text.index(f"target_date: {target}")
    line, col = text[:at].count("\n") + 1, at - text.rfind("\n", 0, at) + len("target_date: ")
    (council / "plan.yaml").write_text(text.replace(f"target_date: {target}", "target_date: 2026-02-30", 1))
    failed = run(pre_commit, council, env)
    assert failed.returncode == 1
    assert f"plan.yaml:{line}:{col}: error S105: action A1.2 target_date '2026-02-30' is not a date (use YYYY-MM-DD)" \
        in failed.stdout.splitlines(), failed.stdout

    # the sample council (this repository's plan and its docs_theme/ override) builds from the installed wheel
    sample = tmp_path / "sample"
    sample.mkdir()
    for name in ("plan.yaml", "plan", "content", "mkdocs.yml", "docs_theme"):
        ok(run(["cp", "-R", str(tmp_path / "src" / name), str(sample)], tmp_path, env))
    out = tmp_path / "sample-site"
    # --no-reports: the council above built its papers from the wheel; here the sample's theme override is tested
    ok(run([tool, "build", "--root", str(sample), "--out", str(out), "--no-reports"], work, env))
    latest = (out / "public" / "latest" / "index.html").read_text("utf-8")
    assert '<img src="images/emblem.svg" alt="logo">' in latest
    assert (out / "public/latest/assets/extra.css").read_bytes() == (REPO / "docs_theme/assets/extra.css").read_bytes()


GUARD = "Check that no staff content is in the public edition"
LIBS = "Install the libraries the reports need"
SUMMARY = "Summarise what the change does to the plan"

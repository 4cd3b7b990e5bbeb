"""The pull-request automation: the GitHub workflows and the pre-commit hook (this repository's copies equal the
starter's, which `init` writes into a council's repository: tests/test_init_repo.py).

actionlint checks both workflow files; the commands and shell steps the workflows run are run
here, as the workflows run them, on a copy of the minimal fixture; the workflows' structure is
checked so that the staff edition can never become the GitHub Pages artifact; and the pre-commit
hook is run in a throwaway git repository. Nothing here uses the network.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES, copy_plan

REPO = Path(__file__).resolve().parent.parent
WORKFLOWS = REPO / ".github" / "workflows"
PR = WORKFLOWS / "pull-request.yml"
PUBLISH = WORKFLOWS / "publish.yml"
PRE_COMMIT_CONFIG = REPO / ".pre-commit-config.yaml"
BIN = Path(sys.executable).parent

GUARD = "Check that no staff content is in the public edition"
SUMMARY = "Summarise what the change does to the plan"
# In the minimal fixture: action A1's target date, made impossible (September has 30 days).
GOOD_DATE, BAD_DATE = "target_date: 2013-09-30", "target_date: 2013-09-31"
ANNOTATION = re.compile(r"::(error|warning) file=[^,\n]+,line=\d+,col=\d+::[A-Z]\d{3} .+")


# --- helpers -------------------------------------------------------------------------------------

def tool(name: str) -> str:
    """An executable installed next to this Python (by the test extras), else on PATH; never skipped."""
    beside = BIN / name
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    found = shutil.which(name)
    if not found:
        pytest.fail(f"'{name}' is not installed: install the test extras (pip install -e '.[test]')")
    return found


def env(**extra: str) -> dict[str, str]:
    """The environment of a workflow step: this Python first on PATH, the generator importable,
    and git isolated from the user's configuration."""
    e = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    e["PATH"] = os.pathsep.join([str(BIN), e.get("PATH", "")])
    e["PYTHONPATH"] = os.pathsep.join(p for p in [str(REPO), e.get("PYTHONPATH", "")] if p)
    e["NO_MKDOCS_2_WARNING"] = "1"
    e.update(GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1",
             GIT_AUTHOR_NAME="Test", GIT_AUTHOR_EMAIL="test@example.invalid",
             GIT_COMMITTER_NAME="Test", GIT_COMMITTER_EMAIL="test@example.invalid")
    e.update(extra)
    return e


def sh(cwd: Path, script: str, **extra: str) -> subprocess.CompletedProcess:
    """Run a step's `run:` script as GitHub's runner does by default (`bash -e {0}`)."""
    path = cwd.parent / f"step-{abs(hash(script))}.sh"
    path.write_text(script, encoding="utf-8")
    return subprocess.run(["bash", "-e", str(path)], cwd=cwd, env=env(**extra), capture_output=True, text=True,
                          timeout=300)


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *args], env=env(), check=True, capture_output=True, timeout=60)


def git_repo(root: Path) -> Path:
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "start")
    return root


def break_date(root: Path) -> int:
    """Make A1's target date impossible; returns its 1-based line number in plan.yaml."""
    plan = root / "plan.yaml"
    text = plan.read_text(encoding="utf-8")
    assert text.count(GOOD_DATE) == 1
    plan.write_text(text.replace(GOOD_DATE, BAD_DATE), encoding="utf-8")
    return text[:text.index(GOOD_DATE)].count("\n") + 1


def load(path: Path) -> dict:
    wf = yaml.safe_load(path.read_text(encoding="utf-8"))
    if True in wf:  # YAML 1.1 reads the key `on` as a boolean
        wf["on"] = wf.pop(True)
    return wf


def steps(wf: dict) -> list[tuple[str, int, dict]]:
    return [(job, i, s) for job, spec in wf["jobs"].items() for i, s in enumerate(spec.get("steps", []))]


def step(wf: dict, name: str) -> dict:
    found = [s for _, _, s in steps(wf) if s.get("name") == name]
    assert len(found) == 1, f"expected one step named {name!r}, found {len(found)}"
    return found[0]


def using(wf: dict, action: str) -> list[tuple[str, int, dict]]:
    return [(job, i, s) for job, i, s in steps(wf) if s.get("uses", "").split("@")[0] == action]


@pytest.fixture
def plan(tmp_path) -> Path:
    return copy_plan(FIXTURES / "minimal", tmp_path / "plan")


# --- (a) actionlint ------------------------------------------------------------------------------

def test_actionlint_passes_on_both_workflows():
    actionlint = tool("actionlint")
    result = subprocess.run([actionlint, "-no-color", str(PR), str(PUBLISH)], cwd=REPO, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_really_checks(tmp_path):
    """So that a pass above means something: a misspelt input is caught."""
    bad = "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n" \
          "      - uses: actions/checkout@v4\n        with:\n          fetch-dept: 0\n"
    result = subprocess.run([tool("actionlint"), "-no-color", "-"], input=bad, cwd=tmp_path, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 1 and "fetch-dept" in result.stdout, result.stdout + result.stderr


# --- (b) the commands the workflows run ----------------------------------------------------------

def test_both_workflows_validate_and_build_with_the_same_commands():
    for wf in (load(PR), load(PUBLISH)):
        assert step(wf, "Validate the plan")["run"].strip() == "improvement-plan validate --format github"
        assert step(wf, "Build both editions")["run"].strip() == "improvement-plan build --out site"
        assert wf["env"]["NO_MKDOCS_2_WARNING"] == "1"
    assert step(load(PR), GUARD)["run"] == step(load(PUBLISH), GUARD)["run"]


def test_validate_github_format_annotates_the_broken_line(plan):
    run = step(load(PR), "Validate the plan")["run"]
    ok = sh(plan, run)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "::error" not in ok.stdout

    line = break_date(plan)
    bad = sh(plan, run)
    assert bad.returncode == 1, bad.stdout + bad.stderr
    out = [s for s in bad.stdout.splitlines() if s]
    assert out and all(ANNOTATION.fullmatch(s) for s in out), out  # stdout holds workflow commands only
    col = next(s for s in (plan / "plan.yaml").read_text().splitlines() if BAD_DATE in s).index("2013-09-31") + 1
    s105 = [s for s in out if "::S105 " in s]
    assert s105 == [f"::error file=plan.yaml,line={line},col={col}::S105 action A1 target_date '2013-09-31' "
                    f"is not a date (use YYYY-MM-DD)"], out


def test_build_makes_both_editions_and_the_guard_passes_on_them(plan):
    built = sh(plan, step(load(PUBLISH), "Build both editions")["run"])
    assert built.returncode == 0, built.stdout + built.stderr
    for edition in ("public", "staff"):
        assert (plan / "site" / edition / "index.html").is_file()
        assert (plan / "site" / edition / "versions.json").is_file()
    assert list((plan / "site" / "staff").rglob("risks/index.html")), "the staff edition should have risks"

    guard = sh(plan, step(load(PUBLISH), GUARD)["run"])
    assert guard.returncode == 0, guard.stdout + guard.stderr


def test_the_guard_stops_staff_content_in_the_public_edition(plan):
    guard = step(load(PUBLISH), GUARD)["run"]
    public = plan / "site" / "public"

    assert sh(plan, guard).returncode == 1, "a missing site/public must fail, not pass"

    (public / "latest" / "risks").mkdir(parents=True)
    (public / "latest" / "risks" / "index.html").write_text("<p>risk</p>")
    leaked = sh(plan, guard)
    assert leaked.returncode == 1 and "Staff-only risk pages" in leaked.stdout, leaked.stdout + leaked.stderr

    shutil.rmtree(public / "latest" / "risks")
    assert sh(plan, guard).returncode == 0
    (public / "latest" / "index.html").write_text('<p class="ip-banner"><strong>Staff edition.</strong></p>')
    banner = sh(plan, guard)
    assert banner.returncode == 1 and "latest/index.html" in banner.stdout, banner.stdout + banner.stderr


def test_the_guard_looks_through_the_output_links(plan):
    """site/public is a link into the live tree (generator/output.py); `find` without -H would not enter it and
    the guard would pass whatever the public edition held."""
    built = sh(plan, step(load(PUBLISH), "Build both editions")["run"])
    assert built.returncode == 0, built.stdout + built.stderr
    assert (plan / "site" / "public").is_symlink()
    planted = (plan / "site" / "public").resolve() / "latest" / "risks"
    planted.mkdir(parents=True)
    (planted / "index.html").write_text("<p>risk</p>")
    for workflow in (PUBLISH, PR):
        leaked = sh(plan, step(load(workflow), GUARD)["run"])
        assert leaked.returncode == 1 and "site/public/latest/risks/index.html" in leaked.stdout, workflow


def test_diff_base_prints_markdown_in_a_git_repo(plan):
    git_repo(plan)
    text = (plan / "plan.yaml").read_text()
    (plan / "plan.yaml").write_text(text.replace("status: amber", "status: green", 1))
    result = subprocess.run([sys.executable, "-m", "generator", "diff", "--base", "HEAD"], cwd=plan, env=env(),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# What changed")
    assert "**A1**" in result.stdout and "amber to green" in result.stdout


def test_the_summary_step_writes_the_diff_under_a_heading(plan, tmp_path):
    git_repo(plan)
    git(plan, "update-ref", "refs/remotes/origin/main", "HEAD")  # as actions/checkout fetches the base
    text = (plan / "plan.yaml").read_text()
    (plan / "plan.yaml").write_text(text.replace("status: amber", "status: green", 1))
    summary = tmp_path / "summary.md"
    result = sh(plan, step(load(PR), SUMMARY)["run"], BASE_REF="main", GITHUB_STEP_SUMMARY=str(summary))
    assert result.returncode == 0, result.stdout + result.stderr
    written = summary.read_text()
    assert written.startswith("## What this pull request changes in the plan\n")
    assert "# What changed: the plan at origin/main to the working draft" in written
    assert "amber to green" in written


def test_the_summary_step_notes_a_base_without_a_valid_plan(plan, tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "README.md").write_text("No plan yet.\n")
    base = git_repo(tmp_path / "empty")
    # the pull request adds the first plan: the base branch has none
    for f in plan.iterdir():
        shutil.move(str(f), base / f.name)
    git(base, "update-ref", "refs/remotes/origin/main", "HEAD")
    summary = tmp_path / "summary.md"
    result = sh(base, step(load(PR), SUMMARY)["run"], BASE_REF="main", GITHUB_STEP_SUMMARY=str(summary))
    assert result.returncode == 0, result.stdout + result.stderr
    written = summary.read_text()
    assert written.startswith("## What this pull request changes in the plan\n")
    assert "**No comparison with `main`:** cannot compare: the plan at 'origin/main' is not valid" in written
    assert "has no valid plan yet" in written


# --- (c) the workflows' structure ----------------------------------------------------------------

def test_pull_request_workflow_shape():
    wf = load(PR)
    assert "pull_request" in wf["on"]
    assert wf["permissions"] == {"contents": "read"}
    assert "github.event.pull_request.number" in wf["concurrency"]["group"]
    assert wf["concurrency"]["cancel-in-progress"] is True
    assert all("permissions" not in job for job in wf["jobs"].values())

    [(_, _, checkout)] = using(wf, "actions/checkout")
    assert checkout["with"]["fetch-depth"] == 0
    [(_, _, python)] = using(wf, "actions/setup-python")
    assert python["with"] == {"python-version": "3.11", "cache": "pip", "cache-dependency-path": "requirements.txt"}
    assert step(wf, "Install the generator")["run"].strip() == "python -m pip install -r requirements.txt"

    summary = step(wf, SUMMARY)
    assert "!cancelled()" in summary["if"]  # runs after a failed validation too
    assert "origin/$BASE_REF" in summary["run"] and "GITHUB_STEP_SUMMARY" in summary["run"]
    assert summary["env"]["BASE_REF"] == "${{ github.base_ref }}"

    [(_, _, upload)] = using(wf, "actions/upload-artifact")
    assert upload["with"]["path"] == "site/"
    assert "${{ github.event.number }}" in upload["with"]["name"]
    assert 1 <= upload["with"]["retention-days"] <= 7

    order = [s.get("name") for _, _, s in steps(wf)]
    assert order.index("Validate the plan") < order.index("Build both editions") < order.index(GUARD) \
        < order.index(upload["name"])


def test_publish_deploys_only_the_public_edition():
    wf = load(PUBLISH)
    assert wf["on"]["push"]["branches"] == ["main"] and "workflow_dispatch" in wf["on"]
    assert wf["permissions"] == {"contents": "read"}

    [(job, i, pages)] = using(wf, "actions/upload-pages-artifact")
    assert pages["with"] == {"path": "site/public"}  # exactly; and the default artifact name, github-pages
    guard_job, guard_i = next((j, k) for j, k, s in steps(wf) if s.get("name") == GUARD)
    assert guard_job == job and guard_i < i, "the guard must run before the Pages upload"
    [(_, _, configure)] = using(wf, "actions/configure-pages")
    assert configure

    [(deploy_job, _, deploy)] = using(wf, "actions/deploy-pages")
    assert "artifact_name" not in deploy.get("with", {})
    spec = wf["jobs"][deploy_job]
    assert deploy_job != job and job in ([spec["needs"]] if isinstance(spec["needs"], str) else spec["needs"])
    assert spec["environment"]["name"] == "github-pages"
    assert spec["permissions"] == {"pages": "write", "id-token": "write"}
    # Only the build job may write, and only contents: it pushes the reporting-point tags after `anchor`.
    assert {name: s.get("permissions") for name, s in wf["jobs"].items() if name != deploy_job} == \
        {job: {"contents": "write"}}
    [anchor] = [s for j, _, s in steps(wf) if j == job and "improvement-plan anchor" in s.get("run", "")]
    assert "git push origin 'refs/tags/reporting-point/*'" in anchor["run"]
    for workflow in (wf, load(PR)):  # validate needs the whole history and the tags
        for _, _, checkout in using(workflow, "actions/checkout"):
            assert checkout["with"] == {"fetch-depth": 0, "fetch-tags": True}

    uploads = using(wf, "actions/upload-artifact")
    assert [s["with"]["name"] for _, _, s in uploads] == ["staff-site"]
    for _, _, s in uploads:  # an ordinary artifact is never the one Pages deploys
        assert s["with"]["name"] != "github-pages"
        assert s["with"]["path"] == "site/staff"
        assert 1 <= s["with"]["retention-days"] <= 90
    assert "staff" not in pages["with"]["path"]
    assert "never put the staff edition on github pages" in step(wf, "Explain how to host the staff edition")[
        "run"].lower()


# --- (d) pre-commit ------------------------------------------------------------------------------

def precommit_repo(plan: Path) -> Path:
    shutil.copy(PRE_COMMIT_CONFIG, plan / ".pre-commit-config.yaml")
    return git_repo(plan)


def pre_commit(root: Path, tmp_path: Path, **extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([tool("pre-commit"), "run", "--all-files", "--color", "never"], cwd=root,
                          env=env(PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"), **extra),
                          capture_output=True, text=True, timeout=300)


def test_pre_commit_hook_watches_the_plan_files():
    [repo] = yaml.safe_load(PRE_COMMIT_CONFIG.read_text())["repos"]
    [hook] = repo["hooks"]
    assert repo["repo"] == "local" and hook["id"] == "validate-plan" and hook["pass_filenames"] is False
    files = re.compile(hook["files"])
    # every YAML file (plan.yaml may include one from anywhere in the folder), content/ and docs_theme/
    for path in ["plan.yaml", "plan/actions.yaml", "workstreams/w1.yml", "content/documents/a.md",
                 "content/versions/manifest.json", "content/guide/index.md", "mkdocs.yml", "docs_theme/main.html"]:
        assert files.search(path), path
    for path in ["generator/cli.py", "README.md", "requirements.txt", "mkdocs.yml.bak", "site/public/index.html",
                 "notes/plan.yaml.txt"]:
        assert not files.search(path), path


def test_pre_commit_passes_a_valid_plan_and_refuses_a_broken_date(plan, tmp_path):
    root = precommit_repo(plan)
    ok = pre_commit(root, tmp_path)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "validate the improvement plan" in ok.stdout and "Passed" in ok.stdout

    line = break_date(root)
    bad = pre_commit(root, tmp_path)
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "Failed" in bad.stdout
    assert f"plan.yaml:{line}:" in bad.stdout and "S105" in bad.stdout, bad.stdout


def test_pre_commit_uses_the_project_venv_when_there_is_one(plan, tmp_path):
    """`.venv/bin/pre-commit install` does not put .venv on PATH: the hook must find .venv's tool itself."""
    root = precommit_repo(plan)
    (root / ".venv" / "bin").mkdir(parents=True)
    (root / ".venv" / "bin" / "improvement-plan").write_text(f'#!/bin/sh\nexec "{sys.executable}" -m generator "$@"\n')
    (root / ".venv" / "bin" / "improvement-plan").chmod(0o755)
    wrong = tmp_path / "wrong"
    wrong.mkdir()
    (wrong / "improvement-plan").write_text("#!/bin/sh\necho 'not the project venv tool' >&2\nexit 3\n")
    (wrong / "improvement-plan").chmod(0o755)
    path = os.pathsep.join([str(wrong), os.environ.get("PATH", "")])
    result = pre_commit(root, tmp_path, PATH=path)
    assert result.returncode == 0, result.stdout + result.stderr
    break_date(root)
    result = pre_commit(root, tmp_path, PATH=path)
    assert result.returncode == 1 and "S105" in result.stdout, result.stdout + result.stderr

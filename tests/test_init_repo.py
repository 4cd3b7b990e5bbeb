"""`init` writes a council's complete repository, pinned to the tool's version in one line of requirements.txt.

The workflows and the pre-commit configuration have one source, the starter's copies: this repository's own equal
them byte for byte (its requirements.txt installs the tool from this checkout). Running them from an installed
wheel is tests/test_installed.py.
"""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

from generator.errors import UsageError
from generator.scaffold import STARTER, init, requirement_line

REPO = Path(__file__).resolve().parent.parent
VERSION = version("improvement-plan-generator")
WRITTEN = [".github/workflows/publish.yml", ".github/workflows/pull-request.yml", ".gitignore",
           ".pre-commit-config.yaml", "README.md", "content/documents/first-board-report.md", "mkdocs.yml",
           "plan.yaml", "requirements.txt", "schema/document.schema.json", "schema/included.schema.json",
           "schema/plan.schema.json"]


def gen(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120)


def files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def test_init_writes_a_complete_council_repository(tmp_path):
    r = gen(tmp_path, "init", "council", "--organisation", "Northshire County Council")
    assert r.returncode == 0, r.stderr
    root = tmp_path / "council"
    assert files(root) == WRITTEN
    assert (root / "requirements.txt").read_text() == f"improvement-plan-generator=={VERSION}\n"
    assert (root / "README.md").read_text().startswith(
        "# Northshire County Council: children's services improvement plan\n")
    assert (root / ".gitignore").read_text() == "site/\n.cache/\n.venv/\n__pycache__/\n"
    assert r.stdout.endswith("README.md says how to set up .venv from requirements.txt (the tool at the version "
                             "pinned there), the pre-commit hook and publishing\n")


@pytest.mark.parametrize("rel", [".github/workflows/pull-request.yml", ".github/workflows/publish.yml",
                                 ".pre-commit-config.yaml"])
def test_workflows_and_pre_commit_are_copied_verbatim_and_this_repository_uses_the_same(tmp_path, rel):
    init(tmp_path / "council", "Northshire")
    starter = (STARTER / rel.replace(".github", "dot-github").replace(".pre-commit", "dot-pre-commit")).read_bytes()
    assert (tmp_path / "council" / rel).read_bytes() == starter == (REPO / rel).read_bytes()


def test_the_written_workflows_keep_their_expressions_and_install_from_requirements(tmp_path):
    init(tmp_path / "council", "Northshire")
    pr = (tmp_path / "council" / ".github/workflows/pull-request.yml").read_text()
    assert "BASE_REF: ${{ github.base_ref }}" in pr and 'risks=$(find -H site/public' in pr
    for name in ("pull-request.yml", "publish.yml"):
        text = (tmp_path / "council" / ".github/workflows" / name).read_text()
        assert text.count("run: python -m pip install -r requirements.txt\n") == 1
        assert "cache-dependency-path: requirements.txt\n" in text and "python -m generator" not in text


def test_this_repository_installs_the_tool_from_its_own_checkout():
    assert (REPO / "requirements.txt").read_text() == ".\n"


def test_install_from_a_git_tag(tmp_path):
    r = gen(tmp_path, "init", "council", "--install-from", "git+https://github.com/example/improvement-plan")
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "council" / "requirements.txt").read_text() == (
        f"improvement-plan-generator @ git+https://github.com/example/improvement-plan@v{VERSION}\n")


def test_requirement_lines():
    assert requirement_line("index", "1.2.3") == "improvement-plan-generator==1.2.3"
    assert requirement_line("git+ssh://git@github.com/example/tool.git", "1.2.3") == (
        "improvement-plan-generator @ git+ssh://git@github.com/example/tool.git@v1.2.3")


@pytest.mark.parametrize("source", ["pypi", "https://github.com/example/tool", "git+https://github.com/x/y@v1",
                                    "git+file:///tmp/tool", "git+https://github.com/x/y --index-url http://evil"])
def test_other_install_sources_are_a_usage_error_and_nothing_is_written(tmp_path, source):
    with pytest.raises(UsageError):
        requirement_line(source, "1.0.0")
    r = gen(tmp_path, "init", "council", "--install-from", source)
    assert (r.returncode, r.stdout) == (2, "")
    assert r.stderr == ("not started: --install-from must be 'index' or the tool's git repository as git+https://... "
                        "(for example git+https://github.com/your-council/improvement-plan-generator), not "
                        f"'{source}'\n")
    assert not (tmp_path / "council").exists()


def test_init_refuses_a_folder_holding_only_a_requirements_file(tmp_path):
    (tmp_path / "council").mkdir()
    (tmp_path / "council" / "requirements.txt").write_text("x\n")
    r = gen(tmp_path, "init", "council")
    assert (r.returncode, r.stderr) == (1, f"not started: {tmp_path / 'council'} already holds requirements.txt; init "
                                           "never overwrites a plan or any other file, so choose a new folder\n")
    assert files(tmp_path / "council") == ["requirements.txt"]


def test_actionlint_passes_on_the_written_workflows(tmp_path):
    init(tmp_path / "council", "Northshire")
    actionlint = Path(sys.executable).parent / "actionlint"
    workflows = sorted(str(p) for p in (tmp_path / "council" / ".github/workflows").glob("*.yml"))
    result = subprocess.run([str(actionlint), "-no-color", *workflows], cwd=tmp_path / "council",
                            capture_output=True, text=True, timeout=120)
    assert (result.returncode, result.stdout) == (0, "")


def test_init_without_an_installed_tool_says_so_and_writes_nothing(tmp_path, monkeypatch):
    import importlib.metadata

    from generator.scaffold import ScaffoldError

    def missing(name: str) -> str:
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "version", missing)
    with pytest.raises(ScaffoldError) as info:
        init(tmp_path / "council", "Northshire")
    assert info.value.message == ("the tool is not installed as a package (improvement-plan-generator), so there is "
                                  "no version to pin in requirements.txt; install it (python -m pip install .) and "
                                  "run init again")
    assert not (tmp_path / "council").exists()


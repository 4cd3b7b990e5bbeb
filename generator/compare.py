"""`diff`: what changed between two states of the plan (versions, the draft, or the plan at a git ref)."""

from __future__ import annotations

import subprocess
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

from .diagnostics import Severity, has_errors
from .errors import GeneratorError, UsageError
from .history import diff
from .model import Plan
from .project import project
from .snapshot_format import SnapshotFormatError
from .versions import ManifestError, load_published, read_manifest


class CompareError(GeneratorError):
    """The two states named cannot be had."""


def _plan_at_git_ref(root: Path, ref: str) -> Plan:
    from .migrate import migrate
    from .validate import validate

    if ref.startswith("-"):
        raise UsageError(f"'{ref}' is not a version id, 'draft', or a git ref (none starts with '-')")

    try:
        top = subprocess.run(["git", "-C", str(root), "rev-parse", "--show-toplevel"], capture_output=True,
                             text=True, check=True).stdout.strip()
        prefix = Path(root).resolve().relative_to(Path(top).resolve()).as_posix()
        # Resolve the ref first, options ended, so a value such as '--output=x' is only ever a name.
        commit = subprocess.run(["git", "-C", str(root), "rev-parse", "--verify", "--quiet", "--end-of-options",
                                 f"{ref}^{{commit}}"], capture_output=True, text=True, check=True).stdout.strip()
        tree = f"{commit}:{prefix}" if prefix != "." else f"{commit}:"
        archive = subprocess.run(["git", "-C", str(root), "archive", "--format=tar", "--", tree], capture_output=True,
                                 check=True).stdout
    except (subprocess.CalledProcessError, FileNotFoundError, ValueError) as exc:
        detail = getattr(exc, "stderr", b"") or b""
        detail = detail.decode(errors="replace").strip() if isinstance(detail, bytes) else str(detail).strip()
        raise CompareError(f"'{ref}' is not a version id, 'draft', or a git ref of this repository"
                           + (f" ({detail})" if detail else "")) from None
    with tempfile.TemporaryDirectory(prefix="ip-ref-") as tmp:
        with tarfile.open(fileobj=BytesIO(archive)) as tar:
            tar.extractall(tmp, filter="data")
        try:  # a plan committed before a format change reads as `migrate` would rewrite it today
            migrate(Path(tmp))
        except GeneratorError:
            pass  # validate says it is not valid
        plan, diags = validate(Path(tmp))
    if has_errors(diags) or plan.info is None:
        raise CompareError(f"the plan at '{ref}' is not valid, so it cannot be compared")
    return plan


def resolve(root: Path, spec: str) -> tuple[str, Plan]:
    """A label and a Plan for a version id, 'draft', or a git ref."""
    from .validate import validate

    if spec == "draft":
        plan, diags = validate(root)
        if has_errors(diags) or plan.info is None:
            raise CompareError("the working plan is not valid (above)",
                               [d for d in diags if d.severity is Severity.error])
        return "the working draft", plan
    try:
        published = read_manifest(root)
    except ManifestError as exc:
        raise CompareError(exc.message) from None
    for meta in published:
        if meta.id == spec:
            try:
                return meta.title, load_published(root, meta).plan
            except SnapshotFormatError as exc:
                raise CompareError(f"version '{spec}' cannot be read: {exc}") from None
            except OSError as exc:
                raise CompareError(f"version '{spec}' cannot be read: {exc.strerror} ({meta.path})") from None
    return f"the plan at {spec}", _plan_at_git_ref(root, spec)


def compare(root: Path, a: str | None, b: str, base: str | None, edition: str = "staff") -> str:
    if base:
        a, b = base, "draft"
    if a is None:
        try:
            published = read_manifest(root)
        except ManifestError as exc:
            raise CompareError(exc.message) from None
        if not published:
            raise CompareError("nothing is published yet; name two states to compare, or use --base REF")
        a = published[-1].id
    label_a, plan_a = resolve(root, a)
    label_b, plan_b = resolve(root, b)
    return diff(project(plan_a, edition), project(plan_b, edition), label_a, label_b).markdown()

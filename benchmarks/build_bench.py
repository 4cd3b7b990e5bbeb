"""How long building the sites takes, and whether unchanged published versions are reused.

Prints one table (wall time of build_sites(root, out, workers=None), i.e. all cores, by time.perf_counter;
each row with the sites rendered, taken from the cache, and kept in place from the last build):

  (a)  the repository's own sample plan (plan.yaml, plan/, content/, mkdocs.yml copied), no cache
  (b)  a 2,000-action synthetic plan with one published version: public + staff + draft, no cache
  (c1) a 300-action synthetic plan with 12 published versions a month apart, cold (empty .cache)
  (c2) the same after one more month of editing the working plan (advance(), no publish): a rebuild
       into the same output, which should keep every published version in place and render only the draft
  (c3) the draft alone, in the same root: validation (with the published versions read back, which the
       draft's timelines need) and rendering the staff draft site, and nothing else
  (c4) for reference, the draft of a copy of the root without content/versions/ (no history at all)

(c2), (c3) and (c4) are run three times each (each (c2) after a fresh advance()) and the fastest shown,
with all runs listed under the table; then the ratio (c2) / (c3), whose target is at most 1.3, and
(c2) / (c4) for reference. Everything
runs in one process, one after the other, so the figures are comparable. Takes about 4-5 minutes on
2 cores. Note the cache key includes a hash of generator/ and the theme: editing them mid-run makes
cached versions miss.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path[:0] = [str(REPO), str(HERE)]

from synthetic import advance, make_plan  # noqa: E402

from generator.build import build_sites, plan_jobs, run_job  # noqa: E402
from generator.diagnostics import has_errors  # noqa: E402
from generator.validate import validate, validate_all  # noqa: E402
from generator.versions import publish  # noqa: E402

TARGET = 1.3
REPEAT = 3  # (c2) and (c3) are each run this many times (c2 after a fresh advance() each time); best is shown


def build(root: Path, out: Path, cold: bool = True) -> tuple[float, dict]:
    if cold:
        shutil.rmtree(root / ".cache", ignore_errors=True)
    t = time.perf_counter()
    diags, stats = build_sites(root, out, workers=None)
    seconds = time.perf_counter() - t
    assert not has_errors(diags), [d.text() for d in diags if d.severity.value == "error"][:5]
    return seconds, stats


def draft_alone(root: Path, tmp: Path) -> tuple[float, dict]:
    """Everything a build of the staff draft alone needs, in the same root: validate, plan, render."""
    shutil.rmtree(tmp, ignore_errors=True)
    t = time.perf_counter()
    plan, diags, frozen = validate_all(root)
    job = next(j for j in plan_jobs(root, tmp, frozen, plan, {}) if j.version.is_draft)
    job.dest.parent.mkdir(parents=True)
    run_job(job)
    return time.perf_counter() - t, {"jobs": 1, "built": 1, "cached": 0, "kept": 0}


def publish_working(root: Path) -> None:
    plan, diags = validate(root)
    assert not has_errors(diags)
    day = plan.info.as_at
    publish(root, plan, f"{day:%Y-%m}-board", f"Improvement Board, {day:%B %Y}", day)


def main() -> None:
    rows: list[tuple[str, float, dict]] = []
    with tempfile.TemporaryDirectory(prefix="build-bench-") as tmp_name:
        tmp = Path(tmp_name)

        sample = tmp / "sample"
        sample.mkdir()
        for name in ("plan.yaml", "plan", "content", "mkdocs.yml", "docs_theme"):
            src = REPO / name
            (shutil.copytree if src.is_dir() else shutil.copy2)(src, sample / name)
        plan, _ = validate(sample)
        versions = len(list((sample / "content/versions").glob("*.json"))) - 1
        rows.append((f"(a)  repository sample ({len(plan.actions)} actions, {versions} versions)",
                     *build(sample, tmp / "out-a")))

        big = make_plan(tmp / "big", 2_000, files=4)
        publish_working(big)
        advance(big)
        rows.append(("(b)  2,000 actions, 1 published version", *build(big, tmp / "out-b")))

        hist = make_plan(tmp / "hist", 300, seed=1, files=2)
        for _ in range(12):
            publish_working(hist)
            advance(hist)
        rows.append(("(c1) 300 actions, 12 versions, cold cache", *build(hist, tmp / "out-c")))
        rebuilds = []
        for _ in range(REPEAT):
            advance(hist)
            rebuilds.append(build(hist, tmp / "out-c", cold=False))
        rows.append(("(c2) same after advance(), cache kept", *min(rebuilds, key=lambda r: r[0])))
        drafts = [draft_alone(hist, tmp / "draft-alone") for _ in range(REPEAT)]
        rows.append(("(c3) draft alone, same root", *min(drafts, key=lambda r: r[0])))
        alone = tmp / "alone"
        shutil.copytree(hist, alone, ignore=shutil.ignore_patterns(".cache"))
        shutil.rmtree(alone / "content" / "versions")
        bare = [build(alone, tmp / "out-alone") for _ in range(REPEAT)]
        rows.append(("(c4) draft of a root with no versions", *min(bare, key=lambda r: r[0])))

    print(f"{'case':52} {'jobs':>5} {'built':>6} {'cached':>7} {'kept':>5} {'seconds':>8}")
    for label, seconds, stats in rows:
        print(f"{label:52} {stats['jobs']:>5} {stats['built']:>6} {stats['cached']:>7} {stats['kept']:>5} "
              f"{seconds:>8.2f}")
    for name, runs in (("(c2)", rebuilds), ("(c3)", drafts), ("(c4)", bare)):
        print(f"{name} runs: {', '.join(f'{r[0]:.2f}' for r in runs)} s")
    ratio = rows[3][1] / rows[4][1]
    verdict = "met" if ratio <= TARGET else "NOT met"
    print(f"rebuild after an edit / draft alone = {rows[3][1]:.2f} / {rows[4][1]:.2f} = {ratio:.2f} "
          f"(target at most {TARGET}: {verdict})")
    print(f"for reference, rebuild / draft of a root with no versions = {rows[3][1]:.2f} / {rows[5][1]:.2f} = "
          f"{rows[3][1] / rows[5][1]:.2f}")


if __name__ == "__main__":
    main()

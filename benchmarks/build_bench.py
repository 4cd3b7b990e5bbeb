"""How long building the sites takes, and whether unchanged published versions are reused.

Prints one table (wall time of build_sites(root, out, workers=None), i.e. all cores, by time.perf_counter;
each row with the jobs built and taken from the cache):

  (a)  the repository's own sample plan (plan.yaml, plan/, content/, mkdocs.yml copied), no cache
  (b)  a 2,000-action synthetic plan with one published version: public + staff + draft, no cache
  (c1) a 300-action synthetic plan with 12 published versions a month apart, cold (empty .cache)
  (c2) the same after one more month of editing the working plan (advance(), no publish): a rebuild
       that should take every published version from the cache and build only the draft
  (c3) the draft alone: a copy of (c2)'s root without content/versions/ (the public edition then has
       nothing to build, the staff edition only the draft)

(c2) and (c3) are run three times each (each (c2) after a fresh advance()) and the fastest shown, with
all runs listed under the table; then the ratio (c2) / (c3), whose target is at most 1.3. Everything
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

from generator.build import build_sites  # noqa: E402
from generator.diagnostics import has_errors  # noqa: E402
from generator.validate import validate  # noqa: E402
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
        for name in ("plan.yaml", "plan", "content", "mkdocs.yml"):
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
        alone = tmp / "alone"
        shutil.copytree(hist, alone, ignore=shutil.ignore_patterns(".cache"))
        shutil.rmtree(alone / "content" / "versions")
        drafts = [build(alone, tmp / "out-alone") for _ in range(REPEAT)]
        rows.append(("(c3) draft alone (no content/versions)", *min(drafts, key=lambda r: r[0])))

    print(f"{'case':52} {'jobs':>5} {'built':>6} {'cached':>7} {'seconds':>8}")
    for label, seconds, stats in rows:
        print(f"{label:52} {stats['jobs']:>5} {stats['built']:>6} {stats['cached']:>7} {seconds:>8.2f}")
    print(f"(c2) runs: {', '.join(f'{r[0]:.2f}' for r in rebuilds)} s; (c3) runs: "
          f"{', '.join(f'{r[0]:.2f}' for r in drafts)} s; the table shows the fastest of each")
    ratio = rows[3][1] / rows[4][1]
    verdict = "met" if ratio <= TARGET else "NOT met"
    print(f"rebuild after an edit / draft alone = {rows[3][1]:.2f} / {rows[4][1]:.2f} = {ratio:.2f} "
          f"(target at most {TARGET}: {verdict})")


if __name__ == "__main__":
    main()

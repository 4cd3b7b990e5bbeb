"""How validate() scales with plan size.

For 1,000, 5,000 and 20,000 actions (synthetic plans, actions split over 4 included files) prints a table:

    actions | bytes of the files read | validate() seconds | peak MB | seconds per 1k actions

then a line saying whether growth is linear (the per-1k time at 20k divided by the per-1k time at 1k, called
linear when within 2x) and whether issue 13's targets are met at 20,000 actions: validate() in at most 2 s and a
peak of at most 200 MB.

Each measurement runs in a fresh subprocess. "seconds" is the wall time of the validate(root) call alone
(time.perf_counter, after imports). "peak MB" is that subprocess's peak resident set size
(VmHWM in /proc/self/status, read by the child at exit; ru_maxrss would carry the parent's peak across
exec), so it includes the interpreter and imports; the line under the table gives that baseline (RSS just before validate() is called).

    python benchmarks/validate_bench.py               the table (about a minute on 2 cores)
    python benchmarks/validate_bench.py --profile N   where validate()'s time goes for N actions (pyinstrument),
                                                      by stage: reading YAML, building the model, rules, Markdown
                                                      checks and the rest
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

from synthetic import make_plan, plan_bytes  # noqa: E402

SIZES = (1_000, 5_000, 20_000)
TARGET_SECONDS, TARGET_MB = 2.0, 200.0  # issue 13, at 20,000 actions


def _rss_mb() -> float:
    """This process's peak resident set size (VmHWM). Not getrusage's ru_maxrss: Linux keeps that across the exec
    that started this process, so the child would report the parent's peak if the parent's was higher."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024  # kB
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # not Linux: the best there is


def measure(root: str) -> None:
    """Child side: validate once and print the figures as JSON."""
    from generator.diagnostics import has_errors
    from generator.validate import validate

    before = _rss_mb()
    t = time.perf_counter()
    plan, diags = validate(Path(root))
    seconds = time.perf_counter() - t
    print(json.dumps({"seconds": seconds, "peak_mb": _rss_mb(), "base_mb": before,
                      "actions": len(plan.actions), "errors": has_errors(diags)}))


# Each stage of validate(), as the function whose time is that stage's (the outermost call of it counted once).
STAGES = {"reading YAML (loader.load_yaml)": ("loader.py", "load_yaml"),
          "building the model (pydantic model_validate)": ("main.py", "model_validate"),
          "rules (rules.run_rules)": ("rules.py", "run_rules"),
          "Markdown checks (markdown_safety.check_markdown)": ("markdown_safety.py", "check_markdown")}


def _stage_seconds(frame, file: str, func: str) -> float:
    """Time in the outermost frames of `func` (defined in a file named `file`) under `frame`."""
    if frame.function == func and (frame.file_path or "").endswith(file):
        return frame.time
    return sum(_stage_seconds(child, file, func) for child in frame.children)


def profile(actions: int) -> None:
    """Where validate()'s time goes, by stage, sampled by pyinstrument (1 ms), then pyinstrument's own tree."""
    from pyinstrument import Profiler

    from generator.validate import validate

    with tempfile.TemporaryDirectory() as tmp:
        root = make_plan(Path(tmp), actions, files=4)
        profiler = Profiler(interval=0.001)
        profiler.start()
        validate(root)
        profiler.stop()
    top = profiler.last_session.root_frame()
    total = top.time
    print(f"validate() of {actions:,} actions under pyinstrument: {total:.2f} s")
    seconds = {label: _stage_seconds(top, *where) for label, where in STAGES.items()}
    seconds["other (reading files, documents, sorting, the garbage collector after)"] = total - sum(seconds.values())
    for label, sec in seconds.items():
        print(f"  {label:70} {sec:6.2f} s  {100 * sec / total:5.1f}%")
    print(profiler.output_text(color=False, show_all=False)[:6000])


def main() -> None:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in SIZES:
            root = make_plan(Path(tmp) / f"plan{n}", n, files=4)
            out = subprocess.run([sys.executable, __file__, "--measure", str(root)], check=True,
                                 capture_output=True, text=True).stdout
            r = json.loads(out.strip().splitlines()[-1])
            assert r["actions"] == n and not r["errors"], r
            rows.append((n, plan_bytes(root), r["seconds"], r["peak_mb"], r["base_mb"]))
    print(f"{'actions':>8} {'file bytes':>12} {'seconds':>8} {'peak MB':>8} {'s per 1k':>9}")
    for n, size, sec, peak, _ in rows:
        print(f"{n:>8,} {size:>12,} {sec:>8.2f} {peak:>8.1f} {sec / n * 1000:>9.3f}")
    print(f"(peak MB is the subprocess's peak RSS; {rows[0][4]:.0f} MB of it is the interpreter and imports)")
    ratio = (rows[-1][2] / rows[-1][0]) / (rows[0][2] / rows[0][0])
    verdict = "linear" if ratio <= 2 else "NOT linear"
    print(f"growth: per-1k time at {rows[-1][0]:,} is {ratio:.2f}x that at {rows[0][0]:,}: {verdict} (linear if within 2x)")
    n, _, sec, peak, _ = rows[-1]
    print(f"target at {n:,} actions: at most {TARGET_SECONDS:g} s: {sec:.2f} s, "
          f"{'met' if sec <= TARGET_SECONDS else 'NOT met'}; at most {TARGET_MB:g} MB: {peak:.0f} MB, "
          f"{'met' if peak <= TARGET_MB else 'NOT met'}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--measure"]:
        measure(sys.argv[2])
    elif sys.argv[1:2] == ["--profile"]:
        profile(int(sys.argv[2]) if len(sys.argv) > 2 else 5_000)
    else:
        main()

"""How validate() scales with plan size.

For 1,000, 5,000 and 20,000 actions (synthetic plans, actions split over 4 included files) prints a table:

    actions | bytes of the files read | validate() seconds | peak MB | seconds per 1k actions

then a line saying whether growth is linear: the per-1k time at 20k divided by the per-1k time at 1k,
called linear when within 2x.

Each measurement runs in a fresh subprocess. "seconds" is the wall time of the validate(root) call alone
(time.perf_counter, after imports). "peak MB" is that subprocess's peak resident set size
(resource.getrusage(RUSAGE_SELF).ru_maxrss read by the child at exit: the figure the parent would get
from RUSAGE_CHILDREN), so it includes the interpreter and imports; the line under the table gives that
baseline (RSS just before validate() is called).

    python benchmarks/validate_bench.py               the table (about a minute on 2 cores)
    python benchmarks/validate_bench.py --profile N   where validate()'s time goes for N actions (cProfile)
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


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


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


def profile(actions: int) -> None:
    """Cumulative time of each stage of validate() under cProfile (which inflates pure-Python parts)."""
    import cProfile
    import pstats

    from generator.validate import validate

    with tempfile.TemporaryDirectory() as tmp:
        root = make_plan(Path(tmp), actions, files=4)
        prof = cProfile.Profile()
        prof.runcall(validate, root)
    stats = pstats.Stats(prof).stats
    total = max(v[3] for v in stats.values())
    stages = {"YAML reading (loader.load_yaml)": ("loader.py", "load_yaml"),
              "pydantic (model_validate)": ("main.py", "model_validate"),
              "  of which copy.deepcopy (mutable defaults)": ("copy.py", "deepcopy"),
              "rules (rules.run_rules)": ("rules.py", "run_rules"),
              "Markdown safety (check_markdown)": ("markdown_safety.py", "check_markdown")}
    print(f"validate() of {actions:,} actions under cProfile: {total:.2f} s")
    for label, (file, func) in stages.items():
        ct = sum(v[3] for (f, _, fn), v in stats.items() if f.endswith(file) and fn == func)
        print(f"  {label:45} {ct:6.2f} s  {100 * ct / total:5.1f}%")
    pstats.Stats(prof).sort_stats("tottime").print_stats(12)


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


if __name__ == "__main__":
    if sys.argv[1:2] == ["--measure"]:
        measure(sys.argv[2])
    elif sys.argv[1:2] == ["--profile"]:
        profile(int(sys.argv[2]) if len(sys.argv) > 2 else 5_000)
    else:
        main()

"""Issue 13's table in one run: validation, the generator's own work, the three engines and the preview latency.

For synthetic plans (benchmarks/synthetic.py make_plan, actions over 4 files; no published point, so a build makes
the staff draft and the public placeholder) of 250, 1,000, 2,000 and 4,000 actions it prints

  actions | pages | validate | generator's own work | engine (MkDocs) | whole build | whole/engine |
  ProperDocs/engine | Zensical/engine | preview latency (save -> visible)

then the whole build on each engine, validation at 20,000 actions, and each target of the issue as met / NOT met
with its margin. What each figure is:

- pages: the HTML files of the staff draft site (<out>/staff/draft/**/*.html of the MkDocs whole build).
- validate: wall time of generator.validate.check_all(root) in this process (its imports already done).
- engine (MkDocs): bare MkDocs + Material building exactly the staged project, cold, in a subprocess: the draft is
  staged by generator.build.stage_site(root, folder, "staff", "draft"), then `python -m mkdocs build -q -f
  folder/mkdocs.yml` runs. Its theme.custom_dir is the packaged theme, which bare MkDocs does not layer under
  anything: for these plans (no docs_theme/) that is the whole theme.
- ProperDocs/engine, Zensical/engine: the same staged project built by `python -m properdocs build -q -f` and
  `python -m zensical build -f` (site/ and .cache/ deleted before each run: cold), as ratios to MkDocs' time.
- whole build: `python -m generator build --root R --out O --no-reports` into a fresh O, timed from outside the
  subprocess (interpreter start and imports count, as they do in the engine's subprocess). The same with
  --engine properdocs and --engine zensical makes the second table.
- generator's own work: whole build minus engine (MkDocs), in seconds and as a % of the engine.
- preview latency: `python -m generator serve --root R --port P` runs in a subprocess; headless Chromium opens the
  draft's page of one action (/staff/draft/actions/<id>/); that action's latest update narrative gets a new marker
  in its YAML file (written to a temporary file beside it, then renamed over it, as an editor saves), and the time
  runs from just before the write until the page's DOM contains the marker (polled every 20 ms; a reload of the page
  is followed; 60 s at most). Five edits, 0.5 s apart: median and max; the targets are judged on the max. It is
  measured on the repository's own sample plan (plan.yaml, plan/, content/, mkdocs.yml copied to a temp folder) and
  at every size (--quick: at 250 and 1,000 only).
- validation at 20,000: check_all in a fresh subprocess: its wall time, and the subprocess's peak RSS (ru_maxrss,
  the interpreter and imports included, as in benchmarks/validate_bench.py).

A failure is shown as "fails [n]" with "[n] ... fails: <the first line of its error>" under the table; the benchmark
goes on. The machine is noisy: every engine run and whole build is done twice, and the faster is shown. Everything
runs in this one process, in order: the sample's preview, then each size (validate, engines, whole builds, preview),
then 20,000 actions. The full run takes about half an hour on 2 cores.

    python benchmarks/speed_bench.py [--sizes 250,1000] [--quick] [--no-preview] [--no-engines]

--no-engines skips the bare engines and the ProperDocs and Zensical whole builds (then own work is not known).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path[:0] = [str(REPO), str(HERE)]

from synthetic import make_plan  # noqa: E402

SIZES = (250, 1_000, 2_000, 4_000)
ENGINES = {"mkdocs": ["-m", "mkdocs", "build", "-q", "-f"], "properdocs": ["-m", "properdocs", "build", "-q", "-f"],
           "zensical": ["-m", "zensical", "build", "-f"]}
NAMES = {"mkdocs": "MkDocs", "properdocs": "ProperDocs", "zensical": "Zensical"}
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1",
       "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]
EDITS, EDIT_PAUSE, VISIBLE_WITHIN = 5, 0.5, 60.0


@dataclass
class Outcome:
    """One measurement: seconds, or why it failed (the first line of the error)."""

    seconds: float | None = None
    error: str | None = None
    runs: list[float] = field(default_factory=list)  # preview: every edit's latency


@dataclass
class Row:
    actions: int
    pages: int | None = None
    validate: float = 0.0
    engine: dict[str, Outcome] = field(default_factory=dict)  # bare engine on the staged draft
    whole: dict[str, Outcome] = field(default_factory=dict)  # `generator build --engine ...`
    preview: Outcome | None = None


def error_line(text: str) -> str:
    """The line that says why: a traceback's last line, else the first line."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        return "no message"
    return lines[-1] if any(line.startswith("Traceback") for line in lines) else lines[0]


def timed_run(cmd: list[str], cwd: Path) -> Outcome:
    t = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, env=ENV, capture_output=True, text=True)
    seconds = time.perf_counter() - t
    if done.returncode:
        return Outcome(error=error_line(done.stderr or done.stdout))
    return Outcome(seconds)


def faster_of_two(measure) -> Outcome:
    """Run `measure` twice (once if it fails) and keep the faster."""
    first = measure()
    if first.error:
        return first
    second = measure()
    return second if second.seconds is not None and second.seconds < first.seconds else first


def time_engine(folder: Path, engine: str) -> Outcome:
    """One cold build of the staged project by the bare engine."""
    def once() -> Outcome:
        for leftover in ("site", ".cache"):
            shutil.rmtree(folder / leftover, ignore_errors=True)
        return timed_run([sys.executable, *ENGINES[engine], str(folder / "mkdocs.yml")], folder)
    return faster_of_two(once)


def time_whole_build(root: Path, out: Path, engine: str) -> Outcome:
    """`generator build --no-reports` into a fresh output, imports and all."""
    def once() -> Outcome:
        shutil.rmtree(out, ignore_errors=True)
        return timed_run([sys.executable, "-m", "generator", "build", "--root", str(root), "--out", str(out),
                          "--no-reports", "--engine", engine], REPO)
    return faster_of_two(once)


# --- the preview ------------------------------------------------------------------------------------------


@dataclass
class Narrative:
    """Where an action's latest update narrative is written, so that an edit can put a marker in it."""

    file: Path
    original: str
    line: int  # index of the line whose text begins the narrative
    at: int  # column where the marker goes

    def save(self, marker: str) -> None:
        """Write the file with the marker at the start of the narrative, atomically as an editor does."""
        lines = self.original.splitlines(keepends=True)
        lines[self.line] = lines[self.line][:self.at] + marker + " " + lines[self.line][self.at:]
        temp = self.file.with_name(self.file.name + ".bench-save")
        temp.write_text("".join(lines), encoding="utf-8")
        os.replace(temp, self.file)

    def restore(self) -> None:
        self.file.write_text(self.original, encoding="utf-8")


def find_narrative(root: Path, action: str) -> Narrative:
    """The last `narrative:` line of the action's entry in plan.yaml or an included file."""
    for file in [root / "plan.yaml", *sorted((root / "plan").glob("*.yaml"))]:
        text = file.read_text(encoding="utf-8")
        lines = text.splitlines()
        start = next((i for i, line in enumerate(lines) if re.fullmatch(rf"\s*- id: {re.escape(action)}\s*", line)), None)
        if start is None:
            continue
        indent = lines[start].index("-")
        end = next((i for i in range(start + 1, len(lines))
                    if lines[i].strip() and len(lines[i]) - len(lines[i].lstrip()) <= indent), len(lines))
        i = max(i for i in range(start, end) if re.match(r"\s*narrative:", lines[i]))
        value_at = lines[i].index("narrative:") + len("narrative:")
        value = lines[i][value_at:].strip()
        if value[:1] in (">", "|"):  # a block scalar: the text starts on the next line
            return Narrative(file, text, i + 1, len(lines[i + 1]) - len(lines[i + 1].lstrip()))
        at = len(lines[i]) - len(lines[i][value_at:].lstrip())
        return Narrative(file, text, i, at + (value[:1] in "\"'"))
    raise LookupError(f"action {action} is in none of the plan's files")


def editable_action(checked) -> str:
    """An action whose latest update has a narrative and is not yet reported (reported updates are read-only)."""
    reported = checked.frozen[-1].meta.date if checked.frozen else None
    return next(a.id for a in checked.plan.actions if a.updates and a.updates[-1].narrative
                and (reported is None or a.updates[-1].date > reported))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_served(url: str, server: subprocess.Popen, log: Path, limit: float = 1200) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"serve stopped: {error_line(log.read_text(encoding='utf-8'))}")
        try:
            with urllib.request.urlopen(url, timeout=5) as reply:
                if reply.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"serve did not serve {url} within {limit:.0f} s")


def wait_for_marker(page, marker: str, deadline: float) -> None:
    """Poll the DOM for the marker every 20 ms, following the page through any reload, until the deadline."""
    from playwright.sync_api import Error, TimeoutError

    while (left := deadline - time.perf_counter()) > 0:
        try:
            page.wait_for_function("m => document.body !== null && document.body.textContent.includes(m)",
                                   arg=marker, polling=20, timeout=left * 1000)
            return
        except TimeoutError:
            break
        except Error:  # the page navigated while polled ("execution context was destroyed"): poll the new one
            try:
                page.wait_for_load_state("domcontentloaded", timeout=max(1.0, left * 1000))
            except Error:
                pass
    raise RuntimeError(f"the change was not visible within {VISIBLE_WITHIN:.0f} s")


def preview_latency(root: Path, action: str) -> Outcome:
    """Median and max time from an editor's save to the served page showing it (EDITS edits)."""
    from playwright.sync_api import sync_playwright

    narrative = find_narrative(root, action)
    port, log = free_port(), root.parent / f"serve-{root.name}.log"
    with log.open("w") as sink:
        server = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--root", str(root), "--port", str(port)],
                                  cwd=REPO, env=ENV, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True)
    runs: list[float] = []
    try:
        url = f"http://127.0.0.1:{port}/staff/draft/actions/{action}/"
        wait_until_served(url, server, log)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(url)
            time.sleep(1)  # the watcher starts just after the first build
            for k in range(EDITS):
                marker = f"Bench{k}{uuid.uuid4().hex[:10]}"
                t = time.perf_counter()
                narrative.save(marker)
                wait_for_marker(page, marker, t + VISIBLE_WITHIN)
                runs.append(time.perf_counter() - t)
                time.sleep(EDIT_PAUSE)
            browser.close()
    except Exception as exc:  # a failure is a figure too: say it and go on
        said = [line for line in log.read_text(encoding="utf-8").splitlines() if line.strip()]
        return Outcome(error=f"{str(exc).splitlines()[0]} (serve's last line: {said[-1] if said else 'none'})",
                       runs=runs)
    finally:
        os.killpg(server.pid, signal.SIGTERM)  # serve and its build workers: its own process group
        server.wait(30)
        narrative.restore()
    return Outcome(statistics.median(runs), runs=runs)


# --- validation at 20,000 ---------------------------------------------------------------------------------


def measure_validation(root: str) -> None:
    """Child side: check_all once; print its seconds, the peak RSS and the RSS before it, as JSON."""
    from generator.diagnostics import has_errors
    from generator.validate import check_all

    rss = lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # noqa: E731 (Linux: KiB)
    before, t = rss(), time.perf_counter()
    checked = check_all(Path(root))
    seconds = time.perf_counter() - t
    print(json.dumps({"seconds": seconds, "peak_mb": rss(), "base_mb": before, "actions": len(checked.plan.actions),
                      "errors": has_errors(checked.diagnostics)}))


def validation_at(tmp: Path, actions: int) -> dict:
    root = make_plan(tmp / f"plan{actions}", actions, files=4)
    out = subprocess.run([sys.executable, __file__, "--measure-validation", str(root)], env=ENV, check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


# --- one size ---------------------------------------------------------------------------------------------


def measure_size(tmp: Path, actions: int, engines: bool, preview: bool) -> Row:
    from generator.build import stage_site
    from generator.diagnostics import has_errors
    from generator.validate import check_all

    root = make_plan(tmp / f"plan{actions}", actions, files=4)
    row = Row(actions)
    t = time.perf_counter()
    checked = check_all(root)
    row.validate = time.perf_counter() - t
    if has_errors(checked.diagnostics):
        print(f"warning: the {actions}-action synthetic plan has errors; its builds will fail", file=sys.stderr)
    if engines:
        folder = tmp / f"stage{actions}"
        stage_site(root, folder, "staff", "draft")
        row.engine = {name: time_engine(folder, name) for name in ENGINES}
        shutil.rmtree(folder)
    for name in ENGINES if engines else ["mkdocs"]:
        out = tmp / f"out{actions}-{name}"
        row.whole[name] = time_whole_build(root, out, name)
        if name == "mkdocs" and row.whole[name].seconds is not None:
            row.pages = sum(1 for _ in (out / "staff" / "draft").rglob("*.html"))
        shutil.rmtree(out, ignore_errors=True)
    if preview:
        row.preview = preview_latency(root, editable_action(checked))
    shutil.rmtree(root)
    return row


def sample_preview(tmp: Path) -> Outcome:
    from generator.validate import check_all

    sample = tmp / "sample"
    sample.mkdir()
    for name in ("plan.yaml", "plan", "content", "mkdocs.yml"):
        src = REPO / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, sample / name)
    return preview_latency(sample, editable_action(check_all(sample)))


# --- printing ---------------------------------------------------------------------------------------------


class Notes:
    """Failures under the table, each numbered once: a cell says "fails [n]"."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def cell(self, outcome: Outcome | None, what: str, show) -> str:
        if outcome is None:
            return "-"
        if outcome.error is None:
            return show(outcome)
        self.lines.append(f"[{len(self.lines) + 1}] {what} fails: {outcome.error}")
        return f"fails [{len(self.lines)}]"


def sec(o: Outcome) -> str:
    return f"{o.seconds:.2f} s"


def latency(o: Outcome) -> str:
    return f"{o.seconds:.2f} s (max {max(o.runs):.2f} s)"


def own_work(row: Row) -> float | None:
    whole, engine = row.whole.get("mkdocs"), row.engine.get("mkdocs")
    if whole is None or engine is None or whole.seconds is None or engine.seconds is None:
        return None
    return whole.seconds - engine.seconds


def print_tables(rows: list[Row], sample: Outcome | None, v20k: dict, notes: Notes) -> None:
    head = ["actions", "pages", "validate", "generator's own work", "engine (MkDocs)", "whole build", "whole/engine",
            "ProperDocs/engine", "Zensical/engine", "preview latency (save -> visible)"]
    print("| " + " | ".join(head) + " |\n|" + " --- |" * len(head))
    for r in rows:
        engine, whole, own = r.engine.get("mkdocs"), r.whole["mkdocs"], own_work(r)
        base = engine.seconds if engine and engine.seconds else None
        ratio = lambda o: f"{o.seconds / base:.2f}" if base else "-"  # noqa: E731
        cells = [f"{r.actions:,}", f"{r.pages:,}" if r.pages is not None else "-", f"{r.validate:.2f} s",
                 f"{own:.2f} s ({100 * own / base:.1f}%)" if own is not None and base else "-",
                 notes.cell(engine, f"MkDocs at {r.actions:,}", sec),
                 notes.cell(whole, f"whole build at {r.actions:,}", sec),
                 ratio(whole) if whole.seconds is not None else "-",
                 *[notes.cell(r.engine.get(e), f"{NAMES[e]} at {r.actions:,}", ratio) for e in ("properdocs", "zensical")],
                 notes.cell(r.preview, f"preview at {r.actions:,}", latency)]
        print("| " + " | ".join(cells) + " |")
    print(f"\nsample plan preview latency: {notes.cell(sample, 'preview of the sample', latency)}")
    print("(engine and whole build: the faster of two runs; preview: median and max of "
          f"{EDITS} edits; own work = whole build - engine, % of the engine)")
    if any(len(r.whole) > 1 for r in rows):
        print("\nwhole build on each engine (generator build --no-reports --engine E; faster of two; x = whole / "
              "that engine bare)\n| actions | MkDocs | ProperDocs | Zensical |\n| --- | --- | --- | --- |")
        for r in rows:
            def on(e: str) -> str:
                bare = r.engine.get(e)
                x = f" (x{r.whole[e].seconds / bare.seconds:.2f})" if bare and bare.seconds and r.whole[e].seconds else ""
                return notes.cell(r.whole[e], f"whole build on {NAMES[e]} at {r.actions:,}", lambda o: sec(o) + x)
            print(f"| {r.actions:,} | " + " | ".join(on(e) for e in ENGINES) + " |")
    print(f"\nvalidation (check_all) at {v20k['actions']:,} actions, fresh subprocess: {v20k['seconds']:.2f} s, "
          f"peak {v20k['peak_mb']:.0f} MB ({v20k['base_mb']:.0f} MB of it the interpreter and imports)"
          + (" - THE PLAN HAS ERRORS" if v20k["errors"] else ""))
    if notes.lines:
        print("\n" + "\n".join(notes.lines))


def verdict(value: float | None, limit: float, unit: str) -> str:
    if value is None:
        return "not measured"
    if value <= limit:
        return f"met ({value:.2f}{unit}, {limit - value:.2f}{unit} to spare)"
    return f"NOT met ({value:.2f}{unit}, {value - limit:.2f}{unit} over: {value / limit:.1f}x the target)"


def print_targets(rows: list[Row], sample: Outcome | None, v20k: dict) -> None:
    at = {r.actions: r for r in rows}
    worst = lambda o: max(o.runs) if o and o.error is None else None  # noqa: E731
    preview_1k = at[1_000].preview if 1_000 in at else None
    own = own_work(at[4_000]) if 4_000 in at else None
    base = at[4_000].engine.get("mkdocs") if 4_000 in at else None
    share = 100 * own / base.seconds if own is not None and base and base.seconds else None
    print("\ntargets of issue 13")
    print(f"- preview <= 1 s for the sample (max of {EDITS}): "
          + (f"NOT met: fails ({sample.error})" if sample and sample.error else verdict(worst(sample), 1.0, " s")))
    print(f"- preview <= 3 s at 1,000 actions (max of {EDITS}): "
          + (f"NOT met: fails ({preview_1k.error})" if preview_1k and preview_1k.error
             else verdict(worst(preview_1k), 3.0, " s")))
    print(f"- validation at {v20k['actions']:,} actions <= 2 s: {verdict(v20k['seconds'], 2.0, ' s')}")
    print(f"- validation at {v20k['actions']:,} actions <= 200 MB: {verdict(v20k['peak_mb'], 200.0, ' MB')}")
    print(f"- generator's own work <= 5% of the engine at 4,000 actions: {verdict(share, 5.0, '%')}")
    for name in ENGINES:
        for kind, runs in (("the staged project builds", "engine"), (f"build --engine {name} works", "whole")):
            outcomes = {r.actions: getattr(r, runs).get(name) for r in rows}
            if None in outcomes.values():
                print(f"- {NAMES[name]}: {kind} at every size: not measured")
                continue
            failed = [f"{n:,}" for n, o in outcomes.items() if o.error]
            print(f"- {NAMES[name]}: {kind} at every size: "
                  + (f"NOT met: fails at {', '.join(failed)} of {len(outcomes)} sizes" if failed
                     else f"met ({', '.join(f'{n:,}' for n in outcomes)})"))


def main() -> None:
    parser = argparse.ArgumentParser(description="issue 13's table (see the module docstring)")
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="comma-separated action counts")
    parser.add_argument("--quick", action="store_true", help="the preview at 250 and 1,000 actions only")
    parser.add_argument("--no-preview", dest="preview", action="store_false")
    parser.add_argument("--no-engines", dest="engines", action="store_false")
    parser.add_argument("--validation-actions", type=int, default=20_000, help="validation's own size (default 20000)")
    args = parser.parse_args()
    from generator.validate import check_all

    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory(prefix="speed-bench-") as tmp_name:
        tmp = Path(tmp_name)
        check_all(make_plan(tmp / "warm-up", 20))  # its lazy imports, so that "validate" is the work alone
        sample = sample_preview(tmp) if args.preview else None
        rows = []
        for n in sizes:
            print(f"measuring {n:,} actions...", file=sys.stderr, flush=True)
            rows.append(measure_size(tmp, n, args.engines, args.preview and (not args.quick or n in (250, 1_000))))
        v20k = validation_at(tmp, args.validation_actions)
    print_tables(rows, sample, v20k, Notes())
    print_targets(rows, sample, v20k)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--measure-validation"]:
        measure_validation(sys.argv[2])
    else:
        main()

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
- generator's own work: whole build minus engine (MkDocs), in seconds and as a % of the engine; whole/engine is
  whole build / engine (MkDocs).
- preview latency: `python -m generator serve --root R --port P` runs in a subprocess; headless Chromium opens the
  draft's page of one action (/staff/draft/actions/<id>/ below where / leads); that action's latest update narrative
  gets a new marker in its YAML file (written to <file>.bench-save beside it, then renamed over it, as an editor
  saves), and the time runs from just before the write until the page's DOM contains the marker (polled every 20 ms;
  a reload of the page is followed; 60 s at most). Five edits, 0.5 s apart: median and max; the targets are judged
  on the max. It is measured on the repository's own sample plan (plan.yaml, plan/, content/, mkdocs.yml and
  docs_theme/, which holds the logo mkdocs.yml names, copied to a temp folder) and at every size (--quick: at 250
  and 1,000 only).
- validation at 20,000: check_all in a fresh subprocess: its wall time, and the subprocess's peak RSS (VmHWM,
  the interpreter and imports included, as in benchmarks/validate_bench.py).

A failure is shown as "fails [n]" with "[n] ... fails: <the first line of its error>" under the table; the benchmark
goes on. The machine is noisy: every engine run and whole build is done twice, and the faster is shown. Everything
runs in this one process, in order: the sample's preview, then each size (validate, engines, whole builds, preview),
then 20,000 actions. The full run takes 20-30 minutes on 2 cores.

    python benchmarks/speed_bench.py [--sizes 250,1000] [--quick] [--no-preview] [--no-engines]
                                     [--validation-actions 20000]

--no-engines skips the bare engines and the ProperDocs and Zensical whole builds (then own work is not known).
"""

from __future__ import annotations

import argparse
import json
import os
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
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path[:0] = [str(REPO), str(HERE)]

from synthetic import make_plan  # noqa: E402

from generator.build import stage_site  # noqa: E402
from generator.diagnostics import has_errors  # noqa: E402
from generator.model import Action  # noqa: E402
from generator.validate import Checked, check_all  # noqa: E402

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


def faster_of_two(measure: Callable[[], Outcome]) -> Outcome:
    """Run `measure` twice (once if it fails) and keep the faster."""
    first = measure()
    if first.error:
        return first
    second = measure()
    return second if second.seconds is not None and second.seconds < first.seconds else first


def time_engine(folder: Path, engine: str) -> Outcome:
    """The faster of two cold builds of the staged project by the bare engine."""
    def once() -> Outcome:
        for leftover in ("site", ".cache"):
            shutil.rmtree(folder / leftover, ignore_errors=True)
        return timed_run([sys.executable, *ENGINES[engine], str(folder / "mkdocs.yml")], folder)
    return faster_of_two(once)


def time_whole_build(root: Path, out: Path, engine: str) -> Outcome:
    """The faster of two `generator build --no-reports` into a fresh output, imports and all."""
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


def find_narrative(root: Path, action: Action) -> Narrative:
    """Where the text of the action's latest update narrative begins, from the position validation recorded."""
    loc = action.src.at("updates", len(action.updates) - 1, "narrative")
    text = (root / loc.file).read_text(encoding="utf-8")
    lines, line, at = text.splitlines(), loc.line - 1, loc.col - 1
    if lines[line][at] in ">|":  # a block scalar: its text starts on the next line
        line += 1
        at = len(lines[line]) - len(lines[line].lstrip())
    elif lines[line][at] in "\"'":  # a quoted one: after the quote
        at += 1
    return Narrative(root / loc.file, text, line, at)


def editable_action(checked: Checked) -> Action:
    """An action whose latest update has a narrative and is not yet reported (reported updates are read-only)."""
    reported = checked.frozen[-1].meta.date if checked.frozen else None
    return next(a for a in checked.plan.actions if a.updates and a.updates[-1].narrative
                and (reported is None or a.updates[-1].date > reported))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def draft_home(port: int, server: subprocess.Popen, log: Path, limit: float = 1200) -> str:
    """Wait until the preview serves its home page (after its first build); return the draft's address it goes to."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"serve stopped: {error_line(log.read_text(encoding='utf-8'))}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as reply:
                return reply.geturl()
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"serve served nothing within {limit:.0f} s")


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


def stop(server: subprocess.Popen) -> None:
    """End serve and whatever it started (its process group)."""
    try:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(30)
    except ProcessLookupError:  # it had stopped
        server.wait()
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def preview_latency(root: Path, action: Action) -> Outcome:
    """Median and max time from an editor's save to the served page showing it (EDITS edits)."""
    from playwright.sync_api import sync_playwright

    narrative = find_narrative(root, action)
    port, log = free_port(), root.parent / f"serve-{root.name}.log"
    command = [sys.executable, "-m", "generator", "serve", "--root", str(root), "--port", str(port)]
    with log.open("w") as sink:  # its own process group: serve and its build workers end together
        server = subprocess.Popen(command, cwd=REPO, env=ENV, stdout=sink, stderr=subprocess.STDOUT,
                                  start_new_session=True)
    runs: list[float] = []
    try:
        url = f"{draft_home(port, server, log).rstrip('/')}/actions/{action.id}/"  # /staff/draft/actions/<id>/
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            page = browser.new_page()
            reply = page.goto(url)
            if reply is None or not reply.ok:
                raise RuntimeError(f"the preview has no page {url}")
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
        stop(server)
        narrative.restore()
    return Outcome(statistics.median(runs), runs=runs)


# --- validation at 20,000 ---------------------------------------------------------------------------------


@dataclass
class Validation:
    actions: int
    seconds: float
    peak_mb: float  # the subprocess's peak RSS
    base_mb: float  # its RSS before check_all: the interpreter and imports
    errors: bool


def peak_mb() -> float:
    """This process's peak resident set size (VmHWM). Not getrusage's ru_maxrss: Linux keeps that across the exec
    that started this process, so a child of this big benchmark process would report the parent's peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024  # kB
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # not Linux: the best there is


def measure_validation(root: str) -> None:
    """Child side: check_all once, then print a Validation as JSON."""
    before, t = peak_mb(), time.perf_counter()
    checked = check_all(Path(root))
    seconds = time.perf_counter() - t
    found = Validation(len(checked.plan.actions), seconds, peak_mb(), before, has_errors(checked.diagnostics))
    print(json.dumps(vars(found)))


def validation_in_subprocess(tmp: Path, actions: int) -> Validation:
    root = make_plan(tmp / f"plan{actions}", actions, files=4)
    out = subprocess.run([sys.executable, __file__, "--measure-validation", str(root)], env=ENV, check=True,
                         capture_output=True, text=True).stdout
    return Validation(**json.loads(out.strip().splitlines()[-1]))


# --- one size ---------------------------------------------------------------------------------------------


def measure_size(tmp: Path, actions: int, engines: bool, preview: bool) -> Row:
    """Every figure of one row, in order: validate, the bare engines, the whole builds, the preview."""

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
        if name == "mkdocs" and row.whole[name].error is None:
            row.pages = sum(1 for _ in (out / "staff" / "draft").rglob("*.html"))
        shutil.rmtree(out, ignore_errors=True)
    if preview:
        row.preview = preview_latency(root, editable_action(checked))
    shutil.rmtree(root)
    return row


def sample_preview(tmp: Path) -> Outcome:
    sample = tmp / "sample"
    sample.mkdir()
    for name in ("plan.yaml", "plan", "content", "mkdocs.yml", "docs_theme"):  # mkdocs.yml's logo is in docs_theme/
        src = REPO / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, sample / name)
    return preview_latency(sample, editable_action(check_all(sample)))


# --- printing ---------------------------------------------------------------------------------------------


class Notes:
    """Failures, listed under the tables; the cell says "fails [n]"."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def cell(self, outcome: Outcome | None, what: str, show=lambda o: f"{o.seconds:.2f} s") -> str:
        if outcome is None:
            return "-"
        if outcome.error is None:
            return show(outcome)
        self.lines.append(f"[{len(self.lines) + 1}] {what} fails: {outcome.error}")
        return f"fails [{len(self.lines)}]"


def latency(o: Outcome) -> str:
    return f"{o.seconds:.2f} s (max {max(o.runs):.2f} s)"


def seconds(o: Outcome | None) -> float | None:
    return o.seconds if o else None


def own_work(row: Row) -> float | None:
    whole, engine = seconds(row.whole.get("mkdocs")), seconds(row.engine.get("mkdocs"))
    return whole - engine if whole is not None and engine is not None else None


def print_tables(rows: list[Row], sample: Outcome | None, v: Validation, notes: Notes) -> None:
    head = ["actions", "pages", "validate", "generator's own work", "engine (MkDocs)", "whole build", "whole/engine",
            "ProperDocs/engine", "Zensical/engine", "preview latency (save -> visible)"]
    print("| " + " | ".join(head) + " |\n|" + " --- |" * len(head))
    for r in rows:
        at, base, own = f"at {r.actions:,}", seconds(r.engine.get("mkdocs")), own_work(r)
        ratio = lambda o: f"{o.seconds / base:.2f}" if base else "-"  # noqa: E731
        cells = [f"{r.actions:,}", f"{r.pages:,}" if r.pages is not None else "-", f"{r.validate:.2f} s",
                 f"{own:.2f} s ({100 * own / base:.1f}%)" if own is not None else "-",
                 notes.cell(r.engine.get("mkdocs"), f"MkDocs {at}"), notes.cell(r.whole["mkdocs"], f"whole build {at}"),
                 ratio(r.whole["mkdocs"]) if r.whole["mkdocs"].error is None else "-",
                 notes.cell(r.engine.get("properdocs"), f"ProperDocs {at}", ratio),
                 notes.cell(r.engine.get("zensical"), f"Zensical {at}", ratio),
                 notes.cell(r.preview, f"preview {at}", latency)]
        print("| " + " | ".join(cells) + " |")
    print(f"\nsample plan: preview latency {notes.cell(sample, 'preview of the sample', latency)}")
    print(f"(engine and whole build: the faster of two runs; preview: median (max) of {EDITS} edits; own work = whole "
          "build - engine, and its % of the engine)")
    if any(len(r.whole) > 1 for r in rows):
        print("\nwhole build on each engine (build --no-reports --engine E, faster of two; x = whole / E bare)\n"
              "| actions | MkDocs | ProperDocs | Zensical |\n| --- | --- | --- | --- |")
        for r in rows:
            cells = []
            for e, whole in r.whole.items():
                bare = seconds(r.engine.get(e))
                x = lambda o: f"{o.seconds:.2f} s" + (f" (x{o.seconds / bare:.2f})" if bare else "")  # noqa: E731
                cells.append(notes.cell(whole, f"whole build on {NAMES[e]} at {r.actions:,}", x))
            print(f"| {r.actions:,} | " + " | ".join(cells) + " |")
    print(f"\nvalidation (check_all) at {v.actions:,} actions in a fresh subprocess: {v.seconds:.2f} s, peak "
          f"{v.peak_mb:.0f} MB ({v.base_mb:.0f} MB of it the interpreter and imports)"
          + (" - THE PLAN HAS ERRORS" if v.errors else ""))
    if notes.lines:
        print("\n" + "\n".join(notes.lines))


def verdict(value: float | None, limit: float, unit: str, failed: Outcome | None = None) -> str:
    if failed is not None and failed.error:
        return f"NOT met: fails ({failed.error})"
    if value is None:
        return "not measured"
    if value <= limit:
        return f"met ({value:.2f}{unit}, {limit - value:.2f}{unit} to spare)"
    return f"NOT met ({value:.2f}{unit}, {value - limit:.2f}{unit} over: {value / limit:.1f}x the target)"


def print_targets(rows: list[Row], sample: Outcome | None, v: Validation) -> None:
    at = {r.actions: r for r in rows}
    worst = lambda o: max(o.runs) if o and o.error is None else None  # noqa: E731
    preview_1k = at[1_000].preview if 1_000 in at else None
    big = at.get(4_000)
    share = 100 * own_work(big) / big.engine["mkdocs"].seconds if big and own_work(big) is not None else None
    print("\ntargets of issue 13")
    print(f"- preview <= 1 s for the sample (max of {EDITS}): {verdict(worst(sample), 1.0, ' s', sample)}")
    print(f"- preview <= 3 s at 1,000 actions (max of {EDITS}): {verdict(worst(preview_1k), 3.0, ' s', preview_1k)}")
    print(f"- validation at {v.actions:,} actions <= 2 s: {verdict(v.seconds, 2.0, ' s')}")
    print(f"- validation at {v.actions:,} actions <= 200 MB: {verdict(v.peak_mb, 200.0, ' MB')}")
    print(f"- generator's own work <= 5% of the engine at 4,000 actions: {verdict(share, 5.0, '%')}")
    for name in ENGINES:
        for kind, outcomes in (("the staged project builds", {r.actions: r.engine.get(name) for r in rows}),
                               (f"build --engine {name} builds", {r.actions: r.whole.get(name) for r in rows})):
            failed = [f"{n:,}" for n, o in outcomes.items() if o and o.error]
            print(f"- {NAMES[name]}: {kind} at every size: " + (
                "not measured" if None in outcomes.values() else
                f"NOT met: fails at {', '.join(failed)} ({len(failed)} of {len(outcomes)} sizes)" if failed else
                f"met ({', '.join(f'{n:,}' for n in outcomes)})"))


def main() -> None:
    parser = argparse.ArgumentParser(description="issue 13's table (see the module docstring)")
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="comma-separated action counts")
    parser.add_argument("--quick", action="store_true", help="the preview at 250 and 1,000 actions only")
    parser.add_argument("--no-preview", dest="preview", action="store_false")
    parser.add_argument("--no-engines", dest="engines", action="store_false")
    parser.add_argument("--validation-actions", type=int, default=20_000, help="validation's own size (default 20000)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="speed-bench-") as tmp_name:
        tmp = Path(tmp_name)
        check_all(make_plan(tmp / "warm-up", 20))  # its lazy imports, so that "validate" is the work alone
        sample = sample_preview(tmp) if args.preview else None
        rows = []
        for n in [int(s) for s in args.sizes.split(",")]:
            print(f"measuring {n:,} actions...", file=sys.stderr, flush=True)
            rows.append(measure_size(tmp, n, args.engines, args.preview and (not args.quick or n in (250, 1_000))))
        validation = validation_in_subprocess(tmp, args.validation_actions)
    print_tables(rows, sample, validation, Notes())
    print_targets(rows, sample, validation)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--measure-validation"]:
        measure_validation(sys.argv[2])
    else:
        main()

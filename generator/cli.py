"""The command line: `improvement-plan <command>` (or `python -m generator <command>`). Exit 0 ok, 1 invalid content or failed build, 2 usage."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .diagnostics import Severity, has_errors, render
from .errors import GeneratorError, writing


def _root(value: str) -> Path:
    path = Path(value)
    if not path.is_dir():
        raise argparse.ArgumentTypeError(f"'{value}' is not a folder")
    return path.resolve()


def _port(value: str) -> int:
    if not value.isdigit() or int(value) > 65535:
        raise argparse.ArgumentTypeError(f"'{value}' is not a port (use a number from 1 to 65535, or 0 for any free one)")
    return int(value)


def _jobs(value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= 64:
        raise argparse.ArgumentTypeError(f"'{value}' is not a number of parallel builds (use 1 to 64)")
    return int(value)


def _summary(diags) -> str:
    errors = sum(d.severity is Severity.error for d in diags)
    warnings = len(diags) - errors
    return f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"


def _whose(root: Path, plan=None) -> str:
    """"Example Borough Council's plan": the council the plan names; the folder when the plan cannot be read."""
    organisation = plan.info.organisation if plan is not None and plan.info is not None else None
    if organisation is None:
        from .loader import LoadError, load_yaml, read_text
        from .reading import PLAN_FILE

        try:
            data = load_yaml(read_text(root / PLAN_FILE, PLAN_FILE, base=root), PLAN_FILE).data
        except LoadError:
            data = None
        info = data.get("plan") if isinstance(data, dict) else None
        name = info.get("organisation") if isinstance(info, dict) else None
        organisation = name.strip() if isinstance(name, str) and name.strip() and "\n" not in name else None
    return f"{organisation}'s plan" if organisation else f"the plan in '{root.name or root}'"


def cmd_validate(args: argparse.Namespace) -> int:
    from .validate import validate_all

    plan, diags, _ = validate_all(args.root, strict=args.strict)
    out = render(diags, args.format)
    if out:
        print(out)
    if args.format == "text":
        state = "invalid" if has_errors(diags) else "valid"
        print(f"{_whose(args.root, plan)} is {state} ({_summary(diags)})", file=sys.stderr)
    return 1 if has_errors(diags) else 0


def cmd_schema(args: argparse.Namespace) -> int:
    from .schema import schema_files

    for rel, text in schema_files().items():
        target = args.root / rel
        with writing(target):
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        print(f"wrote {rel}")
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    import time

    from .build import build_sites

    started = time.perf_counter()
    out = args.out if args.out.is_absolute() else args.root / args.out
    with writing(out):  # an output folder that cannot be made or written: disk full, read-only, a file in the way
        diags, stats = build_sites(args.root, out, workers=args.jobs, reports=args.reports, engine=args.engine)
    if has_errors(diags):
        print(render(diags, "text"), file=sys.stderr)
        print(f"build stopped: {_whose(args.root)} is invalid ({_summary(diags)}); {out} was not changed",
              file=sys.stderr)
        return 1
    if diags:
        print(f"{_summary(diags)}: run 'improvement-plan validate' to see them", file=sys.stderr)
    print(f"built {stats['jobs']} site{'s' * (stats['jobs'] != 1)} of {_whose(args.root)} ({stats['built']} rendered, "
          f"{stats['cached']} from the cache, {stats['kept']} unchanged) into {out} "
          f"in {time.perf_counter() - started:.1f}s")
    print(f"  public edition: {out / 'public' / 'index.html'}")
    print(f"  staff edition:  {out / 'staff' / 'index.html'}")
    return 0


def _paper_format(out: Path | None, given: str | None, formats: tuple[str, ...]) -> str | None:
    """The format a paper is written in: --format, else --out's suffix; a suffix that disagrees is a usage error.
    None: neither says (--out is left to default once the format is known, so --format is then required)."""
    from .errors import UsageError

    suffix = out.suffix.lower().lstrip(".") if out is not None else ""
    if given and suffix and suffix != given:
        raise UsageError(f"--out '{out}' ends in .{suffix} but --format is {given}: make them agree")
    if given:
        return given
    if suffix in formats:
        return suffix
    where = f"--out '{out}' does not end in {' or '.join('.' + f for f in formats)}" if out is not None \
        else "no --out file is given"
    raise UsageError(f"{where}: give --format {'|'.join(formats)}")


# Folders of the plan a paper may not be written into: the build publishes, or the ledger checks, what is there.
PAPER_REFUSED = {"docs_theme": "whose every file the build copies into both editions of the site (a staff paper "
                               "there would be published)",
                 "content/versions": "which holds the reporting points' records, checked against git"}


def _write_paper(args: argparse.Namespace, stem: str, formats: tuple[str, ...], what: str, make) -> int:
    """`report` and `export-tracker`: one (edition, version) made into a file, written whole or not at all (a
    temporary file beside it, renamed over it), then one line saying what was written."""
    from .build import site_data
    from .errors import UsageError
    from .files import atomic_write
    from .render import file_size

    if args.out is not None and args.out.is_dir():
        raise UsageError(f"--out '{args.out}' is a folder: give a file's name, such as "
                         f"{args.out / f'{stem}.{args.format or formats[0]}'}")
    fmt = _paper_format(args.out, args.format, formats)
    data = site_data(args.root, args.edition, args.version)
    vid = data.version.id
    out = args.out if args.out is not None else Path(f"{stem}-{vid}-{args.edition}.{fmt}")
    for folder, why in PAPER_REFUSED.items():
        if out.resolve().is_relative_to((args.root / folder).resolve()):
            raise UsageError(f"--out '{out}' is inside the plan's {folder}/, {why}: write the paper elsewhere, "
                             f"such as {out.name}")
    body = make(data, fmt)
    with writing(out):
        atomic_write(out, body)
    size = file_size(len(body))
    print(f"wrote {out} ({size}): {what} for {data.version.title} ({vid}), {data.edition.label.lower()}")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from .papers import report_bytes
    from .report import REPORT_FORMATS

    return _write_paper(args, "report", REPORT_FORMATS, "the progress report", report_bytes)


def cmd_export_tracker(args: argparse.Namespace) -> int:
    from .papers import TRACKER_FORMATS, tracker_bytes

    return _write_paper(args, "tracker", TRACKER_FORMATS, "the tracker", tracker_bytes)


def _day(value: str):
    from datetime import date

    from pydantic_core import PydanticCustomError

    from .model import in_range

    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a date (use YYYY-MM-DD)") from None
    try:
        return in_range(day, value)
    except PydanticCustomError as exc:
        raise argparse.ArgumentTypeError(exc.message()) from None


def cmd_publish(args: argparse.Namespace) -> int:
    from .validate import validate_all
    from .versions import publish

    plan, diags, _ = validate_all(args.root)
    whose = _whose(args.root, plan)
    if has_errors(diags):
        print(render(diags, "text"), file=sys.stderr)
        print(f"not published: {whose} is invalid ({_summary(diags)})", file=sys.stderr)
        return 1
    # Nothing is said about the outcome before publish() has succeeded: it may still refuse (main says why).
    path = publish(args.root, plan, args.id, args.title, args.date)
    print(f"published version '{args.id}' ({args.title}, {args.date}) of {whose} to {path.relative_to(args.root)}")
    if diags:
        n = len(diags)  # warnings only: errors stopped it above
        print(f"it was published with {n} warning{'s' * (n != 1)} as they stand ('improvement-plan validate' "
              "lists them)", file=sys.stderr)
    print("commit content/versions/ with it; the next build shows it in the version selector")
    return 0


def cmd_correct(args: argparse.Namespace) -> int:
    from .versions import correct

    v = correct(args.root, args.id, args.reason, args.date)
    c = v.corrections[-1]
    print(f"recorded correction {len(v.corrections)} to '{v.id}' ({v.title}) in content/versions/{c.file}; "
          f"content/versions/{v.id}.json is the original again. Commit content/versions/; its pages will show "
          "each corrected item before and after")
    return 0


def cmd_anchor(args: argparse.Namespace) -> int:
    from .ledger import anchor
    from .versions import read_manifest

    made = anchor(args.root, read_manifest(args.root))
    for name in made:
        print(f"tagged {name}")
    print(f"{len(made)} reporting point{'s' * (len(made) != 1)} anchored" + (
        "; push them: git push origin 'refs/tags/reporting-point/*'" if made else ""))
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    from .compare import compare

    print(compare(args.root, args.a, args.b, args.base, args.edition), end="")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from .serve import serve

    return serve(args.root, args.port, engine=args.engine)


def cmd_new(args: argparse.Namespace) -> int:
    from .scaffold import new_item

    opts = {k: v for k, v in vars(args).items() if k not in ("func", "command", "root", "kind", "failed")}
    print(new_item(args.root, args.kind, opts))
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    from .scaffold import REQUIREMENTS, init
    from .validate import validate

    target = Path(args.folder).resolve()
    written = init(target, args.organisation, install_from=args.install_from)
    _, diags = validate(target)
    print(f"started a plan for {args.organisation} in {target}:")
    for rel in written:
        print(f"  {rel}")
    print(f"it is {'invalid' if has_errors(diags) else 'valid'} ({_summary(diags)}). Next:")
    print(f"  cd {target}")
    print("  improvement-plan serve      # preview the staff site while you edit plan.yaml")
    print("  improvement-plan build      # build both editions into site/")
    print(f"README.md says how to set up .venv from {REQUIREMENTS} (the tool at the version pinned there), the "
          "pre-commit hook and publishing")
    return 1 if has_errors(diags) else 0


def cmd_migrate(args: argparse.Namespace) -> int:
    from .migrate import migrate

    done = migrate(args.root, check=args.check)
    if done.written == done.now:
        print(f"plan.yaml is already format {done.now}: nothing to do")
        return 0
    if not done.changed:  # --check
        print(f"plan.yaml is written in format {done.written}: `improvement-plan migrate` would rewrite it in "
              f"format {done.now}")
        return 1
    print(f"migrated plan.yaml from format {done.written} to {done.now}")
    if done.errors_before:
        print(f"the plan still has the {done.errors_before} error{'s' * (done.errors_before != 1)} it had before: "
              "run `improvement-plan validate` to see them", file=sys.stderr)
    return 0


def cmd_import_tracker(args: argparse.Namespace) -> int:
    from .tracker_import import (check_tracker_path, checked_plan, choose_mapping, plan_import, save_mapping,
                                 write_outcome)
    from .tracker_read import load_mapping, mapping_text, propose_mapping, read_tracker

    tracker, shown = Path(args.tracker), args.tracker
    check_tracker_path(tracker, args.sheet)
    plan = checked_plan(args.root)
    assert plan.info is not None
    terms = plan.info.terms
    choice = choose_mapping(tracker, args.mapping)
    if choice.propose:
        mapping = propose_mapping(tracker, shown, args.sheet, terms)
        save_mapping(choice.path, mapping_text(mapping))
    else:
        mapping = load_mapping(choice.path, str(choice.path))
    print(choice.said)
    reading = read_tracker(tracker, shown, mapping, terms)
    outcome = plan_import(args.root, plan, reading, shown)
    if args.dry_run:
        for path, blocks in outcome.blocks.items():
            print(f"--- would add to {path.relative_to(args.root).as_posix()}:")
            for block in blocks:
                print(block, end="" if block.endswith("\n") else "\n")
    else:
        write_outcome(args.root, outcome)
        for path in outcome.texts:
            print(f"wrote {path.relative_to(args.root).as_posix()}")
    print(("dry run: nothing was written to the plan" + ("; the proposed mapping was saved" if choice.propose else "")
           + ". ") * args.dry_run + outcome.summary(terms))
    for p in outcome.warnings:
        print(f"{p.text} (warning: imported)", file=sys.stderr)
    for p in outcome.problems:
        print(p.text, file=sys.stderr)
    return 1 if outcome.problems else 0


def parser() -> argparse.ArgumentParser:
    from .engine import DEFAULT_ENGINE, ENGINES
    from .model import Better, Unit  # the choices of `new measure` are the model's

    p = argparse.ArgumentParser(prog="improvement-plan",
                                description="Validate and build a children's services improvement plan site.")
    sub = p.add_subparsers(dest="command", required=True, metavar="command")

    def command(name: str, func, help: str, failed: str) -> argparse.ArgumentParser:
        """`failed` begins the one line that says why the command stopped (see main)."""
        c = sub.add_parser(name, help=help, description=help)
        c.add_argument("--root", type=_root, default=Path.cwd(), help="the plan folder (default: current folder)")
        c.set_defaults(func=func, failed=failed)
        return c

    v = command("validate", cmd_validate, "check plan.yaml and content/ and report every problem", "not checked")
    v.add_argument("--format", choices=["text", "github", "json"], default="text")
    v.add_argument("--strict", action="store_true", help="treat warnings (overdue, stale) as errors")
    b = command("build", cmd_build, "validate, then build the public and staff editions of every version",
                "build stopped")
    b.add_argument("--out", type=Path, default=Path("site"), help="output folder (default: site/ under the root)")
    b.add_argument("--jobs", type=_jobs, default=None, help="parallel builds (default: one per core)")
    b.add_argument("--no-reports", dest="reports", action="store_false",
                   help="skip the progress reports and trackers in each version's downloads (a quicker look)")
    b.add_argument("--engine", choices=ENGINES, default=DEFAULT_ENGINE,
                   help=f"the site engine that builds the pages (default: {DEFAULT_ENGINE}; see the README)")
    for name, func, help, formats, stem in (
            ("report", cmd_report, "write the progress report for a reporting point, in Word or PDF",
             ("docx", "pdf"), "report"),
            ("export-tracker", cmd_export_tracker, "write the tracker (one row per action) of a reporting point, "
             "in Excel or CSV", ("xlsx", "csv"), "tracker")):
        paper = command(name, func, help, "nothing written")
        paper.add_argument("version", nargs="?", default="latest",
                           help="a published point's id, 'latest' (the default: the newest point) or 'draft' "
                                "(staff edition only)")
        paper.add_argument("--edition", choices=["public", "staff"], default="public",
                           help="public (the default, the safer one: it holds no staff-only content, so it may go "
                                "with a public agenda) or staff")
        paper.add_argument("--format", choices=list(formats), default=None,
                           help=f"{' or '.join(formats)} (default: from --out's ending; needed without one)")
        paper.add_argument("--out", type=Path, default=None,
                           help=f"the file to write (default: {stem}-<point id>-<edition>.<format> in the current "
                                "folder)")
    pub = command("publish", cmd_publish, "freeze the working plan as a reporting point (a version of the site)",
                  "not published")
    pub.add_argument("--id", required=True, help="version id, e.g. 2013-07-board")
    pub.add_argument("--date", required=True, type=_day, help="the reporting date, YYYY-MM-DD")
    pub.add_argument("--title", required=True, help='e.g. "Improvement Board, July 2013"')
    cor = command("correct", cmd_correct, "record a deliberate correction to a published version",
                  "correction not recorded")
    cor.add_argument("--id", required=True)
    cor.add_argument("--reason", required=True, help="why it was corrected; shown on its pages")
    cor.add_argument("--date", type=_day, default=None, help="date of the correction (default: today)")
    command("anchor", cmd_anchor, "tag each committed reporting point (reporting-point/<id>) at its first commit",
            "not anchored")
    d = command("diff", cmd_diff, "print what changed between two versions as Markdown", "cannot compare")
    d.add_argument("a", nargs="?", help="a version id, 'draft', or a git ref of the working plan")
    d.add_argument("b", nargs="?", default="draft", help="as A (default: draft)")
    d.add_argument("--base", help="compare the working plan at this git ref (e.g. origin/main) with the draft")
    d.add_argument("--edition", choices=["staff", "public"], default="staff")
    s = command("serve", cmd_serve, "preview the staff edition on localhost, rebuilding as files change",
                "cannot serve")
    s.add_argument("--port", type=_port, default=8000, help="port on 127.0.0.1 (default 8000; 0 picks a free one)")
    s.add_argument("--engine", choices=ENGINES, default=DEFAULT_ENGINE,
                   help=f"the site engine (default: {DEFAULT_ENGINE}); only MkDocs and ProperDocs rebuild just the "
                        "pages that changed")
    n = command("new", cmd_new, "add a new action, recommendation, finding, measure or document with the next free id",
                "nothing added")
    kinds = n.add_subparsers(dest="kind", required=True, metavar="kind")
    a = kinds.add_parser("action", help="an action under a commitment")
    a.add_argument("--commitment", required=True, help="commitment id, e.g. C2.1")
    a.add_argument("--title", required=True, help="what will be done")
    a.add_argument("--lead", required=True, help="role id of the lead")
    a.add_argument("--target-date", required=True, type=_day, dest="target_date")
    r = kinds.add_parser("recommendation", help="a recommendation from a source report")
    r.add_argument("--source", required=True, help="source id, e.g. SRC-OFSTED-2012")
    r.add_argument("--reference", required=True, help="its number in the report")
    r.add_argument("--text", required=True)
    r.add_argument("--service-area", required=True, dest="service_area")
    r.add_argument("--timescale", choices=["immediately", "within_1_month", "within_3_months", "within_6_months",
                                           "within_12_months"])
    r.add_argument("--due", type=_day, help="a due date, when the timescale is not a standard one")
    f = kinds.add_parser("finding", help="what a diagnostic, deep dive, audit or visit found")
    f.add_argument("--source", required=True, help="source id, e.g. SRC-AUDIT-2013")
    f.add_argument("--type", required=True, choices=["strength", "area_for_development", "concern"])
    f.add_argument("--text", required=True, help="what was found")
    f.add_argument("--area", help="the service or team it concerns")
    f.add_argument("--found", type=_day, help="the day it was found, if not the source's publication")
    m = kinds.add_parser("measure", help="a measure on the scorecard")
    m.add_argument("--name", required=True)
    m.add_argument("--definition", required=True)
    m.add_argument("--unit", required=True, choices=[u.value for u in Unit])
    m.add_argument("--better", required=True, choices=[b.value for b in Better])
    m.add_argument("--source", help="where the figures come from")
    doc = kinds.add_parser("document", help="a Markdown document (briefing, report, minutes...)")
    doc.add_argument("--title", required=True)
    doc.add_argument("--type", required=True, choices=["briefing", "board_report", "scrutiny_report", "minutes",
                                                       "presentation", "dfe_report", "letter", "page"])
    doc.add_argument("--date", type=_day, help="default: today")
    doc.add_argument("--audience", choices=["staff", "public"], default="staff")
    doc.add_argument("--summary")
    doc.add_argument("--about", nargs="*", default=[], help="ids of the plan items it speaks of")
    for sub_parser in (a, r, f, m, doc):
        sub_parser.add_argument("--id", help="an id of your choosing (default: the next free one)")
        sub_parser.add_argument("--root", type=_root, default=argparse.SUPPRESS,
                                help="the plan folder (default: current folder)")
    i = sub.add_parser("init", help="start a new council's plan in a new folder",
                       description="start a new council's plan in a new folder")
    i.add_argument("folder")
    i.add_argument("--organisation", default="Example Council", help='e.g. "Northshire County Council"')
    i.add_argument("--install-from", default="index", dest="install_from",
                   help="where the council's repository installs this version of the tool from: 'index' (the "
                        "package index, the default) or git+https://... (the tool's repository, tag v<version>)")
    i.set_defaults(func=cmd_init, failed="not started")
    command("schema", cmd_schema, "write the JSON Schemas for plan.yaml and document front matter, generated from the model", "schema not written")
    mig = command("migrate", cmd_migrate, "rewrite plan.yaml in the format this version of the tool reads, "
                  "keeping its comments", "not migrated")
    mig.add_argument("--check", action="store_true", help="only say whether plan.yaml needs migrating (exit 1 if "
                     "it does); write nothing")
    imp = command("import-tracker", cmd_import_tracker, "add the actions and updates of a council's RAG tracker "
                  "(.xlsx or .csv) to the plan, never overwriting what the plan holds", "not imported")
    imp.add_argument("tracker", metavar="FILE", help="the tracker: FILE.xlsx or FILE.csv")
    imp.add_argument("--sheet", help="the workbook's sheet of actions (default: found from its headings)")
    imp.add_argument("--mapping", type=Path, help="the column mapping file to use (made with the proposed mapping "
                     "if it does not exist; default: FILE.mapping.yaml beside the tracker)")
    imp.add_argument("--dry-run", action="store_true", dest="dry_run", help="show what would be added and write "
                     "nothing to the plan (a proposed mapping is still saved)")
    return p


def main(argv: list[str] | None = None) -> int:
    """The one place a GeneratorError is caught: its diagnostics, then the command's word for failing and why.
    Any other exception is a bug in the generator and keeps its traceback."""
    given = sys.argv[1:] if argv is None else argv
    for arg in given:
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:  # bytes the terminal's encoding could not decode, kept as surrogates
            shown = arg.encode("utf-8", "backslashreplace").decode()
            print(f"improvement-plan: error: argument '{shown}' is not UTF-8 text", file=sys.stderr)
            return 2
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except GeneratorError as exc:
        for d in exc.diagnostics:
            print(d.text(), file=sys.stderr)
        print(f"{args.failed}: {exc.message}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("stopped (Ctrl+C)", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())

"""The command line: `python -m generator <command>`. Exit 0 ok, 1 invalid content or failed build, 2 usage."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .diagnostics import Severity, has_errors, render


def _root(value: str) -> Path:
    path = Path(value)
    if not path.is_dir():
        raise argparse.ArgumentTypeError(f"'{value}' is not a folder")
    return path.resolve()


def _summary(diags) -> str:
    errors = sum(d.severity is Severity.error for d in diags)
    warnings = len(diags) - errors
    return f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"


def cmd_validate(args: argparse.Namespace) -> int:
    from .validate import validate

    plan, diags = validate(args.root, strict=args.strict)
    out = render(diags, args.format)
    if out:
        print(out)
    if args.format == "text":
        state = "invalid" if has_errors(diags) else "valid"
        print(f"{args.root.name or args.root}: plan is {state} ({_summary(diags)})", file=sys.stderr)
    return 1 if has_errors(diags) else 0


def cmd_schema(args: argparse.Namespace) -> int:
    from .schema import SCHEMA_PATH, schema_text

    target = args.root / SCHEMA_PATH
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(schema_text(), encoding="utf-8")
    print(f"wrote {SCHEMA_PATH}")
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m generator",
                                description="Validate and build a children's services improvement plan site.")
    sub = p.add_subparsers(dest="command", required=True, metavar="command")

    def command(name: str, func, help: str) -> argparse.ArgumentParser:
        c = sub.add_parser(name, help=help, description=help)
        c.add_argument("--root", type=_root, default=Path.cwd(), help="the plan folder (default: current folder)")
        c.set_defaults(func=func)
        return c

    v = command("validate", cmd_validate, "check plan.yaml and content/ and report every problem")
    v.add_argument("--format", choices=["text", "github", "json"], default="text")
    v.add_argument("--strict", action="store_true", help="treat warnings (overdue, stale) as errors")
    command("schema", cmd_schema, "write the JSON Schema for plan.yaml, generated from the model")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())

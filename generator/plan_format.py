"""Which format plan.yaml is written in: the one number that says whether this tool can read a plan as it is, or
whether `migrate` must rewrite it first (an older plan) or the tool must be upgraded (a newer one)."""

from __future__ import annotations

from typing import Any

from .diagnostics import Diagnostic
from .loader import Loaded
from .locations import Loc

CURRENT_FORMAT = 2  # bump with a step in generator/migrate.py's MIGRATIONS
UNNUMBERED_FORMAT = 1  # a plan without `format:` was written before formats were numbered
FORMAT_KEY = "format"


def written_format(data: dict[str, Any]) -> int | None:
    """The format a plan.yaml mapping declares; None when `format` is not a whole number of at least 1."""
    if FORMAT_KEY not in data:
        return UNNUMBERED_FORMAT
    value = data[FORMAT_KEY]
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 1 else None


def check_format(loaded: Loaded) -> Diagnostic | None:
    """S120 (older: migrate), S121 (newer: upgrade the tool) or S122 (not a format number), or None when this tool
    reads the plan as written. At the `format` key, or at line 1 when the plan has none."""
    written = written_format(loaded.data)
    where = loaded.locs.at((FORMAT_KEY,), key=True) if FORMAT_KEY in loaded.data else Loc(loaded.locs.file, 1, 1)
    name = loaded.locs.file
    if written is None:
        value = loaded.data[FORMAT_KEY]
        shown = "nothing" if value is None else "a list" if isinstance(value, list) else \
            "a mapping" if isinstance(value, dict) else f"'{str(value).lower() if isinstance(value, bool) else value}'"
        return Diagnostic.at(where, "S122", f"{name} format should be a whole number from 1 up, not {shown}",
                             hint=f"write 'format: {CURRENT_FORMAT}', a whole number; this tool reads format "
                                  f"{CURRENT_FORMAT}")
    if written < CURRENT_FORMAT:
        return Diagnostic.at(where, "S120", f"{name} is written in format {written}; this tool reads format "
                             f"{CURRENT_FORMAT}: run `improvement-plan migrate`",
                             hint="migrate rewrites plan.yaml in the current format, keeping its comments")
    if written > CURRENT_FORMAT:
        return Diagnostic.at(where, "S121", f"{name} is written for a newer version of the tool (format {written}); "
                             "upgrade the tool: change the version in requirements.txt",
                             hint=f"this version of the tool reads format {CURRENT_FORMAT}")
    return None

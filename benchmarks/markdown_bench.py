"""How long pathological Markdown takes to validate and to render, within the limits and beyond them.

For each input it prints its size, the time of check_markdown (validation: characters, limits, unsafe
HTML) and, when validation lets it through, of sanitise_markdown (Python-Markdown then nh3, what a page
costs to render). Inputs within generator/markdown_safety.py's limits must render in under a second;
inputs beyond them must be refused (M402) quickly, without rendering. For comparison it also times the
inputs of issue 8 as they were: 16,000 '![' (78 s per render before the limits) and the old fence regex
on 20,000 fence lines (15 s).

Run:  python benchmarks/markdown_bench.py   (about 30 s; 'old fence regex' alone takes ~15 s, skip it
with --quick)
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.markdown_safety import (MAX_ABBREVIATIONS, MAX_BRACKET_DEPTH, MAX_CHARS, MAX_HEADINGS,  # noqa: E402
                                       MAX_LINES, MAX_NESTING, MAX_UNCLOSED, check_markdown)
from generator.render import sanitise_markdown  # noqa: E402

FILL = MAX_CHARS - 2_000  # room left for the construct itself


def fill(n: int) -> str:
    return ("word " * (n // 5 + 1))[:n]


def upto(unit: str, head: str = "") -> str:
    """`head`, then `unit` repeated as often as the size and line limits allow."""
    times = min((MAX_CHARS - len(head)) // len(unit), (MAX_LINES - head.count("\n")) // max(unit.count("\n"), 1))
    return head + unit * times


WITHIN = {
    "unclosed '![' at the limit, one long paragraph": "![" * MAX_UNCLOSED + fill(FILL),
    "unclosed '[' '(' '<' at the limit, one paragraph": "[" * MAX_UNCLOSED + "[a](" * MAX_UNCLOSED
    + "<http://a " * MAX_UNCLOSED + fill(FILL),
    "'_[' at the limit in every paragraph": upto("_[ " * MAX_UNCLOSED + fill(200) + "\n\n"),
    "unclosed '<a@b' at the limit in the page": "<a@b " * MAX_UNCLOSED + fill(FILL),
    f"'[' nested {MAX_BRACKET_DEPTH} deep, every paragraph": upto("[" * MAX_BRACKET_DEPTH + "x" + "]" * MAX_BRACKET_DEPTH
                                                                 + fill(50) + "\n\n"),
    f"blockquotes {MAX_NESTING} deep": upto("".join(">" * (i + 1) + " text\n" for i in range(MAX_NESTING))),
    f"lists {MAX_NESTING} deep": upto("".join("    " * i + "- item\n" for i in range(MAX_NESTING))),
    "a flat list": upto("- x\n"),
    "short paragraphs": upto("x\n\n"),
    f"{MAX_HEADINGS} headings, all the same": "## x\n" * MAX_HEADINGS + upto("x\n\n", "## x\n" * MAX_HEADINGS)[
        MAX_HEADINGS * 5:],
    f"{MAX_ABBREVIATIONS} abbreviations": "".join(f"*[AB{i}]: term {i}\n" for i in range(MAX_ABBREVIATIONS))
    + "\n" + fill(FILL - 1_000),
    "inline tags '<a>'": upto("<a>"),
    "links": upto("[a](b) "),
    "emphasis runs '*a **b'": upto("*a **b "),
    "backtick runs": upto("` `` ``` "),
    "one long line": fill(FILL),
    "fence lines": upto("```\n"),
    "code fences never closed, at the limit": upto("x\n\n", "```x\n" * MAX_UNCLOSED),
    "code fences never closed, then closed fences": upto("```\na\n```\n", "```x\n" * MAX_UNCLOSED),
    "table rows with links": upto("| [x](https://e.org/) | y |\n", "| a | b |\n| --- | --- |\n"),
}

BEYOND = {
    "16,000 '![' (issue 8)": "![" * 16_000,
    "'[' x200 then 200,000 characters": "[" * 200 + fill(200_000),
    "'<http://a ' x4000": "<http://a " * 4_000,
    "'_[ ' x4000": "_[ " * 4_000,
    "blockquotes 5,000 deep": ">" * 5_000 + " x\n",
    "lists 300 deep": "".join("    " * i + "- x\n" for i in range(300)),
    "2,000 abbreviations": "".join(f"*[A{i}]: thing\n" for i in range(2_000)) + "A1 " * 2_000,
    "1,000,000 characters": fill(1_000_000),
    "20,000 headings": "## x\n" * 20_000,
    f"{MAX_HEADINGS + 1} headings": "## x\n" * (MAX_HEADINGS + 1),
    "20,000 fence lines, opened and never closed": "```x\n" * 20_000,
}


def timed(fn, *args) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn(*args)
    return time.perf_counter() - start, result


def main() -> int:
    slow = []
    print(f"{'input':58} {'chars':>9} {'validate':>9} {'render':>9}  outcome")
    for title, kinds in (("within the limits", WITHIN), ("beyond the limits", BEYOND)):
        print(f"-- {title}")
        for name, text in kinds.items():
            t_check, diags = timed(check_markdown, text, "page.md", 1)
            codes = sorted({d.code for d in diags})
            if codes:
                t_render, outcome = None, "refused " + ",".join(codes)
            else:
                t_render, _ = timed(sanitise_markdown, text)
                outcome = "rendered"
            render = f"{t_render:8.3f}s" if t_render is not None else "        -"
            print(f"{name:58} {len(text):>9,} {t_check:8.3f}s {render}  {outcome}")
            if t_check + (t_render or 0) > 1 or (kinds is WITHIN and codes) or (kinds is BEYOND and not codes):
                slow.append(name)
    if "--quick" not in sys.argv:
        old_fence = re.compile(r"^( {0,3})(`{3,}|~{3,})[^\n]*\n.*?^\1\2[`~]*[ \t]*$", re.M | re.S)
        text = "```x\n" * 20_000  # openers that never close: the old pattern scanned to the end from each
        t_old, _ = timed(lambda: old_fence.sub("", text))
        t_new, _ = timed(check_markdown, text, "page.md", 1)
        print(f"-- the fence scan on 20,000 fence lines: old regex {t_old:.2f}s, line scanner (whole check) {t_new:.3f}s")
    print("unexpected: " + ", ".join(slow) if slow else "every input within the limits rendered in under a second, "
          "every one beyond them was refused")
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())

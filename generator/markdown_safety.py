"""Finding unsafe or unbounded Markdown, with its line and column, before anything is rendered.

The renderer also sanitises with nh3 (an allowlist), so the HTML check is for telling the editor;
the sanitiser is what makes the output safe. The limits below are what keeps rendering fast:
Python-Markdown's inline patterns scan forward from every '[', '(' and '<' to its closing partner,
so unclosed ones cost (their number) x (the paragraph's length), and deep nesting recurses. Measured
on this machine (benchmarks/markdown_bench.py), any document within every limit renders in well under
a second; one beyond a limit is refused before Markdown or the HTML scanner ever sees it.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from .diagnostics import Diagnostic
from .characters import BAD_IN_FILE, UNPRINTABLE_HINT, describe_char
from .locations import Loc

MAX_CHARS = 50_000  # one document or guide page (about 8,000 words)
MAX_LINES = 5_000  # each paragraph, list item or table row is a block to render
MAX_HEADINGS = 300  # the table of contents makes headings' ids unique by trying each taken one
MAX_NESTING = 8  # levels of blockquotes ('>') and indented lists or blocks (4 spaces a level)
MAX_UNCLOSED = 10  # '[' or '(' left open in one paragraph; '<' tags left open on their line, or code fences
                   # never closed, in the page
MAX_BRACKET_DEPTH = 5  # '[' inside '[' inside ... in one paragraph
MAX_ABBREVIATIONS = 50  # '*[ABBR]: ...' definitions, each a pattern run over the whole page
LIMIT_HINT = "split the page, or write a literal bracket as '\\[' and a literal '<' as '&lt;'"

BANNED_TAGS = {"script", "iframe", "object", "embed", "style", "form", "input", "button", "textarea", "select",
               "base", "meta", "link", "frame", "frameset", "applet", "svg", "math", "template"}
URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "poster", "srcset", "background", "data"}
LOAD_ATTRS = {"src", "srcset", "poster", "background"}  # fetched as the page loads, unlike a link's href
BAD_SCHEME = re.compile(r"^(javascript|data|vbscript):", re.I)
# Markdown link targets: inline [text](url), allowing one level of parentheses inside, and reference [id]: url.
MD_LINK = re.compile(r"\]\(\s*<?((?:[^()\s<>]|\([^()\s]*\))+)|^[ ]{0,3}\[[^\[\]]+\]:\s*<?(\S+?)>?(?:\s|$)", re.M)
# Python-Markdown's fenced_code: an opening fence at the start of a line (with an optional language or
# {attributes}) and a closing line of exactly the same fence.
FENCE_OPEN = re.compile(r"(`{3,}|~{3,})[ ]*(\{[^\n]*\}|\.?[\w#.+-]*[ ]*(hl_lines=([\"']).*?\4[ ]*)?)\n?$")
FENCE_LINE = re.compile(r"(`{3,}|~{3,})[ ]*\n?$")


def bad_scheme(url: str) -> str | None:
    """The dangerous scheme of a link, seen as a browser sees it (entities decoded, spaces and controls dropped)."""
    cleaned = re.sub(r"[\x00-\x20\x7f]", "", html.unescape(url))
    m = BAD_SCHEME.match(cleaned)
    return m[1].lower() if m else None


_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_URL_SPACE = "".join(map(chr, range(0x21)))  # what browsers strip from both ends of an address


def browser_address(address: str) -> str:
    """An address (entities already decoded) as a browser reads it: spaces and controls at its ends and tabs and
    newlines inside dropped, and '\\' read as '/'."""
    return re.sub(r"[\t\n\r]", "", address.strip(_URL_SPACE)).replace("\\", "/")


def remote_address(address: str) -> bool:
    """Whether a browser would fetch this address (entities already decoded) from another host: it has a scheme
    (https:, HTTP:, ...) or starts with two slashes (//host)."""
    cleaned = browser_address(address)
    return bool(_SCHEME.match(cleaned)) or cleaned.startswith("//")


def unclosed_fences(lines: list[str], code: set[int]) -> list[int]:
    """Lines that open a fence no line below closes: Python-Markdown reads on to the page's end from each."""
    closer = _closers(lines)
    return [i for i, ln in enumerate(lines) if i not in code and FENCE_OPEN.match(ln) and closer[i] is None]


def _closers(lines: list[str]) -> list[int | None]:
    """For every opening fence, the nearest line below that closes it (one backward pass)."""
    closer: list[int | None] = [None] * len(lines)
    nearest: dict[str, int] = {}
    for i in range(len(lines) - 1, -1, -1):
        opened = FENCE_OPEN.match(lines[i])
        if opened:
            closer[i] = nearest.get(opened[1])
        closing = FENCE_LINE.match(lines[i])
        if closing:
            nearest[closing[1]] = i
    return closer


def code_lines(lines: list[str]) -> set[int]:
    """Indexes of the lines of fenced code blocks, found in one pass each way (linear in the lines).

    Going backwards we know, for every fence, the nearest closing line below it; going forwards we
    take each opening fence with a closing line as one code block, as Python-Markdown does."""
    closer = _closers(lines)
    inside: set[int] = set()
    i = 0
    while i < len(lines):
        end = closer[i]
        if end is not None:
            inside.update(range(i, end + 1))
            i = end + 1
        else:
            i += 1
    return inside


_TICKS = re.compile(r"(?<!\\)`+")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


def _blank_inline_code(text: str) -> str:
    """Code spans (`<b>`, ``a ` b``) show their content as text too. A span opens at a run of backticks and closes
    at the next run of the same length in the same paragraph; one linear pass. Where this reads a span that
    Markdown would not, the sanitiser still removes any HTML, so a missed warning cannot make a page unsafe."""
    out = list(text)
    start = 0
    for para_end in [m.start() for m in _PARAGRAPH_BREAK.finditer(text)] + [len(text)]:
        opening = None
        for m in _TICKS.finditer(text, start, para_end):
            if opening is None:
                opening = m
            elif len(m[0]) == len(opening[0]):
                for i in range(opening.end(), m.start()):
                    if out[i] != "\n":
                        out[i] = " "
                opening = None
        start = para_end
    return "".join(out)


def _blank_code(text: str) -> str:
    """Fenced code blocks and code spans show their content as text, so it is not checked; lines and columns are
    kept for positions."""
    lines = text.splitlines(keepends=True)
    code = code_lines(lines)
    return _blank_inline_code("".join(re.sub(r"[^\n]", " ", ln) if i in code else ln for i, ln in enumerate(lines)))


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, int, str]] = []  # unsafe (M401)
        self.remote: list[tuple[int, int, str]] = []  # loads from another host (M403)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line, col = self.getpos()
        if tag in BANNED_TAGS:
            self.found.append((line, col, f"<{tag}> is not allowed"))
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append((line, col, f"the event-handler attribute '{name}' on <{tag}> is not allowed"))
            elif name == "style":
                self.found.append((line, col, f"the style attribute on <{tag}> is not allowed"))
            elif name in URL_ATTRS and value and bad_scheme(value):
                self.found.append((line, col, f"the {bad_scheme(value)}: link in <{tag} {name}> is not allowed"))
            elif name in LOAD_ATTRS and value and tag not in BANNED_TAGS:
                # srcset holds addresses and sizes separated by spaces and commas; checking every part is enough
                parts = re.split(r"[\s,]+", value) if name == "srcset" else [value]
                remote = next((browser_address(p) for p in parts if remote_address(p)), None)
                if remote:
                    self.remote.append((line, col, f"<{tag} {name}> loads '{remote[:60]}' from another site"))


MAX_CHARACTER_REPORTS = 20  # then one line saying how many more


def check_characters(text: str, file: str, first_line: int) -> list[Diagnostic]:
    """A located L011 for each character of a Markdown body that is not printable text (the first 20, then
    how many more), found in one pass."""
    out: list[Diagnostic] = []
    line, line_start, last, more = 1, 0, 0, 0
    for m in BAD_IN_FILE.finditer(text):
        if len(out) == MAX_CHARACTER_REPORTS:
            more += 1
            continue
        line += text.count("\n", last, m.start())
        line_start = text.rfind("\n", last, m.start()) + 1 or line_start
        last = m.start()
        out.append(Diagnostic.at(Loc(file, first_line + line - 1, m.start() - line_start + 1), "L011",
                                 f"the character {describe_char(m[0])} is not allowed in text", hint=UNPRINTABLE_HINT))
    if more:
        out[-1] = Diagnostic.at(Loc(out[-1].file, out[-1].line, out[-1].col), "L011", out[-1].message +
                                f" (and {more} more such characters after it)", hint=UNPRINTABLE_HINT)
    return out


def _nesting(line: str) -> int:
    """How deep a line sits: one level per '>' and per 4 columns of indentation before and between them."""
    depth, cols, i = 0, 0, 0
    while i < len(line):
        ch = line[i]
        if ch == ">":
            depth, cols = depth + 1 + cols // 4, 0
        elif ch == " ":
            cols += 1
        elif ch == "\t":
            cols += 4 - cols % 4
        else:
            break
        i += 1
    return depth + cols // 4


_CLOSERS = {"]": "[", ")": "("}
_TAG_START = re.compile(r"<[A-Za-z/!?]")
_HEADING = re.compile(r" {0,3}(#{1,6}(\s|$)|=+\s*$|-+\s*$)")


def _scan_block(block: list[tuple[int, str]]) -> list[tuple[int, int, str]]:
    """'[' and '(' left open in one paragraph, and '[' nested too deep: (line, col, message); linear.

    Python-Markdown scans forward from each '[' (and each '(' after ']') to its partner, or to the
    paragraph's end when there is none: unclosed ones cost (their number) x (the paragraph's length)."""
    open_at: dict[str, list[tuple[int, int, int]]] = {"[": [], "(": []}
    pairs: list[tuple[int, int, int, int]] = []  # matched '[' ... ']': (start, end, line, col)
    i = 0
    for n, line in block:
        escaped = False
        for col, ch in enumerate(line):
            i += 1
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch in open_at:
                open_at[ch].append((i, n, col))
            elif ch in _CLOSERS and open_at[_CLOSERS[ch]]:
                start = open_at[_CLOSERS[ch]].pop()
                if ch == "]":
                    pairs.append((start[0], i, start[1], start[2]))
    found = []
    for c, left in open_at.items():
        if len(left) > MAX_UNCLOSED:
            found.append((left[0][1], left[0][2], f"this paragraph leaves {len(left)} '{c}' unclosed "
                                                  f"(at most {MAX_UNCLOSED})"))
    # How deeply matched brackets nest: each scan runs to its partner, so depth D costs D x the paragraph.
    depth, deepest = 0, None
    for _pos, step, line, col in sorted([(s, 1, n, c) for s, _e, n, c in pairs] + [(e, -1, 0, 0) for _s, e, *_ in pairs]):
        depth += step
        if depth > MAX_BRACKET_DEPTH and deepest is None:
            deepest = (line, col)
    if deepest:
        found.append((*deepest, f"brackets '[' nest more than {MAX_BRACKET_DEPTH} deep here"))
    return found


def _open_tags(lines: list[str], code: set[int]) -> list[tuple[int, int]]:
    """Where a '<' begins a tag that is not closed by '>' on its line before the next '<'. An HTML parser
    reads such a tag on to the next '>' anywhere below, so each costs up to the page's length."""
    found = []
    for n, line in enumerate(lines):
        if n in code:
            continue
        for m in _TAG_START.finditer(line):
            nxt = line.find("<", m.start() + 1)
            close = line.find(">", m.start() + 1)
            if close < 0 or 0 <= nxt < close:
                found.append((n, m.start()))
    return found


def check_limits(body: str, file: str, first_line: int) -> list[Diagnostic]:
    """Located M402 diagnostics for a body beyond the limits that keep rendering fast (see the module's doc)."""
    def at(line: int, col: int, msg: str) -> Diagnostic:
        return Diagnostic.at(Loc(file, first_line + line, col + 1), "M402", msg, hint=LIMIT_HINT)

    if len(body) > MAX_CHARS:
        return [at(0, 0, f"the page holds {len(body):,} characters (at most {MAX_CHARS:,})")]
    lines = body.splitlines()
    if len(lines) > MAX_LINES:
        return [at(MAX_LINES, 0, f"the page has {len(lines):,} lines (at most {MAX_LINES:,})")]
    code = code_lines(lines)
    found: list[Diagnostic] = []
    abbreviations = headings = 0
    block: list[tuple[int, str]] = []
    for n, line in enumerate([*lines, ""]):
        if n in code or not line.strip():
            for args in _scan_block(block):
                found.append(at(*args))
            block = []
            continue
        block.append((n, line))
        depth = _nesting(line)
        if depth > MAX_NESTING:
            found.append(at(n, 0, f"quotes and lists nest {depth} levels deep here (at most {MAX_NESTING})"))
        if line.startswith("*["):
            abbreviations += 1
            if abbreviations == MAX_ABBREVIATIONS + 1:
                found.append(at(n, 0, f"the page defines more than {MAX_ABBREVIATIONS} abbreviations"))
        if _HEADING.match(line):
            headings += 1
            if headings == MAX_HEADINGS + 1:
                found.append(at(n, 0, f"the page has more than {MAX_HEADINGS} headings"))
    fences = unclosed_fences(lines, code)
    if len(fences) > MAX_UNCLOSED:
        found.append(at(fences[0], 0, f"the page opens {len(fences)} code fences that are never closed "
                                      f"(at most {MAX_UNCLOSED})"))
    tags = _open_tags(lines, code)
    if len(tags) > MAX_UNCLOSED:
        found.append(at(*tags[0], f"the page leaves {len(tags)} tags '<' unclosed on their line "
                                  f"(at most {MAX_UNCLOSED})"))
    return sorted(found)


_TOKEN = re.compile(r"\\.|[\[\]]|\n[ \t]*\n", re.S)  # an escaped character, a bracket, or a paragraph break
_IMAGE_REF = re.compile(r"\s?\[([^\]]*)\]")  # the [id] after ![alt], as Python-Markdown reads it
_DEFINITION = re.compile(r"^[ ]{0,3}\[([^\[\]]*)\]:[ ]*(?:\n[ ]*)?(<*)(\S+?)>*(?=\s|$)", re.M)


def _ref_id(text: str) -> str:
    return " ".join(text.lower().split())


def image_addresses(body: str) -> list[tuple[int, str]]:
    """The address of each Markdown image, with the offset it starts at: inline ![alt](address), and the
    definition [id]: address that a reference image ![alt][id], ![id][] or ![id] uses. Brackets are matched
    within a paragraph, skipping escaped ones, as Python-Markdown matches them; one linear pass."""
    found: list[tuple[int, str]] = []
    used: set[str] = set()
    opened: list[int] = []
    escaped_bangs: set[int] = set()
    for t in _TOKEN.finditer(body):
        if t[0] == "[":
            opened.append(t.start())
        elif t[0] == "]" and opened:
            start = opened.pop()
            if start == 0 or body[start - 1] != "!" or start - 1 in escaped_bangs:
                continue
            inline = MD_LINK.match(body, t.start())
            if inline and inline[1]:
                found.append((inline.start(1), inline[1]))
            else:
                ref = _IMAGE_REF.match(body, t.end())
                used.add(_ref_id(ref[1] if ref and ref[1] else body[start + 1:t.start()]))
        elif t[0] == "\\!":
            escaped_bangs.add(t.start() + 1)
        elif t[0].startswith("\n"):
            opened.clear()
    found += [(m.start(3), m[3]) for m in _DEFINITION.finditer(body) if _ref_id(m[1]) in used]
    return sorted(found)


def _line_col(text: str, offset: int) -> tuple[int, int]:
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1)


REMOTE_HINT = ("a page shows only images that are part of the site, and a document cannot carry image files: link "
               "to the image instead of showing it, e.g. [the chart](https://...)")


def check_markdown(body: str, file: str, first_line: int) -> list[Diagnostic]:
    """Located diagnostics for a Markdown body: unprintable characters (L011), limits (M402), unsafe HTML (M401),
    images from another host (M403).

    Beyond a limit nothing else is looked at, so the HTML scanner never runs on input that could make it slow."""
    found_chars = check_characters(body, file, first_line)
    limits = check_limits(body, file, first_line)
    if limits:
        return found_chars + limits
    body = _blank_code(body)
    scanner = _Scanner()
    scanner.feed(body)
    scanner.close()
    found = list(scanner.found)
    for m in MD_LINK.finditer(body):
        group = 1 if m[1] else 2
        url = m[group]
        if bad_scheme(url):
            found.append((*_line_col(body, m.start(group)), f"the link '{url[:60]}' is not allowed"))
    # Python-Markdown writes an image's address into the page as it is, so the browser decodes its entities.
    remote = list(scanner.remote) + [(*_line_col(body, at), f"the image '{url[:60]}' loads from another site")
                                     for at, url in image_addresses(body)
                                     if not bad_scheme(url) and remote_address(html.unescape(url))]
    hint = "use ordinary Markdown: links to https:// addresses, images from the site, tables and lists"
    return found_chars + sorted(
        [Diagnostic.at(Loc(file, first_line + line - 1, col + 1), "M401", msg, hint=hint) for line, col, msg in found]
        + [Diagnostic.at(Loc(file, first_line + line - 1, col + 1), "M403", msg, hint=REMOTE_HINT)
           for line, col, msg in remote])

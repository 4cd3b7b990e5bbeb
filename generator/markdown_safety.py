"""Finding unsafe HTML in editors' Markdown, with its line and column, before anything is rendered.

The renderer also sanitises with nh3 (an allowlist), so this check is for telling the editor;
the sanitiser is what makes the output safe.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from .diagnostics import Diagnostic
from .locations import Loc

BANNED_TAGS = {"script", "iframe", "object", "embed", "style", "form", "input", "button", "textarea", "select",
               "base", "meta", "link", "frame", "frameset", "applet", "svg", "math", "template"}
URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "poster", "srcset", "background", "data"}
BAD_SCHEME = re.compile(r"^(javascript|data|vbscript):", re.I)
# Markdown link targets: inline [text](url), allowing one level of parentheses inside, and reference [id]: url.
MD_LINK = re.compile(r"\]\(\s*<?((?:[^()\s<>]|\([^()\s]*\))+)|^[ ]{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", re.M)
FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,})[^\n]*\n.*?^\1\2[`~]*[ \t]*$", re.M | re.S)


def bad_scheme(url: str) -> str | None:
    """The dangerous scheme of a link, seen as a browser sees it (entities decoded, spaces and controls dropped)."""
    cleaned = re.sub(r"[\x00-\x20\x7f]", "", html.unescape(url))
    m = BAD_SCHEME.match(cleaned)
    return m[1].lower() if m else None


def _blank_code(text: str) -> str:
    """Fenced code blocks show their content as text, so it is not checked; lines are kept for positions."""
    return FENCE.sub(lambda m: re.sub(r"[^\n]", " ", m[0]), text)


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, int, str]] = []

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


def check_markdown(body: str, file: str, first_line: int) -> list[Diagnostic]:
    """Located M401 diagnostics for every unsafe construct in a Markdown body."""
    body = _blank_code(body)
    scanner = _Scanner()
    scanner.feed(body)
    scanner.close()
    found = list(scanner.found)
    for m in MD_LINK.finditer(body):
        group = 1 if m[1] else 2
        url = m[group]
        if not bad_scheme(url):
            continue
        start = m.start(group)
        line = body.count("\n", 0, start) + 1
        col = start - (body.rfind("\n", 0, start) + 1)
        found.append((line, col, f"the link '{url[:60]}' is not allowed"))
    hint = "use ordinary Markdown: links to https:// addresses, images from the site, tables and lists"
    return [Diagnostic.at(Loc(file, first_line + line - 1, col + 1), "M401", msg, hint=hint)
            for line, col, msg in sorted(found)]

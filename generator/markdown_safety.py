"""Finding unsafe HTML in editors' Markdown, with its line and column, before anything is rendered.

The renderer also sanitises with nh3 (an allowlist), so this check is for telling the editor;
the sanitiser is what makes the output safe.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from .diagnostics import Diagnostic
from .locations import Loc

BANNED_TAGS = {"script", "iframe", "object", "embed", "style", "form", "input", "button", "textarea", "select",
               "base", "meta", "link", "frame", "frameset", "applet", "svg", "math", "template"}
URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "poster", "srcset", "background", "data"}
BAD_SCHEME = re.compile(r"^\s*(javascript|data|vbscript)\s*:", re.I)
MD_LINK = re.compile(r"\]\(\s*<?\s*((?:javascript|data|vbscript)\s*:[^)\s]*)|^\s*\[[^\]]+\]:\s*<?((?:javascript|data|vbscript):\S*)",
                     re.I | re.M)


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
            elif name in URL_ATTRS and value and BAD_SCHEME.match(value):
                self.found.append((line, col, f"the {BAD_SCHEME.match(value)[1].lower()}: link in <{tag} {name}> "
                                              "is not allowed"))


def check_markdown(body: str, file: str, first_line: int) -> list[Diagnostic]:
    """Located M401 diagnostics for every unsafe construct in a Markdown body."""
    scanner = _Scanner()
    scanner.feed(body)
    scanner.close()
    found = list(scanner.found)
    for m in MD_LINK.finditer(body):
        url = m[1] or m[2]
        line = body.count("\n", 0, m.start()) + 1
        col = m.start() - (body.rfind("\n", 0, m.start()) + 1)
        found.append((line, col, f"the link '{url[:40]}' is not allowed"))
    hint = "use ordinary Markdown: links to https:// addresses, images from the site, tables and lists"
    return [Diagnostic.at(Loc(file, first_line + line - 1, col + 1), "M401", msg, hint=hint)
            for line, col, msg in sorted(found)]

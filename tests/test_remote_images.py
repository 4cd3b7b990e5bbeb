"""Images from another site (F5, code M403): a remote image makes every reader's browser call a third party, so
validation refuses it where it is written, and the sanitiser drops any that remains (its alt text stays).

Each case: Markdown, the diagnostics check_markdown gives (line, col, code, message), and the sanitised HTML.
Links to other sites stay allowed; images from the site itself stay as they are.
"""

from __future__ import annotations

import pytest

from generator.guide import guide_pages
from generator.markdown_safety import REMOTE_HINT, check_markdown
from generator.render import sanitise_markdown
from generator.validate import validate_all
from plan_edits import BRIEFING, Write, body, edited, locate

GUIDE = "content/guide/index.md"
P, Q = "https://tracker.example/p.png", "https://tracker.example/q.png"


def md(url: str, line: int = 1, col: int = 6) -> tuple:
    return (line, col, "M403", f"the image '{url}' loads from another site")


def tag(t: str, attr: str, url: str, line: int = 1, col: int = 1) -> tuple:
    return (line, col, "M403", f"<{t} {attr}> loads '{url}' from another site")


NO_IMG = "<p><img></p>"
ALT = '<p><img alt="t"></p>'

CASES = {
    # the reviewer's repro
    "markdown-image": (f"![t]({P})", [md(P)], ALT),
    "html-img": (f'<img src="{Q}">', [tag("img", "src", Q)], NO_IMG),
    # how a scheme can be spelt
    "uppercase-scheme": ("![t](HTTPS://tracker.example/p.png)", [md("HTTPS://tracker.example/p.png")], ALT),
    "mixed-case-html": ('<IMG SRC="HtTp://tracker.example/q.png">', [tag("img", "src", "HtTp://tracker.example/q.png")],
                        NO_IMG),
    "entity-in-markdown-scheme": ("![t](https&#58;//tracker.example/p.png)", [md("https&#58;//tracker.example/p.png")],
                                  ALT),
    "entity-in-html-scheme": ('<img src="&#x68;ttps://tracker.example/q.png">', [tag("img", "src", Q)], NO_IMG),
    "named-entity-colon": ('<img src="https&colon;//tracker.example/q.png">', [tag("img", "src", Q)], NO_IMG),
    "other-scheme": ("![t](ftp://tracker.example/p.png)", [md("ftp://tracker.example/p.png")], ALT),
    # no scheme, still another host
    "protocol-relative-markdown": ("![t](//tracker.example/p.png)", [md("//tracker.example/p.png")], ALT),
    "protocol-relative-html": ("<img src='//tracker.example/q.png'>", [tag("img", "src", "//tracker.example/q.png")],
                               NO_IMG),
    "backslashes": ('<img src="\\\\tracker.example/q.png">', [tag("img", "src", "//tracker.example/q.png")], NO_IMG),
    "slash-backslash": ('<img src="/\\tracker.example/q.png">', [tag("img", "src", "//tracker.example/q.png")], NO_IMG),
    "leading-space-and-newline": (f'<img src=" \n{Q}">', [tag("img", "src", Q)], NO_IMG),
    "tab-in-scheme": ('<img src="ht&#9;tps://tracker.example/q.png">', [tag("img", "src", Q)], NO_IMG),
    # how a Markdown image can be written
    "angle-brackets": (f"![t](<{P}>)", [md(P, col=7)], ALT),
    "with-title": (f'![t]({P} "Chart")', [md(P)], '<p><img alt="t" title="Chart"></p>'),
    "nested-brackets-in-alt": (f"![a [b] c]({P})", [md(P, col=12)], '<p><img alt="a [b] c"></p>'),
    "image-inside-link": (f"[![t]({P})](https://example.org/)", [md(P, col=7)],
                          '<p><a href="https://example.org/" rel="noopener noreferrer"><img alt="t"></a></p>'),
    "reference-image": (f"See ![the chart][c].\n\n[c]: {P}", [md(P, 3, 6)], '<p>See <img alt="the chart">.</p>'),
    "reference-image-empty-id": (f"![Chart][]\n\n[chart]: {P}", [md(P, 3, 10)], '<p><img alt="Chart"></p>'),
    "reference-image-shortcut": (f'![chart]\n\n[Chart]: <{P}> "T"', [md(P, 3, 11)],
                                 '<p><img alt="chart" title="T"></p>'),
    "reference-used-by-link-and-image": (f"[a][c] and ![b][c]\n\n[c]: {P}", [md(P, 3, 6)],
                                         f'<p><a href="{P}" rel="noopener noreferrer">a</a> and <img alt="b"></p>'),
    # other attributes that load
    "srcset": (f'<img src="chart.png" srcset="chart.png 1x, {P} 2x">', [tag("img", "srcset", P)],
               '<p><img src="chart.png"></p>'),
    "srcset-no-space-after-comma": ('<img src="a.png" srcset="a.png 1x,//tracker.example/p.png 2x">',
                                    [tag("img", "srcset", "//tracker.example/p.png")], '<p><img src="a.png"></p>'),
    "picture-source": ('<picture><source srcset="https://tracker.example/p.webp"><img src="p.png"></picture>',
                       [tag("source", "srcset", "https://tracker.example/p.webp", col=10)], '<p><img src="p.png"></p>'),
    "video-poster": (f'<video poster="{P}"></video>', [tag("video", "poster", P)], ""),
    # allowed: links to other sites, images from the site, text that only shows an address
    "link-allowed": (f"[the chart]({P})", [], f'<p><a href="{P}" rel="noopener noreferrer">the chart</a></p>'),
    "reference-link-allowed": (f"[the chart][c]\n\n[c]: {P}", [],
                               f'<p><a href="{P}" rel="noopener noreferrer">the chart</a></p>'),
    "autolink-allowed": (f"<{P}>", [], f'<p><a href="{P}" rel="noopener noreferrer">{P}</a></p>'),
    "a-href-allowed": (f'<a href="{P}">chart</a>', [], f'<p><a href="{P}" rel="noopener noreferrer">chart</a></p>'),
    "relative-image-allowed": ("![t](chart.png)", [], '<p><img alt="t" src="chart.png"></p>'),
    "root-relative-image-allowed": ('<img src="/images/chart.png">', [], '<p><img src="/images/chart.png"></p>'),
    "colon-later-in-path-allowed": ("![t](images/a:b.png)", [], '<p><img alt="t" src="images/a:b.png"></p>'),
    "escaped-bang-is-a-link": (f"\\![t]({P})", [], f'<p>!<a href="{P}" rel="noopener noreferrer">t</a></p>'),
    "image-in-code-span": (f"`![t]({P})`", [], f"<p><code>![t]({P})</code></p>"),
    "image-in-fenced-code": (f'```\n<img src="{Q}">\n```', [], f'<pre><code>&lt;img src="{Q}"&gt;\n</code></pre>'),
    # unsafe schemes stay M401 alone
    "javascript-image-is-M401-only": ('<img src="javascript:alert(1)">',
                                      [(1, 1, "M401", "the javascript: link in <img src> is not allowed")], NO_IMG),
    "data-image-is-M401-only": ("![t](data:image/png;base64,AA)",
                                [(1, 6, "M401", "the link 'data:image/png;base64,AA' is not allowed")], ALT),
    "iframe-is-M401-only": ('<iframe src="https://tracker.example/"></iframe>', [(1, 1, "M401", "<iframe> is not allowed")],
                            ""),
}


@pytest.mark.parametrize("text, want, html", CASES.values(), ids=CASES.keys())
def test_remote_image_is_located_and_dropped(text, want, html):
    assert [(d.line, d.col, d.code, d.message) for d in check_markdown(text, "f.md", 1)] == want
    assert sanitise_markdown(text) == html


def test_reviewer_repro_in_a_public_document(tmp_path):
    root = edited(tmp_path, body(f"Chart: ![t]({P})\n\n<img src=\"{Q}\">\n"))
    diags = validate_all(root)[1]
    assert [(d.file, d.line, d.col, d.code, d.message, d.hint) for d in diags] == [
        (BRIEFING, *locate(root, BRIEFING, P), "M403", f"the image '{P}' loads from another site", REMOTE_HINT),
        (BRIEFING, *locate(root, BRIEFING, "<img"), "M403", f"<img src> loads '{Q}' from another site", REMOTE_HINT)]
    assert REMOTE_HINT == ("a page shows only images that are part of the site, and a document cannot carry image "
                           "files: link to the image instead of showing it, e.g. [the chart](https://...)")


def test_remote_image_in_a_guide_page_is_reported_and_dropped(tmp_path):
    root = edited(tmp_path, Write(GUIDE, f"# Guide\n\nSave often.\n\n![screen]({P})\n"))
    assert [(d.file, d.line, d.col, d.code) for d in validate_all(root)[1]] == [
        (GUIDE, *locate(root, GUIDE, P), "M403")]
    [page] = [p for p in guide_pages(root) if p.path == "guide/index.md"]
    assert page.html == '<p>Save often.</p>\n<p><img alt="screen"></p>'

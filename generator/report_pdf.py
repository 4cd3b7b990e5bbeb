"""The progress report as a tagged PDF (WeasyPrint, PDF/UA-1): HTML from an autoescaped Jinja template of the same
model the Word writer walks, with headings, tables (<thead> repeats on each page, <caption>), figures with
alternative text, the document's title, author and language, and A4 pages whose margins carry the edition, the
reporting point and "Page N of M". WeasyPrint may fetch nothing but the data: URIs the report itself makes: a URL
in an editor's text can never make a build call a host or read a file."""

from __future__ import annotations

import base64
from importlib.resources import files

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from .report import Report

ENV = Environment(loader=PackageLoader("generator", "templates/report"), autoescape=select_autoescape(default=True),
                  undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
ENV.globals["data_uri"] = lambda svg: "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def report_html(report: Report) -> str:
    return ENV.get_template("report.html.j2").render(r=report)


def _fetcher():
    from weasyprint.urls import URLFetcher

    class DataOnly(URLFetcher):
        """Refuses every URL but data: (WeasyPrint then leaves the resource out, keeping an image's alt text)."""

        def fetch(self, url, headers=None):
            if not url.startswith("data:"):
                raise ValueError(f"the report fetches nothing from outside itself: {url[:80]}")
            return super().fetch(url, headers)

    return DataOnly()


def html_pdf(html: str) -> bytes:
    """Any HTML as a tagged PDF, fetching nothing but data: URIs."""
    from weasyprint import CSS, HTML

    css = CSS(string=files("generator").joinpath("templates/report/report.css").read_text(encoding="utf-8"))
    return HTML(string=html, base_url=None, url_fetcher=_fetcher()).write_pdf(stylesheets=[css],
                                                                             pdf_variant="pdf/ua-1")


def pdf_bytes(report: Report) -> bytes:
    return html_pdf(report_html(report))

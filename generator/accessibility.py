"""The facts of the accessibility statement, kept in one place so that what the statement claims and what the
tests check cannot drift apart: the browser tests import AUTOMATED_CHECKS and check each one by its key, and
the statement (templates/accessibility.html.j2) prints the same list. The layout follows the GDS model
accessibility statement."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

STANDARD = "the Web Content Accessibility Guidelines (WCAG) version 2.2 AA standard"
REGULATIONS = ("the Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations "
               "2018")


class Compliance(str, Enum):
    """The three statuses the regulations allow a statement to give."""

    fully = "fully compliant"
    partially = "partially compliant"
    not_compliant = "not compliant"


@dataclass(frozen=True)
class Check:
    """One automated check the tool's tests run on every kind of page, of both editions, in a real browser
    (Chromium): `key` names it for the test that runs it, `claim` is what the statement says of it."""

    key: str
    claim: str


AUTOMATED_CHECKS: tuple[Check, ...] = (
    Check("axe", "axe-core finds no failure of its WCAG 2.2 A and AA rules or of its best-practice rules"),
    Check("reflow", "no page scrolls sideways at 320 pixels wide, the width of a 1280 pixel screen zoomed to 400%"),
    Check("skip-link", "the first Tab stop on every page is a link that skips to the main content"),
    Check("print", "printed, every page names the council, the edition and the reporting point, and says "
                   "\u201cDraft\u201d on the draft"),
    Check("html", "the Nu HTML Checker finds no error except one in the site's search form (an autocomplete "
                  "attribute on two hidden checkboxes, from the MkDocs Material theme)"),
)

COMPLIANCE = Compliance.partially  # until a person has tested the site with assistive technology (see below)


@dataclass(frozen=True)
class Limitation:
    """Content the product knows is not fully accessible, under the heading the model statement gives it."""

    heading: str  # "non-compliance", "burden" or "scope"; "alternative": not a failure, so only in the summary
    summary: str  # a phrase for "How accessible this website is"
    text: str


LIMITATIONS: tuple[Limitation, ...] = (
    Limitation("non-compliance", "the site has not yet been tested by a person using assistive technology",
               "The site has not yet been tested by a person using a screen reader, speech recognition software "
               "or the keyboard alone; automated checks find only some problems. Until it has, we cannot say it "
               "is fully compliant."),
    Limitation("non-compliance", "documents written by editors may have headings or link text that do not say "
                                 "enough",
               "Briefings, reports and minutes are written by the council's editors. Automated checks cannot tell "
               "whether their headings describe the topic (WCAG 2.4.6) or their link text says where a link goes "
               "(WCAG 2.4.4)."),
    Limitation("alternative", "charts are images, but each has its figures in a table beside it and its trend "
                              "in words",
               "Charts of measures are images. Each has its figures in a table beside it and its trend described "
               "in words, so nothing is shown only in the chart."),
    Limitation("alternative", "sorting and filtering the registers needs JavaScript (without it, the whole "
                              "register is shown)",
               "Sorting and filtering the registers needs JavaScript; without it the whole register is shown, in "
               "id order."),
    Limitation("scope", "documents on other websites, often PDF files, may not be accessible",
               "Documents on other websites that these pages link to, such as inspection reports and committee "
               "papers (often PDF files), are not made by this site. They are covered by their own websites' "
               "accessibility statements; PDF files published before 23 September 2018 are outside the "
               "regulations. Ask us for any of them in another format."),
    Limitation("scope", "earlier reporting points keep the wording they were reported with",
               "Earlier reporting points are kept exactly as they were reported. Today's page layout shows them, "
               "so accessibility fixes reach them, but their wording is not changed."),
)

"""The glossary page: the words the site itself uses, the sector's terms the edition's content uses, the plan's
levels in the council's own words, and the council's own entries.

It is made from the PROJECTED plan of one edition, so staff-only content never adds a term to the public glossary.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from .model import Plan, Terms, holds_ids

# Words the site's own pages use (statuses, registers, versions): always defined.
SITE_TERMS: list[tuple[str, str]] = [
    ("RAG", "Red, amber, green: how an action's progress is rated. Complete is often shown in blue (BRAG)."),
    ("Red", "The action is off track and will not meet its target without intervention."),
    ("Amber", "The action is at risk; there is a plan to bring it back on track."),
    ("Green", "The action is on track to meet its target date."),
    ("Complete", "The action is done, with a completion date and, where there is one, evidence."),
    ("Not started", "No work has been reported on the action yet."),
    ("Overdue", "An open action past its target date, whatever its colour."),
    ("Reporting point", "A date at which the plan was reported (to a board, panel or the DfE); "
                        "each is kept as a version of this site."),
    ("Measure", "A figure tracked over time against a target (a KPI, or a line on the scorecard)."),
]

# The sector's words and abbreviations: defined only where the edition's content uses one of them.
DEFAULT_TERMS: list[tuple[str, str]] = [
    ("SMART", "Specific, measurable, achievable, relevant and time-bound: what every action should be."),
    ("Improvement Notice", "A notice from the Department for Education setting out what the council must improve, "
                           "and by when, after an inadequate inspection."),
    ("Improvement Board", "The board, with an independent chair, council and partners, that oversees the plan monthly."),
    ("Scrutiny panel", "Elected councillors who question officers in public about how services perform."),
    ("LAC / CiC", "Looked after children, or children in care: children the council looks after."),
    ("CIN", "Child in need: a child who needs services to reach a reasonable standard of health or development."),
    ("CP", "Child protection: work to protect a child at risk of significant harm."),
    ("S47", "A child protection enquiry, under section 47 of the Children Act 1989."),
    ("IA / CA", "Initial assessment and core assessment of a child's needs."),
    ("MASH / MAST", "Multi-agency safeguarding (or screening) team at the front door, where contacts arrive."),
    ("LSCB / WSCB", "The local safeguarding children board, which coordinates safeguarding across agencies."),
    ("IRO", "Independent reviewing officer: reviews the care plan of each looked after child."),
    ("LADO", "Local authority designated officer: handles allegations against adults who work with children."),
    ("PLO", "Public law outline: the process before care proceedings in court."),
    ("CAF", "Common assessment framework: an early help assessment."),
    ("ASYE", "Assessed and supported year in employment: a newly qualified social worker's first year."),
    ("DCS", "Director of children's services."),
    ("DfE", "Department for Education."),
    ("SIF", "Ofsted's single inspection framework, introduced in November 2013."),
    ("QA", "Quality assurance: checking the quality of practice, for example by auditing case files."),
]


@dataclass(frozen=True)
class Entry:
    term: str
    meaning: str
    anchor: str = ""  # the entry's id on the page, set by glossary()


def _anchors(entries: list[Entry]) -> list[Entry]:
    """Each entry with an id of its own, no whitespace in it: 'Front door' and 'Front-door' are two terms."""
    seen: set[str] = set()
    out = []
    for e in entries:
        base = re.sub(r"\s", "-", e.term.lower().replace(" / ", "-"))
        anchor, n = base, 1
        while anchor in seen:
            n += 1
            anchor = f"{base}-{n}"
        seen.add(anchor)
        out.append(replace(e, anchor=anchor))
    return out


def level_entries(terms: Terms) -> list[Entry]:
    """The plan's two levels, defined in the council's words."""
    return [Entry(terms.Theme, f"One of the areas the plan is organised in. Each {terms.theme} has "
                               f"{terms.commitment_plural}, and each {terms.commitment} has actions."),
            Entry(terms.Commitment, f"A statement of what the plan will achieve under a {terms.theme}, "
                                    "with how we will know it is done.")]


def _pattern(part: str) -> re.Pattern[str]:
    """Whole words; an abbreviation (a single word with a digit or a capital after its first letter, like LADO,
    CiC or S47) matches only as written, other words in any case."""
    words = r"\s+".join(map(re.escape, part.split()))
    abbreviation = " " not in part and re.search(r"\d|.[A-Z]", part) is not None
    return re.compile(rf"(?<!\w){words}(?!\w)", 0 if abbreviation else re.IGNORECASE)


def used(term: str, text: str) -> bool:
    """Whether `text` uses the term, or either side of a term such as 'LAC / CiC'."""
    return any(_uses(part.strip(), text) for part in term.split("/") if part.strip())


def _uses(part: str, text: str) -> bool:
    pattern = _pattern(part)
    # An abbreviation matches only as written: where it is not even a substring (most terms, in most plans), there is
    # no need for the slower whole-word search through all of a big plan's text.
    if not pattern.flags & re.IGNORECASE and part not in text:
        return False
    return pattern.search(text) is not None


def _is_id(field: FieldInfo) -> bool:
    """An id or a reference to one (ROLE-DCS is no use of DCS): no reader sees it as text."""
    return holds_ids(field.annotation, field.metadata)


@cache
def _text_fields(cls: type[BaseModel]) -> tuple[str, ...]:
    """The fields of a model class that may hold text, worked out once per class rather than once per item."""
    return tuple(name for name, field in cls.model_fields.items()
                 if not _is_id(field) and name not in ("terms", "glossary"))


def _texts(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, BaseModel):
        for name in _text_fields(type(value)):
            yield from _texts(getattr(value, name))
    elif isinstance(value, list):
        for v in value:
            yield from _texts(v)


def content_text(plan: Plan) -> str:
    """Every text of the plan as given (titles, narratives, notes it carries, documents' bodies), one per line;
    not ids, references, enumerated values or the council's own terms and glossary."""
    docs = [d.body for d in plan.documents]
    return "\n".join([*_texts(plan.info), *(t for item in plan.items() for t in _texts(item)), *docs])


def glossary(plan: Plan) -> list[Entry]:
    """The glossary of one edition: `plan` must be that edition's projected plan."""
    assert plan.info is not None
    text = content_text(plan)
    entries = [Entry(t, m) for t, m in SITE_TERMS] + level_entries(plan.info.terms)
    entries += [Entry(t, m) for t, m in DEFAULT_TERMS if used(t, text)]
    own = [Entry(g.term, g.meaning) for g in plan.info.glossary]
    replaced = {e.term.casefold() for e in own}
    entries = [e for e in entries if e.term.casefold() not in replaced] + own
    return _anchors(sorted(entries, key=lambda e: (e.term.casefold(), e.term)))

"""The typed model of an improvement plan: what editors write in plan.yaml and front matter.

Field names follow the words councils use (see shared/DOMAIN.md). Every item has an `id` and an
`audience`; the defaults are documented in README.md and enforced here: plan items are public
unless marked `staff`, documents are staff unless marked `public`, risks are always staff, and
every `internal_note` and every role's `contact` is staff-only whatever the item's audience.

Each item remembers where it was written (`src`) so later rules can point at file, line, column.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from enum import Enum
from typing import Annotated, Any, ClassVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    WithJsonSchema,
)

from pydantic_core import PydanticCustomError

from .locations import Src

# --- scalar types ---------------------------------------------------------------------------

ID_PATTERN = r"^[A-Za-z][A-Za-z0-9._-]{0,63}$"
_ID_RE = re.compile(ID_PATTERN)
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


# Documented limits (see code S107): date arithmetic, gzip timestamps and SOURCE_DATE_EPOCH stay exact
# inside them, and sums, charts and percentages of numbers below a trillion cannot overflow.
FIRST_DAY, LAST_DAY = date(1970, 1, 1), date(2099, 12, 31)
MAX_NUMBER = 1e12


def in_range(day: date, shown: str = "") -> date:
    """A date the generator can count with; anything outside FIRST_DAY..LAST_DAY is a located S107."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise PydanticCustomError("out_of_range", "'{value}' is outside the supported dates {first} to {last}",
                                  {"value": shown or day.isoformat(), "first": FIRST_DAY.isoformat(),
                                   "last": LAST_DAY.isoformat()})
    return day


def _bounded(value: float) -> float:
    if abs(value) > MAX_NUMBER:
        raise PydanticCustomError("out_of_range", "'{value}' is outside the supported numbers -1e12 to 1e12",
                                  {"value": f"{value:g}"})
    return value


def _parse_date(value: Any) -> date:
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not _DATE_RE.match(value):
        raise ValueError(f"'{value}' is not a date (use YYYY-MM-DD)")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"'{value}' is not a date (use YYYY-MM-DD)") from None


def _check_id(value: str) -> str:
    if not _ID_RE.fullmatch(value):
        raise ValueError(
            f"'{value}' is not a valid id (start with a letter; then letters, digits, '.', '-' or '_')"
        )
    return value


Day = Annotated[
    date,
    BeforeValidator(_parse_date),
    AfterValidator(in_range),
    WithJsonSchema({"type": "string", "format": "date", "pattern": _DATE_RE.pattern}),
]
Id = Annotated[str, AfterValidator(_check_id), WithJsonSchema({"type": "string", "pattern": ID_PATTERN})]
Ref = Id  # a reference to another item's id; resolved by the validator
Text = Annotated[str, Field(min_length=1)]


_PERIOD_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?|/(\d{2}))?$")
PERIOD_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?|/\d{2})?$"


def period_bounds(period: str) -> tuple[date, date]:
    """First and last day of a period: 'YYYY-MM-DD', 'YYYY-MM', 'YYYY' or a financial year 'YYYY/YY'."""
    m = _PERIOD_RE.match(period)
    if not m:
        raise ValueError(period)
    year = int(m[1])
    if m[4] is not None:  # financial year April to March
        if (year + 1) % 100 != int(m[4]):
            raise ValueError(period)
        return date(year, 4, 1), date(year + 1, 3, 31)
    if m[2] is None:
        return date(year, 1, 1), date(year, 12, 31)
    month = int(m[2])
    if m[3] is None:
        if not 1 <= month <= 12:
            raise ValueError(period)
        return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    day = date(year, month, int(m[3]))
    return day, day


def _check_period(value: Any) -> str:
    text = str(value)
    try:
        first, last = period_bounds(text)
    except ValueError:
        raise ValueError(
            f"'{text}' is not a period (use YYYY-MM-DD, YYYY-MM, YYYY or a financial year such as 2012/13)"
        ) from None
    in_range(first, text), in_range(last, text)
    return text


Period = Annotated[
    str, BeforeValidator(_check_period), WithJsonSchema({"type": "string", "pattern": PERIOD_PATTERN})
]

def _check_url(value: str) -> str:
    # Browsers drop spaces and control characters inside a scheme ("java\tscript:"), so refuse them all.
    if re.search(r"[\x00-\x20\x7f]", value) or (
            not re.match(r"^(https?://|mailto:)", value, re.I) and re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", value)):
        shown = value.encode("unicode_escape").decode()
        raise ValueError(f"'{shown}' is not an allowed link (use an https:// address or a path in the site, "
                         "with no spaces)")
    return value


Url = Annotated[str, AfterValidator(_check_url)]


def _not_bool(kind: str):
    """YAML's true/false must not pass as 1/0 (pydantic's lax mode would take them)."""
    def check(value: Any) -> Any:
        if isinstance(value, bool):
            raise PydanticCustomError(kind, "not a number")
        return value
    return BeforeValidator(check)


Number = Annotated[float, _not_bool("float_type"), Field(allow_inf_nan=False), AfterValidator(_bounded),
                   WithJsonSchema({"type": "number", "minimum": -MAX_NUMBER, "maximum": MAX_NUMBER})]
Score = Annotated[int, _not_bool("int_type"), Field(ge=1, le=5)]


def add_months(day: date, months: int) -> date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# --- enumerations ---------------------------------------------------------------------------


class Audience(str, Enum):
    public = "public"
    staff = "staff"


class Status(str, Enum):
    """BRAG status of an action, recommendation or commitment update."""

    not_started = "not_started"
    red = "red"
    amber = "amber"
    green = "green"
    complete = "complete"

    @property
    def label(self) -> str:
        return {"not_started": "Not started"}.get(self.value, self.value.capitalize())


class Cadence(str, Enum):
    weekly = "weekly"
    fortnightly = "fortnightly"
    monthly = "monthly"
    quarterly = "quarterly"

    @property
    def days(self) -> int:
        return {"weekly": 7, "fortnightly": 14, "monthly": 31, "quarterly": 92}[self.value]


class Timescale(str, Enum):
    """How long a recommendation allows, counted from its source report's publication."""

    immediately = "immediately"
    within_1_month = "within_1_month"
    within_3_months = "within_3_months"
    within_6_months = "within_6_months"
    within_12_months = "within_12_months"

    @property
    def months(self) -> int:
        return {"immediately": 0, "within_1_month": 1, "within_3_months": 3,
                "within_6_months": 6, "within_12_months": 12}[self.value]

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class Priority(str, Enum):
    priority_and_immediate = "priority_and_immediate"
    area_for_improvement = "area_for_improvement"


class SourceKind(str, Enum):
    ofsted_inspection = "ofsted_inspection"
    improvement_notice = "improvement_notice"
    scrutiny_working_group = "scrutiny_working_group"
    peer_review = "peer_review"
    diagnostic = "diagnostic"
    other = "other"


class Unit(str, Enum):
    percent = "percent"
    days = "days"
    weeks = "weeks"
    count = "count"
    per_week = "per_week"
    per_month = "per_month"
    rate_per_10000 = "rate_per_10000"


class Better(str, Enum):
    higher = "higher"
    lower = "lower"


class Grade(str, Enum):
    outstanding = "outstanding"
    good = "good"
    adequate = "adequate"
    requires_improvement = "requires_improvement"
    inadequate = "inadequate"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class GradingKind(str, Enum):
    inspection = "inspection"
    diagnostic = "diagnostic"
    peer_review = "peer_review"


class DocumentKind(str, Enum):
    briefing = "briefing"
    board_report = "board_report"
    scrutiny_report = "scrutiny_report"
    minutes = "minutes"
    presentation = "presentation"
    dfe_report = "dfe_report"
    letter = "letter"
    page = "page"


class Trend(str, Enum):
    rising = "rising"
    steady = "steady"
    falling = "falling"


# --- building blocks ------------------------------------------------------------------------


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True, use_enum_values=False)


class Item(Model):
    """Something with an id that other items and documents can point at."""

    id: Id
    audience: Audience | None = Field(
        default=None, description="public or staff; unset means the kind's default (see README)"
    )
    internal_note: str | None = Field(default=None, description="staff-only note; never published")

    _src: Src = PrivateAttr(default_factory=Src.nowhere)
    kind: ClassVar[str] = "item"
    default_audience: ClassVar[Audience] = Audience.public

    @property
    def src(self) -> Src:
        return self._src

    @property
    def effective_audience(self) -> Audience:
        return self.audience or self.default_audience

    @property
    def is_public(self) -> bool:
        return self.effective_audience is Audience.public


class Evidence(Model):
    """A link backing an update: a web address or a document in this plan."""

    title: Text
    url: Url | None = None
    document: Ref | None = None


class Update(Model):
    """A dated status update with its narrative (a line in the status history)."""

    date: Day
    status: Status
    narrative: str = ""
    evidence: list[Evidence] = Field(default_factory=list)
    internal_note: str | None = Field(default=None, description="staff-only")


class Contact(Model):
    email: str | None = None
    phone: str | None = None


class Role(Item):
    """A post, not a person: sponsors, leads and owners are roles."""

    title: Text
    contact: Contact | None = Field(default=None, description="staff-only contact details")
    kind: ClassVar[str] = "role"


class Phase(Model):
    id: Id
    title: Text
    start: Day
    end: Day | None = None
    summary: str = ""


class Inspection(Model):
    title: Text
    framework: str = ""
    start: Day
    end: Day
    published: Day
    judgement: Grade
    source: Ref | None = None


class ImprovementNotice(Model):
    issued: Day
    summary: str = ""
    source: Ref | None = None


class Trigger(Model):
    inspection: Inspection
    improvement_notice: ImprovementNotice | None = None


class GovernanceBody(Model):
    id: Id
    name: Text
    role: Text
    meets: Text = Field(description="how often it meets, e.g. monthly")
    chair: Ref | None = Field(default=None, description="a role id")


# --- the council's own words ----------------------------------------------------------------

_WORD_RE = re.compile(r"^[^\W\d_](?:[^\W\d_]|[ '’-](?=[^\W\d_]))*$")
WORD_PATTERN = r"^[A-Za-z\u00C0-\u024F](?:[A-Za-z\u00C0-\u024F]|[ '’-](?=[A-Za-z\u00C0-\u024F]))*$"  # for editors


def _check_word(value: str) -> str:
    if not 1 <= len(value) <= 30:
        raise ValueError(f"'{value}' should be 1 to 30 characters long, not {len(value)}")
    if not _WORD_RE.match(value):
        raise ValueError(f"'{value}' is not a plain word (use letters, with single spaces, hyphens or "
                         "apostrophes between them)")
    return value


Word = Annotated[str, AfterValidator(_check_word),
                 WithJsonSchema({"type": "string", "minLength": 1, "maxLength": 30, "pattern": WORD_PATTERN})]


def plural(word: str) -> str:
    """English plural of a level's name (its last word): priority -> priorities, workstream -> workstreams."""
    if re.search(r"[^aeiou]y$", word, re.I):
        return word[:-1] + "ies"
    if re.search(r"(s|x|z|ch|sh)$", word, re.I):
        return word + "es"
    return word + "s"


def capital(word: str) -> str:
    """The form for headings and navigation: the first letter upper-case, the rest as the council wrote it."""
    return word[:1].upper() + word[1:]


class Terms(Model):
    """What the council calls the plan's two levels, as written in running text (lower case unless a name);
    the plurals default to the English plural. Every page, download header and guide page takes them from here."""

    theme: Word = Field(default="theme", description="the name of a top level, e.g. workstream or priority")
    themes: Word | None = Field(default=None, description="its plural, if not the singular with -s/-es/-ies")
    commitment: Word = Field(default="commitment", description="the name of the level under it, e.g. objective")
    commitments: Word | None = Field(default=None, description="its plural, if not the singular with -s/-es/-ies")

    @property
    def theme_plural(self) -> str:
        return self.themes or plural(self.theme)

    @property
    def commitment_plural(self) -> str:
        return self.commitments or plural(self.commitment)

    # Capitalised, for headings and navigation; named like the guide tokens they fill (%Theme% ...).
    @property
    def Theme(self) -> str:
        return capital(self.theme)

    @property
    def Themes(self) -> str:
        return capital(self.theme_plural)

    @property
    def Commitment(self) -> str:
        return capital(self.commitment)

    @property
    def Commitments(self) -> str:
        return capital(self.commitment_plural)

    def tokens(self) -> dict[str, str]:
        """The guide's tokens and the words that replace them."""
        return {"%theme%": self.theme, "%themes%": self.theme_plural, "%Theme%": self.Theme,
                "%Themes%": self.Themes, "%commitment%": self.commitment,
                "%commitments%": self.commitment_plural, "%Commitment%": self.Commitment,
                "%Commitments%": self.Commitments}

    def is_default(self) -> bool:
        return self == Terms()


def _check_term(value: str) -> str:
    """A glossary term is the word or abbreviation alone, on one line; its meaning goes in `meaning:`."""
    if not value.strip():
        raise ValueError("must not be empty")
    if "\n" in value:
        raise ValueError(f"'{value.splitlines()[0]} ...' should be on one line")
    if len(value) > 60:
        raise ValueError(f"'{value}' is {len(value)} characters long; a term has at most 60 (the word or "
                         "abbreviation alone: its meaning goes in `meaning:`)")
    return value


class GlossaryEntry(Model):
    term: Annotated[str, AfterValidator(_check_term),
                    WithJsonSchema({"type": "string", "minLength": 1, "maxLength": 60, "pattern": "^[^\n]+$"})]
    meaning: Text


class PlanInfo(Model):
    organisation: Text
    title: Text
    vision: str = ""
    as_at: Day = Field(description="the date the working plan speaks for; overdue and stale are judged at it")
    update_cadence: Cadence = Cadence.monthly
    phases: list[Phase] = Field(default_factory=list)
    trigger: Trigger
    governance: list[GovernanceBody] = Field(default_factory=list)
    illustrative_note: str = Field(
        default="", description="says which parts of the content are illustrative rather than reported"
    )
    terms: Terms = Field(default_factory=Terms, description="what the council calls its themes and commitments")
    glossary: list[GlossaryEntry] = Field(
        default_factory=list, description="the council's own glossary entries; each replaces a default of that term"
    )


class Theme(Item):
    title: Text
    sponsor: Ref
    operational_lead: Ref
    summary: str = ""
    kind: ClassVar[str] = "theme"


class SuccessCriterion(Model):
    text: Text
    measure: Ref | None = None


class Commitment(Item):
    theme: Ref
    statement: Text
    recommendations: list[Ref] = Field(default_factory=list)
    success_criteria: list[SuccessCriterion] = Field(default_factory=list)
    kind: ClassVar[str] = "commitment"


class Action(Item):
    commitment: Ref
    title: Text = Field(description="what will be done")
    lead: Ref = Field(description="a role id")
    target_date: Day
    updates: list[Update] = Field(default_factory=list)
    completed_on: Day | None = None
    kind: ClassVar[str] = "action"

    @property
    def latest(self) -> Update | None:
        return self.updates[-1] if self.updates else None

    @property
    def status(self) -> Status:
        return self.latest.status if self.latest else Status.not_started

    def is_overdue(self, as_at: date) -> bool:
        return self.status is not Status.complete and self.target_date < as_at

    def is_stale(self, as_at: date, cadence: Cadence) -> bool:
        if self.status is Status.complete:
            return False
        last = self.latest.date if self.latest else None
        return last is not None and (as_at - last) > timedelta(days=cadence.days)


class Source(Item):
    """A report that made recommendations: an inspection, notice, review or working group."""

    source_kind: SourceKind = Field(alias="type")
    title: Text
    published: Day
    url: Url | None = None
    kind: ClassVar[str] = "source"


class Recommendation(Item):
    source: Ref
    reference: Text
    text: Text
    service_area: Text
    timescale: Timescale | None = None
    due: Day | None = Field(default=None, description="only when the timescale is not one of the standard ones")
    priority: Priority | None = None
    progress: list[Update] = Field(default_factory=list)
    report_back: Day | None = Field(default=None, description="when it is reported back to the scrutiny panel")
    kind: ClassVar[str] = "recommendation"

    @property
    def latest(self) -> Update | None:
        return self.progress[-1] if self.progress else None

    @property
    def status(self) -> Status:
        return self.latest.status if self.latest else Status.not_started


class MeasureValue(Model):
    period: Period
    value: Number
    note: str = ""


class Baseline(Model):
    period: Period
    value: Number


class Target(Model):
    value: Number
    by: Day | None = None


class BreakdownRow(Model):
    label: Text
    values: list[Number]


class Breakdown(Model):
    """A small table, e.g. training compliance by division."""

    title: Text
    period: Period
    columns: list[Text]
    rows: list[BreakdownRow]


class Measure(Item):
    name: Text
    definition: Text
    unit: Unit
    better: Better
    baseline: Baseline | None = None
    target: Target | None = None
    values: list[MeasureValue] = Field(default_factory=list)
    source: str = ""
    headline: bool = False
    breakdowns: list[Breakdown] = Field(default_factory=list)
    kind: ClassVar[str] = "measure"


class Risk(Item):
    title: Text
    description: Text
    owner: Ref
    likelihood: Score
    impact: Score
    mitigation: Text
    trend: Trend
    review_date: Day
    kind: ClassVar[str] = "risk"
    default_audience: ClassVar[Audience] = Audience.staff

    @property
    def score(self) -> int:
        return self.likelihood * self.impact


class Judgement(Model):
    area: Text
    grade: Grade
    group: str = ""


class Grading(Item):
    title: Text
    date: Day
    grading_kind: GradingKind = Field(alias="type")
    source: Ref | None = None
    judgements: list[Judgement]
    kind: ClassVar[str] = "grading"


class Document(Item):
    """A Markdown document's front matter; the body is kept beside it."""

    title: Text
    date: Day
    document_kind: DocumentKind = Field(alias="type")
    summary: str = ""
    about: list[Ref] = Field(default_factory=list, description="ids of the plan items it speaks of")
    kind: ClassVar[str] = "document"
    default_audience: ClassVar[Audience] = Audience.staff
    _body: str = PrivateAttr(default="")
    _body_line: int = PrivateAttr(default=1)  # the file line the Markdown body starts on

    @property
    def body(self) -> str:
        return self._body


# The sections of plan.yaml that hold lists of items, and the model of each.
SECTIONS: dict[str, type[Item]] = {
    "roles": Role,
    "themes": Theme,
    "commitments": Commitment,
    "actions": Action,
    "sources": Source,
    "recommendations": Recommendation,
    "measures": Measure,
    "risks": Risk,
    "gradings": Grading,
}


class ItemLists(BaseModel):
    """The lists of items, shared by the file format and the loaded plan."""

    roles: list[Role] = Field(default_factory=list)
    themes: list[Theme] = Field(default_factory=list)
    commitments: list[Commitment] = Field(default_factory=list)
    actions: list[Action] = Field(default_factory=list)
    sources: list[Source] = Field(default_factory=list)
    recommendations: list[Recommendation] = Field(default_factory=list)
    measures: list[Measure] = Field(default_factory=list)
    risks: list[Risk] = Field(default_factory=list)
    gradings: list[Grading] = Field(default_factory=list)


class PlanFile(ItemLists):
    """The shape of plan.yaml (and, without `plan`, of each included file). Used for the JSON Schema."""

    model_config = Model.model_config
    include: list[str] = Field(default_factory=list,
                               description="further YAML files (paths from the root) whose sections are added")
    plan: PlanInfo


class Plan(ItemLists):
    """The whole plan once loaded: plan.yaml, its includes and the documents."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    info: PlanInfo | None
    documents: list[Document] = Field(default_factory=list)
    info_src: Src = Field(default_factory=Src.nowhere)

    broken: dict[str, str] = Field(default_factory=dict)  # id -> kind of items that failed their schema

    def items(self) -> list[Item]:
        return [*self.roles, *self.themes, *self.commitments, *self.actions, *self.sources,
                *self.recommendations, *self.measures, *self.risks, *self.gradings, *self.documents]

    def index(self) -> dict[str, Item]:
        return {item.id: item for item in self.items()}

    def recommendation_overdue(self, rec: Recommendation, as_at: date) -> bool:
        """Open and past its due date at `as_at`, whatever its colour."""
        due = self.due_date(rec)
        return bool(due and due < as_at and rec.status is not Status.complete)

    def due_date(self, rec: Recommendation) -> date | None:
        """A recommendation's due date: explicit, or its timescale counted from its source's publication."""
        if rec.due:
            return rec.due
        source = next((s for s in self.sources if s.id == rec.source), None)
        if source is None or rec.timescale is None:
            return None
        return add_months(source.published, rec.timescale.months)

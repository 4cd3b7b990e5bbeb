"""The typed model of an improvement plan: what editors write in plan.yaml and front matter.

Field names follow the words councils use (see shared/DOMAIN.md). Every item has an `id` and an
`audience`; the defaults are documented in README.md and enforced here: plan items are public
unless marked `staff`, documents are staff unless marked `public`, risks are always staff, and
every `internal_note` and every role's `contact` is staff-only whatever the item's audience.

Each item remembers where it was written (`src`) so later rules can point at file, line, column.
"""

from __future__ import annotations

import calendar
import functools
import re
import typing
from dataclasses import dataclass
from functools import cache
from datetime import date, timedelta
from enum import Enum
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    SerializerFunctionWrapHandler,
    WithJsonSchema,
    model_serializer,
)

from pydantic_core import PydanticCustomError, core_schema

from .locations import Src
from .plan_format import CURRENT_FORMAT

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
    if not isinstance(value, str):
        raise ValueError(f"'{value}' is not a date (use YYYY-MM-DD)")
    return _date_of(value)


@functools.lru_cache(maxsize=4096)
def _date_of(text: str) -> date:
    """The date written as `text` (YYYY-MM-DD). Remembered: a plan's monthly updates write the same dates over and
    over, and a date is immutable, so the fields written alike share one object (less time and memory)."""
    if not _DATE_RE.match(text):
        raise ValueError(f"'{text}' is not a date (use YYYY-MM-DD)")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"'{text}' is not a date (use YYYY-MM-DD)") from None


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
ID_SCHEMA = WithJsonSchema({"type": "string", "pattern": ID_PATTERN})  # marks ids and references to them
Id = Annotated[str, AfterValidator(_check_id), ID_SCHEMA]
# A reference to another item's id. Any text is taken here, so that a title or a person's name written where an
# id belongs is reported by the validator as an unknown reference, with the ids it could be (R202).
Ref = Annotated[str, Field(min_length=1), ID_SCHEMA]


def holds_ids(annotation: Any, metadata: Any = ()) -> bool:
    """Whether a field holds ids or references to them (in lists, unions or Annotated at any depth): values no
    reader takes as prose, and the guide shows as ids."""
    if ID_SCHEMA in metadata:
        return True
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) is Annotated and ID_SCHEMA in args[1:]:
        return True
    return any(holds_ids(a) for a in args)
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
# The constraint comes before the validator, so that pydantic writes it into the JSON Schema as minimum/maximum.
Score = Annotated[int, Field(ge=1, le=5), _not_bool("int_type")]


def add_months(day: date, months: int) -> date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# --- enumerations ---------------------------------------------------------------------------

ACRONYMS = {"dfe": "DfE", "dcs": "DCS", "ofsted": "Ofsted"}


def humanise(value: str) -> str:
    """An enumeration value as a label: words separated, the first capitalised, acronyms as written
    ('dfe_report' -> 'DfE report', never 'Dfe report'). Every enum label without a wording of its own uses it."""
    words = [ACRONYMS.get(w, w) for w in value.split("_")]
    return " ".join([words[0] if words[0] in ACRONYMS.values() else words[0].capitalize(), *words[1:]])


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
        return humanise(self.value)


class RecommendationStatusRule(str, Enum):
    """Whether a recommendation's status is the one entered in its progress or the one derived from its actions."""

    entered = "entered"
    derived = "derived"


class DueState(str, Enum):
    """Where a recommendation stands against its due date at the as-at date (computed, never entered)."""

    no_timescale = "no_timescale"
    not_yet_due = "not_yet_due"
    past_due_in_progress = "past_due_in_progress"
    overdue_no_progress = "overdue_no_progress"
    complete = "complete"

    @property
    def label(self) -> str:
        return {"no_timescale": "No timescale", "not_yet_due": "Not yet due",
                "past_due_in_progress": "Past due, in progress", "overdue_no_progress": "Overdue: no progress",
                "complete": "Complete"}[self.value]


class Priority(str, Enum):
    priority_and_immediate = "priority_and_immediate"
    area_for_improvement = "area_for_improvement"

    @property
    def label(self) -> str:
        return humanise(self.value)


class SourceKind(str, Enum):
    ofsted_inspection = "ofsted_inspection"
    improvement_notice = "improvement_notice"
    scrutiny_working_group = "scrutiny_working_group"
    peer_review = "peer_review"
    diagnostic = "diagnostic"
    deep_dive = "deep_dive"
    audit = "audit"
    monitoring_visit = "monitoring_visit"
    other = "other"

    @property
    def label(self) -> str:
        return humanise(self.value)


class FindingKind(str, Enum):
    """What a finding says of the service: a strength to keep, something to develop, or a concern."""

    strength = "strength"
    area_for_development = "area_for_development"
    concern = "concern"

    @property
    def label(self) -> str:
        return humanise(self.value)


class Unit(str, Enum):
    percent = "percent"
    days = "days"
    weeks = "weeks"
    count = "count"
    per_week = "per_week"
    per_month = "per_month"
    rate_per_10000 = "rate_per_10000"
    pounds = "pounds"


class Better(str, Enum):
    higher = "higher"
    lower = "lower"
    neutral = "neutral"


class Grade(str, Enum):
    outstanding = "outstanding"
    good = "good"
    adequate = "adequate"
    requires_improvement = "requires_improvement"
    inadequate = "inadequate"

    @property
    def label(self) -> str:
        return humanise(self.value)


class GradingKind(str, Enum):
    inspection = "inspection"
    diagnostic = "diagnostic"
    peer_review = "peer_review"

    @property
    def label(self) -> str:
        return humanise(self.value)


class DocumentKind(str, Enum):
    briefing = "briefing"
    board_report = "board_report"
    scrutiny_report = "scrutiny_report"
    minutes = "minutes"
    presentation = "presentation"
    dfe_report = "dfe_report"
    letter = "letter"
    page = "page"

    @property
    def label(self) -> str:
        return humanise(self.value)


class Trend(str, Enum):
    rising = "rising"
    steady = "steady"
    falling = "falling"

    @property
    def label(self) -> str:
        return humanise(self.value)


class Intervention(str, Enum):
    """How far the Department for Education has stepped in (the level of intervention)."""

    minimum_intervention = "minimum_intervention"
    improvement_notice = "improvement_notice"
    statutory_direction = "statutory_direction"
    commissioner = "commissioner"

    @property
    def label(self) -> str:
        return humanise(self.value)


class OversightKind(str, Enum):
    """Who oversees or supports the plan from outside the council's own boards."""

    independent_chair = "independent_chair"
    improvement_adviser = "improvement_adviser"
    dfe_adviser = "dfe_adviser"
    commissioner = "commissioner"
    improvement_partner = "improvement_partner"
    sector_led_partner = "sector_led_partner"
    other = "other"

    @property
    def label(self) -> str:
        return {"dfe_adviser": "DfE adviser", "sector_led_partner": "Sector-led partner"}.get(
            self.value, humanise(self.value))


class KeyDateKind(str, Enum):
    """What kind of event a key date on the plan's timeline is."""

    inspection = "inspection"
    report_published = "report_published"
    notice_issued = "notice_issued"
    dcs_in_post = "dcs_in_post"
    plan_approved = "plan_approved"
    submitted_to_dfe = "submitted_to_dfe"
    dfe_review = "dfe_review"
    dfe_approved = "dfe_approved"
    monitoring_visit = "monitoring_visit"
    scrutiny_report = "scrutiny_report"
    board_meeting = "board_meeting"
    other = "other"

    @property
    def label(self) -> str:
        return {"dcs_in_post": "Director in post", "submitted_to_dfe": "Submitted to the DfE",
                "dfe_review": "DfE review", "dfe_approved": "Approved by the DfE"}.get(
            self.value, humanise(self.value))


# What each allowed value means, in the editor's words: the one place the guide's "Every field" page reads
# (its test fails for a value without a meaning).
MEANINGS: dict[type[Enum], dict[str, str]] = {
    Audience: {"public": "shown in both editions", "staff": "shown only in the staff edition"},
    Status: {"not_started": "no work reported yet",
             "red": "off track: will not meet its target without help; needs a narrative",
             "amber": "at risk, with a plan to recover; needs a narrative",
             "green": "on track",
             "complete": "done; an action also needs `completed_on`"},
    Cadence: {"weekly": "an update at least every 7 days", "fortnightly": "an update at least every 14 days",
              "monthly": "an update at least every 31 days", "quarterly": "an update at least every 92 days"},
    Timescale: {"immediately": "a priority marker as well as a timescale: due `immediately_due_after_days` days "
                                "(30 unless the plan says otherwise) after the source report was published",
                "within_1_month": "due 1 month after the source report was published",
                "within_3_months": "due 3 months after the source report was published",
                "within_6_months": "due 6 months after the source report was published",
                "within_12_months": "due 12 months after the source report was published"},
    RecommendationStatusRule: {
        "entered": "each recommendation's status is the latest of its own `progress` entries; where the actions "
                   "that answer it disagree (D340), its page and the register show a flag",
        "derived": "each recommendation's status comes from the actions that answer it: none, or all not started: "
                   "not started; all complete: complete; else any red: red; else any amber: amber; else "
                   "(some green or complete): green"},
    DueState: {"no_timescale": "neither `timescale` nor `due` is given: no due date, never overdue",
               "not_yet_due": "open and its due date is on or after the as-at date",
               "past_due_in_progress": "open and past its due date, but its status is amber or green, or it is "
                                       "not started and an action that answers it is amber, green or complete",
               "overdue_no_progress": "open and past its due date, and its status is red, or not started with no "
                                      "answering action under way",
               "complete": "its status is complete"},
    Priority: {"priority_and_immediate": "Ofsted's \"priority and immediate action\"",
               "area_for_improvement": "Ofsted's \"area for improvement\""},
    SourceKind: {"ofsted_inspection": "an Ofsted inspection report",
                 "improvement_notice": "the Department for Education's improvement notice (or a direction)",
                 "scrutiny_working_group": "a report of the council's scrutiny working group or panel",
                 "peer_review": "a peer review, for example by another council",
                 "diagnostic": "a diagnostic or health check, for example by an adviser",
                 "deep_dive": "a deep dive: a close look at one service or theme",
                 "audit": "an audit, for example of case files",
                 "monitoring_visit": "an Ofsted monitoring visit",
                 "other": "any other report that made recommendations or findings"},
    FindingKind: {"strength": "something the source found working well",
                  "area_for_development": "something the source found should get better",
                  "concern": "something the source found worrying or unsafe"},
    Unit: {"percent": "a percentage, 0 to 100", "days": "a number of days", "weeks": "a number of weeks",
           "count": "a number of things: cases, children, staff", "per_week": "a number each week",
           "per_month": "a number each month", "rate_per_10000": "a rate per 10,000 children",
           "pounds": "money in pounds, shown £1,234 and £1.2m from a million; may be negative, as an overspend or "
                     "a deficit is"},
    Better: {"higher": "a higher figure is better (assessments in time)",
             "lower": "a lower figure is better (re-referrals)",
             "neutral": "neither direction is better (spend, demand): never judged against a target; the arrow "
                        "still shows which way the figure moved"},
    Grade: {"outstanding": "Ofsted's highest grade", "good": "Ofsted's second grade",
            "adequate": "Ofsted's third grade until November 2013 (D313)",
            "requires_improvement": "Ofsted's third grade from November 2013 (D313)",
            "inadequate": "Ofsted's lowest grade"},
    GradingKind: {"inspection": "judgements made by an Ofsted inspection",
                  "diagnostic": "judgements made by a diagnostic or self-assessment",
                  "peer_review": "judgements made by a peer review"},
    DocumentKind: {"briefing": "a briefing for staff or partners", "board_report": "a report to the Improvement Board",
                   "scrutiny_report": "a report to the scrutiny panel", "minutes": "the minutes of a meeting",
                   "presentation": "slides or notes of a presentation",
                   "dfe_report": "a report to the Department for Education, such as its six-monthly review",
                   "letter": "a letter", "page": "a page of the site that is not a report, such as \"How we report\""},
    Trend: {"rising": "the risk is growing", "steady": "the risk is neither growing nor falling",
            "falling": "the risk is falling"},
    Intervention: {"minimum_intervention": "the DfE watches progress but has issued no notice and set up no board",
                   "improvement_notice": "the DfE has issued an improvement notice (non-statutory)",
                   "statutory_direction": "the Secretary of State has directed the council under section 497A",
                   "commissioner": "a children's services commissioner has been appointed to decide how services "
                                   "are run"},
    OversightKind: {"independent_chair": "the independent chair of an improvement board",
                    "improvement_adviser": "an improvement adviser, for example from the DfE or the LGA",
                    "dfe_adviser": "an adviser appointed by the Department for Education",
                    "commissioner": "a children's services commissioner appointed by the DfE",
                    "improvement_partner": "another council (or trust) that supports the improvement",
                    "sector_led_partner": "a sector-led partner: a peer challenge, the LGA, a regional network",
                    "other": "anyone else who oversees or supports the plan"},
    KeyDateKind: {"inspection": "an inspection (its first day)", "report_published": "a report was published",
                  "notice_issued": "an improvement notice or direction was issued",
                  "dcs_in_post": "a Director of Children's Services took up post",
                  "plan_approved": "the plan was approved, by Cabinet or the council",
                  "submitted_to_dfe": "the plan or a report was sent to the DfE",
                  "dfe_review": "the DfE reviewed progress (for example its six-monthly review)",
                  "dfe_approved": "the DfE approved the plan", "monitoring_visit": "an Ofsted monitoring visit",
                  "scrutiny_report": "a report to (or a meeting of) the scrutiny panel",
                  "board_meeting": "a meeting of the improvement board or another governance body",
                  "other": "any other key date"},
}


# --- building blocks ------------------------------------------------------------------------


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True, use_enum_values=False)
    # Fields added after snapshot format 1 whose default is not None: left out of every dump while they hold their
    # default, so a published snapshot written before they existed serialises to the same bytes and item hashes.
    added_later: ClassVar[frozenset[str]] = frozenset()

    @model_serializer(mode="wrap")
    def _leave_out_later_defaults(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data = handler(self)
        for name, key, default in _later_defaults(type(self)):
            if getattr(self, name) == default:
                data.pop(key, None)
        return data


@cache
def _later_defaults(cls: type[Model]) -> tuple[tuple[str, str, Any], ...]:
    """Each of a class's `added_later` fields as (name, key in a dump, default), worked out once per class: asking
    pydantic for a default on every dump of every item was most of the time of dumping a big plan."""
    return tuple((name, cls.model_fields[name].alias or name,
                  cls.model_fields[name].get_default(call_default_factory=True)) for name in sorted(cls.added_later))


class Item(Model):
    """Something with an id that other items and documents can point at."""

    id: Id = Field(description="the item's id: unique across the whole plan; other items point at it")
    audience: Audience | None = Field(
        default=None, description="who may see it; left out, the kind's default"
    )
    internal_note: str | None = Field(default=None, description="staff-only note; never published")

    _src: Src = PrivateAttr(default_factory=Src.nowhere)
    kind: ClassVar[str] = "item"
    default_audience: ClassVar[Audience] = Audience.public

    @property
    def src(self) -> Src:
        return self.__pydantic_private__["_src"]  # as self._src, without pydantic's slower __getattr__

    @property
    def effective_audience(self) -> Audience:
        return self.audience or self.default_audience

    @property
    def is_public(self) -> bool:
        return self.effective_audience is Audience.public


class Evidence(Model):
    """A link backing an update: a web address or a document in this plan."""

    title: Text = Field(description="what the link is called on the page")
    url: Url | None = Field(default=None, description="an https:// address; give this or `document`, not both (D312)")
    document: Ref | None = Field(default=None, description="the id of a document in this plan; give this or `url`")


class Update(Model):
    """A dated status update with its narrative (a line in the status history)."""

    date: Day = Field(description="the day of the update")
    status: Status = Field(description="the status on that day")
    narrative: str = Field(default="", description="what happened and what comes next; red and amber need one (D303)")
    evidence: list[Evidence] = Field(default_factory=list, description="links that back the update")
    internal_note: str | None = Field(default=None, description="staff-only")


class Contact(Model):
    email: str | None = Field(default=None, description="an email address (a team's, not a person's)")
    phone: str | None = Field(default=None, description="a telephone number")


class Role(Item):
    """A post, not a person: sponsors, leads and owners are roles."""

    title: Text = Field(description="the post's title, such as Head of Safeguarding; never a person's name")
    contact: Contact | None = Field(default=None, description="staff-only contact details")
    kind: ClassVar[str] = "role"


class Phase(Model):
    id: Id = Field(description="the phase's id, unique across the whole plan")
    title: Text = Field(description="the phase's name")
    start: Day = Field(description="the day it starts")
    end: Day | None = Field(default=None, description="the day it ends; leave it out while the phase runs")
    summary: str = Field(default="", description="what the phase is for")


class Inspection(Model):
    title: Text = Field(description="the inspection's title as its report gives it")
    framework: str = Field(default="", description="the inspection framework, such as Single inspection framework")
    start: Day = Field(description="the first day of the inspection")
    end: Day = Field(description="the last day of the inspection")
    published: Day = Field(description="the day the report was published")
    judgement: Grade = Field(description="the overall judgement")
    source: Ref | None = Field(default=None, description="the id of the source that holds the report")


class ImprovementNotice(Model):
    issued: Day = Field(description="the day the notice was issued")
    summary: str = Field(default="", description="what the notice requires")
    source: Ref | None = Field(default=None, description="the id of the source that holds the notice")


class Trigger(Model):
    inspection: Inspection = Field(description="the inspection that led to the plan")
    improvement_notice: ImprovementNotice | None = Field(
        default=None, description="the Department for Education's notice, if one was issued"
    )


class GovernanceBody(Model):
    id: Id = Field(description="the body's id, unique across the whole plan")
    name: Text = Field(description="its name, such as Improvement Board")
    role: Text = Field(description="what it does")
    meets: Text = Field(description="how often it meets, e.g. monthly")
    chair: Ref | None = Field(default=None, description="a role id")


class Overseer(Model):
    """Someone outside the council's own boards who oversees or supports the plan: a partner council, an adviser,
    a commissioner, the board's independent chair."""

    kind: OversightKind = Field(description="what part they play")
    name: Text = Field(description="the post or organisation (never a person's name), such as Essex County Council")
    does: Text = Field(description="what they do for the plan, in a sentence")
    role: Ref | None = Field(default=None, description="a role id, when the post is one of the plan's roles")
    audience: Audience | None = Field(default=None, description="`staff` to leave it out of the public edition")

    @property
    def is_public(self) -> bool:
        return self.audience is not Audience.staff


class KeyDate(Model):
    """A key date of the plan's story; the About page lists them in date order, whatever order they are written in."""

    date: Day = Field(description="the day it happened (or is planned: later than `as_at`, it is shown as planned)")
    event: Text = Field(description="what happened, in a sentence")
    kind: KeyDateKind = Field(description="what kind of event it is")
    source: Ref | None = Field(default=None, description="the id of a source (report) about it")
    document: Ref | None = Field(default=None, description="the id of a document about it")
    audience: Audience | None = Field(default=None, description="`staff` to leave it out of the public edition")

    @property
    def is_public(self) -> bool:
        return self.audience is not Audience.staff


# --- the council's own words ----------------------------------------------------------------

_LETTER = r"[A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F]"  # Latin letters, accented ones too (not × or ÷)
WORD_PATTERN = rf"^{_LETTER}(?:{_LETTER}|[ '’-](?={_LETTER}))*$"  # one rule for the validator and for editors (schema)
_WORD_RE = re.compile(WORD_PATTERN)


def _check_word(value: str) -> str:
    if "\n" in value:  # "workstream\n" from a quoted or block scalar: `$` alone would let it through
        raise ValueError(f"'{(value.splitlines() or [''])[0]} ...' should be on one line")
    if not 1 <= len(value) <= 30:
        raise ValueError(f"'{value}' should be 1 to 30 characters long, not {len(value)}")
    if not _WORD_RE.fullmatch(value):
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


_WORD_RULE = "letters, with single spaces, hyphens or apostrophes between words; up to 30 characters"


class Terms(Model):
    """What the council calls the plan's two levels, as written in running text (lower case unless a name);
    the plurals default to the English plural. Every page, download header and guide page takes them from here."""

    theme: Word = Field(default="theme",
                        description=f"the name of a top level, e.g. workstream or priority ({_WORD_RULE})")
    themes: Word | None = Field(default=None, description="its plural, if not the singular with -s/-es/-ies")
    commitment: Word = Field(default="commitment",
                             description=f"the name of the level under it, e.g. objective ({_WORD_RULE})")
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
                    WithJsonSchema({"type": "string", "minLength": 1, "maxLength": 60, "pattern": "^[^\n]*\\S[^\n]*$"})] = Field(
        description="the word or abbreviation, as it is written in the plan (one line, at most 60 characters); "
                    "an entry with the same term as a built-in one replaces it")
    meaning: Text = Field(description="what it means, in a sentence")


def _check_email(value: str) -> str:
    # No '?', '&', '#', '%' or '/' either: in the statement's mailto: link they would add headers (a copy to
    # someone else, a subject) or cut the address short.
    if not re.fullmatch(r"[^@\s<>\"'(),;:?&#%/]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+", value):
        raise ValueError(f"'{value}' is not an email address (write it as name@example.gov.uk)")
    return value


def _check_web_address(value: str) -> str:
    if not re.match(r"^https?://[^/\s]", value, re.I):
        raise ValueError(f"'{value}' is not a web address (write the whole address, starting https://)")
    return _check_url(value)


class AccessibilityContact(Model):
    """How readers report an accessibility problem or ask for another format, and when the accessibility statement
    was prepared and reviewed: shown on the statement in both editions of every reporting point (the current
    statement, whichever point a reader is looking at)."""

    team: Text | None = Field(default=None, description="who answers, as a team or post (never a person's name), "
                                                         "such as the Children's Services Improvement Team")
    email: Annotated[str, AfterValidator(_check_email)] | None = Field(
        default=None, description="an email address for accessibility problems and requests (a team's, not a "
                                  "person's); give this or `url` (D470)")
    url: Annotated[str, AfterValidator(_check_web_address)] | None = Field(
        default=None, description="the https:// address of a contact form or page; give this or `email` (D470)")
    phone: Text | None = Field(default=None, description="a telephone number, with the hours it is answered")
    reply_days: Annotated[int, Field(ge=1, le=60), _not_bool("int_type")] | None = Field(
        default=None, description="within how many working days you reply to a request for another format")
    prepared: Day | None = Field(default=None, description="the day the statement was first prepared")
    reviewed: Day | None = Field(default=None, description="the day it was last reviewed")


class PlanInfo(Model):
    organisation: Text = Field(description="the council's name, shown on every page")
    title: Text = Field(description="the plan's title")
    vision: str = Field(default="", description="a sentence or two, shown on the home page")
    as_at: Day = Field(description="the date the working plan speaks for; overdue and stale are judged at it")
    update_cadence: Cadence = Field(
        default=Cadence.monthly,
        description="how often actions are updated: an open one whose last update is older at `as_at` is stale (D306)",
    )
    phases: list[Phase] = Field(default_factory=list, description="the plan's phases")
    trigger: Trigger = Field(description="what started the plan: the inspection and any improvement notice")
    governance: list[GovernanceBody] = Field(
        default_factory=list, description="the boards and panels that oversee the plan"
    )
    intervention: Intervention | None = Field(
        default=None, description="the level of intervention by the Department for Education")
    oversight: list[Overseer] = Field(
        default_factory=list, description="partners, advisers, commissioners and chairs who oversee or support the plan")
    timeline: list[KeyDate] = Field(default_factory=list, description="the plan's key dates, shown in date order")
    illustrative_note: str = Field(
        default="", description="says which parts of the content are illustrative rather than reported"
    )
    measure_age_limit_months: int = Field(
        default=6, ge=1, le=120,
        description="a headline measure whose latest reading ended more months than this before `as_at` is a "
                    "warning (D462)")
    terms: Terms = Field(default_factory=Terms, description="what the council calls its themes and commitments")
    glossary: list[GlossaryEntry] = Field(
        default_factory=list, description="the council's own glossary entries; each replaces a default of that term"
    )
    recommendation_status: RecommendationStatusRule = Field(
        default=RecommendationStatusRule.entered,
        description="`entered`: a recommendation's status is its own latest progress entry; `derived`: it comes "
                    "from the actions that answer it")
    immediately_due_after_days: Annotated[int, Field(ge=0, le=366), _not_bool("int_type")] = Field(
        default=30, description="how many days after its source's publication a recommendation with "
                                "`timescale: immediately` is due")
    accessibility: AccessibilityContact | None = Field(
        default=None, description="the accessibility statement's contact and dates: every version's statement "
                                  "shows the working plan's")
    added_later: ClassVar[frozenset[str]] = frozenset({
        "terms", "glossary", "oversight", "timeline", "measure_age_limit_months", "recommendation_status",
        "immediately_due_after_days"})

    def current_phase(self) -> Phase | None:
        """The phase whose dates contain `as_at` (the last such, if phases overlap)."""
        running = [p for p in self.phases if p.start <= self.as_at and (p.end is None or self.as_at <= p.end)]
        return running[-1] if running else None

    def key_dates(self) -> list[KeyDate]:
        """The timeline in date order; entries of one day keep the order they are written in."""
        return sorted(self.timeline, key=lambda k: k.date)


class Theme(Item):
    title: Text = Field(description="the theme's title")
    sponsor: Ref = Field(description="a role id: the senior sponsor")
    operational_lead: Ref = Field(description="a role id: who leads the work")
    summary: str = Field(default="", description="what the theme is about, shown on its page")
    kind: ClassVar[str] = "theme"


class SuccessCriterion(Model):
    text: Text = Field(description="how you will know it is done")
    measure: Ref | None = Field(default=None, description="the id of a measure that shows it")


class Commitment(Item):
    theme: Ref = Field(description="the id of the theme it belongs to")
    statement: Text = Field(description="what the council commits to")
    recommendations: list[Ref] = Field(default_factory=list, description="ids of the recommendations it answers")
    success_criteria: list[SuccessCriterion] = Field(default_factory=list, description="how you will know it is done")
    kind: ClassVar[str] = "commitment"


class TargetDateChange(Model):
    """One move of an action's target date: the date it moved from, when and why. Where it moved to is the next
    move's `from`, or for the last move the action's `target_date`, which stays the one truth."""

    on: Day = Field(description="the day the target date was moved")
    from_: Day = Field(alias="from", description="the target date before this move")
    reason: Text = Field(description="why it moved, in a sentence readers will see")


class Action(Item):
    commitment: Ref = Field(description="the id of the commitment it delivers")
    title: Text = Field(description="what will be done")
    lead: Ref = Field(description="a role id")
    target_date: Day = Field(
        description="when it should be done: an open action past it at `as_at` is overdue (D305)")
    updates: list[Update] = Field(
        default_factory=list, description="the status history, oldest first: add one at the end each month"
    )
    completed_on: Day | None = Field(
        default=None, description="the day it was completed; goes with the status complete (D301, D302)"
    )
    answers: list[Ref] = Field(
        default_factory=list, description="ids of the recommendations this action answers (it is listed as "
                                          "delivering each of them)")
    target_date_changes: list[TargetDateChange] = Field(
        default_factory=list, description="each move of `target_date`, oldest first: when, from which date and "
                                          "why; the last move is to the current `target_date` (D350, D351)")
    kind: ClassVar[str] = "action"
    added_later: ClassVar[frozenset[str]] = frozenset({"answers", "target_date_changes"})

    @property
    def moves(self) -> list[tuple[TargetDateChange, date]]:
        """Each recorded move with the date it moved to (the next move's `from`, the last one's `target_date`)."""
        tos = [c.from_ for c in self.target_date_changes[1:]] + [self.target_date]
        return list(zip(self.target_date_changes, tos))

    @property
    def original_target_date(self) -> date:
        return self.target_date_changes[0].from_ if self.target_date_changes else self.target_date

    @property
    def slipped_days(self) -> int:
        """Days from the first target date to the current one (negative: brought forward)."""
        return (self.target_date - self.original_target_date).days

    @property
    def times_slipped(self) -> int:
        """How many recorded moves put the target date later."""
        return sum(to > change.from_ for change, to in self.moves)

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
    """A report that made recommendations or findings: an inspection, notice, review, audit or working group."""

    source_kind: SourceKind = Field(alias="type", description="what kind of report it is")
    title: Text = Field(description="the report's title")
    published: Day = Field(description="the day it was published; recommendations' timescales count from it")
    url: Url | None = Field(default=None, description="an https:// address of the report")
    kind: ClassVar[str] = "source"


class Recommendation(Item):
    source: Ref = Field(description="the id of the source (report) that made it")
    reference: Text = Field(description="its number or reference in the report; quote a number: \"17\"")
    text: Text = Field(description="what the report asks for, as it says it")
    service_area: Text = Field(description="the service it concerns, such as Safeguarding services")
    timescale: Timescale | None = Field(
        default=None, description="when it is due, counted from the source's publication; give this or `due`, not "
                                  "both (D311); give neither when the report sets no timescale"
    )
    due: Day | None = Field(default=None, description="the day it is due, only when no standard timescale fits")
    priority: Priority | None = Field(default=None, description="the report's category for it")
    progress: list[Update] = Field(default_factory=list, description="dated progress, oldest first")
    report_back: Day | None = Field(default=None, description="when it is reported back to the scrutiny panel")
    kind: ClassVar[str] = "recommendation"

    @property
    def latest(self) -> Update | None:
        return self.progress[-1] if self.progress else None

    @property
    def status(self) -> Status:
        return self.latest.status if self.latest else Status.not_started


class Finding(Item):
    """What a diagnostic, deep dive, audit or visit found. Not a recommendation: it has no due date and no status
    of its own; its progress is the status of the actions that answer it (`answers:`)."""

    source: Ref = Field(description="the id of the source (report, audit, visit) that found it")
    finding_kind: FindingKind = Field(alias="type", description="what the finding says of the service")
    text: Text = Field(description="what was found, as the source says it")
    area: str = Field(default="", description="the service or team it concerns, such as Adoption")
    found: Day | None = Field(default=None, description="the day it was found, when it differs from the source's "
                                                        "publication")
    kind: ClassVar[str] = "finding"


class MeasureValue(Model):
    period: Period = Field(description="the period the figure is for; with `ytd: true`, the month the year to date "
                                       "runs to")
    value: Number | None = Field(default=None, description="the figure; leave it out for a reading without one, "
                                                           "and say what is known in `note` (D460)")
    note: str = Field(default="", description="a short note shown beside the figure, or the reading itself when "
                                              "there is no figure, such as 'improving since April'")
    ytd: bool = Field(default=False, description="true: the figure is for the financial year to date, from April to "
                                                 "the end of the month in `period` (D461)")
    added_later: ClassVar[frozenset[str]] = frozenset({"value", "ytd"})


class Baseline(Model):
    period: Period = Field(description="the period of the starting figure")
    value: Number = Field(description="the starting figure")


class Target(Model):
    value: Number = Field(description="the figure to reach")
    by: Day | None = Field(default=None, description="the day it should be reached by")


class BreakdownRow(Model):
    label: Text = Field(description="the row's label, such as a team")
    values: list[Number] = Field(description="one number for each column (D314)")


class Breakdown(Model):
    """A small table, e.g. training compliance by division."""

    title: Text = Field(description="the table's title")
    period: Period = Field(description="the period the table is for")
    columns: list[Text] = Field(description="the column headings")
    rows: list[BreakdownRow] = Field(description="the table's rows")


class Measure(Item):
    name: Text = Field(description="the measure's name")
    definition: Text = Field(description="exactly what is counted")
    unit: Unit = Field(description="what the figures count")
    better: Better = Field(description="which direction is an improvement")
    baseline: Baseline | None = Field(default=None, description="the starting point")
    target: Target | None = Field(default=None, description="the figure aimed for")
    values: list[MeasureValue] = Field(default_factory=list, description="the figures, oldest period first (D304)")
    source: str = Field(default="", description="where the figures come from, such as the case management system")
    headline: bool = Field(default=False, description="true: shown on the home page's scorecard")
    breakdowns: list[Breakdown] = Field(default_factory=list, description="small tables shown below the chart")
    kind: ClassVar[str] = "measure"


class Risk(Item):
    title: Text = Field(description="the risk in a few words")
    description: Text = Field(description="what could happen, and why")
    owner: Ref = Field(description="a role id: who owns the risk")
    likelihood: Score = Field(description="1 (rare) to 5 (almost certain)")
    impact: Score = Field(description="1 (minor) to 5 (severe); the score is likelihood times impact")
    mitigation: Text = Field(description="what is being done about it")
    trend: Trend = Field(description="which way the risk is moving")
    review_date: Day = Field(description="when it is next reviewed")
    kind: ClassVar[str] = "risk"
    default_audience: ClassVar[Audience] = Audience.staff

    @property
    def score(self) -> int:
        return self.likelihood * self.impact


class Judgement(Model):
    area: Text = Field(description="the area judged; quote it if it holds a comma")
    grade: Grade = Field(description="the grade given")
    group: str = Field(
        default="", description="a heading the area sits under; shown as a first column when any judgement has one"
    )


NOT_GRADED = "not_graded"
_GRADE_WORDS = ", ".join(g.value for g in Grade)


def _grid_error(code: str, message: str, hint: str = "") -> PydanticCustomError:
    """A grid cell's problem with its own code (D421, D422): reading.schema_diagnostics locates it at the cell."""
    return PydanticCustomError("grid_cell", message, {"code": code, "hint": hint})


def _grade_in_cell(value: Any, where: str) -> Grade:
    if isinstance(value, str):
        try:
            return Grade(value)
        except ValueError:
            pass
        def norm(text: str) -> str:
            return re.sub(r"[\s_-]+", "", text).casefold()
        near = next((g.value for g in Grade if norm(g.value) == norm(value)), None)
        if near is None and norm(value) == norm(NOT_GRADED):
            near = NOT_GRADED
        choices = _GRADE_WORDS if where else f"{_GRADE_WORDS} or {NOT_GRADED}"
        raise _grid_error("D421", f"{where}'{value}' is not a grade (use {choices})",
                          f"write it as '{near}'" if near else "")
    raise _grid_error("D421", f"{where}{value!r} is not a grade (use {_GRADE_WORDS})")


@dataclass(frozen=True)
class GridCell:
    """One cell of a diagnostic grid, written as a grade (`good`), a split (`[good, requires_improvement]`), counts
    of teams per grade (`{requires_improvement: 5, inadequate: 3}`) or `not_graded`. Read back to the same form."""

    grades: tuple[Grade, ...] = ()  # one grade, or two or more for a split
    counts: tuple[tuple[Grade, int], ...] = ()  # teams per grade, most teams first

    guide_words: ClassVar[str] = ("a grade, a split `[good, requires_improvement]`, counts "
                                  "`{requires_improvement: 5, good: 1}` or `not_graded`")

    @property
    def form(self) -> str:
        return "counts" if self.counts else "split" if len(self.grades) > 1 else "grade" if self.grades else NOT_GRADED

    @property
    def text(self) -> str:
        """The cell in words, never colour alone: 'Good', 'Split: good and requires improvement',
        '5 requires improvement, 3 inadequate, 1 good', 'Not graded'."""
        if self.counts:
            return ", ".join(f"{n} {g.label.lower()}" for g, n in self.counts)
        if len(self.grades) > 1:
            return "Split: " + " and ".join(g.label.lower() for g in self.grades)
        return self.grades[0].label if self.grades else "Not graded"

    def all_grades(self) -> tuple[Grade, ...]:
        return self.grades or tuple(g for g, _ in self.counts)

    @classmethod
    def parse(cls, value: Any, *, counts_allowed: bool = True) -> "GridCell":
        if isinstance(value, GridCell):
            return value
        if value == NOT_GRADED:
            return cls()
        if isinstance(value, list):
            grades = tuple(_grade_in_cell(v, "a split's ") for v in value)
            if len(grades) < 2 or len(set(grades)) != len(grades):
                raise _grid_error("D421", f"a split needs two or more different grades, not {len(grades)} "
                                  f"({', '.join(g.value for g in grades) or 'none'})",
                                  "write a single grade without brackets" if len(set(grades)) == 1 else "")
            return cls(grades=grades)
        if isinstance(value, dict):
            if not counts_allowed:
                raise _grid_error("D422", "is counts of teams, but an overall grade is one grade, a split or "
                                  f"{NOT_GRADED}", "give the service's overall grade, such as requires_improvement")
            if not value:
                raise _grid_error("D421", "counts need at least one grade with a number of teams")
            counts = []
            for key, n in value.items():
                grade = _grade_in_cell(key, "counts: ")
                if isinstance(n, bool) or not isinstance(n, int) or n < 1:
                    raise _grid_error("D421", f"counts: {grade.value} {n!r} is not a positive whole number of teams",
                                      "leave out a grade no team has" if n == 0 else "")
                counts.append((grade, n))
            # Most teams first, then down Ofsted's scale: the same order however the keys were written or stored
            # (snapshots sort their keys).
            return cls(counts=tuple(sorted(counts, key=lambda c: (-c[1], list(Grade).index(c[0])))))
        return cls(grades=(_grade_in_cell(value, ""),))

    def as_written(self) -> Any:
        if self.counts:
            return {g.value: n for g, n in self.counts}
        if len(self.grades) > 1:
            return [g.value for g in self.grades]
        return self.grades[0].value if self.grades else NOT_GRADED

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            cls.parse, serialization=core_schema.plain_serializer_function_ser_schema(lambda c: c.as_written()))

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: Any, handler: Any) -> dict[str, Any]:
        return _cell_schema(counts_allowed=True)


def _cell_schema(counts_allowed: bool) -> dict[str, Any]:
    grade = {"enum": [g.value for g in Grade]}
    forms = [grade, {"const": NOT_GRADED}, {"type": "array", "items": grade, "minItems": 2, "uniqueItems": True}]
    if counts_allowed:
        forms.append({"type": "object", "minProperties": 1, "additionalProperties": False,
                      "properties": {g.value: {"type": "integer", "minimum": 1} for g in Grade}})
    return {"anyOf": forms}


def _overall(value: Any) -> GridCell:
    return GridCell.parse(value, counts_allowed=False)


OverallCell = Annotated[GridCell, BeforeValidator(_overall), WithJsonSchema(_cell_schema(counts_allowed=False))]


class GridRow(Model):
    service: Text = Field(description="the service (or team) graded on this row")
    cells: list[GridCell] = Field(description="one cell for each domain, in the domains' order (D420); counts are "
                                              "shown most teams first")
    overall: OverallCell = Field(description="the service's overall grade: a grade, a split or `not_graded`, "
                                             "not counts (D422); not counted as a judgement")


class Grid(Model):
    domains: list[Text] = Field(min_length=1, description="the quality domains graded: the grid's columns")
    rows: list[GridRow] = Field(min_length=1, description="one row for each service, with a cell for each domain")

    def by_domain(self, service: str) -> dict[str | None, GridCell]:
        """A service's cells by domain, its overall under None (for showing two grids side by side)."""
        row = next(r for r in self.rows if r.service == service)
        return {**dict(zip(self.domains, row.cells)), None: row.overall}

    def same_shape(self, other: "Grid") -> bool:
        return set(self.domains) == set(other.domains) and {r.service for r in self.rows} == {
            r.service for r in other.rows}


class Grading(Item):
    title: Text = Field(description="the grading's title")
    date: Day = Field(description="the day the judgements were made")
    grading_kind: GradingKind = Field(alias="type", description="who made the judgements")
    source: Ref | None = Field(default=None, description="the id of the source (report) that made them")
    judgements: list[Judgement] = Field(default_factory=list,
                                        description="one for each area judged; give this, a `grid`, or both")
    grid: Grid | None = Field(default=None, description="a team diagnostic: services by quality domains")
    compare_with: Ref | None = Field(
        default=None, description="the id of an earlier grading whose grid has the same services and domains: "
                                  "the page shows each cell before and after (D423)")
    kind: ClassVar[str] = "grading"


class Document(Item):
    """A Markdown document's front matter; the body is kept beside it."""

    title: Text = Field(description="the document's title")
    date: Day = Field(description="its date; lists show the newest first")
    document_kind: DocumentKind = Field(alias="type", description="what kind of document it is")
    summary: str = Field(default="", description="a sentence shown in lists of documents")
    about: list[Ref] = Field(
        default_factory=list,
        description="ids of the items it speaks of (any kind of item; not a phase or a governance body)",
    )
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
    "findings": Finding,
}


class ItemLists(BaseModel):
    """The lists of items, shared by the file format and the loaded plan."""

    roles: list[Role] = Field(default_factory=list, description="the posts that sponsor, lead and own things")
    themes: list[Theme] = Field(default_factory=list, description="the main areas of work")
    commitments: list[Commitment] = Field(
        default_factory=list, description="what the council commits to under each theme"
    )
    actions: list[Action] = Field(default_factory=list, description="what will be done, with status histories")
    sources: list[Source] = Field(default_factory=list, description="the reports that made recommendations")
    recommendations: list[Recommendation] = Field(default_factory=list, description="what those reports asked for")
    measures: list[Measure] = Field(default_factory=list, description="the scorecard")
    risks: list[Risk] = Field(default_factory=list, description="the risk register (always staff-only)")
    gradings: list[Grading] = Field(default_factory=list, description="judgements on Ofsted's scale")
    findings: list[Finding] = Field(
        default_factory=list, description="what diagnostics, deep dives, audits and visits found")


class PlanFile(ItemLists):
    """The shape of plan.yaml (and, without `plan`, of each included file). Used for the JSON Schema."""

    model_config = Model.model_config
    format: Literal[CURRENT_FORMAT] = Field(  # read by plan_format.check_format, not by this model
        description="the format plan.yaml is written in; `improvement-plan migrate` rewrites an older plan")
    include: list[str] = Field(default_factory=list,
                               description="further YAML files (paths from the plan folder) whose lists are added")
    plan: PlanInfo = Field(description="the plan itself: only in plan.yaml")


class IncludedFile(ItemLists):
    """The shape of a file plan.yaml names under `include:`: item lists only. Used for its JSON Schema."""

    model_config = Model.model_config


@dataclass(frozen=True)
class Answering:
    """Which actions answer each recommendation, worked out in one pass over the actions (rather than one pass per
    recommendation, which made validating 20,000 actions take minutes)."""

    given: bool  # whether any action's `answers:` names a recommendation
    by_answers: dict[str, list[Action]]  # recommendation id -> the actions whose `answers:` names it
    by_commitment: dict[str, list[Action]]  # recommendation id -> the actions of the commitments that name it

    @classmethod
    def of(cls, plan: "Plan") -> "Answering":
        recs = {r.id for r in plan.recommendations}
        by_answers: dict[str, list[Action]] = {}
        named: dict[str, set[str]] = {}  # commitment id -> the recommendations it names
        for c in plan.commitments:
            named.setdefault(c.id, set()).update(c.recommendations)
        by_commitment: dict[str, list[Action]] = {}
        for a in plan.actions:
            for rid in dict.fromkeys(a.answers):
                by_answers.setdefault(rid, []).append(a)
            for rid in named.get(a.commitment, ()):
                by_commitment.setdefault(rid, []).append(a)
        return cls(bool(recs.intersection(by_answers)), by_answers, by_commitment)


class Plan(ItemLists):
    """The whole plan once loaded: plan.yaml, its includes and the documents."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    info: PlanInfo | None
    documents: list[Document] = Field(default_factory=list)
    info_src: Src = Field(default_factory=Src.nowhere)

    broken: dict[str, str] = Field(default_factory=dict)  # id -> kind of items that failed their schema
    # Set by project(): whether the whole plan's actions name recommendations, so a public edition whose only
    # `answers:` were on staff-only actions keeps the explicit rule instead of falling back to whole commitments.
    answers_given_in_full: bool | None = None
    # Set by project(): each recommendation's derived status, from the whole plan's answering actions (only for those
    # that have any). A recommendation's progress is a fact about it, so the public edition states the same status
    # and the same disagreement as the staff edition, though it may not show the staff-only actions behind them.
    derived_in_full: dict[str, tuple[Status, int]] | None = None  # id -> (derived status, answering actions)

    _answering: tuple[tuple[int, ...], Answering] | None = PrivateAttr(default=None)

    def answering(self) -> Answering:
        """The plan's Answering, kept while the lists it was worked out from are the same lists of the same length
        (a plan's items are complete before anything asks: reading.py appends them first)."""
        lists = (self.actions, self.recommendations, self.commitments)
        key = tuple(n for items in lists for n in (id(items), len(items)))
        if self._answering is None or self._answering[0] != key:
            self._answering = (key, Answering.of(self))
        return self._answering[1]

    def items(self) -> list[Item]:
        return [*self.roles, *self.themes, *self.commitments, *self.actions, *self.sources,
                *self.recommendations, *self.measures, *self.risks, *self.gradings, *self.findings, *self.documents]

    def index(self) -> dict[str, Item]:
        return {item.id: item for item in self.items()}

    @property
    def answers_given(self) -> bool:
        """Whether its actions say which recommendations they answer (any `answers:` naming a recommendation;
        answers that name only findings say nothing about recommendations)."""
        if self.answers_given_in_full is not None:
            return self.answers_given_in_full
        return self.answering().given

    def answering_actions(self, rec: Recommendation) -> list[Action]:
        """The actions whose `answers:` names it. A plan in which no action has `answers:` (one written before the
        field existed, such as a published snapshot) falls back to the actions of the commitments that name it."""
        answering = self.answering()
        acts = answering.by_answers if self.answers_given else answering.by_commitment
        return list(acts.get(rec.id, []))

    def derived_status(self, rec: Recommendation) -> Status:
        """The status its answering actions give it (the rule is MEANINGS[RecommendationStatusRule]["derived"])."""
        if self.derived_in_full is not None:
            return self.derived_in_full.get(rec.id, (Status.not_started, 0))[0]
        found = {a.status for a in self.answering_actions(rec)}
        if not found or found == {Status.not_started}:
            return Status.not_started
        if found == {Status.complete}:
            return Status.complete
        for worst in (Status.red, Status.amber):
            if worst in found:
                return worst
        return Status.green

    def recommendation_status(self, rec: Recommendation) -> Status:
        """Its status as the site shows it: entered or derived, as the plan chooses."""
        rule = self.info.recommendation_status if self.info else RecommendationStatusRule.entered
        return self.derived_status(rec) if rule is RecommendationStatusRule.derived else rec.status

    def status_disagreement(self, rec: Recommendation) -> str | None:
        """Why its entered status and its answering actions disagree, or None. Only an entered status can disagree,
        and only one side being complete (or not started) while the other is not counts: amber against green is a
        judgement, not a contradiction. A plan without `answers:` has no disagreement: a whole commitment's actions
        are too coarse to contradict a recommendation."""
        rule = self.info.recommendation_status if self.info else RecommendationStatusRule.entered
        acts = self.answering_actions(rec)
        answered = rec.id in self.derived_in_full if self.derived_in_full is not None else bool(acts)
        if rule is RecommendationStatusRule.derived or not answered or not self.answers_given:
            return None
        entered, derived = rec.status, self.derived_status(rec)
        # an edition that hides some of the actions behind the status names none of them
        hidden = self.derived_in_full is not None and len(acts) != self.derived_in_full[rec.id][1]
        states = "" if hidden else f" ({', '.join(f'{a.id} {a.status.label.lower()}' for a in acts)})"
        if (entered is Status.complete) != (derived is Status.complete) or \
                (entered is Status.not_started) != (derived is Status.not_started):
            return f"its status is {entered.label.lower()} but the actions that answer it say " \
                   f"{derived.label.lower()}{states}"
        return None

    def due_state(self, rec: Recommendation, as_at: date) -> DueState:
        """Where it stands against its due date (the rule is MEANINGS[DueState])."""
        status, due = self.recommendation_status(rec), self.due_date(rec)
        if status is Status.complete:
            return DueState.complete
        if due is None:
            return DueState.no_timescale
        if due >= as_at:
            return DueState.not_yet_due
        under_way = {Status.amber, Status.green, Status.complete}
        if status in (Status.amber, Status.green) or (
                status is Status.not_started and any(a.status in under_way for a in self.answering_actions(rec))):
            return DueState.past_due_in_progress
        return DueState.overdue_no_progress

    def recommendation_overdue(self, rec: Recommendation, as_at: date) -> bool:
        """Open and past its due date at `as_at`, in progress or not."""
        return self.due_state(rec, as_at) in (DueState.past_due_in_progress, DueState.overdue_no_progress)

    def due_date(self, rec: Recommendation) -> date | None:
        """A recommendation's due date: explicit, or its timescale counted from its source's publication (for
        `immediately`, the plan's `immediately_due_after_days`); None when it has neither."""
        if rec.due:
            return rec.due
        source = next((s for s in self.sources if s.id == rec.source), None)
        if source is None or rec.timescale is None:
            return None
        if rec.timescale is Timescale.immediately:
            days = self.info.immediately_due_after_days if self.info else 30
            return source.published + timedelta(days=days)
        return add_months(source.published, rec.timescale.months)

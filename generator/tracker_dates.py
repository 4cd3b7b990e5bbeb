"""Dates as councils write them in a tracker's cells: real dates, Excel serial numbers, text in the usual UK
forms, months, quarters (financial and calendar), financial years and ranges, and months with no year.

A date read from anything but a plain day says how it was read (`Read.how`), so the import can keep that as a
note beside the item: "'Q2 2015/16' read as 30 September 2015, the end of that quarter".
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime

from openpyxl.utils.datetime import from_excel

MONTHS = {name: n for n in range(1, 13)
          for name in {calendar.month_name[n].lower(), calendar.month_abbr[n].lower()}} | {"sept": 9}
_MONTH = "(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
# Words that stand where a date should be: an action still needs one; an optional date is simply not given.
PLACEHOLDERS = {"ongoing", "on going", "tbc", "tbd", "tba", "to be confirmed", "to be agreed", "n a", "na", "none",
                "various", "continuous", "continual", "as required", "ad hoc", "rolling", "open", "unknown"}
FIRST_YEAR, LAST_YEAR = 1970, 2099  # the plan's own range (S107)


@dataclass(frozen=True)
class Read:
    """A date and, when it was not read from a plain day, how ("the end of that quarter")."""

    day: date
    how: str = ""


class NotADate(ValueError):
    """Text that is not a date; `reason` says why when there is more to say than that."""

    def __init__(self, reason: str = "", placeholder: bool = False):
        super().__init__(reason)
        self.reason = reason
        self.placeholder = placeholder  # 'ongoing', 'TBC', 'n/a': no date was meant


def long(day: date) -> str:
    """30 September 2015: how the notes and messages name a day."""
    return f"{day.day} {calendar.month_name[day.month]} {day.year}"


def number_text(number: float) -> str:
    """A cell's number as Excel shows it in General format: 42277, 42277.75 (never 4.22778e+04)."""
    return str(int(number)) if float(number).is_integer() else repr(float(number))


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _year(text: str) -> int:
    n = int(text)
    return n if len(text) == 4 else (2000 + n if n < 70 else 1900 + n)


def _day(year: int, month: int, day: int) -> date:
    if not 1 <= month <= 12:
        raise NotADate(f"there is no month {month}")
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise NotADate(f"the year {year} is outside {FIRST_YEAR} to {LAST_YEAR}")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise NotADate(f"{calendar.month_name[month]} {year} has no day {day}")
    return date(year, month, day)


def from_serial(number: float, epoch: datetime) -> Read:
    """An Excel serial number (days since the workbook's epoch: 1900, or 1904 for old Mac workbooks)."""
    try:
        day = from_excel(int(number), epoch).date()  # openpyxl's: it knows Excel's 29 February 1900
    except (OverflowError, ValueError, AttributeError):
        raise NotADate(f"the number {number_text(number)} is not a date") from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise NotADate(f"the number {number_text(number)} is not a date (as an Excel date it would be {long(day)})")
    return Read(day, "an Excel date number")


def _end_of_fy_quarter(quarter: int, start_year: int) -> date:
    """The financial year runs April to March: Q1 Apr-Jun ... Q4 Jan-Mar of the next calendar year."""
    return month_end(start_year + (quarter == 4), (3 * quarter + 3 - 1) % 12 + 1)


def _financial_year(first: str, second: str) -> int | None:
    """The first calendar year of '2015/16' or '2015/2016', or None when the two are not consecutive."""
    start, end = _year(first), _year(second)
    return start if end == start + 1 else None


_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_DMY = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})")
_D_MON_Y = re.compile(rf"(\d{{1,2}})(?:st|nd|rd|th)?[ \-/.]*{_MONTH}[ \-/.,]*(\d{{4}}|\d{{2}})")
_MON_D_Y = re.compile(rf"{_MONTH} (\d{{1,2}})(?:st|nd|rd|th)?,? (\d{{4}})")
_MON_Y = re.compile(rf"{_MONTH}[ \-/.,']*(\d{{4}}|\d{{2}})")
_M_Y = re.compile(r"(\d{1,2})[/.\-](\d{4})")
_Y_M = re.compile(r"(\d{4})[/.\-](\d{1,2})")
_FY = re.compile(r"(?:fy ?)?(\d{4}|\d{2}) ?[/\-] ?(\d{4}|\d{2})")
_FY_Q = re.compile(r"(?:q|qtr|quarter) ?(\d) ?(?:of )?(?:fy ?)?(\d{4}|\d{2}) ?[/\-] ?(\d{4}|\d{2})")
_FY_Q2 = re.compile(r"(?:fy ?)?(\d{4}|\d{2}) ?[/\-] ?(\d{4}|\d{2}),? (?:q|qtr|quarter) ?(\d)")
_CAL_Q = re.compile(r"(?:q|qtr|quarter) ?(\d) ?(\d{4})")
_NO_YEAR = re.compile(rf"(?:(\d{{1,2}})(?:st|nd|rd|th)? (?:of )?)?{_MONTH}")
_LEAD = re.compile(r"^(?:(?:by|before|due|on|at|in|target|from)\b[ :]*)*(?:(?:the )?end (?:of )?)?")
_TIME = re.compile(r"(?:[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?: ?[ap]m)?)$")
_RANGE_SEP = re.compile(r" ?(?:-|–|—|\bto\b|\buntil\b|\btill\b|\bthrough\b) ?")


def _plain(text: str, day_first: bool) -> Read | None:
    """A single day written out: ISO, 30/09/2015, 30-09-15, 30.9.2015, 30 Sept 2015, September 30, 2015."""
    if m := _ISO.fullmatch(text):
        return Read(_day(int(m[1]), int(m[2]), int(m[3])))
    if m := _DMY.fullmatch(text):
        a, b, year = int(m[1]), int(m[2]), _year(m[3])
        day, month = (a, b) if day_first else (b, a)
        if month > 12 and day <= 12:  # 09/30/2015 can only be month first (or, day-first off, only day first)
            order = "month first" if day_first else "day first"
            return Read(_day(year, day, month), f"{order}, as there is no month {month}")
        return Read(_day(year, month, day))
    if m := _D_MON_Y.fullmatch(text):
        return Read(_day(_year(m[3]), MONTHS[m[2]], int(m[1])))
    if m := _MON_D_Y.fullmatch(text):
        return Read(_day(int(m[3]), MONTHS[m[1]], int(m[2])))
    return None


def _period(text: str) -> Read | None:
    """A month, quarter or financial year, read as its last day."""
    if m := _FY_Q.fullmatch(text) or _FY_Q2.fullmatch(text):
        quarter, first, second = (m[1], m[2], m[3]) if m.re is _FY_Q else (m[3], m[1], m[2])
        if not 1 <= int(quarter) <= 4:
            raise NotADate("a quarter is Q1 to Q4")
        start = _financial_year(first, second)
        if start is None:
            raise NotADate(f"{first}/{second} is not a financial year (write it as 2015/16)")
        return Read(_check(_end_of_fy_quarter(int(quarter), start)), "the end of that quarter")
    if m := _CAL_Q.fullmatch(text):
        if not 1 <= int(m[1]) <= 4:
            raise NotADate("a quarter is Q1 to Q4")
        return Read(_check(month_end(int(m[2]), 3 * int(m[1]))), "the end of that quarter")
    if m := _MON_Y.fullmatch(text):
        return Read(_check(month_end(_year(m[2]), MONTHS[m[1]])), "the end of that month")
    if m := _M_Y.fullmatch(text):
        if 1 <= int(m[1]) <= 12:
            return Read(_check(month_end(int(m[2]), int(m[1]))), "the end of that month")
    if m := _Y_M.fullmatch(text):
        start = _financial_year(m[1], m[2])
        if start is not None:
            return Read(_check(date(start + 1, 3, 31)), "the end of that financial year")
        if 1 <= int(m[2]) <= 12:
            return Read(_check(month_end(int(m[1]), int(m[2]))), "the end of that month")
    if m := _FY.fullmatch(text):
        start = _financial_year(m[1], m[2])
        if start is None:
            raise NotADate(f"{m[1]}/{m[2]} is not a financial year (write it as 2015/16)")
        return Read(_check(date(start + 1, 3, 31)), "the end of that financial year")
    return None


def _check(day: date) -> date:
    return _day(day.year, day.month, day.day)


def _one(text: str, day_first: bool) -> Read | None:
    return _plain(text, day_first) or _period(text)


def _range(text: str, day_first: bool) -> Read | None:
    """'Jan-Mar 2016', 'Jan 2016 - Mar 2016', 'April to June 2016', '01/04/2015 - 30/09/2015': the end."""
    for sep in _RANGE_SEP.finditer(text):
        start, end = text[: sep.start()].strip(), text[sep.end():].strip()
        if not start or not end:
            continue
        start_month = MONTHS.get(start)
        start_read = None if start_month else _safe(start, day_first)
        if start_month is None and start_read is None:
            continue
        got = _safe(end, day_first)
        if got is None and end in MONTHS and start_read is not None:  # 'Nov 2015 - Feb': the year after it
            year = start_read.day.year + (MONTHS[end] < start_read.day.month)
            got = Read(month_end(year, MONTHS[end]))
        if got is not None:
            return Read(got.day, "the end of that range")
    return None


def _safe(text: str, day_first: bool) -> Read | None:
    try:
        return _one(text, day_first)
    except NotADate:
        return None


def parse_date(written: str, day_first: bool = True, near: tuple[date, str] | None = None) -> Read:
    """The date `written` means, or NotADate. `near` (a day and how to name it: "the row's update date") gives
    the year of a month written without one ("end of September"): the one that puts it nearest that day."""
    text = " ".join(written.replace("\u00a0", " ").lower().split()).strip(" .,;:")
    text = text.replace("\u2019", "'").replace("\u2013", "-").replace("\u2014", "-")
    text = _TIME.sub("", text)  # '30/09/2015 00:00', as a CSV saved from Excel may give a date
    if not text:
        raise NotADate("it is empty")
    words = re.sub(r"[^a-z0-9]+", " ", text).strip()
    if words in PLACEHOLDERS or text in {"-", "?", "n/a", "tbc."}:
        raise NotADate(placeholder=True)
    bare = _LEAD.sub("", text).strip() or text
    for candidate in dict.fromkeys((text, bare)):
        got = _one(candidate, day_first) or _range(candidate, day_first)
        if got is not None:
            return got
    if m := _NO_YEAR.fullmatch(bare):
        if near is None:
            raise NotADate("it has no year, and the row has no update date to take one from")
        month = MONTHS[m[2]]
        options = [month_end(y, month) if m[1] is None else _day(y, month, int(m[1]))
                   for y in (near[0].year - 1, near[0].year, near[0].year + 1)]
        day = min(options, key=lambda d: (abs((d - near[0]).days), d < near[0]))  # a tie: the later one
        what = "that day" if m[1] else "the end of that month"
        return Read(day, f"{what}, in the year that puts it nearest {near[1]} ({long(near[0])})")
    if re.fullmatch(r"(?:q|qtr|quarter) ?\d", bare):
        raise NotADate("it has no year (write Q2 2015/16 for a financial year's quarter)")
    aside = re.search(r"\s*\([^()]*\)", written)
    if aside and (rest := (written[:aside.start()] + written[aside.end():]).strip()):
        # 'March 2016 (revised from Dec 2015)': the date, and a note that the words in brackets were left out
        got = parse_date(rest, day_first, near)
        left_out = f"leaving out '{aside[0].strip()}'"
        return Read(got.day, f"{got.how}, {left_out}" if got.how else left_out)
    raise NotADate()

"""Measures as real scorecards hold them (issue 10, "Measures"): readings without a figure, money, year-to-date
readings, a neutral direction, an arrow that follows the number beside a word that says the judgement, and the
age of the latest reading. Rules, both editions' scorecard and measure pages, and measures.csv, exactly."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from generator.model import Better, Measure, MeasureValue, Unit
from generator.present import fmt_period, fmt_value, months_before, reading
from generator.project import PUBLIC, STAFF, project
from generator.render import SiteData, _env, downloads, render_site
from generator.reporting import Version
from generator.validate import validate
from plan_edits import PLAN, Replace, edited, locate

MEASURES = """  - id: M2
    name: Agency social worker spend
    definition: Spent on agency social workers.
    unit: pounds
    better: lower
    headline: true
    target: {value: 1000000}
    values:
      - {period: 2012/13, value: 1500000}
      - {period: 2013-04, value: 200000, ytd: true}
      - {period: 2013-05, value: 420000, ytd: true}
  - id: M3
    name: Budget forecast variance
    definition: Forecast outturn against budget; an overspend is negative.
    unit: pounds
    better: neutral
    audience: staff
    target: {value: 0}
    values:
      - {period: 2013-04, value: -2000000}
      - {period: 2013-05, value: -1800000}
  - id: M4
    name: Supervision to standard
    definition: Supervision files audited as meeting the standard.
    unit: percent
    better: higher
    headline: true
    target: {value: 80}
    values:
      - {period: 2012-10, value: 60}
      - {period: 2012-12, note: improving since October}
risks:
"""


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    return edited(tmp_path_factory.mktemp("measures"), Replace("\nrisks:\n", "\n" + MEASURES))


def site(root: Path, edition) -> tuple[dict[str, str], dict[str, str]]:
    plan, diags = validate(root)
    assert [d.text() for d in diags] == []
    data = SiteData(project(plan, edition), edition, Version("draft", "Draft", date(2013, 7, 1), True))
    return {p.path: p.body for p in render_site(data).pages}, downloads(data)


def row(html: str, measure_id: str) -> str:
    start = html.index(f'<tr><td><a href="{measure_id}/">')
    return html[start:html.index("</tr>", start) + 5]


# --- rules --------------------------------------------------------------------------------------


def test_money_may_be_negative_and_a_reading_may_be_a_note_alone(root):
    assert validate(root)[1] == []


def test_negative_figures_stay_refused_for_every_unit_but_money(tmp_path):
    plan_root = edited(tmp_path, Replace("\nrisks:\n", "\n" + MEASURES),
                       Replace("{period: 2013-04, value: -2000000}", "{period: 2013-04, value: -2}"),
                       Replace("    unit: pounds\n    better: neutral", "    unit: count\n    better: neutral"))
    assert [(d.file, d.line, d.col, d.code, d.message) for d in validate(plan_root)[1]] == [
        (PLAN, *locate(plan_root, PLAN, "-2}"), "D308",
         "measure M3 value -2 for 2013-04 cannot be negative for a measure in count"),
        (PLAN, *locate(plan_root, PLAN, "-1800000}"), "D308",
         "measure M3 value -1.8e+06 for 2013-05 cannot be negative for a measure in count")]


# --- how values and periods read ----------------------------------------------------------------


@pytest.mark.parametrize("value, shown", [
    (0, "£0"), (1234, "£1,234"), (1234.5, "£1,234.50"), (999_999, "£999,999"), (1_000_000, "£1m"),
    (1_250_000, "£1.2m"), (1_500_000, "£1.5m"), (2_000_000_000, "£2bn"), (-1_800_000, "\u2212£1.8m"),
    (-250, "\u2212£250")])
def test_money_reads_as_a_scorecard_prints_it(value, shown):
    assert fmt_value(value, Unit.pounds) == shown


@pytest.mark.parametrize("period, ytd, shown", [
    ("2013-08", True, "2013/14 year to date (to August 2013)"),
    ("2014-03", True, "2013/14 year to date (to March 2014)"),
    ("2013-04", True, "2013/14 year to date (to April 2013)"),
    ("2013-08", False, "2013-08"), ("2013/14", False, "2013/14")])
def test_year_to_date_is_named_by_its_financial_year(period, ytd, shown):
    assert fmt_period(MeasureValue(period=period, value=1, ytd=ytd)) == shown


@pytest.mark.parametrize("period, as_at, months", [
    ("2013-04", date(2013, 6, 30), 2), ("2013-04", date(2013, 7, 1), 2), ("2013-04", date(2013, 7, 31), 3),
    ("2012/13", date(2014, 5, 31), 14), ("2013-07", date(2013, 7, 1), 0), ("2013-08", date(2013, 7, 1), 0)])
def test_age_counts_whole_months_from_the_end_of_the_period(period, as_at, months):
    assert months_before(MeasureValue(period=period, value=1), as_at) == months


UP, DOWN = '<span aria-hidden="true">▲ </span>', '<span aria-hidden="true">▼ </span>'


@pytest.mark.parametrize("better, first, second, shown", [
    ("higher", 1, 2, f'<span class="ip-trend ip-trend--better">{UP}Up 1 since April 2013 — better (higher is better)</span>'),
    ("higher", 2, 1, f'<span class="ip-trend ip-trend--worse">{DOWN}Down 1 since April 2013 — worse (higher is better)'
                     '</span>'),
    ("higher", 2, 2, '<span class="ip-trend">No change since April 2013</span>'),
    ("lower", 1, 2, f'<span class="ip-trend ip-trend--worse">{UP}Up 1 since April 2013 — worse (lower is better)</span>'),
    ("lower", 2, 1, f'<span class="ip-trend ip-trend--better">{DOWN}Down 1 since April 2013 — better (lower is better)'
                    '</span>'),
    ("lower", 2, 2, '<span class="ip-trend">No change since April 2013</span>'),
    ("neutral", 1, 2, f'<span class="ip-trend ip-trend--neutral">{UP}Up 1 since April 2013 — changed, not judged '
                      '(neither direction is better)</span>'),
    ("neutral", 2, 1, f'<span class="ip-trend ip-trend--neutral">{DOWN}Down 1 since April 2013 — changed, not judged '
                      '(neither direction is better)</span>'),
    ("neutral", 2, 2, '<span class="ip-trend">No change since April 2013</span>'),
])
def test_the_arrow_follows_the_number_and_the_word_says_the_judgement(better, first, second, shown):
    m = Measure(id="M9", name="M", definition="D", unit=Unit.count, better=Better(better),
                values=[MeasureValue(period="2013-04", value=first), MeasureValue(period="2013-05", value=second)])
    macros = _env().get_template("_macros.html.j2").module
    assert str(macros.trend(reading(m))).strip() == shown


@pytest.mark.parametrize("values, target, judged, trend", [
    ([], 80, "Not judged: no readings yet", "No readings"),
    ([], None, "No target", "No readings"),
    ([{"period": "2013-04", "value": 90}], None, "No target", "One reading"),
    ([{"period": "2013-04", "value": 90}], 80, "Meets target", "One reading"),
    ([{"period": "2013-04", "value": 70}, {"period": "2013-05", "note": "better"}], 80,
     "Not judged: latest reading has no figure", "No figure to compare"),
    ([{"period": "2013-04", "value": 70}, {"period": "2013-05", "note": "better"}], None, "No target",
     "No figure to compare"),
    ([{"period": "2013-04", "note": "started"}, {"period": "2013-05", "value": 70}], 80, "Short of target",
     "One reading"),
    ([{"period": "2013/14", "value": 70}, {"period": "2014-05", "value": 10, "ytd": True}], None, "No target",
     "Not comparable: year to date beside a whole period"),
])
def test_no_target_and_one_reading_are_said_only_when_true(values, target, judged, trend):
    m = Measure.model_validate({"id": "M9", "name": "M", "definition": "D", "unit": "percent", "better": "higher",
                                "values": values, **({"target": {"value": target}} if target else {})})
    macros = _env().get_template("_macros.html.j2").module
    assert _text(macros.judged(reading(m))) == judged and _text(macros.trend(reading(m))) == trend


def _text(html) -> str:
    return re.sub(r"<[^>]+>", "", str(html)).strip()


# --- pages, both editions -----------------------------------------------------------------------


def test_scorecard_in_both_editions(root):
    for edition in (PUBLIC, STAFF):
        pages, _ = site(root, edition)
        html = pages["measures/index.md"]
        assert row(html, "M2") == (
            '<tr><td><a href="M2/">Agency social worker spend</a> </td>\n'
            '<td>£420,000 <span class="ip-muted">(2013/14 year to date (to May 2013))</span><br>'
            '<span class="ip-muted">latest reading 1 month before this reporting point</span></td>\n'
            '<td>£200,000 <span class="ip-muted">(2013/14 year to date (to April 2013))</span></td>\n'
            '<td>£1m</td>\n<td>Lower</td><td><span class="ip-tag ip-judge ip-judge--met">Meets target</span>\n'
            '</td><td><span class="ip-trend ip-trend--worse"><span aria-hidden="true">▲ </span>'
            'Up £220,000 since 2013/14 year to date (to April 2013) — worse (lower is better)</span>\n</td></tr>')
        assert row(html, "M4") == (
            '<tr><td><a href="M4/">Supervision to standard</a> </td>\n'
            '<td>improving since October <span class="ip-muted">(December 2012)</span><br>'
            '<span class="ip-muted">latest reading 6 months before this reporting point</span></td>\n'
            '<td>60% <span class="ip-muted">(October 2012)</span></td>\n<td>80%</td>\n<td>Higher</td>'
            '<td><span class="ip-tag ip-judge ip-judge--none">Not judged: latest reading has no figure</span>\n'
            '</td><td><span class="ip-trend">No figure to compare</span>\n</td></tr>')
    public, staff = site(root, PUBLIC)[0], site(root, STAFF)[0]
    assert "M3/" not in public["measures/index.md"] and "measures/M3.md" not in public
    assert row(staff["measures/index.md"], "M3") == (
        '<tr><td><a href="M3/">Budget forecast variance</a> <span class="ip-tag ip-staff">Staff only</span></td>\n'
        '<td>\u2212£1.8m <span class="ip-muted">(May 2013)</span><br>'
        '<span class="ip-muted">latest reading 1 month before this reporting point</span></td>\n'
        '<td>\u2212£2m <span class="ip-muted">(April 2013)</span></td>\n<td>£0</td>\n<td>Neither</td>'
        '<td><span class="ip-tag ip-judge ip-judge--none">Not judged: neither direction is better</span>\n'
        '</td><td><span class="ip-trend ip-trend--neutral"><span aria-hidden="true">▲ </span>'
        'Up £200,000 since April 2013 — changed, not judged (neither direction is better)</span>\n</td></tr>')


def test_measure_page_shows_readings_without_a_figure_and_never_plots_them(root):
    for edition in (PUBLIC, STAFF):
        page = site(root, edition)[0]["measures/M4.md"]
        assert ("<dt>Latest</dt><dd>improving since October (December 2012); latest reading 6 months before this "
                "reporting point</dd>") in page
        assert ("<tr><td>October 2012</td><td>60%</td><td>–</td></tr>\n"
                "<tr><td>December 2012</td><td>No figure</td><td>improving since October</td></tr>") in page
        assert page.count('<circle class="point"') == 2 and ">Dec 2012<" not in page  # once in each drawing
        assert page.count("over 1 reading; higher is better; target 80%.</desc>") == 2
        m2 = site(root, edition)[0]["measures/M2.md"]
        assert "<tr><td>2013/14 year to date (to May 2013)</td><td>£420,000</td><td>–</td></tr>" in m2
        assert m2.count(">May 2013 YTD</text>") == 2


def test_neutral_measure_page_draws_no_target_and_judges_nothing(root):
    page = site(root, STAFF)[0]["measures/M3.md"]
    assert "<dt>Better is</dt><dd>Neither direction</dd>" in page
    assert '<line class="target"' not in page and "neither direction is better." in page
    assert ("<figcaption>Latest reading: May 2013, 1 month before this reporting point. The dotted line marks this "
            "reporting point, 1 July 2013. Each reading is placed at the middle of the period it covers. The same "
            "figures are in the table below.</figcaption>") in page


def test_measures_csv_says_what_the_page_shows(root):
    public = site(root, PUBLIC)[1]["downloads/measures.csv"].splitlines()
    staff = site(root, STAFF)[1]["downloads/measures.csv"].splitlines()
    point = ",draft,Draft,2013-07-01"
    assert public == [
        "id,measure,unit,better,period,period_start,period_end,value,target,source,ytd,value_shown,note,"
        "reporting_point,reporting_point_title,reporting_point_date",
        "M1,Core assessments in timescale,percent,higher,2012-11 (month),2012-11-01,2012-11-30,21.6,80,,no,21.6%,"
        + point,
        "M1,Core assessments in timescale,percent,higher,2013-04 (month),2013-04-01,2013-04-30,85.4,80,,no,85.4%,"
        + point,
        "M2,Agency social worker spend,pounds,lower,2012/13 (financial year),2012-04-01,2013-03-31,1500000,1000000,,"
        "no,£1.5m," + point,
        "M2,Agency social worker spend,pounds,lower,2013/14 year to date (to April 2013),2013-04-01,2013-04-30,"
        '200000,1000000,,yes,"£200,000",' + point,
        "M2,Agency social worker spend,pounds,lower,2013/14 year to date (to May 2013),2013-04-01,2013-05-31,"
        '420000,1000000,,yes,"£420,000",' + point,
        "M4,Supervision to standard,percent,higher,2012-10 (month),2012-10-01,2012-10-31,60,80,,no,60%," + point,
        "M4,Supervision to standard,percent,higher,2012-12 (month),2012-12-01,2012-12-31,,80,,no,,improving since "
        "October" + point]
    assert staff == public[:6] + [
        "M3,Budget forecast variance,pounds,neutral,2013-04 (month),2013-04-01,2013-04-30,-2000000,0,,no,\u2212£2m,"
        + point,
        "M3,Budget forecast variance,pounds,neutral,2013-05 (month),2013-05-01,2013-05-31,-1800000,0,,no,"
        "\u2212£1.8m," + point] + public[6:]


def test_old_plans_dump_as_before(root):
    plan = validate(root)[0]
    m1 = plan.measures[0].values[0].model_dump(by_alias=True)
    assert m1 == {"period": "2012-11", "value": 21.6, "note": ""}
    assert "measure_age_limit_months" not in plan.info.model_dump(by_alias=True)

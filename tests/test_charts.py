"""Charts on a time axis (issue 11, part 5): readings placed by date, nice ticks on the value axis, labels that
never overlap (checked on the boxes the layout computes from font size and length), the age of the last reading,
and trend wording that says the direction apart from the judgement."""

from __future__ import annotations

import re
from datetime import date
from itertools import combinations

import pytest

from generator.charts import (NARROW, WIDE, Box, Layout, latest_text, layout, measure_chart, nice_ticks, reading_day,
                              report_marked, sparkline, tick_text, value_ticks)
from generator.model import Measure, MeasureValue, Unit
from generator.present import period_name, reading, trend_text


def measure(values, unit="count", better="higher", target=None) -> Measure:
    return Measure.model_validate({"id": "M9", "name": "Caseload", "definition": "D", "unit": unit, "better": better,
                                   "values": [v if isinstance(v, dict) else {"period": v[0], "value": v[1]}
                                              for v in values],
                                   **({"target": {"value": target}} if target is not None else {})})


# --- the value axis ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("figures, unit, ticks", [
    ([12.6], Unit.count, [0, 5, 10, 15]),  # one reading: round steps from zero, never 6.3/12.6/19
    ([12.6], Unit.days, [0, 5, 10, 15]),
    ([21.6, 50.5, 85.4, 80], Unit.percent, [0, 20, 40, 60, 80, 100]),
    ([40], Unit.percent, [0, 20, 40, 60, 80, 100]),
    ([95.1, 96.3, 97.2], Unit.percent, [95, 95.5, 96, 96.5, 97, 97.5]),  # 0-100 would flatten them
    ([1000, 1050, 1100], Unit.count, [1000, 1020, 1040, 1060, 1080, 1100]),
    ([18, 20, 22], Unit.count, [0, 5, 10, 15, 20, 25]),
    ([50, 50, 50], Unit.count, [0, 10, 20, 30, 40, 50]),  # all equal: a flat line on the full scale
    ([0, 0], Unit.count, [0, 1]),
    ([1, 2], Unit.count, [0, 1, 2]),  # whole numbers get whole steps
    ([1.66, 0.86, 1], Unit.days, [0, 0.5, 1, 1.5, 2]),
    ([-2_000_000, -1_800_000], Unit.pounds, [-2_000_000, -1_500_000, -1_000_000, -500_000, 0]),
    ([1_500_000, 200_000, 420_000, 1_000_000], Unit.pounds, [0, 500_000, 1_000_000, 1_500_000]),
    ([-300, 200], Unit.count, [-300, -200, -100, 0, 100, 200]),
])
def test_value_axis_ticks_are_round(figures, unit, ticks):
    assert value_ticks(figures, unit) == ticks


def test_nice_ticks_step_by_one_two_or_five():
    assert nice_ticks(0, 7) == [0, 2, 4, 6, 8]
    assert nice_ticks(0, 0.07) == [0, 0.02, 0.04, 0.06, 0.08]
    assert nice_ticks(3, 3) == [2, 2.5, 3, 3.5, 4]


@pytest.mark.parametrize("ticks, unit, texts", [
    ([-2e6, -1.5e6, -1e6, -5e5, 0], Unit.pounds, ["\u2212£2m", "\u2212£1.5m", "\u2212£1m", "\u2212£0.5m", "£0"]),
    ([0, 5e5, 1e6, 1.5e6], Unit.pounds, ["£0", "£0.5m", "£1m", "£1.5m"]),
    ([0, 200_000, 400_000], Unit.pounds, ["£0", "£200,000", "£400,000"]),
    ([0, 1e9, 2e9], Unit.pounds, ["£0", "£1bn", "£2bn"]),
    ([0, 20, 100], Unit.percent, ["0%", "20%", "100%"]),
    ([95, 95.5, 96], Unit.percent, ["95.0%", "95.5%", "96.0%"]),
    ([0, 0.5, 1], Unit.days, ["0.0", "0.5", "1.0"]),
    ([-300, 0, 2000], Unit.count, ["\u2212300", "0", "2,000"]),
])
def test_tick_labels_of_an_axis_are_written_alike(ticks, unit, texts):
    assert [tick_text(t, ticks, unit) for t in ticks] == texts


# --- the time axis -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("period, ytd, day", [
    ("2012-11", False, date(2012, 11, 15)), ("2013-04", False, date(2013, 4, 15)),
    ("2012/13", False, date(2012, 9, 30)), ("2010", False, date(2010, 7, 2)),
    ("2013-06-18", False, date(2013, 6, 18)), ("2013-05", True, date(2013, 5, 1)),  # April 1 to May 31
    ("2014-02", True, date(2013, 9, 14))])
def test_a_reading_sits_at_the_middle_of_its_period(period, ytd, day):
    assert reading_day(MeasureValue(period=period, value=1, ytd=ytd)) == day


@pytest.mark.parametrize("size", [WIDE, NARROW])
def test_x_positions_are_proportional_to_dates(size):
    m = measure([("2012-11", 20), ("2012-12", 50), ("2013-04", 85)], unit="percent")
    xs = layout(m, *size).x_marks
    days = [reading_day(v).toordinal() for v in m.values]
    assert (xs[1] - xs[0]) / (xs[2] - xs[1]) == pytest.approx((days[1] - days[0]) / (days[2] - days[1]))
    assert (days[1] - days[0], days[2] - days[1]) == (31, 120)  # November to December is a quarter of Dec to April


def test_the_reporting_point_extends_the_time_axis_and_is_marked():
    m = measure([("2013-01", 20), ("2013-04", 50)])
    lay = layout(m, *WIDE, as_at=date(2013, 7, 15))
    (a, b), r = lay.x_marks, lay.report_x
    assert (b - a) / (r - b) == pytest.approx((date(2013, 4, 15) - date(2013, 1, 16)).days
                                              / (date(2013, 7, 15) - date(2013, 4, 15)).days)
    assert lay.report_label.text == "As at 15 Jul 2013"
    assert report_marked(m, date(2013, 4, 15)) is False and layout(m, *WIDE, as_at=date(2013, 4, 15)).report_x is None


def test_a_year_after_its_march_is_drawn_before_it():
    m = measure([("2013-03", 94), ("2012/13", 84), ("2013-04", 96)], "percent")
    lay = layout(m, *WIDE)
    assert [x for x, _ in lay.points] == sorted(x for x, _ in lay.points)
    assert [lb.text for lb in lay.x_labels] == ["2012/13", "Mar 2013", "Apr 2013"]
    assert lay.points[0][1] > lay.points[1][1]  # 84% (lower on the page) first


def test_one_reading_sits_in_the_middle_without_a_reporting_point():
    lay = layout(measure([("2013-04", 12.6)]), *WIDE)
    assert lay.x_marks == [pytest.approx((lay.plot.x0 + lay.plot.x1) / 2)]
    assert [lb.text for lb in lay.x_labels] == ["Apr 2013"] and lay.ticks == [0, 5, 10, 15]


def test_period_labels_on_the_axis_are_short_and_kept_only_where_they_fit():
    m = measure([{"period": "2012/13", "value": 1}, {"period": "2013-03-05", "value": 2},
                 {"period": "2013-05", "value": 3, "ytd": True}])
    assert [lb.text for lb in layout(m, *WIDE).x_labels] == ["2012/13", "5 Mar 2013", "May 2013 YTD"]
    months = measure([(f"{2011 + i // 12}-{i % 12 + 1:02d}", i) for i in range(36)])
    shown = [lb.text for lb in layout(months, *NARROW).x_labels]
    assert shown[0] == "Jan 2011" and shown[-1] == "Dec 2013" and len(shown) == 4


# --- nothing overlaps ----------------------------------------------------------------------------------------


def assert_clear(lay: Layout) -> None:
    """No two texts overlap, every text is inside the drawing, and the target's label keeps off the points, the
    series and the reporting point's line."""
    whole = Box(0, 0, lay.width, lay.height)
    for lb in lay.labels:
        assert lb.box.inside(whole), lb
    for a, b in combinations(lay.labels, 2):
        assert not a.box.overlaps(b.box), (a, b)
    if lay.target_label is not None:
        box = lay.target_label.box
        assert not any(box.overlaps(Box(x - 4, y - 4, x + 4, y + 4)) for x, y in lay.points)
        assert not any(box.crosses(p, q) for p, q in zip(lay.points, lay.points[1:]))
        if lay.report_x is not None:
            assert not box.crosses((lay.report_x, lay.plot.y0), (lay.report_x, lay.plot.y1))
    ys = [lb.y for lb in lay.tick_labels]
    assert all(b - a >= lay.font * 1.2 for a, b in zip(ys[1:], ys))  # the value labels, top to bottom


EDGES = {
    "target near the last value": (measure([("2013-01", 70), ("2013-03", 78), ("2013-04", 80.4)], "percent",
                                           target=80), None),
    "target on the only value": (measure([("2013-04", 22)], target=22, better="lower"), date(2013, 7, 1)),
    "series crossing the target everywhere": (measure([(f"2013-{i:02d}", 60 + (-1) ** i * 25) for i in range(1, 13)],
                                                      "percent", target=60), None),
    "target at the top": (measure([("2012/13", 84), ("2013-03", 94), ("2013-04", 96)], "percent", target=95),
                          date(2013, 7, 17)),
    "many readings": (measure([(f"{2010 + i // 12}-{i % 12 + 1:02d}", 300 + i * 7 % 50) for i in range(48)],
                              target=320, better="lower"), date(2014, 1, 10)),
    "one reading": (measure([("2010", 40)], "percent"), date(2013, 7, 17)),
    "negative money": (measure([("2013-04", -2_000_000), ("2013-05", -1_800_000)], "pounds", target=-500_000),
                       date(2013, 7, 1)),
    "all equal": (measure([("2013-01", 5), ("2013-02", 5), ("2013-03", 5)], "days", target=5, better="lower"),
                  None),
    "all zero": (measure([("2013-01", 0), ("2013-02", 0)], target=0, better="lower"), None),
    "a long unit and target": (measure([("2013-01", 3.25), ("2013-02", 3.5)], "rate_per_10000", target=3.4),
                               date(2013, 3, 30)),
}


@pytest.mark.parametrize("size", [WIDE, NARROW], ids=["wide", "narrow"])
@pytest.mark.parametrize("case", EDGES)
def test_no_label_overlaps_another_or_the_series(case, size):
    m, as_at = EDGES[case]
    assert_clear(layout(m, *size, as_at=as_at))


def test_the_target_label_moves_off_the_last_point():
    m, _ = EDGES["target near the last value"]
    lay = layout(m, *WIDE)
    assert lay.target_label.text == "Target 80%"
    assert lay.target_label.anchor == "start" and lay.target_label.y < lay.target_y  # left, away from the last point


def test_the_target_label_goes_above_the_plot_when_the_series_leaves_no_room():
    m, _ = EDGES["series crossing the target everywhere"]
    lay = layout(m, *NARROW)
    assert lay.target_label.box.y1 <= lay.plot.y0


# --- the page's words ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("unit, better, first, second, words", [
    ("percent", "higher", ("2012/13", 20), ("2013-04", 24), "Up 4 points since 2012/13 \u2014 better (higher is better)"),
    ("percent", "higher", ("2013-03", 25), ("2013-04", 24), "Down 1 point since March 2013 \u2014 worse (higher is better)"),
    ("percent", "lower", ("2013-03", 25.5), ("2013-04", 24), "Down 1.5 points since March 2013 \u2014 better (lower is "
                                                            "better)"),
    ("days", "lower", ("2013-03-05", 10), ("2013-04-05", 12), "Up 2 days since 5 March 2013 \u2014 worse (lower is "
                                                              "better)"),
    ("days", "lower", ("2013-03", 2), ("2013-04", 1), "Down 1 day since March 2013 \u2014 better (lower is better)"),
    ("pounds", "neutral", ("2013-04", -2_000_000), ("2013-05", -1_800_000),
     "Up £200,000 since April 2013 \u2014 changed, not judged (neither direction is better)"),
    ("count", "neutral", ("2013-04", 5), ("2013-05", 5), "No change since April 2013"),
    ("count", "higher", ("2013", 5), ("2014", 5), "No change since 2013"),
    ("rate_per_10000", "lower", ("2012/13", 60.2), ("2013/14", 55), "Down 5.2 per 10,000 since 2012/13 \u2014 better "
                                                                    "(lower is better)"),
])
def test_trend_says_the_direction_then_the_judgement(unit, better, first, second, words):
    assert trend_text(reading(measure([first, second], unit, better))) == words


def test_trend_compares_with_the_last_reading_that_has_a_figure_and_says_so():
    m = measure([("2013-02", 50), {"period": "2013-03", "note": "system down"}, ("2013-04", 54)], "percent")
    assert trend_text(reading(m)) == "Up 4 points since February 2013 \u2014 better (higher is better)"
    ytd = measure([{"period": "2013-04", "value": 200_000, "ytd": True}, {"period": "2013-05", "value": 420_000,
                                                                         "ytd": True}], "pounds", "lower")
    assert trend_text(reading(ytd)) == ("Up £220,000 since 2013/14 year to date (to April 2013) \u2014 worse (lower "
                                        "is better)")


@pytest.mark.parametrize("values, words", [
    ([], "No readings"), ([("2013-04", 1)], "One reading"),
    ([("2013-04", 1), {"period": "2013-05", "note": "late"}], "No figure to compare"),
    ([("2012/13", 1), {"period": "2013-05", "value": 2, "ytd": True}],
     "Not comparable: year to date beside a whole period")])
def test_trend_says_why_there_is_nothing_to_compare(values, words):
    assert trend_text(reading(measure(values))) == words


@pytest.mark.parametrize("period, ytd, name", [
    ("2013-04", False, "April 2013"), ("2013-04-05", False, "5 April 2013"), ("2013", False, "2013"),
    ("2012/13", False, "2012/13"), ("2013-05", True, "2013/14 year to date (to May 2013)")])
def test_period_names(period, ytd, name):
    assert period_name(MeasureValue(period=period, value=1, ytd=ytd)) == name


def test_latest_reading_says_its_age():
    m = measure([("2013-01", 1), ("2013-04", 2), {"period": "2013-06", "note": "not yet counted"}])
    assert latest_text(m, date(2013, 7, 31)) == "Latest reading: April 2013, 3 months before this reporting point"
    assert latest_text(m, date(2013, 5, 30)) == "Latest reading: April 2013, 1 month before this reporting point"
    assert latest_text(m, date(2013, 5, 3)) == "Latest reading: April 2013"
    assert latest_text(measure([{"period": "2013-06", "note": "n"}]), date(2013, 7, 1)) == ""


# --- the SVG -------------------------------------------------------------------------------------------------


def test_the_chart_is_two_labelled_images_with_their_own_ids():
    m = measure([("2012-11", 21.6), ("2013-04", 85.4)], "percent", target=80)
    svg = measure_chart(m, "chart-M9", date(2013, 7, 1))
    assert re.findall(r'<svg class="chart (chart--\w+)"[^>]* role="img" aria-labelledby="([^"]+)"', svg) == [
        ("chart--wide", "chart-M9-t chart-M9-d"), ("chart--narrow", "chart-M9-n-t chart-M9-n-d")]
    desc = ("From 21.6% in November 2012 to 85.4% in April 2013, over 2 readings; higher is better; target 80%.")
    assert svg.count(f"{desc}</desc>") == 2 and svg.count('<title id="chart-M9') == 2
    assert svg.count('<line class="report"') == 2 and svg.count(">Target 80%</text>") == 2
    assert measure_chart(measure([{"period": "2013-04", "note": "n"}]), "c") == ""
    deficit = measure_chart(measure([("2013-04", -2_000_000)], "pounds"), "c")
    assert deficit.count('<line class="zero"') == 2 and '<line class="zero"' not in svg


def test_editor_text_in_a_chart_is_escaped():
    m = Measure.model_validate({"id": "M9", "name": "<b>x</b> & y", "definition": "D", "unit": "count",
                                "better": "higher", "values": [{"period": "2013-04", "value": 1}]})
    svg = measure_chart(m, "c")
    assert "<b>" not in svg and "&lt;b&gt;x&lt;/b&gt; &amp; y</title>" in svg
    assert '&lt;b&gt;' in sparkline(measure([("2013-01", 1), ("2013-02", 2)]), "<b>")


def test_sparkline_places_readings_by_date():
    svg = sparkline(measure([("2012-11", 20), ("2012-12", 50), ("2013-04", 85)]), "Up")
    xs = [float(p.split(",")[0]) for p in re.search(r'points="([^"]+)"', svg).group(1).split()]
    assert (xs[1] - xs[0]) / (xs[2] - xs[1]) == pytest.approx(31 / 120, abs=0.01)

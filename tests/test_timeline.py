"""The timeline's pure functions (``search.render.timeline``): empty periods filled, months or
years, the links' bounds within the search's dates, the chart's escaping and scale, the text
bars' widths."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

import pytest
from hypothesis import given
from hypothesis import strategies as st

from search.periods import as_date
from search.render import Bar, Timeline, timeline, timeline_svg, timeline_text
from search.render.timeline import MAX_MONTHS, WIDTH

Months = list[tuple[str, int]]


def month(number: int) -> str:
    """The month ``number`` months after January 2010."""
    year, index = divmod(number, 12)
    return f"{2010 + year:04d}-{index + 1:02d}"


@st.composite
def month_facets(draw: st.DrawFn) -> Months:
    """A month facet as ``search.facets`` makes one: distinct months in date order, each with
    one match or more."""
    numbers = draw(st.sets(st.integers(0, 120), min_size=1, max_size=30))
    return [(month(n), draw(st.integers(1, 10_000))) for n in sorted(numbers)]


def periods(line: Timeline) -> list[tuple[str, int]]:
    return [(bar.period, bar.count) for bar in line.bars]


# --- the series ---------------------------------------------------------------------------------


def test_the_months_between_are_filled_with_empty_bars() -> None:
    line = timeline({"month": [("2015-11", 3), ("2016-02", 1)]})
    assert line.unit == "month"
    assert periods(line) == [("2015-11", 3), ("2015-12", 0), ("2016-01", 0), ("2016-02", 1)]
    assert (line.total, line.widest) == (4, 3)


def test_no_dated_match_is_no_bars() -> None:
    empty: list[dict[str, list[tuple[str, int]]]] = [{}, {"month": []}, {"source": [("spa", 3)]}]
    for facets in empty:
        line = timeline(facets)
        assert line.bars == () and line.total == 0 and line.widest == 0


@pytest.mark.parametrize(
    ("last", "unit"),
    [("2017-12", "month"), ("2018-01", "year")],
    ids=["36 months", "37 months"],
)
def test_more_than_36_months_are_years(last: str, unit: str) -> None:
    line = timeline({"month": [("2015-01", 1), (last, 2)]})
    assert line.unit == unit
    if unit == "month":
        assert len(line.bars) == MAX_MONTHS == 36
    else:
        assert periods(line) == [("2015", 1), ("2016", 0), ("2017", 0), ("2018", 2)]


@given(month_facets())
def test_the_bars_count_every_match_once_in_consecutive_periods(months: Months) -> None:
    line = timeline({"month": months})
    assert line.total == sum(count for _, count in months)
    span = _month_number(months[-1][0]) - _month_number(months[0][0]) + 1
    assert line.unit == ("month" if span <= MAX_MONTHS else "year")
    starts = [as_date(bar.period, "since") for bar in line.bars]
    ends = [as_date(bar.period, "until") for bar in line.bars]
    for end, start in zip(ends, starts[1:], strict=False):
        assert end is not None and start == end + dt.timedelta(days=1)  # no period missing
    found = dict(months)
    for bar in line.bars:
        inside = [c for m, c in found.items() if m.startswith(bar.period)]
        assert bar.count == sum(inside)
        assert (bar.since, bar.until) == (bar.period, bar.period)  # no filter to keep
    assert line.bars[0].count and line.bars[-1].count  # from the first match to the last


def _month_number(period: str) -> int:
    year, number = period.split("-")
    return int(year) * 12 + int(number)


def test_a_search_of_one_year_shows_its_twelve_months() -> None:
    line = timeline({"month": [("2015-04", 2), ("2015-06", 1)]}, since="2015", until="2015")
    assert [bar.period for bar in line.bars] == [f"2015-{m:02d}" for m in range(1, 13)]
    assert line.total == 3


def test_the_filters_widen_the_months_only_within_36() -> None:
    facets = {"month": [("2015-04", 2)]}
    assert len(timeline(facets, since="2010-01").bars) == 1  # 64 months: not widened
    assert len(timeline(facets, since=dt.date(2014, 5, 9)).bars) == 12  # a date object too
    assert timeline(facets, until="2015-03").bars[-1].period == "2015-04"  # only widens


def test_a_bar_cut_by_a_filter_links_with_that_filter() -> None:
    """So that its link counts what it shows: the matches of its period within the dates."""
    line = timeline({"month": [("2015-08", 5), ("2015-10", 1)]}, "2015-08-15", "10/10/2015")
    first, middle, last = line.bars
    assert (first.since, first.until) == ("2015-08-15", "2015-08")
    assert (middle.since, middle.until) == ("2015-09", "2015-09")
    assert (last.since, last.until) == ("2015-10", "10/10/2015")  # as the search was given it
    years = timeline({"month": [("2012-03", 1), ("2016-07", 1)]}, "1433-04-01h", None)
    assert (years.bars[0].since, years.bars[0].until) == ("1433-04-01h", "2012")
    assert years.bars[0].period == "2012" and as_date("1433-04-01h", "since") == dt.date(
        2012, 2, 23
    )


def test_the_json_series() -> None:
    line = timeline({"month": [("2015-08", 2), ("2015-10", 1)]})
    assert line.to_dict() == {
        "unit": "month",
        "total": 3,
        "series": [
            {"period": "2015-08", "count": 2, "since": "2015-08", "until": "2015-08"},
            {"period": "2015-09", "count": 0, "since": "2015-09", "until": "2015-09"},
            {"period": "2015-10", "count": 1, "since": "2015-10", "until": "2015-10"},
        ],
    }


# --- the chart -----------------------------------------------------------------------------------


class _Svg(HTMLParser):
    """The chart's elements: (tag, attributes, the text directly in it)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str], list[str]]] = []
        self.open: list[int] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {k: v or "" for k, v in attrs}, []))
        self.open.append(len(self.elements) - 1)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {k: v or "" for k, v in attrs}, []))

    def handle_endtag(self, tag: str) -> None:
        self.open.pop()

    def handle_data(self, data: str) -> None:
        if self.open:
            self.elements[self.open[-1]][2].append(data)


def parsed(svg: str) -> list[tuple[str, dict[str, str], str]]:
    parser = _Svg()
    parser.feed(svg)
    parser.close()
    assert not parser.open, "every element closed"
    return [(tag, attrs, "".join(text)) for tag, attrs, text in parser.elements]


HOSTILE = '"><script>alert(1)</script><a href="x'


def test_every_text_and_link_of_the_chart_is_escaped() -> None:
    line = timeline({"month": [("2015-08", 2), ("2015-10", 1)]})
    svg = timeline_svg(line, lambda bar: f"/search?q={HOSTILE}&since={bar.since}", title=HOSTILE)
    assert "<script" not in svg and 'href="x' not in svg
    elements = parsed(svg)
    assert [tag for tag, _, _ in elements].count("script") == 0
    titles = [text for tag, _, text in elements if tag == "title"]
    assert titles[0] == HOSTILE  # the chart's name, as given
    assert titles[1:] == ["2015-08: 2", "2015-09: 0", "2015-10: 1"]
    links = [attrs["href"] for tag, attrs, _ in elements if tag == "a"]
    assert links == [f"/search?q={HOSTILE}&since=2015-08", f"/search?q={HOSTILE}&since=2015-10"]
    assert not any("style" in attrs for _, attrs, _ in elements)  # the page's CSP allows none


def test_the_chart_is_an_image_that_scales_with_a_link_per_bar_with_matches() -> None:
    line = timeline({"month": [("2015-08", 4), ("2015-10", 1)]})
    elements = parsed(timeline_svg(line, lambda bar: bar.period, title="t"))
    tag, attrs, _ = elements[0]
    assert tag == "svg" and attrs["role"] == "img" and attrs["width"] == "100%"
    assert attrs["viewbox"].startswith("0 0 ") and "height" not in attrs
    bars = [a for t, a, _ in elements if t == "rect" and a["class"] == "bar"]
    empty = [a for t, a, _ in elements if t == "rect" and a["class"] == "empty"]
    assert (len(bars), len(empty)) == (2, 1)
    heights = [float(a["height"]) for a in bars]
    assert heights[0] == 4 * heights[1]  # in proportion to the counts
    assert float(empty[0]["height"]) < min(heights)


def test_time_runs_right_to_left_for_arabic_and_left_to_right_for_english() -> None:
    line = timeline({"month": [("2015-01", 1), ("2015-06", 2), ("2015-12", 3)]})

    def xs(rtl: bool) -> list[float]:
        elements = parsed(timeline_svg(line, lambda bar: "#", title="t", rtl=rtl))
        return [float(a["x"]) for t, a, _ in elements if t == "rect" and a["class"] != "target"]

    assert xs(True) == sorted(xs(True), reverse=True)
    assert xs(False) == sorted(xs(False))


@given(month_facets())
def test_the_labels_stay_inside_the_chart_and_name_the_first_and_last_period(
    months: Months,
) -> None:
    line = timeline({"month": months})
    elements = parsed(timeline_svg(line, lambda bar: "#", title="t"))
    labels = [(a, text) for t, a, text in elements if t == "text"][1:]  # after the largest count
    texts = [text for _, text in labels]
    assert texts[0] == line.bars[0].period
    assert texts[-1 if len(line.bars) == 1 else 1] == line.bars[-1].period
    for attrs, _ in labels:
        assert 0 <= float(attrs["x"]) <= WIDTH


# --- the text bars ------------------------------------------------------------------------------


def test_the_text_bars_fill_the_width_and_leave_gaps_empty() -> None:
    line = timeline({"month": [("2015-08", 1_200), ("2015-10", 3)]})
    text = timeline_text(line, columns=50)
    heading, *rows = text.splitlines()
    assert heading == "Matches a month:"
    assert [row.split()[0] for row in rows] == ["2015-08", "2015-09", "2015-10"]
    assert [row.split()[-1] for row in rows] == ["1,200", "0", "3"]
    assert max(len(row) for row in rows) == 49  # the widest bar fills the width, less one
    assert rows[1].count("█") == 0 and rows[2].count("█") == 1  # a match is one █ at least


@given(month_facets(), st.integers(0, 300))
def test_no_text_bar_is_wider_than_the_terminal_and_each_is_in_proportion(
    months: Months, columns: int
) -> None:
    line = timeline({"month": months})
    rows = timeline_text(line, columns=columns).splitlines()[1:]
    assert len(rows) == len(line.bars)
    room = max(len(row) for row in rows)
    if columns >= 40:
        assert room < columns
    widest = max(row.count("█") for row in rows)
    for bar, row in zip(line.bars, rows, strict=True):
        assert row.count("█") == (0 if bar.count == 0 else max(1, round_half_up(bar, line, widest)))
        assert re.fullmatch(rf"  {bar.period} +█* {bar.count:,}", row)


def round_half_up(bar: Bar, line: Timeline, widest: int) -> int:
    return int(bar.count / line.widest * widest + 0.5)


def test_no_dated_match_says_so() -> None:
    assert timeline_text(timeline({})) == "No match is dated."

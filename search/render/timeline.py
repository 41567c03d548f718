"""A query's matches over time: a bar a month (a year over long spans), from its facets.

``timeline`` turns the month facet (``Results.facets["month"]``) into the series a reader sees:
every month from the first with a match to the last, those without one as empty bars (a gap
says *when* as much as a peak does). Over more than ``MAX_MONTHS`` months the bars are years.
Each ``Bar`` carries the ``since``/``until`` of the search that lists its matches, so that a
bar's link, followed, counts what the bar shows:

>>> line = timeline({"month": [("2015-08", 2), ("2015-10", 1)]})
>>> line.unit, [(bar.period, bar.count) for bar in line.bars]
('month', [('2015-08', 2), ('2015-09', 0), ('2015-10', 1)])

From a series, ``timeline_svg`` draws the bar chart of ``bahth serve``'s results page (inline
SVG, no script: the page's Content-Security-Policy allows none) and ``timeline_text`` the bars
of ``bahth search --timeline``; ``Timeline.to_dict`` is its JSON.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from ..periods import as_date
from ..results import Results

__all__ = ["MAX_MONTHS", "Bar", "Timeline", "timeline", "timeline_svg", "timeline_text"]

MAX_MONTHS = 36
"""The most months drawn as months: a longer span is drawn in years (three years of months
still fit a phone's width, at about 10 px a bar)."""

Unit = Literal["month", "year"]


@dataclass(frozen=True, slots=True)
class Bar:
    """One period's matches. ``period`` is ``YYYY-MM`` or ``YYYY``; ``since`` and ``until`` are
    the filters of the search listing them: the period itself, or the search's own ``since``
    (``until``) where it starts later (ends earlier) inside the period, so that the link of a
    bar counts what the bar does."""

    period: str
    count: int
    since: str
    until: str

    def to_dict(self) -> dict[str, object]:
        """The bar in ``bahth search --json --timeline``'s series."""
        return {
            "period": self.period,
            "count": self.count,
            "since": self.since,
            "until": self.until,
        }


@dataclass(frozen=True, slots=True)
class Timeline:
    """A query's matches a month (or a year, ``unit``), in date order, empty periods included;
    no bars when no match is dated."""

    unit: Unit
    bars: tuple[Bar, ...]

    @property
    def total(self) -> int:
        """The matches the bars count: the dated ones the facets count."""
        return sum(bar.count for bar in self.bars)

    @property
    def widest(self) -> int:
        """The largest count, the height of the chart (0 without bars)."""
        return max((bar.count for bar in self.bars), default=0)

    def to_dict(self) -> dict[str, object]:
        """``{"unit", "total", "series": [{"period", "count", "since", "until"}, …]}``."""
        return {
            "unit": self.unit,
            "total": self.total,
            "series": [bar.to_dict() for bar in self.bars],
        }


def timeline(
    facets: dict[str, list[tuple[str, int]]],
    since: str | dt.date | None = None,
    until: str | dt.date | None = None,
    *,
    max_months: int = MAX_MONTHS,
) -> Timeline:
    """The bars of the month facet of ``facets`` (``YYYY-MM`` → matches) from its first month
    to its last, empty months filled in; in years when that spans more than ``max_months``.

    ``since`` and ``until`` are the search's filters (as given: any form ``search.periods``
    reads). The months are widened to theirs when that keeps them within ``max_months``, so
    that a search of one year shows its twelve months; and a bar's link keeps the filter where
    it cuts its period.

    >>> line = timeline({"month": [("2015-03", 4)]}, since="2015", until="2015-05-20")
    >>> for bar in line.bars[::2]:
    ...     print(bar.period, bar.count, bar.since, bar.until)
    2015-01 0 2015-01 2015-01
    2015-03 4 2015-03 2015-03
    2015-05 0 2015-05 2015-05-20
    >>> years = timeline({"month": [("2013-12", 1), ("2017-01", 2)]})
    >>> years.unit, [(bar.period, bar.count) for bar in years.bars]
    ('year', [('2013', 1), ('2014', 0), ('2015', 0), ('2016', 0), ('2017', 2)])
    """
    counts: dict[int, int] = {}
    for period, count in facets.get("month") or []:
        month = _month_number(period)
        counts[month] = counts.get(month, 0) + count
    if not counts:
        return Timeline("month", ())
    first_day = as_date(since, "since") if since is not None else None
    last_day = as_date(until, "until") if until is not None else None
    low, high = min(counts), max(counts)
    wide_low = min(low, _month_of(first_day)) if first_day else low
    wide_high = max(high, _month_of(last_day)) if last_day else high
    if wide_high - wide_low < max_months:
        low, high = wide_low, wide_high
    if high - low < max_months:
        periods = [
            (f"{m // 12:04d}-{m % 12 + 1:02d}", counts.get(m, 0)) for m in range(low, high + 1)
        ]
        unit: Unit = "month"
    else:
        years: dict[int, int] = {}
        for month, count in counts.items():
            years[month // 12] = years.get(month // 12, 0) + count
        periods = [(f"{y:04d}", years.get(y, 0)) for y in range(low // 12, high // 12 + 1)]
        unit = "year"
    bars = []
    for period, count in periods:
        start, end = as_date(period, "since"), as_date(period, "until")
        assert start is not None and end is not None
        cut_start = first_day is not None and first_day > start
        cut_end = last_day is not None and last_day < end
        bars.append(
            Bar(
                period,
                count,
                _text(since) if cut_start else period,
                _text(until) if cut_end else period,
            )
        )
    return Timeline(unit, tuple(bars))


def timeline_of(
    results: Results, since: str | None, until: str | None, *, facets: bool
) -> tuple[Results, Timeline]:
    """The timeline of ``results`` (searched with facets) within the search's dates, and the
    results without their facets unless the caller asked for them (``facets``), as
    ``--timeline`` and the API's ``timeline=1`` show it."""
    line = timeline(results.facets or {}, since, until)
    return (results if facets else dataclasses.replace(results, facets=None)), line


def _month_number(period: str) -> int:
    """``YYYY-MM`` as months since year 0: consecutive months, consecutive numbers."""
    year, _, month = period.partition("-")
    return int(year) * 12 + int(month) - 1


def _month_of(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def _text(value: str | dt.date | None) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)


# --- the chart ---------------------------------------------------------------------------------

# The chart's own units (its viewBox): the page scales it to its width.
# About a phone's width in CSS pixels, so that its text is as large as the page's small print
# there; a wider page scales it up to the stylesheet's max-inline-size.
WIDTH, HEIGHT = 320, 118
TOP, PLOT = 16, 80  # the line of the largest count, and the bars' height below it
LABELS = TOP + PLOT + 16  # the baseline of the periods' labels
FONT = 11
_CHAR = 0.62 * FONT  # about how wide a digit is, to keep labels apart


def timeline_svg(
    line: Timeline,
    href: Callable[[Bar], str],
    *,
    title: str,
    rtl: bool = True,
) -> str:
    """The bar chart of ``line`` as an inline ``<svg>`` (``role="img"``, ``title`` its name):
    a bar a period, each with a ``<title>`` (period: count) and, when it has matches, a link
    to ``href(bar)``; an empty period a stub on the baseline. The largest count is written on
    its line, and as many periods' labels as fit under the bars, the first and last always.

    ``rtl``: time runs right to left, as the page's Arabic reads. The chart scales to its
    container (``viewBox``, ``width="100%"``); every text in it, ``title`` and each ``href``
    included, is escaped here, and nothing is styled inline (the stylesheet's classes).

    >>> line = timeline({"month": [("2015-08", 2)]})
    >>> svg = timeline_svg(line, lambda bar: "/s?a=1&b=2", title="<x>")
    >>> ">&lt;x&gt;</title>" in svg, 'href="/s?a=1&amp;b=2"' in svg
    (True, True)
    """
    bars = line.bars
    slot = WIDTH / max(1, len(bars))
    gap = min(slot * 0.2, 4)
    widest = max(1, line.widest)
    parts = [
        f'<svg class="timeline-chart" role="img" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" '
        f'preserveAspectRatio="xMidYMid meet" aria-labelledby="timeline-title" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="timeline-title">{_escape(title)}</title>',
        f'<line class="axis" x1="0" y1="{TOP + PLOT}" x2="{WIDTH}" y2="{TOP + PLOT}" />',
        f'<line class="grid" x1="0" y1="{TOP}" x2="{WIDTH}" y2="{TOP}" />',
        _label(f"{line.widest:,}", WIDTH if rtl else 0, TOP - 4, "end" if rtl else "start"),
    ]
    for i, bar in enumerate(bars):
        x = (len(bars) - 1 - i) * slot if rtl else i * slot
        tip = f"<title>{_escape(bar.period)}: {bar.count:,}</title>"
        if bar.count == 0:
            parts.append(
                f'<rect class="empty" x="{_n(x + gap / 2)}" y="{TOP + PLOT - 1.5}" '
                f'width="{_n(slot - gap)}" height="1.5">{tip}</rect>'
            )
            continue
        tall = max(4.0, bar.count / widest * PLOT)  # a match stands above an empty stub
        parts.append(
            f'<a href="{_escape(href(bar))}">{tip}'
            # The whole column is the link's target, not only the bar: short bars are small.
            f'<rect class="target" x="{_n(x)}" y="0" width="{_n(slot)}" height="{TOP + PLOT}" '
            f'fill-opacity="0" />'
            f'<rect class="bar" x="{_n(x + gap / 2)}" y="{_n(TOP + PLOT - tall)}" '
            f'width="{_n(slot - gap)}" height="{_n(tall)}" /></a>'
        )
    for text, x, anchor in _period_labels(line, slot, rtl):
        parts.append(_label(text, x, LABELS, anchor))
    parts.append("</svg>")
    return "".join(parts)


def _period_labels(line: Timeline, slot: float, rtl: bool) -> list[tuple[str, float, str]]:
    """The labels under the bars, (text, x, text-anchor): the first and last periods, then
    each year's first month (or every year), where they do not overlap one taken already."""
    bars = line.bars
    if not bars:
        return []
    last = len(bars) - 1
    order = [0, last] + [
        i for i in range(1, last) if line.unit == "year" or bars[i].period.endswith("-01")
    ]
    taken: list[tuple[float, float]] = []
    labels = []
    for i in dict.fromkeys(order):  # the first and the last may be one bar
        text = bars[i].period
        if line.unit == "month" and 0 < i < last:
            text = text[:4]  # a January stands for its year
        width = len(text) * _CHAR
        left = (last - i) * slot if rtl else i * slot  # the bar's left edge
        if left + slot / 2 - width / 2 < 0:
            x, anchor, span = 0.0, "start", (0.0, width)
        elif left + slot / 2 + width / 2 > WIDTH:
            x, anchor, span = float(WIDTH), "end", (WIDTH - width, float(WIDTH))
        else:
            x = left + slot / 2
            anchor, span = "middle", (x - width / 2, x + width / 2)
        if any(span[0] < b + _CHAR and a < span[1] + _CHAR for a, b in taken):
            continue
        taken.append(span)
        labels.append((text, x, anchor))
    return labels


def _label(text: str, x: float, y: float, anchor: str) -> str:
    return (
        f'<text x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}" font-size="{FONT}" '
        f'direction="ltr">{_escape(text)}</text>'
    )


def _n(value: float) -> str:
    """A coordinate, short: 12, 12.5 (SVG needs no more than a tenth of a unit here)."""
    return f"{value:.1f}".removesuffix(".0")


def _escape(text: str) -> str:
    """``text`` safe in an element's content and a quoted attribute (a Markup's text as is:
    ``str`` first, so that a template's already-safe string is escaped as text once)."""
    return html.escape(str(text), quote=True)


# --- the terminal ------------------------------------------------------------------------------

TEXT_HEADINGS = {"month": "Matches a month:", "year": "Matches a year:"}


def timeline_text(line: Timeline, columns: int = 80) -> str:
    """``bahth search --timeline``: a heading, then a line a period, in date order: the period,
    a bar of █ as long as its count is to the largest's (the largest filling ``columns``
    less the labels; a match is at least one █, an empty period none) and the count.

    >>> print(timeline_text(timeline({"month": [("2015-08", 4), ("2015-10", 1)]}), 30))
    Matches a month:
      2015-08  ████████████████ 4
      2015-09   0
      2015-10  ████ 1
    """
    if not line.bars:
        return "No match is dated."
    widest = line.widest
    digits = len(f"{widest:,}")
    label = max(len(bar.period) for bar in line.bars)
    room = max(10, columns - (2 + label + 2 + 1 + digits) - 1)  # one spare: no wrap at the edge
    lines = [TEXT_HEADINGS[line.unit]]
    for bar in line.bars:
        length = 0 if bar.count == 0 else max(1, math.floor(bar.count / widest * room + 0.5))
        lines.append(f"  {bar.period:<{label}}  {'█' * length} {bar.count:,}")
    return "\n".join(lines)

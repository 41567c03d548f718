"""Facets: how a query's matches spread over sources, categories and time.

The engine counts matches per source and category key and per day (``FacetCounts``); here the
keys get their labels as published, and days are gathered into months (and years, when the
matches span more than one).

>>> import datetime as dt
>>> d = dt.date(2015, 8, 3).toordinal()
>>> timeline({d: 2, d + 40: 1})
{'month': [('2015-08', 2), ('2015-09', 1)]}
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from .engine import FacetCounts

Facets = dict[str, list[tuple[str, int]]]
"""Facet name ("source", "category", "month", "year") → (value, articles), largest first
(months and years by date)."""


def by_count(counts: dict[str, int]) -> list[tuple[str, int]]:
    """Largest first, then by value."""
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def timeline(days: dict[int, int]) -> Facets:
    """Months (YYYY-MM) in date order; years too when the days span more than one."""
    months: Counter[str] = Counter()
    for day, count in days.items():
        date = dt.date.fromordinal(day)
        months[f"{date.year:04d}-{date.month:02d}"] += count
    found: Facets = {"month": sorted(months.items())}
    years: Counter[str] = Counter()
    for month, count in months.items():
        years[month[:4]] += count
    if len(years) > 1:
        found["year"] = sorted(years.items())
    return found


def facets(counts: FacetCounts, labels: dict[str, dict[str, str]]) -> Facets:
    """The facets of a query's counts; ``labels`` maps each field's keys to their labels."""
    found: Facets = {}
    for name, keyed in (("source", counts.source), ("category", counts.category)):
        named = {labels[name].get(key, key): count for key, count in keyed.items()}
        found[name] = by_count(named)
    return {**found, **timeline(counts.day)}

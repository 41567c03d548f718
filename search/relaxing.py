"""A search that found nothing under filters, and what it finds without each of them.

A reader who filters by a source and a date and gets no result wants to know which filter is
why. ``without_filters`` runs the search again without each filter in force (the dates, the
source, the category, exact forms), then without all of them, counting only (a page of one
hit), and says how many articles each finds: the web page offers each as a link, and
``bahth search`` prints each as the option to drop.

A search that is refused without a filter (a ``QueryError``: the query alone only excludes)
is left out: there is nothing to offer there.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from .errors import QueryError
from .options import SearchOptions
from .searcher import Searcher

FILTERS = ("since", "until", "source", "category", "exact")
ALL = "all"  # the name of the search without every filter


@dataclasses.dataclass(frozen=True)
class Relaxed:
    """The search without ``dropped`` (a filter's option name, or ``ALL``): its options, and
    the articles it finds. ``value`` is the dropped filter's (None for ``ALL``)."""

    dropped: str
    value: object
    options: SearchOptions
    total: int


def without_filters(searcher: Searcher, query: str, options: SearchOptions) -> list[Relaxed]:
    """Each filter of ``options`` in force, and what ``query`` finds without it; then, when
    there were several, what it finds without any. Empty without filters."""
    relaxed = []
    for name in FILTERS:
        value = getattr(options, name)
        if not value:
            continue
        cleared: dict[str, Any] = {name: False if name == "exact" else None}
        found = _count(searcher, query, dataclasses.replace(options, page=1, **cleared))
        if found is not None:
            relaxed.append(Relaxed(name, value, *found))
    if len(relaxed) > 1:
        cleared = {name: False if name == "exact" else None for name in FILTERS}
        found = _count(searcher, query, dataclasses.replace(options, page=1, **cleared))
        if found is not None:
            relaxed.append(Relaxed(ALL, None, *found))
    return relaxed


def _count(
    searcher: Searcher, query: str, options: SearchOptions
) -> tuple[SearchOptions, int] | None:
    try:
        return options, searcher.search(query, **{**options.arguments(), "limit": 1}).total
    except QueryError:
        return None

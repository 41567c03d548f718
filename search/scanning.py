"""``Searcher.scan``'s reading: every match of a query, date window by date window.

Dates can be cut into windows where scores cannot: a window holds at most ``batch`` matches
(or one day), so the hits and articles held at a time do not grow with the number of matches.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager

from .engine import EngineHit, EngineReader, Filter
from .engine.compiling import CompiledQuery
from .engine.contract import Query
from .results import Hit
from .snippets import hit_of


def scan_hits(
    using: Callable[[], AbstractContextManager[EngineReader]],
    compiled: CompiledQuery,
    passes: list[tuple[Query, str]],
    dates: tuple[dt.date | None, dt.date | None],
    undated: bool,
    source: str | None,
    category: str | None,
    batch: int,
) -> Iterator[Hit]:
    """The hits of ``Searcher.scan``, window by window, newest first, pass after pass.

    ``using()`` holds the searcher's engine reader while a window is read, and refuses when
    the searcher has moved to another since the scan began (its refs would be another's).
    Each pass is a query and what its hits' partial flags are: ``full`` (never partial),
    ``rest`` (the matches the full query does not have, all partial) or ``flag`` (partial
    when the full query does not match).
    """

    def read(query: Query, filter_: Filter, matches: int, mode: str) -> list[Hit]:
        """The ``matches`` articles that ``query`` finds in a window, newest first."""
        with using() as engine:
            # Ranked by score, for the scores; then put in search(sort="date")'s order.
            found = engine.top(query, matches, filter_, False)
        found.sort(key=lambda h: (-h.day, h.ref))
        return read_hits(found, mode)

    def read_hits(found: list[EngineHit], mode: str) -> list[Hit]:
        with using() as engine:
            full = (
                set() if mode == "full" else engine.matching(compiled.query, (h.ref for h in found))
            )
            kept = [h for h in found if mode != "rest" or h.ref not in full]
            articles = engine.stored_many([h.ref for h in kept])
        # Snippets outside the lock, as in search().
        return [
            hit_of(h, mode != "full" and h.ref not in full, article, compiled)
            for h, article in zip(kept, articles, strict=True)
        ]

    def count(query: Query, filter_: Filter) -> int:
        with using() as engine:
            return engine.count(query, filter_)

    def windows(query: Query, lo: int, hi: int) -> Iterator[tuple[Filter, int]]:
        """(filter, matches) of date windows within lo..hi (ordinals), newest first."""
        window = Filter(dt.date.fromordinal(lo), dt.date.fromordinal(hi), source, category)
        matches = count(query, window)
        if not matches:
            return
        if matches <= batch or lo == hi:
            yield window, matches
            return
        # Cut into one window more than there are batches: each window read is a pass of
        # the engine over the query's posting lists, so fewer, fuller windows are faster;
        # the windows that still hold too many are cut again.
        days = hi - lo + 1
        parts = min(days, -(-matches // batch) + 1)
        for k in reversed(range(parts)):
            yield from windows(query, lo + days * k // parts, lo + days * (k + 1) // parts - 1)

    def undated_hits(query: Query, mode: str) -> Iterator[Hit]:
        """The matches without a date, in index order, ``batch`` at a time."""
        everything = Filter(None, None, source, category)
        matches = count(query, everything)
        dated = count(query, Filter(lo, hi, source, category)) if lo and hi else 0
        if matches == dated:
            return
        with using() as engine:
            # No window selects a missing date: rank every match, keep the undated ones.
            found = engine.top(query, matches, everything, False)
            missing = sorted((h for h in found if not h.day), key=lambda h: h.ref)
        for start in range(0, len(missing), batch):
            yield from read_hits(missing[start : start + batch], mode)

    lo, hi = dates
    for query, mode in passes:
        if lo is not None and hi is not None and lo <= hi:
            for window, matches in windows(query, lo.toordinal(), hi.toordinal()):
                yield from read(query, window, matches, mode)
        if undated:
            yield from undated_hits(query, mode)

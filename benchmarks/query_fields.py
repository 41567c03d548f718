"""Do fields typed in a query filter exactly as the options do? Agreement over drawn queries.

    python -m benchmarks.query_fields --index DIR [--queries 60] [--seed 25]

Draws ``--queries`` articles of the index (spread over its sources and categories, from the
articles each lists) and, from each, a query of one or two content words of its title. Each query is
asked with a filter written in it and with the same filter as an option, through
``search.Searcher``:

* ``source:``: the article's source (every fifth query another source, which may hold none);
* ``category:``: the article's category;
* ``since:``/``until:``: a period around the article's date, in turn in each form the options
  take (a day, a month, a year, day-first, a Hijri month or year, a month's name);
* all three at once.

For each it compares the total (and the articles with all the words), the ids in order of the
first two pages of 10, the facets of the first page, and the first 100 hits of ``scan`` (what
``bahth search --all`` lists). Prints the agreements by field, and every query that differs.
Figures only: no thresholds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import statistics
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from hijridate import Gregorian

from benchmarks.speed.make_queries import is_content
from search import Hit, QueryError, Searcher
from search.filters import written

PAGES = 2
LIMIT = 10
SCANNED = 100
_WORD = re.compile(r"[\u0621-\u064a]+")
# Gregorian month names as the options read them (search.ingest.dates).
_MONTHS = [
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "مايو",
    "يونيو",
    "يوليو",
    "أغسطس",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
]


@dataclass(frozen=True)
class Drawn:
    """An article a query comes from: its query words, source, category and date."""

    words: str
    source: str
    category: str | None
    day: dt.date | None


@dataclass
class Tally:
    """The comparisons of one kind of filter."""

    queries: int = 0
    with_hits: int = 0
    same_total: int = 0
    same_pages: int = 0
    same_facets: int = 0
    same_scan: int = 0
    same: int = 0
    hits: list[int] = field(default_factory=list)
    differ: list[str] = field(default_factory=list)


def draw(searcher: Searcher, count: int, rng: random.Random) -> list[Drawn]:
    """``count`` articles spread over the index's sources and categories (in turn: few sources
    have categories), each with a query of one or two content words of its title."""
    stats = searcher.stats()
    lists = [("source", label) for label, _ in stats.sources]
    lists += [("category", label) for label, _ in stats.categories]
    listed = [searcher.search(written(*pair), limit=200, sort="date").hits for pair in lists]
    drawn: list[Drawn] = []
    attempts = 0
    while len(drawn) < count and attempts < count * 50:
        attempts += 1
        hits = listed[attempts % len(listed)]
        if not hits:
            continue
        hit = rng.choice(hits)
        words = [w for w in _WORD.findall(hit.title) if is_content(w)]
        if not words or hit.source is None:
            continue
        taken = rng.sample(words, min(len(words), rng.choice((1, 2))))
        drawn.append(Drawn(" ".join(taken), hit.source, hit.category, hit.date))
    return drawn


def periods(day: dt.date, turn: int) -> tuple[str | None, str | None]:
    """A ``since``/``until`` pair around ``day`` in the form of this ``turn``."""
    later = day + dt.timedelta(days=45)
    hijri = Gregorian(day.year, day.month, day.day).to_hijri()
    forms: list[tuple[str | None, str | None]] = [
        (f"{day:%Y-%m}", None),
        (None, f"{day.year}"),
        (f"{day:%Y-%m-%d}", f"{later:%Y-%m-%d}"),
        (f"{day.day}/{day.month}/{day.year}", f"{later:%m}/{later.year}"),
        (f"{hijri.year}-{hijri.month:02d}h", f"{hijri.year}h"),
        (f"{_MONTHS[day.month - 1]} {day.year}", None),
        (f"{day.year}-01", f"{day:%Y-%m}"),
    ]
    return forms[turn % len(forms)]


def kinds(drawn: Drawn, turn: int, sources: list[str], rng: random.Random) -> Iterable[Any]:
    """``(kind, typed fields, options)`` for one drawn article."""
    source = drawn.source if turn % 5 else rng.choice(sources)
    yield "source:", {"source": source}
    if drawn.category:
        yield "category:", {"category": drawn.category}
    if drawn.day:
        since, until = periods(drawn.day, turn)
        dates = {k: v for k, v in (("since", since), ("until", until)) if v}
        yield "since:/until:", dates
        yield "all at once", {"source": drawn.source, **dates}


def compare(searcher: Searcher, words: str, given: dict[str, str], tally: Tally) -> None:
    """Ask ``words`` with ``given`` typed and as options; add what agrees to ``tally``."""
    typed = " ".join([words, *(written(name, value) for name, value in given.items())])
    tally.queries += 1

    def answers(query: str, options: dict[str, Any]) -> tuple[Any, ...] | str:
        try:
            pages = [
                searcher.search(query, limit=LIMIT, page=n, facets=n == 1, **options)
                for n in range(1, PAGES + 1)
            ]
            scanned = list(islice(searcher.scan(query, **options), SCANNED))
        except QueryError as error:
            return f"QueryError: {error.message}"
        first = pages[0]
        ids = [[(h.id, round(h.score, 6), h.partial) for h in p.hits] for p in pages]
        return (first.total, first.total_all_words), ids, first.facets, _ids(scanned)

    a, b = answers(typed, {}), answers(words, given)
    if isinstance(a, str) or isinstance(b, str):
        tally.same += a == b
        if a != b:
            tally.differ.append(f"{typed!r}: {a if isinstance(a, str) else 'ok'} / {b}")
        return
    tally.with_hits += a[0][0] > 0
    tally.hits.append(a[0][0])
    checks = [a[i] == b[i] for i in range(4)]
    tally.same_total += checks[0]
    tally.same_pages += checks[1]
    tally.same_facets += checks[2]
    tally.same_scan += checks[3]
    tally.same += all(checks)
    if not all(checks):
        names = ("total", "pages", "facets", "scan")
        tally.differ.append(
            f"{typed!r}: differs in {[n for n, ok in zip(names, checks, strict=True) if not ok]}"
        )


def _ids(hits: list[Hit]) -> list[str]:
    return [h.id for h in hits]


def table(tallies: dict[str, Tally], write: Callable[[str], object]) -> None:
    """The agreements, one line per kind of filter."""
    head = ["filter", "queries", "with hits", "median hits", "total", "pages 1-2", "facets"]
    head += ["scan 100", "all same"]
    write("| " + " | ".join(head) + " |")
    write("|" + "---|" * len(head))
    for kind, t in tallies.items():
        median = statistics.median(t.hits) if t.hits else 0
        cells: list[object] = [kind, t.queries, t.with_hits, f"{median:g}", t.same_total]
        cells += [t.same_pages, t.same_facets, t.same_scan, f"{t.same}/{t.queries}"]
        write("| " + " | ".join(str(c) for c in cells) + " |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--index", type=Path, required=True, help="the index to ask")
    parser.add_argument("--queries", type=int, default=60, help="articles to draw queries from")
    parser.add_argument("--seed", type=int, default=25, help="the draw's random seed")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    tallies: dict[str, Tally] = {}
    with Searcher(args.index) as searcher:
        stats = searcher.stats()
        sources = [label for label, _ in stats.sources]
        drawn = draw(searcher, args.queries, rng)
        for turn, article in enumerate(drawn):
            for kind, given in kinds(article, turn, sources, rng):
                compare(searcher, article.words, given, tallies.setdefault(kind, Tally()))
    print(
        f"{stats.articles:,} articles, {len(sources)} sources, {len(stats.categories)} "
        f"categories; {len(drawn)} drawn queries (seed {args.seed})\n"
    )
    table(tallies, print)
    for kind, t in tallies.items():
        for line in t.differ:
            print(f"differs, {kind} {line}")
    return 0 if all(t.same == t.queries for t in tallies.values()) else 1


if __name__ == "__main__":
    sys.exit(main())

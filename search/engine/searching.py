"""Searching an open index snapshot, and reading stored articles and statistics."""

from __future__ import annotations

import datetime as dt
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from whoosh import collectors
from whoosh import query as wq

from ..article import Article
from ..query import Node
from .compiling import WEIGHTING, CompiledQuery, compile_query
from .schema import KEYWORD_SEPARATOR, keyword_key
from .writing import open_index

T = TypeVar("T")

# A search and its count share one filter; paging through results repeats it.
FILTER_CACHE_SIZE = 8
# A search counts its query once, but a scan (Searcher.scan) counts the same query in every
# date window: its matches are kept for the next count.
MATCHES_CACHE_SIZE = 2
# Ranking compares scores to this many decimals (BM25 sums are around 1-100, plus 10,000 per
# matched clause with coordination: far above the last digits that summation order changes).
SCORE_DIGITS = 6
# Hits fetched past the page, to see whether the page's last score is tied with the next ones.
TIE_MARGIN = 16


@dataclass(frozen=True, slots=True)
class StoredArticle:
    """An article as stored in the index."""

    docnum: int
    article: Article


def _article(fields: dict[str, object]) -> Article:
    date = fields.get("date")
    keywords = str(fields.get("keywords") or "")
    return Article(
        id=str(fields["id"]),
        title=str(fields.get("title") or ""),
        body=zlib.decompress(fields["body_z"]).decode("utf-8") if "body_z" in fields else "",
        date=date.date() if isinstance(date, dt.datetime) else None,
        date_text=fields.get("date_text"),  # type: ignore[arg-type]
        source=fields.get("source_label"),  # type: ignore[arg-type]
        category=fields.get("category_label"),  # type: ignore[arg-type]
        url=fields.get("url"),  # type: ignore[arg-type]
        keywords=tuple(k for k in keywords.split(KEYWORD_SEPARATOR) if k),
    )


@dataclass(frozen=True, slots=True)
class EngineHit:
    docnum: int
    score: float
    date: dt.date | None


@dataclass(frozen=True, slots=True)
class EngineResults:
    total: int
    hits: list[EngineHit]


def _remember(
    cache: dict[wq.Query, set[int]],
    query: wq.Query,
    size: int,
    compute: Callable[[wq.Query], set[int]],
) -> set[int]:
    """``compute(query)``, kept in ``cache`` (at most ``size`` entries, the oldest dropped)."""
    if query not in cache:
        if len(cache) >= size:
            del cache[next(iter(cache))]
        cache[query] = compute(query)
    return cache[query]


def _rounded_score(hit: EngineHit) -> float:
    return round(hit.score, SCORE_DIGITS)


def _day(hit: EngineHit) -> int:
    return hit.date.toordinal() if hit.date else 0


class EngineSearcher:
    """An open index snapshot: compile query trees, run them, read stored articles.

    whoosh's searcher is a snapshot of the index when it was opened; the caller reopens
    (``Searcher.refresh``) to see later commits.
    """

    def __init__(self, directory: Path) -> None:
        self._index = open_index(directory)
        self._searcher = self._index.searcher(weighting=WEIGHTING)
        self._days = None
        self._hashes = None
        self._filters: dict[wq.Query, set[int]] = {}
        self._matches: dict[wq.Query, set[int]] = {}

    def close(self) -> None:
        self._searcher.close()

    def doc_count(self) -> int:
        return self._searcher.doc_count()

    def compile(self, tree: Node, *, exact_only: bool = False) -> CompiledQuery:
        """Translate a query tree; ``exact_only`` matches normalized forms without stemming."""
        return compile_query(self._searcher, tree, exact_only=exact_only)

    def search(
        self,
        query: wq.Query,
        *,
        limit: int,
        filter_: wq.Query | None = None,
        exclude_docs: set[int] | None = None,
        by_date: bool = False,
        count: bool = True,
    ) -> EngineResults:
        """Run ``query``: the top ``limit`` hits and the total (``count=False``: the hits only).

        Hits are ranked by score, then newest first, then in index order (``by_date``: newest
        first, then in index order). Scores are compared to ``SCORE_DIGITS`` decimals, so that
        copies of one article tie whatever order whoosh added up their parts in. The ranking
        does not depend on ``limit``: the first k hits are the same for every limit of k or more.
        """
        allowed = self._allowed(filter_)
        if allowed is not None and not allowed:
            # whoosh takes an empty filter for no filter at all.
            return EngineResults(total=0, hits=[])
        key = _day if by_date else _rounded_score
        fetch = limit + TIE_MARGIN
        while True:
            hits = self._top(query, fetch, allowed, exclude_docs, by_date)
            # Articles tied with the last one on the page may lie past what was fetched: fetch
            # until the tie is broken, so that date, not whoosh's index order, decides it.
            if len(hits) < fetch or key(hits[-1]) != key(hits[limit - 1]):
                break
            fetch *= 4
        hits.sort(key=lambda h: (-key(h), -_day(h), h.docnum))
        # Not whoosh's count: once a better article enters a full page, whoosh prunes the parts
        # of the query that can no longer reach the page, and its count misses their articles.
        total = self.count(query, filter_) if count else len(hits)
        return EngineResults(total=total, hits=hits[:limit])

    def _top(
        self,
        query: wq.Query,
        limit: int,
        allowed: set[int] | None,
        exclude_docs: set[int] | None,
        by_date: bool,
    ) -> list[EngineHit]:
        """whoosh's top ``limit`` hits, by score (or newest first)."""
        if by_date:
            collector = self._searcher.collector(limit=limit, sortedby="day", reverse=True)
        else:
            # replace=0: whoosh's matcher replacement, which drops the parts of a query that
            # can no longer reach a full page, judges them by upper bounds that are too low:
            # the coordination bonus's wrapper, the preloaded OR whoosh picks on segments
            # under 5,000 articles (it bounds a sum by its largest part), and at least one
            # more (with those two fixed, 5 of 256 SaudiNewsNet searches still differed from
            # exhaustive scoring). The top hits of ولي العهد changed with the page size.
            # Skipping posting blocks by their stored maximum score stays: those bounds hold.
            collector = collectors.TopCollector(limit, usequality=True, replace=0)
        if allowed is not None or exclude_docs:
            collector = collectors.FilterCollector(collector, allowed, exclude_docs)
        self._searcher.search_with_collector(query, collector)
        # Sorted by date, whoosh reports the sort key as the score: there is no relevance score.
        return [
            EngineHit(h.docnum, 0.0 if by_date else h.score or 0.0, self.date_of(h.docnum))
            for h in collector.results()
        ]

    def count(self, query: wq.Query, filter_: wq.Query | None = None) -> int:
        """How many articles match (and pass ``filter_``), without scoring."""
        matches = _remember(self._matches, query, MATCHES_CACHE_SIZE, self._docs)
        allowed = self._allowed(filter_)
        return len(matches if allowed is None else matches & allowed)

    def _docs(self, query: wq.Query) -> set[int]:
        """The articles matching ``query``, by set operations on its leaves' posting lists.

        whoosh's ``docs_for_query`` steps the whole matcher tree one article at a time: on
        31,000 articles, counting a three-word query that way took longer than ranking it.
        """
        kind = type(query)
        if kind in (wq.Or, wq.PreloadedOr):
            return set().union(*map(self._docs, query.subqueries))
        if kind is wq.And:
            first, *rest = sorted(map(self._docs, query.subqueries), key=len)
            return first.intersection(*rest)
        if isinstance(query, wq.AndNot):
            return self._docs(query.a) - self._docs(query.b)
        if isinstance(query, wq.WrappingQuery):
            return self._docs(query.child)
        return set(self._searcher.docs_for_query(query))

    def _allowed(self, filter_: wq.Query | None) -> set[int] | None:
        """The articles ``filter_`` lets through (whoosh takes a set as a filter), computed once
        per filter and snapshot; never modified."""
        if filter_ is None:
            return None
        return _remember(
            self._filters,
            filter_,
            FILTER_CACHE_SIZE,
            lambda q: set(self._searcher.docs_for_query(q)),
        )

    def matching(self, query: wq.Query, docnums: Iterable[int]) -> set[int]:
        """Which of ``docnums`` match ``query``."""
        return self._docs(query).intersection(docnums)

    def date_of(self, docnum: int) -> dt.date | None:
        if self._days is None:
            self._days = self._searcher.reader().column_reader("day")
        day = self._days[docnum]
        return dt.date.fromordinal(day) if day > 0 else None

    def stored(self, docnum: int) -> Article:
        return _article(self._searcher.stored_fields(docnum))

    def find(self, article_id: str) -> StoredArticle | None:
        docnum = self._searcher.document_number(id=article_id)
        return None if docnum is None else StoredArticle(docnum, self.stored(docnum))

    def content_hash(self, article_id: str) -> str | None:
        """The content hash stored with an article, or None if the id is not in the index."""
        docnum = self._searcher.document_number(id=article_id)
        if docnum is None:
            return None
        if self._hashes is None:
            self._hashes = self._searcher.reader().column_reader("hash")
        return self._hashes[docnum]

    def ids(self) -> Iterator[str]:
        """Every article id in the index."""
        for _, article_id in self._live(self._searcher.reader().column_reader("id")):
            yield article_id

    def date_range(self) -> tuple[dt.date | None, dt.date | None]:
        days = [
            day for docnum, day in self._live(self._searcher.reader().column_reader("day")) if day
        ]
        if not days:
            return None, None
        return dt.date.fromordinal(min(days)), dt.date.fromordinal(max(days))

    def _live(self, column: Iterable[T]) -> Iterator[tuple[int, T]]:
        """(docnum, value) for the articles not deleted."""
        reader = self._searcher.reader()
        deleted = reader.has_deletions()
        for docnum, value in enumerate(column):
            if not (deleted and reader.is_deleted(docnum)):
                yield docnum, value

    def has_keyword(self, field_name: str, value: str) -> bool:
        """True when a live article has ``value`` as its source or category."""
        term = wq.Term(field_name, keyword_key(value))
        return any(True for _ in self._searcher.docs_for_query(term))

    def keyword_counts(self, field_name: str) -> list[tuple[str, int]]:
        """(label as published, article count) for each source or category, largest first.

        Counted over live articles (whoosh's document frequencies still count deleted ones).
        """
        counts: Counter[str] = Counter()
        first_doc: dict[str, int] = {}
        for docnum, key in self._live(self._searcher.reader().column_reader(field_name)):
            if key:
                counts[key] += 1
                first_doc.setdefault(key, docnum)
        labels = {
            key: self._searcher.stored_fields(docnum).get(f"{field_name}_label") or key
            for key, docnum in first_doc.items()
        }
        return sorted(((labels[k], n) for k, n in counts.items()), key=lambda i: (-i[1], i[0]))

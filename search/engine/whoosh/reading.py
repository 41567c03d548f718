"""Reading a whoosh index: neutral queries → whoosh queries, ranking, stored articles."""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
import zlib
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

from whoosh import collectors
from whoosh import query as wq
from whoosh.matching import AndNotMatcher, Matcher, NullMatcherClass
from whoosh.matching.wrappers import WrappingMatcher
from whoosh.scoring import BM25F

from ...article import Article
from .. import contract as q
from ..contract import KEYWORD_SEPARATOR, STORY, EngineHit, FacetCounts, Ref, keyword_key, version
from .phrases import ScoredPhrase
from .schema import midnight
from .termtable import field_terms
from .writing import open_index

T = TypeVar("T")

# BM25F per field: titles are short, so their length matters less (lower B).
WEIGHTING = BM25F(B=0.75, K1=1.2, title_B=0.5, title_exact_B=0.5, keywords_exact_B=0.3)
# A search and its count share one filter; paging through results repeats it.
FILTER_CACHE_SIZE = 8
# A search counts its query once, but a scan (Searcher.scan) counts the same query in every
# date window: its matches are kept for the next count.
MATCHES_CACHE_SIZE = 2
# Prefix expansions are chosen among the first this many terms in term order.
MAX_SCANNED = 20_000
# An OR of more leaves than this is read into one array (whoosh's PreloadedOr): whoosh's
# default OR is a binary tree of matchers, slow with a prefix's hundreds of leaves (a prefix
# query's p95 fell from 0.7 s to 40 ms on 6,000 articles).
PRELOADED_LEAVES = 16


def _article(fields: dict[str, Any]) -> Article:
    date = fields.get("date")
    keywords = str(fields.get("keywords") or "")
    return Article(
        id=str(fields["id"]),
        title=str(fields.get("title") or ""),
        body=zlib.decompress(fields["body_z"]).decode("utf-8") if "body_z" in fields else "",
        date=date.date() if isinstance(date, dt.datetime) else None,
        date_text=fields.get("date_text"),
        source=fields.get("source_label"),
        category=fields.get("category_label"),
        url=fields.get("url"),
        keywords=tuple(k for k in keywords.split(KEYWORD_SEPARATOR) if k),
    )


def _remember(
    cache: dict[Hashable, set[int]], key: Hashable, size: int, compute: Callable[[], set[int]]
) -> set[int]:
    """``compute()``, kept in ``cache`` under ``key`` (at most ``size`` entries, the oldest
    dropped)."""
    if key not in cache:
        if len(cache) >= size:
            del cache[next(iter(cache))]
        cache[key] = compute()
    return cache[key]


class _ExcludingMatcher(AndNotMatcher):
    """whoosh's AndNotMatcher, starting right.

    whoosh's version looks past the excluded articles at the start only when the first
    excluded article is the first wanted one: when an excluded article came earlier in the
    index, the first wanted article was a hit even if it was excluded too.
    """

    def _find_first(self) -> None:
        if self.a.is_active() and self.b.is_active():
            self._find_next()


class _AndNot(wq.AndNot):
    """``a`` without the articles matching ``b``, with ``_ExcludingMatcher``."""

    def matcher(self, searcher: object, context: object = None) -> Matcher:
        return _ExcludingMatcher(
            self.a.matcher(searcher, context),
            self.b.matcher(searcher, searcher.boolean_context()),  # type: ignore[attr-defined]
        )


COORDINATION = 10_000.0
"""Added to the score for each query clause an article matches: far above any BM25 sum, so
articles matching more of the words rank first, and BM25 orders articles matching as many."""


class _BonusMatcher(WrappingMatcher):
    """The child's matches, each scoring ``bonus`` more."""

    def __init__(self, child: Matcher, bonus: float = COORDINATION, boost: float = 1.0) -> None:
        super().__init__(child, boost)
        self.bonus = bonus

    def copy(self) -> _BonusMatcher:
        return _BonusMatcher(self.child.copy(), self.bonus)

    def _replacement(self, newchild: Matcher) -> _BonusMatcher:
        return _BonusMatcher(newchild, self.bonus)

    def skip_to_quality(self, minquality: float) -> int:
        return self.child.skip_to_quality(minquality - self.bonus)

    def max_quality(self) -> float:
        return self.child.max_quality() + self.bonus

    def block_quality(self) -> float:
        return self.child.block_quality() + self.bonus

    def score(self) -> float:
        return self.child.score() + self.bonus


class _Bonus(wq.WrappingQuery):
    """A query whose matches score ``COORDINATION`` more than the child's."""

    def matcher(self, searcher: object, context: object = None) -> Matcher:
        child = self.child.matcher(searcher, context)
        if isinstance(child, NullMatcherClass):
            return child
        return _BonusMatcher(child)


def matched_clauses(score: float) -> tuple[int, float]:
    """(how many clauses matched, the BM25 score) from the score of a ``Coordinated`` hit."""
    matched = int(score // COORDINATION)
    return matched, score - matched * COORDINATION


def translate(query: q.Query) -> wq.Query:
    """The whoosh query of a neutral one."""
    match query:
        case q.Term(field, text, boost):
            return wq.Term(field, text, boost=boost)
        case q.Phrase(field, words, boost):
            return ScoredPhrase(field, list(words), boost=boost)
        case q.AnyOf(children):
            parts = [translate(c) for c in children]
            if len(parts) > PRELOADED_LEAVES and all(isinstance(c, q.Term) for c in children):
                return wq.PreloadedOr(parts)
            return wq.Or(parts)
        case q.AllOf(children):
            return wq.And([translate(c) for c in children])
        case q.Scored(inner, bonus):
            return wq.AndMaybe(translate(inner), translate(bonus))
        case q.Without(inner, exclude):
            return _AndNot(translate(inner), wq.Or([translate(c) for c in exclude]))
        case q.Coordinated(clauses, exclude):
            # One pass: each clause an article matches adds COORDINATION to its score.
            bonus = wq.Or([_Bonus(translate(c)) for c in clauses])
            return _AndNot(bonus, wq.Or([translate(c) for c in exclude])) if exclude else bonus
        case q.Nothing():
            return wq.NullQuery
        case q.Everything():
            return wq.Every()
    raise TypeError(f"not a query: {query!r}")


def translate_filter(filter_: q.Filter) -> wq.Query | None:
    """The whoosh query of a filter, or None when it lets everything through."""
    parts: list[wq.Query] = []
    if filter_.since or filter_.until:
        start = midnight(filter_.since) if filter_.since else None
        end = midnight(filter_.until) if filter_.until else None
        parts.append(wq.DateRange("date", start, end))
    for field_name, value in (("source", filter_.source), ("category", filter_.category)):
        if value is not None:
            parts.append(wq.Term(field_name, keyword_key(value)))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else wq.And(parts)


class WhooshReader:
    """An open whoosh index snapshot (``contract.EngineReader``)."""

    # Scores are sums of floats (BM25 around 1-100, plus 10,000 per matched clause with
    # coordination): 6 decimals lie far above the last digits that summation order changes.
    score_digits = 6
    missing: tuple[str, ...] = ()  # all local

    def __init__(self, directory: Path) -> None:
        self._index = open_index(directory)
        self._searcher = self._index.searcher(weighting=WEIGHTING)
        self._hashes: Any = None  # whoosh's column reader, opened on first use
        self._columns: dict[str, Any] = {}
        self._filters: dict[Hashable, set[int]] = {}
        self._matches: dict[Hashable, set[int]] = {}

    def close(self) -> None:
        self._searcher.close()

    def doc_count(self) -> int:
        return self._searcher.doc_count()

    def doc_frequency(self, field: str, term: str) -> int:
        return self._searcher.doc_frequency(field, term)

    def expand(self, field: str, prefix: str, limit: int) -> list[str]:
        found = itertools.islice(self._searcher.reader().iter_prefix(field, prefix), MAX_SCANNED)
        ranked = heapq.nlargest(limit, found, key=lambda item: item[1].doc_frequency())
        return [text.decode("utf-8") for text, _ in ranked]

    def terms(self, field: str) -> Iterator[tuple[str, int]]:
        # Segment by segment, summed here: whoosh's own merge of the segments' term lists is
        # four times slower (72,716 articles' body_exact: 12.4 s, against 3.0 s).
        counts: Counter[bytes] = Counter()
        for segment, _ in self._searcher.reader().leaf_readers():
            found = field_terms(segment, field)
            if found is None:
                found = ((text, info.doc_frequency()) for text, info in segment.iter_field(field))
            for text, n in found:
                counts[text] += n
        return ((text.decode("utf-8"), n) for text, n in counts.items())

    def top(
        self, query: q.Query, limit: int, filter_: q.Filter | None, by_date: bool
    ) -> list[EngineHit]:
        allowed = self._allowed(filter_)
        if allowed is not None and not allowed:
            return []  # whoosh takes an empty filter for no filter at all
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
        if allowed is not None:
            collector = collectors.FilterCollector(collector, allowed)
        self._searcher.search_with_collector(translate(query), collector)
        coordinated = isinstance(query, q.Coordinated)
        hits = []
        for hit in collector.results():
            # Sorted by date, whoosh reports the sort key as the score.
            score = 0.0 if by_date else hit.score or 0.0
            matched = 0
            if coordinated:
                matched, score = matched_clauses(score)
            hits.append(EngineHit(hit.docnum, score, self._day(hit.docnum), matched))
        return hits

    def count(self, query: q.Query, filter_: q.Filter | None) -> int:
        return len(self._matching(query, filter_))

    def _matching(self, query: q.Query, filter_: q.Filter | None) -> set[int]:
        """The live articles that match and pass ``filter_``."""
        matches = _remember(
            self._matches, query, MATCHES_CACHE_SIZE, lambda: self._docs(translate(query))
        )
        allowed = self._allowed(filter_)
        return matches if allowed is None else matches & allowed

    def _column(self, field: str) -> Any:
        if field not in self._columns:
            self._columns[field] = self._searcher.reader().column_reader(field)
        return self._columns[field]

    def facets(self, query: q.Query, filter_: q.Filter | None) -> FacetCounts:
        docs = self._matching(query, filter_)
        if not docs:
            return FacetCounts({}, {}, {})
        sources, categories, days = (self._column(f) for f in ("source", "category", "day"))
        source = Counter(sources[d] for d in docs)
        category = Counter(categories[d] for d in docs)
        day = Counter(days[d] for d in docs)
        # Columns hold "" and 0 for articles without a source, category or date.
        for counter, missing in ((source, ""), (category, ""), (day, 0)):
            counter.pop(missing, None)  # type: ignore[call-overload]
        return FacetCounts(dict(source), dict(category), dict(day))

    def story_count(
        self, query: q.Query, filter_: q.Filter | None, *, estimate: bool = False
    ) -> int:
        docs = self._matching(query, filter_)
        if not docs:
            return 0
        stories = self._column(STORY)
        return len({stories[d] for d in docs})

    def stories(self, refs: Sequence[Ref]) -> list[int]:
        if not refs:
            return []
        column = self._column(STORY)
        return [int(column[ref]) for ref in refs]

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
        if isinstance(query, wq.AndMaybe):
            return self._docs(query.a)
        if isinstance(query, wq.WrappingQuery):
            return self._docs(query.child)
        return set(self._searcher.docs_for_query(query))

    def _allowed(self, filter_: q.Filter | None) -> set[int] | None:
        """The articles ``filter_`` lets through, computed once per filter and snapshot."""
        whoosh_filter = translate_filter(filter_) if filter_ is not None else None
        if whoosh_filter is None:
            return None
        return _remember(
            self._filters,
            filter_,
            FILTER_CACHE_SIZE,
            lambda: set(self._searcher.docs_for_query(whoosh_filter)),
        )

    def matching(self, query: q.Query, refs: Iterable[Ref]) -> set[Ref]:
        docs = self._docs(translate(query))
        return {ref for ref in refs if ref in docs}

    def scores(self, query: q.Query, refs: Sequence[Ref]) -> list[float | None]:
        if not refs:
            return []
        collector = collectors.FilterCollector(
            collectors.TopCollector(len(refs), usequality=False), set(refs)
        )
        self._searcher.search_with_collector(translate(query), collector)
        scored: dict[Ref, float] = {hit.docnum: hit.score or 0.0 for hit in collector.results()}
        return [scored.get(ref) for ref in refs]

    def _day(self, docnum: int) -> int:
        return self._column("day")[docnum]

    def stored_many(self, refs: Sequence[Ref]) -> list[Article]:
        return [_article(self._searcher.stored_fields(ref)) for ref in refs]

    def ids_of(self, refs: Sequence[Ref]) -> list[str]:
        return [str(self._searcher.stored_fields(ref)["id"]) for ref in refs]

    def find(self, article_id: str) -> Article | None:
        docnum = self.locate(article_id)
        return None if docnum is None else self.stored_many([docnum])[0]

    def locate(self, article_id: str) -> Ref | None:
        return self._searcher.document_number(id=article_id)

    def versions(self, article_ids: Sequence[str]) -> dict[str, int]:
        found = {}
        for article_id in article_ids:
            docnum = self._searcher.document_number(id=article_id)
            if docnum is None:
                continue
            if self._hashes is None:  # an empty index has no column to read
                self._hashes = self._searcher.reader().column_reader("hash")
            found[article_id] = version(self._hashes[docnum])
        return found

    def ids(self) -> Iterator[str]:
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

    def has_keyword(self, field: str, value: str) -> bool:
        term = wq.Term(field, keyword_key(value))
        return any(True for _ in self._searcher.docs_for_query(term))

    def keyword_counts(self, field: str) -> list[tuple[str, int]]:
        # Counted over live articles (whoosh's document frequencies still count deleted ones).
        counts: Counter[str] = Counter()
        first_doc: dict[str, int] = {}
        for docnum, key in self._live(self._searcher.reader().column_reader(field)):
            if key:
                counts[key] += 1
                first_doc.setdefault(key, docnum)
        labels = {
            key: self._searcher.stored_fields(docnum).get(f"{field}_label") or key
            for key, docnum in first_doc.items()
        }
        return sorted(((labels[k], n) for k, n in counts.items()), key=lambda i: (-i[1], i[0]))

"""Searcher: query string → query tree → engine → ranked ``Results`` with snippets.

>>> with Searcher("indexes/news") as searcher:  # doctest: +SKIP
...     for hit in searcher.search("الحرب في أوكرانيا", limit=10, since="2025-01-01"):
...         print(hit.title, hit.snippet)
"""

from __future__ import annotations

import datetime as dt
import os
import time
from dataclasses import replace
from pathlib import Path
from typing import Literal

from . import layout
from .arabic import ANALYSIS_VERSION
from .article import Article
from .engine import (
    SCHEMA_VERSION,
    CompiledQuery,
    EngineHit,
    EngineSearcher,
    any_of,
    coordinated,
    filters,
    matched_clauses,
)
from .errors import IndexIncompatible, QueryError
from .query import parse
from .results import Hit, IndexStats, Results
from .snippets import make_snippet, mark

Sort = Literal["relevance", "date"]
Match = Literal["auto", "all", "any"]
MAX_LIMIT = 1000


def _as_date(value: str | dt.date | None, option: str) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise QueryError(f"{option}: '{value}' is not a date", "Write it as YYYY-MM-DD") from None


class Searcher:
    """Searches the index at ``path``; open it once and reuse it (it caches the engine's reader).

    A Searcher reads the generation that was live when it opened, and keeps reading it during
    a rebuild; ``refresh()`` moves it to the newest. Use it as a context manager or ``close()``.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._open()

    def _open(self) -> None:
        generation, lock = layout.hold_live_generation(self.path)
        meta = layout.read_meta(generation)
        if meta.get("analysis") != ANALYSIS_VERSION or meta.get("schema") != SCHEMA_VERSION:
            lock.close()
            raise IndexIncompatible(
                f"The index at {self.path} was built by another version of Bahth's analysis.",
                f"Rebuild it with: bahth rebuild DUMP... --index {self.path}",
            )
        self._lock = lock
        self.generation = generation
        self._meta = meta
        self._engine = EngineSearcher(generation)

    def refresh(self) -> bool:
        """Reopen if another generation or newer commits are live; True if it changed."""
        live = layout.current(self.path)
        if live == self.generation and layout.read_meta(live) == self._meta:
            return False
        self.close()
        self._open()
        return True

    def close(self) -> None:
        self._engine.close()
        self._lock.close()

    def __enter__(self) -> Searcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def search(
        self,
        query: str,
        *,
        limit: int = 10,
        page: int = 1,
        since: str | dt.date | None = None,
        until: str | dt.date | None = None,
        source: str | None = None,
        sort: Sort = "relevance",
        match: Match = "auto",
        stemming: bool = True,
    ) -> Results:
        """Search for ``query`` (see ``search.query`` for the language).

        ``match="auto"`` returns articles containing all the words first; when there are fewer
        than the page needs, it fills the page with articles containing most of them, ranked
        after the full matches and flagged ``partial``. ``"all"`` never fills; ``"any"`` ranks
        every article containing any word by score. ``sort="date"`` lists newest first.
        ``since``/``until`` (inclusive, ``YYYY-MM-DD``) and ``source`` filter.
        ``stemming=False`` matches words only in their exact (normalized) forms: ``روسيا``
        then finds ``روسيا`` but not ``وروسيا`` or ``الروسية``.
        """
        started = time.perf_counter()
        if not 1 <= limit <= MAX_LIMIT:
            raise QueryError(f"limit must be between 1 and {MAX_LIMIT}, not {limit}")
        if page < 1:
            raise QueryError(f"page must be 1 or more, not {page}")
        if sort not in ("relevance", "date") or match not in ("auto", "all", "any"):
            raise QueryError(f"unknown sort '{sort}' or match '{match}'")
        compiled = self._engine.compile(parse(query), exact_only=not stemming)
        filter_ = filters(_as_date(since, "--since"), _as_date(until, "--until"), source)
        need = page * limit
        by_date = sort == "date"
        if match == "any" and len(compiled.clauses) > 1:
            ranked, total = self._any(compiled, need, filter_, by_date)
        else:
            ranked, total = self._all(compiled, need, filter_, by_date, fill=match == "auto")
        hits = [self._hit(h, partial, compiled) for h, partial in ranked[need - limit : need]]
        return Results(
            query=query,
            total=total,
            took_ms=(time.perf_counter() - started) * 1000,
            hits=hits,
            page=page,
            limit=limit,
            unknown=compiled.unknown,
            stopwords=compiled.stopwords,
        )

    def _all(
        self, compiled: CompiledQuery, need: int, filter_: object, by_date: bool, fill: bool
    ) -> tuple[list[tuple[EngineHit, bool]], int]:
        clauses = compiled.clauses
        if not fill or len(clauses) < 2:
            full = self._engine.search(compiled.query, limit=need, filter_=filter_, by_date=by_date)
            return [(h, False) for h in _tie_break(full.hits, by_date)], full.total
        if not by_date:
            # One pass: articles with more of the words first, BM25 among equals; its count
            # is every article with any word, full and partial matches alike.
            found = self._engine.search(
                coordinated(clauses, compiled.exclude), limit=need, filter_=filter_
            )
            ranked = []
            for hit in _tie_break(found.hits, by_date):
                matched, score = matched_clauses(hit.score)
                ranked.append((replace(hit, score=score), matched < len(clauses)))
            return ranked, found.total
        # Newest first: the articles with all the words, then those with some.
        full = self._engine.search(
            compiled.query, limit=need, filter_=filter_, by_date=True, count=False
        )
        ranked = [(h, False) for h in full.hits]
        any_query = any_of(clauses, compiled.exclude)
        total = self._engine.count(any_query, filter_)
        if len(full.hits) < need:
            rest = self._engine.search(
                any_query,
                limit=need - len(ranked),
                filter_=filter_,
                exclude_docs={h.docnum for h in full.hits},
                by_date=True,
                count=False,
            )
            ranked += [(h, True) for h in rest.hits]
        return ranked, total

    def _any(
        self, compiled: CompiledQuery, need: int, filter_: object, by_date: bool
    ) -> tuple[list[tuple[EngineHit, bool]], int]:
        any_query = any_of(compiled.clauses, compiled.exclude)
        found = self._engine.search(any_query, limit=need, filter_=filter_, by_date=by_date)
        hits = _tie_break(found.hits, by_date)
        full = self._engine.matching(compiled.query, (h.docnum for h in hits))
        return [(h, h.docnum not in full) for h in hits], found.total

    def _hit(self, engine_hit: EngineHit, partial: bool, compiled: CompiledQuery) -> Hit:
        article = self._engine.stored(engine_hit.docnum)
        snippet, spans = make_snippet(article.body or article.title, compiled.highlights)
        return Hit(
            id=article.id,
            title=article.title,
            date=article.date,
            source=article.source,
            category=article.category,
            url=article.url,
            score=engine_hit.score,
            partial=partial,
            snippet=snippet,
            highlights=spans,
            title_highlights=mark(article.title, compiled.highlights),
        )

    def get(self, article_id: str) -> Article | None:
        """The stored article with this id, or None."""
        found = self._engine.find(article_id)
        return found.article if found else None

    def stats(self) -> IndexStats:
        """Article count, date range, sources, size on disk and provenance of the index."""
        first, last = self._engine.date_range()
        size = sum(p.stat().st_size for p in self.generation.iterdir() if p.is_file())
        return IndexStats(
            articles=self._engine.doc_count(),
            first_date=first,
            last_date=last,
            sources=self._engine.keyword_counts("source"),
            categories=self._engine.keyword_counts("category"),
            size_bytes=size,
            generation=self.generation.name,
            built=self._meta.get("built"),
            updated=self._meta.get("updated"),
            dumps=list(self._meta.get("dumps", [])),
        )


def _tie_break(hits: list[EngineHit], by_date: bool) -> list[EngineHit]:
    """Equal scores: the newer article first (undated last)."""
    if by_date:
        return hits
    return sorted(hits, key=lambda h: (-h.score, -(h.date or dt.date.min).toordinal()))

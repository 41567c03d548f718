"""Searcher: query string → query tree → engine → ranked ``Results`` with snippets.

>>> with Searcher("indexes/news") as searcher:  # doctest: +SKIP
...     for hit in searcher.search("الحرب في أوكرانيا", limit=10, since="2025-01-01"):
...         print(hit.title, hit.snippet)
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import os
import time
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import IO

from . import layout
from .article import Article
from .engine import EngineHit, EngineReader, Filter, engine_of, location_of
from .engine.compiling import CompiledQuery, compile_query
from .engine.contract import STORY, Everything, Query, Reach, Term, any_of, keyword_key
from .engine.ranking import Match, Sort, rank, rank_stories, story_copies
from .errors import BahthError
from .explain import Explanation
from .explain import explain as explain_hits
from .facets import Facets
from .facets import facets as make_facets
from .filters import filters_of, lift_filters
from .labels import Labels
from .options import check_keyword, check_scan, check_search, page_error, past_depth
from .periods import date_range
from .query import parse
from .results import Hit, IndexStats, Results, Span
from .scanning import scan_hits
from .sharing import SharedLock
from .snippets import hit_of, mark
from .spelling import families
from .spelling.autocorrect import finds_clearly_more
from .spelling.speller import Speller
from .spelling.variants import Variants
from .storage import storage_errors

MAX_COPIES = 100
"""A collapsed hit names at most this many other copies of its story."""


class Searcher:
    """Searches the index at ``path``; open it once and reuse it (it caches the engine's reader).

    A Searcher reads the generation that was live when it opened, and keeps reading it during
    a rebuild; ``refresh()`` moves it to the newest. Use it as a context manager or ``close()``.

    One Searcher may be shared by threads. An engine whose reader threads may share
    (``Engine.THREAD_SAFE``: tantivy) answers them at once; otherwise (whoosh, whose readers
    keep file positions that concurrent reads would move under each other) the engine's part
    of a search runs one thread at a time, and snippets are built outside that lock. A
    ``refresh`` or ``close`` waits for the searches under way.

    An index whose shards are served by other machines (the xapian engine, ``bahth shard
    serve``) waits ``timeout`` seconds for each answer (None: 10); a shard that does not answer
    raises ``ShardUnavailable`` naming it, or, with ``allow_partial``, is left out: the results
    of the other shards come back with ``Results.missing_shards`` naming it. A local index
    ignores both.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        timeout: float | None = None,
        allow_partial: bool = False,
    ) -> None:
        self.path = Path(path)
        self._reach = Reach(timeout, allow_partial)
        self._lock = SharedLock()
        self._names: Labels | None = None
        self._open()

    @storage_errors(writing=False)
    def _open(self) -> None:
        generation, lock = layout.hold_live_generation(self.path)
        try:
            meta = layout.read_meta(generation)
            layout.check_versions(self.path, meta)
            kind = engine_of(generation)
            engine: EngineReader = kind.open_reader(location_of(generation), self._reach)
        except BaseException:
            lock.close()  # this Searcher will not read the generation: a rebuild may delete it
            raise
        self._generation_lock = lock
        self.generation = generation
        self._meta = meta
        self._engine = engine
        self._thread_safe = kind.THREAD_SAFE
        self._keyword_forms: dict[str, dict[str, str]] | None = None  # facet keys → as published
        self._speller = Speller(self._engine, generation)
        self._variants = Variants.read(generation)
        self._family = families.lazy(generation)

    @property
    def labels(self) -> Labels:
        """The display names of the index's sources and categories (``search.labels``): its
        own (``bahth labels set``), then the shipped ones; re-read when they change, so that a
        long-lived Searcher (the web app's) shows a name set after it opened."""
        self._names = Labels.of(self.path) if self._names is None else self._names.fresh()
        return self._names

    def _reading(self) -> AbstractContextManager[None]:
        """Held while the engine's reader is used: shared by threads when the engine allows."""
        return self._lock.shared() if self._thread_safe else self._lock.exclusive()

    @contextmanager
    def _same_reader(self, engine: EngineReader) -> Iterator[EngineReader]:
        """``engine``, held as ``_reading`` holds it, while the Searcher still reads it."""
        with self._reading():
            if self._engine is not engine:
                raise RuntimeError("the Searcher was refreshed or closed during a scan")
            yield engine

    def refresh(self) -> bool:
        """Reopen if another generation or newer commits are live; True if it changed.

        Moving to another generation lets go of the old one, which is deleted then if no other
        reader (of this process or another) holds it (``layout.release_generation``)."""
        held: tuple[Path, IO[str]] | None = None
        try:
            with self._lock.exclusive():
                if self._engine is _CLOSED:
                    raise _closed()
                live = layout.current(self.path)
                if live == self.generation and layout.read_meta(live) == self._meta:
                    return False
                held = self._shut()
                self._open()
                return True
        finally:
            # Outside the lock: searches of the new snapshot need not wait for the deletion.
            if held is not None:
                layout.release_generation(self.path, *held)

    def close(self) -> None:
        """Close the index; closing again does nothing, and any other use raises BahthError.
        A generation a rebuild has replaced is deleted if no other reader holds it."""
        with self._lock.exclusive():
            held = None if self._engine is _CLOSED else self._shut()
        if held is not None:
            layout.release_generation(self.path, *held)

    def _shut(self) -> tuple[Path, IO[str]]:
        """Close the engine's reader; the generation it read and the lock that holds it, for
        the caller to release once no search can use them (the exclusive lock is held)."""
        held = self.generation, self._generation_lock
        engine, self._engine = self._engine, _CLOSED
        try:
            engine.close()
        except BaseException:
            held[1].close()
            raise
        return held

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
        category: str | None = None,
        sort: Sort = "relevance",
        match: Match = "auto",
        stemming: bool = True,
        facets: bool = False,
        collapse: bool = False,
        autocorrect: bool = True,
        explain: bool = False,
        variants: bool = True,
    ) -> Results:
        """Search for ``query`` (see ``search.query`` for the language).

        ``match="auto"`` returns articles containing all the words first; when there are fewer
        than the page needs, it fills the page with articles containing most of them, ranked
        after the full matches and flagged ``partial``. ``"all"`` never fills; ``"any"`` ranks
        every article containing any word by score. ``sort="date"`` lists newest first.
        ``since``/``until`` (inclusive: a date in the forms dumps use, or a month or year,
        which ``since`` starts on its first day and ``until`` ends on its last: ``2015-08``,
        ``أغسطس 2015``, ``2015``), ``source`` and ``category`` filter:
        a filter that no article passes gives no results, and a source or category the index
        does not hold is a ``QueryError`` naming the ones it does.
        ``stemming=False`` matches words only in their exact (normalized) forms: ``روسيا``
        then finds ``روسيا`` but not ``وروسيا`` or ``الروسية``.

        The ranking does not depend on the page: equal scores are ordered newest first, then
        by index order, so page 2 of ``limit=10`` is hits 11-20 of ``limit=20``.

        ``facets=True`` counts the matches by source, category, month and year
        (``Results.facets``): the articles with all the words, or with ``match="any"`` (or
        ``"auto"`` when no article has them all) those with any of them, within the filters.
        ``collapse=True`` lists one hit per story (near-copies of one article, see
        ``search.stories``): its best-ranked copy, with the ids of the other copies that match
        in ``Hit.duplicates``; pages count stories, and ``Results.stories`` counts them too.

        A query whose words look misspelled gets ``Results.suggestion``, the corrected query
        (``search.spelling``). With ``autocorrect`` (the default) the corrected query runs in
        its place when it finds clearly more: articles with all its words, in the forms
        written, where the typed query finds none, or ``AUTOCORRECT_RATIO`` times as many
        (``الامرات`` finds 12,830 articles through the stems of other words, but no article
        writes it); then ``Results.query`` is the corrected query and
        ``Results.corrected_from`` the typed one. ``autocorrect=False`` searches as typed.

        A word also finds the other spellings of a name that the archive uses (``ميونخ``
        finds ``ميونيخ``, ``search.spelling.variants``), ranked below the spelling typed;
        ``Results.variants`` lists them. ``variants=False`` searches the spellings typed only.

        ``explain=True`` takes each hit's score apart (``Hit.explanation``, ``search.explain``):
        the query's words and forms that matched, in which fields, and what each adds.

        A wrong type or value, or a query or page past a limit (``search.options`` lists them),
        is a ``QueryError``; a page past the last hit is empty, with the totals. A page past hit
        ``MAX_DEPTH`` is counted first, and refused saying why: the last page (``page 2,000 is
        past the last page, 101``), or the limit when the search has more hits.
        """
        started = time.perf_counter()
        check_search(
            limit=limit, page=page, since=since, until=until, source=source, category=category,
            sort=sort, match=match, stemming=stemming, facets=facets, collapse=collapse,
            autocorrect=autocorrect, explain=explain, variants=variants,
        )  # fmt: skip
        if past_depth(page, limit):
            counted = self.search(
                query, limit=1, since=since, until=until, source=source, category=category,
                match=match, stemming=stemming, collapse=collapse, autocorrect=autocorrect,
                variants=variants,
            )  # fmt: skip
            listed = counted.total if counted.stories is None else counted.stories
            raise page_error(page, limit, listed, unit="stories" if collapse else "results")
        need = page * limit
        with self._reading():
            engine = self._engine
            compiled, first, last, source, category = self._compile(
                query, since, until, source, category, stemming, variants
            )
            filter_ = _filter(first, last, source, category)
            stories: tuple[int | None, int | None] = (None, None)
            ranked: Sequence[tuple[EngineHit, bool, int | None]]
            if collapse:
                ranked, total, total_all, stories = rank_stories(
                    engine, compiled, need, filter_, sort, match, start=need - limit
                )
            else:
                found, total, total_all = rank(
                    engine, compiled, need, filter_, sort, match, start=need - limit
                )
                ranked = [(hit, partial, None) for hit, partial in found]
            shown = ranked[need - limit : need]
            refs = [hit.ref for hit, _, _ in shown]
            articles = engine.stored_many(refs)
            copies = (
                story_copies(engine, compiled, shown, filter_, match, MAX_COPIES)
                if collapse
                else None
            )
            found_facets = (
                self._facets(engine, compiled, filter_, match, total_all) if facets else None
            )
            suggestion = self._speller.suggest(query)
            missing = list(engine.missing)  # the shards this search had to do without
            corrected = (
                suggestion
                if autocorrect
                and suggestion is not None
                and finds_clearly_more(engine, suggestion, query, filter_)
                else None
            )
            # Not for a page the corrected query replaces: that search explains its own.
            explained = (
                explain_hits(engine, compiled, refs, articles)
                if explain and corrected is None
                else None
            )
        if corrected is not None:
            ran = self.search(
                corrected, limit=limit, page=page, since=since, until=until, source=source,
                category=category, sort=sort, match=match, stemming=stemming, facets=facets,
                collapse=collapse, autocorrect=False, explain=explain, variants=variants,
            )  # fmt: skip
            took = (time.perf_counter() - started) * 1000
            return dataclasses.replace(ran, corrected_from=query, suggestion=None, took_ms=took)
        hits = [
            hit_of(
                hit,
                partial,
                article,
                compiled,
                copies[i] if copies else None,
                explained[i] if explained else None,
            )
            for i, ((hit, partial, _), article) in enumerate(zip(shown, articles, strict=True))
        ]
        return Results(
            query=query,
            total=total,
            total_all_words=total_all,
            took_ms=(time.perf_counter() - started) * 1000,
            hits=hits,
            page=page,
            limit=limit,
            unknown=compiled.unknown,
            stopwords=compiled.stopwords,
            facets=found_facets,
            stories=stories[0],
            stories_all_words=stories[1],
            suggestion=suggestion,
            missing_shards=missing,
            variants={word: [v.form for v in found] for word, found in compiled.variants.items()},
        )

    @staticmethod
    def _counted_query(compiled: CompiledQuery, match: Match, total_all: int) -> Query:
        """The query whose matches facets count: all the words, unless ``match="any"``, or
        ``"auto"`` finds no article with them all."""
        if match == "any" or (match == "auto" and total_all == 0):
            return any_of(compiled.clauses, compiled.exclude)
        return compiled.query

    def _facets(
        self,
        engine: EngineReader,
        compiled: CompiledQuery,
        filter_: Filter | None,
        match: Match,
        total_all: int,
    ) -> Facets:
        if self._keyword_forms is None:
            self._keyword_forms = {
                name: {keyword_key(label): label for label, _ in engine.keyword_counts(name)}
                for name in ("source", "category")
            }
        counts = engine.facets(self._counted_query(compiled, match, total_all), filter_)
        return make_facets(counts, self._keyword_forms)

    def _compile(
        self,
        query: str,
        since: str | dt.date | None,
        until: str | dt.date | None,
        source: str | None,
        category: str | None,
        stemming: bool,
        variants: bool = True,
    ) -> tuple[CompiledQuery, dt.date | None, dt.date | None, str | None, str | None]:
        """Check the query and its filters (``QueryError``), and compile it for the engine;
        with the date range and the source and category to filter by, given as options or
        typed in the query (``search.filters``). The caller holds the lock, and ranks with the
        same engine. ``variants``: words find the other spellings of names too."""
        dates = date_range(since, until)
        tree, typed = lift_filters(parse(query))
        options = {"since": since, "until": until, "source": source, "category": category}
        known = functools.partial(check_keyword, self._engine)
        first, last, source, category = filters_of(typed, dates, options, known)
        compiled = compile_query(
            self._engine,
            tree,
            exact_only=not stemming,
            filtered=bool(typed),
            variants=self._variants if variants else None,
            family=self._family,
        )
        return compiled, first, last, source, category

    def scan(
        self,
        query: str,
        *,
        since: str | dt.date | None = None,
        until: str | dt.date | None = None,
        source: str | None = None,
        category: str | None = None,
        match: Match = "auto",
        stemming: bool = True,
        batch: int = 1000,
        variants: bool = True,
    ) -> Iterator[Hit]:
        """Every article matching ``query``, newest first, as ``Hit``s: no page, no limit.

        The options mean what they mean for ``search``. The order is ``search(...,
        sort="date")``'s: with ``match="auto"``, the articles with all the words newest first,
        then those with some of them (``partial``) newest first; articles of one day in index
        order; articles without a date last. Unlike a date-sorted search, each hit carries its
        relevance (BM25) score for the query.

        Newest first, not by relevance, because dates can be cut into windows: the matches are
        read window by window (each holding at most ``batch`` matches, or one day), so the
        hits and articles held at a time do not grow with the number of matches; a ranking
        by score would have to score every match before yielding the first. Each window costs
        the engine a pass over the query's posting lists: a larger ``batch`` is faster and
        holds more articles at a time. Articles without
        a date cannot be selected by a window: when some match, they are found by one
        date-sorted pass over every match (a list of numbers per match, no articles).

        The query and filters are checked before this returns (``QueryError``). The engine is
        locked only while a window is read, so other threads search between windows; a
        ``refresh()`` during a scan makes its next window raise ``RuntimeError`` (its article
        numbers belong to the old snapshot).
        """
        check_scan(
            since=since, until=until, source=source, category=category, match=match,
            stemming=stemming, batch=batch, variants=variants,
        )  # fmt: skip
        with self._reading():
            engine = self._engine
            compiled, first, last, source, category = self._compile(
                query, since, until, source, category, stemming, variants
            )
            oldest, newest = engine.date_range()
        # One pass per query, with what each hit's partial flag is: the full matches
        # (never partial), the rest of the any-word matches (always partial), or every
        # any-word match flagged by whether it holds all the words.
        any_query = any_of(compiled.clauses, compiled.exclude)
        passes: list[tuple[Query, str]]
        if len(compiled.clauses) < 2 or match == "all":
            passes = [(compiled.query, "full")]
        elif match == "any":
            passes = [(any_query, "flag")]
        else:
            passes = [(compiled.query, "full"), (any_query, "rest")]
        lo = max(filter(None, (oldest, first)), default=None)
        hi = min(filter(None, (newest, last)), default=None)
        undated = first is None and last is None
        dates = (lo, hi)
        using = functools.partial(self._same_reader, engine)
        return scan_hits(using, compiled, passes, dates, undated, source, category, batch)

    def highlights(self, query: str, *texts: str, stemming: bool = True) -> list[list[Span]]:
        """The ``(start, end)`` spans of ``query``'s words in each of ``texts``, as a hit's
        ``highlights`` mark them in its snippet: for showing a whole article (its title, its
        body) with the words of the search that found it. A malformed query is a
        ``QueryError``; ``stemming`` is ``search``'s."""
        with self._reading():
            compiled, *_ = self._compile(query, None, None, None, None, stemming)
        return [mark(text, compiled.highlights) for text in texts]

    def explain(self, query: str, article_id: str, *, stemming: bool = True) -> Explanation | None:
        """Why the article with this id ranks where it does for ``query`` (its score taken
        apart as ``search(explain=True)`` does a hit's), whether or not it matches the query
        (then no part matches); None when the index does not hold it. Filters typed in the
        query are left out: they never score."""
        with self._reading():
            engine = self._engine
            ref = engine.locate(article_id)
            if ref is None:
                return None
            compiled, *_ = self._compile(query, None, None, None, None, stemming)
            [article] = engine.stored_many([ref])
            return explain_hits(engine, compiled, [ref], [article])[0]

    def get(self, article_id: str) -> Article | None:
        """The stored article with this id, or None."""
        with self._reading():
            return self._engine.find(article_id)

    def copies(self, article_id: str) -> list[str]:
        """The ids of the other articles of this article's story (its near-copies), newest
        first; at most ``MAX_COPIES``. Empty when it has none or is not in the index."""
        with self._reading():
            engine = self._engine
            ref = engine.locate(article_id)
            if ref is None:
                return []
            [story] = engine.stories([ref])
            found = engine.top(Term(STORY, str(story)), MAX_COPIES + 1, None, True)
            found.sort(key=lambda h: (-h.day, h.ref))  # type: ignore[arg-type, return-value]
            return engine.ids_of([h.ref for h in found if h.ref != ref][:MAX_COPIES])

    def stats(self) -> IndexStats:
        """Article count, date range, sources, size on disk and provenance of the index."""
        with self._reading():
            engine, generation, meta = self._engine, self.generation, self._meta
            first, last = engine.date_range()
            articles = engine.doc_count()
            stories = engine.story_count(Everything(), None) if articles else 0
            sources = engine.keyword_counts("source")
            categories = engine.keyword_counts("category")
        # With the shards inside it (--shards); those on servers are theirs to count.
        size = sum(p.stat().st_size for p in generation.rglob("*") if p.is_file())
        return IndexStats(
            articles=articles,
            stories=stories,
            first_date=first,
            last_date=last,
            sources=sources,
            categories=categories,
            size_bytes=size,
            generation=generation.name,
            engine=engine_of(generation).NAME,
            built=meta.get("built"),
            updated=meta.get("updated"),
            dumps=list(meta.get("dumps", [])),
            shards=list(location_of(generation).address),
        )


def _filter(
    since: dt.date | None, until: dt.date | None, source: str | None, category: str | None
) -> Filter | None:
    """The filter of a search, or None when it has none."""
    if since is None and until is None and source is None and category is None:
        return None
    return Filter(since, until, source, category)


class _Closed:
    """The engine's reader of a closed Searcher: any use of it says the Searcher is closed
    (tantivy's reader, once dropped, gave an AttributeError)."""

    def __getattr__(self, name: str) -> object:
        if name.startswith("__"):  # Python's own questions (doctest's, copy's): not a use
            raise AttributeError(name)
        raise _closed()


def _closed() -> BahthError:
    fix = "Open a new Searcher(path) to search again"
    return BahthError("this Searcher is closed", fix, said=("searcher_closed", {}))


_CLOSED: EngineReader = _Closed()  # type: ignore[assignment]

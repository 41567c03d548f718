"""Ranked pages from any engine: the order of hits, ties, and the partial-match fill.

An engine returns its best matches in its own order; here they are put in Bahth's: by score
(for a ``Coordinated`` query, clauses matched first), then newest first, then in index order;
or newest first, then in index order, when sorted by date. The order does not depend on the
page: the first k hits are the same for every limit of k or more.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Literal

from .compiling import CompiledQuery
from .contract import (
    STORY,
    AllOf,
    AnyOf,
    Coordinated,
    EngineHit,
    EngineReader,
    Filter,
    Query,
    Term,
    any_of,
)

Sort = Literal["relevance", "date"]
Match = Literal["auto", "all", "any"]

# Hits fetched past the page, to see whether the page's last key is tied with the next ones.
TIE_MARGIN = 16


def _relevance(digits: int) -> Callable[[EngineHit], tuple[int, float]]:
    def key(hit: EngineHit) -> tuple[int, float]:
        return hit.matched, round(hit.score, digits)

    return key


def _day(hit: EngineHit) -> int:
    return hit.day


def top(
    reader: EngineReader,
    query: Query,
    limit: int,
    filter_: Filter | None,
    *,
    by_date: bool = False,
) -> list[EngineHit]:
    """The first ``limit`` hits of ``query`` in Bahth's order.

    Articles tied with the last one on the page may lie past what the engine returned: it is
    asked for more until the tie is broken, so that date, not the engine's order among equals,
    decides it.
    """
    key = _day if by_date else _relevance(reader.score_digits)
    fetch = limit + TIE_MARGIN
    while True:
        hits = reader.top(query, fetch, filter_, by_date)
        if len(hits) < fetch or key(hits[fetch - 1]) != key(hits[limit - 1]):
            break
        fetch *= 4
    ordered = _ordered(hits, key)[:limit]
    if by_date:
        return ordered
    # The score shown is the one ranked by: equal where the ranking saw a tie.
    return [replace(h, score=round(h.score, reader.score_digits)) for h in ordered]


def _ordered(hits: list[EngineHit], key: Callable[[EngineHit], object]) -> list[EngineHit]:
    """Best key first, then newest first, then index order."""
    hits.sort(key=lambda h: h.ref)  # type: ignore[arg-type, return-value]
    hits.sort(key=lambda h: (key(h), h.day), reverse=True)  # stable: index order among equals
    return hits


def totals(
    reader: EngineReader, compiled: CompiledQuery, filter_: Filter | None, match: Match
) -> tuple[int, int]:
    """How many articles match (with any of the words, unless ``match="all"``) and how many
    hold all the words."""
    total_all = reader.count(compiled.query, filter_)
    if len(compiled.clauses) < 2 or match == "all":
        return total_all, total_all
    return reader.count(any_of(compiled.clauses, compiled.exclude), filter_), total_all


def rank(
    reader: EngineReader,
    compiled: CompiledQuery,
    need: int,
    filter_: Filter | None,
    sort: Sort,
    match: Match,
    *,
    start: int = 0,
) -> tuple[list[tuple[EngineHit, bool]], int, int]:
    """The first ``need`` hits with their partial flags, the total, and how many articles hold
    all the words (see ``Searcher.search`` for the match modes).

    The matches are counted first, and no engine is asked for more hits than there are: a
    page past the last, where ``start`` (the hits before the page) is the total or more, is
    answered by the counts alone.
    """
    total, total_all = totals(reader, compiled, filter_, match)
    if start >= total:
        return [], total, total_all
    need = min(need, total)
    by_date = sort == "date"
    clauses, exclude = compiled.clauses, compiled.exclude
    if len(clauses) < 2 or match == "all":
        hits = top(reader, compiled.query, need, filter_, by_date=by_date)
        return [(h, False) for h in hits], total, total
    any_query = any_of(clauses, exclude)
    if match == "any":
        hits = top(reader, any_query, need, filter_, by_date=by_date)
        full = reader.matching(compiled.query, (h.ref for h in hits))
        return [(h, h.ref not in full) for h in hits], total, total_all
    if total_all >= need or total_all == total:
        # Articles with all the words rank first, and there are enough to fill the pages (or
        # there are no others): rank them alone. Their intersection is far cheaper than
        # ranking every article with any of the words, and orders them as coordination does.
        hits = top(reader, compiled.query, need, filter_, by_date=by_date)
        return [(h, False) for h in hits], total, total_all
    if not by_date:
        # One pass: articles with more of the words first, BM25 among equals.
        coordinated = Coordinated(tuple(clauses), tuple(exclude))
        hits = top(reader, coordinated, need, filter_)
        return [(h, h.matched < len(clauses)) for h in hits], total, total_all
    # Newest first: the articles with all the words, then those with some.
    complete = top(reader, compiled.query, need, filter_, by_date=True)
    rest = top(reader, any_query, need, filter_, by_date=True)
    seen = {h.ref for h in complete}
    partial = [h for h in rest if h.ref not in seen][: need - len(complete)]
    return [(h, False) for h in complete] + [(h, True) for h in partial], total, total_all


def story_totals(
    reader: EngineReader,
    compiled: CompiledQuery,
    filter_: Filter | None,
    total: int,
    total_all: int,
) -> tuple[int, int]:
    """Distinct stories among the articles ``total`` and ``total_all`` count; above
    ``STORIES_EXACT_TO``, perhaps estimates (``EngineReader.story_count``), the first never
    below the second."""
    full = reader.story_count(compiled.query, filter_, estimate=True) if total_all else 0
    if total == total_all:
        return full, full
    any_words = any_of(compiled.clauses, compiled.exclude)
    return max(full, reader.story_count(any_words, filter_, estimate=True)), full


def rank_stories(
    reader: EngineReader,
    compiled: CompiledQuery,
    need: int,
    filter_: Filter | None,
    sort: Sort,
    match: Match,
    *,
    start: int = 0,
) -> tuple[list[tuple[EngineHit, bool, int]], int, int, tuple[int, int]]:
    """``rank`` with one hit per story: the first ``need`` stories' best-ranked articles, with
    their partial flags and story numbers; ``rank``'s totals (articles), and the stories
    among them (``story_totals``).

    The stories come in the order of their best article in ``rank``'s order, which does not
    depend on the page, so neither does this one. A page past the last story (``start``
    stories before it, or more) is answered by the counts alone: finding that the stories run
    out would otherwise rank every match.
    """
    total, total_all = totals(reader, compiled, filter_, match)
    stories = story_totals(reader, compiled, filter_, total, total_all)
    if start >= stories[0]:
        return [], total, total_all, stories
    need = min(need, stories[0])
    fetch = need * 2
    while True:
        ranked, _, _ = rank(reader, compiled, fetch, filter_, sort, match)
        firsts: list[tuple[EngineHit, bool, int]] = []
        seen: set[int] = set()
        numbers = reader.stories([hit.ref for hit, _ in ranked])
        for (hit, partial), story in zip(ranked, numbers, strict=True):
            if story not in seen:
                seen.add(story)
                firsts.append((hit, partial, story))
                if len(firsts) == need:
                    return firsts, total, total_all, stories
        if len(ranked) < fetch:
            return firsts, total, total_all, stories
        fetch *= 4


def story_copies(
    reader: EngineReader,
    compiled: CompiledQuery,
    page: Sequence[tuple[EngineHit, bool, int | None]],
    filter_: Filter | None,
    match: Match,
    most: int,
) -> list[list[str]]:
    """For each collapsed hit of a page, the ids of the other articles of its story that
    match as it does (all the words, or some of them), best first; at most ``most``.

    One query finds them for the whole page: each story's articles that match its hit's
    words. It is asked for ``most`` + 1 a story; when that many come back, one story
    may have crowded out another's, and the stories that came back short are asked again,
    one by one.
    """
    any_words = any_of(compiled.clauses, compiled.exclude)

    def words(partial: bool) -> Query:
        return any_words if partial or match == "any" else compiled.query

    def of_stories(stories: Sequence[tuple[bool, int]]) -> dict[int, list[EngineHit]]:
        by_words: dict[Query, list[Query]] = {}
        for partial, story in stories:
            by_words.setdefault(words(partial), []).append(Term(STORY, str(story)))
        branches = [AllOf((q, any_of(terms))) for q, terms in by_words.items()]
        query = branches[0] if len(branches) == 1 else AnyOf(tuple(branches))
        # In Bahth's order (equal scores newest first), not the engine's: shards and one
        # database return ties in different orders.
        found = reader.top(query, (most + 1) * len(stories), filter_, False)
        found = _ordered(found, _relevance(reader.score_digits))
        grouped: dict[int, list[EngineHit]] = {story: [] for _, story in stories}
        for hit, story in zip(found, reader.stories([h.ref for h in found]), strict=True):
            grouped[story].append(hit)
        if len(found) == (most + 1) * len(stories) and len(stories) > 1:
            for partial, story in stories:
                if len(grouped[story]) <= most:
                    grouped.update(of_stories([(partial, story)]))
        return grouped

    collapsed = [(partial, story) for _, partial, story in page if story is not None]
    grouped = of_stories(collapsed) if collapsed else {}
    kept = [
        [h.ref for h in grouped[story] if h.ref != hit.ref][:most] if story is not None else []
        for hit, _, story in page
    ]
    ids = iter(reader.ids_of([ref for refs in kept for ref in refs]))
    return [[next(ids) for _ in refs] for refs in kept]

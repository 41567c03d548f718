"""Properties every search must have, whatever the query and the index; each raises
AssertionError with the query when it fails. Used on a generated index
(``test_ranking_invariants.py``) and on SaudiNewsNet (``test_corpus_invariants.py``)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from typing import Any

from search import Results, Searcher

# Hits show the score they were ranked by, rounded to the engine's score_digits (whoosh 6,
# tantivy 4): scores never rise down a list, beyond float noise.
SCORE_SLACK = 1e-6


def ids(results: Results) -> list[str]:
    return [hit.id for hit in results]


def assert_limit_independent(searcher: Searcher, query: str, k: int, **options: Any) -> None:
    """The first k hits of ``limit=k`` are the first k of ``limit=3k``, flags and totals too."""
    small = searcher.search(query, limit=k, **options)
    large = searcher.search(query, limit=3 * k, **options)
    context = (query, k, options)
    assert ids(small) == ids(large)[:k], context
    assert [h.partial for h in small] == [h.partial for h in large][:k], context
    assert (small.total, small.total_all_words) == (large.total, large.total_all_words), context


def assert_pages_agree(
    searcher: Searcher, query: str, *, limit: int, pages: int, **options: Any
) -> None:
    """Pages 1..pages are disjoint and, joined, are the one page of ``limit * pages`` hits."""
    joined: list[str] = []
    for page in range(1, pages + 1):
        joined += ids(searcher.search(query, limit=limit, page=page, **options))
    whole = ids(searcher.search(query, limit=limit * pages, **options))
    assert len(set(joined)) == len(joined), (query, options)
    assert joined == whole, (query, options)


def assert_scores_ordered(results: Results, query: str) -> None:
    """Articles with all the words come first, and scores never rise among articles that
    match as many words (any-word ranking: among all)."""
    flags = [hit.partial for hit in results]
    assert flags == sorted(flags), query  # full matches (False) before partial ones
    full = [hit.score for hit in results if not hit.partial]
    for higher, lower in itertools.pairwise(full):
        assert higher >= lower - SCORE_SLACK, (query, full)


def assert_any_scores_ordered(results: Results, query: str) -> None:
    """With ``match="any"`` the whole list is ranked by score."""
    scores = [hit.score for hit in results]
    for higher, lower in itertools.pairwise(scores):
        assert higher >= lower - SCORE_SLACK, (query, scores)


def assert_totals_agree(searcher: Searcher, query: str, **filters: Any) -> None:
    """``total_all_words`` is the ``match="all"`` total, in every mode, and counts exactly the
    hits not flagged partial."""
    auto = searcher.search(query, **filters)
    every = searcher.search(query, match="all", **filters)
    anyword = searcher.search(query, match="any", **filters)
    assert every.total == every.total_all_words, query
    assert auto.total_all_words == every.total == anyword.total_all_words, query
    assert auto.total == anyword.total >= auto.total_all_words, query
    if auto.total <= 1000:
        listed = searcher.search(query, limit=1000, **filters)
        assert len(listed) == auto.total, query
        assert sum(not hit.partial for hit in listed) == auto.total_all_words, query


def assert_filters_hold(
    searcher: Searcher,
    query: str,
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    source: str | None = None,
    category: str | None = None,
    **options: Any,
) -> Results:
    """Every hit passes every filter; no hits means a total of 0; a filter never adds."""
    results = searcher.search(
        query, limit=50, since=since, until=until, source=source, category=category, **options
    )
    context = (query, since, until, source, category, options)
    for hit in results:
        assert hit.date is not None or not (since or until), context
        if since:
            assert hit.date >= since, context  # type: ignore[operator]
        if until:
            assert hit.date <= until, context  # type: ignore[operator]
        if source:
            assert hit.source == source, context
        if category:
            assert hit.category == category, context
    assert bool(results.hits) == (results.total > 0), context
    assert results.total_all_words <= results.total, context
    unfiltered = searcher.search(query, **options)
    assert results.total <= unfiltered.total, context
    return results


def assert_collapse_keeps_the_first_of_each_story(
    searcher: Searcher, query: str, *, limit: int, **options: Any
) -> None:
    """``collapse=True`` lists the uncollapsed ranking with every article that is a copy of
    an earlier hit left out: each hit's ``duplicates`` are the matching copies it stands for,
    never listed again, and never overlapping another hit's. Its pages agree as uncollapsed
    pages do, and there are as many stories as hits when they fit on one page."""
    collapsed = searcher.search(query, limit=limit, collapse=True, **options)
    flat = searcher.search(query, limit=1000, **options)
    context = (query, options)
    shown: set[str] = set()
    expected: list[str] = []
    for hit in flat:
        if hit.id in shown:
            continue
        expected.append(hit.id)
        if len(expected) > len(collapsed.hits):
            break
        story = next((h for h in collapsed if h.id == hit.id), None)
        assert story is not None, (context, hit.id, ids(collapsed))
        assert not shown & {story.id, *story.duplicates}, context
        shown |= {story.id, *story.duplicates}
    assert ids(collapsed) == expected[: len(collapsed.hits)], context
    assert (collapsed.total, collapsed.total_all_words) == (flat.total, flat.total_all_words)
    assert collapsed.stories is not None and collapsed.stories_all_words is not None
    assert collapsed.stories_all_words <= collapsed.stories <= collapsed.total, context
    assert collapsed.stories_all_words <= collapsed.total_all_words, context
    if collapsed.stories <= limit:
        assert len(collapsed.hits) == collapsed.stories, context
    assert_pages_agree(searcher, query, limit=max(1, limit // 2), pages=2, collapse=True, **options)


def assert_facets_count_the_matches(searcher: Searcher, query: str, **filters: Any) -> None:
    """``facets=True`` counts every article with all the words (by ``scan``) by source,
    category, month and year, within the filters."""
    results = searcher.search(query, facets=True, match="all", **filters)
    facets = results.facets
    assert facets is not None
    matches = list(searcher.scan(query, match="all", **filters))
    assert len(matches) == results.total
    dated = [hit.date for hit in matches if hit.date]
    expected = {
        "source": Counter(hit.source for hit in matches if hit.source),
        "category": Counter(hit.category for hit in matches if hit.category),
        "month": Counter(f"{d.year:04d}-{d.month:02d}" for d in dated),
    }
    context = (query, filters)
    for name, counts in expected.items():
        assert dict(facets[name]) == dict(counts), (context, name)
    assert [value for value, _ in facets["month"]] == sorted(expected["month"]), context
    years = Counter(f"{d.year:04d}" for d in dated)
    assert dict(facets.get("year", [])) == (dict(years) if len(years) > 1 else {}), context
    for name in ("source", "category"):
        counts = [count for _, count in facets[name]]
        assert counts == sorted(counts, reverse=True), (context, name)

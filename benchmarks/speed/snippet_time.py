"""Snippet cost on its own: ``make_snippet`` for the hits of each query, timed per query.

``Searcher.search`` builds the snippets of the hits it returns, so its latency (``latency.py``)
already includes them; this separates them out. For each query the hits are found and their
stored text read first, untimed; then ``make_snippet`` runs on each of them (the text and
highlights ``Searcher`` would pass), and the sum for the query's hits is one sample.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from benchmarks.speed.queryset import Query
from benchmarks.speed.results import Snippets
from benchmarks.speed.stats import Summary

if TYPE_CHECKING:
    from search import Searcher
    from search.query import Highlights


def highlights_of(searcher: Searcher, text: str) -> Highlights:
    """The ``Highlights`` Bahth computes for a query string.

    Not public API: it comes from the searcher's compiled query, as ``Searcher._hit`` uses it.
    Kept in this one function so that a change inside ``search/`` breaks one place here.
    """
    from search.engine.compiling import compile_query
    from search.query import parse

    return compile_query(searcher._engine, parse(text)).highlights


def time_query(searcher: Searcher, query: Query, k: int) -> tuple[float, int]:
    """Milliseconds spent in ``make_snippet`` for the query's hits, and how many hits."""
    from search.snippets import make_snippet

    results = searcher.search(query.text, limit=k, **query.search_options)
    highlights = highlights_of(searcher, query.text)
    articles = [searcher.get(hit.id) for hit in results.hits]
    texts = [a.body or a.title for a in articles if a is not None]
    start = time.perf_counter()
    for text in texts:
        make_snippet(text, highlights)
    return (time.perf_counter() - start) * 1000, len(texts)


def time_snippets(searcher: Searcher, queries: dict[str, list[Query]], k: int) -> Snippets:
    """Per-query snippet time over every category's queries (those with at least one hit)."""
    ms: list[float] = []
    per_hit: list[float] = []
    by_category: dict[str, Summary] = {}
    for category, category_queries in queries.items():
        category_ms = []
        for query in category_queries:
            spent, hits = time_query(searcher, query, k)
            if hits:
                category_ms.append(spent)
                per_hit.append(spent / hits)
        ms += category_ms
        by_category[category] = Summary.of(category_ms)
    return Snippets(Summary.of(ms), Summary.of(per_hit), by_category)

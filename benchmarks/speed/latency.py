"""Query latency per category: a few untimed warm-up queries, then every query once, timed.

Bahth runs every query as a user types it (phrases quoted, ``word*``, ``since``/``until``,
``sort="date"``), end to end with snippets, with its default ``match="auto"``. Peers get the
same words with every word required (``match="all"``, what Bahth returns first) or as a phrase;
they have no prefix queries, no dates and no date sort, so those categories are "n/a" for them.

Warm-up matters most for Lucene, whose JIT makes the first queries of a process several times
slower; it also fills each engine's caches (and Bahth's word-analysis cache) as a running
service would have them. Each query is timed alone with ``perf_counter``; p50/p95/p99 are over
the queries of a category, queries/s is one client sending them back to back.
"""

from __future__ import annotations

import time

from benchmarks.core.engines import Engine
from benchmarks.speed.queryset import Query
from benchmarks.speed.results import Latency
from benchmarks.speed.stats import Summary

#: The engine feature each category needs, where it needs one.
FEATURES = {"phrase": "phrase", "prefix": "prefix", "date": "date", "sorted": "date"}


def run_query(engine: Engine, query: Query, k: int) -> int:
    """Run ``query`` for the top ``k`` hits; returns how many came back."""
    if engine.is_bahth:
        return len(engine.search(query.text, k, query.search_options))
    if query.category == "phrase":
        return len(engine.phrase(query.text.strip('"'), k))
    return len(engine.search(query.text, k, {"match": "all"}))


def time_category(engine: Engine, queries: list[Query], warmup: int, k: int) -> Latency:
    """Figures for one category on one engine, or ``na`` with the reason."""
    if not queries:
        return Latency(na="no queries in this category")
    feature = FEATURES.get(queries[0].category)
    if feature and (reason := engine.unsupported(feature)):
        return Latency(na=reason)
    for query in queries[:warmup]:
        run_query(engine, query, k)
    latency = Latency()
    for query in queries:
        start = time.perf_counter()
        try:
            hits = run_query(engine, query, k)
        except Exception as error:  # a failing query is reported; it must not end the run
            latency.errors.append(f"{query.text}: {error}")
            continue
        latency.samples.append((time.perf_counter() - start) * 1000)
        latency.no_hits += hits == 0
    latency.summary = Summary.of(latency.samples)
    return latency


def time_all(
    engine: Engine, queries: dict[str, list[Query]], warmup: int, k: int
) -> dict[str, Latency]:
    """Every category on one engine."""
    return {category: time_category(engine, qs, warmup, k) for category, qs in queries.items()}

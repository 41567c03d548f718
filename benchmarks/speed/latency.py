"""Query latency per category: a few untimed warm-up queries, then every query once, timed.

Warm-up matters most for Lucene, whose JIT makes the first queries of a process several times
slower; it also fills each engine's caches (and Bahth's word-analysis cache) as a running
service would have them. Each query is timed alone with ``perf_counter``; p50/p95/p99 are over
the queries of a category, queries/s is one client sending them back to back.
"""

from __future__ import annotations

import time

from benchmarks.speed.queryset import Query
from benchmarks.speed.results import Latency
from benchmarks.speed.runners import Runner
from benchmarks.speed.stats import Summary


def time_category(runner: Runner, queries: list[Query], warmup: int) -> Latency:
    """Figures for one category on one engine, or ``na`` with the reason."""
    if not queries:
        return Latency(na="no queries in this category")
    if reason := runner.unsupported(queries[0].category):
        return Latency(na=reason)
    for query in queries[:warmup]:
        runner.run(query)
    latency = Latency()
    for query in queries:
        start = time.perf_counter()
        try:
            hits = runner.run(query)
        except Exception as error:  # a failing query is reported; it must not end the run
            latency.errors.append(f"{query.text}: {error}")
            continue
        latency.samples.append((time.perf_counter() - start) * 1000)
        latency.no_hits += hits == 0
    latency.summary = Summary.of(latency.samples)
    return latency


def time_all(runner: Runner, queries: dict[str, list[Query]], warmup: int) -> dict[str, Latency]:
    """Every category on one engine."""
    return {category: time_category(runner, qs, warmup) for category, qs in queries.items()}

"""One ``Searcher`` shared by threads: errors, wrong answers and throughput against one thread.

    python -m benchmarks.threads --index DIR [--threads 8] [--searches 800] [--queries FILE]
                                 [--facets] [--collapse]

Opens the index once, answers ``--searches`` searches (multi-word queries from the speed
benchmark's query file, with snippets, alternating ``match="auto"`` and ``"any"``) on one thread
to get the reference answers and time, then answers them again with ``--threads`` threads
sharing the same ``Searcher``. Prints how many searches raised, how many answered differently
from the single thread, and searches per second both ways, with their ratio (the same run, so
the ratio holds on a busy machine). ``--facets`` and ``--collapse`` add the engine's heavier
work to each search (counts by source, category and day; one hit per story and its copies).
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from benchmarks.speed import queryset
from search import Searcher


def multiword_queries(path: Path, count: int) -> list[str]:
    """The first ``count`` queries of the 'multi' category, repeated if there are fewer."""
    queries = [q.text for q in queryset.load(path) if q.category == "multi"]
    return [queries[i % len(queries)] for i in range(count)]


def answer(searcher: Searcher, job: tuple[str, str], **options: bool) -> tuple[object, ...]:
    query, match = job
    results = searcher.search(query, match=match, **options)  # type: ignore[arg-type]
    hits = tuple((h.id, h.snippet, tuple(h.duplicates)) for h in results)
    return results.total, results.facets, hits


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--searches", type=int, default=800)
    parser.add_argument("--queries", type=Path, default=queryset.DEFAULT_QUERIES)
    parser.add_argument("--facets", action="store_true", help="count facets in each search")
    parser.add_argument("--collapse", action="store_true", help="one hit per story")
    args = parser.parse_args()
    options = {"facets": args.facets, "collapse": args.collapse}
    texts = multiword_queries(args.queries, args.searches)
    jobs = [(text, "any" if i % 2 else "auto") for i, text in enumerate(texts)]
    with Searcher(args.index) as searcher:
        started = time.perf_counter()
        expected = [answer(searcher, job, **options) for job in jobs]
        single = time.perf_counter() - started

        def guarded(job: tuple[str, str]) -> object:
            try:
                return answer(searcher, job, **options)
            except Exception as error:  # counted and named: the point of the benchmark
                return error

        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.threads) as pool:
            got = list(pool.map(guarded, jobs))
        shared = time.perf_counter() - started
    errors = Counter(type(g).__name__ for g in got if isinstance(g, Exception))
    wrong = sum(
        1 for g, e in zip(got, expected, strict=True) if not isinstance(g, Exception) and g != e
    )
    shown = ", ".join(name for name, on in options.items() if on) or "plain"
    print(
        f"index {args.index}: {len(jobs)} searches ({shown}), "
        f"{args.threads} threads sharing one Searcher"
    )
    print(f"  errors: {sum(errors.values())} {dict(errors) if errors else ''}")
    print(f"  answers differing from one thread: {wrong}")
    print(f"  1 thread: {len(jobs) / single:.1f} searches/s")
    print(
        f"  {args.threads} threads: {len(jobs) / shared:.1f} searches/s "
        f"({single / shared:.2f}x one thread)"
    )


if __name__ == "__main__":
    main()

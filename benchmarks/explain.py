"""Do ``--explain``'s parts add up to the score, at real size, and what does explaining cost?

    python -m benchmarks.explain --index DIR [--per-category 40] [--limit 10]

Runs the fixed query set (``benchmarks/queries/queries.tsv``, every category: words, phrases,
prefixes, dates, newest first, rare and common words) on an index, each query twice in turn,
without and with ``explain=True``, through ``search.Searcher``. Prints, per category: the hits
explained, how many of them have parts that add up to their score (to 0.001; sorted by date a
hit has no score, and its parts are the relevance score it would have had), the largest
difference, and the p50/p95 ms of a page without and with explanations (their ratio, measured
in the same run). Figures only: no thresholds.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections import defaultdict
from pathlib import Path

from benchmarks.core.machine import describe, one_line
from benchmarks.core.tables import Table, as_markdown
from benchmarks.speed.queryset import CATEGORIES, load
from search import QueryError, Searcher

TOLERANCE = 1e-3


def _ms(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--per-category", type=int, default=40)
    parser.add_argument("--limit", type=int, default=10)
    args = parser.parse_args()
    taken: dict[str, list[str]] = defaultdict(list)
    options: dict[str, dict[str, str | None]] = {}
    for query in load():
        if len(taken[query.category]) < args.per_category:
            taken[query.category].append(query.text)
            options[query.text] = query.search_options
    print(f"# Explanations: {args.index.name}\n\n{one_line(describe())}\n")
    header = ["category", "queries", "hits", "add up", "largest diff", "p50 ms", "p95 ms", "ratio"]
    rows: list[list[str]] = []
    with Searcher(args.index) as searcher:
        engine = searcher.stats().engine
        for category in CATEGORIES:
            plain: list[float] = []
            explained: list[float] = []
            hits = adding = 0
            largest = 0.0
            for text in taken[category]:
                keywords = {**options[text], "limit": args.limit, "autocorrect": False}
                try:
                    started = time.perf_counter()
                    searcher.search(text, **keywords)  # type: ignore[arg-type]
                    plain.append((time.perf_counter() - started) * 1000)
                    started = time.perf_counter()
                    results = searcher.search(text, explain=True, **keywords)  # type: ignore[arg-type]
                    explained.append((time.perf_counter() - started) * 1000)
                except QueryError:
                    continue
                for hit in results:
                    assert hit.explanation is not None
                    hits += 1
                    if keywords.get("sort") == "date":
                        adding += 1  # no score to add up to
                        continue
                    difference = abs(hit.explanation.score - hit.score)
                    largest = max(largest, difference)
                    adding += difference <= TOLERANCE
            if not plain:
                continue
            p50 = (statistics.median(plain), statistics.median(explained))
            p95 = (_ms(plain, 0.95), _ms(explained, 0.95))
            rows.append(
                [
                    category,
                    f"{len(plain):,}",
                    f"{hits:,}",
                    f"{adding:,}",
                    f"{largest:.2g}",
                    f"{p50[0]:.1f} / {p50[1]:.1f}",
                    f"{p95[0]:.1f} / {p95[1]:.1f}",
                    f"{p50[1] / p50[0]:.1f}×",
                ]
            )
    note = f"engine {engine}; ms: without / with explain=True, {args.limit} hits a page"
    print(as_markdown(Table("Parts that add up to the score, and the cost", header, rows, note)))


if __name__ == "__main__":
    main()

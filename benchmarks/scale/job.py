"""One measured step of a scale run, in a fresh interpreter (so its memory is its own).

    python -m benchmarks.scale.job add --index DIR --corpus FILE [--engine tantivy]
    python -m benchmarks.scale.job delete --index DIR --id ID
    python -m benchmarks.scale.job query --index DIR [--per-kind 30]

Each prints one JSON line: the step's figures and ``rss_mb``, this process's peak RSS
(``VmHWM``). The harness (``benchmarks.scale.run``) samples the RSS of the whole process tree
from outside and adds the CPU time.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.core.rss import peak_rss_mb
from benchmarks.peers._common import dir_bytes

#: Query kinds of a scale run → categories of ``benchmarks/queries/queries.tsv``.
KINDS = {
    "frequent": "common",
    "rare": "rare",
    "multi-word": "multi",
    "phrase": "phrase",
    "prefix": "prefix",
}
#: Searcher.search keywords of each query mode.
MODES: dict[str, dict[str, Any]] = {
    "default": {},
    "facets": {"facets": True},
    "collapse": {"collapse": True},
}
PROGRESS_EVERY = 2.0  # seconds between samples of how many records the run has read


def add(index: Path, corpus: Path, engine: str) -> dict[str, Any]:
    """Index ``corpus`` into ``index`` (a new index, or an update by id of an existing one)."""
    from search import Indexer, Progress

    samples: list[tuple[float, int]] = []
    phases: dict[str, float] = {}
    started = time.perf_counter()

    def progress(state: Progress) -> None:
        now = time.perf_counter() - started
        if state.phase != "reading":
            phases[state.phase] = now
        elif not samples or now - samples[-1][0] >= PROGRESS_EVERY:
            samples.append((now, state.records))

    report = Indexer(index, engine=engine).add_files([corpus], on_progress=progress)
    return {
        "seconds": time.perf_counter() - started,
        "added": report.added,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "rejected": report.rejected,
        "committing_at": phases.get("committing"),
        "progress": samples,
        "bytes_on_disk": dir_bytes(index),
    }


def delete(index: Path, ident: str) -> dict[str, Any]:
    """Delete the article ``ident``."""
    from search import Indexer

    started = time.perf_counter()
    deleted = Indexer(index).delete([ident])
    return {"seconds": time.perf_counter() - started, "deleted": deleted}


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def query(index: Path, per_kind: int) -> dict[str, Any]:
    """Time the query mix: each kind's queries in each mode, limit 10, after one warm-up pass;
    p50, p95 and max in ms per (mode, kind)."""
    from benchmarks.speed.queryset import load, select
    from search import QueryError, Searcher

    chosen = select(load(), ["ant1", "ant2", "snn"], per_kind)
    figures: dict[str, Any] = {}
    refused = 0
    opened = time.perf_counter()
    with Searcher(index) as searcher:
        open_seconds = time.perf_counter() - opened
        texts = {kind: [q.text for q in chosen[category]] for kind, category in KINDS.items()}
        for kind_texts in texts.values():  # warm-up: index pages and caches, as a server has
            for text in kind_texts:
                with contextlib.suppress(QueryError):
                    searcher.search(text, limit=10)
        for mode, options in MODES.items():
            for kind, kind_texts in texts.items():
                times = []
                for text in kind_texts:
                    start = time.perf_counter()
                    try:
                        searcher.search(text, limit=10, **options)
                    except QueryError:
                        refused += 1
                    times.append((time.perf_counter() - start) * 1000)
                figures[f"{mode}/{kind}"] = {
                    "p50": statistics.median(times),
                    "p95": _percentile(times, 0.95),
                    "max": max(times),
                    "n": len(times),
                }
    return {"queries": figures, "refused": refused, "open_seconds": open_seconds}


def main(argv: list[str] | None = None) -> int:
    """Run one step and print its figures as one JSON line."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.scale.job", description=__doc__)
    parser.add_argument("step", choices=("add", "delete", "query"))
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--corpus", type=Path)
    parser.add_argument("--engine", default="tantivy")
    parser.add_argument("--id", dest="ident")
    parser.add_argument("--per-kind", type=int, default=30)
    args = parser.parse_args(argv)
    if args.step == "add":
        if args.corpus is None:
            parser.error("add needs --corpus")
        figures = add(args.index, args.corpus, args.engine)
    elif args.step == "delete":
        if args.ident is None:
            parser.error("delete needs --id")
        figures = delete(args.index, args.ident)
    else:
        figures = query(args.index, args.per_kind)
    figures["rss_mb"] = peak_rss_mb()
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())

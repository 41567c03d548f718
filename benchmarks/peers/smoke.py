"""Smoke check of every peer on real articles: ``python -m benchmarks.peers.smoke``.

Reads the first ``--limit`` SaudiNewsNet articles, builds each available peer in a temporary
directory, runs a few Arabic queries (OR, AND and phrase) and prints hit counts, top ids, build
times and median query times. Peers that cannot run are listed with the reason. This checks the
mechanics end to end; it is not the benchmark (one run, tiny corpus, no relevance judgments).
"""

from __future__ import annotations

import argparse
import functools
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.core import cli
from benchmarks.core.corpora import CORPORA, read_docs
from benchmarks.core.engines import PEERS, make_peer
from benchmarks.peers import Doc, Match, Peer

CORPUS = CORPORA["snn"]
QUERIES = ["وزارة الصحة", "الرئيس الروسي", "النفط"]
MATCHES: tuple[Match, ...] = ("any", "all")


def median_ms(call: Callable[[], object], repeat: int, warmup: int) -> float:
    """Median wall time of `call` in milliseconds, after `warmup` untimed calls.

    Warm-up matters for Lucene: the JVM's JIT makes its first queries 5-10 times slower.
    """
    for _ in range(warmup):
        call()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def run_peer(
    peer: Peer, docs: list[Doc], workdir: Path, args: argparse.Namespace
) -> dict[str, float]:
    """Build `peer` and print its query results; return build seconds and query ms (summary)."""
    print(f"\n== {peer.name}: {peer.describe()}")
    stats = peer.build(iter(docs), workdir / peer.name, procs=args.procs)
    extra = f", engine {stats['engine_seconds']:.2f} s" if "engine_seconds" in stats else ""
    print(
        f"build: {stats['docs']} docs in {stats['seconds']:.2f} s{extra} "
        f"(open {stats['open_seconds']:.2f} s), {stats['bytes_on_disk'] / 1e6:.1f} MB on disk"
    )
    timings = {"build s": stats["seconds"]}
    for query in args.query:
        runs: dict[str, Callable[[], list[str]]] = {
            match: functools.partial(peer.search, query, args.k, match=match) for match in MATCHES
        }
        hits: dict[str, str] = {m: str(peer.count(query, match=m)) for m in MATCHES}
        if peer.supports_phrase and len(query.split()) > 1:
            runs["phrase"] = functools.partial(peer.phrase, query, args.k)
            hits["phrase"] = "-"  # no phrase counts; the top-k list shows whether it matched
        for mode, run in runs.items():
            ids = run()
            ms = median_ms(run, args.repeat, args.warmup)
            timings[f"{query} [{mode}] ms"] = ms
            top = " ".join(ids[:3]) or "(none)"
            print(
                f"  {mode:6} {ms:7.2f} ms  hits {hits[mode]:>5}  top {len(ids):2}: {top}  | {query}"
            )
    peer.close()
    return timings


def print_summary(results: dict[str, dict[str, float]]) -> None:
    """One row per measurement, one column per peer."""
    names = list(results)
    rows = list(dict.fromkeys(key for timings in results.values() for key in timings))
    width = max(len(row) for row in rows)
    print("\n== summary (seconds for builds, median ms for queries)")
    print(" " * width + "".join(f"{name:>17}" for name in names))
    for row in rows:
        cells = "".join(
            f"{results[name][row]:17.2f}" if row in results[name] else f"{'-':>17}"
            for name in names
        )
        print(f"{row:<{width}}{cells}")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command line options."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.peers.smoke",
        description="Build each available peer on SaudiNewsNet articles; run a few Arabic queries.",
        epilog="Example: python -m benchmarks.peers.smoke --limit 2000 --peers tantivy-arabic",
    )
    cli.add_data(parser)
    parser.add_argument(
        "--limit", type=int, default=2000, help="articles to index (default: %(default)s)"
    )
    parser.add_argument(
        "--procs", type=int, default=1, help="indexing workers (default: %(default)s)"
    )
    parser.add_argument(
        "--peers", nargs="+", choices=PEERS, default=list(PEERS), help="peers to run"
    )
    parser.add_argument(
        "--query",
        action="append",
        help="query to run, repeatable (default: " + ", ".join(QUERIES) + ")",
    )
    parser.add_argument("--k", type=int, default=10, help="hits per query (default: %(default)s)")
    parser.add_argument(
        "--repeat", type=int, default=20, help="timed runs per query (default: %(default)s)"
    )
    parser.add_argument(
        "--warmup", type=int, default=20, help="untimed runs per query first (default: %(default)s)"
    )
    parser.add_argument(
        "--workdir", type=Path, help="where to build (default: a temporary directory, removed)"
    )
    args = parser.parse_args(argv)
    args.query = args.query or QUERIES
    return args


def main(argv: list[str] | None = None) -> int:
    """Run the smoke check; exit 1 if the corpus is missing."""
    args = parse_args(argv)
    corpus = args.data / CORPUS
    if not corpus.is_file():
        print(
            f"Error: no corpus at {corpus}. Pass the shared data directory with --data DIR.",
            file=sys.stderr,
        )
        return 1
    docs = list(read_docs(corpus, args.limit))
    print(
        f"{len(docs)} articles from {corpus}, procs={args.procs}, k={args.k}, "
        f"warmup={args.warmup}, repeat={args.repeat}"
    )
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bahth-peers-"))
    results: dict[str, dict[str, float]] = {}
    try:
        for name in args.peers:
            peer = make_peer(name)
            if reason := peer.unavailable():
                print(f"\n== {name}: skipped: {reason}", file=sys.stderr)
                continue
            results[name] = run_peer(peer, docs, workdir, args)
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    if results:
        print_summary(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())

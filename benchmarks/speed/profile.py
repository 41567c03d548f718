"""Where the time goes: ``python -m benchmarks.speed.profile --what index|query|snippets``.

Profiles one job on a sample of a corpus and prints the top functions by cumulative time and
by own time (cProfile, stdlib). ``--tool pyinstrument`` prints pyinstrument's call tree instead,
when it is installed. Indexing is profiled with ``workers=1``: with more, the work happens in
worker processes that the profiler does not see.

* ``index``: ``Indexer.add_files`` on ``--limit`` articles.
* ``query``: ``Searcher.search`` (snippets included) over the query set of the corpus.
* ``snippets``: ``make_snippet`` alone, for the hits of those queries.

The index for ``query`` and ``snippets`` is built first, unprofiled, unless ``--index`` names
one to reuse. Their default sample is 6,000 articles, not 2,000: below 5,000 documents whoosh
answers an OR of more than two clauses with a different matcher (it preloads every posting
into an array), so a smaller index would profile code the full corpus never runs.

Read the ranking more than the seconds: cProfile charges every call, so code made of many
small calls (whoosh's matchers) looks several times slower under it than it runs.
"""

from __future__ import annotations

import argparse
import cProfile
import importlib.util
import pstats
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from benchmarks.core import cli, corpora
from benchmarks.speed import queryset
from benchmarks.speed.queryset import Query
from benchmarks.speed.snippet_time import highlights_of

if TYPE_CHECKING:
    from search import Searcher

SITE_MARKERS = ("site-packages/", "dist-packages/")
OWN_FRAMES = str(Path("benchmarks", "speed"))
INDEX_SAMPLE = 2000
QUERY_SAMPLE = 6000  # above whoosh's 5,000-document switch of OR matchers (see above)
K = 10  # hits per query, as the benchmark and the CLI


def _where(filename: str, line: int, name: str) -> str:
    """A short, machine-independent name for a profiled function."""
    if filename.startswith("~") or filename == "":
        return name  # a builtin, e.g. "<method 'finditer' of 're.Pattern' objects>"
    path = Path(filename)
    try:
        short = str(path.resolve().relative_to(corpora.REPO_ROOT))
    except ValueError:
        short = next((filename.split(m, 1)[1] for m in SITE_MARKERS if m in filename), path.name)
    return f"{short}:{line}({name})"


def top_functions(profile: cProfile.Profile, key: str, count: int) -> list[str]:
    """The first ``count`` functions sorted by ``key`` ("cumulative" or "tottime"), as lines."""
    stats = pstats.Stats(profile)
    rows = []
    for (filename, line, name), (_, calls, own, cumulative, _) in stats.stats.items():  # type: ignore[attr-defined]
        if OWN_FRAMES in filename:
            continue  # this module's wrappers: every job's time, no information
        rows.append(
            (
                cumulative if key == "cumulative" else own,
                own,
                cumulative,
                calls,
                _where(filename, line, name),
            )
        )
    rows.sort(reverse=True)
    lines = [f"{'cum s':>8} {'own s':>8} {'calls':>10}  function"]
    lines += [
        f"{cumulative:8.3f} {own:8.3f} {calls:10,}  {where}"
        for _, own, cumulative, calls, where in rows[:count]
    ]
    return lines


def run_profiled(job: Callable[[], object], tool: str, top: int) -> None:
    """Run ``job`` under the profiler and print its summary."""
    if tool == "pyinstrument":
        from pyinstrument import Profiler

        profiler = Profiler()
        profiler.start()
        job()
        profiler.stop()
        print(profiler.output_text(unicode=True, color=False))
        return
    profile = cProfile.Profile()
    start = time.perf_counter()
    profile.runcall(job)
    print(f"profiled wall time {time.perf_counter() - start:.2f} s (with profiler overhead)\n")
    print(f"== top {top} by cumulative time")
    print("\n".join(top_functions(profile, "cumulative", top)))
    print(f"\n== top {top} by own time")
    print("\n".join(top_functions(profile, "tottime", top)))


def _queries(args: argparse.Namespace) -> list[Query]:
    chosen = queryset.select(
        queryset.load(args.queries), corpora.names(args.corpus), args.per_category
    )
    return [q for category in args.categories for q in chosen.get(category, [])]


def profile_index(args: argparse.Namespace, workdir: Path) -> Callable[[], object]:
    """A job that indexes the sample with one process (workers would hide the work)."""
    from search import Indexer

    prepared = corpora.prepare(args.data, args.corpus, workdir / "corpus.jsonl", limit=args.limit)
    print(f"indexing {prepared.articles:,} articles of {args.corpus}")
    indexer = Indexer(workdir / "index", engine=args.engine, workers=1)
    return lambda: indexer.add_files([prepared.path])


def _open_index(args: argparse.Namespace, workdir: Path) -> Searcher:
    """``--index``, or a fresh index of the sample built (unprofiled) with one process."""
    from search import Indexer, Searcher

    if args.index is not None:
        return Searcher(args.index)
    prepared = corpora.prepare(args.data, args.corpus, workdir / "corpus.jsonl", limit=args.limit)
    print(f"building an index of {prepared.articles:,} articles of {args.corpus} ...")
    Indexer(workdir / "index", engine=args.engine, workers=1).add_files([prepared.path])
    return Searcher(workdir / "index")


def profile_query(args: argparse.Namespace, workdir: Path) -> Callable[[], object]:
    """A job that runs every chosen query once (after one warm-up pass, not profiled)."""
    searcher = _open_index(args, workdir)
    queries = _queries(args)
    for query in queries:
        searcher.search(
            query.text, limit=K, **query.search_options
        )  # warm: word cache, whoosh's caches, the page cache
    print(f"{len(queries)} queries ({', '.join(args.categories)})")
    return lambda: [searcher.search(q.text, limit=K, **q.search_options) for q in queries]


def profile_snippets(args: argparse.Namespace, workdir: Path) -> Callable[[], object]:
    """A job that makes the snippets of every chosen query's hits."""
    from search.snippets import make_snippet

    searcher = _open_index(args, workdir)
    queries = _queries(args)
    work = []
    for query in queries:
        highlights = highlights_of(searcher, query.text)
        for hit in searcher.search(query.text, limit=K, **query.search_options).hits:
            if (article := searcher.get(hit.id)) is not None:
                work.append((article.body or article.title, highlights))
    print(f"{len(work)} snippets for {len(queries)} queries")
    return lambda: [make_snippet(text, highlights) for text, highlights in work]


JOBS = {"index": profile_index, "query": profile_query, "snippets": profile_snippets}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command line options."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.speed.profile",
        description="Profile indexing, querying or snippets on a corpus sample.",
        epilog="Example: python -m benchmarks.speed.profile --what query --corpus snn --limit 2000",
    )
    add = parser.add_argument
    add("--what", choices=("index", "query", "snippets"), required=True)
    cli.add_data(parser)
    cli.add_corpus(parser, "snn")
    add(
        "--limit",
        type=int,
        help="articles to index (default: 2000 for index, 6000 for query and snippets)",
    )
    add(
        "--engine",
        choices=("whoosh", "tantivy"),
        default="whoosh",
        help="Bahth's engine for the index it builds (default: %(default)s)",
    )
    add("--index", type=Path, help="reuse this Bahth index for query/snippets (no build)")
    add("--queries", type=Path, default=queryset.DEFAULT_QUERIES)
    add("--per-category", type=int, default=50, help="(default: %(default)s)")
    add(
        "--categories",
        nargs="+",
        choices=list(queryset.CATEGORIES),
        default=list(queryset.CATEGORIES),
        help="(default: all)",
    )
    add("--top", type=int, default=10, help="functions to list (default: %(default)s)")
    add(
        "--tool",
        choices=("cprofile", "pyinstrument"),
        default="cprofile",
        help="pyinstrument prints a call tree instead, if installed (default: %(default)s)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Prepare the sample, build what is needed, profile the job."""
    args = parse_args(argv)
    if args.limit is None:
        args.limit = INDEX_SAMPLE if args.what == "index" else QUERY_SAMPLE
    if args.tool == "pyinstrument" and importlib.util.find_spec("pyinstrument") is None:
        print("Error: pyinstrument is not installed; use --tool cprofile", file=sys.stderr)
        return 1
    if problem := cli.check_corpus(args.data, [args.corpus]):
        print(problem, file=sys.stderr)
        return 1
    workdir = Path(tempfile.mkdtemp(prefix="bahth-profile-"))
    try:
        run_profiled(JOBS[args.what](args, workdir), args.tool, args.top)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

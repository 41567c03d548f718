"""Do Bahth's engines rank alike? Top-10 overlap and totals of both engines, by query kind.

    python -m benchmarks.agreement [--corpus all] [--limit 5000] [--work DIR] [--workers 2]
                                   [--phrases 30] [--trigrams 10] [--words 5] [--worst 5]
                                   [--engines whoosh tantivy]

Indexes the same articles (the first ``--limit`` of the chosen corpora, taken in turn, as the
speed benchmark prepares them) with each engine, then asks both, through ``search.Searcher``:

* phrase queries: adjacent content words (only a space between them) that many articles hold,
  found in those articles, ``--phrases`` two-word and ``--trigrams`` three-word ones spread
  from the most frequent down, plus the examples of issue 22, each in quotes;
* word queries: the first ``--words`` queries per corpus of the ``single``, ``multi`` and
  ``common`` categories of the speed benchmark's query file.

Prints per kind the mean share of the top 10 both engines return, how many queries have the
same total on both (and the same top 10 in the same order), and the queries that agree least.
Figures only: no thresholds. With ``--work DIR`` the indexes are kept there and reused by the
next run (ranking is read-time work: a scoring change needs no rebuild); without it they go to
a temporary directory that is removed.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from benchmarks.core import cli, corpora
from benchmarks.core.engines import BahthEngine
from benchmarks.speed import queryset
from benchmarks.speed.make_queries import is_content, read_articles
from search import Searcher

ENGINES = ("whoosh", "tantivy")  # the default pair; --engines A B compares two others
TOP = 10
# A phrase is a candidate when at least this many articles hold it: rarer ones have too few
# hits for a top 10 to say anything about order.
MIN_ARTICLES = 15
# The phrase issue 22 was filed about, and a second everyday one: always asked when present.
EXAMPLES = ("ولي العهد", "مجلس الوزراء")
WORD_CATEGORIES = ("single", "multi", "common")


@dataclass(frozen=True)
class Compared:
    """One query asked of both engines."""

    query: str
    overlap: float  # share of the longer top 10 that the other engine returns too
    totals: tuple[int, int]
    same_order: bool  # the same ids in the same order

    @property
    def same_totals(self) -> bool:
        return self.totals[0] == self.totals[1]


def frequent_phrases(corpus: Path, length: int, count: int) -> list[str]:
    """``count`` runs of ``length`` adjacent content words, held by at least ``MIN_ARTICLES``
    articles of ``corpus``: evenly spaced over them from the most held down, so that both very
    common phrases (a country's name) and rarer ones are asked."""
    held: Counter[str] = Counter()
    for article in read_articles(corpus, None):
        words = article.words
        runs = {
            " ".join(w for w, _ in words[i : i + length])
            for i in range(len(words) - length + 1)
            if all(follows for _, follows in words[i + 1 : i + length])
            and all(is_content(w) for w, _ in words[i : i + length])
        }
        held.update(runs)
    # Ties in text order: the runs come from sets, whose order changes from run to run.
    ranked = sorted((t for t, n in held.items() if n >= MIN_ARTICLES), key=lambda t: (-held[t], t))
    if len(ranked) <= count:
        return ranked
    step = len(ranked) / count
    return [ranked[int(i * step)] for i in range(count)]


def word_queries(per_corpus: int) -> list[str]:
    """The first ``per_corpus`` queries of each corpus in each of ``WORD_CATEGORIES``, each
    once (two corpora may share a common word)."""
    taken: Counter[tuple[str, str]] = Counter()
    chosen: dict[str, None] = {}
    for query in queryset.load():
        key = (query.category, query.corpus)
        wanted = query.category in WORD_CATEGORIES and taken[key] < per_corpus
        if wanted and query.text not in chosen:
            taken[key] += 1
            chosen[query.text] = None
    return list(chosen)


def compare(searchers: dict[str, Searcher], query: str) -> Compared:
    """``query``'s top 10 and total on each engine, side by side."""
    first, second = (searcher.search(query, limit=TOP) for searcher in searchers.values())
    ids = [h.id for h in first], [h.id for h in second]
    longest = max(len(ids[0]), len(ids[1]), 1)
    return Compared(
        query,
        len(set(ids[0]) & set(ids[1])) / longest,
        (first.total, second.total),
        ids[0] == ids[1],
    )


def report(kind: str, compared: list[Compared], worst: int, engines: list[str]) -> None:
    """The figures of one kind of query, and the ``worst`` queries that agree least."""
    n = len(compared)
    mean = sum(c.overlap for c in compared) / max(n, 1)
    equal = sum(c.same_totals for c in compared)
    ordered = sum(c.same_order for c in compared)
    print(f"\n{kind}: {n} queries")
    print(f"  mean top-{TOP} overlap   {mean:.3f}")
    print(f"  totals equal          {equal}/{n}")
    print(f"  same top {TOP}, in order {ordered}/{n}")
    print(f"  least alike (overlap, totals {engines[0]}/{engines[1]}):")
    for c in sorted(compared, key=lambda c: (c.overlap, c.query))[:worst]:
        print(f"    {c.overlap:.1f}  {c.totals[0]}/{c.totals[1]}  {c.query}")


def build(work: Path, args: argparse.Namespace) -> Path:
    """The prepared corpus in ``work`` and each engine's index of it, made unless present."""
    corpus = work / "corpus.jsonl"
    if not corpus.exists():
        cli.progress(f"preparing {args.limit} articles of {args.corpus} in {corpus}")
        corpora.prepare(args.data, args.corpus, corpus, limit=args.limit)
    for engine in args.engines:
        index = work / engine
        if not index.exists():
            cli.progress(f"indexing with {engine}")
            BahthEngine(engine).build(corpus, index, args.workers)
    return corpus


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.agreement", description=__doc__.split("\n\n")[0]
    )
    cli.add_data(parser)
    cli.add_corpus(parser, "all")
    parser.add_argument("--limit", type=int, default=5000, help="articles (default: 5000)")
    parser.add_argument("--work", type=Path, help="keep the indexes here (default: a temp dir)")
    parser.add_argument("--workers", type=int, default=2, help="indexing workers (default: 2)")
    parser.add_argument("--phrases", type=int, default=30, help="two-word phrases (default: 30)")
    parser.add_argument("--trigrams", type=int, default=10, help="three-word ones (default: 10)")
    parser.add_argument("--words", type=int, default=5, help="per corpus and kind (default: 5)")
    parser.add_argument("--worst", type=int, default=5, help="queries shown per kind")
    parser.add_argument(
        "--engines", nargs=2, default=list(ENGINES), help="the two engines (default: %(default)s)"
    )
    args = parser.parse_args(argv)
    if error := cli.check_corpus(args.data, [args.corpus]):
        parser.error(error)
    work = args.work or Path(tempfile.mkdtemp(prefix="bahth-agreement-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        corpus = build(work, args)
        phrases = frequent_phrases(corpus, 2, args.phrases)
        phrases += frequent_phrases(corpus, 3, args.trigrams)
        phrases += [p for p in EXAMPLES if p not in phrases]
        searchers = {engine: Searcher(work / engine) for engine in args.engines}
        try:
            kinds = {
                "phrases": [compare(searchers, f'"{p}"') for p in phrases],
                "words": [compare(searchers, w) for w in word_queries(args.words)],
            }
        finally:
            for searcher in searchers.values():
                searcher.close()
        first, second = args.engines
        print(f"{first} against {second} on {args.limit} articles of {args.corpus}")
        for kind, compared in kinds.items():
            report(kind, compared, args.worst, args.engines)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

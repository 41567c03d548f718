"""Words per second of ``analyze()`` and ``index_terms()`` on a real corpus.

    python -m benchmarks.analysis_speed [--corpus saudinewsnet/saudinewsnet.jsonl.gz] [--limit N]

"Without the cache" runs the same chain per token (tokenize, stopword test, normalize, stem)
through the undecorated functions, so every token pays for its full analysis. ``analyze`` and
``index_terms`` (the indexing path) are then timed on the same texts: one pass from empty
caches, as an indexing run sees them (every distinct word is analyzed once, which costs both
the same), then on the first ``--hit-articles`` again, all cache hits, which is the cost per
word of the path itself. Words are the tokenizer's tokens, the same count for both. Times are
this process's CPU time, so that other work on the machine does not count.
"""

from __future__ import annotations

import argparse
import gzip
import json
import time
from collections.abc import Callable
from pathlib import Path

from search import arabic
from search.arabic import (
    analyze,
    analyze_word,
    index_terms,
    normalize,
    normalize_light,
    stem,
    tokenize,
)
from search.arabic.stopwords import is_stopword
from search.arabic.tokenize import KIND_WORD

ROOT = Path(__file__).resolve().parents[1]


def read_texts(path: Path, limit: int | None) -> list[str]:
    texts = []
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for n, line in enumerate(lines):
            if limit is not None and n >= limit:
                break
            record = json.loads(line)
            texts.append(f"{record.get('title') or ''}\n{record.get('body') or ''}")
    return texts


def analyze_uncached(text: str) -> int:
    uncached_stem = stem.__wrapped__
    count = 0
    for token in tokenize(text):
        norm = normalize(token.text)
        if token.kind == KIND_WORD and not is_stopword(normalize_light(token.text)):
            uncached_stem(norm)
        count += 1
    return count


def timed(function: Callable[[str], object], texts: list[str]) -> float:
    """CPU seconds that ``function`` takes over ``texts``."""
    start = time.process_time()
    for text in texts:
        function(text)
    return time.process_time() - start


def clear_caches() -> None:
    """Empty the word cache and the indexing path's chunk memo."""
    analyze_word.cache_clear()
    arabic._CHUNKS.clear()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--corpus", default="saudinewsnet/saudinewsnet.jsonl.gz")
    parser.add_argument("--limit", type=int, default=None, help="first N articles only")
    parser.add_argument(
        "--hit-articles",
        type=int,
        default=5_000,
        help="articles whose second pass measures cache hits (their words must fit the caches)",
    )
    args = parser.parse_args()
    texts = read_texts(args.data / args.corpus, args.limit)
    megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    stem("تحميل")  # load the lexicon and families outside the timings

    start = time.process_time()
    words = sum(analyze_uncached(t) for t in texts)
    uncached = time.process_time() - start

    clear_caches()
    start = time.process_time()
    cached_words = sum(len(analyze(t)) for t in texts)
    cached = time.process_time() - start
    info = analyze_word.cache_info()

    print(f"corpus: {args.corpus}, {len(texts):,} articles, {megabytes:.1f} MB, {words:,} tokens")
    print(f"without cache: {words / uncached:,.0f} words/s ({uncached:.1f} s)")
    print(
        f"with cache:    {cached_words / cached:,.0f} words/s ({cached:.1f} s), "
        f"hit rate {info.hits / (info.hits + info.misses):.1%}, {info.currsize:,} entries"
    )
    print(f"speed-up: {uncached / cached:.1f}x")

    clear_caches()
    fresh = timed(index_terms, texts)
    print(
        f"from empty caches: analyze {words / cached:,.0f} words/s, "
        f"index_terms {words / fresh:,.0f} words/s: {cached / fresh:.1f}x"
    )

    # The corpus's vocabulary outgrows the caches, so a second pass over it misses as much as
    # the first; the first articles' vocabulary fits them, so a second pass over those is hits.
    sample = texts[: args.hit_articles]
    sample_words = sum(1 for text in sample for _ in tokenize(text))
    clear_caches()
    timed(analyze, sample)
    timed(index_terms, sample)
    hits_analyze = min(timed(analyze, sample) for _ in range(3))
    hits_index = min(timed(index_terms, sample) for _ in range(3))
    print(
        f"cache hits only ({len(sample):,} articles, best of 3): "
        f"analyze {sample_words / hits_analyze:,.0f} words/s, "
        f"index_terms {sample_words / hits_index:,.0f} words/s: {hits_analyze / hits_index:.1f}x"
    )


if __name__ == "__main__":
    main()

"""Words per second of ``analyze()`` on a real corpus, with and without the word cache.

    python -m benchmarks.analysis_speed [--corpus saudinewsnet/saudinewsnet.jsonl.gz] [--limit N]

"Without the cache" runs the same chain per token (tokenize, stopword test, normalize, stem)
through the undecorated functions, so every token pays for its full analysis.
"""

from __future__ import annotations

import argparse
import gzip
import json
import time
from pathlib import Path

from search.arabic import analyze, analyze_word, normalize, normalize_light, stem, tokenize
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--corpus", default="saudinewsnet/saudinewsnet.jsonl.gz")
    parser.add_argument("--limit", type=int, default=None, help="first N articles only")
    args = parser.parse_args()
    texts = read_texts(args.data / args.corpus, args.limit)
    megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    stem("تحميل")  # load the lexicon and families outside the timings

    start = time.perf_counter()
    words = sum(analyze_uncached(t) for t in texts)
    uncached = time.perf_counter() - start

    analyze_word.cache_clear()
    start = time.perf_counter()
    cached_words = sum(len(analyze(t)) for t in texts)
    cached = time.perf_counter() - start
    info = analyze_word.cache_info()

    print(f"corpus: {args.corpus}, {len(texts):,} articles, {megabytes:.1f} MB, {words:,} tokens")
    print(f"without cache: {words / uncached:,.0f} words/s ({uncached:.1f} s)")
    print(
        f"with cache:    {cached_words / cached:,.0f} words/s ({cached:.1f} s), "
        f"hit rate {info.hits / (info.hits + info.misses):.1%}, {info.currsize:,} entries"
    )
    print(f"speed-up: {uncached / cached:.1f}x")


if __name__ == "__main__":
    main()

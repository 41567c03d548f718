"""Build ``search/arabic/data/lexicon.tsv.gz``, the word counts the stemmer consults.

The stemmer strips a one-letter clitic (و ف ب ل ك) or the article only when the corpus says the
letters are a clitic and not part of the word (see ``search/arabic/stem.py``). Those counts come
from the two ANT news corpora, which are Apache-2.0 licensed (Chouigui, Ben Khiroun, Elayeb,
"ANT Corpus: An Arabic News Text Collection for Textual Classification", AICCSA 2017; and
Chouigui et al., AJSE 2021); SaudiNewsNet is non-commercial and is deliberately not used, so
it stays an unseen corpus for evaluation.

    python -m benchmarks.build_lexicon [--data ../shared/data] [--min-count 3]
"""

from __future__ import annotations

import argparse
import collections
import gzip
import json
from pathlib import Path

from search.arabic.normalize import normalize
from search.arabic.tokenize import tokenize

ROOT = Path(__file__).resolve().parents[1]
CORPORA = (
    "antcorpus_v1.1/ant_v1.1_jawharafm.jsonl.gz",
    "antcorpus_multisource_v2.1/ant_v2.1_multisource.jsonl.gz",
)
OUTPUT = ROOT / "search" / "arabic" / "data" / "lexicon.tsv.gz"
HEADER = """\
# Bahth stemmer lexicon: normalized Arabic word forms and their counts.
# Counted with Bahth's tokenizer and normalizer over the titles and bodies of ANT Corpus v1.1
# and v2.1 (github.com/antcorpus, Apache-2.0; cite Chouigui et al., AICCSA 2017 and AJSE 2021),
# one copy per distinct url. Forms seen fewer than {min_count} times are left out.
"""


def count_words(data: Path) -> collections.Counter[str]:
    counts: collections.Counter[str] = collections.Counter()
    seen_urls: set[str] = set()
    for name in CORPORA:
        with gzip.open(data / name, "rt", encoding="utf-8") as lines:
            for line in lines:
                record = json.loads(line)
                url = record.get("url") or ""
                if url in seen_urls:
                    continue  # ANT v2.1 files one article under two categories
                seen_urls.add(url)
                text = f"{record.get('title') or ''}\n{record.get('body') or ''}"
                for token in tokenize(text):
                    word = normalize(token.text)
                    if any("\u0621" <= ch <= "\u064a" for ch in word):
                        counts[word] += 1
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--min-count", type=int, default=3)
    args = parser.parse_args()
    counts = count_words(args.data)
    kept = sorted((w, c) for w, c in counts.items() if c >= args.min_count)
    body = "".join(f"{w}\t{c}\n" for w, c in kept)
    text = HEADER.format(min_count=args.min_count) + body
    # mtime=0 keeps the file byte-identical across rebuilds of the same counts.
    with gzip.GzipFile(OUTPUT, "wb", compresslevel=9, mtime=0) as out:
        out.write(text.encode("utf-8"))
    print(f"{len(counts):,} distinct forms, {len(kept):,} kept, {OUTPUT.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()

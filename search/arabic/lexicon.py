"""Word counts from a news corpus, which the stemmer consults before stripping a clitic.

``data/lexicon.tsv.gz`` holds normalized word forms seen at least three times in the ANT news
corpora (Apache-2.0; built by ``python -m benchmarks.build_lexicon``). It is shipped with the
package and never changes with what a user indexes, so a word stems the same way at index time
and at query time, in every index.
"""

from __future__ import annotations

import gzip
from functools import cache
from importlib import resources


@cache
def word_counts() -> dict[str, int]:
    """Return ``{normalized word: count}`` from the shipped lexicon."""
    raw = resources.files(__package__).joinpath("data/lexicon.tsv.gz").read_bytes()
    counts: dict[str, int] = {}
    for line in gzip.decompress(raw).decode("utf-8").splitlines():
        if line and not line.startswith("#"):
            word, _, count = line.partition("\t")
            counts[word] = int(count)
    return counts

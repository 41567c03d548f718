"""The archive's own vocabulary: the Arabic words its articles hold, with how many hold each.

Kept in the index generation as ``spelling.<commit>.marisa``, a trie of the normalized words
with their article counts (marisa-trie's ``RecordTrie``), made from the engine's exact fields
after each indexing run that changed something (``refresh``), a side file numbered with the
engine's commit like the metadata (``search.generation``). A search maps the file instead of
reading it:
a search that needs it starts using it at once, and it takes no memory of the process's own
(a dict of the same words took 0.2-0.4 s to read and 25 MB; the trie's look-ups are slower,
about a microsecond, a few milliseconds for the candidates of a misspelled word).

A reader takes the file in force, the highest numbered up to the last commit:
a run killed between its commit and this file leaves the previous run's vocabulary, which
still serves (its words are the archive's, a run's worth older), and the next run writes a
new one. A rebuild writes it before the new generation is published.

Only words held by at least ``MIN_ARTICLES`` articles are kept: a suggestion never points at
a word the archive has once (often a misspelling itself), and the file stays small (72,716
articles: 197,000 words, a file of 0.8 MB).
"""

from __future__ import annotations

import errno
import os
import re
from collections.abc import Iterator, Mapping
from pathlib import Path

import marisa_trie

from ..engine import EngineReader
from ..generation import VOCABULARY, Generation

EXACT_FIELDS = ("title_exact", "body_exact", "keywords_exact")
MIN_ARTICLES = 2
_COUNT = "<I"  # a record of the trie: the articles holding its word, 32 bits unsigned
_ARABIC_WORD = re.compile(r"[\u0621-\u064a]{2,}")


def count_words(reader: EngineReader) -> dict[str, int]:
    """The Arabic words of the exact fields held by ``MIN_ARTICLES`` articles or more, with
    the number of articles of the field that holds each most (a headline's words are nearly
    always in its body too, so a sum would count most articles twice)."""
    counts: dict[str, int] = {}
    for field in EXACT_FIELDS:
        for word, articles in reader.terms(field):
            if articles >= MIN_ARTICLES and articles > counts.get(word, 0):
                counts[word] = articles
    return {w: n for w, n in counts.items() if _ARABIC_WORD.fullmatch(w)}


def _trie(counts: Mapping[str, int]) -> marisa_trie.RecordTrie:
    return marisa_trie.RecordTrie(_COUNT, ((word, (n,)) for word, n in counts.items()))


def refresh(generation: Path) -> None:
    """Write the vocabulary of the generation's last commit, unless it has one. The caller
    holds the index's write lock, and then removes the older ones
    (``Generation.remove_superseded``)."""
    side = Generation(generation)
    commit = side.committed()
    if side.file(VOCABULARY, commit).exists():
        return
    reader = side.engine.open_reader(side.location)
    try:
        counts = count_words(reader)
    finally:
        reader.close()
    trie = _trie(counts)
    side.write(VOCABULARY, commit, lambda out: out.write(trie.tobytes()))


class Vocabulary:
    """Normalized word → articles holding it, for the words of one vocabulary file (or of
    ``counts``)."""

    def __init__(self, counts: Mapping[str, int] | None = None) -> None:
        self._trie = _trie(counts or {})

    def __len__(self) -> int:
        return len(self._trie)

    def get(self, word: str) -> int:
        """Articles holding ``word`` (0: fewer than ``MIN_ARTICLES``)."""
        found = self._trie.get(word)
        return found[0][0] if found else 0

    def items(self) -> Iterator[tuple[str, int]]:
        """Every word with its articles."""
        return ((word, n) for word, (n,) in self._trie.iteritems())

    @classmethod
    def read(cls, generation: Path) -> Vocabulary | None:
        """The vocabulary of the generation's last commit with one, mapped (None: none yet,
        as in an index built before Bahth kept one; the next indexing run writes it)."""
        return Generation(generation).read(VOCABULARY, cls.mapped)

    @classmethod
    def mapped(cls, path: Path) -> Vocabulary:
        """The vocabulary file at ``path``, mapped; ``FileNotFoundError`` if there is none."""
        vocabulary = cls()
        try:
            vocabulary._trie = marisa_trie.RecordTrie(_COUNT).mmap(str(path))
        except RuntimeError:
            # marisa says only that it could not open the file: a commit may have removed it
            if not path.exists():
                raise FileNotFoundError(
                    errno.ENOENT, os.strerror(errno.ENOENT), str(path)
                ) from None
            raise
        return vocabulary

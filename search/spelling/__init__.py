"""Did you mean: spelling suggestions from the archive's own vocabulary.

    edits.py       how Arabic writers mistype: weighted single edits of a normalized word
                   (keyboard neighbours, letters that sound alike, swaps, dropped and doubled
                   letters)
    vocabulary.py  the archive's words with their article counts, kept in the generation and
                   rewritten by each indexing run
    decide.py      which word was meant, and the query rewritten with it
    speller.py     the above over a Searcher's engine reader and generation

The candidate search generates the edits of a word (about a thousand for a word of six
letters: normalized Arabic has 29 letters) and looks each up in the vocabulary's trie, about a
millisecond a word. A deletion index (symspellpy) or a scan with rapidfuzz finds the same
candidates with more memory or time; ``docs/benchmarks.md`` has the figures.
"""

from __future__ import annotations

from .decide import plain, suggest
from .vocabulary import Vocabulary, refresh

__all__ = ["Vocabulary", "plain", "refresh", "suggest"]

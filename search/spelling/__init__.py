"""Did you mean: spelling suggestions from the archive's own vocabulary.

    edits.py       how Arabic writers mistype: weighted single edits of a normalized word
                   (keyboard neighbours, letters that sound alike, swaps, dropped and doubled
                   letters)
    vocabulary.py  the archive's words with their article counts, kept in the generation and
                   rewritten by each indexing run
    decide.py      which word was meant, and the query rewritten with it

The candidate search generates the edits of a word (about a thousand for a word of six
letters: normalized Arabic has 29 letters) and looks each up in the vocabulary, a dict: 0.1 ms
a word. A deletion index (symspellpy) or a scan with rapidfuzz finds the same candidates
slower or with more memory; ``docs/benchmarks.md`` has the figures.
"""

from __future__ import annotations

from .decide import plain, suggest
from .vocabulary import Vocabulary, refresh

__all__ = ["Vocabulary", "plain", "refresh", "suggest"]

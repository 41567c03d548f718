"""Suggestions for the searches of one index snapshot: ``suggest`` over an engine reader."""

from __future__ import annotations

import threading
from pathlib import Path

from ..arabic import normalize
from ..arabic.tokenize import TOKEN_PATTERN
from ..engine.contract import EngineReader, Term
from .decide import plain, suggest
from .vocabulary import EXACT_FIELDS, Vocabulary

# Fields to find a word in when asking how the archive writes it: a headline first (short to
# analyze), then a body.
_SPELLED_IN = ("title_exact", "body_exact")


class Speller:
    """Did-you-mean for a ``Searcher``: its reader's term counts, and the generation's
    vocabulary, read on the first search that needs it. Threads may share it when they may
    share the reader."""

    def __init__(self, reader: EngineReader, generation: Path) -> None:
        self._reader = reader
        self._generation = generation
        self._vocabulary: Vocabulary | None = None
        self._read = False
        self._reading = threading.Lock()

    def vocabulary(self) -> Vocabulary | None:
        """The generation's vocabulary, read once."""
        with self._reading:
            if not self._read:
                self._vocabulary = Vocabulary.read(self._generation)
                self._read = True
        return self._vocabulary

    def articles(self, norm: str) -> int:
        """Articles holding the normalized word as written, in the field holding it most."""
        return max(self._reader.doc_frequency(field, norm) for field in EXACT_FIELDS)

    def spelled(self, norm: str) -> str | None:
        """The normalized word as an article of the archive writes it (hamzas, ة, ى), without
        marks; None when no article holds it."""
        for field in _SPELLED_IN:
            found = self._reader.top(Term(field, norm), 1, None, False)
            if not found:
                continue
            [article] = self._reader.stored_many([found[0].ref])
            for text in (article.title, article.body):
                # Tokens normalized, not analyzed: stemming a whole body would cost more.
                for match in TOKEN_PATTERN.finditer(text):
                    if normalize(match.group()) == norm:
                        return plain(match.group())
        return None

    def suggest(self, query: str) -> str | None:
        """``query`` with its likely misspellings corrected, or None (see ``suggest``)."""
        return suggest(query, self.articles, self.vocabulary, self.spelled)

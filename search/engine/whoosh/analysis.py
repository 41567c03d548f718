"""whoosh analyzer adapters over ``search.arabic``: they hold no rules of their own.

Keep these classes at this path: whoosh pickles the analyzers into every index's table of
contents (indexes are opened with the schema from code, but the pickle must still load).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from whoosh.analysis import Filter, Token, Tokenizer

from ...arabic import index_terms


@lru_cache(maxsize=8)
def _terms(text: str) -> tuple[list[str], list[str]]:
    # A text is indexed into two fields (stemmed and exact): analyze it once for both.
    return index_terms(text)


def words_of(text: str, stemmed: bool) -> list[str]:
    """The index terms (``stemmed``) or normalized words of ``text``, from the memo the
    analyzer uses."""
    return _terms(text)[0 if stemmed else 1]


class ArabicTokenizer(Tokenizer):
    """The indexed words of ``search.arabic.index_terms``, stopwords left out, numbered
    consecutively (so a quoted phrase matches across a stopword): each token carries ``norm``
    and ``term`` for ``ArabicTermFilter`` to choose from.

    For indexing only: Bahth analyzes queries and finds highlights itself, so the tokens have
    no character offsets.
    """

    def __call__(  # type: ignore[override]
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: object,
    ) -> Iterator[Token]:
        # whoosh reuses one Token object for the whole stream (see whoosh.analysis.acore).
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        terms, norms = _terms(value)
        for pos, (term, norm) in enumerate(zip(terms, norms, strict=True), start_pos):
            token.text = token.term = term
            token.norm = norm
            token.boost = 1.0
            token.stopped = False
            if positions:
                token.pos = pos
            yield token


class ArabicTermFilter(Filter):
    """Replace each word by its index term (``stemmed``) or its normalized form (exact)."""

    def __init__(self, stemmed: bool = True) -> None:
        self.stemmed = stemmed

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ArabicTermFilter) and other.stemmed == self.stemmed

    def __hash__(self) -> int:
        return hash((ArabicTermFilter, self.stemmed))

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:  # type: ignore[override]
        for token in tokens:
            token.text = token.term if self.stemmed else token.norm
            yield token


def arabic_analyzer(stemmed: bool = True) -> ArabicTokenizer | Filter:
    """The whoosh analyzer for Arabic text: stemmed (for ranking) or exact (normalized only)."""
    return ArabicTokenizer() | ArabicTermFilter(stemmed=stemmed)

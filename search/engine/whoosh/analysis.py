"""whoosh analyzer adapters over ``search.arabic``: they hold no rules of their own.

Keep these classes at this path: whoosh pickles the analyzers into every index's table of
contents (indexes are opened with the schema from code, but the pickle must still load).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from whoosh.analysis import Filter, Token, Tokenizer

from ...arabic import AnalyzedToken, analyze


@lru_cache(maxsize=8)
def _analyzed(text: str) -> list[AnalyzedToken]:
    # A text is indexed into two fields (stemmed and exact): analyze it once for both.
    return analyze(text)


class ArabicTokenizer(Tokenizer):
    """Tokens of ``search.arabic.analyze``: surface offsets, normalized form and index term.

    Offsets are those of the original text and no filter changes them, so highlights land on
    surface words (وروسيا، المفاوضاتِ) whatever the index term is. The token carries ``norm``
    and ``term`` (None for a stopword) for ``ArabicTermFilter`` to choose from.
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
        for pos, (surface, start, end, norm, term) in enumerate(_analyzed(value), start_pos):
            token.text = surface
            token.norm = norm
            token.term = term
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = surface
            if positions:
                token.pos = pos
            if chars:
                token.startchar = start_char + start
                token.endchar = start_char + end
            yield token


class ArabicTermFilter(Filter):
    """Replace each word by its index term (``stemmed``) or its normalized form (exact).

    Stopwords are dropped (or marked ``stopped`` when whoosh asks to keep them) and positions
    are renumbered over the words that remain, as whoosh's own StopFilter does, so a quoted
    phrase matches across a stopword.
    """

    def __init__(self, stemmed: bool = True) -> None:
        self.stemmed = stemmed

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ArabicTermFilter) and other.stemmed == self.stemmed

    def __hash__(self) -> int:
        return hash((ArabicTermFilter, self.stemmed))

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:  # type: ignore[override]
        pos = None
        for token in tokens:
            if token.term is None:
                if not token.removestops:
                    token.text, token.stopped = token.norm, True
                    yield token
                continue
            token.text = token.term if self.stemmed else token.norm
            token.stopped = False
            if token.positions:
                pos = token.pos if pos is None else pos + 1
                token.pos = pos
            yield token


def arabic_analyzer(stemmed: bool = True) -> ArabicTokenizer | Filter:
    """The whoosh analyzer for Arabic text: stemmed (for ranking) or exact (normalized only)."""
    return ArabicTokenizer() | ArabicTermFilter(stemmed=stemmed)

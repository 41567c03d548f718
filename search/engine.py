"""The only module that imports whoosh: analyzer adapters, schema, and index access.

Everything whoosh-specific stays here so that another engine could replace it; the rest of Bahth
speaks in ``Article``, query trees and plain values.
"""

from __future__ import annotations

from collections.abc import Iterator

from whoosh.analysis import Filter, Token, Tokenizer

from .arabic import analyze_word
from .arabic import tokenize as arabic_tokenize


class ArabicTokenizer(Tokenizer):
    """Split text with ``search.arabic.tokenize``; token text is the surface word as written.

    Offsets are those of the original text, and no later filter changes them, so highlights
    land on surface words (وروسيا، المفاوضاتِ) whatever the index term is.
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
        for pos, (surface, start, end, kind) in enumerate(arabic_tokenize(value), start_pos):
            token.text = surface
            token.kind = kind
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
    """Replace each surface word by its index term (``stemmed``) or normalized form (exact).

    Stopwords are dropped (or marked ``stopped`` when whoosh asks to keep them) and positions
    are renumbered over the words that remain, as whoosh's own StopFilter does, so a quoted
    phrase matches across a stopword. The work is one memoized call per token.
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
            norm, term = analyze_word(token.text, token.kind)
            if not norm:
                continue
            if term is None:
                if not token.removestops:
                    token.text, token.stopped = norm, True
                    yield token
                continue
            token.text = term if self.stemmed else norm
            token.stopped = False
            if token.positions:
                pos = token.pos if pos is None else pos + 1
                token.pos = pos
            yield token


def arabic_analyzer(stemmed: bool = True) -> ArabicTokenizer | Filter:
    """The whoosh analyzer for Arabic text: stemmed (for ranking) or exact (normalized only)."""
    return ArabicTokenizer() | ArabicTermFilter(stemmed=stemmed)

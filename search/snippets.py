"""Snippets: the best fragments of an article around its matches, with highlight offsets.

A token matches when its index term is one the query asked for (so query ``روسيا`` marks
``وروسيا`` and ``لروسيا``), when its normalized form is one of a quoted phrase's, or when it
starts with a ``word*`` prefix. Offsets come from ``search.arabic.analyze`` on the stored text,
so a highlight covers the word as written, diacritics and clitics included.

>>> from search.query import Highlights
>>> text, spans = make_snippet("قال إن روسيا ستشارك، ووصلت وفود لروسيا.", Highlights(terms={"روس"}))
>>> [text[a:b] for a, b in spans]
['روسيا', 'لروسيا']
"""

from __future__ import annotations

import re

from .arabic import AnalyzedToken, analyze
from .query import Highlights
from .results import Span

SNIPPET_CHARS = 200
ELLIPSIS = "…"
SEPARATOR = f" {ELLIPSIS} "
_BREAKS = re.compile(r"\s")


def _key(token: AnalyzedToken, highlights: Highlights) -> str | None:
    """The query form a token matches (its term or normalized form), or None."""
    term, norm = token.term, token.norm
    if term is not None and term in highlights.terms:
        return term
    if norm in highlights.norms:
        return norm
    for prefix in highlights.norm_prefixes:
        if norm.startswith(prefix):
            return prefix
    if term is not None:
        for prefix in highlights.term_prefixes:
            if term.startswith(prefix):
                return prefix
    return None


def mark(text: str, highlights: Highlights) -> list[Span]:
    """Offsets of every matching word in ``text`` (used for titles)."""
    return [(t.start, t.end) for t in analyze(text) if _key(t, highlights) is not None]


def _best_window(
    matches: list[tuple[AnalyzedToken, str]], size: int, wanted: set[str]
) -> tuple[int, int]:
    """The run of matches fitting in ``size`` chars with most wanted keys, then most matches."""
    best = (-1, -1, 0, 0)
    last = 0
    for first in range(len(matches)):
        last = max(last, first)
        while (
            last + 1 < len(matches) and matches[last + 1][0].end - matches[first][0].start <= size
        ):
            last += 1
        window = matches[first : last + 1]
        keys = {key for _, key in window}
        score = (len(keys & wanted), len(window))
        if score > best[:2]:
            best = (*score, first, last)
    return best[2], best[3]


def _fragment(
    text: str, tokens: list[AnalyzedToken], start: int, end: int, size: int
) -> tuple[int, int]:
    """Widen [start, end) to about ``size`` chars around it, cut at word boundaries."""
    pad = max(0, size - (end - start)) // 2
    lo = max(0, start - pad)
    hi = min(len(text), max(end, lo + size))
    lo = max(0, min(lo, hi - size))
    starts = [t.start for t in tokens if lo <= t.start <= start]
    ends = [t.end for t in tokens if end <= t.end <= hi]
    return (starts[0] if starts else start), (ends[-1] if ends else end)


def _lead(text: str, tokens: list[AnalyzedToken], size: int) -> str:
    ends = [t.end for t in tokens if t.end <= size]
    if len(text) <= size or not ends:
        return " ".join(text[:size].split())
    return " ".join(text[: ends[-1]].split()) + " " + ELLIPSIS


def make_snippet(
    text: str, highlights: Highlights, size: int = SNIPPET_CHARS
) -> tuple[str, list[Span]]:
    """Return ``(snippet, highlight spans)`` for ``text``.

    One fragment of about ``size`` characters around the densest matches; when that leaves
    some query word out, two fragments of half the size, the second around it. Without any
    match, the lead of the article.
    """
    tokens = analyze(text)
    matches = [(t, key) for t in tokens if (key := _key(t, highlights)) is not None]
    if not matches:
        return _lead(text, tokens, size), []
    wanted = {key for _, key in matches}
    first, last = _best_window(matches, size, wanted)
    windows = [(first, last, size)]
    missing = wanted - {key for _, key in matches[first : last + 1]}
    if missing:
        others = [m for i, m in enumerate(matches) if not first <= i <= last]
        o_first, o_last = _best_window(others, size // 2, missing)
        second = matches.index(others[o_first]), matches.index(others[o_last])
        windows = [(first, last, size // 2), (*second, size // 2)]
    spans = []
    for lo, hi, width in sorted(windows):
        head, tail = _fragment(text, tokens, matches[lo][0].start, matches[hi][0].end, width)
        if spans and head <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(tail, spans[-1][1]))
        else:
            spans.append((head, tail))
    # An ellipsis only where words were cut, not before a leading quote or a final full stop.
    before, after = tokens[0].start < spans[0][0], tokens[-1].end > spans[-1][1]
    return _assemble(text, spans, [t for t, _ in matches], before, after)


def _assemble(
    text: str,
    spans: list[tuple[int, int]],
    matched: list[AnalyzedToken],
    before: bool,
    after: bool,
) -> tuple[str, list[Span]]:
    parts: list[str] = []
    marks: list[Span] = []
    length = 0
    for number, (head, tail) in enumerate(spans):
        prefix = SEPARATOR if number else (ELLIPSIS + " " if before else "")
        parts.append(prefix)
        length += len(prefix)
        # Line breaks become spaces one for one, so offsets into the fragment stay exact.
        fragment = _BREAKS.sub(" ", text[head:tail])
        marks.extend(
            (length + t.start - head, length + t.end - head)
            for t in matched
            if head <= t.start and t.end <= tail
        )
        parts.append(fragment)
        length += len(fragment)
    if after:
        parts.append(" " + ELLIPSIS)
    return "".join(parts), marks

"""Snippets: the best fragments of an article around its matches, with highlight offsets.

A word matches when its index term is one the query asked for (so query ``روسيا`` marks
``وروسيا`` and ``لروسيا``), when its normalized form is one of a quoted phrase's, or when it
starts with a ``word*`` prefix. Every match is confirmed by ``search.arabic.analyze_word`` on
the word as written, so a highlight covers the surface word, diacritics and clitics included.

Analyzing a whole article for each hit would cost milliseconds; instead one regular expression,
built from the query's forms with every letter allowed in its written variants (أ إ آ for ا,
ة for ه, …) and with diacritics or tatweel between letters, finds the few candidate words in one
pass, and only those are analyzed.

>>> from search.query import Highlights
>>> text, spans = make_snippet("قال إن روسيا ستشارك، ووصلت وفود لروسيا.", Highlights(terms={"روس"}))
>>> [text[a:b] for a, b in spans]
['روسيا', 'لروسيا']
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from .arabic import analyze, analyze_word
from .arabic.normalize import DELETED
from .arabic.tokenize import JOINERS, KIND_WORD, MARKS, TOKEN_PATTERN
from .query import Highlights
from .results import Hit, Span

if TYPE_CHECKING:
    from .article import Article
    from .engine.compiling import CompiledQuery
    from .engine.contract import EngineHit
    from .explain import Explanation

SNIPPET_CHARS = 200
ELLIPSIS = "…"
SEPARATOR = f" {ELLIPSIS} "
_BREAKS = re.compile(r"\s")
# Characters NFKC turns into more than one letter, which the candidate pattern cannot see through.
_PRESENTATION_FORMS = re.compile("[\u0675-\u0678\ufb50-\ufdff\ufe70-\ufefe]")

# What normalize folds into each letter, so that a pattern on normalized forms finds the
# words as written.
_VARIANTS = {
    "ا": "اأإآٱ",
    "ي": "يىئیېے",
    "ه": "هةەۀہ",
    "و": "وؤ",
    "ك": "كکڪ",
    **{str(d): f"{d}{chr(0x0660 + d)}{chr(0x06F0 + d)}" for d in range(10)},
}
# Between two letters of a word as written: what normalize deletes (marks, tatweel, the high
# hamza, invisible controls), the tokenizer's marks and joiners, and digit separators.
_BETWEEN = f"[{MARKS}{JOINERS}{re.escape(''.join(DELETED))}.,\u066b\u066c]*"

Match = tuple[int, int, str]  # start, end, the query form it matched


def _key(norm: str, term: str | None, highlights: Highlights) -> str | None:
    """The query form a word matches (its term or normalized form), or None."""
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


@lru_cache(maxsize=256)
def _candidates(needles: frozenset[str]) -> re.Pattern[str] | None:
    """A pattern finding every written form that may normalize to contain one of ``needles``.

    A needle that contains another adds nothing: the word holding it holds the shorter one,
    which finds it (فوز finds الفوز). Fewer alternatives make the scan faster.
    """
    kept = {n for n in needles if not any(o != n and o in n for o in needles)}
    alternatives = []
    for needle in sorted(kept, key=len, reverse=True):
        letters = [f"[{_VARIANTS[c]}]" if c in _VARIANTS else re.escape(c) for c in needle]
        alternatives.append(_BETWEEN.join(letters))
    return re.compile("|".join(alternatives), re.IGNORECASE) if alternatives else None


def _word_at(text: str, pos: int) -> re.Match[str] | None:
    """The token of ``text`` that contains position ``pos``."""
    start = max(text.rfind(" ", 0, pos), text.rfind("\n", 0, pos)) + 1
    for token in TOKEN_PATTERN.finditer(text, start):
        if token.start() > pos:
            return None
        if token.end() > pos:
            return token
    return None


def _matches(text: str, highlights: Highlights) -> list[Match]:
    """The words of ``text`` that match the query, in order."""
    if _PRESENTATION_FORMS.search(text):  # the pattern cannot see through them: analyze all
        return [
            (t.start, t.end, key)
            for t in analyze(text)
            if (key := _key(t.norm, t.term, highlights)) is not None
        ]
    needles = frozenset(
        highlights.terms | highlights.norms | highlights.norm_prefixes | highlights.term_prefixes
    )
    pattern = _candidates(needles)
    found: list[Match] = []
    if pattern is None:
        return found
    seen = 0  # the end of the last word looked at
    for candidate in pattern.finditer(text):
        if candidate.start() < seen:
            continue  # inside a word already looked at
        token = _word_at(text, candidate.start())
        if token is None or token.start() < seen:
            continue
        seen = token.end()
        norm, term = analyze_word(token.group(), token.lastgroup or KIND_WORD)
        key = _key(norm, term, highlights)
        if key is not None:
            found.append((token.start(), token.end(), key))
    return found


def mark(text: str, highlights: Highlights) -> list[Span]:
    """Offsets of every matching word in ``text`` (used for titles)."""
    return [(start, end) for start, end, _ in _matches(text, highlights)]


def _best_window(matches: list[Match], size: int, wanted: set[str]) -> tuple[int, int]:
    """The run of matches fitting in ``size`` chars with most wanted keys, then most matches."""
    best = (-1, -1, 0, 0)
    last = 0
    for first in range(len(matches)):
        last = max(last, first)
        while last + 1 < len(matches) and matches[last + 1][1] - matches[first][0] <= size:
            last += 1
        window = matches[first : last + 1]
        score = (len({key for _, _, key in window} & wanted), len(window))
        if score > best[:2]:
            best = (*score, first, last)
    return best[2], best[3]


def _fragment(text: str, start: int, end: int, size: int) -> tuple[int, int]:
    """Widen [start, end) to about ``size`` chars around it, cut at word boundaries."""
    pad = max(0, size - (end - start)) // 2
    lo = max(0, start - pad)
    hi = min(len(text), max(end, lo + size))
    lo = max(0, min(lo, hi - size))
    aligned = max(text.rfind(" ", 0, lo), text.rfind("\n", 0, lo)) + 1
    head, tail = start, end
    for token in TOKEN_PATTERN.finditer(text, aligned):  # no endpos: it would cut a word
        if token.start() >= hi:
            break
        if lo <= token.start() and head == start and token.start() <= start:
            head = token.start()
        if end <= token.end() <= hi:
            tail = token.end()
    return head, tail


def _lead(text: str, size: int) -> str:
    ends = []
    for token in TOKEN_PATTERN.finditer(text):
        if token.end() > size:
            break
        ends.append(token.end())
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
    matches = _matches(text, highlights)
    if not matches:
        return _lead(text, size), []
    wanted = {key for _, _, key in matches}
    first, last = _best_window(matches, size, wanted)
    windows = [(first, last, size)]
    missing = wanted - {key for _, _, key in matches[first : last + 1]}
    if missing:
        others = [i for i in range(len(matches)) if not first <= i <= last]
        o_first, o_last = _best_window([matches[i] for i in others], size // 2, missing)
        windows = [(first, last, size // 2), (others[o_first], others[o_last], size // 2)]
    spans: list[tuple[int, int]] = []
    for lo, hi, width in sorted(windows):
        head, tail = _fragment(text, matches[lo][0], matches[hi][1], width)
        if spans and head <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(tail, spans[-1][1]))
        else:
            spans.append((head, tail))
    # An ellipsis only where words were cut, not before a leading quote or a final full stop.
    before = TOKEN_PATTERN.search(text, 0, spans[0][0]) is not None
    after = TOKEN_PATTERN.search(text, spans[-1][1]) is not None
    return _assemble(text, spans, matches, before, after)


def _assemble(
    text: str, spans: list[tuple[int, int]], matches: list[Match], before: bool, after: bool
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
            (length + start - head, length + end - head)
            for start, end, _ in matches
            if head <= start and end <= tail
        )
        parts.append(fragment)
        length += len(fragment)
    if after:
        parts.append(" " + ELLIPSIS)
    return "".join(parts), marks


def hit_of(
    engine_hit: EngineHit,
    partial: bool,
    article: Article,
    compiled: CompiledQuery,
    duplicates: list[str] | None = None,
    explanation: Explanation | None = None,
) -> Hit:
    """The ``Hit`` of an engine's match: its stored article, its snippet with the query's
    words marked (``compiled.highlights``), its copies' ids when collapsed, and its
    ``explanation`` when explained."""
    snippet, spans = make_snippet(article.body or article.title, compiled.highlights)
    return Hit(
        id=article.id,
        title=article.title,
        date=article.date,
        source=article.source,
        category=article.category,
        url=article.url,
        score=engine_hit.score,
        partial=partial,
        snippet=snippet,
        highlights=spans,
        title_highlights=mark(article.title, compiled.highlights),
        duplicates=duplicates or [],
        explanation=explanation,
    )

"""What every format of results shares: marks, dates (with their Hijri dates), the summary."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable

from ..ingest.hijri import format_hijri
from ..options import MAX_DEPTH
from ..results import Hit, Results, Span, estimated_stories

Marker = Callable[[str], str]


def brackets(word: str) -> str:
    """The marker for text without colours: ``[word]``."""
    return f"[{word}]"


def apply_marks(text: str, spans: list[Span], marker: Marker, escape: Marker = str) -> str:
    """``text`` with each span passed through ``marker`` and the rest through ``escape``."""
    out, cursor = [], 0
    for start, end in sorted(spans):
        if start < cursor:
            continue
        out.append(escape(text[cursor:start]))
        out.append(marker(escape(text[start:end])))
        cursor = end
    out.append(escape(text[cursor:]))
    return "".join(out)


def hijri_date(day: dt.date | None) -> str | None:
    """``day``'s Umm al-Qura date as papers print it, or None (no date, or outside 1924-2077).

    >>> hijri_date(dt.date(2015, 8, 6)), hijri_date(dt.date(1900, 1, 1)), hijri_date(None)
    ('21 شوال 1436 هـ', None, None)
    """
    return format_hijri(day) if day else None


def date_text(day: dt.date | None, hijri: bool) -> str | None:
    """``2015-08-06``, with ``hijri`` ``2015-08-06 (21 شوال 1436 هـ)``; None without a date."""
    if day is None:
        return None
    shown = hijri_date(day) if hijri else None
    return f"{day.isoformat()} ({shown})" if shown else day.isoformat()


def with_hijri(document: dict[str, object], day: dt.date | None) -> dict[str, object]:
    """``document`` with ``date_hijri`` (``hijri_date(day)``) right after its ``date``."""
    out: dict[str, object] = {}
    for key, value in document.items():
        out[key] = value
        if key == "date":
            out["date_hijri"] = hijri_date(day)
    return out


def meta_line(hit: Hit, hijri: bool = False) -> str:
    parts = [p for p in (hit.source, date_text(hit.date, hijri), hit.category) if p]
    if hit.partial:
        parts.append("partial match")
    return " · ".join(parts)


def stories_count(count: int | None, estimated: bool = False) -> str:
    """ " (2 stories)" after a count of articles, when they were collapsed into stories;
    " (about 48,900 stories)" when the count may be an estimate (or is made of one)."""
    if count is None:
        return ""
    if estimated or estimated_stories(count):
        return f" (about {rounded(count):,} stories)"
    return f" ({count:,} {'story' if count == 1 else 'stories'})"


def rounded(count: int) -> int:
    """An estimated count to three significant digits, as precise as it is.

    >>> rounded(48_928), rounded(123_456)
    (48900, 123000)
    """
    places = max(0, len(str(count)) - 3)
    return round(count, -places)


def counts(results: Results) -> str:
    """ "3 results", or, when some articles hold only some of the words,
    "192 articles with all words, 8,596 more with some of them"; with the stories they
    belong to when the hits are collapsed: "12 results (9 stories)"."""
    full, total = results.total_all_words, results.total
    if full == total:
        return f"{total:,} {'result' if total == 1 else 'results'}" + stories_count(results.stories)
    more = (
        None
        if results.stories is None or results.stories_all_words is None
        else results.stories - results.stories_all_words
    )
    return (
        f"{full:,} {'article' if full == 1 else 'articles'} with all words"
        f"{stories_count(results.stories_all_words)}, "
        f"{total - full:,} more with some of them"
        f"{stories_count(more, results.stories_estimated)}"
    )


def last_page(results: Results) -> int:
    """The number of the last page of hits (of stories, collapsed), up to ``MAX_DEPTH``."""
    listed = results.total if results.stories is None else results.stories
    return max(1, math.ceil(min(listed, MAX_DEPTH) / results.limit))


def summary(results: Results, *, listing_all: bool = False) -> str:
    """One line about the result set: counts and time, or why it is empty.

    ``listing_all``: the line for ``--all`` (every match, newest first), without a time, which
    would only be the time to count them.
    """
    if results.total == 0:
        line = f"No results for {results.query!r}."
        if results.unknown:
            line += f" Not in the index: {', '.join(results.unknown)}."
        return line + _without_shards(results, ". ")
    first = (results.page - 1) * results.limit + 1
    if listing_all:
        line = f"{counts(results)} (all listed, newest first)"
    else:
        if results.hits:
            shown = f"{first}-{first + len(results) - 1} shown"
        else:
            shown = f"page {results.page} is past the last, {last_page(results):,}"
        line = f"{counts(results)} ({shown}) in {results.took_ms:.0f} ms"
    if results.unknown:
        line += f"; not in the index: {', '.join(results.unknown)}"
    if results.stopwords:
        line += f"; ignored stopwords: {', '.join(results.stopwords)}"
    return line + _without_shards(results, "; ")


def _without_shards(results: Results, separator: str) -> str:
    """What the line says of the shards that did not answer (``--allow-partial``)."""
    if not results.missing_shards:
        return ""
    missing = ", ".join(results.missing_shards)
    return f"{separator}partial: without the shards {missing}, which did not answer"


def variants_line(results: Results) -> str | None:
    """The line naming the other spellings searched for the query's words
    (``Results.variants``), or None."""
    if not results.variants:
        return None
    found = "; ".join(f"{', '.join(forms)} for {word}" for word, forms in results.variants.items())
    return f"Also searched: {found} (--no-variants: only as typed)"


def did_you_mean(results: Results) -> str | None:
    """The line offering the suggested query (``Results.suggestion``), or saying that the
    corrected query ran in place of the typed one (``Results.corrected_from``); or None."""
    if results.corrected_from is not None:
        return f"Showing results for {results.query}; search instead for {results.corrected_from}"
    return f"Did you mean: {results.suggestion}" if results.suggestion else None

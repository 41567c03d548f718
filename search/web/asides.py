"""What a page offers around its hits: for a search that found nothing under filters, the
search without each; for an article, its copies."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup
from markupsafe import escape as markupsafe_escape

from ..options import SearchOptions
from ..relaxing import ALL, Relaxed, without_filters
from ..results import Results
from ..searcher import Searcher
from .links import article_path, article_url, search_url
from .wording import Wording


def unfiltered(
    searcher: Searcher,
    results: Results,
    query: str,
    options: SearchOptions,
    extra: dict[str, Any],
    words: Wording,
) -> dict[str, Any] | None:
    """For a search that found nothing under filters: the filters named (``named``), and
    each with the link that drops it and the number of results without it (``each``, then
    without all of them); None when the search found something or had no filter."""
    if results.total:
        return None
    relaxed = without_filters(searcher, query, options)
    if not relaxed:
        return None
    each = [(_named(words, r), search_url(query, r.options, **extra), r.total) for r in relaxed]
    dropped = [said for (said, _, _), r in zip(each, relaxed, strict=True) if r.dropped != ALL]
    return {"named": Markup(words.comma).join(markupsafe_escape(s) for s in dropped), "each": each}


def _named(words: Wording, relaxed: Relaxed) -> str:
    if relaxed.dropped == ALL:
        return words.t("no_filter")
    if relaxed.dropped == "exact":
        return words.t("chip_exact")
    return (
        f"{words.t('chip_' + relaxed.dropped)}: {words.label(relaxed.dropped, str(relaxed.value))}"
    )


def copies(
    searcher: Searcher, article_id: str, query: str, options: SearchOptions, extra: dict[str, Any]
) -> list[dict[str, Any]]:
    """The article's copies (its story's other articles), each with its title, date, source
    and the link to its page."""
    out = []
    for copy_id in searcher.copies(article_id):
        copy = searcher.get(copy_id)
        if copy is not None:
            url = article_url(copy_id, query, options, **extra) if query else article_path(copy_id)
            out.append({"url": url, "title": copy.title, "date": copy.date, "source": copy.source})
    return out

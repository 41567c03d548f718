"""Results as a complete, safe HTML page: every string escaped, links only to http(s)."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ..results import Hit, Results, Span
from ..terminal import (
    BIDI_CONTROLS,
    neutral,
)

if TYPE_CHECKING:
    pass
from .common import apply_marks, hijri_date, summary
from .text import copies_line, facets_text


def did_you_mean_html(results: Results) -> str:
    if not results.suggestion:
        return ""
    offered = escape(results.suggestion)
    return f'<p class="suggestion">هل تقصد: <bdi><strong>{offered}</strong></bdi>؟</p>\n'


def escape(text: str) -> str:
    """Text for HTML: escaped, and ``neutral`` (line breaks kept). The page isolates each
    field (``<bdi>``, ``dir`` on its element), which contains an override to that field, but
    within it a title's override would still reverse the rest of the title."""
    return html.escape(neutral(text, lines=True))


def _mark_html(text: str) -> str:
    return f"<mark>{text}</mark>"


def mark_html(text: str, spans: list[Span]) -> str:
    """``text`` escaped for HTML, each span of it in ``<mark>``."""
    return apply_marks(text, spans, _mark_html, escape)


def link(url: str | None) -> str | None:
    """``url`` if a browser may follow it from a page of untrusted articles: absolute http or
    https with a host, nothing a browser would strip or reinterpret (spaces, control
    characters, backslashes), no bidi control (which would show it in another order than
    it is followed); else None. ``javascript:``, ``data:`` and relative URLs are not links.

    >>> link("https://example.org/a?b=1"), link("javascript:alert(1)"), link(" https://x")
    ('https://example.org/a?b=1', None, None)
    """
    if not url or re.search(r"[\x00-\x20\x7f\\]", url) or BIDI_CONTROLS.intersection(url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme.lower() in ("http", "https") and parts.hostname else None


_STYLE = """
body { font-family: system-ui, sans-serif; max-width: 50rem; margin: 2rem auto; padding: 0 1rem;
       line-height: 1.6; }
mark { background: #ffe58a; }
.meta, .ids, .summary { color: #555; font-size: 0.9em; }
h2 { font-size: 1.15em; margin-bottom: 0.2em; }
li { margin-bottom: 1.5em; }
"""


def _hit_html(hit: Hit, hijri: bool = False) -> str:
    title = mark_html(hit.title, hit.title_highlights)
    snippet = mark_html(hit.snippet, hit.highlights)
    target = link(hit.url)
    if target:
        title = f'<a href="{html.escape(target, quote=True)}" rel="noopener noreferrer">{title}</a>'
    meta = [f"<bdi>{escape(p)}</bdi>" for p in (hit.source, hit.category) if p]
    if hit.date:
        shown = f'<time datetime="{hit.date}">{hit.date}</time>'
        if hijri and (day := hijri_date(hit.date)):
            shown += f" (<bdi>{html.escape(day)}</bdi>)"
        meta.insert(1 if hit.source else 0, shown)
    if hit.partial:
        meta.append("partial match")
    meta.append(f'score <span class="score">{hit.score:.2f}</span>')
    ids = f'id: <code class="id">{escape(hit.id)}</code>'
    if hit.url and not target:
        ids += f' <span class="url">{escape(hit.url)}</span>'  # shown, not followed
    if hit.duplicates:
        ids += f'<br><span class="copies">{escape(copies_line(hit.duplicates))}</span>'
    return (
        f'  <li>\n    <h2 dir="auto">{title}</h2>\n'
        f'    <p class="meta" dir="ltr">{" · ".join(meta)}</p>\n'
        f'    <p class="snippet" dir="auto">{snippet}</p>\n'
        f'    <p class="ids" dir="ltr">{ids}</p>\n  </li>\n'
    )


def html_page(
    results: Results,
    hits: Iterable[Hit] | None = None,
    took_ms: Callable[[], float] | None = None,
    *,
    hijri: bool = False,
) -> Iterator[str]:
    """A complete HTML page of results, piece by piece: doctype, UTF-8, right-to-left Arabic,
    the query as title and heading, the counts and time, and each hit's title (linked only to
    an http(s) URL), date, source, score, snippet with ``<mark>``s and id. Every text from the
    index is escaped, and the page allows no scripts (Content-Security-Policy), so a page
    made from a hostile dump is safe to open.

    ``hits`` (with ``took_ms``) lists those instead of ``results.hits``: every match for
    ``--all``, and the time it took at the end. ``hijri``: each date followed by its Hijri
    date, ``(21 شوال 1436 هـ)``.
    """
    query = escape(results.query)
    listing_all = hits is not None
    line = escape(summary(results, listing_all=listing_all))
    first = 1 if listing_all else (results.page - 1) * results.limit + 1
    yield (
        "<!DOCTYPE html>\n"
        '<html lang="ar" dir="rtl">\n<head>\n<meta charset="utf-8">\n'
        '<meta http-equiv="Content-Security-Policy" '
        "content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
        '<meta name="referrer" content="no-referrer">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>بحث: {query}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
        f'<h1 dir="auto">{query}</h1>\n'
        f'<p class="summary" dir="ltr" lang="en">{line}</p>\n'
        f"{did_you_mean_html(results)}"
        f'<ol class="hits" start="{first}">\n'
    )
    for hit in results.hits if hits is None else hits:
        yield _hit_html(hit, hijri)
    yield "</ol>\n"
    if results.facets:
        text = html.escape(facets_text(results.facets))
        yield f'<pre class="facets" dir="auto">{text}</pre>\n'
    if took_ms is not None:
        yield f'<p class="summary" dir="ltr" lang="en">Listed in {took_ms():,.0f} ms.</p>\n'
    yield "</body>\n</html>\n"


def to_html(results: Results, *, hijri: bool = False) -> str:
    """``html_page`` of one page of results, as one string."""
    return "".join(html_page(results, hijri=hijri))

"""Results as a complete, safe HTML page: every string escaped, links only to http(s).

A hit's HTML (``hit_html``) is defined here once: ``bahth serve``'s page of results shows the
same fragment, with links to its own pages (``HitLinks``). A Python function rather than a
Jinja template, so that ``bahth search --html`` needs neither the ``serve`` extra nor
Jinja's import (some 35 ms) and compile on every run.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..results import Hit, Results, Span
from ..terminal import BIDI_CONTROLS, neutral
from .common import apply_marks, hijri_date, summary
from .text import facets_text


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
.meta, .ids, .copies, .summary { color: #555; font-size: 0.9em; }
.meta, .snippet, .copies, .ids { margin: 0.3em 0; }
time { unicode-bidi: isolate; direction: ltr; }
.partial-flag { color: #8a5a00; }
h2 { font-size: 1.15em; margin-bottom: 0.2em; }
li { margin-bottom: 1.5em; }
"""


@dataclass(frozen=True)
class HitLinks:
    """Where a hit's parts lead (``hit_html``). Each is a function of an id or a source to an
    href, or None for no such page.

    A saved page (``bahth search --html``, the default) has none: its hit titles lead to the
    article's own URL when ``link`` allows it, and each hit shows its id (for ``bahth show``)
    and a URL that is no link as text. The web app has both: titles and copies lead to the
    article's page, sources to the same search in that source alone.
    """

    article: Callable[[str], str] | None = None
    source: Callable[[str], str] | None = None


def _anchor(href: str | None, inner: str, attributes: str = "") -> str:
    if href is None:
        return inner
    return f'<a href="{html.escape(href, quote=True)}"{attributes}>{inner}</a>'


def _copies_html(ids: list[str], article: Callable[[str], str] | None, shown: int = 5) -> str:
    """ "+2 نسخ من الخبر نفسه: id1، id2" (the first ``shown`` ids, then "…")."""
    listed = "، ".join(
        _anchor(article(i) if article else None, f"<bdi>{escape(i)}</bdi>") for i in ids[:shown]
    )
    more = " …" if len(ids) > shown else ""
    word = "نسخة" if len(ids) == 1 else "نسخ"
    return f"+{len(ids)} {word} من الخبر نفسه: {listed}{more}"


def hit_html(
    hit: Hit, links: HitLinks = HitLinks(), *, score: bool = True, hijri: bool = False
) -> str:
    """One hit as an ``<li class="hit">``: the one definition of a hit's HTML, for the pages
    of ``bahth search --html`` and ``bahth serve`` alike (the web app calls it from its
    template). Every string from the index is escaped (``escape``, ``mark_html``); the only
    hrefs are those of ``links`` and, on a page without article pages, an http(s) URL that
    ``link`` allows. ``score``: the hit's score in its line; ``hijri``: its date followed by
    the Hijri date. No trailing newline: the page around it places it.
    """
    title = mark_html(hit.title, hit.title_highlights)
    if links.article:
        title = _anchor(links.article(hit.id), title)
    else:
        title = _anchor(link(hit.url), title, ' rel="noopener noreferrer"')
    meta = []
    if hit.date:
        shown = f'<time datetime="{hit.date}">{hit.date}</time>'
        if hijri and (day := hijri_date(hit.date)):
            shown += f' <bdi class="hijri">({html.escape(day)})</bdi>'
        meta.append(shown)
    if hit.source:
        href = links.source(hit.source) if links.source else None
        attributes = ' class="source" title="نتائج هذا المصدر وحده"'
        meta.append(_anchor(href, f"<bdi>{escape(hit.source)}</bdi>", attributes))
    if hit.category:
        meta.append(f'<bdi class="category">{escape(hit.category)}</bdi>')
    if hit.partial:
        meta.append('<span class="partial-flag">فيه بعض الكلمات</span>')
    if score:
        meta.append(f'<span class="score" dir="ltr">score <span>{hit.score:.2f}</span></span>')
    lines = [
        f'<li class="hit{" partial" if hit.partial else ""}">',
        f'  <h2 dir="auto">{title}</h2>',
        f'  <p class="meta">{" · ".join(meta)}</p>',
        f'  <p class="snippet" dir="auto">{mark_html(hit.snippet, hit.highlights)}</p>',
    ]
    if hit.duplicates:
        lines.append(f'  <p class="copies">{_copies_html(hit.duplicates, links.article)}</p>')
    if not links.article:
        ids = f'id: <code class="id">{escape(hit.id)}</code>'
        if hit.url and not link(hit.url):
            ids += f' <span class="url">{escape(hit.url)}</span>'  # shown, not followed
        lines.append(f'  <p class="ids" dir="ltr">{ids}</p>')
    lines.append("</li>")
    return "\n".join(lines)


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
        yield hit_html(hit, hijri=hijri) + "\n"
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

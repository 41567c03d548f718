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
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ..messages import DEFAULT, DIRECTIONS, message
from ..results import Hit, Results, Span, estimated_stories
from ..terminal import BIDI_CONTROLS, neutral
from .common import apply_marks, hijri_date, last_page, rounded

if TYPE_CHECKING:
    from ..explain import Explanation

# A key's display name (``search.labels``): how a source or a category is shown, by field.
Label = Callable[[str, str], str]


def _key(field: str, key: str) -> str:
    return key


def did_you_mean_html(results: Results, lang: str = DEFAULT) -> str:
    """The suggested query (``Results.suggestion``), or the line saying that the corrected
    query ran in place of the typed one (``Results.corrected_from``); or nothing."""
    if results.corrected_from is not None:
        ran = f"<bdi><strong>{escape(results.query)}</strong></bdi>"
        typed = f"<bdi>{escape(results.corrected_from)}</bdi>"
        line = message("showing_instead", lang, ran=ran, typed=typed)
        return f'<p class="suggestion corrected">{line}</p>\n'
    if not results.suggestion:
        return ""
    offered = f"<bdi><strong>{escape(results.suggestion)}</strong></bdi>"
    return f'<p class="suggestion">{message("did_you_mean", lang, suggestion=offered)}</p>\n'


def variants_html(results: Results, lang: str = DEFAULT, off: str | None = None) -> str:
    """The line naming the other spellings searched (``Results.variants``), with a link to
    ``off``, the search without them, when given; or nothing."""
    if not results.variants:
        return ""
    comma = "، " if lang == "ar" else ", "
    found = "; ".join(
        message(
            "variant_of",
            lang,
            forms=comma.join(f"<bdi><strong>{escape(form)}</strong></bdi>" for form in forms),
            word=f"<bdi>{escape(word)}</bdi>",
        )
        for word, forms in results.variants.items()
    )
    line = message("variants_searched", lang, found=found)
    if off is not None:
        line += f' (<a href="{html.escape(off)}">{message("only_as_typed", lang)}</a>)'
    return f'<p class="suggestion variants">{line}</p>\n'


def _number(count: int) -> str:
    return f"{count:,}"


def totals_html(results: Results, lang: str = DEFAULT) -> str:
    """The counts of a result set, as the web page and ``--html`` show them: "Results: 12
    (in 9 stories)", or the articles with all the words and those with some of them."""
    full, total = results.total_all_words, results.total
    stories, stories_full = results.stories, results.stories_all_words
    if total == 0:
        return message("no_results", lang, query=escape(results.query))
    if full == total:
        line = message("results_count", lang, count=_number(total))
        if stories is not None:
            line += " " + _in_stories(stories, lang)
        return line
    line = message("all_words_count", lang, count=_number(full))
    if stories_full is not None:
        line += " " + _in_stories(stories_full, lang)
    line += "، " if lang == "ar" else ", "
    line += message("some_words_count", lang, count=_number(total - full))
    if stories is not None and stories_full is not None:
        line += " " + _in_stories(stories - stories_full, lang, estimated_stories(stories))
    return line


def _in_stories(count: int, lang: str, estimated: bool = False) -> str:
    """ "(in 9 stories)"; "(in about 48,900 stories)" when the count may be an estimate."""
    if estimated or estimated_stories(count):
        return message("in_stories_about", lang, count=_number(rounded(count)))
    return message("in_stories", lang, count=_number(count))


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


def _copies_html(
    ids: list[str], article: Callable[[str], str] | None, lang: str, shown: int = 5
) -> str:
    """ "+2 نسخ من الخبر نفسه: id1، id2" (the first ``shown`` ids, then "…")."""
    listed = ("، " if lang == "ar" else ", ").join(
        _anchor(article(i) if article else None, f"<bdi>{escape(i)}</bdi>") for i in ids[:shown]
    )
    more = " …" if len(ids) > shown else ""
    said = message("copy_one" if len(ids) == 1 else "copy_many", lang, count=len(ids))
    return f"{said} {listed}{more}"


def hit_html(
    hit: Hit,
    links: HitLinks = HitLinks(),
    *,
    score: bool = True,
    hijri: bool = False,
    lang: str = DEFAULT,
    label: Label = _key,
) -> str:
    """One hit as an ``<li class="hit">``: the one definition of a hit's HTML, for the pages
    of ``bahth search --html`` and ``bahth serve`` alike (the web app calls it from its
    template). Every string from the index is escaped (``escape``, ``mark_html``); the only
    hrefs are those of ``links`` and, on a page without article pages, an http(s) URL that
    ``link`` allows. ``score``: the hit's score in its line; ``hijri``: its date followed by
    the Hijri date; ``lang``: the language of its words (``search.messages``); ``label``: a
    source's or category's display name. No trailing newline: the page around it places it.
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
        attributes = f' class="source" title="{message("source_only", lang)}"'
        name = escape(label("source", hit.source))
        meta.append(_anchor(href, f"<bdi>{name}</bdi>", attributes))
    if hit.category:
        meta.append(f'<bdi class="category">{escape(label("category", hit.category))}</bdi>')
    if hit.partial:
        meta.append(f'<span class="partial-flag">{message("partial_hit", lang)}</span>')
    if score:
        said = message("score", lang)
        meta.append(f'<span class="score">{said} <span dir="ltr">{hit.score:.2f}</span></span>')
    lines = [
        f'<li class="hit{" partial" if hit.partial else ""}">',
        f'  <h2 dir="auto">{title}</h2>',
        f'  <p class="meta">{" · ".join(meta)}</p>',
        f'  <p class="snippet" dir="auto">{mark_html(hit.snippet, hit.highlights)}</p>',
    ]
    if hit.duplicates:
        copies = _copies_html(hit.duplicates, links.article, lang)
        lines.append(f'  <p class="copies">{copies}</p>')
    if hit.explanation is not None:
        lines.append(explanation_html(hit.explanation, lang))
    if not links.article:
        ids = f'{message("id", lang)} <code class="id" dir="ltr">{escape(hit.id)}</code>'
        if hit.url and not link(hit.url):
            ids += f' <span class="url">{escape(hit.url)}</span>'  # shown, not followed
        lines.append(f'  <p class="ids">{ids}</p>')
    lines.append("</li>")
    return "\n".join(lines)


def explanation_html(explanation: Explanation, lang: str = DEFAULT) -> str:
    """A hit's ``explanation`` as a ``<details>`` holding a table: each leaf's share of the
    score, by part of the query, with the article's words it matched (``explain=1``)."""
    clauses = [escape(clause) for clause in explanation.clauses]
    if explanation.matched:
        matched = "، ".join(f"<bdi>{clauses[n]}</bdi>" for n in explanation.matched)
        counts = {"count": len(explanation.matched), "total": len(clauses)}
        summary = message("why_matched", lang, matched=matched, **counts)
    else:
        summary = message("why_none", lang)
    heads = "".join(f"<th>{h}</th>" for h in message("why_columns", lang).split("|"))
    rows = []
    for part in sorted(explanation.parts, key=lambda p: (p.clause, -p.score)):
        what = f"{message(f'kind_{part.kind}', lang)} <bdi>{escape(part.term)}</bdi>"
        if part.forms:
            what += f' <span class="forms">(<bdi>{escape("، ".join(part.forms))}</bdi>)</span>'
        field = message(f"field_{part.field}", lang) if part.field else ""
        boost = f' <span dir="ltr">×{part.boost:g}</span>' if part.boost != 1 else ""
        rows.append(
            f"<tr><td><bdi>{clauses[part.clause]}</bdi></td><td>{what}</td>"
            f'<td>{field}{boost}</td><td dir="ltr">+{part.score:.2f}</td></tr>'
        )
    score = f'<span dir="ltr">{explanation.score:.2f}</span>'
    return "\n".join(
        [
            f'  <details class="why"><summary>{message("why", lang)} {score}</summary>',
            f"  <p>{summary}</p>",
            f'  <table class="why"><thead><tr>{heads}</tr></thead><tbody>',
            *(f"  {row}" for row in rows),
            "  </tbody></table></details>",
        ]
    )


def html_page(
    results: Results,
    hits: Iterable[Hit] | None = None,
    took_ms: Callable[[], float] | None = None,
    *,
    hijri: bool = False,
    lang: str = DEFAULT,
    label: Label = _key,
) -> Iterator[str]:
    """A complete HTML page of results, piece by piece: doctype, UTF-8, right-to-left Arabic,
    the query as title and heading, the counts and time, and each hit's title (linked only to
    an http(s) URL), date, source, score, snippet with ``<mark>``s and id. Every text from the
    index is escaped, and the page allows no scripts (Content-Security-Policy), so a page
    made from a hostile dump is safe to open.

    ``hits`` (with ``took_ms``) lists those instead of ``results.hits``: every match for
    ``--all``, and the time it took at the end. ``hijri``: each date followed by its Hijri
    date, ``(21 شوال 1436 هـ)``. ``lang``: the page's language (``search.messages``);
    ``label``: a source's or category's display name.
    """
    query = escape(results.query)
    listing_all = hits is not None
    first = 1 if listing_all else (results.page - 1) * results.limit + 1
    yield (
        "<!DOCTYPE html>\n"
        f'<html lang="{lang}" dir="{DIRECTIONS.get(lang, "rtl")}">\n'
        '<head>\n<meta charset="utf-8">\n'
        '<meta http-equiv="Content-Security-Policy" '
        "content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
        '<meta name="referrer" content="no-referrer">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{message('site', lang)}: {query}</title>\n<style>{_STYLE}</style>\n"
        "</head>\n<body>\n"
        f'<h1 dir="auto">{query}</h1>\n'
        f'<p class="summary">{_summary_html(results, listing_all, lang)}</p>\n'
        f"{did_you_mean_html(results, lang)}"
        f"{variants_html(results, lang)}"
        f'<ol class="hits" start="{first}">\n'
    )
    for hit in results.hits if hits is None else hits:
        yield hit_html(hit, hijri=hijri, lang=lang, label=label) + "\n"
    yield "</ol>\n"
    if results.facets:
        yield facets_html(results.facets, lang, label)
    if took_ms is not None:
        listed = message("listed_in", lang, ms=f"{took_ms():,.0f}")
        yield f'<p class="summary">{listed}</p>\n'
    yield "</body>\n</html>\n"


def _summary_html(results: Results, listing_all: bool, lang: str) -> str:
    """``totals_html`` and what the page shows of them, the words left out, the shards."""
    parts = [totals_html(results, lang)]
    if results.total and listing_all:
        parts.append(message("all_listed", lang))
    elif results.total:
        first = (results.page - 1) * results.limit + 1
        parts.append(
            message("shown_range", lang, first=first, last=first + len(results.hits) - 1)
            if results.hits
            else message("past_last_page", lang, page=results.page, last=last_page(results))
        )
        parts.append(f'<bdi dir="ltr">{results.took_ms:.0f} ms</bdi>')
    line = " · ".join(parts)
    for key, words in (("not_in_index", results.unknown), ("stopwords", results.stopwords)):
        if words:
            line += f"<br>{message(key, lang)} " + _listed(words, lang)
    if results.missing_shards:
        shards = _listed(results.missing_shards, lang)
        line += "<br>" + message("partial_shards", lang, shards=shards)
    return line


def _listed(words: Iterable[str], lang: str) -> str:
    """Words from a query or an index, each isolated, in the language's list."""
    return ("، " if lang == "ar" else ", ").join(f"<bdi>{escape(w)}</bdi>" for w in words)


def facets_html(facets: dict[str, list[tuple[str, int]]], lang: str, label: Label = _key) -> str:
    """The facets of a saved page: a line of sources and one of categories, then a list of
    the matches per year (per month within two years)."""
    out = []
    for field, key in (("source", "sources"), ("category", "categories")):
        if values := facets.get(field):
            counts = ", ".join(
                f"<bdi>{escape(label(field, value))}</bdi> {count:,}" for value, count in values
            )
            out.append(f"<p><b>{message(key, lang)}:</b> {counts}</p>")
    years = facets.get("year") or []
    periods = years if len(years) > 2 else facets.get("month") or []
    if periods:
        said = message("years" if periods is years else "months", lang)
        rows = "".join(f"<li>{escape(value)}: {count:,}</li>" for value, count in periods)
        out.append(f"<p><b>{said}:</b></p><ul>{rows}</ul>")
    return '<section class="facets">' + "".join(out) + "</section>\n"


def to_html(
    results: Results, *, hijri: bool = False, lang: str = DEFAULT, label: Label = _key
) -> str:
    """``html_page`` of one page of results, as one string."""
    return "".join(html_page(results, hijri=hijri, lang=lang, label=label))

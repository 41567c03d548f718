"""Results → text for a terminal, JSON, CSV, or an HTML page. No engine, no click: strings out.

Highlights are given as spans; a renderer decides how to mark them: ``mark`` callables for the
terminal (bold colour on a TTY, ``[…]`` otherwise), ``<mark>`` for HTML (all text escaped).
Terminal layout (wrapping, bidi reordering, the pager) is in ``search.terminal``; ``Pager`` and
``pager_command`` are reached from here, the module the command uses.

Every renderer of many hits also comes as a stream (``to_csv``, ``json_stream``, ``html_page``,
``hit_text``), so that ``bahth search --all`` writes each hit as it comes and holds none.

``hijri=True`` (``--hijri``) shows each date with its Umm al-Qura Hijri date too (made by
``hijri_date``): ``2015-08-06 (21 شوال 1436 هـ)`` in text and HTML, a ``date_hijri`` key in
JSON and column in CSV (null or empty outside 1924-2077).
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator
from urllib.parse import urlsplit

from .article import Article
from .ingest.hijri import format_hijri
from .results import Hit, IndexStats, Results, Span
from .terminal import (
    MARK,
    Pager,
    clean,
    is_rtl,
    pager_command,
    styled,
    visible_width,
    visual,
    wrap,
)

__all__ = [
    "CSV_COLUMNS",
    "Marker",
    "Pager",
    "apply_marks",
    "article_dict",
    "article_text",
    "brackets",
    "copies_line",
    "did_you_mean",
    "facets_text",
    "hijri_date",
    "hit_text",
    "html_page",
    "json_stream",
    "json_text",
    "link",
    "mark_html",
    "pager_command",
    "stats_dict",
    "stats_text",
    "summary",
    "text_line",
    "to_csv",
    "to_html",
    "to_json",
    "to_text",
]

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


def _date_text(day: dt.date | None, hijri: bool) -> str | None:
    """``2015-08-06``, with ``hijri`` ``2015-08-06 (21 شوال 1436 هـ)``; None without a date."""
    if day is None:
        return None
    shown = hijri_date(day) if hijri else None
    return f"{day.isoformat()} ({shown})" if shown else day.isoformat()


def _with_hijri(document: dict[str, object], day: dt.date | None) -> dict[str, object]:
    """``document`` with ``date_hijri`` (``hijri_date(day)``) right after its ``date``."""
    out: dict[str, object] = {}
    for key, value in document.items():
        out[key] = value
        if key == "date":
            out["date_hijri"] = hijri_date(day)
    return out


def _meta_line(hit: Hit, hijri: bool = False) -> str:
    parts = [p for p in (hit.source, _date_text(hit.date, hijri), hit.category) if p]
    if hit.partial:
        parts.append("partial match")
    return " · ".join(parts)


# --- text ----------------------------------------------------------------------------------


def _toggled(text: str, spans: list[Span]) -> str:
    """``text`` with ``MARK`` toggles around its spans (offsets are kept: ``clean`` replaces
    characters one for one)."""
    return apply_marks(clean(text), spans, lambda w: f"{MARK}{w}{MARK}")


def _layout(
    text: str,
    first: str,
    rest: str,
    marker: Marker,
    style: Marker,
    columns: int | None,
    bidi: bool,
) -> list[str]:
    """One paragraph (with ``MARK`` toggles) as terminal lines: wrapped to ``columns`` when
    given, reordered for display when ``bidi``, marked, and passed whole through ``style``."""
    # Brackets take a column per mark; colours none.
    mark_columns = visible_width(marker("")) // 2
    lines = wrap(text, columns, first, rest, mark_columns) if columns else [first + text]
    out = []
    for line in lines:
        if bidi:
            body = line.lstrip(" ")
            indent = line[: len(line) - len(body)]
            shown = styled(visual(body), marker)
            if is_rtl(body.replace(MARK, "")) and columns:
                # Right-to-left paragraphs read from the right margin, their indent on the
                # right, as they would be laid out on an Arabic page.
                pad = columns - len(indent) - visible_width(shown)
                out.append(style(" " * max(pad, 0) + shown + indent))
            else:
                out.append(style(indent + shown))
        else:
            out.append(style(styled(line, marker)))
    return out


def text_line(text: str, *, columns: int | None = None, bidi: bool = False) -> str:
    """A line of prose (the summary) for the terminal: wrapped and reordered like the hits."""
    return "\n".join(_layout(clean(text), "", "", str, str, columns, bidi))


def hit_text(
    hit: Hit,
    number: int,
    marker: Marker = brackets,
    dim: Marker = str,
    *,
    columns: int | None = None,
    bidi: bool = False,
    hijri: bool = False,
) -> str:
    """One hit for the terminal: numbered title, source/date line, snippet, url and id.

    ``columns``: wrap at word boundaries to that width (a word, date or URL is never cut).
    ``bidi``: reorder each line for a terminal that does no bidi (see ``terminal.visual``).
    ``hijri``: the date with its Hijri date, ``2015-08-06 (21 شوال 1436 هـ)``.
    """
    prefix = f"{number}. "
    indent = " " * len(prefix)
    score = f"  (score {hit.score:.2f})" if hit.score else ""
    link = " ".join(p for p in (hit.url, f"id: {hit.id}") if p)
    lines = [
        *_layout(
            _toggled(hit.title, hit.title_highlights), prefix, indent, marker, str, columns, bidi
        ),
        *_layout(clean(_meta_line(hit, hijri) + score), "   ", "   ", marker, dim, columns, bidi),
        *_layout(_toggled(hit.snippet, hit.highlights), "   ", "   ", marker, str, columns, bidi),
        *_layout(clean(link), "   ", "   ", marker, dim, columns, bidi),
    ]
    if hit.duplicates:  # a collapsed hit: its story's other copies
        copies = clean(copies_line(hit.duplicates))
        lines += _layout(copies, "   ", "   ", marker, dim, columns, bidi)
    return "\n".join(lines)


def copies_line(ids: list[str], shown: int = 5) -> str:
    """ "+2 copies: id1, id2" under a collapsed hit (the first ``shown`` ids, then "…")."""
    listed = ", ".join(ids[:shown]) + (", …" if len(ids) > shown else "")
    return f"+{len(ids)} {'copy' if len(ids) == 1 else 'copies'}: {listed}"


BAR_WIDTH = 30


def facets_text(facets: dict[str, list[tuple[str, int]]], *, top: int = 10) -> str:
    """The facets under the hits: the ``top`` sources and categories on a line each, and a
    bar per month (per year when the matches span more than two years)."""
    lines = []
    for name, title in (("source", "Sources"), ("category", "Categories")):
        values = facets.get(name) or []
        if values:
            shown = ", ".join(f"{value} {count:,}" for value, count in values[:top])
            more = f", … {len(values) - top} more" if len(values) > top else ""
            lines.append(f"{title}: {shown}{more}")
    years = facets.get("year") or []
    periods = years if len(years) > 2 else facets.get("month") or []
    if periods:
        lines.append("Years:" if periods is years else "Months:")
        widest = max(count for _, count in periods)
        for value, count in periods:
            bar = "█" * max(1, round(count / widest * BAR_WIDTH))
            lines.append(f"  {value:<7}  {bar} {count:,}")
    return "\n".join(lines)


def to_text(
    results: Results,
    marker: Marker = brackets,
    dim: Marker = str,
    *,
    columns: int | None = None,
    bidi: bool = False,
    hijri: bool = False,
) -> str:
    """The terminal listing of a page: ``hit_text`` for each hit, a blank line between."""
    first = (results.page - 1) * results.limit + 1
    return "\n\n".join(
        hit_text(hit, number, marker, dim, columns=columns, bidi=bidi, hijri=hijri)
        for number, hit in enumerate(results.hits, first)
    )


def _stories(count: int | None) -> str:
    """ " (2 stories)" after a count of articles, when they were collapsed into stories."""
    if count is None:
        return ""
    return f" ({count:,} {'story' if count == 1 else 'stories'})"


def _counts(results: Results) -> str:
    """ "3 results", or, when some articles hold only some of the words,
    "192 articles with all words, 8,596 more with some of them"; with the stories they
    belong to when the hits are collapsed: "12 results (9 stories)"."""
    full, total = results.total_all_words, results.total
    if full == total:
        return f"{total:,} {'result' if total == 1 else 'results'}" + _stories(results.stories)
    more = (
        None
        if results.stories is None or results.stories_all_words is None
        else results.stories - results.stories_all_words
    )
    return (
        f"{full:,} {'article' if full == 1 else 'articles'} with all words"
        f"{_stories(results.stories_all_words)}, "
        f"{total - full:,} more with some of them{_stories(more)}"
    )


def summary(results: Results, *, listing_all: bool = False) -> str:
    """One line about the result set: counts and time, or why it is empty.

    ``listing_all``: the line for ``--all`` (every match, newest first), without a time, which
    would only be the time to count them.
    """
    if results.total == 0:
        line = f"No results for {results.query!r}."
        if results.unknown:
            line += f" Not in the index: {', '.join(results.unknown)}."
        return line
    first = (results.page - 1) * results.limit + 1
    if listing_all:
        line = f"{_counts(results)} (all listed, newest first)"
    else:
        if results.hits:
            shown = f"{first}-{first + len(results) - 1} shown"
        else:
            shown = f"page {results.page} is past the last"
        line = f"{_counts(results)} ({shown}) in {results.took_ms:.0f} ms"
    if results.unknown:
        line += f"; not in the index: {', '.join(results.unknown)}"
    if results.stopwords:
        line += f"; ignored stopwords: {', '.join(results.stopwords)}"
    return line


def did_you_mean(results: Results) -> str | None:
    """The line offering the suggested query (``Results.suggestion``), or None."""
    return f"Did you mean: {results.suggestion}" if results.suggestion else None


def _did_you_mean_html(results: Results) -> str:
    if not results.suggestion:
        return ""
    offered = html.escape(results.suggestion)
    return f'<p class="suggestion">هل تقصد: <bdi><strong>{offered}</strong></bdi>؟</p>\n'


# --- JSON ----------------------------------------------------------------------------------


def json_text(value: object) -> str:
    """``value`` as every ``--json`` prints it: UTF-8 text (not \\u escapes), indented."""
    return json.dumps(value, ensure_ascii=False, indent=2)


def _hit_dict(hit: Hit, hijri: bool) -> dict[str, object]:
    """``hit.to_dict()``, with ``date_hijri`` after ``date`` when ``hijri``."""
    document = hit.to_dict()
    return _with_hijri(document, hit.date) if hijri else document


def to_json(results: Results, *, hijri: bool = False) -> str:
    """One JSON document, UTF-8 text (not \\u escapes), every documented key present; with
    ``hijri``, each hit's ``date_hijri`` too."""
    document = results.to_dict()
    if hijri:
        document["hits"] = [_hit_dict(hit, hijri) for hit in results.hits]
    return json_text(document)


def json_stream(
    results: Results,
    hits: Iterable[Hit],
    took_ms: Callable[[], float],
    *,
    hijri: bool = False,
) -> Iterator[str]:
    """The JSON document of ``--all``, piece by piece: the keys of ``results.to_dict()`` with
    every hit of ``hits`` (one per line), ``page`` 1, ``limit`` null (no limit), and
    ``took_ms`` last, measured by ``took_ms()`` once the hits are written."""
    head = results.to_dict()
    for key in ("hits", "took_ms"):
        del head[key]
    head.update(page=1, limit=None)
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "hits": ['
    separator = "\n"
    for hit in hits:
        yield separator + json.dumps(_hit_dict(hit, hijri), ensure_ascii=False)
        separator = ",\n"
    yield f'\n], "took_ms": {round(took_ms(), 1)}}}\n'


# --- CSV -----------------------------------------------------------------------------------

CSV_COLUMNS = ("id", "date", "source", "title", "url", "score", "partial")
"""The columns of ``bahth search --csv``, in order (the header row); ``--hijri`` adds
``date_hijri`` after them."""

# A spreadsheet runs a cell starting with one of these as a formula (=HYPERLINK(...) from a
# hostile dump): such text cells get a leading apostrophe, which spreadsheets hide.
_FORMULA = re.compile(r"^[=+\-@\t\r]")


def _cell(value: str | None) -> str:
    if not value:
        return ""
    return "'" + value if _FORMULA.match(value) else value


def to_csv(hits: Iterable[Hit], *, hijri: bool = False) -> Iterator[str]:
    """CSV (RFC 4180: comma, double quotes, CRLF) of ``CSV_COLUMNS``, the header row first,
    then one row per hit as it comes. ``date`` is YYYY-MM-DD or empty, ``score`` has four
    decimals, ``partial`` is true or false. ``hijri``: a last column, ``date_hijri``
    (``21 شوال 1436 هـ``, or empty)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def row(values: Iterable[object]) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(values)
        return buffer.getvalue()

    yield row((*CSV_COLUMNS, "date_hijri") if hijri else CSV_COLUMNS)
    for hit in hits:
        values = (
            _cell(hit.id),
            hit.date.isoformat() if hit.date else "",
            _cell(hit.source),
            _cell(hit.title),
            _cell(hit.url),
            f"{hit.score:.4f}",
            "true" if hit.partial else "false",
        )
        yield row((*values, hijri_date(hit.date) or "") if hijri else values)


# --- HTML ----------------------------------------------------------------------------------


def _mark_html(text: str) -> str:
    return f"<mark>{text}</mark>"


def mark_html(text: str, spans: list[Span]) -> str:
    """``text`` escaped for HTML, each span of it in ``<mark>``."""
    return apply_marks(text, spans, _mark_html, html.escape)


def link(url: str | None) -> str | None:
    """``url`` if a browser may follow it from a page of untrusted articles: absolute http or
    https with a host, nothing a browser would strip or reinterpret (spaces, control
    characters, backslashes); else None. ``javascript:``, ``data:`` and relative URLs are not
    links.

    >>> link("https://example.org/a?b=1"), link("javascript:alert(1)"), link(" https://x")
    ('https://example.org/a?b=1', None, None)
    """
    if not url or re.search(r"[\x00-\x20\x7f\\]", url):
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
    meta = [f"<bdi>{html.escape(p)}</bdi>" for p in (hit.source, hit.category) if p]
    if hit.date:
        shown = f'<time datetime="{hit.date}">{hit.date}</time>'
        if hijri and (day := hijri_date(hit.date)):
            shown += f" (<bdi>{html.escape(day)}</bdi>)"
        meta.insert(1 if hit.source else 0, shown)
    if hit.partial:
        meta.append("partial match")
    meta.append(f'score <span class="score">{hit.score:.2f}</span>')
    ids = f'id: <code class="id">{html.escape(hit.id)}</code>'
    if hit.url and not target:
        ids += f' <span class="url">{html.escape(hit.url)}</span>'  # shown, not followed
    if hit.duplicates:
        ids += f'<br><span class="copies">{html.escape(copies_line(hit.duplicates))}</span>'
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
    query = html.escape(results.query)
    listing_all = hits is not None
    line = html.escape(summary(results, listing_all=listing_all))
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
        f"{_did_you_mean_html(results)}"
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


def article_dict(
    article: Article, copies: list[str] | None = None, *, hijri: bool = False
) -> dict[str, object]:
    """The JSON object of ``bahth show --json``; ``copies``: the ids of its near-copies;
    ``hijri``: with ``date_hijri`` after ``date``."""
    document: dict[str, object] = {
        "id": article.id,
        "title": article.title,
        "date": article.date.isoformat() if article.date else None,
        "date_text": article.date_text,
        "source": article.source,
        "category": article.category,
        "url": article.url,
        "keywords": list(article.keywords),
        "body": article.body,
        "copies": list(copies or []),
    }
    return _with_hijri(document, article.date) if hijri else document


def article_text(article: Article, copies: list[str] | None = None, *, hijri: bool = False) -> str:
    """One article for reading in a terminal, with the ids of its near-copies; ``hijri``: its
    date with the Hijri date, ``2015-08-06 (21 شوال 1436 هـ)``."""
    meta = " · ".join(
        p
        for p in (
            article.source,
            _date_text(article.date, hijri) if article.date else article.date_text,
            article.category,
        )
        if p
    )
    lines = [article.title, meta, article.url or "", f"id: {article.id}", "", article.body]
    if article.keywords:
        lines += ["", "كلمات دلالية: " + "، ".join(article.keywords)]
    if copies:
        lines += ["", f"Copies of this story ({len(copies)}): " + ", ".join(copies)]
    return "\n".join(line for line in lines[:4] if line) + "\n" + "\n".join(lines[4:])


def stats_text(stats: IndexStats, where: str) -> str:
    """``bahth stats`` for a terminal."""
    dates = (
        f"{stats.first_date.isoformat()} to {stats.last_date.isoformat()}"
        if stats.first_date and stats.last_date
        else "no dated articles"
    )
    lines = [
        f"index:      {where} ({stats.generation})",
        f"engine:     {stats.engine}",
        f"articles:   {stats.articles:,} in {stats.stories:,} stories (near-copies counted once)",
        f"dates:      {dates}",
        f"size:       {stats.size_bytes / 1e6:,.1f} MB on disk",
        f"built:      {stats.built or '?'}; last updated {stats.updated or '?'}",
        f"sources:    {len(stats.sources)}",
    ]
    lines += [f"  {count:>9,}  {name}" for name, count in stats.sources]
    if stats.categories:
        lines.append(f"categories: {len(stats.categories)}")
        lines += [f"  {count:>9,}  {name}" for name, count in stats.categories]
    if stats.dumps:
        lines.append("dumps:")
        lines += [f"  {dump}" for dump in stats.dumps]
    return "\n".join(lines)


def stats_dict(stats: IndexStats) -> dict[str, object]:
    """The JSON object of ``bahth stats --json``."""
    return stats.to_dict()

"""Results → text for a terminal, JSON, or HTML. No engine, no click: plain strings out.

Highlights are given as spans; a renderer decides how to mark them: ``mark`` callables for the
terminal (bold colour on a TTY, ``[…]`` otherwise), ``<mark>`` for HTML (all text escaped).
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable

from .article import Article
from .results import Hit, IndexStats, Results, Span

Marker = Callable[[str], str]


def brackets(word: str) -> str:
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


def _meta_line(hit: Hit) -> str:
    parts = [p for p in (hit.source, hit.date.isoformat() if hit.date else None, hit.category) if p]
    if hit.partial:
        parts.append("partial match")
    return " · ".join(parts)


def to_text(results: Results, marker: Marker = brackets, dim: Marker = str) -> str:
    """The terminal listing: numbered hits, title, source/date line, snippet, url and id."""
    if not results.hits:
        return ""
    first = (results.page - 1) * results.limit + 1
    blocks = []
    for number, hit in enumerate(results.hits, first):
        lines = [
            f"{number}. {apply_marks(hit.title, hit.title_highlights, marker)}",
            "   " + dim(_meta_line(hit) + (f"  (score {hit.score:.2f})" if hit.score else "")),
            "   " + apply_marks(hit.snippet, hit.highlights, marker),
            "   " + dim(" ".join(p for p in (hit.url, f"id: {hit.id}") if p)),
        ]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def _counts(results: Results) -> str:
    """ "3 results", or, when some articles hold only some of the words,
    "192 articles with all words, 8,596 more with some of them"."""
    full, total = results.total_all_words, results.total
    if full == total:
        return f"{total:,} {'result' if total == 1 else 'results'}"
    return (
        f"{full:,} {'article' if full == 1 else 'articles'} with all words, "
        f"{total - full:,} more with some of them"
    )


def summary(results: Results) -> str:
    """One line about the result set: counts and time, or why it is empty."""
    if results.total == 0:
        line = f"No results for {results.query!r}."
        if results.unknown:
            line += f" Not in the index: {', '.join(results.unknown)}."
        return line
    first = (results.page - 1) * results.limit + 1
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


def to_json(results: Results) -> str:
    """One JSON document, UTF-8 text (not \\u escapes), every documented key present."""
    return json.dumps(results.to_dict(), ensure_ascii=False, indent=2)


def _mark_html(text: str) -> str:
    return f"<mark>{text}</mark>"


def to_html(results: Results) -> str:
    """An HTML fragment (right-to-left) listing the hits; all text escaped, only <mark> added."""
    items = []
    for hit in results.hits:
        title = apply_marks(hit.title, hit.title_highlights, _mark_html, html.escape)
        snippet = apply_marks(hit.snippet, hit.highlights, _mark_html, html.escape)
        if hit.url:
            title = f'<a href="{html.escape(hit.url, quote=True)}">{title}</a>'
        items.append(
            f"  <li>\n    <h3>{title}</h3>\n"
            f'    <p class="meta">{html.escape(_meta_line(hit))}</p>\n'
            f'    <p class="snippet">{snippet}</p>\n  </li>'
        )
    header = html.escape(summary(results))
    return (
        f'<div dir="rtl" class="bahth-results">\n<p>{header}</p>\n<ol>\n'
        + "\n".join(items)
        + "\n</ol>\n</div>"
    )


def article_dict(article: Article) -> dict[str, object]:
    """The JSON object of ``bahth show --json``."""
    return {
        "id": article.id,
        "title": article.title,
        "date": article.date.isoformat() if article.date else None,
        "date_text": article.date_text,
        "source": article.source,
        "category": article.category,
        "url": article.url,
        "keywords": list(article.keywords),
        "body": article.body,
    }


def article_text(article: Article) -> str:
    """One article for reading in a terminal."""
    meta = " · ".join(
        p
        for p in (
            article.source,
            article.date.isoformat() if article.date else article.date_text,
            article.category,
        )
        if p
    )
    lines = [article.title, meta, article.url or "", f"id: {article.id}", "", article.body]
    if article.keywords:
        lines += ["", "كلمات دلالية: " + "، ".join(article.keywords)]
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
        f"articles:   {stats.articles:,}",
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
    return stats.to_dict()

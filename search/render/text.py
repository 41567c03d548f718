"""Results, articles, stats and rejects as terminal text: wrapped, marked, neutralised."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePath
from typing import TYPE_CHECKING

from ..article import Article
from ..results import Hit, IndexStats, Results, Span
from ..terminal import (
    MARK,
    clean,
    is_rtl,
    neutral,
    styled,
    visible_width,
    visual,
    wrap,
)

if TYPE_CHECKING:
    from ..explain import Explanation
    from ..rejects import RejectsRun
    from ..relaxing import Relaxed
from .common import Marker, apply_marks, brackets, date_text, meta_line


def toggled(text: str, spans: list[Span]) -> str:
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
    given, reordered for display when ``bidi``, marked, and passed whole through ``style``.
    Its dump text is ``neutral``: one line, no character that acts on the terminal."""
    # After the toggles are placed (neutral changes lengths, and highlights are offsets) and
    # before reordering, so that python-bidi never sees a dump's override.
    text = neutral(text)
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
            toggled(hit.title, hit.title_highlights), prefix, indent, marker, str, columns, bidi
        ),
        *_layout(clean(meta_line(hit, hijri) + score), "   ", "   ", marker, dim, columns, bidi),
        *_layout(toggled(hit.snippet, hit.highlights), "   ", "   ", marker, str, columns, bidi),
        *_layout(clean(link), "   ", "   ", marker, dim, columns, bidi),
    ]
    if hit.duplicates:  # a collapsed hit: its story's other copies
        copies = clean(copies_line(hit.duplicates))
        lines += _layout(copies, "   ", "   ", marker, dim, columns, bidi)
    if hit.explanation is not None:
        for line in explanation_lines(hit.explanation):
            lines += _layout(clean(line), "   ", "     ", marker, dim, columns, bidi)
    return "\n".join(lines)


def explanation_lines(explanation: Explanation) -> list[str]:
    """A hit's ``explanation`` (``--explain``): the query's parts it matches, then each
    leaf's share of the score (by part of the query, largest first): they add up to it."""
    clauses = explanation.clauses
    matched = ", ".join(clauses[n] for n in explanation.matched)
    of = f"{len(explanation.matched)} of {len(clauses)}"
    lines = [f"score {explanation.score:.2f}: matches {matched} ({of} parts of the query)"]
    for part in sorted(explanation.parts, key=lambda p: (p.clause, -p.score)):
        lines.append(f"  +{part.score:6.2f}  {clauses[part.clause]}: {part.describe(False)}")
    return lines


def relaxed_line(relaxed: list[Relaxed]) -> str | None:
    """What a search that found nothing finds without each of its filters, as the options to
    drop (``relaxing.without_filters``): "Without --source okaz: 2,351 results; without
    --since 2018: 189; without any filter: 5,078." None without filters."""
    if not relaxed:
        return None
    parts = [f"without {_dropped(r)}: {r.total:,}" for r in relaxed]
    parts[0] += " results"
    line = "; ".join(parts) + "."
    return line[0].upper() + line[1:]


def _dropped(relaxed: Relaxed) -> str:
    if relaxed.dropped == "all":
        return "any filter"
    if relaxed.dropped == "exact":
        return "--exact"
    return f"--{relaxed.dropped} {neutral(str(relaxed.value))}"


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
            shown = ", ".join(f"{neutral(value)} {count:,}" for value, count in values[:top])
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


def article_text(article: Article, copies: list[str] | None = None, *, hijri: bool = False) -> str:
    """One article for reading in a terminal, with the ids of its near-copies; ``hijri``: its
    date with the Hijri date, ``2015-08-06 (21 شوال 1436 هـ)``."""
    meta = " · ".join(
        p
        for p in (
            article.source,
            date_text(article.date, hijri) if article.date else article.date_text,
            article.category,
        )
        if p
    )
    head = [article.title, meta, article.url or "", f"id: {article.id}"]
    lines = [neutral(line) for line in head if line]
    lines += ["", neutral(article.body, lines=True)]  # the body keeps its paragraphs
    if article.keywords:
        lines += ["", neutral("كلمات دلالية: " + "، ".join(article.keywords))]
    if copies:
        lines += ["", neutral(f"Copies of this story ({len(copies)}): " + ", ".join(copies))]
    return "\n".join(lines)


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
        f"size:       {stats.size_bytes / 1e6:,.1f} MB on disk{_elsewhere(stats.shards)}",
        f"built:      {stats.built or '?'}; last updated {stats.updated or '?'}",
        f"sources:    {len(stats.sources)}",
    ]
    lines += [f"  {count:>9,}  {neutral(name)}" for name, count in stats.sources]
    if stats.categories:
        lines.append(f"categories: {len(stats.categories)}")
        lines += [f"  {count:>9,}  {neutral(name)}" for name, count in stats.categories]
    if stats.shards:
        lines.append(f"shards:     {len(stats.shards)}")
        lines += [f"  {neutral(shard)}" for shard in stats.shards]
    if stats.dumps:
        lines.append("dumps:")
        lines += [f"  {neutral(dump)}" for dump in stats.dumps]
    return "\n".join(lines)


def _elsewhere(shards: list[str]) -> str:
    """What the size leaves out: shards that other machines (or directories) hold."""
    outside = [s for s in shards if "://" in s or PurePath(s).is_absolute()]
    return f" here (not counting {len(outside)} shards held elsewhere)" if outside else ""


def _run_heading(run: RejectsRun, count: int) -> str:
    """ "run 12 (2025-12-06 22:09:06 UTC, the latest): 3 rejected records, in FILE"."""
    when = run.started.strftime("%Y-%m-%d %H:%M:%S UTC") + (", the latest" if run.latest else "")
    # Run 0 is the rejects.jsonl an earlier Bahth kept, before runs were numbered.
    name = f"run {run.number}" if run.number else "an earlier run"
    what = f"{count:,} rejected record{'' if count == 1 else 's'}" if count else "nothing rejected"
    return neutral(f"{name} ({when}): {what}, in {run.path}")


def rejects_text(run: RejectsRun) -> Iterator[str]:
    """The lines of ``bahth rejects`` for one run: a heading (its number, start, count and
    file), then each reject as ``file:line: reason``, ``neutral`` (a dump's file names and
    the reasons quoting its records stay on their line and act on no terminal)."""
    yield _run_heading(run, run.count())
    for reject in run:
        yield neutral(str(reject))

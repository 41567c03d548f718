"""Results, articles, stats and rejects as JSON and CSV, for other tools: text exactly as stored
(JSON), cells a spreadsheet will not run (CSV)."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

from ..article import Article
from ..results import Hit, IndexStats, Results
from ..terminal import (
    neutral,
)

if TYPE_CHECKING:
    from ..labels import Labels
    from ..rejects import RejectsRun
    from .timeline import Timeline
from .common import hijri_date, with_hijri


def json_text(value: object) -> str:
    """``value`` as every ``--json`` prints it: UTF-8 text (not \\u escapes), indented."""
    return json.dumps(value, ensure_ascii=False, indent=2)


def _hit_dict(
    hit: Hit, hijri: bool, labels: Labels | None = None, lang: str = "ar"
) -> dict[str, object]:
    """``hit.to_dict()``, with ``date_hijri`` after ``date`` when ``hijri``, and with
    ``labels`` the names of its source and category (``Labels.named``)."""
    document = hit.to_dict() if labels is None else labels.named(hit.to_dict(), lang)
    return with_hijri(document, hit.date) if hijri else document


def to_json(
    results: Results,
    *,
    hijri: bool = False,
    timeline: Timeline | None = None,
    labels: Labels | None = None,
    lang: str = "ar",
) -> str:
    """One JSON document, UTF-8 text (not \\u escapes), every documented key present; with
    ``hijri``, each hit's ``date_hijri`` too; with a ``timeline``, its series (``timeline``:
    ``Timeline.to_dict()``) before the hits; with ``labels``, each hit's ``source_name`` and
    ``category_name`` in ``lang`` after its ``source`` and ``category`` keys."""
    document = _with_timeline(results.to_dict(), timeline)
    if hijri or labels is not None:
        document["hits"] = [_hit_dict(hit, hijri, labels, lang) for hit in results.hits]
    return json_text(document)


def _with_timeline(document: dict[str, object], timeline: Timeline | None) -> dict[str, object]:
    """``document`` with a ``timeline`` key before ``hits`` (``bahth search --timeline``)."""
    if timeline is None:
        return document
    hits = document.pop("hits")
    return {**document, "timeline": timeline.to_dict(), "hits": hits}


def json_stream(
    results: Results,
    hits: Iterable[Hit],
    took_ms: Callable[[], float],
    *,
    hijri: bool = False,
    timeline: Timeline | None = None,
    labels: Labels | None = None,
    lang: str = "ar",
) -> Iterator[str]:
    """The JSON document of ``--all``, piece by piece: the keys of ``results.to_dict()`` (and
    ``timeline``, as ``to_json``) with every hit of ``hits`` (one per line), ``page`` 1,
    ``limit`` null (no limit), and ``took_ms`` last, measured by ``took_ms()`` once the hits
    are written; ``labels`` and ``lang`` as ``to_json``."""
    head = _with_timeline(results.to_dict(), timeline)
    for key in ("hits", "took_ms"):
        del head[key]
    head.update(page=1, limit=None)
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "hits": ['
    separator = "\n"
    for hit in hits:
        yield separator + json.dumps(_hit_dict(hit, hijri, labels, lang), ensure_ascii=False)
        separator = ",\n"
    yield f'\n], "took_ms": {round(took_ms(), 1)}}}\n'


CSV_COLUMNS = ("id", "date", "source", "title", "url", "score", "partial")
"""The columns of ``bahth search --csv``, in order (the header row); ``--hijri`` adds
``date_hijri`` after them."""


# A spreadsheet runs a cell starting with one of these as a formula (=HYPERLINK(...) from a
# hostile dump): such text cells get a leading apostrophe, which spreadsheets hide.
_FORMULA = re.compile(r"^[=+\-@\t\r]")


def _cell(value: str | None) -> str:
    if not value:
        return ""
    value = neutral(value, lines=True)  # CSV quotes line breaks; a terminal may show the file
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


def article_dict(
    article: Article,
    copies: list[str] | None = None,
    *,
    hijri: bool = False,
    labels: Labels | None = None,
    lang: str = "ar",
) -> dict[str, object]:
    """The JSON object of ``bahth show --json``; ``copies``: the ids of its near-copies;
    ``hijri``: with ``date_hijri`` after ``date``; ``labels``: with ``source_name`` and
    ``category_name`` in ``lang`` (``Labels.named``)."""
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
    if labels is not None:
        document = labels.named(document, lang)
    return with_hijri(document, article.date) if hijri else document


def stats_dict(stats: IndexStats) -> dict[str, object]:
    """The JSON object of ``bahth stats --json``."""
    return stats.to_dict()


_SURROGATE = re.compile("[\ud800-\udfff]")


def _json_line(value: object) -> str:
    """``value`` as JSON, UTF-8 text; with ``\\u`` escapes when it holds a lone surrogate (a
    rejected record may), which UTF-8 cannot carry but a JSON escape can."""
    text = json.dumps(value, ensure_ascii=False)
    return json.dumps(value) if _SURROGATE.search(text) else text


def rejects_json(index: str, runs: Iterable[RejectsRun]) -> Iterator[str]:
    """``bahth rejects --json`` piece by piece, one reject a line, so that a run of many
    rejects is never held whole: ``{"index": …, "runs": [{"run", "started", "file", "latest",
    "count", "rejects": [{"file", "line", "reason", "raw"}, …]}, …]}``, newest run first,
    every string as stored."""
    yield json.dumps({"index": index}, ensure_ascii=False)[:-1] + ', "runs": ['
    run_separator = "\n"
    for run in runs:
        head = json.dumps(run.to_dict(), ensure_ascii=False)[:-1]
        yield f'{run_separator}{head}, "rejects": ['
        separator = "\n"
        for reject in run:
            record = {
                "file": reject.file,
                "line": reject.line,
                "reason": reject.reason,
                "raw": reject.raw,
            }
            yield separator + _json_line(record)
            separator = ",\n"
        yield "\n]}"
        run_separator = ",\n"
    yield "\n]}\n"

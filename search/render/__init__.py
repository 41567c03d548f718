"""Results → text for a terminal, JSON, CSV, or an HTML page. No engine, no click: strings out.

Highlights are given as spans; a renderer decides how to mark them: ``mark`` callables for the
terminal (bold colour on a TTY, ``[…]`` otherwise), ``<mark>`` for HTML (all text escaped).
Terminal layout (wrapping, bidi reordering, the pager) is in ``search.terminal``; ``Pager``,
``pager_command`` and ``neutral`` are reached from here, the module the command uses.

One module a kind of output: ``text`` (a terminal), ``data`` (JSON and CSV), ``page`` (HTML),
with what they share in ``common``; this package is their one door.

``timeline`` is a query's matches a month (a year over long spans), from its facets, drawn
as an inline SVG bar chart (``timeline_svg``) or as text bars (``timeline_text``).

Every renderer of many hits also comes as a stream (``to_csv``, ``json_stream``, ``html_page``,
``hit_text``), so that ``bahth search --all`` writes each hit as it comes and holds none.

``hijri=True`` (``--hijri``) shows each date with its Umm al-Qura Hijri date too (made by
``hijri_date``): ``2015-08-06 (21 شوال 1436 هـ)`` in text and HTML, a ``date_hijri`` key in
JSON and column in CSV (null or empty outside 1924-2077).

Dumps are untrusted: in text, CSV and HTML, every string from them passes through
``terminal.neutral`` (bidi controls removed, other control characters shown as ``\x1b``,
line breaks kept only in a body), so that no article acts on the terminal or reorders the
lines around it; JSON keeps the text exactly as stored.
"""

from __future__ import annotations

from ..terminal import Pager, neutral, pager_command
from .common import (
    Marker,
    apply_marks,
    brackets,
    did_you_mean,
    hijri_date,
    summary,
    variants_line,
)
from .data import (
    CSV_COLUMNS,
    article_dict,
    json_stream,
    json_text,
    rejects_json,
    stats_dict,
    to_csv,
    to_json,
)
from .page import (
    HitLinks,
    Label,
    explanation_html,
    hit_html,
    html_page,
    link,
    mark_html,
    to_html,
    totals_html,
    variants_html,
)
from .text import (
    article_text,
    copies_line,
    facets_text,
    hit_text,
    rejects_text,
    relaxed_line,
    stats_text,
    text_line,
    to_text,
)
from .timeline import Bar, Timeline, timeline, timeline_of, timeline_svg, timeline_text

__all__ = [
    "CSV_COLUMNS",
    "Bar",
    "HitLinks",
    "Label",
    "Marker",
    "Pager",
    "Timeline",
    "apply_marks",
    "article_dict",
    "article_text",
    "brackets",
    "copies_line",
    "did_you_mean",
    "explanation_html",
    "facets_text",
    "hijri_date",
    "hit_html",
    "hit_text",
    "html_page",
    "json_stream",
    "json_text",
    "link",
    "mark_html",
    "neutral",
    "pager_command",
    "rejects_json",
    "rejects_text",
    "relaxed_line",
    "stats_dict",
    "stats_text",
    "summary",
    "text_line",
    "timeline",
    "timeline_of",
    "timeline_svg",
    "timeline_text",
    "to_csv",
    "to_html",
    "to_json",
    "to_text",
    "totals_html",
    "variants_html",
    "variants_line",
]

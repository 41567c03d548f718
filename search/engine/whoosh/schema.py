"""The index schema, and how values are prepared for it."""

from __future__ import annotations

import datetime as dt

from whoosh.columns import NumericColumn
from whoosh.fields import COLUMN, DATETIME, ID, STORED, TEXT, Schema

from .analysis import arabic_analyzer

SCHEMA_VERSION = 9
"""Bump when fields change; an index records it and is refused by a Bahth that expects another."""


def schema() -> Schema:
    """Title, body and keywords are indexed twice: stemmed (ranking) and exact (phrases, boosts,
    ``--exact``).

    Title, keywords and body (compressed) are stored for snippets and ``bahth show``.
    ``source`` and ``category`` hold normalized keys (``source:alwatan``); the labels as
    published are stored beside them.
    """
    stemmed = arabic_analyzer(stemmed=True)
    exact = arabic_analyzer(stemmed=False)
    return Schema(
        id=ID(stored=True, unique=True, sortable=True),
        title=TEXT(analyzer=stemmed, stored=True),
        # Phrases are matched on the exact fields, so the stemmed body needs no positions:
        # they would cost a third of its postings' size and encoding time.
        body=TEXT(analyzer=stemmed, phrase=False),
        # The body is stored zlib-compressed: it is most of what is stored, and Arabic text
        # shrinks about threefold; a hit's snippet pays ~20 µs to inflate it.
        body_z=STORED,
        # Stored only: keywords are searched through text and keywords_exact.
        keywords=STORED,
        # Title twice, body, keywords: what a word searched anywhere ranks on (see contract).
        text=TEXT(analyzer=stemmed, phrase=False),
        title_exact=TEXT(analyzer=exact),
        body_exact=TEXT(analyzer=exact),
        keywords_exact=TEXT(analyzer=exact),
        date=DATETIME(stored=True),
        # The day as an ordinal (0: undated) in a column, for sorting and reading dates fast:
        # DATETIME's own column puts undated articles first when sorted newest first.
        day=COLUMN(NumericColumn("i", default=0)),
        date_text=STORED,
        source=ID(sortable=True),
        source_label=STORED,
        category=ID(sortable=True),
        category_label=STORED,
        url=STORED,
        hash=ID(sortable=True),
        # The story number (search.stories), as text: a Term finds a story's copies, and the
        # column gives a hit's story.
        story=ID(sortable=True),
    )


def midnight(day: dt.date) -> dt.datetime:
    """The DATETIME value of a day."""
    return dt.datetime(day.year, day.month, day.day)

"""The index schema, and how values are prepared for it."""

from __future__ import annotations

import datetime as dt
import zlib

from whoosh.columns import NumericColumn
from whoosh.fields import COLUMN, DATETIME, ID, STORED, TEXT, Schema

from ...arabic import index_terms
from ...article import Article
from ..contract import KEYWORD_SEPARATOR, keyword_key, text_of
from .analysis import arabic_analyzer
from .postings import COMPRESS, TERMS

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


TEXTS: dict[str, tuple[str, ...]] = {
    "title": ("title",),
    "title_exact": ("title",),
    "body": ("body",),
    "body_exact": ("body",),
    "keywords_exact": ("keywords",),
    "text": tuple(text_of(["title"], ["body"], ["keywords"])),
}
"""The analysed fields, and the texts of an article (``texts``) each holds, joined by line
breaks: the analysis tokenizes the whole the same as its parts."""

Analysed = dict[str, tuple[list[str], list[str]]]
"""Each text of an article: its index terms and normalized words (``index_terms``)."""


def texts(article: Article) -> dict[str, str]:
    """The texts of an article that fields are made of."""
    return {
        "title": article.title,
        "body": article.body,
        "keywords": KEYWORD_SEPARATOR.join(article.keywords),
    }


def analysed(article: Article) -> Analysed:
    """The analysis of every text of an article."""
    return {name: index_terms(text) for name, text in texts(article).items()}


def document(
    article: Article, content_hash: str, analysis: Analysed, compressed: bool = True
) -> dict[str, object]:
    """The whoosh document of an article, but for its story, with the terms of its Arabic
    fields (``postings.TERMS``) from ``analysis``. Not ``compressed``: its body is left for
    the writer to compress (``postings.COMPRESS``), in the writing processes."""
    fields: dict[str, object] = {"id": article.id, "hash": content_hash}
    given = texts(article)
    terms = {}
    for name, parts in TEXTS.items():
        present = [given[part] for part in parts if given[part]]
        if present:
            fields[name] = "\n".join(present)
            terms[name] = [analysis[part] for part in parts]
    fields[TERMS] = terms
    if given["keywords"]:
        fields["keywords"] = given["keywords"]
    if article.body and compressed:
        fields["body_z"] = zlib.compress(article.body.encode("utf-8"))
    elif article.body:
        fields["body_z"] = article.body
        fields[COMPRESS] = ("body_z",)
    if article.date:
        fields["date"] = midnight(article.date)
    # Columns get a value in every document, 0 or "" when there is none: whoosh cannot read
    # a column across segments when one segment holds no value for it (a multiprocess
    # run over an undated or sourceless stretch of a dump).
    fields["day"] = article.date.toordinal() if article.date else 0
    optional = {
        "date_text": article.date_text,
        "url": article.url,
        "source_label": article.source,
        "category_label": article.category,
    }
    fields.update({k: v for k, v in optional.items() if v})
    fields["source"] = keyword_key(article.source or "")
    fields["category"] = keyword_key(article.category or "")
    return fields

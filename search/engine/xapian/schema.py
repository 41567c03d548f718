"""How an article is a Xapian document: a prefix per field for its terms, value slots for
what is sorted, filtered and counted, and the stored article as the document's data.

Xapian has no per-field document length: BM25 normalizes a term's frequency by the whole
article's length (its terms' frequencies over every field), where tantivy and whoosh take the
field's. Every field grows with the text, so a word's score on ``text`` differs little; the
exact-form bonus on short fields (``title_exact``, ``keywords_exact``), which tantivy
normalizes by the title's or keywords' own length, differs most. On 5,000 shared articles
(``python -m benchmarks.agreement --engines tantivy xapian``) the totals are equal on every
query and the top 10 shares 0.81 of tantivy's on words, 0.76 on phrases (0.90 on words
without the exact-form bonus); padding each article to make its length ``text``'s gained
0.004, so it is not done.
"""

from __future__ import annotations

from dataclasses import dataclass

import xapian

from ...article import Article
from ..contract import EXACT_FIELDS, STORY, keyword_key, version
from ..core.documents import Prepared

SCHEMA_VERSION = 1
"""Bump when prefixes or slots change; an index records it and is refused by a Bahth that
expects another."""

# No prefix is the start of another, so a field's terms are those starting with its prefix.
PREFIXES = {
    "title": "XT",
    "body": "XB",
    "text": "XX",
    "title_exact": "XET",
    "body_exact": "XEB",
    "keywords_exact": "XEK",
    "source": "XS",
    "category": "XC",
    STORY: "XY",
}
ID_PREFIX = "Q"  # Xapian's convention for the unique id term

DAY, STORY_SLOT, VERSION, SOURCE, CATEGORY, ID = range(6)
"""Value slots: the date's ordinal (absent when undated) and the story number, sortable;
the content's version (8 bytes); the source and category keys, and the id, as text."""

# Xapian's on-disk format refuses a term longer than this (with its prefix): such a "word"
# (a long run of letters in a scraped page) is left out of the index rather than the article.
MAX_TERM_BYTES = 245


def id_term(article_id: str) -> str:
    """The term naming an article: replaced and deleted by it."""
    return ID_PREFIX + article_id


def number(value: int) -> bytes:
    """An integer as a sortable value (``xapian.sortable_serialise``: ranges compare it)."""
    return bytes(xapian.sortable_serialise(value))


def integer(value: bytes) -> int:
    """The integer of ``number``'s value; 0 for no value."""
    return round(xapian.sortable_unserialise(value)) if value else 0


@dataclass(frozen=True, slots=True)
class Entry:
    """What the Xapian document of an article is made of, as plain data: the writer's thread
    makes it, the shard's thread makes the document (``built``). A Xapian object is not to
    cross threads: its reference count is not atomic, and a handle freed in one thread while
    another indexes it crashed a build of 72,716 articles into four shards."""

    article_id: str
    texts: tuple[tuple[str, str], ...]
    keys: tuple[tuple[str, str], ...]  # (field, key): source, category
    story: int
    day: int
    version: int
    packed: bytes


def document(article: Article, content_hash: str, story: int, prepared: Prepared) -> Entry:
    """The entry of an article; ``ValueError`` when Xapian cannot take it."""
    if not _fits(id_term(article.id)):
        raise ValueError(f"its id is longer than the {MAX_TERM_BYTES - 1} bytes Xapian takes")
    keys = tuple(
        (name, key)
        for name, value in (("source", article.source), ("category", article.category))
        if value and (key := keyword_key(value))
    )
    day = article.date.toordinal() if article.date is not None else 0
    return Entry(
        article.id, prepared.texts, keys, story, day, version(content_hash), prepared.packed
    )


def built(entry: Entry) -> xapian.Document:
    """The Xapian document of an entry."""
    doc = xapian.Document()
    for name, text in entry.texts:
        prefix = PREFIXES[name]
        if name in EXACT_FIELDS:  # with positions, for phrases
            for position, word in enumerate(text.split(), 1):
                if _fits(term := prefix + word):
                    doc.add_posting(term, position)
        else:
            for word in text.split():
                if _fits(term := prefix + word):
                    doc.add_term(term)
    doc.add_boolean_term(id_term(entry.article_id))
    doc.add_boolean_term(PREFIXES[STORY] + str(entry.story))
    for name, key in entry.keys:
        if _fits(term := PREFIXES[name] + key):
            doc.add_boolean_term(term)
        doc.add_value(SOURCE if name == "source" else CATEGORY, key.encode("utf-8"))
    if entry.day:
        doc.add_value(DAY, number(entry.day))
    doc.add_value(STORY_SLOT, number(entry.story))
    doc.add_value(VERSION, entry.version.to_bytes(8, "big"))
    doc.add_value(ID, entry.article_id.encode("utf-8"))
    doc.set_data(entry.packed)
    return doc


def _fits(term: str) -> bool:
    return len(term.encode("utf-8")) <= MAX_TERM_BYTES

"""The fields of a tantivy index, and how an article is made a tantivy document.

The text fields hold Bahth's own terms joined by spaces and split again by tantivy's
``whitespace`` tokenizer: the analysis (``search.arabic.index_terms``) stays the one source of
terms, and tantivy never sees the text itself. Stopwords are left out before the join, so a
phrase matches across one, as on whoosh.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zlib
from dataclasses import dataclass

import tantivy

from ...arabic import index_terms
from ...article import Article
from ..contract import (
    EXACT_FIELDS,
    KEYWORD_SEPARATOR,
    STEMMED_FIELDS,
    STORY,
    describe,
    keyword_key,
    text_of,
    version,
)

SCHEMA_VERSION = 4
"""Bump when fields change; an index records it and is refused by a Bahth that expects another."""

TERMS_TOKENIZER = "whitespace"  # one of tantivy's built-in tokenizers: nothing to register


def schema() -> tantivy.Schema:
    """``id`` (raw, for lookups and deletes) and ``key`` (a 64-bit digest of the id, a fast
    field, to find a hit's article among a query's matches); the stemmed fields with term
    frequencies, the exact fields with positions (phrases); ``source`` and ``category`` keys
    (fast, for counts); ``day`` (the date's ordinal, 0 when undated: filters and date order);
    the content's ``version`` (fast); its ``story`` (indexed and fast); and the ``article``
    itself, stored as zlib-compressed JSON (one field to read per hit)."""
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw", index_option="basic")
    builder.add_unsigned_field("key", indexed=True, fast=True)
    for name in STEMMED_FIELDS:
        builder.add_text_field(name, tokenizer_name=TERMS_TOKENIZER, index_option="freq")
    for name in EXACT_FIELDS:
        builder.add_text_field(name, tokenizer_name=TERMS_TOKENIZER, index_option="position")
    for name in ("source", "category"):
        builder.add_text_field(name, fast=True, tokenizer_name="raw", index_option="basic")
    builder.add_integer_field("day", indexed=True, fast=True)
    builder.add_unsigned_field("version", fast=True)
    builder.add_unsigned_field(STORY, indexed=True, fast=True)
    builder.add_bytes_field("article", stored=True)
    return builder.build()


def id_key(article_id: str) -> int:
    """The 64-bit digest of an id that the ``key`` field holds."""
    digest = hashlib.blake2b(article_id.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "big")


@dataclass(frozen=True, slots=True)
class Prepared:
    """What analysis makes of an article: the terms of each text field, joined, and the
    stored form. Plain data, so that analysis can run in other processes."""

    texts: tuple[tuple[str, str], ...]
    packed: bytes
    # The body's signature (search.stories), made from its analysis; as bytes, which cross
    # from an analysis process in a microsecond where a numpy array took forty.
    signature: bytes | None


def prepare(article: Article) -> Prepared:
    """Analyze an article for the index: its terms, and its body's signature from the same
    analysis (the normalized words of ``body_exact``)."""
    # Imported by analysis only: stories need numpy, which a search need not load.
    from ...stories import signature

    texts = []
    stems: dict[str, list[str]] = {}
    norms: dict[str, list[str]] = {}
    keywords = KEYWORD_SEPARATOR.join(article.keywords)
    for name, text in (("title", article.title), ("body", article.body), ("keywords", keywords)):
        stems[name], norms[name] = index_terms(text)
        texts.append((f"{name}_exact", " ".join(norms[name])))
    texts += [("title", " ".join(stems["title"])), ("body", " ".join(stems["body"]))]
    texts.append(("text", " ".join(text_of(stems["title"], stems["body"], stems["keywords"]))))
    values = signature(norms["body"])
    return Prepared(tuple(texts), pack(article), None if values is None else values.tobytes())


@dataclass(frozen=True, slots=True)
class Unprepared:
    """What ``prepare_all`` gives for an article it could not prepare: why (the writer makes
    it a ``Failure``, a reject of that article)."""

    reason: str


def prepare_all(articles: list[Article]) -> list[Prepared | Unprepared]:
    """``prepare`` for a batch: the task an analysis process runs. An article whose analysis
    or stored form fails is ``Unprepared``: the run goes on without it."""
    return [_prepare_or_say_why(article) for article in articles]


def _prepare_or_say_why(article: Article) -> Prepared | Unprepared:
    try:
        return prepare(article)
    except Exception as error:  # one article's problem, whatever it is: not the run's end
        return Unprepared(f"could not be analysed or stored: {describe(error)}")


def document(
    article: Article, content_hash: str, story: int, prepared: Prepared
) -> tantivy.Document:
    """The tantivy document of an article."""
    doc = tantivy.Document()
    doc.add_text("id", article.id)
    doc.add_unsigned("key", id_key(article.id))
    for name, text in prepared.texts:
        if text:
            doc.add_text(name, text)
    for name, value in (("source", article.source), ("category", article.category)):
        if value and (key := keyword_key(value)):
            doc.add_text(name, key)
    doc.add_integer("day", article.date.toordinal() if article.date else 0)
    doc.add_unsigned("version", version(content_hash))
    doc.add_unsigned(STORY, story)
    doc.add_bytes("article", prepared.packed)
    return doc


def pack(article: Article) -> bytes:
    """The stored form of an article."""
    fields = {
        "day": article.date.toordinal() if article.date else 0,
        "title": article.title,
        "body": article.body,
        "date_text": article.date_text,
        "source": article.source,
        "category": article.category,
        "url": article.url,
        "keywords": list(article.keywords),
    }
    text = json.dumps({k: v for k, v in fields.items() if v}, ensure_ascii=False)
    return zlib.compress(text.encode("utf-8"))


def unpack(article_id: str, packed: bytes) -> Article:
    """The article of ``pack``'s bytes."""
    fields = json.loads(zlib.decompress(packed))
    day = fields.get("day", 0)
    return Article(
        id=article_id,
        title=fields.get("title", ""),
        body=fields.get("body", ""),
        date=dt.date.fromordinal(day) if day else None,
        date_text=fields.get("date_text"),
        source=fields.get("source"),
        category=fields.get("category"),
        url=fields.get("url"),
        keywords=tuple(fields.get("keywords", ())),
    )

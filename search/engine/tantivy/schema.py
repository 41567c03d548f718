"""The fields of a tantivy index, and how a prepared article (``core.documents``) is made a
tantivy document: its text fields are split again by tantivy's ``whitespace`` tokenizer."""

from __future__ import annotations

import hashlib

import tantivy

from ...article import Article
from ..contract import (
    EXACT_FIELDS,
    STEMMED_FIELDS,
    STORY,
    keyword_key,
    version,
)
from ..core.documents import Prepared

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

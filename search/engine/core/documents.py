"""Articles made ready for any engine: their terms per field, their stored form, their
body's story signature.

The terms are Bahth's own (``search.arabic.index_terms``), joined by spaces: an engine splits
them on whitespace and never sees the text itself, so every engine indexes the same terms.
Stopwords are left out before the join, so a phrase matches across one. The work is done in
``prepare_all``, a batch at a time, in this process or in analysis processes (``pool``).
"""

from __future__ import annotations

import datetime as dt
import json
import zlib
from dataclasses import dataclass

from ...arabic import index_terms
from ...article import Article
from ..contract import KEYWORD_SEPARATOR, describe, text_of


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
    from ...story_signatures import signature

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

"""The ``Article`` record: what every dump reader produces and the indexer consumes."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib


@dataclasses.dataclass(frozen=True, slots=True)
class Article:
    """One news article, as read from a dump.

    ``date`` is the parsed publication date when the dump's date string could be read, else
    ``None``; ``date_text`` keeps the string as published (also when it was parsed), so that an
    unparseable date is never lost. ``origin`` says where the record came from (``file:line``).
    """

    id: str
    title: str
    body: str
    date: dt.date | None = None
    date_text: str | None = None
    source: str | None = None
    category: str | None = None
    url: str | None = None
    keywords: tuple[str, ...] = ()
    origin: str | None = None

    def content_hash(self) -> str:
        """Hash of everything that is indexed, so re-indexing can tell unchanged articles apart."""
        h = hashlib.blake2b(digest_size=16)
        for value in (
            self.title,
            self.body,
            self.date.isoformat() if self.date else "",
            self.date_text or "",
            self.source or "",
            self.category or "",
            self.url or "",
            "\x1f".join(self.keywords),
        ):
            h.update(value.encode("utf-8", "surrogatepass"))
            h.update(b"\x1e")
        return h.hexdigest()


def article_id(url: str | None, title: str, body: str) -> str:
    """A stable id for a record that has none: a hash of its url, else of its title and body."""
    basis = url.strip() if url and url.strip() else f"{title}\x1e{body}"
    return hashlib.blake2b(basis.encode("utf-8", "surrogatepass"), digest_size=10).hexdigest()


def split_origin(origin: str | None) -> tuple[str, int] | None:
    """The file and line of an ``Article.origin`` (``file:line``; the file's name may hold
    colons, as an archive's member does), or None when it is not of that form.

    >>> split_origin("dump.zip:2015-07-21.json:12"), split_origin(None)
    (('dump.zip:2015-07-21.json', 12), None)
    """
    file, _, line = (origin or "").rpartition(":")
    return (file, int(line)) if file and line.isdigit() else None

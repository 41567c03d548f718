"""Peer ``whoosh-standard``: plain whoosh as a user would set it up by hand, no Arabic analysis.

Schema: ``id`` ID (stored, unique), ``title`` and ``body`` TEXT (stored) with whoosh's default
`StandardAnalyzer` (``\\w+`` tokens, lowercase, English stop words, tokens shorter than 2 dropped).
Scoring: whoosh's default `BM25F` (B=0.75, K1=1.2). Queries go through `MultifieldParser` over title
and body with ``fieldboosts={"title": 2.0}``; ``match`` picks `OrGroup` ("any") or whoosh's own
default `AndGroup` ("all"). Writer: ``limitmb=256``; ``procs > 1`` uses the multiprocessing writer
with ``multisegment=True`` (the form upstream recommends: ``multisegment=False`` has a known
IndexError).

Expect weak Arabic relevance: the ``\\w+`` tokenizer splits words at harakat (they are not ``\\w``)
and nothing strips clitics, so ``الصحة`` and ``والصحة`` are different terms. That is the point of
this peer.
"""

from __future__ import annotations

import importlib.util
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from benchmarks.peers._common import (
    TITLE_BOOST,
    BuildStats,
    Doc,
    Match,
    PeerError,
    dir_bytes,
    keywords,
    prepare_workdir,
)

if TYPE_CHECKING:
    from whoosh.index import Index
    from whoosh.qparser import MultifieldParser
    from whoosh.query import Query
    from whoosh.searching import Searcher

LIMIT_MB = 256  # per writer process, as in the other peers' 256 MB heaps


class WhooshStandardPeer:
    """whoosh-reloaded with its defaults: StandardAnalyzer on title and body, BM25F."""

    name = "whoosh-standard"
    supports_phrase = True

    def __init__(self) -> None:
        self._index: Index | None = None
        self._searcher: Searcher | None = None
        self._parsers: dict[Match, MultifieldParser] = {}

    def describe(self) -> str:
        """Engine, version and settings in one line."""
        version = "not installed"
        if self.unavailable() is None:
            import whoosh

            version = whoosh.versionstring()
        scoring = f"BM25F(B=0.75, K1=1.2), title boost {TITLE_BOOST:g}"
        return f"whoosh {version}, StandardAnalyzer, {scoring}"

    def unavailable(self) -> str | None:
        """Why this peer cannot run, or None."""
        if importlib.util.find_spec("whoosh") is None:
            return "whoosh not installed: pip install -e ."
        return None

    def build(self, docs: Iterable[Doc], workdir: Path, procs: int = 1) -> BuildStats:
        """Index `docs` into `workdir` and open the result."""
        from whoosh import index
        from whoosh.fields import ID, TEXT, Schema

        self.close()
        workdir = prepare_workdir(workdir)
        schema = Schema(
            id=ID(stored=True, unique=True), title=TEXT(stored=True), body=TEXT(stored=True)
        )
        start = time.perf_counter()
        ix = index.create_in(str(workdir), schema)
        if procs > 1:
            writer = ix.writer(procs=procs, limitmb=LIMIT_MB, multisegment=True)
        else:
            writer = ix.writer(limitmb=LIMIT_MB)
        try:
            for doc in docs:
                # add_document, not update_document: ids are unique; update looks each one up.
                writer.add_document(id=doc["id"], title=doc["title"] or "", body=doc["body"] or "")
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        seconds = time.perf_counter() - start
        ix.close()
        start = time.perf_counter()
        self.open(workdir)
        open_seconds = time.perf_counter() - start
        assert self._searcher is not None
        return BuildStats(
            seconds=seconds,
            docs=self._searcher.doc_count(),
            bytes_on_disk=dir_bytes(workdir),
            open_seconds=open_seconds,
        )

    def open(self, workdir: Path) -> None:
        """Open an existing index and prepare one parser per match mode."""
        from whoosh import index, scoring
        from whoosh.qparser import AndGroup, MultifieldParser, OrGroup

        self.close()
        self._index = index.open_dir(str(workdir))
        self._searcher = self._index.searcher(weighting=scoring.BM25F())
        boosts = {"title": TITLE_BOOST, "body": 1.0}
        fields = ["title", "body"]
        schema = self._index.schema
        self._parsers = {
            "any": MultifieldParser(fields, schema, fieldboosts=boosts, group=OrGroup),
            "all": MultifieldParser(fields, schema, fieldboosts=boosts, group=AndGroup),
        }

    def _query(self, text: str, match: Match) -> Query:
        if self._searcher is None:
            raise PeerError(f"{self.name}: no index open; call build() or open() first")
        return self._parsers[match].parse(text)

    def search(self, query: str, k: int = 10, match: Match = "any") -> list[str]:
        """Top `k` ids for a keyword query."""
        q = self._query(" ".join(keywords(query)), match)
        assert self._searcher is not None
        return [hit["id"] for hit in self._searcher.search(q, limit=k)]

    def count(self, query: str, match: Match = "any") -> int:
        """Number of matching documents (an unscored, unlimited search)."""
        q = self._query(" ".join(keywords(query)), match)
        assert self._searcher is not None
        return len(self._searcher.search(q, limit=None, scored=False))

    def phrase(self, words: str, k: int = 10) -> list[str]:
        """Top `k` ids containing `words` as a phrase in title or body."""
        if not (terms := keywords(words)):
            return []
        q = self._query('"' + " ".join(terms) + '"', "any")
        assert self._searcher is not None
        return [hit["id"] for hit in self._searcher.search(q, limit=k)]

    def close(self) -> None:
        """Close the searcher and index."""
        if self._searcher is not None:
            self._searcher.close()
        if self._index is not None:
            self._index.close()
        self._index, self._searcher, self._parsers = None, None, {}

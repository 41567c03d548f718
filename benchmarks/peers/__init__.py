"""Peer search engines run side by side with Bahth in the benchmarks.

Every peer has the same small interface (`Peer`); the benchmarks reach the peers through the
engine registry, ``benchmarks.core.engines``, which lists them beside Bahth's own engines:

    engine = make_engine("tantivy-arabic")  # from benchmarks.core.engines
    if engine.unavailable() is None:
        stats = engine.build(docs, workdir / engine.name, workers=2)
        engine.open(workdir / engine.name)
        ids = engine.search("وزارة الصحة", 10, match="any")
        engine.close()

Peers (see each module's docstring for the exact configuration):

* ``whoosh-standard``: plain whoosh, StandardAnalyzer, BM25F, title boost 2 ("what a user writes").
* ``tantivy``: tantivy-py, default tokenizer, BM25, title boost 2 ("what a user writes").
* ``tantivy-arabic``: tantivy-py, simple tokenizer, lowercase, Lucene's Arabic stop words, Snowball
  Arabic stemmer.
* ``lucene-arabic``: Lucene's ArabicAnalyzer and BM25(k1=0.9, b=0.4) through the Anserini fat jar.

Engines are imported lazily, so this package imports with the standard library alone and a missing
engine shows up as a reason from `Peer.unavailable()`, never as an ImportError.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Protocol, runtime_checkable

from benchmarks.peers._common import BuildStats, Doc, Match, PeerError

__all__ = ["BuildStats", "Doc", "Match", "Peer", "PeerError"]


@runtime_checkable
class Peer(Protocol):
    """One engine under comparison. One instance holds at most one index at a time.

    Queries are plain keyword strings; parser syntax (quotes, parentheses, ``field:``) is stripped.
    ``match="any"`` (the default everywhere) ORs the analyzed words and ranks by BM25, as Lucene,
    Anserini and tantivy do by default; ``match="all"`` requires every word, each in any field.
    Words the analyzer drops (stop words) are ignored; a query with no words left returns ``[]``.
    """

    name: str  # stable id used in reports: "whoosh-standard", "tantivy", "lucene-arabic", ...
    supports_phrase: bool

    def describe(self) -> str:
        """One line naming engine, version, analyzer and scoring, for report headers."""
        ...

    def unavailable(self) -> str | None:
        """None when usable, else why it is skipped and how to fix it (never raises)."""
        ...

    def build(self, docs: Iterable[Doc], workdir: Path, procs: int = 1) -> BuildStats:
        """Index `docs` into the empty (or missing) `workdir` with `procs` workers, then open it."""
        ...

    def open(self, workdir: Path) -> None:
        """Open an index that `build` wrote earlier (possibly in another process)."""
        ...

    def search(self, query: str, k: int = 10, match: Match = "any") -> list[str]:
        """Ids of the top `k` documents for a keyword query, best first."""
        ...

    def count(self, query: str, match: Match = "any") -> int:
        """How many documents match the query (not part of any timing)."""
        ...

    def phrase(self, words: str, k: int = 10) -> list[str]:
        """Ids of the top `k` documents containing `words` as an exact phrase (title or body)."""
        ...

    def close(self) -> None:
        """Release the index (and files); the peer can `build` or `open` again afterwards."""
        ...

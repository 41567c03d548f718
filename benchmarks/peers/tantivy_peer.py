"""Peers ``tantivy`` and ``tantivy-arabic``: tantivy-py (Rust, BM25) in two analyzer flavours.

Schema: ``id`` (raw tokenizer, stored), ``title`` and ``body`` (stored, positions indexed).
Queries: `Index.parse_query` over title and body with ``field_boosts={"title": 2.0}``; the score is
the sum of per-field BM25 scores (k1=1.2, b=0.75, tantivy's fixed values), title ones doubled.
``match="all"`` sets ``conjunction_by_default``. Writer: a 256 MB heap shared by
``num_threads=procs``.

Flavours:

* ``default``: tantivy's ``default`` tokenizer (simple tokenizer, remove_long(40), lowercase): what
  a user writes by hand. The simple tokenizer keeps harakat inside words: ``يُعَدّ`` is not ``يعد``.
* ``arabic``: simple tokenizer, remove_long(40), lowercase, Lucene's Arabic stop list
  (data/arabic_stopwords.txt, via `Filter.custom_stopword`: tantivy has no built-in Arabic list),
  then `Filter.stemmer("arabic")` (Snowball Arabic, which also strips harakat and tatweel and folds
  alef forms). Stop words run before stemming because the list holds surface forms, as in Lucene.

Custom analyzers are not stored in the index: `open` registers the Arabic one again, otherwise
tantivy fails with "The tokenizer ... for the field ... is unknown".
"""

from __future__ import annotations

import importlib.util
import time
from collections.abc import Iterable
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from benchmarks.peers._common import (
    TITLE_BOOST,
    BuildStats,
    Doc,
    Match,
    PeerError,
    arabic_stopwords,
    dir_bytes,
    keywords,
    prepare_workdir,
)

if TYPE_CHECKING:
    from tantivy import Index, Query, Searcher, TextAnalyzer

Flavour = Literal["default", "arabic"]

HEAP_BYTES = 256_000_000  # whole writer, split between its threads
ARABIC_TOKENIZER = "peer_arabic"  # our name for the registered analyzer; any unused name works
FIELDS = ["title", "body"]


def arabic_analyzer() -> TextAnalyzer:
    """The ``tantivy-arabic`` chain: simple, remove_long, lowercase, Lucene stop words, Snowball."""
    from tantivy import Filter, TextAnalyzerBuilder, Tokenizer

    return (
        TextAnalyzerBuilder(Tokenizer.simple())
        .filter(Filter.remove_long(40))
        .filter(Filter.lowercase())
        .filter(Filter.custom_stopword(list(arabic_stopwords())))
        # "arabic", not "ar": tantivy-py rejects ISO codes with "Unsupported language".
        .filter(Filter.stemmer("arabic"))
        .build()
    )


class TantivyPeer:
    """tantivy-py with either the default tokenizer or an Arabic Snowball analyzer."""

    supports_phrase = True

    def __init__(self, flavour: Flavour = "default") -> None:
        if flavour not in ("default", "arabic"):
            raise PeerError(f"unknown tantivy flavour {flavour!r}: use 'default' or 'arabic'")
        self.flavour: Flavour = flavour
        self.name = "tantivy" if flavour == "default" else "tantivy-arabic"
        self._tokenizer = "default" if flavour == "default" else ARABIC_TOKENIZER
        self._index: Index | None = None
        self._searcher: Searcher | None = None

    def describe(self) -> str:
        """Engine, version and settings in one line."""
        installed = version("tantivy") if self.unavailable() is None else "not installed"
        analyzer = (
            "default tokenizer"
            if self.flavour == "default"
            else "simple+lowercase+Lucene Arabic stop words+Snowball arabic"
        )
        return f"tantivy-py {installed}, {analyzer}, BM25 per field, title boost {TITLE_BOOST:g}"

    def unavailable(self) -> str | None:
        """Why this peer cannot run, or None."""
        if importlib.util.find_spec("tantivy") is None:
            return "tantivy not installed: pip install -e '.[benchmarks]'"
        return None

    def _register(self, index: Index) -> None:
        if self.flavour == "arabic":
            index.register_tokenizer(ARABIC_TOKENIZER, arabic_analyzer())

    def build(self, docs: Iterable[Doc], workdir: Path, procs: int = 1) -> BuildStats:
        """Index `docs` into `workdir` with `procs` writer threads and open the result."""
        from tantivy import Document, Index, SchemaBuilder

        self.close()
        workdir = prepare_workdir(workdir)
        builder = SchemaBuilder()
        builder.add_text_field("id", stored=True, tokenizer_name="raw")
        for field in FIELDS:
            builder.add_text_field(field, stored=True, tokenizer_name=self._tokenizer)
        start = time.perf_counter()
        index = Index(builder.build(), path=str(workdir))
        self._register(index)
        writer = index.writer(heap_size=HEAP_BYTES, num_threads=procs)
        try:
            for doc in docs:
                writer.add_document(
                    Document(id=doc["id"], title=doc["title"] or "", body=doc["body"] or "")
                )
        except BaseException:
            writer.rollback()
            raise
        writer.commit()
        # Count merges in the build time: the index is not in its final shape until they finish.
        writer.wait_merging_threads()
        seconds = time.perf_counter() - start
        start = time.perf_counter()
        self.open(workdir)
        open_seconds = time.perf_counter() - start
        assert self._searcher is not None
        return BuildStats(
            seconds=seconds,
            docs=self._searcher.num_docs,
            bytes_on_disk=dir_bytes(workdir),
            open_seconds=open_seconds,
        )

    def open(self, workdir: Path) -> None:
        """Open an existing index, re-registering the custom analyzer first."""
        from tantivy import Index

        self.close()
        index = Index.open(str(workdir))
        self._register(index)
        self._index, self._searcher = index, index.searcher()

    def _query(self, text: str, match: Match) -> Query | None:
        """Parse `text`, or None when the analyzer leaves no terms (stop words, punctuation)."""
        if self._index is None:
            raise PeerError(f"{self.name}: no index open; call build() or open() first")
        try:
            return self._index.parse_query(
                text,
                FIELDS,
                field_boosts={"title": TITLE_BOOST},
                conjunction_by_default=match == "all",
            )
        except ValueError as error:
            # Two or more words that are all stop words make tantivy's parser raise this instead of
            # returning its EmptyQuery (as it does for one): treat both as "no terms".
            if "Only excluding terms given" in str(error):
                return None
            raise

    def _ids(self, query: Query | None, k: int) -> list[str]:
        assert self._searcher is not None
        if query is None:
            return []
        # count=False: the other peers do not count all matches while ranking either.
        hits = self._searcher.search(query, k, count=False).hits
        return [self._searcher.doc(address)["id"][0] for _score, address in hits]

    def search(self, query: str, k: int = 10, match: Match = "any") -> list[str]:
        """Top `k` ids for a keyword query."""
        if not (words := keywords(query)):
            return []
        return self._ids(self._query(" ".join(words), match), k)

    def count(self, query: str, match: Match = "any") -> int:
        """Number of matching documents."""
        words = keywords(query)
        if not words or (parsed := self._query(" ".join(words), match)) is None:
            return 0
        assert self._searcher is not None
        result = self._searcher.search(parsed, 1, count=True)
        return result.count or 0  # type: ignore[attr-defined]  # real, but missing from 0.27's .pyi

    def phrase(self, words: str, k: int = 10) -> list[str]:
        """Top `k` ids containing `words` as a phrase in title or body."""
        if not (terms := keywords(words)):
            return []
        return self._ids(self._query('"' + " ".join(terms) + '"', "any"), k)

    def close(self) -> None:
        """Drop the searcher and index (tantivy frees them when unreferenced)."""
        self._index, self._searcher = None, None

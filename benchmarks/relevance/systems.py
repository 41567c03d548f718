"""The systems compared: Bahth in three query modes and the peer engines, with cached indexes.

A *system* is an engine plus how it is queried. The three Bahth systems share one index (the
engine ``bahth``); every peer is one engine queried with ``match="any"``, the bag-of-words OR
that BM25 baselines (Anserini, Elasticsearch ``match``) run by default.

Every system gets the same query string: the query with query-parser syntax removed
(``benchmarks.peers._common.keywords``), so no engine interprets a question's ``-`` or ``:``
as an operator. ``k`` results are asked for; a query an engine refuses (Bahth: only stop words)
counts as an empty result.

Indexes are built once per set and engine. With a cache directory they are kept under a key
made from the engine's ``cache_tag`` (what the index depends on: for Bahth the analysis and
schema versions, for a peer its engine version and settings) and a digest of the collection, so
a rerun rebuilds only what changed.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import statistics
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any, Protocol

from benchmarks.peers import Doc, Peer, get_peer
from benchmarks.peers._common import dir_bytes, keywords

BAHTH = "bahth"
BUILD_RECORD = "build.json"  # written last: a cache entry without it is incomplete


@dataclass(frozen=True)
class System:
    """One row of the results table."""

    name: str
    engine: str  # "bahth" or a peer name (benchmarks.peers.PEERS)
    options: dict[str, Any]  # Bahth: match and stemming; peers: match
    summary: str  # one line for the report


SYSTEMS: dict[str, System] = {
    s.name: s
    for s in (
        System(
            "bahth-default",
            BAHTH,
            {"match": "auto", "stemming": True},
            'Bahth, match="auto" (all words first, then partial matches), stemming on',
        ),
        System(
            "bahth-exact",
            BAHTH,
            {"match": "auto", "stemming": False},
            'Bahth, match="auto", stemming=False (normalized forms only)',
        ),
        System(
            "bahth-any",
            BAHTH,
            {"match": "any", "stemming": True},
            'Bahth, match="any" (plain OR ranking; diagnostic)',
        ),
        System(
            "whoosh-standard",
            "whoosh-standard",
            {"match": "any"},
            "whoosh StandardAnalyzer, BM25F, OR",
        ),
        System(
            "lucene-arabic",
            "lucene-arabic",
            {"match": "any"},
            "Lucene ArabicAnalyzer + BM25 (Anserini), OR",
        ),
        System(
            "tantivy-arabic",
            "tantivy-arabic",
            {"match": "any"},
            "tantivy, Snowball Arabic stemmer + Lucene stop words, BM25, OR",
        ),
        System("tantivy", "tantivy", {"match": "any"}, "tantivy default tokenizer, BM25, OR"),
    )
}
DEFAULT_SYSTEMS = (
    "bahth-default",
    "bahth-exact",
    "bahth-any",
    "whoosh-standard",
    "lucene-arabic",
    "tantivy-arabic",
)
BASELINE = "bahth-default"  # what every other system is tested against


class Engine(Protocol):
    """Builds, opens and searches one kind of index."""

    name: str
    uses_jvm: bool  # started in-process: build such engines after every forking one

    def unavailable(self) -> str | None: ...
    def describe(self) -> str: ...
    def cache_tag(self) -> str: ...
    def build(self, docs: Sequence[Doc], workdir: Path, procs: int) -> dict[str, Any]: ...
    def open(self, workdir: Path) -> None: ...
    def search(self, query: str, k: int, options: dict[str, Any]) -> list[str]: ...
    def close(self) -> None: ...


class BahthEngine:
    """Bahth through its public API: ``Indexer.add_articles`` and ``Searcher.search``."""

    name = BAHTH
    uses_jvm = False

    def __init__(self) -> None:
        self._searcher: Any = None
        self.refused = 0  # queries Bahth rejected (QueryError), counted as empty results

    def unavailable(self) -> str | None:
        try:
            import search  # noqa: F401
        except ImportError:
            return "Bahth is not installed in this environment: pip install -e ."
        return None

    def describe(self) -> str:
        from search.arabic import ANALYSIS_VERSION
        from search.engine import SCHEMA_VERSION

        return (
            f"Bahth {version('bahth')} (analysis {ANALYSIS_VERSION}, schema {SCHEMA_VERSION}), "
            f"whoosh-reloaded {version('whoosh-reloaded')}"
        )

    def cache_tag(self) -> str:
        # What an index depends on; ranking code changes need no rebuild.
        from search.arabic import ANALYSIS_VERSION
        from search.engine import SCHEMA_VERSION

        return f"bahth analysis={ANALYSIS_VERSION} schema={SCHEMA_VERSION}"

    def build(self, docs: Sequence[Doc], workdir: Path, procs: int) -> dict[str, Any]:
        from search import Article, Indexer

        articles = (
            Article(id=d["id"], title=d["title"], body=d["body"], date=d["date"]) for d in docs
        )
        report = Indexer(workdir / "index", procs=procs).add_articles(articles)
        if report.rejected or report.duplicates:
            raise RuntimeError(f"Bahth did not index every document: {report.summary()}")
        return {
            "seconds": report.seconds,
            "docs": report.added,
            "bytes_on_disk": dir_bytes(workdir / "index"),
        }

    def open(self, workdir: Path) -> None:
        from search import Searcher

        self.close()
        self._searcher = Searcher(workdir / "index")

    def search(self, query: str, k: int, options: dict[str, Any]) -> list[str]:
        from search import QueryError

        try:
            results = self._searcher.search(query, limit=k, **options)
        except QueryError:
            self.refused += 1
            return []
        return [hit.id for hit in results.hits]

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None


class PeerEngine:
    """A peer from ``benchmarks.peers`` (read-only use of its interface)."""

    def __init__(self, peer: Peer) -> None:
        self.peer = peer
        self.name = peer.name
        self.uses_jvm = peer.name.startswith("lucene")
        self.refused = 0

    def unavailable(self) -> str | None:
        return self.peer.unavailable()

    def describe(self) -> str:
        return self.peer.describe()

    def cache_tag(self) -> str:
        # describe() names the engine version and every setting that shapes the index.
        return f"{self.name} {self.peer.describe()}"

    def build(self, docs: Sequence[Doc], workdir: Path, procs: int) -> dict[str, Any]:
        stats = self.peer.build(iter(docs), workdir / "index", procs=procs)
        self.peer.close()
        return dict(stats)

    def open(self, workdir: Path) -> None:
        self.peer.open(workdir / "index")

    def search(self, query: str, k: int, options: dict[str, Any]) -> list[str]:
        return self.peer.search(query, k=k, match=options["match"])

    def close(self) -> None:
        self.peer.close()


def make_engine(name: str) -> Engine:
    """A fresh engine called ``name``."""
    return BahthEngine() if name == BAHTH else PeerEngine(get_peer(name))


def collection_digest(docs: Iterable[Doc]) -> str:
    """A digest of the documents (ids and text, in order): the collection part of a cache key."""
    digest = hashlib.sha256()
    for doc in docs:
        digest.update(json.dumps([doc["id"], doc["title"], doc["body"]]).encode("utf-8"))
    return digest.hexdigest()[:16]


@dataclass
class Built:
    """An index ready to open, and how it came to be."""

    workdir: Path
    stats: dict[str, Any]
    cached: bool


def ensure_index(
    engine: Engine, docs: Sequence[Doc], root: Path, set_name: str, digest: str, procs: int
) -> Built:
    """Reuse the index for (engine, collection) under ``root``, or build it there."""
    key = hashlib.sha256(f"{engine.cache_tag()}|{digest}".encode()).hexdigest()[:16]
    workdir = root / f"{set_name}-{engine.name}-{key}"
    record = workdir / BUILD_RECORD
    if record.is_file():
        if (problem := _unreadable(engine, workdir)) is None:
            return Built(workdir, json.loads(record.read_text(encoding="utf-8"))["stats"], True)
        # The key missed a change (Bahth once moved a class its index pickles by name without
        # bumping SCHEMA_VERSION): rebuild rather than fail at search time.
        print(f"[build] cached {workdir.name} unreadable, rebuilding: {problem}", file=sys.stderr)
    if workdir.exists():
        shutil.rmtree(workdir)  # an interrupted build of ours; peers need an empty directory
    workdir.mkdir(parents=True)
    started = time.perf_counter()
    stats = engine.build(docs, workdir, procs)
    stats["wall_seconds"] = time.perf_counter() - started
    record.write_text(
        json.dumps(
            {"engine": engine.name, "tag": engine.cache_tag(), "collection": digest, "stats": stats}
        ),
        encoding="utf-8",
    )
    return Built(workdir, stats, False)


def _unreadable(engine: Engine, workdir: Path) -> str | None:
    """Why the engine cannot open the index in ``workdir``, or None."""
    try:
        engine.open(workdir)
    except Exception as error:
        return f"{type(error).__name__}: {error}".splitlines()[0]
    finally:
        engine.close()
    return None


@dataclass
class Run:
    """What one system returned for every query of a set, and how long it took."""

    system: str
    ranked: dict[str, list[str]]  # query id → doc ids, best first
    query_ms: list[float] = field(default_factory=list)
    refused: int = 0

    @property
    def seconds(self) -> float:
        return sum(self.query_ms) / 1000

    @property
    def median_ms(self) -> float:
        return statistics.median(self.query_ms) if self.query_ms else 0.0


def plain_query(text: str) -> str:
    """The query every system gets: words only, query-parser syntax removed."""
    return " ".join(keywords(text))


def run_queries(
    engine: Engine, system: System, queries: dict[str, str], k: int, warmup: int
) -> Run:
    """Run every query once (after ``warmup`` untimed ones: Lucene's JIT needs them)."""
    texts = {qid: plain_query(text) for qid, text in queries.items()}
    for text in list(texts.values())[:warmup]:
        engine.search(text, k, system.options)
    refused_before = getattr(engine, "refused", 0)
    run = Run(system=system.name, ranked={})
    for qid, text in texts.items():
        started = time.perf_counter()
        run.ranked[qid] = engine.search(text, k, system.options) if text else []
        run.query_ms.append((time.perf_counter() - started) * 1000)
    run.refused = getattr(engine, "refused", 0) - refused_before
    return run

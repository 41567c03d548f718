"""The engines every benchmark runs: Bahth on each of its engines, and the peers.

* ``bahth-whoosh``, ``bahth-tantivy``: Bahth through its public API, ``Indexer(path,
  engine=..., workers=...)`` to build and ``Searcher(path)`` to search, which opens whatever
  engine the index was built with.
* ``whoosh-standard``, ``tantivy``, ``tantivy-arabic``, ``lucene-arabic``: the peer adapters of
  ``benchmarks.peers`` (see each module for its configuration).

All of them meet ``Engine``: build an index from a corpus file or from documents, open it,
search it, close it. An engine that cannot run here (a peer not installed, a Bahth engine this
checkout does not have) says why from ``unavailable()``; harnesses skip it with that reason.
Everything is imported lazily, so this module imports with the standard library alone.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, Protocol

from benchmarks.core.corpora import read_docs
from benchmarks.peers import Doc, Peer, PeerError
from benchmarks.peers._common import dir_bytes
from benchmarks.peers.lucene_peer import LucenePeer
from benchmarks.peers.tantivy_peer import TantivyPeer
from benchmarks.peers.whoosh_standard import WhooshStandardPeer

#: What an engine indexes: a JSON Lines corpus file (Bahth reads it with its own dump reader,
#: peers get its records parsed) or documents already in memory.
Source = Path | Iterable[Doc]

#: Query features a peer lacks, with the reason a report gives for "n/a".
PEER_UNSUPPORTED = {
    "prefix": "no prefix queries in the peer interface",
    "date": "peers do not index dates",
}


class Engine(Protocol):
    """One engine under test. An instance holds at most one open index."""

    name: str
    is_bahth: bool
    uses_jvm: bool  # runs a JVM in this process: fork nothing after it starts
    refused: int  # queries the engine rejected (Bahth: QueryError), answered as no results

    def unavailable(self) -> str | None:
        """None when usable, else why not and how to fix it (never raises)."""
        ...

    def describe(self) -> str:
        """One line naming engine, version, analysis and scoring, for reports."""
        ...

    def cache_tag(self) -> str:
        """What this engine's index depends on, for reusing an index built earlier."""
        ...

    def build(self, source: Source, index: Path, workers: int | None) -> dict[str, Any]:
        """Index ``source`` into the new directory ``index``; returns at least ``seconds``,
        ``docs`` (held afterwards) and ``bytes_on_disk``."""
        ...

    def unsupported(self, feature: str) -> str | None:
        """Why ``feature`` ("phrase", "prefix", "date") cannot be asked of this engine, or None."""
        ...

    def open(self, index: Path) -> None:
        """Open an index built earlier (possibly in another process) for searching."""
        ...

    def search(self, query: str, k: int, options: Mapping[str, Any]) -> list[str]:
        """Ids of the top ``k`` articles for ``query``, best first. ``options`` are keywords of
        ``Searcher.search`` (``match``, ``stemming``, ``since``, ``until``, ``sort``); peers
        take only ``match``, "any" or "all"."""
        ...

    def phrase(self, words: str, k: int) -> list[str]:
        """Ids of the top ``k`` articles holding ``words`` as an exact phrase."""
        ...

    def close(self) -> None:
        """Release the open index, if any."""
        ...


class BahthEngine:
    """Bahth through its public API, on one of its engines (``kind``: "whoosh" or "tantivy")."""

    is_bahth = True
    uses_jvm = False

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.name = f"bahth-{kind}"
        self._searcher: Any = None
        self.refused = 0

    def unavailable(self) -> str | None:
        return _bahth_unavailable(self.kind)

    def describe(self) -> str:
        from search.arabic import ANALYSIS_VERSION

        library = "whoosh-reloaded" if self.kind == "whoosh" else "tantivy"
        return (
            f"Bahth {version('bahth')} ({self.kind} engine, analysis {ANALYSIS_VERSION}), "
            f"{library} {_version(library)}"
        )

    def cache_tag(self) -> str:
        # Analysis decides the terms; a schema change makes the cached index fail to open
        # (IndexIncompatible), which the relevance cache takes as a reason to rebuild.
        from search.arabic import ANALYSIS_VERSION

        return f"{self.name} analysis={ANALYSIS_VERSION}"

    def build(self, source: Source, index: Path, workers: int | None) -> dict[str, Any]:
        from search import Article

        if isinstance(source, Path):
            return self._timed(index, workers, lambda indexer: indexer.add_files([source]))
        articles = (
            Article(id=d["id"], title=d["title"], body=d["body"], date=d["date"]) for d in source
        )
        return self._timed(index, workers, lambda indexer: indexer.add_articles(articles))

    def rebuild(self, source: Path, index: Path, workers: int | None) -> dict[str, Any]:
        """``Indexer.rebuild`` of the index at ``index`` from the corpus file ``source``."""
        return self._timed(index, workers, lambda indexer: indexer.rebuild([source]))

    def _timed(self, index: Path, workers: int | None, job: Callable[[Any], Any]) -> dict[str, Any]:
        """Run ``job`` on an ``Indexer`` of ``index``; its wall time and what it reported."""
        from search import Indexer

        indexer = Indexer(index, engine=self.kind, workers=workers)
        started = time.perf_counter()
        report = job(indexer)
        return {
            "seconds": time.perf_counter() - started,
            "docs": report.added + report.updated + report.unchanged,
            "read": report.read,
            "rejected": report.rejected,
            "duplicates": report.duplicates,
            "bytes_on_disk": dir_bytes(index),
            "summary": report.summary(),
        }

    def unsupported(self, feature: str) -> str | None:
        return None

    def open(self, index: Path) -> None:
        from search import Searcher

        self.close()
        self._searcher = Searcher(index)

    @property
    def searcher(self) -> Any:
        """The open ``search.Searcher``, for measurements beyond ``search`` (snippet time)."""
        return self._searcher

    def search(self, query: str, k: int, options: Mapping[str, Any]) -> list[str]:
        from search import QueryError

        try:
            results = self._searcher.search(query, limit=k, **options)
        except QueryError:
            self.refused += 1
            return []
        return [hit.id for hit in results.hits]

    def phrase(self, words: str, k: int) -> list[str]:
        return self.search(f'"{words}"', k, {})

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None


@cache
def _bahth_unavailable(kind: str) -> str | None:
    """Why Bahth cannot index with ``kind`` here: tried on an empty index in a scratch directory,
    so that whatever the API refuses (an engine this checkout lacks, its library missing) is
    the reason given."""
    try:
        from search import Indexer
    except ImportError as error:
        return f"Bahth does not import ({error}): pip install -e ."
    scratch = Path(tempfile.mkdtemp(prefix="bahth-probe-"))
    try:
        Indexer(scratch / "index", engine=kind).add_articles([])
    except Exception as error:  # any refusal is the reason to report, not a crash
        return f"{type(error).__name__}: {error}".splitlines()[0]
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return None


def _version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "(not installed)"


class PeerEngine:
    """A peer adapter of ``benchmarks.peers``: BM25 over title and body, no dates."""

    is_bahth = False
    refused = 0  # a peer strips query syntax, so it refuses nothing

    def __init__(self, peer: Peer) -> None:
        self.peer = peer
        self.name = peer.name
        self.uses_jvm = isinstance(peer, LucenePeer)

    def unavailable(self) -> str | None:
        return self.peer.unavailable()

    def describe(self) -> str:
        return self.peer.describe()

    def cache_tag(self) -> str:
        # describe() names the engine version and every setting that shapes the index.
        return f"{self.name} {self.peer.describe()}"

    def build(self, source: Source, index: Path, workers: int | None) -> dict[str, Any]:
        docs = read_docs(source) if isinstance(source, Path) else source
        stats = self.peer.build(iter(docs), index, procs=workers or 1)
        self.peer.close()
        return dict(stats)

    def unsupported(self, feature: str) -> str | None:
        if feature == "phrase" and not self.peer.supports_phrase:
            return "no phrase queries"
        return PEER_UNSUPPORTED.get(feature)

    def open(self, index: Path) -> None:
        self.peer.open(index)

    def search(self, query: str, k: int, options: Mapping[str, Any]) -> list[str]:
        if set(options) - {"match"} or options.get("match", "any") not in ("any", "all"):
            raise PeerError(f"{self.name} takes only match='any' or 'all', not {dict(options)}")
        return self.peer.search(query, k=k, match=options.get("match", "any"))

    def phrase(self, words: str, k: int) -> list[str]:
        return self.peer.phrase(words, k)

    def close(self) -> None:
        self.peer.close()


#: Every engine by name, as a factory: an engine holds an open index, so callers get fresh ones.
ENGINES: dict[str, Callable[[], Engine]] = {
    "bahth-whoosh": lambda: BahthEngine("whoosh"),
    "bahth-tantivy": lambda: BahthEngine("tantivy"),
    "bahth-xapian": lambda: BahthEngine("xapian"),
    "whoosh-standard": lambda: PeerEngine(WhooshStandardPeer()),
    "tantivy": lambda: PeerEngine(TantivyPeer(flavour="default")),
    "tantivy-arabic": lambda: PeerEngine(TantivyPeer(flavour="arabic")),
    "lucene-arabic": lambda: PeerEngine(LucenePeer()),
}
BAHTH_ENGINES = tuple(name for name in ENGINES if name.startswith("bahth-"))
PEERS = tuple(name for name in ENGINES if name not in BAHTH_ENGINES)


def make_engine(name: str) -> Engine:
    """A fresh engine called ``name`` (one of ``ENGINES``)."""
    try:
        return ENGINES[name]()
    except KeyError:
        raise ValueError(f"unknown engine {name!r}; known: {', '.join(ENGINES)}") from None


def make_peer(name: str) -> Peer:
    """The bare adapter of the peer called ``name`` (one of ``PEERS``), for calls only peers
    have, such as ``count``."""
    engine = make_engine(name)
    if not isinstance(engine, PeerEngine):
        raise ValueError(f"{name!r} is not a peer; peers: {', '.join(PEERS)}")
    return engine.peer

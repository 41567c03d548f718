"""The systems compared: Bahth's query modes and ablations per engine, the peers, cached indexes.

A *system* is an engine of ``benchmarks.core.engines`` plus how it is queried. The modes
of one Bahth engine share its index (``bahth-*`` on ``bahth-whoosh``, ``bahth-tantivy-*`` on
``bahth-tantivy``); every peer is one engine queried with ``match="any"``, the bag-of-words OR
that BM25 baselines (Anserini, Elasticsearch ``match``) run by default.

Every system gets the same query string: the query with query-parser syntax removed
(``benchmarks.peers._common.keywords``), so no engine interprets a question's ``-`` or ``:``
as an operator. ``k`` results are asked for; a query an engine refuses (Bahth: only stop words)
counts as an empty result.

Indexes are built once per set and engine. With a cache directory they are kept under a key
made from the engine's ``cache_tag`` (what the index depends on: for Bahth its engine and
analysis version, for a peer its engine version and settings) and a digest of the collection, so
a rerun rebuilds only what changed; a cached index that no longer opens (Bahth's schema changed)
is rebuilt too.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import shutil
import statistics
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.core.engines import Engine
from benchmarks.peers import Doc
from benchmarks.peers._common import keywords

BUILD_RECORD = "build.json"  # written last: a cache entry without it is incomplete


@dataclass(frozen=True)
class System:
    """One row of the results table."""

    name: str
    engine: str  # a name of benchmarks.core.engines.ENGINES
    options: dict[str, Any]  # Bahth: match and stemming; peers: match
    summary: str  # one line for the report


# Not a keyword of Searcher.search: the root fallback has no switch in the API (nor should a
# reader need one). ``run_queries`` takes it out of the options and turns the fallback off on
# the open Searcher for the system's queries (``root_fallback_off``).
ROOTS = "roots"

# Bahth's query modes, the same on each of its engines.
BAHTH_MODES: tuple[tuple[str, dict[str, Any], str], ...] = (
    (
        "default",
        {"match": "auto", "stemming": True},
        'match="auto" (all words first, then partial matches), stemming on',
    ),
    (
        "exact",
        {"match": "auto", "stemming": False},
        'match="auto", stemming=False (normalized forms only)',
    ),
    ("any", {"match": "any", "stemming": True}, 'match="any" (plain OR ranking; diagnostic)'),
    (
        "no-variants",
        {"match": "auto", "stemming": True, "variants": False},
        "the default without other spellings of names (search.spelling.variants; ablation)",
    ),
    (
        "no-roots",
        {"match": "auto", "stemming": True, ROOTS: False},
        "the default without the root fallback for words no article holds "
        "(search.spelling.families; ablation, switched off by the benchmark)",
    ),
)
# The default engine's systems keep the names they had before Bahth had a second engine.
BAHTH_PREFIXES = {
    "bahth-whoosh": "bahth",
    "bahth-tantivy": "bahth-tantivy",
    "bahth-xapian": "bahth-xapian",
}
PEER_SYSTEMS = (
    System(
        "whoosh-standard", "whoosh-standard", {"match": "any"}, "whoosh StandardAnalyzer, BM25F, OR"
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
SYSTEMS: dict[str, System] = {
    s.name: s
    for s in (
        *(
            System(f"{prefix}-{mode}", engine, options, f"Bahth ({engine} engine), {summary}")
            for engine, prefix in BAHTH_PREFIXES.items()
            for mode, options, summary in BAHTH_MODES
        ),
        *PEER_SYSTEMS,
    )
}
DEFAULT_SYSTEMS = (
    "bahth-default",
    "bahth-exact",
    "bahth-any",
    "bahth-no-variants",
    "bahth-no-roots",
    "bahth-tantivy-default",
    "bahth-tantivy-any",
    "bahth-tantivy-no-variants",
    "bahth-tantivy-no-roots",
    "whoosh-standard",
    "lucene-arabic",
    "tantivy-arabic",
)
BASELINE = "bahth-default"  # what every other system is tested against


def collection_digest(docs: Iterable[Doc]) -> str:
    """A digest of the documents (ids and text, in order): the collection part of a cache key."""
    digest = hashlib.sha256()
    for doc in docs:
        digest.update(json.dumps([doc["id"], doc["title"], doc["body"]]).encode("utf-8"))
    return digest.hexdigest()[:16]


@dataclass
class Built:
    """An index ready to open, and how it came to be."""

    index: Path
    stats: dict[str, Any]
    cached: bool


def ensure_index(
    engine: Engine, docs: Sequence[Doc], root: Path, set_name: str, digest: str, procs: int
) -> Built:
    """Reuse the index for (engine, collection) under ``root``, or build it there."""
    key = hashlib.sha256(f"{engine.cache_tag()}|{digest}".encode()).hexdigest()[:16]
    workdir = root / f"{set_name}-{engine.name}-{key}"
    index = workdir / "index"
    record = workdir / BUILD_RECORD
    if record.is_file():
        if (problem := _unreadable(engine, index)) is None:
            return Built(index, json.loads(record.read_text(encoding="utf-8"))["stats"], True)
        # The key missed a change (Bahth once moved a class its index pickles by name without
        # bumping SCHEMA_VERSION): rebuild rather than fail at search time.
        print(f"[build] cached {workdir.name} unreadable, rebuilding: {problem}", file=sys.stderr)
    if workdir.exists():
        shutil.rmtree(workdir)  # an interrupted build of ours; peers need an empty directory
    workdir.mkdir(parents=True)
    started = time.perf_counter()
    stats = engine.build(docs, index, procs)
    if stats.get("rejected") or stats.get("duplicates"):
        raise RuntimeError(f"{engine.name} did not index every document: {stats['summary']}")
    stats["wall_seconds"] = time.perf_counter() - started
    record.write_text(
        json.dumps(
            {"engine": engine.name, "tag": engine.cache_tag(), "collection": digest, "stats": stats}
        ),
        encoding="utf-8",
    )
    return Built(index, stats, False)


def _unreadable(engine: Engine, index: Path) -> str | None:
    """Why the engine cannot open ``index``, or None."""
    try:
        engine.open(index)
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


@contextlib.contextmanager
def root_fallback_off(engine: Engine) -> Iterator[None]:
    """The open Bahth index searched without its root fallback, for the ``no-roots`` ablation.

    ``Searcher`` hands its word families (``search.spelling.families.lazy``, kept as
    ``_family``) to the query compiler, which gives a word no article holds its root's stems
    only when it has them (``search.engine.compiling``); with none, every query compiles as it
    did before the fallback existed. Private state, set on purpose: the public API has no such
    switch. A Searcher without the attribute fails here rather than measure nothing."""
    searcher = getattr(engine, "searcher", None)
    if searcher is None or not hasattr(searcher, "_family"):
        raise RuntimeError(f"{engine.name}: no open Searcher with word families to turn off")
    held = searcher._family
    searcher._family = None
    try:
        yield
    finally:
        searcher._family = held


def run_queries(
    engine: Engine, system: System, queries: dict[str, str], k: int, warmup: int
) -> Run:
    """Run every query once (after ``warmup`` untimed ones: Lucene's JIT needs them)."""
    options = {key: value for key, value in system.options.items() if key != ROOTS}
    roots = system.options.get(ROOTS, True)
    with contextlib.nullcontext() if roots else root_fallback_off(engine):
        return _timed_run(engine, system.name, options, queries, k, warmup)


def _timed_run(
    engine: Engine,
    name: str,
    options: dict[str, Any],
    queries: dict[str, str],
    k: int,
    warmup: int,
) -> Run:
    texts = {qid: plain_query(text) for qid, text in queries.items()}
    for text in list(texts.values())[:warmup]:
        engine.search(text, k, options)
    refused_before = engine.refused
    run = Run(system=name, ranked={})
    for qid, text in texts.items():
        started = time.perf_counter()
        run.ranked[qid] = engine.search(text, k, options) if text else []
        run.query_ms.append((time.perf_counter() - started) * 1000)
    run.refused = engine.refused - refused_before
    return run

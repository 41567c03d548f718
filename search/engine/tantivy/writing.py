"""Creating tantivy indexes, and the writer: add and delete articles, commit or cancel.

tantivy makes a commit visible by renaming its ``meta.json`` into place; a process killed
before that leaves the last commit as it was, and the files it had written are collected by
the next writer. Its writer lock is an ``flock``, which the kernel drops when a process dies.

Merges: after each commit tantivy starts, in threads of its own, the merges its merge policy
(``LogMergePolicy``) asks for, and a merge makes its segment visible the same way, by renaming
a new ``meta.json`` with the commit's number. A merge whose writer is dropped runs on until it
ends (or its process does), then is dropped unused, its files collected by a later writer:
the index stays as committed. tantivy-py lets no one choose the policy or merge segments by
hand, so Bahth chooses when to wait (``waits_for``): a run waits for the merges that cost
little beside its own work; a merge that would rewrite much of the index (a level of eight
large segments, and what it completes) is left for ``optimize`` (``bahth optimize``), or for
the run that finds more than ``MAX_SEGMENTS`` segments, which waits for every merge. Measured
on 120,000 articles, 2 cores: the 1,000-article run that set off a merge of the whole index
took 9.4 s and 710 MB waiting for it, 6.0 s and 424 MB leaving it (3.9-4.3 s with no merge);
the runs after it, until ``optimize``, pay the same 2 s for the merge that tantivy starts
again at each commit and drops at the end of the process.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import tantivy

from ...article import Article
from ...errors import IndexIncompatible, IndexLocked
from ..contract import Failure
from ..core.feeding import Feeder
from .schema import document, schema

if TYPE_CHECKING:
    from ...stories import Stories

# tantivy splits the writer's memory between its threads and wants at least 15 MB each;
# beyond about 64 MB a thread, bigger segments gain little and cost memory.
HEAP_PER_THREAD = 64_000_000
META = "meta.json"

# tantivy's LogMergePolicy, with the defaults tantivy-py's writers have (tantivy 0.26,
# src/indexer/log_merge_policy.rs): segments smaller than MIN_LAYER_DOCS count as that size,
# sorted by size they fall into levels LEVEL_LOG_SIZE (log2) apart, and a level of at least
# MIN_SEGMENTS_IN_MERGE segments is merged into one.
MIN_LAYER_DOCS = 10_000
LEVEL_LOG_SIZE = 0.75
MIN_SEGMENTS_IN_MERGE = 8
MAX_DOCS_BEFORE_MERGE = 10_000_000
# A run waits for merges of at most this many documents, or MERGE_PER_ADDED times what it
# added (a first build waits for all its merges): about a second on 2 cores.
CHEAP_MERGE_DOCS = 25_000
MERGE_PER_ADDED = 4
# Past this many segments a run waits for every merge, however large: each segment costs
# every query a little, and the merges left must end some time when no one optimizes.
MAX_SEGMENTS = 24


@dataclass(frozen=True, slots=True)
class Segment:
    """One committed segment, as ``meta.json`` lists it: documents written, and live."""

    docs: int
    live: int


def segments(directory: Path) -> list[Segment]:
    """The segments of the last commit (none before the first)."""
    try:
        meta = json.loads((directory / META).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    found = []
    for entry in meta["segments"]:
        deleted = (entry.get("deletes") or {}).get("num_deleted_docs", 0)
        found.append(Segment(entry["max_doc"], entry["max_doc"] - deleted))
    return found


def planned_merges(committed: list[Segment]) -> list[list[Segment]]:
    """The merges tantivy's merge policy starts on these committed segments (each a list of
    the segments merged into one), as ``consider_merge_options`` and ``LogMergePolicy``
    compute them.

    >>> small, large = Segment(1_000, 1_000), Segment(17_000, 17_000)
    >>> planned_merges([large] * 4 + [small] * 7)
    []
    >>> [len(merge) for merge in planned_merges([large] * 4 + [small] * 8)]
    [8]
    >>> [len(merge) for merge in planned_merges([large] * 8 + [small] * 8)]
    [8, 8]
    """
    if len(committed) == 1 and committed[0].docs == committed[0].live:
        return []
    levels: list[list[Segment]] = []
    top = math.inf
    for segment in sorted(committed, key=lambda s: s.docs, reverse=True):
        if segment.live > MAX_DOCS_BEFORE_MERGE:
            continue
        size = math.log2(max(MIN_LAYER_DOCS, segment.live))
        if size < top - LEVEL_LOG_SIZE or not levels:
            top = size
            levels.append([])
        levels[-1].append(segment)
    return [level for level in levels if len(level) >= MIN_SEGMENTS_IN_MERGE]


def merged_docs(committed: list[Segment]) -> int:
    """The documents tantivy's merges rewrite before its policy asks for no more, starting
    from these committed segments: a merge's segment may complete a level of larger ones,
    whose merge ``wait_merging_threads`` waits for too.

    >>> merged_docs([Segment(17_000, 17_000)] * 7 + [Segment(1_000, 1_000)] * 7)
    0
    >>> merged_docs([Segment(17_000, 17_000)] * 4 + [Segment(1_000, 1_000)] * 8)
    8000
    >>> merged_docs([Segment(17_000, 17_000)] * 7 + [Segment(3_000, 3_000)] * 8)  # 24k, 143k
    167000
    """
    total = 0
    current = list(committed)
    while planned := planned_merges(current):
        for merge in planned:
            total += sum(s.docs for s in merge)
            for segment in merge:
                current.remove(segment)
            live = sum(s.live for s in merge)
            current.append(Segment(live, live))
    return total


def waits_for(committed: list[Segment], added: int) -> bool:
    """Whether a run that added ``added`` documents waits for the merges its commit started
    on ``committed``: when they are cheap beside its work, or when segments have piled up."""
    merging = merged_docs(committed)
    if not merging:
        return False
    cheap = max(CHEAP_MERGE_DOCS, MERGE_PER_ADDED * added)
    return merging <= cheap or len(committed) > MAX_SEGMENTS


def create(directory: Path) -> None:
    """Create an empty index in ``directory``."""
    tantivy.Index(schema(), path=str(directory))


def committed(directory: Path) -> int:
    """The opstamp of the last commit (tantivy's own number; it only grows); -1 if none."""
    try:
        return int(json.loads((directory / META).read_text(encoding="utf-8"))["opstamp"])
    except FileNotFoundError:
        return -1


def counted(found: tantivy.SearchResult) -> int:
    """The count of a search made with ``count=True`` (tantivy-py's stub leaves it out)."""
    return int(cast(Any, found).count)


def open_index(directory: Path) -> tantivy.Index:
    """Open the tantivy index in ``directory``."""
    try:
        return tantivy.Index.open(str(directory))
    except ValueError as error:
        raise IndexIncompatible(
            f"{directory} is not an index this version of Bahth can read ({error})",
            "Rebuild it with: bahth rebuild DUMP...",
        ) from error


class TantivyWriter:
    """Adds and deletes articles in one tantivy transaction: ``commit`` or ``cancel``.

    Bahth's analysis is Python and tantivy's indexing is not: with ``workers`` > 1, articles
    are analyzed in that many processes (``core.feeding``) while tantivy indexes in that many
    threads. Documents reach the writer in the order they were added: a delete waits for
    every article added before it. An article that cannot be analysed or stored is left out
    and reported by ``failures``.
    """

    def __init__(self, directory: Path, workers: int, stories: Stories) -> None:
        self._directory = directory
        self._index = open_index(directory)
        self._writer: tantivy.IndexWriter | None
        try:
            self._writer = self._index.writer(
                heap_size=HEAP_PER_THREAD * workers, num_threads=workers
            )
        except ValueError as error:
            if "lock" in str(error).lower():
                raise IndexLocked(f"{directory} is locked by another writer") from error
            raise
        # The committed articles, to tell what a delete removes: tantivy only stamps it.
        self._committed = self._index.searcher()
        self._deleted: set[str] = set()
        self._added = 0  # documents given to tantivy: what its merges are weighed against
        self._feeder = Feeder(workers, stories, document, self._put)

    def add(self, article: Article, content_hash: str) -> None:
        self._feeder.add(article, content_hash)

    def _put(self, doc: tantivy.Document) -> None:
        # Not the writer's bound method in the feeder: ``cancel`` drops the last reference
        # to the writer to release its lock.
        self._live.add_document(doc)
        self._added += 1

    def replace(self, article: Article, content_hash: str) -> None:
        # A delete applies to every document the writer took before it, committed or not.
        self._feeder.drain()
        self._live.delete_documents_by_term("id", article.id)
        self.add(article, content_hash)

    def delete(self, article_id: str) -> int:
        if article_id in self._deleted:
            return 0
        query = tantivy.Query.term_query(self._index.schema, "id", article_id, "basic")
        if not counted(self._committed.search(query, 1, count=True)):
            return 0
        self._feeder.drain()
        self._live.delete_documents_by_term("id", article_id)
        self._deleted.add(article_id)
        return 1

    def touched(self) -> set[str] | None:
        return self._feeder.words()

    def failures(self) -> list[Failure]:
        """The articles left out since the last call, once every article added is analysed."""
        return self._feeder.failures()

    def commit(self, prepare: Callable[[int], None]) -> None:
        self._feeder.drain()
        self._feeder.close()
        # Every commit takes at least one opstamp, so the next commit's is above the last.
        prepare(committed(self._directory) + 1)
        self._live.commit()
        self._merge(waits_for(segments(self._directory), self._added))

    def optimize(self, prepare: Callable[[int], None]) -> tuple[int, int]:
        """Run every merge tantivy's merge policy asks for on the committed segments, those
        a run left (``waits_for``) included, and wait for them, under a commit of no change;
        the segments before and after. Nothing to merge: nothing is committed."""
        before = len(segments(self._directory))
        if not planned_merges(segments(self._directory)):
            self.cancel()
            return before, before
        self._feeder.close()
        # tantivy numbers a commit after its operations, and a commit of none would take the
        # last one's number again (its side files would not come into force): one delete that
        # finds nothing (no article is dated before day 1, undated ones hold 0).
        self._live.delete_documents_by_term("day", -1)
        prepare(committed(self._directory) + 1)
        # A commit is when tantivy's policy chooses its merges; each merge then commits its
        # segment in place of its parts (under the same number), or is dropped.
        self._live.commit()
        self._merge(True)
        return before, len(segments(self._directory))

    def _merge(self, wait: bool) -> None:
        """Wait for the merges under way, or not; either way, drop the writer (its lock)."""
        if wait:
            self._live.wait_merging_threads()  # drops the writer when they end
        # Dropped: merges still running end unused (their files are collected by a later
        # writer) and the committed index stays as it is.
        self._writer = None

    @property
    def _live(self) -> tantivy.IndexWriter:
        if self._writer is None:
            raise RuntimeError("the writer has committed or was cancelled")
        return self._writer

    def cancel(self) -> None:
        self._feeder.close()
        if self._writer is None:  # committed already: there is nothing left to drop
            return
        try:
            self._writer.rollback()
            self._writer.garbage_collect_files()
        finally:
            # Dropped even when the disk refused the rollback: that ends its threads and
            # releases its lock, so that the same process can write again.
            self._writer = None

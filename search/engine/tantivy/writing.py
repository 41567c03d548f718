"""Creating tantivy indexes, and the writer: add and delete articles, commit or cancel.

tantivy makes a commit visible by renaming its ``meta.json`` into place; a process killed
before that leaves the last commit as it was, and the files it had written are collected by
the next writer. Its writer lock is an ``flock``, which the kernel drops when a process dies.
"""

from __future__ import annotations

import json
from collections.abc import Callable
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
        self._feeder = Feeder(workers, stories, document, self._put)

    def add(self, article: Article, content_hash: str) -> None:
        self._feeder.add(article, content_hash)

    def _put(self, doc: tantivy.Document) -> None:
        # Not the writer's bound method in the feeder: ``cancel`` drops the last reference
        # to the writer to release its lock.
        self._writer.add_document(doc)

    def replace(self, article: Article, content_hash: str) -> None:
        # A delete applies to every document the writer took before it, committed or not.
        self._feeder.drain()
        self._writer.delete_documents_by_term("id", article.id)
        self.add(article, content_hash)

    def delete(self, article_id: str) -> int:
        if article_id in self._deleted:
            return 0
        query = tantivy.Query.term_query(self._index.schema, "id", article_id, "basic")
        if not counted(self._committed.search(query, 1, count=True)):
            return 0
        self._feeder.drain()
        self._writer.delete_documents_by_term("id", article_id)
        self._deleted.add(article_id)
        return 1

    def failures(self) -> list[Failure]:
        """The articles left out since the last call, once every article added is analysed."""
        return self._feeder.failures()

    def commit(self, prepare: Callable[[int], None]) -> None:
        self._feeder.drain()
        self._feeder.close()
        # Every commit takes at least one opstamp, so the next commit's is above the last.
        prepare(committed(self._directory) + 1)
        self._writer.commit()
        # Merges run in background threads: wait for them, so that the run leaves its index
        # in as few segments as tantivy's merge policy makes (searches are faster).
        self._writer.wait_merging_threads()

    def cancel(self) -> None:
        self._feeder.close()
        try:
            self._writer.rollback()
            self._writer.garbage_collect_files()
        finally:
            # Dropped even when the disk refused the rollback: that ends its threads and
            # releases its lock, so that the same process can write again.
            del self._writer

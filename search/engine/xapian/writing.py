"""Creating Xapian indexes, and the writer: articles routed to their shards, one transaction
a shard, committed or cancelled together.

Each shard is written by a thread of its own: Xapian releases the GIL while it indexes, so N
shards index on N cores (2,000 articles: 5.4 s into one database, 2.5 s into two from two
threads, measured on 2 cores). A shard's changes are one Xapian transaction, atomic on its
own: a process killed before its commit leaves the shard as it was. The shards commit at the
end of the run, side by side, each atomically, not all at once: a run that dies during the
commits leaves some shards committed and others not, and running it again converges (articles
are written by id, and an unchanged one is skipped).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, cast

import xapian

from ...article import Article
from ...errors import ShardUnavailable
from ..cluster import Shard, shard_of, shards_of
from ..contract import Failure, Location
from ..core.feeding import Feeder
from .schema import ID_PREFIX, Entry, built, document, id_term
from .shards import open_reading, open_writing, unavailable

if TYPE_CHECKING:
    from ...stories import Stories

COMMIT_KEY = "bahth:commit"
"""The metadata holding a shard's last commit number, written in the same transaction."""
# Documents waiting for a shard's thread: enough to keep it busy, few enough to bound memory.
QUEUE_DOCUMENTS = 512


def create(location: Location) -> None:
    """Make every shard of ``location`` an empty database at commit 0, as the other engines
    number an index just created: a new index starts on empty shards (a server's shard that
    held articles, from an earlier index or a run that died before its first publish, is
    emptied)."""
    for shard in shards_of(location.directory, location.address):
        db = open_writing(shard)
        try:
            db.begin_transaction()
            for item in list(db.allterms(ID_PREFIX)):
                db.delete_document(item.term)
            db.set_metadata(COMMIT_KEY, "0")
            db.commit_transaction()
        finally:
            db.close()


def committed(location: Location) -> int:
    """The last commit's number: the highest a shard records (a run that died during its
    commits left the others lower); -1 before the first. A shard that does not answer is
    passed over, unless none does."""
    numbers = []
    failed: ShardUnavailable | None = None
    for shard in shards_of(location.directory, location.address):
        try:
            db = open_reading(shard)
        except ShardUnavailable as error:
            failed = error
            continue
        try:
            numbers.append(int(db.get_metadata(COMMIT_KEY) or -1))
        except xapian.NetworkError as error:
            failed = unavailable(shard, error)
        except xapian.Error as error:  # Generation reports it as a damaged commit record
            raise ValueError(f"the shard {shard.name}: {error}") from error
        finally:
            db.close()
    if not numbers and failed is not None:
        raise failed
    return max(numbers, default=-1)


class _ShardWriter(threading.Thread):
    """One shard's transaction, written in this thread in the order the changes came.

    The first error (a full disk, a server gone) is kept in ``error`` and the changes after
    it are dropped; the writer raises it at its next call."""

    def __init__(self, shard: Shard) -> None:
        super().__init__(name=f"xapian-{shard.name}", daemon=True)
        self.shard = shard
        self.error: BaseException | None = None
        self._db = open_writing(shard)
        self._changes: queue.Queue[tuple[str, object]] = queue.Queue(QUEUE_DOCUMENTS)
        self._db.begin_transaction()
        self.start()

    def put(self, entry: Entry) -> None:
        self._changes.put(("put", entry))

    def delete(self, article_id: str) -> None:
        self._changes.put(("delete", article_id))

    def finish(self, commit: int | None) -> None:
        """Commit with this number (None: cancel), then close."""
        self._changes.put(("commit" if commit is not None else "cancel", commit))

    def run(self) -> None:
        while True:
            kind, change = self._changes.get()
            try:
                if self.error is None or kind in ("commit", "cancel"):
                    self._apply(kind, change)
            except BaseException as error:  # kept for the writer's thread to raise
                self.error = self.error or error
            if kind in ("commit", "cancel"):
                return

    def _apply(self, kind: str, change: object) -> None:
        if kind == "put":
            entry = cast(Entry, change)
            self._db.replace_document(id_term(entry.article_id), built(entry))
        elif kind == "delete":
            self._db.delete_document(id_term(str(change)))
        elif kind == "commit" and self.error is None:
            try:
                self._db.set_metadata(COMMIT_KEY, str(change))
                self._commit()
            finally:
                self._db.close()
        else:
            # Closed inside its transaction, a database drops the transaction (outside one,
            # closing commits); closing also lets go of the lock, for the next writer.
            self._db.close()

    def _commit(self) -> None:
        try:
            self._db.commit_transaction()
        except xapian.Error:
            # A commit that failed (a full disk) ended the transaction but may hold its
            # changes still: in a new transaction, closing drops them instead of trying that
            # commit again, which, failing again, would keep the lock until the process ends.
            self._db.begin_transaction(False)
            raise


class XapianWriter:
    """Adds and deletes articles, each on its shard (``shards.shard_of``): ``commit`` or
    ``cancel``. Analysis runs in ``workers`` processes when more than one (``core.feeding``),
    the shards' indexing in a thread each."""

    def __init__(self, location: Location, workers: int, stories: Stories) -> None:
        self._location = location
        shards = shards_of(location.directory, location.address)
        # Opened first: a locked or unreachable shard fails the run before it starts.
        self._writers: list[_ShardWriter] = []
        self._committed: xapian.Database | None = None
        try:
            for shard in shards:
                self._writers.append(_ShardWriter(shard))
            # The committed articles, to tell what a delete removes.
            snapshot = xapian.Database()
            for shard in shards:
                snapshot.add_database(open_reading(shard))
            self._committed = snapshot
        except BaseException:
            self._finish(None)
            raise
        self._deleted: set[str] = set()
        self._feeder: Feeder[Entry] = Feeder(workers, stories, document, self._put)

    def _shard(self, article_id: str) -> _ShardWriter:
        writer = self._writers[shard_of(article_id, len(self._writers))]
        _raise_error_of([writer])
        return writer

    def _put(self, entry: Entry) -> None:
        self._shard(entry.article_id).put(entry)

    def add(self, article: Article, content_hash: str) -> None:
        self._feeder.add(article, content_hash)

    def replace(self, article: Article, content_hash: str) -> None:
        # Deleted first, so that a new version that fails leaves no old one behind.
        self._feeder.drain()
        self._shard(article.id).delete(article.id)
        self.add(article, content_hash)

    def delete(self, article_id: str) -> int:
        assert self._committed is not None
        if article_id in self._deleted or not self._committed.term_exists(id_term(article_id)):
            return 0
        self._feeder.drain()
        self._shard(article_id).delete(article_id)
        self._deleted.add(article_id)
        return 1

    def touched(self) -> set[str] | None:
        return self._feeder.words()

    def failures(self) -> list[Failure]:
        return self._feeder.failures()

    def commit(self, prepare: Callable[[int], None]) -> None:
        self._feeder.drain()
        self._feeder.close()
        _raise_error_of(self._writers)
        number = committed(self._location) + 1
        prepare(number)
        self._finish(number)
        _raise_error_of(self._writers)

    def cancel(self) -> None:
        self._feeder.close()
        self._finish(None)

    def optimize(self, prepare: Callable[[int], None]) -> tuple[int, int]:
        """Nothing to merge: a Xapian database is B-trees that each commit updates in place,
        without segments (``xapian-compact`` copies one into a smaller new database, offline).
        Commits nothing; no segments before or after."""
        self.cancel()
        return 0, 0

    def _finish(self, commit: int | None) -> None:
        for writer in self._writers:
            if writer.is_alive():
                writer.finish(commit)
        for writer in self._writers:
            writer.join()
        if self._committed is not None:
            self._committed.close()


def _raise_error_of(writers: list[_ShardWriter]) -> None:
    """Raise the first error a shard's thread kept, in the user's terms."""
    for writer in writers:
        if isinstance(writer.error, xapian.NetworkError):
            raise unavailable(writer.shard, writer.error, writing=True) from writer.error
        if writer.error is not None:
            raise writer.error

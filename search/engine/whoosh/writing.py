"""Creating and opening indexes, and the writer: add and delete articles, commit or cancel."""

from __future__ import annotations

import contextlib
import io
import os
import pickle
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from whoosh import index as whoosh_index
from whoosh.codec.base import Segment
from whoosh.codec.whoosh3 import W3Codec
from whoosh.filedb import compound
from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import BufferFile
from whoosh.reading import SegmentReader
from whoosh.writing import LockError

from ...article import Article
from ...errors import IndexIncompatible, IndexLocked
from ..contract import (
    TOUCHED_MOST,
    Failure,
    failure,
    unstorable,
)
from .blocks import BahthFieldWriter, BahthPostingsWriter
from .postings import TermPostings
from .processes import ProcessWriter
from .schema import Analysed, analysed, document, schema

if TYPE_CHECKING:
    from ...stories import Stories


def create_index(directory: Path) -> None:
    """Create an empty index in ``directory`` (which must exist)."""
    whoosh_index.create_in(str(directory), schema())


def committed(directory: Path) -> int:
    """The number of the last commit in ``directory``; -1 when there is none.

    A commit becomes visible, whole, when whoosh renames its table of contents
    (``_MAIN_<number>.toc``) into place; readers open the highest number.
    """
    try:
        return whoosh_index.TOC._latest_generation(FileStorage(str(directory)), INDEX_NAME)
    except FileNotFoundError:
        return -1


INDEX_NAME = "MAIN"  # whoosh's default, which create_index and open_index use


class MapReader(io.RawIOBase):
    """A read-only binary file over a buffer (a slice of a memory map), which it does not copy.

    What ``BytesIO`` offers a reader (``read``, ``readinto``, ``readline``, ``seek``, ``tell``,
    iteration) for the file interface of whoosh's segment files; see ``_UncopiedBufferFile``.
    """

    def __init__(self, buffer: Any) -> None:
        super().__init__()
        self._view = memoryview(buffer).cast("B")
        self._position = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readinto(self, target: Any) -> int:
        """Copy the next bytes into ``target``; the number copied, 0 at the end."""
        start = min(self._position, len(self._view))
        chunk = self._view[start : start + len(memoryview(target).cast("B"))]
        memoryview(target).cast("B")[: len(chunk)] = chunk
        self._position = max(start + len(chunk), self._position)
        return len(chunk)

    def read(self, size: int | None = -1) -> bytes:
        """The next ``size`` bytes (all that are left when ``size`` is None or negative)."""
        start = min(self._position, len(self._view))
        end = len(self._view) if size is None or size < 0 else min(start + size, len(self._view))
        self._position = max(end, self._position)  # past the end, it stays (as BytesIO)
        return bytes(self._view[start:end])

    def readall(self) -> bytes:
        return self.read()

    def readline(self, size: int | None = -1) -> bytes:
        """The bytes up to and including the next newline (or ``size`` of them)."""
        start = min(self._position, len(self._view))
        limit = len(self._view) if size is None or size < 0 else min(start + size, len(self._view))
        end = start
        step = 256
        while end < limit:
            found = bytes(self._view[end : min(end + step, limit)]).find(b"\n")
            if found >= 0:
                end += found + 1
                break
            end = min(end + step, limit)
        self._position = max(end, self._position)  # past the end, it stays (as BytesIO)
        return bytes(self._view[start:end])

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        """Move to ``offset`` from the start, the current position or the end, like BytesIO."""
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: len(self._view)}
        position = base[whence] + offset
        if position < 0:
            raise ValueError(f"negative seek position {position}")
        self._position = position
        return position

    def tell(self) -> int:
        return self._position

    def close(self) -> None:
        self._view.release()
        super().close()


class _UncopiedBufferFile(BufferFile):
    """whoosh's view of one file inside a memory-mapped segment, without copying it on open.

    whoosh's ``BufferFile`` wraps its slice of the map in a ``BytesIO``, which copies it: opening
    a reader copied every segment file, the whole index (80 MB and about a tenth of a second for
    5,000 articles), to read a few headers. Its file interface now reads the map in place.
    """

    def __init__(self, buf: Any, name: str | None = None, onclose: Any = None) -> None:
        self._buf = buf
        self._name = name
        self.file = MapReader(buf)
        self.onclose = onclose
        self.is_real = False
        self.is_closed = False


def open_index(directory: Path) -> whoosh_index.Index:
    """Open the whoosh index in ``directory`` with the schema from code."""
    # Compound segments (what Bahth writes) make their files through this module's name.
    compound.BufferFile = _UncopiedBufferFile
    try:
        return whoosh_index.open_dir(str(directory), schema=schema())
    # whoosh pickles classes (analyzers, codec) into its table of contents: an index written
    # by another version of Bahth may name classes this one does not have.
    except (
        whoosh_index.EmptyIndexError,
        whoosh_index.IndexVersionError,
        AttributeError,
        ImportError,
        pickle.UnpicklingError,
    ) as error:
        raise IndexIncompatible(
            f"{directory} is not an index this version of Bahth can read ({error})",
            "Rebuild it with: bahth rebuild DUMP...",
        ) from error


class BahthCodec(W3Codec):
    """whoosh's codec, taking a term's postings at once and sparing small blocks zlib
    (``blocks``).

    It keeps whoosh's per-block length statistics: ranking skips whole posting blocks by the
    best score a block can give, and without the shortest field length of a block that bound
    is loose enough that almost nothing is skipped (common one-word queries on 8,000
    SaudiNewsNet articles: p50 37.6 -> 24.1 ms with them; indexing time unchanged within
    noise, 87.1 and 84.9 s). whoosh pickles the codec into each segment, so it keeps this name
    and module.
    """

    def field_writer(self, storage: object, segment: object) -> BahthFieldWriter:
        return BahthFieldWriter(self, storage, segment)

    def postings_writer(self, dbfile: object, byteids: bool = False) -> BahthPostingsWriter:
        return BahthPostingsWriter(
            dbfile,
            blocklimit=self._blocklimit,
            byteids=byteids,
            compression=self._compression,
            inlinelimit=self._inlinelimit,
        )


class _BeforeVisible:
    """whoosh's commit with one more step, ``before_visible(segments)``: the new segments are
    complete on disk and the table of contents that makes them visible is not written yet."""

    before_visible: Callable[[list[Segment]], None] | None = None

    def _commit_toc(self, segments: list[Segment]) -> None:
        if self.before_visible is not None:
            self.before_visible(segments)
        super()._commit_toc(segments)  # type: ignore[misc]


class _SegmentWriter(_BeforeVisible, TermPostings):
    pass


class _MpWriter(_BeforeVisible, ProcessWriter):
    pass


class IndexWriter:
    """Adds and deletes articles in one whoosh transaction: ``commit`` or ``cancel``.

    Each article is analysed here, once. ``procs`` > 1 writes in that many processes (whoosh's
    multiprocess writer, always with ``multisegment`` to avoid its known merge bug; see
    ``processes``); ``limitmb`` is the memory each may use for buffered postings before
    spilling to disk. An article that cannot be analysed or stored is left out and reported by
    ``failures``.
    """

    def __init__(
        self, directory: Path, stories: Stories, *, procs: int = 1, limitmb: int = 256
    ) -> None:
        # Imported by a writer only: stories need numpy, which a search need not load.
        from ...story_signatures import signature

        self._directory = directory
        self._stories = stories
        self._signature = signature
        self._words: set[str] | None = set()  # ``touched``
        self._before = set(os.listdir(directory))  # what cancel must leave, and only that
        self._commit_before = committed(directory)
        self._index = open_index(directory)
        options: dict[str, Any] = {"limitmb": limitmb, "codec": BahthCodec()}
        self._processes = procs > 1
        try:
            if procs > 1:
                self._writer = _MpWriter(self._index, procs=procs, **options)
            else:
                self._writer = _SegmentWriter(self._index, **options)
        except LockError as error:
            raise IndexLocked(f"{directory} is locked by another writer") from error
        self._committed_segments = {s.segment_id() for s in self._writer.segments}
        # id → content hash of its last version; None when that version was left out (then
        # no version of it is kept)
        self._replacing: dict[str, str | None] = {}
        self._failures: list[Failure] = []

    def add(self, article: Article, content_hash: str) -> None:
        """Add ``article``; the caller has deleted any older version first."""
        self._add(article, content_hash)

    def _add(self, article: Article, content_hash: str) -> bool:
        """``add``; False when the article was left out (a ``Failure``)."""
        problem = unstorable(article)  # whoosh would fail on it half way through a document
        if problem is not None:
            self._failed(Failure(article.id, content_hash, article.origin, problem))
            return False
        try:
            # Analysed here, once: the body's words make its signature, every text's the
            # vocabulary's ``touched``, and whoosh's writers take the terms in the document.
            texts = analysed(article)
            signature = self._signature(texts["body"][1])
            self._touch(texts)
            # With writing processes, they compress the body: this process feeds them all.
            fields = document(article, content_hash, texts, not self._processes)
        except Exception as error:  # one article's problem, whatever it is: its reject
            self._failed(failure(article, content_hash, "could not be analysed or stored", error))
            return False
        fields["story"] = str(self._stories.assign(article.id, signature))
        self._writer.add_document(**fields)
        return True

    def replace(self, article: Article, content_hash: str) -> None:
        """Add ``article`` in place of every other version of it: the committed one and those
        added earlier in this transaction (the last version passed here is the one kept)."""
        self.delete(article.id)
        self._replacing[article.id] = content_hash if self._add(article, content_hash) else None

    def touched(self) -> set[str] | None:
        return self._words

    def _touch(self, texts: Analysed) -> None:
        if self._words is None:
            return
        for _, norms in texts.values():
            self._words.update(norms)
        if len(self._words) > TOUCHED_MOST:
            self._words = None

    def failures(self) -> list[Failure]:
        """The articles left out since the last call."""
        found, self._failures = self._failures, []
        return found

    def _failed(self, found: Failure) -> None:
        self._failures.append(found)
        if self._replacing.get(found.article_id) == found.content_hash:
            self._replacing[found.article_id] = None  # its last version is left out: keep none

    def delete(self, article_id: str) -> int:
        """Delete the committed article with this id; returns how many were deleted (0 or 1)."""
        return self._writer.delete_by_term("id", article_id)

    def commit(self, prepare: Callable[[int], None] | None = None) -> int:
        """Make every change of the transaction visible at once; returns the commit's number.

        ``prepare(number)`` runs when the changes are on disk but not yet visible: whatever
        it writes under that number becomes part of the commit, for readers that look it up
        by ``committed(directory)``. If it raises, nothing is committed.
        """
        number: int = self._writer.generation

        def before_visible(segments: list[Segment]) -> None:
            if isinstance(self._writer, _MpWriter):
                self._writer.check_tasks()
            self._drop_replaced(segments)
            if prepare is not None:
                prepare(number)

        self._writer.before_visible = before_visible
        self._writer.commit()
        return number

    def optimize(self, prepare: Callable[[int], None] | None = None) -> tuple[int, int]:
        """Merge every segment into one (whoosh's ``optimize``; a run's commit merges small
        ones only, ``MERGE_SMALL``), dropping deleted documents, as one commit (``prepare`` as
        for ``commit``), or none when there is one segment without deletions. The segments
        before and after."""
        found = list(self._writer.segments)
        before = len(found)
        if before <= 1 and not any(segment.has_deletions() for segment in found):
            self.cancel()
            return before, before
        self._writer.optimize = True  # read by whoosh's commit, which merges every segment
        self.commit(prepare)
        index = open_index(self._directory)
        try:
            return before, len(index._segments())
        finally:
            index.close()

    def cancel(self) -> None:
        """Drop every change of the transaction, and the files it had begun to write."""
        try:
            self._writer.cancel()
        finally:
            # whoosh releases its lock last, after closing its files: when closing fails (a
            # full disk), the lock stayed held by this process until garbage collection.
            lock = getattr(self._writer, "writelock", None)
            if lock is not None:
                with contextlib.suppress(Exception):
                    lock.release()
            self._remove_debris()

    def _remove_debris(self) -> None:
        # whoosh leaves the segment files of a cancelled writer (empty or partial) and, when its
        # analyzing processes are ended, their temporary directories. Nothing refers to them;
        # they would only take space. Once a commit is visible, nothing is debris.
        if committed(self._directory) != self._commit_before:
            return
        for name in set(os.listdir(self._directory)) - self._before:
            path = self._directory / name
            if name.startswith(f"{INDEX_NAME}_") and name != f"{INDEX_NAME}_WRITELOCK":
                path.unlink(missing_ok=True)
            elif name.endswith(".tmp") and path.is_dir():
                shutil.rmtree(path, ignore_errors=True)

    def _drop_replaced(self, segments: list[Segment]) -> None:
        # whoosh deletes by term in committed segments only: the versions of an article that
        # ``replace`` superseded are still in the new segments, complete now and not yet
        # visible, where they are marked deleted (whoosh keeps segment deletions in the table
        # of contents, so they become visible with the rest of the commit). The new segments
        # hold only what this transaction added: the committed versions were deleted before
        # whoosh merged any old segment into them.
        if not self._replacing:
            return
        kept: set[str] = set()
        for segment in segments:
            if segment.segment_id() in self._committed_segments:
                continue
            reader = SegmentReader(self._writer.storage, self._writer.schema, segment)
            try:
                hashes = reader.column_reader("hash")
                for article_id, content_hash in self._replacing.items():
                    if ("id", article_id) not in reader:
                        continue
                    for docnum in list(reader.postings("id", article_id).all_ids()):
                        last = content_hash is not None and hashes[docnum] == content_hash
                        if article_id in kept or not last:
                            segment.delete_document(docnum)
                        else:
                            kept.add(article_id)
            finally:
                reader.close()
        expected = {i for i, content_hash in self._replacing.items() if content_hash is not None}
        if kept != expected:
            lost = sorted(expected - kept)[:5]
            raise RuntimeError(f"the last versions of {lost} are missing from the new segments")

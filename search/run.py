"""One indexing pass into one generation (``Run``): update by id, duplicates, counting.

Articles wait in batches of ``HASH_BATCH`` so that their stored versions are looked up in one
call; an id seen in the run is kept as an 8-byte digest with its version, so that duplicate
detection does not hold a dump's ids as strings. A dry run counts the same and writes nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import layout
from .article import Article, split_origin
from .engine import Engine, EngineWriter
from .engine.contract import Failure, unstorable
from .engine.contract import version as content_version
from .ingest import Reject
from .report import IndexReport
from .stories import Stories

HASH_BATCH = 1000


def _id_digest(article_id: str) -> bytes:
    # Ids seen in this run are remembered as 8-byte digests: duplicate detection must not hold
    # a whole dump's ids as strings.
    return hashlib.blake2b(article_id.encode("utf-8", "surrogatepass"), digest_size=8).digest()


class Run:
    """One indexing pass into one generation: one writer, duplicate handling, counting.

    A dry run (``dry``) counts the same against the generation, if any, and writes nothing.
    """

    def __init__(
        self,
        engine: Engine,
        generation: Path | None,
        report: IndexReport,
        workers: int,
        dry: bool = False,
    ) -> None:
        self.engine = engine
        self.generation = generation
        self.report = report
        self.workers = workers
        self.dry = dry
        # id digest → version of the last record with that id. The version costs about 50
        # bytes an id more than a set of ids would; it makes the commonest duplicate, the
        # same record again, free: no second analysis, nothing to set aside at commit.
        self.seen: dict[bytes, int] = {}
        # The index as it was before the run (a dry run of a new index has none).
        self.searcher = engine.open_reader(generation) if generation else None
        self._searcher_open = self.searcher is not None
        self._empty = self.searcher is None or self.searcher.doc_count() == 0
        self._writer: EngineWriter | None = None
        # Articles wait here so that their stored hashes are looked up in one call a batch
        # (tantivy: one query for a thousand ids instead of a thousand queries); memory holds
        # one batch, whatever the size of the index.
        self._batch: list[Article] = []
        self._stored: dict[str, int] = {}
        self._stories: Stories | None = None

    @property
    def stories(self) -> Stories:
        # Read on the first change: an unchanged re-index loads no signatures.
        if self._stories is None:
            assert self.generation is not None, "a dry run reads no stories"
            self._stories = layout.read_stories(self.generation)
        return self._stories

    @property
    def writer(self) -> EngineWriter:
        # Opened on the first change: re-indexing an unchanged dump starts no writer processes
        # and commits nothing.
        if self._writer is None:
            if self.dry:
                self._writer = _NoWriter()
            else:
                assert self.generation is not None, "a run writes into a generation"
                self._writer = self.engine.open_writer(self.generation, self.workers, self.stories)
        return self._writer

    def _stored_version(self, article_id: str) -> int | None:
        return self._stored.get(article_id)

    def add(self, article: Article) -> list[Reject]:
        """Take ``article`` into the run (indexed with its batch); its reject instead when no
        engine can store it (then it is counted nowhere else, and the index keeps the version
        it has)."""
        reason = unstorable(article)
        if reason is not None:
            return [_engine_reject(article.id, article.origin, reason)]
        self._batch.append(article)
        if len(self._batch) >= HASH_BATCH:
            self.flush()
        return []

    def settle(self) -> list[Reject]:
        """Index the articles waiting in the batch, and wait for the engine to have analysed
        them all; the rejects of those it could not take (``EngineWriter.failures``), which
        count as rejected instead of added, updated or duplicates."""
        self.flush()
        if self._writer is None:
            return []
        return [self._left_out(found) for found in self._writer.failures()]

    def _left_out(self, found: Failure) -> Reject:
        """Count an article the engine left out as rejected; its reject."""
        reason = found.reason
        version = content_version(found.content_hash)
        if self.seen.get(_id_digest(found.article_id)) != version:
            self.report.duplicates -= 1  # a later record of its id took its place
        else:  # its id's last version: its id is in the index no more
            stored = self._stored_versions([found.article_id]).get(found.article_id)
            outcome = _outcome(stored, version)
            setattr(self.report, outcome, getattr(self.report, outcome) - 1)
            self.stories.remove(found.article_id)
            if stored is not None:
                reason += " (the version in the index is removed: it is out of date)"
        return _engine_reject(found.article_id, found.origin, reason)

    def _stored_versions(self, article_ids: list[str]) -> dict[str, int]:
        if self.searcher is None or self._empty:
            return {}
        return self.searcher.versions(article_ids)

    def flush(self) -> None:
        """Index the articles waiting in the batch."""
        if self.searcher is not None and not self._empty:  # a new index: nothing to look up
            self._stored = self.searcher.versions([a.id for a in self._batch])
        for article in self._batch:
            self._add(article)
        self._batch = []
        self._stored = {}

    def _add(self, article: Article) -> None:
        content_hash = article.content_hash()
        digest = _id_digest(article.id)
        version = content_version(content_hash)
        previous = self.seen.get(digest)
        self.seen[digest] = version
        if previous is not None:
            self._add_again(article, content_hash, version, previous)
            return
        stored = self._stored_version(article.id)
        if stored == version:
            self.report.unchanged += 1
        elif stored is None:
            self.writer.add(article, content_hash)
            self.report.added += 1
        else:
            self.writer.delete(article.id)
            self.writer.add(article, content_hash)
            self.report.updated += 1

    def _add_again(self, article: Article, content_hash: str, version: int, previous: int) -> None:
        # A later record of an id this run has seen: its version takes the previous one's
        # place, in the index and in the report (an id counts as added, updated or unchanged
        # by its last version; its other records count as duplicates).
        self.report.duplicates += 1
        if version == previous:
            return
        stored_version = self._stored_version(article.id)
        before, after = _outcome(stored_version, previous), _outcome(stored_version, version)
        setattr(self.report, before, getattr(self.report, before) - 1)
        setattr(self.report, after, getattr(self.report, after) + 1)
        # Written even when it is the stored version: the committed article was deleted when
        # a version in between was written. An earlier version may be in the writer,
        # uncommitted: ``replace`` drops it too.
        self.writer.replace(article, content_hash)

    def missing(self) -> list[str]:
        """The ids of the index that this run has not read (for ``delete_missing``)."""
        if self.searcher is None:
            return []
        return [i for i in self.searcher.ids() if _id_digest(i) not in self.seen]

    def commit(self, meta: dict[str, Any], *, delete_missing: bool) -> None:
        """Commit the run with ``meta`` as its metadata, in one atomic step."""
        assert self.generation is not None and not self.dry, "a dry run commits nothing"
        self.flush()
        if delete_missing:
            missing = self.missing()
            self.report.deleted = sum(self.writer.delete(i) for i in missing)
            for article_id in missing:
                self.stories.remove(article_id)
        self._close_searcher()
        if self._writer is None:
            # Nothing changed in the engine: replacing the last commit's metadata (one rename)
            # is the run's atomic step.
            layout.write_meta(self.generation, meta)
        else:
            self._writer.commit(prepare_commit(self.generation, meta, self._stories))
        layout.remove_old_meta(self.generation)

    def cancel(self) -> None:
        if self._writer is not None:
            self._writer.cancel()
        self._close_searcher()

    def _close_searcher(self) -> None:
        # Once: a commit that fails after closing it is cancelled, and whoosh refuses to close
        # a reader twice (which would hide the commit's error).
        if self._searcher_open and self.searcher is not None:
            self._searcher_open = False
            self.searcher.close()


class _NoWriter:
    """What a dry run writes to: nothing. Says every delete would find its article, as the
    ids it is given come from the index."""

    def add(self, article: Article, content_hash: str) -> None:
        pass

    def replace(self, article: Article, content_hash: str) -> None:
        pass

    def delete(self, article_id: str) -> int:
        return 1

    def failures(self) -> list[Failure]:
        return []

    def commit(self, prepare: Callable[[int], None]) -> None:
        pass

    def cancel(self) -> None:
        pass


def prepare_commit(
    generation: Path, meta: dict[str, Any], stories: Stories | None
) -> Callable[[int], None]:
    """What a commit writes under its number: its metadata, and the stories if they changed."""

    def prepare(number: int) -> None:
        if stories is not None and stories.changed:
            layout.write_stories(generation, stories, commit=number)
        layout.write_meta(generation, meta, commit=number)

    return prepare


def _engine_reject(article_id: str, origin: str | None, reason: str) -> Reject:
    """The reject of an article the engine cannot take, at its origin in a dump
    (``file:line``; an article given to ``add_articles`` has none)."""
    file, line = split_origin(origin) or (origin or "<articles>", 0)
    # printable whatever the id holds (a lone surrogate: the rejects file is UTF-8)
    shown = article_id.encode("utf-8", "backslashreplace").decode("utf-8")
    shown = shown if len(shown) <= 100 else shown[:99] + "…"
    return Reject(file, line, f'article "{shown}": {reason}')


def _outcome(stored: int | None, version: int) -> str:
    """How the report counts an article: by its version against the one stored before."""
    if stored is None:
        return "added"
    return "unchanged" if stored == version else "updated"

"""One indexing pass into one generation (``Run``): update by id, duplicates, counting; and
the commit that ends it, with the side files that come with a commit (``search.generation``).

Articles wait in batches of ``HASH_BATCH`` so that their stored versions are looked up in one
call; an id seen in the run is kept as a 64-bit digest with its version (``search.seen``, 16
bytes an id), so that duplicate detection and ``delete_missing`` do not hold a dump's ids as
strings. A dry run counts the same and writes nothing.
"""

from __future__ import annotations

import itertools
import json
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from . import layout
from .arabic import ANALYSIS_VERSION
from .article import Article, split_origin
from .engine import Engine, EngineWriter, engine_of, location_of
from .engine.contract import Failure, unstorable
from .engine.contract import version as content_version
from .errors import InputError
from .generation import Generation
from .ingest import Note, Reject
from .report import IndexReport
from .seen import Seen, id_key
from .spelling import families, variants, vocabulary
from .spelling.forking import Forked, may_fork
from .stories import Stories

HASH_BATCH = 1000


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
        # id key → version of the last record with that id. The version costs 8 bytes an id
        # more than a set of ids would; it makes the commonest duplicate, the same record
        # again, free: no second analysis, nothing to set aside at commit.
        self.seen = Seen()
        # The index as it was before the run (a dry run of a new index has none).
        self.searcher = engine.open_reader(location_of(generation)) if generation else None
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
            self._stories = Stories.read(self.generation)
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
                self._writer = self.engine.open_writer(
                    location_of(self.generation), self.workers, self.stories
                )
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

    def consume(
        self,
        records: Iterable[Article | Reject | Note],
        rejects: IO[str] | None,
        on_problem: Callable[[Reject | Note], None] | None,
        strict: bool,
    ) -> None:
        """Take every article of ``records`` into the run; count the rest, pass it to
        ``on_problem`` and write the rejects to ``rejects`` (with ``strict``, a warning raises
        ``InputError``)."""
        report = self.report
        for record in records:
            if isinstance(record, Article):
                if report.first is None:
                    report.first = record
                rejected = self.add(record)
                for reject in rejected:
                    _count_problem(reject, report, rejects, on_problem)
                if not record.body and not rejected:
                    report.title_only += 1
            else:
                _count_problem(record, report, rejects, on_problem)
                if strict and isinstance(record, Note) and record.is_warning:
                    raise InputError(
                        f"strict: {record.message}",
                        "Name the dump's field as the warning says "
                        "(--field OURS=THEIRS), or index without strict to accept the dump "
                        "as it is read.",
                    )
        for reject in self.settle():  # what the engine could not take
            _count_problem(reject, report, rejects, on_problem)

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
        if self.seen.get(id_key(found.article_id)) != version:
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
        keys = [id_key(article.id) for article in self._batch]
        self.seen.prefetch(keys)
        for article, key in zip(self._batch, keys, strict=True):
            self._add(article, key)
        self._batch = []
        self._stored = {}

    def _add(self, article: Article, key: int) -> None:
        content_hash = article.content_hash()
        version = content_version(content_hash)
        previous = self.seen.get(key)
        self.seen.set(key, version)
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

    def missing(self) -> Iterator[str]:
        """The ids of the index that this run has not read (for ``delete_missing``), as they
        are found: memory holds a page of the index's ids, whatever its size."""
        if self.searcher is None:
            return iter(())
        # An engine that keeps ``id_key`` in a column compares keys, and reads the ids of
        # only the articles missing (tantivy: reading every id would read every article).
        by_key = getattr(self.searcher, "ids_unless", None)
        if by_key is not None:
            return iter(by_key(self.seen.known))
        return self._unseen(self.searcher.ids())

    def _unseen(self, ids: Iterable[str]) -> Iterator[str]:
        """Those of ``ids`` this run has not read, compared a page at a time."""
        listed = iter(ids)
        while page := list(itertools.islice(listed, HASH_BATCH)):
            known = self.seen.known([id_key(i) for i in page])
            yield from (i for i, seen in zip(page, known, strict=True) if not seen)

    def commit(self, dumps: list[str], *, delete_missing: bool) -> None:
        """Commit the run in one atomic step, with its metadata (``dumps``: the files it read,
        added to the index's list)."""
        assert self.generation is not None and not self.dry, "a dry run commits nothing"
        meta = self._meta(dumps)
        self.flush()
        if delete_missing:
            for article_id in self.missing():
                self.report.deleted += self.writer.delete(article_id)
                self.stories.remove(article_id)
        self._close_searcher()
        since = Generation(self.generation).committed()
        if self._writer is None:
            # Nothing changed in the engine: replacing the last commit's metadata (one rename)
            # is the run's atomic step.
            layout.write_meta(self.generation, meta)
            touched: set[str] | None = set()
        else:
            self._writer.commit(prepare_commit(self.generation, meta, self._stories))
            touched = self._writer.touched()
        after_commit(self.generation, touched, since)

    def _meta(self, dumps: list[str]) -> dict[str, Any]:
        """The metadata the run commits with its changes."""
        assert self.generation is not None
        meta = layout.read_meta(self.generation)  # a new generation has none
        now = layout.now()
        return {
            "engine": self.engine.NAME,
            "schema": self.engine.SCHEMA_VERSION,
            "analysis": ANALYSIS_VERSION,
            "generation": self.generation.name,
            "built": meta.get("built", now),
            "updated": now,
            "dumps": list(dict.fromkeys([*meta.get("dumps", []), *map(os.path.abspath, dumps)])),
        }

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

    def touched(self) -> set[str] | None:
        return set()

    def failures(self) -> list[Failure]:
        return []

    def commit(self, prepare: Callable[[int], None]) -> None:
        pass

    def cancel(self) -> None:
        pass

    def optimize(self, prepare: Callable[[int], None]) -> tuple[int, int]:
        return 0, 0


def prepare_commit(
    generation: Path, meta: dict[str, Any], stories: Stories | None
) -> Callable[[int], None]:
    """What a commit writes under its number: its metadata, and the stories if they changed."""

    def prepare(number: int) -> None:
        Generation(generation).remove_uncommitted()
        if stories is not None and stories.changed:
            stories.write(generation, number)
        layout.write_meta(generation, meta, commit=number)

    return prepare


def after_commit(
    generation: Path, touched: set[str] | None = None, since: int | None = None
) -> None:
    """Once a commit is visible: the vocabulary, the spelling variants and the word families
    of what it committed, then no side file that is not in force (the caller holds the write
    lock). ``touched``: the words of the articles the commit added (``EngineWriter.touched``;
    None: unknown) and ``since``: the commit before it, for the vocabulary's changes."""
    side = Generation(generation)
    # The families need neither of the others: with an engine that allows it, a forked
    # process counts them meanwhile.
    family = Forked(lambda: families.refresh(generation)) if may_fork(side.engine) else None
    try:
        vocabulary.refresh(generation, touched, since)
        variants.refresh(generation)
    except BaseException:
        if family is not None:
            family.cancel()
        raise
    if family is not None:
        family.result()
    else:
        families.refresh(generation)
    side.remove_superseded()


def delete_articles(
    generation: Path, ids: Iterable[str], on_missing: Callable[[str], None] | None
) -> int:
    """Delete articles by id in one commit; returns how many were in the index. Each id that
    was not is passed to ``on_missing``. The caller holds the write lock."""
    meta = {**layout.read_meta(generation), "updated": layout.now()}
    since = Generation(generation).committed()
    stories = Stories.read(generation)
    writer = engine_of(generation).open_writer(location_of(generation), 1, stories)
    try:
        deleted = 0
        for article_id in ids:
            found = writer.delete(article_id)
            deleted += found
            stories.remove(article_id)
            if not found and on_missing is not None:
                on_missing(article_id)
        writer.commit(prepare_commit(generation, meta, stories))
    except BaseException:
        writer.cancel()
        raise
    after_commit(generation, set(), since)  # no word added
    return deleted


def _count_problem(
    record: Reject | Note,
    report: IndexReport,
    rejects: IO[str] | None,
    on_problem: Callable[[Reject | Note], None] | None,
) -> None:
    """Count a record that is no article in ``report``; write a reject to ``rejects``."""
    if isinstance(record, Reject):
        report.rejected += 1
        line = {"file": record.file, "line": record.line, "reason": record.reason}
        if rejects is not None:
            rejects.write(json.dumps({**line, "raw": record.raw}, ensure_ascii=False) + "\n")
    elif record.kind == "date":
        report.unparsed_dates += 1
    elif record.kind == "encoding":
        report.encoding_problems += 1
    elif record.kind == "repaired":
        report.repaired += record.count
    elif record.kind == "empty":
        report.empty_files += 1
    elif record.is_warning:
        report.warnings.append(record.message)
    elif record.kind == "fields":
        for ours, theirs, count in record.mapping:
            report.fields.setdefault(ours, {})[theirs] = count

    if on_problem is not None:
        on_problem(record)


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

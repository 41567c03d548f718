"""Indexer: dump files → ``Article`` records → the engine, with a report of what happened.

Articles are updated by id: an article whose content hash is already in the index costs one
lookup and is counted ``unchanged``; a changed one replaces the stored version; of an id that a
dump holds several times, the last version is kept. A run is one atomic commit, metadata
included (the engine makes a commit visible by one rename; the run's metadata is written for
that commit just before, see ``layout``): killed at any moment, it
leaves the index and its metadata as they were before the run, or as the run left them, and
rerunning the same command does the whole job. Memory stays bounded on any dump: records
stream, the engine's writer spills its buffers to disk, and the ids seen are kept as
8-byte digests with 8 bytes of their content hash (plus, for ids that come back changed, the id
and the hash of the last version). A new index (or ``rebuild``) is built in a fresh generation
and published only when complete.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, ClassVar, Literal

from . import engine as engines
from . import layout
from .arabic import ANALYSIS_VERSION
from .article import Article
from .engine import Engine, EngineWriter
from .engine.contract import version as content_version
from .errors import IndexIncompatible, InputError
from .ingest import FIELDS, Format, Note, Progress, Reject, find_files, read_dump
from .spelling import vocabulary
from .stories import Stories

HASH_BATCH = 1000
# Several workers (whoosh: analyzing processes; tantivy: analyzing processes and indexing
# threads) pay from dumps of this size, one per core up to MAX_AUTO_WORKERS (SaudiNewsNet on
# 2 cores, whoosh: about 1.7x faster with 2); below, starting them costs more than it saves.
SEVERAL_WORKERS_BYTES = 16 * 1024 * 1024
MAX_AUTO_WORKERS = 4


@dataclass
class IndexReport:
    """What an indexing run did (or, ``dry_run``, would do). Every record read is counted in
    exactly one of ``added``, ``updated``, ``unchanged``, ``duplicates`` or ``rejected``.

    ``title_only`` counts the articles read with a title and no body (indexed all the same);
    ``fields`` says which dump field filled each of ours and for how many articles
    (``{"body": {"content": 31030}, ...}``); ``warnings`` holds the messages about dumps that
    look misread (a file whose articles mostly have no body or no readable date, a mapping no
    record had); ``first`` is the first article read, to show what was made of the dump.
    """

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    duplicates: int = 0
    deleted: int = 0
    unparsed_dates: int = 0
    encoding_problems: int = 0
    empty_files: int = 0
    seconds: float = 0.0
    commit_seconds: float = 0.0
    rejects_file: Path | None = None
    generation: str | None = None
    engine: str | None = None
    stale_lock: int | None = None
    title_only: int = 0
    fields: dict[str, dict[str, int]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    first: Article | None = None
    dry_run: bool = False

    @property
    def read(self) -> int:
        """Records read: articles plus rejects."""
        return self.added + self.updated + self.unchanged + self.duplicates + self.rejected

    @property
    def articles(self) -> int:
        """Articles read (records that were not rejected); 0 means nothing could be used."""
        return self.read - self.rejected

    @property
    def articles_per_second(self) -> float:
        """Records read per second of the whole run, commit included."""
        return self.read / self.seconds if self.seconds else 0.0

    def summary(self) -> str:
        """One line, as ``bahth index`` prints it."""
        would = " to be" if self.dry_run else ""
        parts = [
            f"{self.read:,} read",
            f"{self.added:,}{would} added",
            f"{self.updated:,}{would} updated",
            f"{self.unchanged:,} unchanged",
            f"{self.rejected:,} rejected",
        ]
        if self.title_only:
            parts.append(f"{self.title_only:,} title only (no body)")
        if self.duplicates:
            parts.append(f"{self.duplicates:,} duplicate ids (last one kept)")
        if self.deleted:
            parts.append(f"{self.deleted:,}{would} deleted")
        if self.unparsed_dates:
            parts.append(f"{self.unparsed_dates:,} unparsed dates kept as text")
        if self.encoding_problems:
            parts.append(f"{self.encoding_problems:,} files with invalid UTF-8 (replaced)")
        if self.empty_files:
            parts.append(f"{self.empty_files:,} empty files")

        speed = self.articles_per_second
        rate = f"{speed:,.0f} articles/s" if speed >= 10 else f"{speed:.2f} articles/s"
        return f"{', '.join(parts)} in {self.seconds:.1f} s ({rate})"


def _id_digest(article_id: str) -> bytes:
    # Ids seen in this run are remembered as 8-byte digests: duplicate detection must not hold
    # a whole dump's ids as strings.
    return hashlib.blake2b(article_id.encode("utf-8", "surrogatepass"), digest_size=8).digest()


class _Run:
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

    def add(self, article: Article) -> None:
        """Take ``article`` into the run (indexed with its batch)."""
        self._batch.append(article)
        if len(self._batch) >= HASH_BATCH:
            self.flush()

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
            self._writer.commit(_prepare(self.generation, meta, self._stories))
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

    def commit(self, prepare: Callable[[int], None]) -> None:
        pass

    def cancel(self) -> None:
        pass


def _prepare(
    generation: Path, meta: dict[str, Any], stories: Stories | None
) -> Callable[[int], None]:
    """What a commit writes under its number: its metadata, and the stories if they changed."""

    def prepare(number: int) -> None:
        if stories is not None and stories.changed:
            layout.write_stories(generation, stories, commit=number)
        layout.write_meta(generation, meta, commit=number)

    return prepare


def _outcome(stored: int | None, version: int) -> str:
    """How the report counts an article: by its version against the one stored before."""
    if stored is None:
        return "added"
    return "unchanged" if stored == version else "updated"


class Indexer:
    """Builds and updates the index at ``path``.

    >>> report = Indexer("indexes/news").add_files(["dump.jsonl.gz"])  # doctest: +SKIP
    >>> report.added, report.updated, report.unchanged, report.rejected  # doctest: +SKIP
    (31030, 0, 0, 57)

    ``engine`` chooses the engine of a new index (``"whoosh"``, the default, or ``"tantivy"``;
    None: the ``BAHTH_ENGINE`` variable, else whoosh). An existing index keeps the engine it
    was built with: ``add_files`` refuses another one, and ``rebuild`` with another engine
    converts the index. ``workers`` is how many processes analyze articles (tantivy: and how
    many threads index them); None: one per core (up to 4) for dumps of 16 MB or more, else 1.
    ``wait`` makes a second writer queue behind the first instead of failing.
    """

    #: Our field names: the keys of a ``fields`` mapping (our name -> the dump's).
    FIELDS: ClassVar[tuple[str, ...]] = FIELDS

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        engine: str | None = None,
        workers: int | None = None,
        wait: bool = False,
    ) -> None:
        self.path = Path(path)
        if engine is not None:
            engines.chosen_engine(engine)  # an unknown name fails here, not mid-run
        self.engine = engine
        self.workers = workers
        self.wait = wait

    @property
    def live_generation(self) -> str | None:
        """The name of the live generation, or None when there is no index yet."""
        generation = layout.current(self.path)
        return generation.name if generation else None

    def add_files(
        self,
        paths: Iterable[str | os.PathLike[str]],
        *,
        format: Format | None = None,
        fields: Mapping[str, str] | None = None,
        delete_missing: bool = False,
        strict: bool = False,
        on_problem: Callable[[Reject | Note], None] | None = None,
        on_progress: Callable[[Progress], None] | None = None,
    ) -> IndexReport:
        """Index the dumps at ``paths`` (files, directories, zip archives), updating articles
        by id.

        Bad records are counted, passed to ``on_problem`` and written to ``rejects.jsonl``
        beside the index; nothing is silently dropped. Dumps that look misread (a file whose
        articles mostly have no body or no readable date, a ``fields`` mapping no record has)
        are warned about (``report.warnings``); with ``strict``, the first such warning raises
        ``InputError`` and nothing is committed. With ``delete_missing``, articles not in
        these dumps are deleted (for a dump that is a full snapshot); when the dumps hold no
        article at all, that raises ``InputError`` and nothing is deleted (an empty or
        unreadable snapshot is not a request to empty the index). ``on_progress`` gets a
        ``Progress`` every hundred records read, after each file, and at the start and end of
        the commit (``phase``).
        """
        names = [str(p) for p in paths]
        records, progress = _read(names, format, fields, on_progress)
        return self._index(
            records,
            names,
            delete_missing=delete_missing,
            strict=strict,
            on_problem=on_problem,
            progress=progress,
        )

    def check_files(
        self,
        paths: Iterable[str | os.PathLike[str]],
        *,
        format: Format | None = None,
        fields: Mapping[str, str] | None = None,
        delete_missing: bool = False,
        on_problem: Callable[[Reject | Note], None] | None = None,
        on_progress: Callable[[Progress], None] | None = None,
    ) -> IndexReport:
        """Read the dumps as ``add_files`` would and report what it would do, writing nothing
        (``bahth index --dry-run``): no lock, no index, no rejects file. ``report.first`` is
        the first article read and ``report.fields`` the dump fields that filled ours."""
        records, progress = _read([str(p) for p in paths], format, fields, on_progress)
        report = IndexReport(dry_run=True)
        start = time.perf_counter()
        live = layout.current(self.path)
        if live is not None:
            self._check(live)
        engine = engines.engine_of(live) if live else engines.load(engines.chosen_engine(None))
        run = _Run(engine, live, report, 1, dry=True)
        try:
            self._consume(records, run, report, None, on_problem, strict=False)
            if delete_missing and report.articles:
                report.deleted = len(run.missing())
        finally:
            run.cancel()
        report.seconds = time.perf_counter() - start
        progress.phase("committed")
        return report

    def add_articles(self, articles: Iterable[Article]) -> IndexReport:
        """Index ``Article`` records made by a script (no dump file involved)."""
        return self._index(articles, [], delete_missing=False, on_problem=None)

    def rebuild(
        self,
        paths: Iterable[str | os.PathLike[str]],
        *,
        format: Format | None = None,
        fields: Mapping[str, str] | None = None,
        strict: bool = False,
        on_problem: Callable[[Reject | Note], None] | None = None,
        on_progress: Callable[[Progress], None] | None = None,
    ) -> IndexReport:
        """Build a complete new index from ``paths`` beside the live one, then switch to it.

        Searchers already open keep their snapshot; new ones see the new index. If the
        rebuild fails, the live index is untouched and the partial generation is removed; so it
        is when the dumps hold no article at all (``InputError``): an empty index never replaces
        a live one. ``strict`` and ``on_progress`` are as for ``add_files``.
        """
        names = [str(p) for p in paths]
        records, progress = _read(names, format, fields, on_progress)
        return self._index(
            records,
            names,
            delete_missing=False,
            strict=strict,
            on_problem=on_problem,
            fresh=True,
            progress=progress,
        )

    def delete(self, ids: Iterable[str], *, on_missing: Callable[[str], None] | None = None) -> int:
        """Delete articles by id; returns how many were in the index. Each id that was not
        is passed to ``on_missing``."""
        layout.require_current(self.path)  # before the lock, which would create the directory
        with layout.write_lock(self.path, wait=self.wait):
            generation = layout.require_current(self.path)
            self._check(generation)
            meta = {**layout.read_meta(generation), "updated": layout.now()}
            stories = layout.read_stories(generation)
            writer = engines.engine_of(generation).open_writer(generation, 1, stories)
            try:
                deleted = 0
                for article_id in ids:
                    found = writer.delete(article_id)
                    deleted += found
                    stories.remove(article_id)
                    if not found and on_missing is not None:
                        on_missing(article_id)
                writer.commit(_prepare(generation, meta, stories))
            except BaseException:
                writer.cancel()
                raise
            layout.remove_old_meta(generation)
            vocabulary.refresh(generation)
            return deleted

    def _workers(self, paths: list[str]) -> int:
        if self.workers is not None:
            return self.workers
        size = sum(_size(p) for p in find_files(paths)) if paths else 0
        return min(MAX_AUTO_WORKERS, os.cpu_count() or 1) if size >= SEVERAL_WORKERS_BYTES else 1

    def _engine(self, live: Path | None) -> Engine:
        """The engine of this run: the live index's, unless a rebuild (``live`` None) is given
        another."""
        existing = layout.current(self.path)
        if live is not None:
            engine = engines.engine_of(live)
            if self.engine not in (None, engine.NAME):
                raise IndexIncompatible(
                    f"The index at {self.path} was built with {engine.NAME}, not {self.engine}.",
                    f"Convert it with: bahth rebuild DUMP... --engine {self.engine} "
                    f"--index {self.path}",
                )
            return engine
        if self.engine is None and existing is not None:
            return engines.engine_of(existing)
        return engines.load(engines.chosen_engine(self.engine))

    def _check(self, generation: Path) -> None:
        layout.check_versions(self.path, layout.read_meta(generation))

    def _index(
        self,
        records: Iterable[Article | Reject | Note],
        paths: list[str],
        *,
        delete_missing: bool,
        on_problem: Callable[[Reject | Note], None] | None,
        strict: bool = False,
        fresh: bool = False,
        progress: _Phases | None = None,
    ) -> IndexReport:
        report = IndexReport(rejects_file=self.path / layout.REJECTS)
        start = time.perf_counter()
        with layout.write_lock(self.path, wait=self.wait) as stale:
            report.stale_lock = stale
            live = None if fresh else layout.current(self.path)
            if live is not None:
                self._check(live)
            engine = self._engine(live)
            generation = live or self._new_generation(engine)
            run = _Run(engine, generation, report, self._workers(paths))
            try:
                with open(self.path / layout.REJECTS, "w", encoding="utf-8") as rejects:
                    self._consume(records, run, report, rejects, on_problem, strict)
                replacing = fresh and layout.current(self.path) is not None
                self._refuse_nothing(report, paths, replacing, delete_missing)
                committing = time.perf_counter()
                if progress is not None:
                    progress.phase("committing")
                meta = self._meta(engine, generation, live, paths)
                run.commit(meta, delete_missing=delete_missing)
                vocabulary.refresh(generation)
                report.commit_seconds = time.perf_counter() - committing
            except BaseException:
                run.cancel()
                if generation is not live:
                    shutil.rmtree(generation, ignore_errors=True)
                raise
            if generation is not live:
                layout.publish(self.path, generation)
            layout.remove_unused(self.path)  # also what a killed rebuild left behind
            report.generation = generation.name
            report.engine = engine.NAME
        report.seconds = time.perf_counter() - start
        if progress is not None:
            progress.phase("committed")
        return report

    def _consume(
        self,
        records: Iterable[Article | Reject | Note],
        run: _Run,
        report: IndexReport,
        rejects: IO[str] | None,
        on_problem: Callable[[Reject | Note], None] | None,
        strict: bool,
    ) -> None:
        """Feed the run every article; count, report and set aside the rest."""
        for record in records:
            if isinstance(record, Article):
                if report.first is None:
                    report.first = record
                if not record.body:
                    report.title_only += 1
                run.add(record)
            else:
                self._problem(record, report, rejects, on_problem)
                if strict and isinstance(record, Note) and record.is_warning:
                    raise InputError(
                        f"strict: {record.message}",
                        "Name the dump's field as the warning says "
                        "(--field OURS=THEIRS), or index without strict to accept the dump "
                        "as it is read.",
                    )
        run.flush()

    @staticmethod
    def _refuse_nothing(
        report: IndexReport, paths: list[str], replacing: bool, delete_missing: bool
    ) -> None:
        """Raise ``InputError`` rather than let dumps without one article replace or empty
        the live index (an unreadable or wrongly mapped snapshot is no request to delete)."""
        if report.articles or not paths or not (delete_missing or replacing):
            return
        what = "delete every article" if delete_missing else "replace the live index"
        raise InputError(
            f"The dumps held no article ({report.rejected:,} records rejected), so Bahth will "
            f"not {what} with them.",
            "Check the rejects, the format and the --field mapping.",
        )

    def _new_generation(self, engine: Engine) -> Path:
        generation = layout.new_generation(self.path)
        engines.create(generation, engine.NAME)
        return generation

    @staticmethod
    def _problem(
        record: Reject | Note,
        report: IndexReport,
        rejects: IO[str] | None,
        on_problem: Callable[[Reject | Note], None] | None,
    ) -> None:
        if isinstance(record, Reject):
            report.rejected += 1
            line = {"file": record.file, "line": record.line, "reason": record.reason}
            if rejects is not None:
                rejects.write(json.dumps({**line, "raw": record.raw}, ensure_ascii=False) + "\n")
        elif record.kind == "date":
            report.unparsed_dates += 1
        elif record.kind == "encoding":
            report.encoding_problems += 1
        elif record.kind == "empty":
            report.empty_files += 1
        elif record.is_warning:
            report.warnings.append(record.message)
        elif record.kind == "fields":
            for ours, theirs, count in record.mapping:
                report.fields.setdefault(ours, {})[theirs] = count

        if on_problem is not None:
            on_problem(record)

    @staticmethod
    def _meta(
        engine: Engine, generation: Path, live: Path | None, paths: list[str]
    ) -> dict[str, Any]:
        """The metadata a run commits with its changes."""
        meta = layout.read_meta(generation) if live else {}
        dumps = list(dict.fromkeys([*meta.get("dumps", []), *(os.path.abspath(p) for p in paths)]))
        return {
            "engine": engine.NAME,
            "schema": engine.SCHEMA_VERSION,
            "analysis": ANALYSIS_VERSION,
            "generation": generation.name,
            "built": meta.get("built", layout.now()),
            "updated": layout.now(),
            "dumps": dumps,
        }


def _read(
    paths: list[str],
    format: Format | None,
    fields: Mapping[str, str] | None,
    on_progress: Callable[[Progress], None] | None,
) -> tuple[Iterator[Article | Reject | Note], _Phases]:
    """The records of the dumps, reporting progress through the returned ``_Phases``."""
    progress = _Phases(on_progress)
    listen = progress if on_progress is not None else None
    return read_dump(paths, format=format, fields=fields, on_progress=listen), progress


class _Phases:
    """Passes ``read_dump``'s progress on, and tells the phases after reading with the last
    counts (``None``: nobody listens)."""

    def __init__(self, on_progress: Callable[[Progress], None] | None) -> None:
        self.on_progress = on_progress
        self.last = Progress("", 0, 0, 0, 0)

    def __call__(self, progress: Progress) -> None:
        self.last = progress
        if self.on_progress is not None:
            self.on_progress(progress)

    def phase(self, phase: Literal["committing", "committed"]) -> None:
        if self.on_progress is not None:
            self.on_progress(dataclasses.replace(self.last, phase=phase))


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:  # reading it will report what is wrong
        return 0

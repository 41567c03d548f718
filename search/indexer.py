"""Indexer: dump files → ``Article`` records → the engine, with a report of what happened.

Articles are updated by id: an article whose content hash is already in the index costs one
lookup and is counted ``unchanged``; a changed one replaces the stored version; of an id that a
dump holds several times, the last version is kept. A run is one atomic commit, metadata
included (the engine makes a commit visible by one rename; the run's metadata is written for
that commit just before, see ``search.generation``): killed at any moment, it
leaves the index and its metadata as they were before the run, or as the run left them, and
rerunning the same command does the whole job. Memory stays bounded on any dump: records
stream, the engine's writer spills its buffers to disk, and the ids seen are kept as
8-byte digests with 8 bytes of their content hash (plus, for ids that come back changed, the id
and the hash of the last version). A new index (or ``rebuild``) is built in a fresh generation
and published only when complete.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import ClassVar, Literal

from . import engine as engines
from . import layout
from . import rejects as rejects_history
from .article import Article
from .engine import Engine
from .engine.cluster import check_address, cluster_address, new_address
from .errors import IndexIncompatible, InputError
from .ingest import (
    FIELDS,
    MAX_RECORD_BYTES,
    Format,
    Note,
    Progress,
    Reject,
    find_files,
    read_dump,
)
from .report import IndexReport
from .run import Run, after_commit, delete_articles, prepare_commit
from .storage import storage_errors

# Several workers (whoosh: writing processes; tantivy: analyzing processes and indexing
# threads) pay from dumps of this size, one per core up to MAX_AUTO_WORKERS (SaudiNewsNet on
# 2 cores, whoosh: about 1.7x faster with 2); below, starting them costs more than it saves.
SEVERAL_WORKERS_BYTES = 16 * 1024 * 1024
MAX_AUTO_WORKERS = 4


class Indexer:
    """Builds and updates the index at ``path``.

    >>> report = Indexer("indexes/news").add_files(["dump.jsonl.gz"])  # doctest: +SKIP
    >>> report.added, report.updated, report.unchanged, report.rejected  # doctest: +SKIP
    (31030, 0, 0, 57)

    ``engine`` chooses the engine of a new index (``"whoosh"``, the default, or ``"tantivy"``;
    None: the ``BAHTH_ENGINE`` variable, else whoosh). An existing index keeps the engine it
    was built with: ``add_files`` refuses another one, and ``rebuild`` with another engine
    converts the index. ``workers`` is how many worker processes a run starts (whoosh: that
    write postings; tantivy: that analyze articles, and as many threads that index them);
    None: one per core (up to 4) for dumps of 16 MB or more, else 1.
    ``wait`` makes a second writer queue behind the first instead of failing.

    ``shards`` (the xapian engine) builds a new index as that many shard databases inside the
    index directory, each article on the shard its id hashes to, written in parallel;
    ``cluster`` names a cluster file listing the shards instead (local directories or
    ``tcp://HOST:PORT`` servers: ``search.engine.cluster``). An existing index keeps its
    shards; a rebuild gets the same number of local shards, and a cluster of its own.
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
        shards: int | None = None,
        cluster: str | os.PathLike[str] | None = None,
    ) -> None:
        self.path = Path(path)
        if engine is not None:
            engines.chosen_engine(engine)  # an unknown name fails here, not mid-run
        self.engine = engine
        self.workers = workers
        self.wait = wait
        # Checked here: a wrong cluster file fails before a run starts.
        self._address = cluster_address(shards, None if cluster is None else Path(cluster))

    @property
    def live_generation(self) -> str | None:
        """The name of the live generation, or None when there is no index yet."""
        generation = layout.current(self.path)
        return generation.name if generation else None

    def engine_name(self) -> str:
        """The engine a run writes with: the one asked for (a rebuild may convert), else the
        live index's, else the default (``BAHTH_ENGINE``, else whoosh); ``UnknownEngine``
        for an engine this Bahth does not have."""
        if self.engine is None and (live := layout.current(self.path)) is not None:
            return engines.engine_of(live).NAME
        return engines.chosen_engine(self.engine)

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
        max_record_bytes: int = MAX_RECORD_BYTES,
    ) -> IndexReport:
        """Index the dumps at ``paths`` (files, directories, zip archives), updating articles
        by id.

        Bad records are counted, passed to ``on_problem`` and written to the run's rejects
        file beside the index (``report.rejects_file``, kept after later runs: see
        ``read_rejects``); nothing is silently dropped. Dumps that look misread (a file whose
        articles mostly have no body or no readable date, a ``fields`` mapping no record has)
        are warned about (``report.warnings``); with ``strict``, the first such warning raises
        ``InputError`` and nothing is committed. With ``delete_missing``, articles not in
        these dumps are deleted (for a dump that is a full snapshot); when the dumps hold no
        article at all, that raises ``InputError`` and nothing is deleted (an empty or
        unreadable snapshot is not a request to empty the index). ``on_progress`` gets a
        ``Progress`` every hundred records read, after each file, and at the start and end of
        the commit (``phase``). A record larger than ``max_record_bytes`` is rejected (see
        ``search.ingest``).
        """
        names = [str(p) for p in paths]
        records, progress = _read(names, format, fields, on_progress, max_record_bytes)
        return self._index(
            records,
            names,
            delete_missing=delete_missing,
            strict=strict,
            on_problem=on_problem,
            progress=progress,
        )

    @storage_errors(writing=False)
    def check_files(
        self,
        paths: Iterable[str | os.PathLike[str]],
        *,
        format: Format | None = None,
        fields: Mapping[str, str] | None = None,
        delete_missing: bool = False,
        on_problem: Callable[[Reject | Note], None] | None = None,
        on_progress: Callable[[Progress], None] | None = None,
        max_record_bytes: int = MAX_RECORD_BYTES,
    ) -> IndexReport:
        """Read the dumps as ``add_files`` would and report what it would do, writing nothing
        (``bahth index --dry-run``): no lock, no index, no rejects file. ``report.first`` is
        the first article read and ``report.fields`` the dump fields that filled ours."""
        names = [str(p) for p in paths]
        records, progress = _read(names, format, fields, on_progress, max_record_bytes)
        report = IndexReport(dry_run=True)
        start = time.perf_counter()
        live = layout.current(self.path)
        if live is not None:
            self._check(live)
        engine = engines.engine_of(live) if live else engines.load(engines.chosen_engine(None))
        run = Run(engine, live, report, 1, dry=True)
        try:
            run.consume(records, None, on_problem, strict=False)
            if delete_missing and report.articles:
                report.deleted = sum(1 for _ in run.missing())
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
        max_record_bytes: int = MAX_RECORD_BYTES,
    ) -> IndexReport:
        """Build a complete new index from ``paths`` beside the live one, then switch to it.

        Searchers already open keep their snapshot; new ones see the new index. If the
        rebuild fails, the live index is untouched and the partial generation is removed; so it
        is when the dumps hold no article at all (``InputError``): an empty index never replaces
        a live one. ``strict``, ``on_progress`` and ``max_record_bytes`` are as for
        ``add_files``.
        """
        names = [str(p) for p in paths]
        records, progress = _read(names, format, fields, on_progress, max_record_bytes)
        return self._index(
            records,
            names,
            delete_missing=False,
            strict=strict,
            on_problem=on_problem,
            fresh=True,
            progress=progress,
        )

    @storage_errors(writing=True, outcome="Nothing was deleted.")
    def delete(self, ids: Iterable[str], *, on_missing: Callable[[str], None] | None = None) -> int:
        """Delete articles by id; returns how many were in the index. Each id that was not
        is passed to ``on_missing``."""
        layout.require_current(self.path)  # before the lock, which would create the directory
        with layout.write_lock(self.path, wait=self.wait):
            generation = layout.require_current(self.path)
            self._check(generation)
            return delete_articles(generation, ids, on_missing)

    @storage_errors(writing=True, outcome="The index is as it was.")
    def optimize(self) -> Optimized:
        """Merge the index into few segments (``bahth optimize``), in one commit under the
        write lock, crash-safe as a run: searches see the index as it was or merged, with the
        same articles. tantivy: the merges its policy asks for, those that indexing runs
        leave so as not to wait for them included (a run waits only for merges that cost
        little beside it, or once segments pile up); whoosh: one segment; xapian has none.
        Searchers already open keep their snapshot until they refresh."""
        # Imported here: stories need numpy, which other uses of the Indexer may not load.
        from .stories import Stories

        start = time.perf_counter()
        layout.require_current(self.path)  # before the lock, which would create the directory
        with layout.write_lock(self.path, wait=self.wait):
            generation = layout.require_current(self.path)
            self._check(generation)
            engine = engines.engine_of(generation)
            # No article is added: the stories are not read (at a million articles, seconds).
            location = engines.location_of(generation)
            writer = engine.open_writer(location, 1, Stories.empty())
            meta = layout.read_meta(generation)  # the same content: the same metadata
            try:
                before, after = writer.optimize(prepare_commit(generation, meta, None))
            except BaseException:
                writer.cancel()
                raise
            after_commit(generation)
        return Optimized(engine.NAME, before, after, time.perf_counter() - start)

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

    @storage_errors(writing=True)
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
        report = IndexReport()
        start = time.perf_counter()
        with layout.write_lock(self.path, wait=self.wait) as stale:
            report.stale_lock = stale
            live = None if fresh else layout.current(self.path)
            if live is not None:
                self._check(live)
            engine = self._engine(live)
            if live is not None:
                check_address(live, self._address)
                generation = live
            else:
                address = new_address(layout.current(self.path), engine, self._address)
                generation = layout.new_generation(self.path, engine.NAME, address)
            run = Run(engine, generation, report, self._workers(paths))
            try:
                # Each run's rejects in a file of its own, kept after the next runs.
                with rejects_history.new_run(self.path) as (report.rejects_file, rejects):
                    run.consume(records, rejects, on_problem, strict)
                replacing = fresh and layout.current(self.path) is not None
                self._refuse_nothing(report, paths, replacing, delete_missing)
                committing = time.perf_counter()
                if progress is not None:
                    progress.phase("committing")
                run.commit(paths, delete_missing=delete_missing)
                report.commit_seconds = time.perf_counter() - committing
            except BaseException:
                try:
                    run.cancel()
                finally:
                    # Also when cancelling fails too (a full disk refuses the engine's list
                    # of files): the new generation holds the space the user lacks.
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


@dataclasses.dataclass(frozen=True, slots=True)
class Optimized:
    """What ``Indexer.optimize`` did: the index's ``engine``, its segments ``before`` and
    ``after`` (equal: nothing was merged; 0: the engine keeps no segments), in ``seconds``."""

    engine: str
    before: int
    after: int
    seconds: float


def _read(
    paths: list[str],
    format: Format | None,
    fields: Mapping[str, str] | None,
    on_progress: Callable[[Progress], None] | None,
    max_record_bytes: int = MAX_RECORD_BYTES,
) -> tuple[Iterator[Article | Reject | Note], _Phases]:
    """The records of the dumps, reporting progress through the returned ``_Phases``."""
    progress = _Phases(on_progress)
    listen = progress if on_progress is not None else None
    records = read_dump(
        paths,
        format=format,
        fields=fields,
        on_progress=listen,
        max_record_bytes=max_record_bytes,
    )
    return records, progress


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

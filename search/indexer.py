"""Indexer: dump files → ``Article`` records → the engine, with a report of what happened.

Articles are updated by id: an article whose content hash is already in the index costs one
lookup and is counted ``unchanged``; a changed one replaces the stored version. A run is one
atomic commit (whoosh writes its table of contents to a temporary file and renames it): killed
at any moment, it leaves the index as it was before the run, and rerunning the same command
does the whole job. Memory stays bounded on any dump: records stream, the writer spills its
buffers to disk beyond ``limitmb``, and the ids seen are kept as 8-byte digests. A new index (or
``rebuild``) is built in a fresh generation and published only when complete.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from . import layout
from .arabic import ANALYSIS_VERSION
from .article import Article
from .engine import SCHEMA_VERSION, EngineSearcher, IndexWriter, create_index
from .errors import IndexIncompatible
from .ingest import Format, Note, Progress, Reject, find_files, read_dump

MULTIPROCESS_BYTES = 16 * 1024 * 1024
MAX_AUTO_PROCS = 4


@dataclass
class IndexReport:
    """What an indexing run did. Every record read is counted in exactly one of
    ``added``, ``updated``, ``unchanged``, ``duplicates`` or ``rejected``."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    duplicates: int = 0
    deleted: int = 0
    unparsed_dates: int = 0
    encoding_problems: int = 0
    seconds: float = 0.0
    rejects_file: Path | None = None
    generation: str | None = None
    stale_lock: int | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def read(self) -> int:
        """Records read: articles plus rejects."""
        return self.added + self.updated + self.unchanged + self.duplicates + self.rejected

    @property
    def articles_per_second(self) -> float:
        return self.read / self.seconds if self.seconds else 0.0

    def summary(self) -> str:
        """One line, as ``bahth index`` prints it."""
        parts = [
            f"{self.read:,} read",
            f"{self.added:,} added",
            f"{self.updated:,} updated",
            f"{self.unchanged:,} unchanged",
            f"{self.rejected:,} rejected",
        ]
        if self.duplicates:
            parts.append(f"{self.duplicates:,} duplicate ids (last one kept)")
        if self.deleted:
            parts.append(f"{self.deleted:,} deleted")
        if self.unparsed_dates:
            parts.append(f"{self.unparsed_dates:,} unparsed dates kept as text")
        if self.encoding_problems:
            parts.append(f"{self.encoding_problems:,} files with invalid UTF-8 (replaced)")

        speed = self.articles_per_second
        rate = f"{speed:,.0f} articles/s" if speed >= 10 else f"{speed:.2f} articles/s"
        return f"{', '.join(parts)} in {self.seconds:.1f} s ({rate})"


def _id_digest(article_id: str) -> bytes:
    # Ids seen in this run are remembered as 8-byte digests: duplicate detection must not hold
    # a whole dump's ids as strings.
    return hashlib.blake2b(article_id.encode("utf-8", "surrogatepass"), digest_size=8).digest()


class _Run:
    """One indexing pass into one generation: one writer, duplicate handling, counting."""

    def __init__(self, generation: Path, report: IndexReport, procs: int, limitmb: int) -> None:
        self.generation = generation
        self.report = report
        self.procs = procs
        self.limitmb = limitmb
        self.seen: set[bytes] = set()
        # A duplicate id replaces a version that is not committed yet, which whoosh cannot
        # delete: the last version is kept aside and swapped in right after the commit.
        self.pending: dict[str, tuple[Article, str]] = {}
        self.replaced: dict[bytes, str] = {}  # id digest → hash before this run, for updates
        self.searcher = EngineSearcher(generation)
        self._writer: IndexWriter | None = None

    @property
    def writer(self) -> IndexWriter:
        # Opened on the first change: re-indexing an unchanged dump starts no writer processes
        # and commits nothing.
        if self._writer is None:
            self._writer = IndexWriter(self.generation, procs=self.procs, limitmb=self.limitmb)
        return self._writer

    def add(self, article: Article) -> None:
        content_hash = article.content_hash()
        digest = _id_digest(article.id)
        if digest in self.seen:
            self.report.duplicates += 1
            self.pending[article.id] = (article, content_hash)
            if self.replaced.get(digest) == content_hash:
                # The last version is the one the index held before this run: the article is
                # rewritten with it, but for the report nothing changed.
                self.report.updated -= 1
                self.report.unchanged += 1
            return
        self.seen.add(digest)
        stored = self.searcher.content_hash(article.id)
        if stored == content_hash:
            self.report.unchanged += 1
        elif stored is None:
            self.writer.add(article, content_hash)
            self.report.added += 1
        else:
            self.writer.delete(article.id)
            self.writer.add(article, content_hash)
            self.replaced[digest] = stored
            self.report.updated += 1

    def commit(self, *, delete_missing: bool) -> None:
        if delete_missing:
            missing = [i for i in self.searcher.ids() if _id_digest(i) not in self.seen]
            self.report.deleted = sum(self.writer.delete(i) for i in missing)
        if self._writer is not None:
            self._writer.commit()
        self.searcher.close()
        if self.pending:
            writer = IndexWriter(self.generation, limitmb=self.limitmb)
            for article, content_hash in self.pending.values():
                writer.delete(article.id)
                writer.add(article, content_hash)
            writer.commit()

    def cancel(self) -> None:
        if self._writer is not None:
            self._writer.cancel()
        self.searcher.close()


class Indexer:
    """Builds and updates the index at ``path``.

    >>> report = Indexer("indexes/news").add_files(["dump.jsonl.gz"])  # doctest: +SKIP
    >>> report.added, report.updated, report.unchanged, report.rejected  # doctest: +SKIP
    (31030, 0, 0, 57)

    ``procs`` > 1 analyzes in several processes (whoosh's multiprocess writer); the default,
    None, uses one per core (up to 4) for dumps of 16 MB or more, where it pays (SaudiNewsNet:
    about 1.7x faster with 2 processes on 2 cores), and one below, where starting processes
    costs more than it saves. ``limitmb`` is the writer's buffer per process. ``wait`` makes a
    second writer queue behind the first instead of failing.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        procs: int | None = None,
        limitmb: int = 256,
        wait: bool = False,
    ) -> None:
        self.path = Path(path)
        self.procs = procs
        self.limitmb = limitmb
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
        on_problem: Callable[[Reject | Note], None] | None = None,
        on_progress: Callable[[Progress], None] | None = None,
    ) -> IndexReport:
        """Index the dumps at ``paths`` (files or directories), updating articles by id.

        Bad records are counted, passed to ``on_problem`` and written to ``rejects.jsonl``
        beside the index; nothing is silently dropped. With ``delete_missing``, articles not in
        these dumps are deleted (for a dump that is a full snapshot).
        """
        paths = [str(p) for p in paths]
        records = read_dump(paths, format=format, fields=fields, on_progress=on_progress)
        return self._index(records, paths, delete_missing=delete_missing, on_problem=on_problem)

    def add_articles(self, articles: Iterable[Article]) -> IndexReport:
        """Index ``Article`` records made by a script (no dump file involved)."""
        return self._index(articles, [], delete_missing=False, on_problem=None)

    def rebuild(
        self,
        paths: Iterable[str | os.PathLike[str]],
        *,
        format: Format | None = None,
        fields: Mapping[str, str] | None = None,
        on_problem: Callable[[Reject | Note], None] | None = None,
        on_progress: Callable[[Progress], None] | None = None,
    ) -> IndexReport:
        """Build a complete new index from ``paths`` beside the live one, then switch to it.

        Searchers already open keep their snapshot; new ones see the new index. If the
        rebuild fails, the live index is untouched and the partial generation is removed.
        """
        paths = [str(p) for p in paths]
        records = read_dump(paths, format=format, fields=fields, on_progress=on_progress)
        return self._index(records, paths, delete_missing=False, on_problem=on_problem, fresh=True)

    def delete(self, ids: Iterable[str]) -> int:
        """Delete articles by id; returns how many were in the index."""
        layout.require_current(self.path)  # before the lock, which would create the directory
        with layout.write_lock(self.path, wait=self.wait):
            generation = layout.require_current(self.path)
            self._check(generation)
            writer = IndexWriter(generation)
            deleted = sum(writer.delete(i) for i in ids)
            writer.commit()
            meta = layout.read_meta(generation)
            layout.write_meta(generation, {**meta, "updated": layout.now()})
            return deleted

    def _procs(self, paths: list[str]) -> int:
        if self.procs is not None:
            return self.procs
        size = sum(_size(p) for p in find_files(paths)) if paths else 0
        return min(MAX_AUTO_PROCS, os.cpu_count() or 1) if size >= MULTIPROCESS_BYTES else 1

    def _check(self, generation: Path) -> None:
        meta = layout.read_meta(generation)
        if meta.get("analysis") != ANALYSIS_VERSION or meta.get("schema") != SCHEMA_VERSION:
            raise IndexIncompatible(
                f"The index at {self.path} was built by another version of Bahth's analysis "
                f"({meta.get('analysis')}, this one is {ANALYSIS_VERSION}).",
                f"Rebuild it with: bahth rebuild DUMP... --index {self.path}",
            )

    def _index(
        self,
        records: Iterable[Article | Reject | Note],
        paths: list[str],
        *,
        delete_missing: bool,
        on_problem: Callable[[Reject | Note], None] | None,
        fresh: bool = False,
    ) -> IndexReport:
        report = IndexReport(rejects_file=self.path / layout.REJECTS)
        start = time.perf_counter()
        with layout.write_lock(self.path, wait=self.wait) as stale:
            report.stale_lock = stale
            live = None if fresh else layout.current(self.path)
            if live is not None:
                self._check(live)
            generation = live or self._new_generation()
            run = _Run(generation, report, self._procs(paths), self.limitmb)
            try:
                with open(self.path / layout.REJECTS, "w", encoding="utf-8") as rejects:
                    for record in records:
                        if isinstance(record, Article):
                            run.add(record)
                        else:
                            self._problem(record, report, rejects, on_problem)
                run.commit(delete_missing=delete_missing)
            except BaseException:
                run.cancel()
                if generation is not live:
                    shutil.rmtree(generation, ignore_errors=True)
                raise
            self._finish(generation, live, paths, report)
        report.seconds = time.perf_counter() - start
        return report

    def _new_generation(self) -> Path:
        generation = layout.new_generation(self.path)
        create_index(generation)
        return generation

    @staticmethod
    def _problem(
        record: Reject | Note,
        report: IndexReport,
        rejects: IO[str],
        on_problem: Callable[[Reject | Note], None] | None,
    ) -> None:
        if isinstance(record, Reject):
            report.rejected += 1
            line = {"file": record.file, "line": record.line, "reason": record.reason}
            rejects.write(json.dumps({**line, "raw": record.raw}, ensure_ascii=False) + "\n")
        elif record.kind == "date":
            report.unparsed_dates += 1
        elif record.kind == "encoding":
            report.encoding_problems += 1

        if on_problem is not None:
            on_problem(record)

    def _finish(
        self, generation: Path, live: Path | None, paths: list[str], report: IndexReport
    ) -> None:
        meta = layout.read_meta(generation) if live else {}
        dumps = list(dict.fromkeys([*meta.get("dumps", []), *(os.path.abspath(p) for p in paths)]))
        layout.write_meta(
            generation,
            {
                "schema": SCHEMA_VERSION,
                "analysis": ANALYSIS_VERSION,
                "generation": generation.name,
                "built": meta.get("built", layout.now()),
                "updated": layout.now(),
                "dumps": dumps,
            },
        )
        if generation is not live:
            layout.publish(self.path, generation)
        layout.remove_unused(self.path)  # also what a killed rebuild left behind
        report.generation = generation.name


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:  # reading it will report what is wrong
        return 0

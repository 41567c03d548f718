"""The records each indexing run could not read, kept beside the index across runs.

    indexes/news/
      rejects/000012-20251206T220906Z.jsonl   one file per run: its number and start (UTC)
      rejects/000009-20251201T080012Z.jsonl   an earlier run that rejected something
      rejects.jsonl -> rejects/000012-…       a symbolic link to the latest run's file

Each line of a run's file is one reject as JSON: ``{"file", "line", "reason", "raw"}`` (what
``bahth index`` printed as ``file:line: reason``, and the record's text). Every run that reads
dumps (``bahth index``, ``rebuild``, ``--delete-missing``, ``Indexer.add_articles``) gets a
file, empty when it rejected nothing, and keeps it whether it is committed or fails: the
rejects of a run that could read no article at all are the ones the user needs.

What is kept: the latest run's file, whatever it holds, and the files of the ``KEEP_RUNS``
runs before it that rejected something; the empty files of earlier runs are deleted, so
a first build's rejects outlive any number of clean updates until ``KEEP_RUNS`` later runs
have rejects of their own. ``rejects.jsonl``, the one file earlier versions of Bahth wrote
(and overwrote on every run), stays the latest run's: a link to it, or, on a file system
without links, a copy made when the run ends. An index's old ``rejects.jsonl`` file becomes
the first run of its history on the next run; until then it is read as its latest run.

``read_rejects`` lists the kept runs for ``bahth rejects``; it writes nothing.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from .errors import IndexNotFound
from .ingest import Reject

RUNS = "rejects"
LATEST = "rejects.jsonl"
KEEP_RUNS = 20
_RUN_FILE = re.compile(r"^(\d{6,})-(\d{8}T\d{6}Z)\.jsonl$")
_STAMP = "%Y%m%dT%H%M%SZ"


@dataclasses.dataclass(frozen=True)
class RejectsRun:
    """The rejects file of one indexing run: ``number`` (runs are numbered from 1 in the
    order they started), ``started`` (UTC), ``path``, and whether it is the ``latest`` run.
    Iterating reads its ``Reject`` records from the file, one at a time."""

    number: int
    started: dt.datetime
    path: Path
    latest: bool = False

    def __iter__(self) -> Iterator[Reject]:
        """The run's rejects, in the order they were met. A line the run did not finish
        writing (it was killed) is given as a reject of the rejects file itself."""
        try:
            handle = open(self.path, encoding="utf-8", errors="replace")  # noqa: SIM115
        except FileNotFoundError:
            return  # pruned by a run that ended meanwhile: nothing left to list
        with handle:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                    yield Reject(
                        str(record["file"]),
                        int(record["line"]),
                        str(record["reason"]),
                        record.get("raw"),
                    )
                except (ValueError, KeyError, TypeError, AttributeError):
                    raw = line.rstrip("\n")
                    reason = "this line of the rejects file is damaged (cut short?)"
                    yield Reject(str(self.path), number, reason, raw)

    def count(self) -> int:
        """How many rejects the run wrote (one a line)."""
        try:
            with open(self.path, "rb") as handle:
                return sum(1 for line in handle if line.strip())
        except FileNotFoundError:
            return 0

    def to_dict(self) -> dict[str, object]:
        """The run as ``bahth rejects --json`` shows it, without its rejects."""
        return {
            "run": self.number,
            "started": self.started.isoformat(),
            "file": str(self.path),
            "latest": self.latest,
            "count": self.count(),
        }


def read_rejects(index: str | os.PathLike[str], *, all_runs: bool = False) -> list[RejectsRun]:
    """The rejects of the latest indexing run into ``index`` (a list of one; empty when no
    run has been made since Bahth kept them), or with ``all_runs`` of every kept run, newest
    first. Reads the rejects of a first build that failed too: no live index is needed,
    only the directory (``IndexNotFound`` without it).

    >>> [run] = read_rejects("indexes/news")  # doctest: +SKIP
    >>> run.number, run.count(), [str(reject) for reject in run][:1]  # doctest: +SKIP
    (12, 3, ['dumps/2025-11.jsonl:7: invalid JSON at column 12: Expecting value'])
    """
    index = Path(index)
    if not index.is_dir():
        where = Path(os.path.abspath(index))
        raise IndexNotFound(
            f"No index at {where}: no indexing run has written there.",
            "Point at the index with --index DIR or the BAHTH_INDEX variable.",
        )
    found = _runs(index)
    return found if all_runs else found[:1]


def _runs(index: Path) -> list[RejectsRun]:
    """The kept runs of ``index``, newest first; an old single ``rejects.jsonl`` file (not a
    link) counts as the run before the first numbered one."""
    runs: list[tuple[int, dt.datetime, Path]] = []
    directory = index / RUNS
    if directory.is_dir():
        for entry in directory.iterdir():
            found = _RUN_FILE.match(entry.name)
            if found:
                started = dt.datetime.strptime(found[2], _STAMP).replace(tzinfo=dt.UTC)
                runs.append((int(found[1]), started, entry))
    legacy = index / LATEST
    if not runs and _is_legacy(legacy):
        modified = dt.datetime.fromtimestamp(legacy.stat().st_mtime, dt.UTC)
        runs.append((0, modified.replace(microsecond=0), legacy))
    runs.sort(key=lambda run: run[0], reverse=True)
    return [
        RejectsRun(number, started, path, latest=i == 0)
        for i, (number, started, path) in enumerate(runs)
    ]


@contextlib.contextmanager
def new_run(index: Path) -> Iterator[tuple[Path, IO[str]]]:
    """A rejects file for a new run into ``index``, open for writing, made the latest; the
    earlier runs' files are pruned when it closes (``KEEP_RUNS``). The caller holds the
    index's write lock, which makes the run's number its own."""
    _adopt_legacy(index)
    directory = index / RUNS
    directory.mkdir(parents=True, exist_ok=True)
    number = max((run.number for run in _runs(index)), default=0) + 1
    started = dt.datetime.now(dt.UTC).strftime(_STAMP)
    path = directory / f"{number:06d}-{started}.jsonl"
    linked = _link_latest(index, path)
    try:
        with open(path, "x", encoding="utf-8") as handle:
            yield path, handle
    finally:
        if not linked:
            shutil.copyfile(path, index / LATEST)
        _prune(index)


def _adopt_legacy(index: Path) -> None:
    """Move the single ``rejects.jsonl`` of an earlier Bahth into the history, as its run 0
    (or delete it when it is empty: it said only that the last run rejected nothing)."""
    legacy = index / LATEST
    if not _is_legacy(legacy) or (index / RUNS).is_dir():
        return
    if legacy.stat().st_size == 0:
        legacy.unlink()
        return
    (index / RUNS).mkdir(exist_ok=True)
    modified = dt.datetime.fromtimestamp(legacy.stat().st_mtime, dt.UTC).strftime(_STAMP)
    os.replace(legacy, index / RUNS / f"{0:06d}-{modified}.jsonl")


def _is_legacy(latest: Path) -> bool:
    """Whether ``rejects.jsonl`` is a file of its own: an earlier Bahth's, unless runs are
    kept beside it (then it is the copy made where links cannot be)."""
    return latest.is_file() and not latest.is_symlink()


def _link_latest(index: Path, path: Path) -> bool:
    """Point ``rejects.jsonl`` at ``path``, atomically (a reader sees the old link or the new
    one); False when the file system has no symbolic links."""
    temporary = index / f".{LATEST}.{os.getpid()}.tmp"
    temporary.unlink(missing_ok=True)
    try:
        temporary.symlink_to(path.relative_to(index))
    except OSError:
        return False
    os.replace(temporary, index / LATEST)
    return True


def _prune(index: Path) -> None:
    """Delete the files of runs that are no longer kept: of the runs before the latest, the
    empty ones, and those with rejects beyond the ``KEEP_RUNS`` most recent of them."""
    with_rejects = 0
    for run in _runs(index):
        if run.latest:
            continue
        empty = run.path.stat().st_size == 0
        with_rejects += not empty
        if empty or with_rejects > KEEP_RUNS:
            run.path.unlink(missing_ok=True)

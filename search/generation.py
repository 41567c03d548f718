"""A generation directory's files: its engine, its commits, and the side files of its commits.

    gen-000002/
      ENGINE                  the engine that built it (``search.engine``)
      …                       the engine's own files: its segments and its record of commits
      readers.lock            held by the searchers reading it (``search.layout``)
      bahth.000007.json       the metadata of commit 7 (``search.layout``)
      stories.000007.json     the stories as of commit 7: the segments in force (``search.stories``)
      stories.000007.seg      the stories commit 7 added (``search.story_segments``)
      spelling.000007.marisa  the vocabulary of commit 7 (``search.spelling``)
      spelling.000009.changes the words whose counts changed since it, as of commit 9
      variants.000007.tsv     the spelling variants of names (``search.spelling.variants``)

The engine's commit (whoosh renames its table of contents into place, tantivy its meta.json)
is the one atomic step of an indexing run, and what Bahth keeps beside the engine's files must
change with it. So each such side file is written once, under a commit's number, and read by
one rule: the file of a kind in force is the one with the highest number at most the engine's
last commit (``committed``; its numbers only grow). A file written in ``EngineWriter.commit``'s
``prepare`` is numbered above every earlier commit and at most this one: it comes into force
with the commit, not before, and a commit that is killed or fails leaves it numbered above
every commit, where nothing reads it; the next commit's ``prepare`` removes it
(``remove_uncommitted``), lest it come into force with a commit that wrote no file of its
kind. A file counted from the committed index itself (the vocabulary, the variants) is written
after the commit, under its number; until then the previous one stays in force. Once the
commit is visible and its files are written, ``remove_superseded`` deletes every file no longer
in force. The stories are kept in segments that several commits wrote: the segments in force
are the ones the manifest in force names (``listed_in``).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterator
from functools import cached_property
from pathlib import Path
from typing import IO, TypeVar

from .engine import Engine, EngineReader, Location, engine_of, location_of
from .errors import IndexDamaged
from .storage import refused

T = TypeVar("T")


class SideFile:
    """A kind of side file: ``<stem>.<commit>.<suffix>``, the commit's number in six digits
    (or more). ``legacy`` names the one unnumbered file an older Bahth kept instead, in force
    until a numbered one is."""

    def __init__(
        self,
        stem: str,
        suffix: str,
        legacy: str | None = None,
        listed_in: SideFile | None = None,
        replaced_by: SideFile | None = None,
    ) -> None:
        self.stem = stem
        self.suffix = suffix
        self.legacy = legacy
        # Files in force are those the JSON file of this kind in force lists by number (its
        # "segments"), not the highest numbered.
        self.listed_in = listed_in
        # Out of force once a file of that kind numbered higher is in force (an older format
        # of what it holds; changes over a vocabulary counted again since).
        self.replaced_by = replaced_by
        self.pattern = re.compile(rf"^{re.escape(stem)}\.(\d+)\.{re.escape(suffix)}$")

    def name(self, commit: int) -> str:
        """The name of the file written under ``commit``."""
        return f"{self.stem}.{commit:06d}.{self.suffix}"


LEGACY_METADATA = "bahth.json"  # an index's metadata before it was kept per commit
METADATA = SideFile("bahth", "json", legacy=LEGACY_METADATA)
STORIES = SideFile("stories", "json")
STORY_SEGMENTS = SideFile("stories", "seg", listed_in=STORIES)
WHOLE_STORIES = SideFile("stories", "npz", replaced_by=STORIES)  # every article's, before segments
VOCABULARY = SideFile("spelling", "marisa")
# The words whose counts changed since the vocabulary in force (``search.spelling.vocabulary``).
VOCABULARY_CHANGES = SideFile("spelling", "changes", replaced_by=VOCABULARY)
VARIANTS = SideFile("variants", "tsv")
FAMILIES = SideFile("families", "tsv")
SIDE_FILES = (
    METADATA,
    STORIES,
    STORY_SEGMENTS,
    WHOLE_STORIES,
    VOCABULARY,
    VOCABULARY_CHANGES,
    VARIANTS,
    FAMILIES,
)


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomically(path: Path, content: str | Callable[[IO[bytes]], object]) -> None:
    """Write ``path`` so that a reader (or a crash) sees the old content or the new, whole.
    ``content`` is a text, or a function that writes the bytes to a file."""
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(temp, "wb") as out:
        if isinstance(content, str):
            out.write(content.encode("utf-8"))
        else:
            content(out)
        out.flush()
        os.fsync(out.fileno())
    os.replace(temp, path)
    _fsync_dir(path.parent)


class Generation:
    """The files of the generation directory ``path``: its engine, the number of its last
    commit, and the side files written under commit numbers (``SIDE_FILES``).

    Nothing is read until asked for; the commit number is read again at each call, as a
    writer may commit at any moment."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @cached_property
    def engine(self) -> Engine:
        """The engine that built the generation (named in its ``ENGINE`` file)."""
        return engine_of(self.path)

    @cached_property
    def location(self) -> Location:
        """Where the engine keeps the generation's index (named in its ``ENGINE`` file)."""
        return location_of(self.path)

    def committed(self) -> int:
        """The number of the last visible commit (``Engine.committed``; -1: none); a damaged
        record of it (tantivy's ``meta.json`` cut short) is ``IndexDamaged``."""
        try:
            return self.engine.committed(self.location)
        except OSError as error:
            raise refused(error, self.path, writing=False) from error
        except (ValueError, KeyError, TypeError) as error:
            raise IndexDamaged(
                f"The engine's record of the last commit in {self.path} is damaged ({error}).",
                "Restore the index directory from a backup.",
            ) from error

    def file(self, kind: SideFile, commit: int) -> Path:
        """Where the file of ``kind`` written under ``commit`` is (or would be)."""
        return self.path / kind.name(commit)

    def in_force(self, kind: SideFile, commit: int | None = None) -> Path | None:
        """The file of ``kind`` in force as of ``commit`` (by default the last one): the one
        numbered highest at most ``commit``, else the legacy file if there is one; None when
        there is neither."""
        number = self._highest(kind, self.committed() if commit is None else commit)
        if number is not None:
            return self.file(kind, number)
        legacy = self.path / kind.legacy if kind.legacy else None
        return legacy if legacy is not None and legacy.exists() else None

    def number_in_force(self, kind: SideFile) -> int:
        """The commit the file of ``kind`` in force was written under; the last commit when
        no numbered file is in force. Writing under it replaces the file in force: the one
        atomic step of a run that commits nothing in the engine."""
        last = self.committed()
        number = self._highest(kind, last)
        return last if number is None else number

    def _highest(self, kind: SideFile, commit: int) -> int | None:
        """The highest number of a file of ``kind`` at most ``commit``, if any."""
        return max((n for n, _ in self._numbered(kind) if n <= commit), default=None)

    def _numbered(self, kind: SideFile) -> Iterator[tuple[int, Path]]:
        """The numbered files of ``kind``, with their numbers."""
        for path in self.path.iterdir():
            found = kind.pattern.match(path.name)
            if found:
                yield int(found[1]), path

    def read(self, kind: SideFile, load: Callable[[Path], T]) -> T | None:
        """``load`` of the file of ``kind`` in force (None: there is none).

        A commit may land while we look, and its writer remove the file we were about to
        read: then the file in force is looked for again. ``load`` lets that
        ``FileNotFoundError`` pass; the system refusing the file is a ``StorageError``.
        """
        missing = None
        while True:
            path = self.in_force(kind)
            if path is None or path == missing:
                return None  # still listed, still not there to read: none to read
            try:
                return load(path)
            except FileNotFoundError:
                missing = path
            except OSError as error:
                raise refused(error, path, writing=False) from error

    def write(
        self, kind: SideFile, commit: int, content: str | Callable[[IO[bytes]], object]
    ) -> None:
        """Write the file of ``kind`` under ``commit``, atomically (``content`` as for
        ``write_atomically``): in ``EngineWriter.commit``'s ``prepare`` with the number it is
        given, after a commit with that commit's number, or under ``number_in_force``."""
        write_atomically(self.file(kind, commit), content)

    def write_counted(self, kind: SideFile, count: Callable[[EngineReader], str]) -> None:
        """Write the file of ``kind`` for the last commit, unless it is written: ``count`` of a
        reader of the committed index (a file counted from it: written after the commit)."""
        commit = self.committed()
        if self.file(kind, commit).exists():
            return
        reader = self.engine.open_reader(self.location)
        try:
            text = count(reader)
        finally:
            reader.close()
        self.write(kind, commit, text)

    def remove_uncommitted(self) -> None:
        """Delete the side files numbered above the last commit: written for commits that
        never became visible. Call it in ``prepare``, before a commit becomes visible: else
        such a file would come into force with it, though it did not write that kind."""
        commit = self.committed()
        for kind in SIDE_FILES:
            for number, path in self._numbered(kind):
                if number > commit:
                    path.unlink(missing_ok=True)

    def remove_superseded(self) -> None:
        """Delete every side file that is not in force: those of earlier commits, the legacy
        file once a numbered one is in force, and those of commits that never became visible.
        Call it once a commit is visible and every file it brings is written; the caller holds
        the index's write lock (no other commit is under way)."""
        commit = self.committed()
        for kind in SIDE_FILES:
            keep = self._kept(kind, commit)
            legacy = [self.path / kind.legacy] if kind.legacy else []
            for path in [*(path for _, path in self._numbered(kind)), *legacy]:
                if path not in keep:
                    path.unlink(missing_ok=True)

    def _kept(self, kind: SideFile, commit: int) -> set[Path]:
        """The files of ``kind`` in force as of ``commit``."""
        if kind.listed_in is not None:
            listing = self.in_force(kind.listed_in, commit)
            if listing is None:
                return set()
            try:
                numbers = json.loads(listing.read_text(encoding="utf-8"))["segments"]
                return {self.file(kind, int(number)) for number in numbers}
            except (ValueError, KeyError, TypeError):  # damaged: reading it says so; keep all
                return {path for _, path in self._numbered(kind)}
        number = self._highest(kind, commit)
        if number is None:
            legacy = self.in_force(kind, commit)  # the unnumbered file, if any
            return set() if legacy is None else {legacy}
        if kind.replaced_by is not None:
            newer = self._highest(kind.replaced_by, commit)
            if newer is not None and newer > number:
                return set()
        return {self.file(kind, number)}

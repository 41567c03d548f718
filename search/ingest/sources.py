"""A dump file on disk -> the streams to read in it: itself, or each member of a zip archive.

>>> for source in open_sources("dataset/2015-07-21.zip"):  # doctest: +SKIP
...     print(source.name)  # dataset/2015-07-21.zip:2015-07-21.json

What a file is, is told by its first bytes, not its name: a zip archive (``PK``) is read member
by member, streamed from the archive without extracting anything to disk; a Parquet file
(``PAR1``) is read by pyarrow; anything else is text (plain, gzip, bz2 or xz). A member's name is
``archive.zip:member``, so its records read ``archive.zip:member:line``. Members are taken in
the order they are stored; directories, hidden files and macOS's ``__MACOSX/`` folder are
passed over silently, and members whose extension names no dump format are skipped with a
``Note`` (unless a format is given for every file), as files are when a directory is walked.
A zip inside a zip is opened the same way (a GitHub download of a repository of zips), up to
``MAX_DEPTH`` levels.

A file that cannot be opened or whose archive is damaged gives a ``Reject`` for the whole file
(line 0), and so does a member that is encrypted or compressed with a method Python cannot read;
reading goes on with the next member or file. An archive with no member to read gives an
``"empty"`` ``Note``.
"""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Callable, Iterator
from pathlib import PurePosixPath
from types import TracebackType
from typing import IO, TypeAlias

from search.errors import InputError
from search.ingest.formats import PARQUET_MAGIC, ZIP_MAGIC, Kind, format_of
from search.ingest.open import TextFile, compression_of, open_text
from search.ingest.records import Note, Reject

MAX_DEPTH = 3
_BUFFER = 1024 * 1024


class ParquetSource:
    """An open Parquet file (or archive member), read by ``parquet.read_parquet``."""

    def __init__(self, name: str, raw: IO[bytes], size: int, where: Callable[[], int]) -> None:
        self.name = name
        self.raw = raw
        self.size = size
        self._where = where

    def position(self) -> int:
        """Bytes of the file on disk consumed so far (for progress)."""
        try:
            return self._where()
        except (OSError, ValueError):
            return self.size

    def close(self) -> None:
        """Close the file."""
        self.raw.close()

    def __enter__(self) -> ParquetSource:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


Source: TypeAlias = TextFile | ParquetSource


def open_sources(
    path: str | os.PathLike[str], *, every: bool = False
) -> Iterator[tuple[Source, Kind | None] | Reject | Note]:
    """The streams of the file at ``path``, each with what its name says (``formats.format_of``).
    Each stream is open: the caller closes it. ``every``: read an archive's members whatever
    their extensions (a format was given for every file)."""
    name = os.fspath(path)
    try:
        text = open_text(path)
    except InputError as error:  # one bad file must not stop a dump of thousands
        yield Reject(name, 0, error.message.removeprefix(f"{name}: "))
        return
    head = text.head(16) if text.compression is None else b""
    raw = text.raw
    if head.startswith(ZIP_MAGIC):
        with text:
            yield from _members(raw, name, raw.tell, 1, every)
    elif head.startswith(PARQUET_MAGIC):
        yield ParquetSource(name, raw, text.size, raw.tell), "parquet"
    else:
        yield text, format_of(name)


def _members(
    archive: IO[bytes], name: str, where: Callable[[], int], depth: int, every: bool
) -> Iterator[tuple[Source, Kind | None] | Reject | Note]:
    try:
        opened = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError, EOFError) as e:
        yield Reject(
            name,
            0,
            f"starts as a zip archive but cannot be opened as one ({e}): damaged or "
            "truncated? Nothing in it was read",
        )
        return
    dumps = 0  # members read (or rejected) as dumps
    with opened:
        for info in sorted(opened.infolist(), key=lambda i: i.header_offset):
            parts = PurePosixPath(info.filename).parts
            if info.is_dir() or any(p.startswith(".") or p == "__MACOSX" for p in parts):
                continue
            member = f"{name}:{info.filename}"
            kind = format_of(info.filename)
            if kind is None and not every:
                yield Note(member, 0, "skipped", "skipped: its extension names no dump format")
                continue
            dumps += 1
            if info.flag_bits & 0x1:
                yield Reject(member, 0, "encrypted: extract the archive with its password first")
                continue
            try:
                # A zip member reads lines 512 bytes at a time in Python; a buffer in front
                # of it halves the time to read a JSONL member.
                stream = io.BufferedReader(opened.open(info), _BUFFER)  # type: ignore[type-var]
                head = stream.peek(16)[:16]
            except (NotImplementedError, zipfile.BadZipFile, OSError, EOFError) as e:
                yield Reject(member, 0, f"cannot be read from the archive: {e}")
                continue
            if head.startswith(ZIP_MAGIC):
                with stream:
                    if depth < MAX_DEPTH:
                        yield from _members(stream, member, where, depth + 1, every)
                    else:
                        yield Reject(
                            member,
                            0,
                            f"a zip archive nested {depth + 1} deep: extract the outer ones first",
                        )
            elif head.startswith(PARQUET_MAGIC):
                yield ParquetSource(member, stream, info.file_size, where), "parquet"
            else:
                compression = compression_of(head)
                yield TextFile(member, stream, compression, info.file_size, where), kind
    if not dumps:
        yield Note(name, 0, "empty", "the zip archive holds no dump file: nothing to index")

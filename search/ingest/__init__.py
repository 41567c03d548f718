"""Read news dumps: files, directories or archives -> a stream of ``Article``, ``Reject``, ``Note``.

>>> for record in read_dump(["dumps/"]):  # doctest: +SKIP
...     match record:
...         case Article():
...             index(record)
...         case Reject() | Note():
...             report(str(record))  # "dumps/news.jsonl:7: invalid JSON at column 12: ..."

Formats (``format=``, else by file extension after any ``.gz``/``.bz2``/``.xz``, see
``formats.py``):

- ``"jsonl"``: ``.jsonl``, ``.ndjson``, ``.json`` -- one JSON object per line, or a file that
  starts with ``[``: one JSON array of objects, read as a stream (``jsonl.py``)
- ``"csv"``, ``"tsv"``: ``.csv``; ``.tsv``, ``.tab`` -- a header row, then rows (``delimited.py``)
- ``"sgml"``: ``.sgml``, ``.sgm``, ``.xml``, ``.trec``, and any file whose first line opens a
  ``<DOC`` -- TREC/SGML documents: the Arabic Gigaword, the ANT corpus (``sgml.py``)
- ``"parquet"``: ``.parquet``, and any file starting with ``PAR1`` (``parquet.py``, pyarrow)
- ``"pages"``: ``.txt`` -- one scraped article page per file (``pages.py``)

Zip archives (``.zip``, or any file starting with ``PK``) are read member by member, as a
directory is walked (``sources.py``); errors in a member name ``archive.zip:member:line``.

Which of a record's fields fills each of ours is found in each record by the alias table of
``fields.py`` (``content`` is a body, ``date_extracted`` a date), unless ``fields`` names the
dump's field. A file named directly with an unknown extension is sniffed: a first line
starting with ``{`` or ``[`` is JSONL, ``<DOC`` is SGML, a header naming a title or body column
is TSV or CSV, anything else is a page. Walking a directory (or an archive), files with other
extensions are skipped with a ``Note`` (so a README or LICENSE beside the dumps does not become
an article), and files without an extension are read only if their content is a dump format.
The walk is recursive and sorted, skips hidden files and directories, and does not follow
symlinked directories.

Compression is detected by content (see ``open.py``). Records stream: a dump of any size is
read line by line (a JSON array in pieces, Parquet a batch of rows at a time), never whole
(except pages, which hold one article each). A file whose start is not text (a tenth of it NUL
or other control bytes, or the signature of a PDF, tar, UTF-16 ...) is rejected whole, with what
it looks like; a text file with a few NUL bytes loses the lines they are on.

Limits (``limits.py``), so that memory and time follow the records, not the input:

- A record is at most ``max_record_bytes`` (``MAX_RECORD_BYTES``, 16 MiB; ``bahth index
  --max-record-mb``): a line (JSON Lines), an element of a JSON array, a CSV/TSV row, a
  ``<DOC>``, a page, the text of a Parquet row (multi-line records and Parquet rows are
  measured in characters). A larger one is a ``Reject`` naming the limit, read past without
  being held, and reading goes on after it: with the next line, element, row or ``<DOC>`` (a
  page is the whole file; a CSV row whose quote never closes takes the rest of the file).
- An element of a JSON array is nested at most 100 levels deep (``MAX_NESTING``), checked
  while it streams, before it is built: deeper, it is a ``Reject`` and the next element is
  read. A JSON line deeper than Python's parser goes (about 1,000 levels) is a ``Reject``.
- More than 64 MiB of blank lines in a row (``BLANK_BYTES``: whitespace only; a gigabyte of
  newlines is a gzip of a few MB) end the file with a ``Reject`` saying so; runs of blank lines
  are read in bulk, not a line at a time. A record over the limit is read past however long it
  is (a quote or bracket that never closes: to the end of the file), in bounded memory: time
  follows the input, memory does not.

One bad record never costs more than itself:

- A line holding a raw NUL byte is not read: it is a ``Reject`` (the record it is part of, for
  a CSV row, a ``<DOC>`` or a page), and the lines after it are read. An escaped ``\\u0000``
  in JSON is a character like any other and is kept.
- Lone surrogates that JSON escapes (``"\\ud800"``, common in scraped text) are replaced with
  U+FFFD in field names and values, and counted: no article carries one.
- A record whose reading raises one of the errors its data can cause (``ValueError``,
  ``OverflowError``, ``RecursionError``: ``records.DATA_ERRORS``) is a ``Reject`` with the
  error's message; any other exception is a bug and is not hidden.

What comes out, in file order and then line order:

- ``Article`` for each good record; duplicate ids are passed through for the indexer to decide.
- ``Reject(file, line, reason, raw)`` for a record that cannot be read, and for a file whose
  compressed data is truncated or corrupt (after the records before the damage).
- ``Note(file, line, kind, message)``: ``"date"`` right after an article whose date string did
  not parse (the article has ``date=None`` and ``date_text`` as published); ``"encoding"``
  once per file with invalid UTF-8, after its records; ``"repaired"`` once per file with lone
  surrogates replaced, after its records (``count``: how many); ``"skipped"`` for a skipped file;
  ``"empty"`` for a file with no record at all; ``"title-only"`` and ``"no-date"`` after a
  file whose articles mostly have no body or no readable date (see ``checks.py``); at the very
  end, ``"field"`` for each mapped field (``fields``) that no article had a value for, and
  ``"fields"``: which dump field filled each of ours, when it was not our own name.

A path that does not exist raises ``InputError`` before anything is read; a file that cannot
be opened when its turn comes (it vanished, permission denied) gives a ``Reject`` for the
whole file (line 0) and reading goes on with the next file.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import TypeAlias

from search.article import Article
from search.errors import InputError
from search.ingest.checks import DumpCheck
from search.ingest.dates import parse_date
from search.ingest.fields import ALIASES, FIELDS, FieldMap
from search.ingest.formats import FORMATS, Format, format_of
from search.ingest.limits import MAX_RECORD_BYTES, Limits
from search.ingest.open import open_text
from search.ingest.reading import read_source
from search.ingest.records import WARNINGS, Note, NoteKind, Progress, Reject
from search.ingest.sources import open_sources

__all__ = [
    "ALIASES",
    "FIELDS",
    "FORMATS",
    "MAX_RECORD_BYTES",
    "WARNINGS",
    "Format",
    "Note",
    "NoteKind",
    "Progress",
    "Record",
    "Reject",
    "find_files",
    "parse_date",
    "read_dump",
    "read_file",
]

Record: TypeAlias = Article | Reject | Note
PathArg: TypeAlias = str | os.PathLike[str]

# Progress is reported every this many records, and at the end of each file: often enough for
# a progress bar to move every second or so at the slowest indexing speeds.
_PROGRESS_EVERY = 100


def find_files(paths: PathArg | Iterable[PathArg], *, format: Format | None = None) -> list[Path]:
    """The files ``read_dump(paths, format=format)`` reads, in reading order.

    Directories are walked recursively in sorted order, skipping hidden files and directories,
    and, unless ``format`` is given, files whose extension names no format. Files named
    directly are always included. Raises ``InputError`` for a path that does not exist.

    >>> find_files(["dumps/"])  # doctest: +SKIP
    [PosixPath('dumps/2015/news.jsonl.gz'), PosixPath('dumps/2016/news.csv.xz')]
    """
    return [path for path, _ in _walk(paths, format)[0]]


def read_file(
    path: PathArg,
    *,
    format: Format | None = None,
    fields: Mapping[str, str] | None = None,
    max_record_bytes: int = MAX_RECORD_BYTES,
) -> Iterator[Record]:
    """The records of one file (or of the members of one archive). Opens it now:
    ``InputError`` if it cannot be opened at all.

    ``format``, ``fields`` and ``max_record_bytes`` are as for ``read_dump``.

    >>> records = list(read_file("news.csv.gz", fields={"body": "texte"}))  # doctest: +SKIP
    """
    open_text(path).close()
    return read_dump([path], format=format, fields=fields, max_record_bytes=max_record_bytes)


def read_dump(
    paths: PathArg | Iterable[PathArg],
    *,
    format: Format | None = None,
    fields: Mapping[str, str] | None = None,
    on_progress: Callable[[Progress], None] | None = None,
    max_record_bytes: int = MAX_RECORD_BYTES,
) -> Iterator[Record]:
    """Stream the records of every file in ``paths`` (files, directories, zip archives).

    ``format``: one of ``FORMATS`` for every file, or ``None`` to choose per file (see the
    module doc). ``fields``: our field name -> the dump's, e.g. ``{"body": "texte"}``, for the
    fields the alias table (``ALIASES``) does not find; our names are ``FIELDS``. ``on_progress``
    is called with a ``Progress`` before the first record, every hundred records, and after
    each file. ``max_record_bytes``: the largest record read (see the module doc); a larger
    one is a ``Reject``.

    Checks its arguments and the paths at once (``ValueError``, ``InputError``); files are
    opened as they are reached.

    >>> records = read_dump("dumps/", fields={"body": "texte"})  # doctest: +SKIP
    >>> sum(isinstance(r, Reject) for r in records)  # doctest: +SKIP
    57
    """
    mapping = FieldMap.of(fields)
    if format is not None and format not in FORMATS:
        raise ValueError(f"unknown format {format!r}; known: {', '.join(FORMATS)}")
    if type(max_record_bytes) is not int or max_record_bytes < 1:
        raise ValueError(f"max_record_bytes must be a positive integer, not {max_record_bytes!r}")
    files, skipped = _walk(paths, format)
    limits = Limits(record_bytes=max_record_bytes)
    return _read_all(files, skipped, format, mapping, on_progress, limits)


def _read_all(
    files: list[tuple[Path, Format | None]],
    skipped: list[Path],
    format: Format | None,
    fields: FieldMap,
    on_progress: Callable[[Progress], None] | None,
    limits: Limits,
) -> Iterator[Record]:
    for path in skipped:
        yield Note(str(path), 0, "skipped", "skipped: its extension names no dump format")
    sizes = [_size(f) for f, _ in files]
    total = sum(sizes)
    done = 0
    read = 0  # records (articles and rejects) so far
    check = DumpCheck(fields)
    if on_progress is not None and files:  # the size of the whole, before the first record
        on_progress(Progress(str(files[0][0]), 0, len(files), 0, total, 0))
    for number, ((path, fallback), size) in enumerate(zip(files, sizes, strict=True)):
        for opened in open_sources(path, every=format is not None):
            if isinstance(opened, Reject | Note):
                read += isinstance(opened, Reject)
                yield opened
                continue
            source, kind = opened
            # A file named directly may be a page; a member of an archive is probed, as a
            # file found by walking a directory is.
            member = source.name != str(path)
            records = read_source(
                source, kind, format, None if member else fallback, fields, check, limits
            )
            with contextlib.closing(records):
                for record in records:
                    yield record
                    if type(record) is not Note:
                        read += 1
                        if on_progress is not None and read % _PROGRESS_EVERY == 0:
                            at = done + source.position()
                            on_progress(Progress(str(path), number, len(files), at, total, read))
        done += size
        if on_progress is not None:
            on_progress(Progress(str(path), number + 1, len(files), done, total, read))
    yield from check.notes()


def _walk(
    paths: PathArg | Iterable[PathArg], format: Format | None
) -> tuple[list[tuple[Path, Format | None]], list[Path]]:
    """(files to read, each with the format of its content when it shows none; files skipped
    for their unknown extension). A file named directly that shows no format is a page; one
    found by walking is skipped then."""
    files: list[tuple[Path, Format | None]] = []
    skipped: list[Path] = []
    for path in map(Path, [paths] if isinstance(paths, str | os.PathLike) else paths):
        if path.is_dir():
            for root, dirs, names in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(names):
                    if not name.startswith("."):
                        found = Path(root, name)
                        if format or format_of(found):
                            files.append((found, None))
                        else:
                            skipped.append(found)
        elif path.exists():
            files.append((path, "pages"))
        else:
            raise InputError(f"{path}: no such file or directory", "Check the path.")
    return files, skipped


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:  # opening it will say what is wrong
        return 0

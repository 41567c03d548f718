"""Read news dumps: files or directories -> a stream of ``Article``, ``Reject`` and ``Note``.

>>> for record in read_dump(["dumps/"]):  # doctest: +SKIP
...     match record:
...         case Article():
...             index(record)
...         case Reject() | Note():
...             report(str(record))  # "dumps/news.jsonl:7: invalid JSON at column 12: ..."

Formats (``format=``, else by file extension after any ``.gz``/``.bz2``/``.xz``):

- ``"jsonl"``: ``.jsonl``, ``.ndjson``, ``.json`` -- one JSON object per line (``jsonl.py``)
- ``"csv"``, ``"tsv"``: ``.csv``; ``.tsv``, ``.tab`` -- a header row, then rows (``delimited.py``)
- ``"pages"``: ``.txt`` -- one scraped article page per file (``pages.py``)

A file named directly with another extension is sniffed: a first line starting with ``{`` or
``[`` is JSONL, a header naming the title or body column is TSV or CSV, anything else is a
page. Files with other extensions found by walking a directory are skipped, with a ``Note`` (so
a README or LICENSE beside the dumps does not become an article). The walk is recursive and
sorted, skips hidden files and directories, and does not follow symlinked directories.

Compression is detected by content (see ``open.py``). Records stream: a dump of any size is
read line by line, never whole (except pages, which hold one article each).

What comes out, in file order and then line order:

- ``Article`` for each good record; duplicate ids are passed through for the indexer to decide.
- ``Reject(file, line, reason, raw)`` for a record that cannot be read, and for a file whose
  compressed data is truncated or corrupt (after the records before the damage).
- ``Note(file, line, kind, message)``: ``"date"`` right after an article whose date string did
  not parse (the article has ``date=None`` and ``date_text`` as published); ``"encoding"``
  once per file with invalid UTF-8, after its records; ``"skipped"`` for a skipped file.

A path that does not exist raises ``InputError`` before anything is read; a file that cannot
be opened when its turn comes (it vanished, permission denied) gives a ``Reject`` for the
whole file (line 0) and reading goes on with the next file.
"""

from __future__ import annotations

import contextlib
import csv
import itertools
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Literal, TypeAlias

from search.article import Article
from search.errors import InputError
from search.ingest.dates import parse_date
from search.ingest.delimited import read_delimited
from search.ingest.fields import FIELDS, FieldNames
from search.ingest.jsonl import read_jsonl
from search.ingest.open import StreamBroken, TextFile, open_text
from search.ingest.pages import read_page
from search.ingest.records import Note, NoteKind, Progress, Reject

__all__ = [
    "FIELDS",
    "FORMATS",
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

Format: TypeAlias = Literal["jsonl", "csv", "tsv", "pages"]
FORMATS: tuple[Format, ...] = ("jsonl", "csv", "tsv", "pages")
Record: TypeAlias = Article | Reject | Note
PathArg: TypeAlias = str | os.PathLike[str]

_EXTENSIONS: dict[str, Format] = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".txt": "pages",
}
_COMPRESSED = (".gz", ".bz2", ".xz")
# Progress is reported every this many records, and at the end of each file.
_PROGRESS_EVERY = 1000


def find_files(paths: PathArg | Iterable[PathArg], *, format: Format | None = None) -> list[Path]:
    """The files ``read_dump(paths, format=format)`` reads, in reading order.

    Directories are walked recursively in sorted order, skipping hidden files and directories,
    and, unless ``format`` is given, files whose extension names no format. Files named
    directly are always included. Raises ``InputError`` for a path that does not exist.

    >>> find_files(["dumps/"])  # doctest: +SKIP
    [PosixPath('dumps/2015/news.jsonl.gz'), PosixPath('dumps/2016/news.csv.xz')]
    """
    return _walk(paths, format)[0]


def read_file(
    path: PathArg,
    *,
    format: Format | None = None,
    fields: Mapping[str, str] | None = None,
) -> Iterator[Record]:
    """The records of one file. Opens it now: ``InputError`` if it cannot be opened at all.

    ``format`` and ``fields`` are as for ``read_dump``.

    >>> records = list(read_file("news.csv.gz", fields={"body": "content"}))  # doctest: +SKIP
    """
    names = FieldNames.of(fields)
    _check_format(format)
    return _records(open_text(path), format or _format_of(Path(path)), names)


def read_dump(
    paths: PathArg | Iterable[PathArg],
    *,
    format: Format | None = None,
    fields: Mapping[str, str] | None = None,
    on_progress: Callable[[Progress], None] | None = None,
) -> Iterator[Record]:
    """Stream the records of every file in ``paths`` (files or directories).

    ``format``: one of ``FORMATS`` for every file, or ``None`` to choose per file (see the
    module doc). ``fields``: our field name -> the dump's, for JSONL/CSV/TSV, e.g.
    ``{"title": "headline", "body": "content"}``; our names are ``FIELDS``, and fields not
    mentioned keep their own name. ``on_progress`` is called with a ``Progress`` every
    thousand records or so, and after each file.

    Checks its arguments and the paths at once (``ValueError``, ``InputError``); files are
    opened as they are reached.

    >>> records = read_dump("dumps/", fields={"body": "content"})  # doctest: +SKIP
    >>> sum(isinstance(r, Reject) for r in records)  # doctest: +SKIP
    57
    """
    names = FieldNames.of(fields)
    _check_format(format)
    files, skipped = _walk(paths, format)
    return _read_all(files, skipped, format, names, on_progress)


def _read_all(
    files: list[Path],
    skipped: list[Path],
    format: Format | None,
    names: FieldNames,
    on_progress: Callable[[Progress], None] | None,
) -> Iterator[Record]:
    for path in skipped:
        yield Note(str(path), 0, "skipped", "skipped: its extension names no dump format")
    sizes = [_size(f) for f in files]
    total = sum(sizes)
    done = 0
    for number, (path, size) in enumerate(zip(files, sizes, strict=True)):
        try:
            source = open_text(path)
        except InputError as error:  # one bad file must not stop a dump of thousands
            yield Reject(str(path), 0, error.message.removeprefix(f"{path}: "))
            done += size
            continue
        with contextlib.closing(_records(source, format or _format_of(path), names)) as records:
            for count, record in enumerate(records, 1):
                yield record
                if on_progress is not None and count % _PROGRESS_EVERY == 0:
                    at = done + source.position()
                    on_progress(Progress(str(path), number, len(files), at, total))
        done += size
        if on_progress is not None:
            on_progress(Progress(str(path), number + 1, len(files), done, total))


def _records(source: TextFile, format: Format | None, names: FieldNames) -> Iterator[Record]:
    with source:
        try:
            lines = source.lines()
            if format is None:
                format, lines = _sniff(lines, names)
            for record in _reader(format, lines, source.name, names):
                yield record
                if type(record) is Article and record.date is None and record.date_text:
                    yield Note(
                        source.name,
                        _line_of(record),
                        "date",
                        f"unparsed date {record.date_text!r}",
                    )
        except StreamBroken as e:
            yield Reject(source.name, e.line, e.reason)
        if source.replaced:
            yield Note(
                source.name,
                source.first_replaced_line or 0,
                "encoding",
                f"{source.replaced} invalid UTF-8 byte sequence(s) replaced with U+FFFD "
                f"(the first on this line)",
            )


def _reader(
    format: Format, lines: Iterable[str], file: str, names: FieldNames
) -> Iterator[Article | Reject]:
    if format == "jsonl":
        return read_jsonl(lines, file, names)
    if format == "csv":
        return read_delimited(lines, file, names, delimiter=",")
    if format == "tsv":
        return read_delimited(lines, file, names, delimiter="\t")
    return read_page(lines, file)


def _sniff(lines: Iterator[str], names: FieldNames) -> tuple[Format, Iterator[str]]:
    head: list[str] = []
    for line in lines:
        head.append(line)
        if not line.isspace():
            break
    first = head[-1].strip() if head else ""
    lines = itertools.chain(head, lines)
    if first[:1] in ("{", "["):
        return "jsonl", lines
    for format, delimiter in (("tsv", "\t"), ("csv", ",")):
        columns = {c.strip() for c in next(csv.reader([first], delimiter=delimiter), [])}
        if names.title in columns or names.body in columns:
            return format, lines
    return "pages", lines


def _walk(
    paths: PathArg | Iterable[PathArg], format: Format | None
) -> tuple[list[Path], list[Path]]:
    """(files to read, files skipped for their unknown extension)."""
    files: list[Path] = []
    skipped: list[Path] = []
    for path in map(Path, [paths] if isinstance(paths, str | os.PathLike) else paths):
        if path.is_dir():
            for root, dirs, names in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(names):
                    if not name.startswith("."):
                        found = Path(root, name)
                        known = format or _format_of(found)
                        (files if known else skipped).append(found)
        elif path.exists():
            files.append(path)
        else:
            raise InputError(f"{path}: no such file or directory", "Check the path.")
    return files, skipped


def _format_of(path: Path) -> Format | None:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] in _COMPRESSED:
        suffixes.pop()
    return _EXTENSIONS.get(suffixes[-1]) if suffixes else None


def _check_format(format: str | None) -> None:
    if format is not None and format not in FORMATS:
        raise ValueError(f"unknown format {format!r}; known: {', '.join(FORMATS)}")


def _line_of(article: Article) -> int:
    # Every reader sets origin to "file:line"; the file name itself may contain colons.
    return int((article.origin or "").rpartition(":")[2] or 0)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:  # opening it will say what is wrong
        return 0

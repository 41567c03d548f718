"""Read news dumps: files or directories -> a stream of ``Article``, ``Reject`` and ``Note``.

>>> for record in read_dump(["dumps/"]):  # doctest: +SKIP
...     match record:
...         case Article():
...             index(record)
...         case Reject() | Note():
...             report(str(record))  # "dumps/news.jsonl:7: invalid JSON at column 12: ..."

Formats (``format=``, else by file extension after any ``.gz``/``.bz2``/``.xz``):

- ``"jsonl"``: ``.jsonl``, ``.ndjson``, ``.json`` -- one JSON object per line, or a file that
  starts with ``[``: one JSON array of objects, read as a stream (``jsonl.py``)
- ``"csv"``, ``"tsv"``: ``.csv``; ``.tsv``, ``.tab`` -- a header row, then rows (``delimited.py``)
- ``"pages"``: ``.txt`` -- one scraped article page per file (``pages.py``)

A file named directly with another extension is sniffed: a first line starting with ``{`` or
``[`` is JSONL, a header naming the title or body column is TSV or CSV, anything else is a
page. Files with other extensions found by walking a directory are skipped, with a ``Note`` (so
a README or LICENSE beside the dumps does not become an article). The walk is recursive and
sorted, skips hidden files and directories, and does not follow symlinked directories.

Compression is detected by content (see ``open.py``). Records stream: a dump of any size is
read line by line (a JSON array in pieces), never whole (except pages, which hold one article
each). A file whose start is not text (NUL or other control bytes, or the signature of a zip,
PDF, tar, UTF-16 ...) is rejected whole, with what it looks like.

What comes out, in file order and then line order:

- ``Article`` for each good record; duplicate ids are passed through for the indexer to decide.
- ``Reject(file, line, reason, raw)`` for a record that cannot be read, and for a file whose
  compressed data is truncated or corrupt (after the records before the damage).
- ``Note(file, line, kind, message)``: ``"date"`` right after an article whose date string did
  not parse (the article has ``date=None`` and ``date_text`` as published); ``"encoding"``
  once per file with invalid UTF-8, after its records; ``"skipped"`` for a skipped file;
  ``"empty"`` for a file with no record at all; at the very end, ``"field"`` for each mapped
  field (``fields``) that no article had a value for.

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

from search.article import Article, article_id
from search.errors import InputError
from search.ingest.dates import parse_date
from search.ingest.delimited import read_delimited
from search.ingest.fields import FIELDS, FieldNames
from search.ingest.jsonl import read_json_array, read_jsonl
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
    return _records(open_text(path), format or _format_of(Path(path)), names, _FieldCheck(names))


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
    mentioned keep their own name. ``on_progress`` is called with a ``Progress`` before the
    first record, every hundred records, and after each file.

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
    read = 0  # records (articles and rejects) so far
    fields = _FieldCheck(names)
    if on_progress is not None and files:  # the size of the whole, before the first record
        on_progress(Progress(str(files[0]), 0, len(files), 0, total, 0))
    for number, (path, size) in enumerate(zip(files, sizes, strict=True)):
        try:
            source = open_text(path)
        except InputError as error:  # one bad file must not stop a dump of thousands
            yield Reject(str(path), 0, error.message.removeprefix(f"{path}: "))
            read += 1
            done += size
            continue
        records = _records(source, format or _format_of(path), names, fields)
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
    yield from fields.notes()


class _FieldCheck:
    """Which mapped fields (``fields={"body": "text"}``) some article had a value for, and
    the first record's field names, to name in the note about a mapping that found nothing."""

    def __init__(self, names: FieldNames) -> None:
        self.unseen = {ours: theirs for ours in FIELDS if (theirs := getattr(names, ours)) != ours}
        self.columns: list[str] = []  # the first JSON object's keys or the CSV header

    def see(self, article: Article) -> None:
        for ours in list(self.unseen):
            if ours == "id":
                found = article.id != article_id(article.url, article.title, article.body)
            else:
                found = bool(getattr(article, "date_text" if ours == "date" else ours))
            if found:
                del self.unseen[ours]

    def notes(self) -> Iterator[Note]:
        dump = f" (the first record's fields: {', '.join(self.columns)})" if self.columns else ""
        for ours, theirs in self.unseen.items():
            yield Note(
                "",
                0,
                "field",
                f"no record had a value for {theirs!r}, mapped to our {ours!r} (--field "
                f"{ours}={theirs}): its articles were read without {ours}{dump}",
            )


def _records(
    source: TextFile, format: Format | None, names: FieldNames, fields: _FieldCheck
) -> Iterator[Record]:
    count = 0  # articles and rejects
    with source:
        try:
            head = source.head()
            binary = _binary(head)
            if binary:
                what = f"its {source.compression} data is" if source.compression else "it is"
                yield Reject(source.name, 0, f"not a text dump: {what} {binary}")
                return
            if format in (None, "jsonl") and head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"[":
                records = read_json_array(source.pieces(), source.name, names, fields.columns)
                format = "jsonl"
            else:
                lines = source.lines()
                if format is None:
                    format, lines = _sniff(lines, names)
                records = _reader(format, lines, source.name, names, fields.columns)
            mapped = format != "pages"
            for record in records:
                count += 1
                yield record
                if type(record) is Article:
                    if mapped and fields.unseen:
                        fields.see(record)
                    if record.date is None and record.date_text:
                        yield Note(
                            source.name,
                            _line_of(record),
                            "date",
                            f"unparsed date {record.date_text!r}",
                        )
        except StreamBroken as e:
            count += 1
            yield Reject(source.name, e.line, e.reason)
        if source.replaced:
            yield Note(
                source.name,
                source.first_replaced_line or 0,
                "encoding",
                f"{source.replaced} invalid UTF-8 byte sequence(s) replaced with U+FFFD "
                f"(the first on this line)",
            )
        if not count:
            what = "the file is empty" if not source.size else "no records in it"
            yield Note(source.name, 0, "empty", f"{what}: nothing to index")


def _reader(
    format: Format, lines: Iterable[str], file: str, names: FieldNames, columns: list[str]
) -> Iterator[Article | Reject]:
    if format == "jsonl":
        return read_jsonl(lines, file, names, columns)
    if format == "csv":
        return read_delimited(lines, file, names, delimiter=",", columns=columns)
    if format == "tsv":
        return read_delimited(lines, file, names, delimiter="\t", columns=columns)
    return read_page(lines, file)


# What a file's first bytes say it is, when it is not text (checked first, in this order).
_SIGNATURES = (
    (b"PK\x03\x04", "a zip archive (unzip it first; Bahth reads .gz, .bz2 and .xz as they are)"),
    (b"%PDF", "a PDF document"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"PAR1", "a Parquet file"),
    (b"\xff\xfe", "UTF-16 text (convert it to UTF-8: iconv -f UTF-16 -t UTF-8)"),
    (b"\xfe\xff", "UTF-16 text (convert it to UTF-8: iconv -f UTF-16 -t UTF-8)"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive (extract it first)"),
    (b"Rar!", "a RAR archive (extract it first)"),
    (b"\x28\xb5\x2f\xfd", "zstd-compressed (decompress it first: zstd -d)"),
)
# Bytes that text never holds (controls other than tab, newlines, form feed and escape).
_CONTROLS = bytes(b for b in range(32) if b not in b"\t\n\r\f\x1b")


def _binary(head: bytes) -> str | None:
    """What the start of a file shows it to be, if it is not text; None for text."""
    for magic, what in _SIGNATURES:
        if head.startswith(magic):
            return what
    if len(head) > 262 and head[257:262] == b"ustar":
        return "a tar archive (extract it first: tar -xf)"
    if b"\x00" in head:
        return f"binary data (a NUL byte at offset {head.index(0)}), not text"
    controls = len(head) - len(head.translate(None, _CONTROLS))
    if controls > len(head) // 10:
        return f"binary data ({controls} control bytes in its first {len(head)}), not text"
    # A few invalid bytes are damage, replaced and reported; mostly invalid is another encoding.
    text = head.decode("utf-8", "replace")
    if text.count("\ufffd") > len(text) // 4:
        return (
            "not UTF-8: binary data, or text in another encoding (Windows-1256 or ISO-8859-6 "
            "for Arabic? convert it: iconv -f WINDOWS-1256 -t UTF-8)"
        )
    return None


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
        try:
            columns = {c.strip() for c in next(csv.reader([first], delimiter=delimiter), [])}
        except csv.Error:  # not a header row, whatever else it is
            continue
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

"""Which format a dump file is in: by its name, and by its first bytes and lines.

A name's extension (after ``.gz``/``.bz2``/``.xz``) says the format. Inside a directory or an
archive, a file with another extension is skipped (a README or LICENSE beside the dumps must not
become an article), and one with no extension at all (Gigaword's ``afp_arb_200101.gz``, a
TREC collection's ``AFP_ARB_20000515``) is *probed*: read if its content is JSON, a CSV/TSV
header, or TREC/SGML ``<DOC>``s, else skipped. A file named on the command line is always read,
as a scraped page when nothing else fits.

>>> format_of("dumps/2015.jsonl.gz"), format_of("dataset/2015-07-21.zip")
('jsonl', 'zip')
>>> format_of("data/afp_arb/afp_arb_200101.gz"), format_of("README.md")
('probe', None)
"""

from __future__ import annotations

import csv
import itertools
import os
from collections.abc import Iterator
from pathlib import PurePath
from typing import Literal, TypeAlias

from search.ingest.fields import FieldMap
from search.ingest.limits import SkippedLine

Format: TypeAlias = Literal["jsonl", "csv", "tsv", "pages", "sgml", "parquet"]
FORMATS: tuple[Format, ...] = ("jsonl", "csv", "tsv", "pages", "sgml", "parquet")
# What a name says: a format, an archive to open, or "probe" (no extension: read by content).
Kind: TypeAlias = Literal["jsonl", "csv", "tsv", "pages", "sgml", "parquet", "zip", "probe"]

_EXTENSIONS: dict[str, Kind] = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".txt": "pages",
    ".sgml": "sgml",
    ".sgm": "sgml",
    ".xml": "sgml",
    ".trec": "sgml",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".zip": "zip",
}
_COMPRESSED = (".gz", ".bz2", ".xz")
_DELIMITED: tuple[tuple[Format, str], ...] = (("tsv", "\t"), ("csv", ","))

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")  # a zip's first member, or an empty zip
PARQUET_MAGIC = b"PAR1"

# What a file's first bytes say it is, when it is not text (checked first, in this order).
_SIGNATURES = (
    (b"PK\x03\x04", "a zip archive inside a compressed file (decompress the outer file first)"),
    (b"%PDF", "a PDF document"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (PARQUET_MAGIC, "a Parquet file inside a compressed file (decompress it first)"),
    (b"\xff\xfe", "UTF-16 text (convert it to UTF-8: iconv -f UTF-16 -t UTF-8)"),
    (b"\xfe\xff", "UTF-16 text (convert it to UTF-8: iconv -f UTF-16 -t UTF-8)"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive (extract it first)"),
    (b"Rar!", "a RAR archive (extract it first)"),
    (b"\x28\xb5\x2f\xfd", "zstd-compressed (decompress it first: zstd -d)"),
)
# Bytes that text never holds (controls other than tab, newlines, form feed and escape). NUL
# is one: a few in a text file are damage, rejected line by line (``TextFile.lines()``); a
# tenth of the start of a file is no text.
_CONTROLS = bytes(b for b in range(32) if b not in b"\t\n\r\f\x1b")
_BLANKS = 64 * 1024  # characters of the blank lines sniff() passes on in one string


def format_of(name: str | os.PathLike[str]) -> Kind | None:
    """What ``name``'s extension says: a format, ``"zip"``, ``"probe"`` (none), or None."""
    suffixes = [s.lower() for s in PurePath(name).suffixes]
    if suffixes and suffixes[-1] in _COMPRESSED:
        suffixes.pop()
    if not suffixes or not suffixes[-1][1:].isalpha():  # "afp_arb_2001.0101" has no extension
        return "probe"
    return _EXTENSIONS.get(suffixes[-1])


def binary(head: bytes) -> str | None:
    """What the start of a file shows it to be, if it is not text; None for text."""
    for magic, what in _SIGNATURES:
        if head.startswith(magic):
            return what
    if len(head) > 262 and head[257:262] == b"ustar":
        return "a tar archive (extract it first: tar -xf)"
    controls = len(head) - len(head.translate(None, _CONTROLS))
    if controls > len(head) // 10:
        nuls = head.count(0)
        which = f", {nuls} of them NUL," if nuls else ""
        return f"binary data ({controls} control bytes{which} in its first {len(head)}), not text"
    # A few invalid bytes are damage, replaced and reported; mostly invalid is another encoding.
    text = head.decode("utf-8", "replace")
    if text.count("\ufffd") > len(text) // 4:
        return (
            "not UTF-8: binary data, or text in another encoding (Windows-1256 or ISO-8859-6 "
            "for Arabic? convert it: iconv -f WINDOWS-1256 -t UTF-8)"
        )
    return None


def sniff(
    lines: Iterator[str], fields: FieldMap, fallback: Format | None
) -> tuple[Format | None, Iterator[str]]:
    """The format the first non-blank line shows (``{``/``[``: JSON; ``<DOC``: SGML; a header
    naming a title or body column: TSV or CSV), else ``fallback``; and the lines, unconsumed
    (the blank lines before the first as newlines, however many: they are not held)."""
    blank = 0  # lines before the first that is not blank
    first = ""
    head: list[str] = []
    for line in lines:
        if line and line.isspace():
            blank += line.count("\n")
            continue
        head.append(line)
        # A line that was not read is sniffed by its start.
        first = (line.raw if type(line) is SkippedLine else line).strip()
        break
    lines = itertools.chain(_newlines(blank), head, lines)
    if first[:1] in ("{", "["):
        return "jsonl", lines
    if first[:4].upper() == "<DOC" and (first[4:5] in (">", "") or first[4:5].isspace()):
        return "sgml", lines
    for format, delimiter in _DELIMITED:
        try:
            columns = [c.strip() for c in next(csv.reader([first], delimiter=delimiter), [])]
        except csv.Error:  # not a header row, whatever else it is
            continue
        plan = fields.plan(columns)
        if plan["title"] or plan["body"]:
            return format, lines
    return fallback, lines


def _newlines(count: int) -> Iterator[str]:
    """``count`` blank lines, as ``TextFile.lines()`` gives runs of them: a few strings."""
    while count > 0:
        yield "\n" * min(count, _BLANKS)
        count -= _BLANKS

"""What the dump readers yield besides ``Article``: ``Reject``, ``Note`` and ``Progress``."""

from __future__ import annotations

import dataclasses
from typing import Literal

NoteKind = Literal[
    "date", "encoding", "repaired", "skipped", "empty", "field", "fields", "title-only",
    "no-date",
]  # fmt: skip
#: The notes that say a dump was probably read wrongly (``strict`` indexing fails on them).
WARNINGS: frozenset[NoteKind] = frozenset({"field", "title-only", "no-date"})


@dataclasses.dataclass(frozen=True, slots=True)
class Reject:
    """A record that could not become an ``Article``; ``raw`` is its text when there is one.

    >>> str(Reject("news.jsonl", 7, "invalid JSON at column 12: Expecting ',' delimiter"))
    "news.jsonl:7: invalid JSON at column 12: Expecting ',' delimiter"
    """

    file: str
    line: int
    reason: str
    raw: str | None = None

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.reason}"


# What a record's data can make the code that reads it raise (a date past year 9999, a value
# nested deeper than Python recurses): a reject of that record. Other exceptions are bugs, and
# are let through.
DATA_ERRORS = (ValueError, OverflowError, RecursionError)


def unreadable(file: str, line: int, error: BaseException, raw: str | None = None) -> Reject:
    """The reject of a record whose reading raised ``error`` (one of ``DATA_ERRORS``).

    >>> str(unreadable("a.jsonl", 3, OverflowError("date value out of range")))
    'a.jsonl:3: cannot be read: date value out of range (OverflowError)'
    """
    return Reject(file, line, cannot_read(error), raw)


def cannot_read(error: BaseException) -> str:
    """What ``error`` says, as the reason of a reject: its first line, and its type."""
    detail = str(error).strip().splitlines()[0] if str(error).strip() else "no detail"
    return f"cannot be read: {detail[:200]} ({type(error).__name__})"


@dataclasses.dataclass(frozen=True, slots=True)
class Note:
    """Something the caller should count or report, though nothing was lost.

    ``kind`` is one of:

    - ``"date"``: the article just yielded (same ``file`` and ``line``) has a date string that
      could not be parsed; it keeps ``date=None`` and ``date_text`` as published.
    - ``"encoding"``: the file had invalid UTF-8 bytes, replaced with U+FFFD. One note per file,
      after its records; ``line`` is the first line affected.
    - ``"repaired"``: records of the file had lone surrogates (JSON's ``"\\ud800"``), replaced
      with U+FFFD; ``count`` says how many. One note per file, after its records; ``line`` is
      the first line affected.
    - ``"skipped"``: a file found while walking a directory was not read because its type is
      unknown (``line`` is 0).
    - ``"empty"``: a file held no record at all (empty, blank, only a header, ``[]``);
      ``line`` is 0.
    - ``"field"``: a field mapping (``fields={"body": "text"}``) named a dump field that no
      record of the run had a value for: its articles were read without it. One note per
      mapping, after every record; ``file`` is empty and ``line`` 0.
    - ``"title-only"``: most articles of a file have a title and no body (a body field under
      a name the alias table does not know?); ``"no-date"``: most dates of a file could not
      be read, or its records have no date field but one of their fields holds dates. Each
      says what to do (``--field``). The first file is named as soon as it has been read; the
      files after it are counted in one more note at the end (``file`` empty).
    - ``"fields"``: at the end, which dump field filled each of ours, when it was not our
      own name (``body ← content``); ``mapping`` holds ``(ours, theirs, articles)``.

    >>> str(Note("news.csv", 3, "date", "unparsed date '15 رمضان 1446 هـ'"))
    "news.csv:3: unparsed date '15 رمضان 1446 هـ'"
    """

    file: str
    line: int
    kind: NoteKind
    message: str
    mapping: tuple[tuple[str, str, int], ...] = ()
    count: int = 0

    @property
    def is_warning(self) -> bool:
        """Whether the note says the dump was probably read wrongly (``WARNINGS``)."""
        return self.kind in WARNINGS

    def __str__(self) -> str:
        if not self.file:  # a note about the whole run
            return self.message
        return f"{self.file}:{self.line}: {self.message}"


Phase = Literal["reading", "committing", "committed"]


@dataclasses.dataclass(frozen=True, slots=True)
class Progress:
    """How far a run has got: bytes on disk (compressed bytes for compressed files) of the
    dumps, and ``records`` read (articles and rejects). The number of records in a dump is not
    known until it has been read, so the bytes are the measure of the whole.

    ``phase`` is ``"reading"`` while ``read_dump`` reads; ``Indexer`` adds ``"committing"``
    when everything has been read and its commit (the last analysis, writing and merging
    segments) starts, and ``"committed"`` when that is done.
    """

    file: str
    files_done: int
    files_total: int
    bytes_done: int
    bytes_total: int
    records: int = 0
    phase: Phase = "reading"

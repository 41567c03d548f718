"""The bounds every dump reader keeps, whatever the input: dumps are untrusted.

A record is at most ``Limits.record_bytes`` (``MAX_RECORD_BYTES``, 16 MiB by default;
``read_dump(max_record_bytes=...)``, ``bahth index --max-record-mb``): a line, a JSON array's
element, a CSV row, a ``<DOC>``, a page, a Parquet row's text. A larger one is a ``Reject``
naming the limit, read past without being held (however long it is: time follows the input,
memory does not), and reading goes on after it where the format allows. A JSON array's element
is nested at most ``MAX_NESTING`` levels deep. And a file may hold at most
``Limits.blank_bytes`` (``BLANK_BYTES``, 64 MiB) of blank text in a row (whitespace only: a
gigabyte of newlines compresses to a few megabytes): beyond, the file ends with a ``Reject``
saying so. Blank lines are read in runs, not one at a time, so reaching that takes a second.

A line that is not read is given by ``TextFile.lines()`` as a ``SkippedLine``: an empty string
that says why, so that the readers' test for blank lines catches it at no cost to good lines.
"""

from __future__ import annotations

import dataclasses

MiB = 1024 * 1024
# Far above any news article (the longest of the shared corpora is under 1 MiB), low enough
# that a record's copies (bytes, text, parsed value, the article) stay well under a gigabyte.
MAX_RECORD_BYTES = 16 * MiB
# JSON nesting: records are objects of strings and lists of strings; 100 levels leave room for
# any export, and keep the parser of one element far from Python's recursion limit.
MAX_NESTING = 100
# Blank text in a row (whitespace only) beyond which a file is given up: no dump has pages of
# nothing, and a hostile one of blank lines would otherwise be read to its end.
BLANK_BYTES = 64 * MiB
# How much of a line or element that is not read is kept in its reject's ``raw``.
RAW_CHARS = 1024
RAW_BYTES = RAW_CHARS * 2  # of UTF-8 Arabic: two bytes a character


@dataclasses.dataclass(frozen=True, slots=True)
class Limits:
    """The bounds of one run (see the module doc). ``record_bytes`` must be positive."""

    record_bytes: int = MAX_RECORD_BYTES
    nesting: int = MAX_NESTING
    blank_bytes: int = BLANK_BYTES

    def __post_init__(self) -> None:
        if min(self.record_bytes, self.nesting, self.blank_bytes) < 1:
            raise ValueError(f"limits must be positive: {self}")

    def too_large(self, what: str, size: int | None = None) -> str:
        """The reason for a reject of ``what`` over ``record_bytes`` (``size`` when known).

        >>> Limits().too_large("line 7", 200 * MiB)
        'line 7 is 200 MiB, more than the limit of 16 MiB a record (--max-record-mb): skipped'
        >>> Limits().too_large("the row at line 3")
        'the row at line 3 runs past the limit of 16 MiB a record (--max-record-mb): skipped'
        """
        limit = f"the limit of {size_text(self.record_bytes)} a record (--max-record-mb)"
        if size is None:
            return f"{what} runs past {limit}: skipped"
        return f"{what} is {size_text(size)}, more than {limit}: skipped"


def size_text(size: int) -> str:
    """A size as messages give it.

    >>> size_text(16 * MiB), size_text(3 * MiB // 2), size_text(2_000)
    ('16 MiB', '1.5 MiB', '2,000 bytes')
    """
    if size < MiB:
        return f"{size:,} bytes"
    return f"{size / MiB:,.1f}".removesuffix(".0") + " MiB"


class SkippedLine(str):
    """An empty string standing for a line that ``TextFile.lines()`` did not read: longer than
    the limit, or holding a NUL byte. ``reason`` says which; ``raw`` holds its start (up to
    ``RAW_CHARS`` characters), ``size`` its bytes and ``quotes`` its double quotes (so that a
    CSV reader still knows whether a quoted field is open after it).

    >>> line = SkippedLine("a NUL byte at column 3", "ab\\x00c", 5, 0)
    >>> (line, bool(line), line.reason)
    ('', False, 'a NUL byte at column 3')
    """

    reason: str
    raw: str
    size: int
    quotes: int

    def __new__(cls, reason: str, raw: str, size: int, quotes: int) -> SkippedLine:
        line = super().__new__(cls, "")
        line.reason = reason
        line.raw = raw
        line.size = size
        line.quotes = quotes
        return line


def extra_lines(blank: str) -> int:
    """The lines after its first that a blank item of ``TextFile.lines()`` stands for: a run of
    blank lines comes as one string (so that a file of newlines is not read a line at a time).

    >>> extra_lines("\\n"), extra_lines("\\n\\r\\n\\n"), extra_lines("")
    (0, 2, 0)
    """
    return max(blank.count("\n") - 1, 0)

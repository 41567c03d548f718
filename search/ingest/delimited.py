"""CSV and TSV dumps with a header row naming the columns.

>>> lines = ["id,title,body\\n", '1,عنوان,"نص، مع فاصلة"\\n']
>>> article, = read_delimited(lines, "news.csv", FieldMap(), delimiter=",")
>>> article.body
'نص، مع فاصلة'

Both use the csv module's quoting (a field may be quoted and then hold delimiters, quotes and
newlines), which is what spreadsheets, pandas and the csv module write, TSV included. Columns
the header does not name as one of our fields (after ``fields`` mapping) are ignored. A row
with a different number of columns than the header, a csv error, or a record that
``to_article`` refuses becomes a ``Reject`` at the row's first line. Blank lines are skipped.

A row is bounded: one longer than ``Limits.record_bytes`` (in characters), or holding a line
that ``TextFile.lines()`` did not read (a ``SkippedLine``: too long, or a NUL byte), is a
``Reject``, stopped where it passes the limit and read past without being kept: up to the end
of the line on which its quotes balance (an even number of ``"``: no quoted field is open), and
reading goes on with the next row. A quote that never closes takes the rest of the file with
it, and the reject says so.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator

from search.article import Article
from search.ingest.fields import FieldMap, to_article
from search.ingest.limits import RAW_CHARS, Limits, SkippedLine
from search.ingest.records import Reject

# News bodies easily pass the csv module's default 128 KiB field limit. The limit is a C long,
# so this is the largest value that is valid everywhere (rows are bounded by ``_Feed``).
_FIELD_LIMIT = 2**31 - 1
_BARE_CR = "a carriage return (\\r) inside a field that is not quoted"


def read_delimited(
    lines: Iterable[str],
    file: str,
    fields: FieldMap,
    *,
    delimiter: str,
    limits: Limits | None = None,
) -> Iterator[Article | Reject]:
    """Articles (or rejects) from the CSV (``delimiter=","``) or TSV (``"\\t"``) ``lines``."""
    if csv.field_size_limit() < _FIELD_LIMIT:
        csv.field_size_limit(_FIELD_LIMIT)
    feed = _Feed(lines, (limits or Limits()).record_bytes)
    rows = csv.reader(feed, delimiter=delimiter)
    header: list[str] | None = None
    while True:
        feed.start()
        start = feed.ended + 1
        try:
            row = next(rows)
        except StopIteration:
            return
        except _RowBroken:
            head = feed.raw()[:RAW_CHARS]  # the start of the row, for the rejects file
            yield Reject(file, start, feed.skip_row(start, limits or Limits()), head)
            if header is None:  # no columns to read the rows after it by
                return
            continue
        except csv.Error as e:
            # csv's own message for this case suggests reopening the file, which is no help here.
            reason = _BARE_CR if "new-line character" in str(e) else f"malformed row: {e}"
            yield Reject(file, start, reason, feed.raw())
            continue
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        if header is None:
            header = [name.strip() for name in row]
            plan = fields.plan(header)
            if not plan["title"] and not plan["body"]:
                yield Reject(file, start, _no_text_columns(header, fields), feed.raw())
                return
            continue
        if len(row) != len(header):
            reason = _wrong_width(row, header, start, feed.end_line())
            yield Reject(file, start, reason, feed.raw())
            continue
        record = dict(zip(header, row, strict=True))
        yield to_article(record, fields, file, start, "".join(feed.row))


class _RowBroken(Exception):
    """Raised by ``_Feed`` inside ``csv.reader`` to stop a row that is not to be read."""


class _Feed:
    """The lines ``csv.reader`` reads, a row at a time: their number, and the current row's
    text, size and quotes (an odd count: a quoted field is open). Stops a row (``_RowBroken``)
    that passes ``limit`` characters or meets a ``SkippedLine``; ``problem`` says which. An
    iterator object, not a generator, so that it goes on after raising."""

    def __init__(self, lines: Iterable[str], limit: int) -> None:
        self.lines = iter(lines)
        self.limit = limit
        self.ended = 0  # lines read to their end
        self.last = "\n"  # the last line read
        self.row: list[str] = []
        self.size = 0
        self.odd = False
        self.problem = ""

    def start(self) -> None:
        """A new row starts with the next line."""
        self.row = []
        self.size = 0
        self.odd = False
        self.problem = ""

    def __iter__(self) -> _Feed:
        return self

    def __next__(self) -> str:
        line = next(self.lines)
        self.last = line
        if not line and type(line) is SkippedLine:
            self.ended += 1
            self.odd ^= bool(line.quotes & 1)
            self.problem = line.reason
            self.row.append(line.raw)
            raise _RowBroken
        count = line.count("\n")  # a run of blank lines comes as one string
        self.ended += count
        if count > 1 and not self.odd:  # outside quotes: an empty row, whatever its spaces
            line = "\n" * count
        self.odd ^= bool(line.count('"') & 1)
        self.size += len(line)
        if self.size > self.limit:  # the row so far stays for its reject's start, no more
            raise _RowBroken
        self.row.append(line)
        return line

    def raw(self) -> str:
        """The current row's text, without its last line ending."""
        return "".join(self.row).rstrip("\r\n")

    def end_line(self) -> int:
        """The line the current row ends on."""
        if type(self.last) is SkippedLine or self.last.endswith("\n"):
            return self.ended
        return self.ended + 1

    def skip_row(self, start: int, limits: Limits) -> str:
        """Read past the rest of a broken row (starting on line ``start``), without keeping
        it: up to the end of the line where its quotes balance, or of the file. The reason
        for its reject."""
        problem = self.problem or limits.too_large(f"the row at line {start}")
        self.row = []
        while self.odd:
            line = next(self.lines, None)
            if line is None:
                return (
                    f"{problem}; a quoted field opened in it never closes (an unbalanced "
                    f"quote?): lines {start}-{self.end_line()}, to the end of the file, were "
                    "not read"
                )
            self.last = line
            if type(line) is SkippedLine:
                self.ended += 1
                self.odd ^= bool(line.quotes & 1)
            else:
                self.ended += line.count("\n")
                self.odd ^= bool(line.count('"') & 1)
        end = self.end_line()
        return f"{problem} (the row spans lines {start}-{end})" if end > start else problem


def _no_text_columns(header: list[str], fields: FieldMap) -> str:
    return (
        f"the header has no column for the title ({fields.named('title')}) or the "
        f"body ({fields.named('body')}); it has: {', '.join(header)}. Name the "
        f"dump's columns: --field title=NAME --field body=NAME"
    )


def _wrong_width(row: list[str], header: list[str], start: int, end: int) -> str:
    where = f" (a record spanning lines {start}-{end}: an unbalanced quote?)" if end > start else ""
    columns = "1 column" if len(row) == 1 else f"{len(row)} columns"
    return f"{columns} where the header has {len(header)}{where}"

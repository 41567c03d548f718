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
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator

from search.article import Article
from search.ingest.fields import FieldMap, to_article
from search.ingest.records import Reject

# News bodies easily pass the csv module's default 128 KiB field limit. The limit is a C long,
# so this is the largest value that is valid everywhere.
_FIELD_LIMIT = 2**31 - 1
_BARE_CR = "a carriage return (\\r) inside a field that is not quoted"


def read_delimited(
    lines: Iterable[str],
    file: str,
    fields: FieldMap,
    *,
    delimiter: str,
) -> Iterator[Article | Reject]:
    """Articles (or rejects) from the CSV (``delimiter=","``) or TSV (``"\\t"``) ``lines``."""
    if csv.field_size_limit() < _FIELD_LIMIT:
        csv.field_size_limit(_FIELD_LIMIT)
    consumed: list[str] = []  # the lines of the current row, for a reject's raw text

    def feed() -> Iterator[str]:
        for line in lines:
            consumed.append(line)
            yield line

    rows = csv.reader(feed(), delimiter=delimiter)
    header: list[str] | None = None
    while True:
        start = rows.line_num + 1
        consumed.clear()
        try:
            row = next(rows)
        except StopIteration:
            return
        except csv.Error as e:
            # csv's own message for this case suggests reopening the file, which is no help here.
            reason = _BARE_CR if "new-line character" in str(e) else f"malformed row: {e}"
            yield Reject(file, start, reason, "".join(consumed).rstrip("\r\n"))
            continue
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        if header is None:
            header = [name.strip() for name in row]
            plan = fields.plan(header)
            if not plan["title"] and not plan["body"]:
                raw = "".join(consumed).rstrip("\r\n")
                yield Reject(file, start, _no_text_columns(header, fields), raw)
                return
            continue
        if len(row) != len(header):
            reason = _wrong_width(row, header, start, rows.line_num)
            yield Reject(file, start, reason, "".join(consumed).rstrip("\r\n"))
            continue
        record = dict(zip(header, row, strict=True))
        yield to_article(record, fields, file, start, "".join(consumed))


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

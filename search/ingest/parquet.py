"""Parquet dumps (how Hugging Face publishes datasets): rows -> ``Article``, a batch at a time.

>>> with open("news.parquet", "rb") as raw:  # doctest: +SKIP
...     articles = list(read_parquet(raw, "news.parquet", FieldMap()))

Rows are read in batches of ``BATCH`` within each row group (pyarrow), so memory holds one row
group's columns, whatever the size of the file. Only the columns that can fill one of our
fields are read, and the other text and date columns (to suggest one when no column holds the
body): a column of embeddings or images costs nothing. The same field detection as JSON and
CSV applies (``fields.py``); dates may be Parquet dates or timestamps. A row's "line" is its
number, from 1. pyarrow is an extra (``pip install 'bahth[parquet]'``): without it, a Parquet
file is rejected whole, saying so. A row whose text (its strings, and the strings of its lists)
passes ``Limits.record_bytes`` characters is a ``Reject``: pyarrow has already read it with its
batch, but it goes no further.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from typing import IO, Any

from search.article import Article
from search.ingest.fields import FieldMap, to_article
from search.ingest.limits import Limits
from search.ingest.open import StreamBroken
from search.ingest.records import DATA_ERRORS, Reject, cannot_read

BATCH = 1024
MISSING = (
    "a Parquet file: reading it needs pyarrow, which is not installed "
    "(pip install 'bahth[parquet]')"
)


def read_parquet(
    raw: IO[bytes], file: str, fields: FieldMap, limits: Limits | None = None
) -> Iterator[Article | Reject]:
    """Articles (or rejects) from the rows of the Parquet file ``raw`` (seekable).

    Raises ``StreamBroken`` when the file cannot be read on (not Parquet after all, damaged),
    after the rows before the damage.
    """
    try:
        import pyarrow  # noqa: F401 -- pyarrow.parquet's own import error names a submodule
        import pyarrow.parquet as pq
    except ImportError:
        yield Reject(file, 0, MISSING)
        return
    limits = limits or Limits()
    row = 0
    try:
        # pre_buffer keeps every column chunk read until the file is closed (apache/arrow#39808):
        # 675 MB to read a 1 GB file; without it, about 200 MB whatever the size.
        parquet = pq.ParquetFile(raw, pre_buffer=False)
        names = _columns(parquet.schema_arrow, fields)
        for batch in parquet.iter_batches(batch_size=BATCH, columns=names, use_threads=False):
            for record, problem in _rows(batch):
                row += 1
                if problem:
                    yield Reject(file, row, problem)
                    continue
                size = _text_size(record)
                if size > limits.record_bytes:
                    yield Reject(file, row, limits.too_large(f"the text of row {row}"))
                    continue
                article = to_article(record, fields, file, row, "")
                if isinstance(article, Reject):  # its row as text, made only for rejects
                    article = dataclasses.replace(article, raw=_raw(record))
                yield article
    except (OSError, ValueError) as e:  # pyarrow's ArrowException is both, by subclass
        where = f"after row {row}" if row else "before the first row"
        raise StreamBroken(file, row + 1, f"not a readable Parquet file ({e}), {where}") from e


def _rows(batch: Any) -> Iterator[tuple[dict[str, object], str]]:
    """The rows of a batch as dicts, each with why it cannot be read ("" when it can): a value
    Python cannot hold (a timestamp past the year 9999) fails the batch's conversion, so then
    the batch is converted a value at a time, and only the rows with such a value are lost."""
    try:
        rows = batch.to_pylist()
    except DATA_ERRORS:
        pass
    else:
        for converted in rows:
            yield converted, ""
        return
    names = batch.schema.names
    for i in range(batch.num_rows):
        record: dict[str, object] = {}
        problem = ""
        for name, column in zip(names, batch.columns, strict=True):
            try:
                record[name] = column[i].as_py()
            except DATA_ERRORS as error:
                problem = f"column {name!r}: {cannot_read(error)}"
                break
        yield record, problem


def _columns(schema: Any, fields: FieldMap) -> list[str]:
    """The columns worth reading: those that may fill a field, and the other texts and dates."""
    import pyarrow.types as types

    planned = {name for names in fields.plan(schema.names).values() for name in names}
    return [
        column.name
        for column in schema
        if column.name in planned
        or types.is_string(column.type)
        or types.is_large_string(column.type)
        or types.is_temporal(column.type)
    ]


def _text_size(record: dict[str, object]) -> int:
    """The characters of text in a row: its strings and its lists' strings."""
    size = 0
    for value in record.values():
        if type(value) is str:
            size += len(value)
        elif type(value) is list:
            size += sum(len(v) for v in value if type(v) is str)
    return size


def _raw(record: dict[str, object]) -> str:
    # A reject keeps the row as JSON; dates and other values as their text.
    return json.dumps(record, ensure_ascii=False, default=str)

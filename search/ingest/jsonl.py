"""JSON dumps: JSON Lines (one JSON object per line), or one JSON array of objects.

>>> lines = ['{"id": 7, "title": "عنوان", "body": "نص", "date": "21/01/2017"}\\n']
>>> article, = read_jsonl(lines, "news.jsonl", FieldMap())
>>> article.id, article.date
('7', datetime.date(2017, 1, 21))

Blank lines are skipped. A line that is not valid JSON (nested deeper than Python's parser
goes, its recursion limit of about 1,000 levels, included), is not an object, has a field of
the wrong type, or has neither title nor body becomes a ``Reject`` with its line number, and
so does a line that ``TextFile.lines()`` did not read (longer than the limit, or holding a NUL
byte: a ``SkippedLine``). Lone surrogates escaped in a line (``"\\ud800"``) are replaced with
U+FFFD and counted in ``repairs``.

A JSON array (``[{...}, {...}]``, pretty-printed or on one line, as exports write them) is read
as a stream by ``read_json_array`` (``jsonarray.py``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from search.article import Article
from search.ingest.fields import FieldMap, to_article
from search.ingest.jsonarray import KINDS as _KINDS
from search.ingest.jsonarray import read_json_array
from search.ingest.limits import SkippedLine, extra_lines
from search.ingest.records import Reject
from search.ingest.repair import Repairs, may_hold_surrogates, repair_record

__all__ = ["read_json_array", "read_jsonl"]


def read_jsonl(
    lines: Iterable[str], file: str, fields: FieldMap, repairs: Repairs | None = None
) -> Iterator[Article | Reject]:
    """Articles (or rejects) from the JSON lines ``lines``, numbered from 1, of ``file``."""
    loads = json.loads
    number = 0
    for line in lines:
        number += 1
        if not line or line.isspace():
            if type(line) is SkippedLine:
                yield Reject(file, number, line.reason, line.raw)
            number += extra_lines(line)
            continue
        try:
            value = loads(line)
        except json.JSONDecodeError as e:
            yield Reject(file, number, _json_error(e, _raw(line)), _raw(line))
            continue
        except RecursionError:  # [[[[...]]]]
            yield Reject(file, number, "invalid JSON: nested too deeply", _raw(line))
            continue
        except ValueError as e:  # an integer of more than 4,300 digits
            yield Reject(file, number, f"invalid JSON: {e}", _raw(line))
            continue
        if type(value) is not dict:
            kind = _KINDS.get(type(value), type(value).__name__)
            yield Reject(file, number, f"{kind}, not a JSON object", _raw(line))
            continue
        if repairs is not None and may_hold_surrogates(line):
            value = repair_record(value, repairs, number)
        yield to_article(value, fields, file, number, line)


def _json_error(error: json.JSONDecodeError, raw: str) -> str:
    # json counts the line ending, so an error at the end would point to "line 2 column 1".
    where = "the end of the line" if error.pos >= len(raw) else f"column {error.pos + 1}"
    return f"invalid JSON at {where}: {error.msg}"


def _raw(line: str) -> str:
    return line.rstrip("\r\n")

"""JSON Lines dumps: one JSON object per line.

>>> lines = ['{"id": 7, "title": "عنوان", "body": "نص", "date": "21/01/2017"}\\n']
>>> article, = read_jsonl(lines, "news.jsonl", FieldNames())
>>> article.id, article.date
('7', datetime.date(2017, 1, 21))

Blank lines are skipped. A line that is not valid JSON, is not an object, has a field of the
wrong type, or has neither title nor body becomes a ``Reject`` with its line number.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from search.article import Article
from search.ingest.fields import FieldNames, to_article
from search.ingest.records import Reject

_KINDS = {
    list: "an array",
    str: "a string",
    int: "a number",
    float: "a number",
    bool: "a boolean",
    type(None): "null",
}


def read_jsonl(lines: Iterable[str], file: str, names: FieldNames) -> Iterator[Article | Reject]:
    """Articles (or rejects) from the JSON lines ``lines``, numbered from 1, of ``file``."""
    loads = json.loads
    for number, line in enumerate(lines, 1):
        if not line or line.isspace():
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
        yield to_article(value.get, names, file, number, line)


def _json_error(error: json.JSONDecodeError, raw: str) -> str:
    # json counts the line ending, so an error at the end would point to "line 2 column 1".
    where = "the end of the line" if error.pos >= len(raw) else f"column {error.pos + 1}"
    return f"invalid JSON at {where}: {error.msg}"


def _raw(line: str) -> str:
    return line.rstrip("\r\n")

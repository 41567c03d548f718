"""JSON dumps: JSON Lines (one JSON object per line), or one JSON array of objects.

>>> lines = ['{"id": 7, "title": "عنوان", "body": "نص", "date": "21/01/2017"}\\n']
>>> article, = read_jsonl(lines, "news.jsonl", FieldMap())
>>> article.id, article.date
('7', datetime.date(2017, 1, 21))

Blank lines are skipped. A line that is not valid JSON, is not an object, has a field of the
wrong type, or has neither title nor body becomes a ``Reject`` with its line number.

A JSON array (``[{...}, {...}]``, pretty-printed or on one line, as exports write them) is
parsed as a stream by ``read_json_array`` (ijson), so a file of any size needs little memory.
An element that is not an object or that ``to_article`` refuses is a ``Reject`` naming the
element's number and the line it starts on; invalid JSON stops the file there (a parser cannot
tell where the next element would start) with a ``Reject`` saying where.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

import ijson

from search.article import Article
from search.ingest.fields import FieldMap, to_article
from search.ingest.records import Reject

_KINDS = {
    list: "an array",
    str: "a string",
    int: "a number",
    float: "a number",
    bool: "a boolean",
    type(None): "null",
}


def read_jsonl(lines: Iterable[str], file: str, fields: FieldMap) -> Iterator[Article | Reject]:
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
        yield to_article(value, fields, file, number, line)


def _json_error(error: json.JSONDecodeError, raw: str) -> str:
    # json counts the line ending, so an error at the end would point to "line 2 column 1".
    where = "the end of the line" if error.pos >= len(raw) else f"column {error.pos + 1}"
    return f"invalid JSON at {where}: {error.msg}"


def _raw(line: str) -> str:
    return line.rstrip("\r\n")


def read_json_array(
    pieces: Iterable[tuple[int, bytes]],
    file: str,
    fields: FieldMap,
) -> Iterator[Article | Reject]:
    """Articles (or rejects) from a JSON array of objects, given as ``(line, bytes)`` pieces
    (``TextFile.pieces()``). An article's origin is the line its element starts on; a
    reject's ``raw`` is its element re-serialized.

    >>> text = '[\\n {"title": "عنوان"},\\n 7\\n]'.encode()
    >>> article, reject = read_json_array(enumerate(text.splitlines(True), 1), "a.json",
    ...                                   FieldMap())
    >>> article.title, article.origin
    ('عنوان', 'a.json:2')
    >>> str(reject)
    'a.json:3: element 2 of the JSON array is a number, not a JSON object'
    """
    events = ijson.sendable_list()
    parser = ijson.parse_coro(events, use_float=True)
    element = 0  # elements started so far
    builder: ijson.ObjectBuilder | None = None
    depth = 0  # of the current element's containers
    start = line = 0  # the line the current element starts on; the line being parsed
    error: ijson.JSONError | None = None
    pieces = iter(pieces)
    while error is None:
        piece = next(pieces, None)
        try:
            if piece is None:
                parser.close()
            else:
                line, data = piece
                parser.send(data)
        except ijson.JSONError as e:
            error = e  # after taking the events parsed before it
        for prefix, event, value in events:
            if builder is None:
                if prefix == "" and event in ("start_array", "end_array"):
                    continue
                if prefix == "":  # cannot be: the caller saw "[" first
                    yield Reject(file, line, "not a JSON array, though it starts with '['")
                    return
                element += 1  # the first event of a new element
                start = line
                builder = ijson.ObjectBuilder()
            builder.event(event, value)
            if event in ("start_map", "start_array"):
                depth += 1
            elif event in ("end_map", "end_array"):
                depth -= 1
            if depth == 0:
                yield _element(builder.value, element, file, start, fields)
                builder = None
        del events[:]
        if piece is None:
            break
    if error is not None:
        yield Reject(file, line, _array_error(error, element, builder is not None))


def _array_error(error: Exception, element: int, inside: bool) -> str:
    detail = str(error).strip().splitlines()[0].rstrip(".") if str(error).strip() else ""
    if not detail or "premature EOF" in detail or "Incomplete" in detail:
        detail = "the file ends before the array is closed (truncated?)"
    elif "trailing garbage" in detail:
        return f"text after the end of the JSON array (after element {element}) was not read"
    # The events parsed just before the error are not handed over: the error may be in the
    # element being read or in the one after the last complete one.
    where = f"in or after element {element}" if element else "at the start"
    if inside:
        where = f"in element {element}"
    return f"invalid JSON array {where}: {detail}; the rest of the file cannot be read"


def _element(
    value: object, number: int, file: str, line: int, fields: FieldMap
) -> Article | Reject:
    if type(value) is not dict:
        kind = _KINDS.get(type(value), type(value).__name__)
        reason = f"element {number} of the JSON array is {kind}, not a JSON object"
    else:
        record = to_article(value, fields, file, line, "")
        if not isinstance(record, Reject):
            return record
        reason = f"element {number} of the JSON array: {record.reason}"
    # Re-serialized for the rejects file only: a good element is not encoded again.
    return Reject(file, line, reason, json.dumps(value, ensure_ascii=False, default=str))

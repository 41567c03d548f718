"""Repairs made at ingest, so that one bad character never costs a record (or a run).

JSON can escape a lone UTF-16 surrogate (``"\\ud800"``: half of a pair, cut by a scraper or a
truncation), and Python's parser then gives a string no UTF-8 encoder accepts: written to an
index, a rejects file or a terminal, it raises. The JSON readers replace each with U+FFFD, in
field names and values alike, and count them; ``read_source`` then gives one ``"repaired"``
``Note`` per file. No other reader can make one: UTF-8 is decoded with replacement, SGML's
character references to surrogates decode to U+FFFD, pyarrow refuses them.

An escaped ``\\u0000`` is a character like any other and is kept: both engines store it.
(A raw NUL byte in a text file is another matter: ``TextFile.lines()`` does not read its line.)

>>> repairs = Repairs()
>>> repair_record({"title": "نص\\ud800", "tags": ["\\udfff"]}, repairs, 7)
{'title': 'نص\\ufffd', 'tags': ['\\ufffd']}
>>> repairs.count, repairs.first_line
(2, 7)
"""

from __future__ import annotations

import re
from collections.abc import Mapping

_SURROGATE = re.compile("[\ud800-\udfff]")
_ESCAPED = re.compile(r"\\u[dD][89a-fA-F]")
_ESCAPED_BYTES = re.compile(rb"\\u[dD][89a-fA-F]")
# Our fields read a record's values and at most one level below (a list of paragraphs, a
# source's {"name": ...}); deeper values are never read, so they are left as they are.
_DEPTH = 3


class Repairs:
    """The surrogates replaced in one stream so far, and the line of the first."""

    def __init__(self) -> None:
        self.count = 0
        self.first_line: int | None = None


def may_hold_surrogates(text: str | bytes) -> bool:
    """Whether JSON text escapes a surrogate (``\\ud800``-``\\udfff``), cheaply: most lines do
    not, and only those that do are walked. (A backslash is looked for first: one character is
    found several times faster than a longer needle in Arabic text.)

    >>> may_hold_surrogates('{"t": "\\\\ud83d\\\\ude00"}'), may_hold_surrogates(b'{"t": "a\\\\nb"}')
    (True, False)
    """
    if isinstance(text, bytes):
        return b"\\" in text and _ESCAPED_BYTES.search(text) is not None
    return "\\" in text and _ESCAPED.search(text) is not None


def repair_record(record: Mapping[str, object], repairs: Repairs, line: int) -> dict[str, object]:
    """``record`` with every lone surrogate in its keys and values replaced with U+FFFD,
    counted in ``repairs`` (``line``: where the record is)."""
    before = repairs.count
    repaired = _repaired(record, repairs, _DEPTH)
    if repairs.count > before and repairs.first_line is None:
        repairs.first_line = line
    assert isinstance(repaired, dict)
    return repaired


def _repaired(value: object, repairs: Repairs, depth: int) -> object:
    if isinstance(value, str):
        return _text(value, repairs)
    if depth == 0:
        return value
    if isinstance(value, dict):
        return {_text(k, repairs): _repaired(v, repairs, depth - 1) for k, v in value.items()}
    if isinstance(value, list):
        return [_repaired(v, repairs, depth - 1) for v in value]
    return value


def _text(text: str, repairs: Repairs) -> str:
    if text.isascii():
        return text
    repaired, count = _SURROGATE.subn("\ufffd", text)
    repairs.count += count
    return repaired

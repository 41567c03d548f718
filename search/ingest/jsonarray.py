"""A JSON array of articles (``[{...}, {...}]``, as exports write them), read as a stream.

A scanner that knows only strings and brackets finds where each element of the array starts
and ends, and how deep it nests, before anything is parsed; each element is then parsed alone
(``json.loads``). So memory holds one element, whatever the size of the file, and an element is
bounded before it is built:

- an element larger than ``Limits.record_bytes`` is a ``Reject`` as soon as it passes the
  limit; it is read past, not kept, and the elements after it are read;
- an element nested deeper than ``Limits.nesting`` (100 levels) is a ``Reject`` as soon as it
  does (a 200 KB file of 100,000 ``[`` is a few milliseconds, not gigabytes), and the elements
  after it are read;
- an element that is not valid JSON, not an object, or that ``to_article`` refuses, is a
  ``Reject`` naming its number and the line it starts on, its text as ``raw``; the elements
  after it are read;
- a file that ends inside the array (truncated) ends with a ``Reject`` after the elements
  before the cut, and text after the array's end is one ``Reject``.

A missing comma between two elements is a ``Reject`` and both are read; a comma before the
closing bracket is allowed. Lone surrogates escaped in an element (``"\\ud800"``) are replaced
with U+FFFD and counted in ``repairs`` (see ``repair.py``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator

from search.article import Article
from search.ingest.fields import FieldMap, to_article
from search.ingest.limits import RAW_BYTES, RAW_CHARS, Limits
from search.ingest.records import Reject
from search.ingest.repair import Repairs, may_hold_surrogates, repair_record

KINDS = {
    list: "an array",
    str: "a string",
    int: "a number",
    float: "a number",
    bool: "a boolean",
    type(None): "null",
}

_STRUCTURE = re.compile(rb'["\[\]{}]')  # what changes the scanner's state inside an element
# JSON's whitespace, and the end of an element that is a number, true, null... (the same
# whitespace for both, or an element of a form feed alone would end where it starts, forever)
_NOT_SPACE = re.compile(rb"[^ \t\r\n]")
_SCALAR_END = re.compile(rb"[,\] \t\r\n]")
_QUOTE, _BACKSLASH = 0x22, 0x5C
_OPENING, _CLOSING, _STARTS = frozenset(b"[{"), frozenset(b"]}"), frozenset(b'[{"')
# Where the scanner is, outside elements.
_START, _BEFORE, _AFTER, _END = range(4)


class _Element:
    """An element being scanned: its bytes so far (None once it is skipped), its nesting."""

    __slots__ = ("carry", "depth", "floor", "in_string", "line", "number", "parts", "scalar")

    def __init__(self, number: int, line: int, first: int) -> None:
        self.number = number
        self.line = line
        self.parts: list[bytes] | None = []
        self.depth = 0  # open brackets
        self.in_string = False
        self.scalar = first not in _STARTS  # a number, true, false or null (or no JSON)
        self.floor = 0  # where the open string's text starts in the current piece
        self.carry = 0  # backslashes that ended the previous piece, inside a string


def read_json_array(
    pieces: Iterable[tuple[int, bytes]],
    file: str,
    fields: FieldMap,
    limits: Limits | None = None,
    repairs: Repairs | None = None,
) -> Iterator[Article | Reject]:
    """Articles (or rejects) from a JSON array of objects, given as ``(line, bytes)`` pieces
    (``TextFile.pieces()``). An article's origin is the line its element starts on; a
    reject's ``raw`` is its element's text (its start, for an element that was not read).

    >>> text = '[\\n {"title": "عنوان"},\\n 7\\n]'.encode()
    >>> article, reject = read_json_array(enumerate(text.splitlines(True), 1), "a.json",
    ...                                   FieldMap())
    >>> article.title, article.origin
    ('عنوان', 'a.json:2')
    >>> str(reject)
    'a.json:3: element 2 of the JSON array is a number, not a JSON object'
    """
    scanner = _Scanner(file, limits or Limits())
    for line, data in pieces:
        for found in scanner.feed(line, data):
            if isinstance(found, Reject):
                yield found
            else:
                number, start, element = found
                yield _parse(element, number, file, start, fields, repairs)
        if scanner.state is None:  # text after the array: the rest is not read
            return
    yield from scanner.end()


class _Scanner:
    """Finds the elements of a JSON array in pieces of its bytes: ``feed`` returns each
    element completed (number, first line, bytes) and each reject, in order."""

    def __init__(self, file: str, limits: Limits) -> None:
        self.file = file
        self.limits = limits
        self.state: int | None = _START  # None: stopped
        self.elements = 0  # elements started
        self.element: _Element | None = None
        self.size = 0  # of the current element, so far
        self.out: list[tuple[int, int, bytes] | Reject] = []
        self.line = 0

    def feed(self, line: int, data: bytes) -> list[tuple[int, int, bytes] | Reject]:
        self.line = line
        self.out = []
        pos, end = 0, len(data)
        while pos < end and self.state is not None:
            element = self.element
            if element is not None:
                pos = self._inside(element, data, pos)
                continue
            space = _NOT_SPACE.search(data, pos)
            if space is None:
                break
            pos = space.start()
            pos = self._between(data, pos)
        return self.out

    def end(self) -> list[Reject]:
        """The reject for an array the file ends inside (truncated), if it does."""
        if self.state in (_START, _END, None):
            return []
        if self.element is not None:
            place = f"in element {self.element.number}"
        else:
            place = f"after element {self.elements}" if self.elements else "after its '['"
        reason = (
            f"invalid JSON array {place}: the file ends before the array is closed (truncated?)"
        )
        return [Reject(self.file, self.line, reason)]

    def _between(self, data: bytes, pos: int) -> int:
        """Outside elements, at the non-blank byte at ``pos``: the array's brackets, commas,
        and the first byte of an element. Returns where to go on."""
        byte = data[pos]
        if self.state == _START:
            if byte != ord("["):  # the caller saw "[" first: cannot be
                self._reject(self.line, "not a JSON array, though it starts with '['")
                self.state = None
                return pos
            self.state = _BEFORE
            return pos + 1
        if self.state == _END:
            self._reject(
                self.line,
                f"text after the end of the JSON array (after element {self.elements}) was "
                "not read",
            )
            self.state = None
            return pos
        if byte == ord("]"):  # the end, also after a comma: [{...},]
            self.state = _END
            return pos + 1
        if self.state == _AFTER:
            if byte == ord(","):
                self.state = _BEFORE
                return pos + 1
            self._reject(
                self.line,
                f"invalid JSON array: no comma after element {self.elements} (found "
                f"{chr(byte)!r}); the next element is read from here",
            )
        self.elements += 1
        self.element = _Element(self.elements, self.line, byte)
        self.size = 0
        self.state = _AFTER
        return pos

    def _inside(self, element: _Element, data: bytes, pos: int) -> int:
        """Scan an element from ``pos`` to its end or the end of ``data``; returns where
        scanning goes on."""
        start, end = pos, len(data)
        if element.in_string:  # a string goes on from the piece before: all of this is in it
            element.floor = 0
        while pos < end:
            if element.in_string:
                pos = self._string(element, data, pos)
                if not element.in_string and not element.depth:  # the element is a string
                    return self._complete(element, data, start, pos)
                continue
            if element.scalar:
                stop = _SCALAR_END.search(data, pos)
                if stop is None:
                    pos = end
                    continue
                return self._complete(element, data, start, stop.start())
            found = _STRUCTURE.search(data, pos)
            if found is None:
                pos = end
                continue
            byte, pos = data[found.start()], found.end()
            if byte == _QUOTE:
                # Most strings end in the same piece with no backslash before their quote:
                # past them at once (this loop is most of the time a JSON array takes).
                quote = data.find(b'"', pos)
                if quote != -1 and data[quote - 1] != _BACKSLASH:
                    pos = quote + 1
                    if not element.depth:  # the element is a string
                        return self._complete(element, data, start, pos)
                    continue
                element.in_string, element.floor, element.carry = True, pos, 0
            elif byte in _OPENING:
                element.depth += 1
                if element.depth > self.limits.nesting and element.parts is not None:
                    self._skip(element, data[start : start + RAW_BYTES], self._too_deep(element))
            elif byte in _CLOSING:
                element.depth -= 1
                if element.depth == 0:
                    return self._complete(element, data, start, pos)
        self._keep(element, data[start:end])
        return end

    def _string(self, element: _Element, data: bytes, pos: int) -> int:
        """Inside a string at ``pos``: past its closing quote, or the end of ``data``."""
        quote = data.find(b'"', pos)
        while quote != -1:
            run = quote - 1
            while run >= element.floor and data[run] == _BACKSLASH:
                run -= 1
            backslashes = quote - 1 - run + (element.carry if run < element.floor else 0)
            if not backslashes % 2:  # not escaped
                element.in_string = False
                return quote + 1
            quote = data.find(b'"', quote + 1)
        run = len(data) - 1  # the piece ends inside the string: carry its last backslashes
        while run >= element.floor and data[run] == _BACKSLASH:
            run -= 1
        element.carry = len(data) - 1 - run + (element.carry if run < element.floor else 0)
        element.floor = 0
        return len(data)

    def _complete(self, element: _Element, data: bytes, start: int, end: int) -> int:
        """The element ends at ``end`` in ``data``: hand it on (unless it was skipped)."""
        self._keep(element, data[start:end])
        self.element = None
        if element.parts is not None:
            self.out.append((element.number, element.line, b"".join(element.parts)))
        return end

    def _keep(self, element: _Element, part: bytes) -> None:
        self.size += len(part)
        if element.parts is None:
            return
        element.parts.append(part)
        if self.size > self.limits.record_bytes:
            what = f"element {element.number} of the JSON array"
            self._skip(element, b"", self.limits.too_large(what))

    def _skip(self, element: _Element, ahead: bytes, reason: str) -> None:
        """Reject the element now and read the rest of it without keeping it; ``ahead`` is
        what follows the part of it kept so far, for the start of its text in the reject."""
        assert element.parts is not None
        head = bytearray()
        for part in (*element.parts, ahead):
            head += part[: RAW_BYTES - len(head)]
        element.parts = None
        raw = head.decode("utf-8", "ignore")[:RAW_CHARS]
        self.out.append(Reject(self.file, element.line, reason, raw))

    def _too_deep(self, element: _Element) -> str:
        return (
            f"element {element.number} of the JSON array is nested more than "
            f"{self.limits.nesting} levels deep: skipped"
        )

    def _reject(self, line: int, reason: str) -> None:
        self.out.append(Reject(self.file, line, reason))


def _parse(
    data: bytes, number: int, file: str, line: int, fields: FieldMap, repairs: Repairs | None
) -> Article | Reject:
    """The article of one element's bytes, or the reject saying why there is none."""
    text = data.decode("utf-8")  # valid: pieces are re-encoded text, cut at ASCII bytes only
    what = f"element {number} of the JSON array"
    if not text.strip():
        return Reject(file, line, f"{what} is empty (two commas in a row?)", text)
    try:
        value = json.loads(text)
    except json.JSONDecodeError as e:
        where = f"line {line + e.lineno - 1} column {e.colno}"
        return Reject(file, line, f"{what}: invalid JSON at {where}: {e.msg}", text)
    except ValueError as e:  # an integer of more than 4,300 digits
        return Reject(file, line, f"{what}: invalid JSON: {e}", text)
    if type(value) is not dict:
        kind = KINDS.get(type(value), type(value).__name__)
        return Reject(file, line, f"{what} is {kind}, not a JSON object", text)
    if repairs is not None and may_hold_surrogates(data):
        value = repair_record(value, repairs, line)
    record = to_article(value, fields, file, line, "")
    if isinstance(record, Reject):
        return Reject(file, line, f"{what}: {record.reason}", text)
    return record

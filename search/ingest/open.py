"""Open a dump file as a stream of text lines, whatever its compression.

>>> with open_text("news.jsonl.gz") as dump:  # doctest: +SKIP
...     for line in dump.lines():
...         ...

Compression is told by the file's magic bytes, not its name: dumps get renamed, and a ``.gz``
that a server already inflated is plain text. Text is UTF-8, a leading BOM is dropped, and
invalid bytes become U+FFFD and are counted (``replaced``) rather than stopping a long run at
the first bad byte. Lines are read one at a time, so a file of any size streams, and each line
is bounded (``limits.py``): a line longer than the limit, or holding a NUL byte, is read past
and given as a ``SkippedLine`` for the reader to reject; blank lines are read in runs, and a
file with more than ``Limits.blank_bytes`` of them in a row (a gigabyte of newlines in a small
gzip) is given up with a ``StreamBroken``.
"""

from __future__ import annotations

import bz2
import codecs
import gzip
import lzma
import os
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from types import TracebackType
from typing import IO, cast

from search.errors import InputError
from search.ingest.limits import RAW_BYTES, Limits, SkippedLine, size_text

_MAGIC = (("gzip", b"\x1f\x8b"), ("xz", b"\xfd7zXZ\x00"), ("bz2", b"BZh"))
# "BZh" alone could start a text file, so bz2 also needs the block magic (pi in BCD) after it.
_BZ2_BLOCK = b"1AY&SY"
_DECOMPRESSORS: dict[str, Callable[[IO[bytes]], IO[bytes]]] = {
    "gzip": lambda raw: cast(IO[bytes], gzip.GzipFile(fileobj=raw, mode="rb")),
    "xz": lzma.LZMAFile,
    "bz2": bz2.BZ2File,
}

# What decompressors raise on corrupt data (gzip.BadGzipFile and bz2 errors are OSErrors; a zip
# member's bad CRC is a BadZipFile).
_CORRUPT = (OSError, zlib.error, lzma.LZMAError, zipfile.BadZipFile)

_UTF8_REPLACEMENT = "\ufffd".encode()

_DEFAULT = Limits()
# A line over the limit is read past in chunks of this size, none of it kept but its start.
_SKIP_CHUNK = 1024 * 1024
# Blank lines after a blank line are taken in runs of up to this many bytes: a gigabyte of
# newlines (a hostile gzip of a few MB) is then 16,000 strings, not a billion.
_BLANK_RUN = 64 * 1024
_WHITESPACE = b" \t\r\n"
_SPACE = frozenset(_WHITESPACE)
_BLANK_LINES = re.compile(rb"(?:[ \t\r]*\n)+")


class StreamBroken(InputError):
    """A file stopped being readable part way: truncated or corrupt compressed data, or an I/O
    error. The lines before ``line`` were read; ``reason`` says what happened and how far."""

    def __init__(self, file: str, line: int, reason: str) -> None:
        super().__init__(f"{file}:{line}: {reason}")
        self.file = file
        self.line = line
        self.reason = reason


class TextFile:
    """An open dump file. Iterate ``lines()`` once; close it (or use ``with``) when done.

    ``replaced`` counts the invalid UTF-8 byte sequences replaced so far and
    ``first_replaced_line`` says where the first one was; ``position()`` is how many bytes of the
    file on disk have been consumed (for progress); ``size`` is the file's size on disk. ``raw``
    is a file or a zip archive's member, with ``peek``; ``where`` tells the position in the file
    on disk when ``raw.tell()`` does not (a member of an archive).
    """

    def __init__(
        self,
        name: str,
        raw: IO[bytes],
        compression: str | None,
        size: int,
        where: Callable[[], int] | None = None,
    ) -> None:
        self.name = name
        self.compression = compression
        self.size = size
        self.replaced = 0
        self.first_replaced_line: int | None = None
        self.raw = raw
        self._where = where or raw.tell
        self._stream = _DECOMPRESSORS[compression](raw) if compression else raw

    def lines(self, limits: Limits = _DEFAULT) -> Iterator[str]:
        """The file's lines, decoded, each with its line ending (as ``open()`` would give them),
        a line at most ``limits.record_bytes`` long: in its place, a longer line or one holding
        a NUL byte (binary data in a text file) comes as a ``SkippedLine`` (an empty string
        saying why), read past without being held. Blank lines (whitespace only) after a blank
        line come as one string, up to ``_BLANK_RUN`` bytes, so that a file of newlines is not
        read a line at a time (``limits.extra_lines()`` tells the lines such a string stands for).

        Raises ``StreamBroken`` where the file stops being readable, after yielding every
        complete line before that point, and after ``limits.blank_bytes`` of blank lines in a
        row.
        """
        readline = self._stream.readline
        limit = limits.record_bytes
        blank = 0  # bytes of blank lines in a row
        number = 0  # complete lines before the current one
        try:
            while data := readline(limit + 1):
                if len(data) > limit and data[-1] != 0x0A:  # no newline within the limit
                    size, quotes = len(data), data.count(b'"')
                    raw = data[:RAW_BYTES].decode("utf-8", "replace")
                    data = b""  # not held while the rest of the line is skipped
                    number += 1
                    blank = 0
                    yield self._skip_line(number, raw, size, quotes, limits)
                    continue
                number += 1
                if data.isspace():  # stops at the first byte that is not: free for text
                    run = self._blank_run(data)
                    blank += len(run)
                    if blank > limits.blank_bytes:
                        raise self._blank(number, limits)
                    number += run.count(b"\n") - 1
                    yield run.decode("ascii")
                    continue
                blank = 0
                if 0 in data:  # memchr: free for the lines that have none
                    yield _nul_line(data, number)
                    continue
                try:
                    text = data.decode("utf-8")
                except UnicodeDecodeError:
                    text = self._decode_replacing(data, number)
                del data  # not held beside its text while the reader works (a long line)
                if number == 1 and text.startswith("\ufeff"):
                    text = text[1:]
                yield text
        except (EOFError, *_CORRUPT) as e:
            raise self._broken(e, number) from e

    def _blank(self, number: int, limits: Limits) -> StreamBroken:
        """The ``StreamBroken`` for more than ``limits.blank_bytes`` of blank text in a row."""
        return StreamBroken(
            self.name,
            number,
            f"more than {size_text(limits.blank_bytes)} of blank lines in a row, up to line "
            f"{number:,}: the rest of the file is not read",
        )

    def _skip_line(
        self, number: int, raw: str, size: int, quotes: int, limits: Limits
    ) -> SkippedLine:
        """Read past the rest of a line longer than the limit, a chunk at a time."""
        readline = self._stream.readline
        while data := readline(_SKIP_CHUNK):
            size += len(data)
            quotes += data.count(b'"')
            if data[-1] == 0x0A:
                break
        return SkippedLine(limits.too_large(f"line {number}", size), raw, size, quotes)

    def _blank_run(self, first: bytes) -> bytes:
        """``first`` (a blank line) and the blank lines right after it, taken from the
        decompressor's buffer in bulk, up to ``_BLANK_RUN`` bytes."""
        if not first.endswith(b"\n"):
            return first
        stream = self._stream
        parts = [first]
        size = len(first)
        while size < _BLANK_RUN:
            try:
                buffered = stream.peek(1)[: _BLANK_RUN - size]  # type: ignore[attr-defined]
            except AttributeError:  # a stream without peek: one line at a time
                break
            space = len(buffered) - len(buffered.lstrip(_WHITESPACE))
            end = buffered.rfind(b"\n", 0, space) + 1  # whole lines only
            if not end:
                break
            parts.append(stream.read(end))
            size += end
        return b"".join(parts)

    def pieces(
        self, size: int = 64 * 1024, limits: Limits = _DEFAULT
    ) -> Iterator[tuple[int, bytes]]:
        """The file as ``(line number, UTF-8 bytes)`` pieces of at most about ``size`` bytes,
        none spanning two lines but pieces of whitespace only (numbered by their first line),
        invalid bytes replaced as ``lines()`` does.

        For readers that parse a stream rather than lines (a JSON array): a dump written on one
        line of 2 GB still comes in small pieces, and each piece says which line it is on.
        Raises ``StreamBroken`` as ``lines()`` does, also after ``limits.blank_bytes`` of
        whitespace in a row.
        """
        decoder = codecs.getincrementaldecoder("utf-8")("replace")
        number = 1
        first = True
        blank = 0  # bytes of whitespace in a row
        try:
            while data := self._stream.read1(size):  # type: ignore[attr-defined]
                if data.isspace():
                    blank += len(data)
                    if blank > limits.blank_bytes:
                        raise self._blank(number, limits)
                else:
                    blank = 0
                start = 0
                while start < len(data):
                    run = _BLANK_LINES.match(data, start) if data[start] in _SPACE else None
                    # Blank lines are one piece, however many; other lines end at "\n" only,
                    # as in lines(), so that both number lines alike.
                    end = run.end() if run is not None else data.find(b"\n", start) + 1 or len(data)
                    part = data[start:end]
                    start = end
                    text = decoder.decode(part)
                    if first and text:
                        text = text.removeprefix("\ufeff")
                        first = False
                    # Our replacements only: a U+FFFD validly encoded in the input is text.
                    replaced = text.count("\ufffd") - part.count(_UTF8_REPLACEMENT)
                    if replaced > 0:
                        self.replaced += replaced
                        if self.first_replaced_line is None:
                            self.first_replaced_line = number
                    yield number, text.encode("utf-8")
                    if run is not None:
                        number += part.count(b"\n")
                    elif part.endswith(b"\n"):
                        number += 1
            tail = decoder.decode(b"", final=True)  # a sequence cut off by the end of the file
            if tail:
                self.replaced += 1
                if self.first_replaced_line is None:
                    self.first_replaced_line = number
                yield number, tail.encode("utf-8")
        except (EOFError, *_CORRUPT) as e:
            raise self._broken(e, number - 1) from e

    def head(self, size: int = 8192) -> bytes:
        """Up to ``size`` bytes of the start of the (decompressed) file, without consuming
        them; fewer when that is all the decompressor has ready. Empty when the file is empty
        or its start cannot be read (reading it will say why)."""
        try:
            return self._stream.peek(size)[:size]  # type: ignore[attr-defined]
        except (EOFError, *_CORRUPT):
            return b""

    def _broken(self, error: BaseException, number: int) -> StreamBroken:
        """The ``StreamBroken`` for ``error``, raised after ``number`` complete lines."""
        if isinstance(error, EOFError):
            return StreamBroken(
                self.name,
                number + 1,
                f"the {self.compression} stream ends early, inside line {number + 1}: the file is "
                f"truncated (an interrupted download or copy?); {_read_so_far(number)}",
            )
        what = f"corrupt {self.compression} data" if self.compression else "read error"
        detail = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        return StreamBroken(
            self.name,
            number + 1,
            f"{what} ({detail}), found at line {number + 1}; {_read_so_far(number)}",
        )

    def _decode_replacing(self, data: bytes, number: int) -> str:
        text = data.decode("utf-8", "replace")
        # A U+FFFD that was validly encoded in the input is text, not damage: count only ours.
        # (EF BF BD can never be absorbed by a preceding bad sequence: EF is a lead byte.)
        self.replaced += text.count("\ufffd") - data.count(_UTF8_REPLACEMENT)
        if self.first_replaced_line is None:
            self.first_replaced_line = number
        return text

    def position(self) -> int:
        """Bytes of the file on disk consumed so far (compressed bytes for compressed files)."""
        try:
            return self._where()
        except (OSError, ValueError):  # closed, or not seekable (a pipe)
            return self.size

    def close(self) -> None:
        """Close the file (and its decompressor)."""
        if self._stream is not self.raw:
            self._stream.close()
        self.raw.close()

    def __enter__(self) -> TextFile:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _nul_line(data: bytes, number: int) -> SkippedLine:
    """Line ``number``, holding a NUL byte: binary data where text should be. Its text is kept
    for the reject (as JSON escapes in the rejects file), not read as a record."""
    reason = (
        f"line {number} holds a NUL byte, at column {data.index(0) + 1} (binary data in a text "
        "file?): not read"
    )
    raw = data.decode("utf-8", "replace").rstrip("\r\n")
    return SkippedLine(reason, raw, len(data), data.count(b'"'))


def _read_so_far(lines: int) -> str:
    return f"lines 1-{lines} were read" if lines else "no line could be read"


def open_text(path: str | os.PathLike[str], name: str | None = None) -> TextFile:
    """Open ``path`` for reading lines, detecting gzip, bz2 and xz by their magic bytes.

    ``name`` is how messages refer to the file (default: ``path`` as given). A file that cannot
    be opened at all (missing, a directory, permission denied) raises ``InputError``.

    >>> with open_text("dump.csv.xz") as dump:  # doctest: +SKIP
    ...     header = next(dump.lines())
    """
    name = os.fspath(path) if name is None else name
    try:
        raw = open(path, "rb")  # noqa: SIM115 -- owned and closed by the TextFile
    except FileNotFoundError:
        raise InputError(f"{name}: no such file", "Check the path.") from None
    except IsADirectoryError:
        raise InputError(f"{name}: is a directory, not a file") from None
    except PermissionError:
        raise InputError(
            f"{name}: permission denied", "Check the file's permissions (ls -l)."
        ) from None
    except OSError as e:
        raise InputError(f"{name}: cannot open: {e.strerror or e}") from None
    try:
        size = os.fstat(raw.fileno()).st_size
        head = raw.peek(16)[:16]
    except OSError as e:
        raw.close()
        raise InputError(f"{name}: cannot read: {e.strerror or e}") from None
    return TextFile(name, raw, compression_of(head), size)


def compression_of(head: bytes) -> str | None:
    """The compression (gzip, xz, bz2) whose magic bytes start ``head``, or None.

    >>> compression_of(gzip.compress(b"x")[:16]), compression_of(b'{"title": "x"}')
    ('gzip', None)
    """
    for kind, magic in _MAGIC:
        if head.startswith(magic) and (kind != "bz2" or head[4:10] == _BZ2_BLOCK):
            return kind
    return None

"""Open a dump file as a stream of text lines, whatever its compression.

>>> with open_text("news.jsonl.gz") as dump:  # doctest: +SKIP
...     for line in dump.lines():
...         ...

Compression is told by the file's magic bytes, not its name: dumps get renamed, and a ``.gz``
that a server already inflated is plain text. Text is UTF-8, a leading BOM is dropped, and
invalid bytes become U+FFFD and are counted (``replaced``) rather than stopping a long run at
the first bad byte. Lines are read one at a time, so a file of any size streams.
"""

from __future__ import annotations

import bz2
import codecs
import gzip
import lzma
import os
import zipfile
import zlib
from collections.abc import Callable, Iterator
from types import TracebackType
from typing import IO, cast

from search.errors import InputError

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

    def lines(self) -> Iterator[str]:
        """The file's lines, decoded, each with its line ending (as ``open()`` would give them).

        Raises ``StreamBroken`` where the file stops being readable, after yielding every
        complete line before that point.
        """
        number = 0
        try:
            for data in self._stream:
                number += 1
                try:
                    text = data.decode("utf-8")
                except UnicodeDecodeError:
                    text = self._decode_replacing(data, number)
                if number == 1 and text.startswith("\ufeff"):
                    text = text[1:]
                yield text
        except (EOFError, *_CORRUPT) as e:
            raise self._broken(e, number) from e

    def pieces(self, size: int = 64 * 1024) -> Iterator[tuple[int, bytes]]:
        """The file as ``(line number, UTF-8 bytes)`` pieces of at most about ``size`` bytes,
        none spanning two lines, invalid bytes replaced as ``lines()`` does.

        For readers that parse a stream rather than lines (a JSON array): a dump written on one
        line of 2 GB still comes in small pieces, and each piece says which line it is on.
        """
        decoder = codecs.getincrementaldecoder("utf-8")("replace")
        number = 1
        first = True
        try:
            while data := self._stream.read1(size):  # type: ignore[attr-defined]
                start = 0
                while start < len(data):
                    # Lines end at "\n" only, as in lines(), so both number lines alike.
                    end = data.find(b"\n", start) + 1 or len(data)
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
                    if part.endswith(b"\n"):
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

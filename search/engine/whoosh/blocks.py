"""whoosh's postings and field writers for a term's postings given at once (``postings``'s
``TermFlush``), writing what whoosh writes, byte for byte (``tests/test_whoosh_postings.py``),
but for small blocks, left uncompressed (``MIN_COMPRESSED_POSTINGS``)."""

from __future__ import annotations

import pickle
import struct
import zlib
from array import array
from operator import sub
from typing import Any

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3FieldWriter, W3PostingsWriter, W3TermInfo
from whoosh.system import pack_int, pack_ushort
from whoosh.util.numeric import length_to_byte

MIN_COMPRESSED_POSTINGS = 16
# A term info's bytes when its postings are in the postings file: its figures
# (``W3TermInfo._struct``), then where they are (``pack_long``, ``pack_int``).
_TERM_EXTENT = struct.Struct(W3TermInfo._struct.format + "qi")
_LENGTH_BYTES = [length_to_byte(n) for n in range(4096)]


def _length_byte(length: int) -> int:
    """whoosh's ``length_to_byte`` of a length above 0."""
    return _LENGTH_BYTES[length] if length < 4096 else length_to_byte(length)


_RECORD_LENGTHS = struct.Struct("!ii")  # a term table record's key and value lengths


class BahthPostingsWriter(W3PostingsWriter):  # type: ignore[misc]
    """whoosh's postings writer, taking a term's postings at once and leaving small blocks
    uncompressed.

    Most terms of a news corpus occur in a handful of articles, so most posting blocks hold a
    few postings (median under 100 bytes): zlib gains nothing on them, yet its calls cost about
    a tenth of indexing time. (whoosh means to skip blocks under 20 bytes, but its check is
    overwritten on the next line.)
    """

    # Set by whoosh's constructor and ``_new_block``.
    _compression: int  # the zlib level of posting blocks
    _blocklimit: int
    _ids: Any
    _weights: Any
    _values: list[bytes]
    _maxweight: float
    _minlength: int | None
    _maxlength: int

    def add_all(
        self,
        docnums: list[int],
        weights: list[float],
        values: list[bytes | None],
        lengths: list[int] | None,
    ) -> None:
        """``add_posting`` of each posting of a term, a block's worth at a time: the same
        blocks and block statistics."""
        start, count = 0, len(docnums)
        while start < count:
            room = self._blocklimit - len(self._ids)
            if room <= 0:  # whoosh writes a full block when the next posting comes
                self._write_block()
                continue
            end = min(count, start + room)
            block = docnums[start:end]
            self._ids.extend(block)
            self._weights.extend(weights[start:end])
            self._maxweight = max(self._maxweight, *weights[start:end])
            self._values.extend(value for value in values[start:end] if value)
            if lengths is not None:
                present = [length for length in map(lengths.__getitem__, block) if length]
                if present:
                    shortest = min(present)
                    if self._minlength is None or shortest < self._minlength:
                        self._minlength = shortest
                    self._maxlength = max(self._maxlength, *present)
            start = end

    def one_block(
        self,
        format_: Any,
        docnums: list[int],
        weights: list[float],
        values: list[bytes | None],
        lengths: list[int] | None,
    ) -> bytes:
        """Write the postings of a term that fit in one block (at most ``_blocklimit``) and
        return its term info's bytes: what ``start_postings``, ``add_all``,
        ``finish_postings`` and the term info's ``to_bytes`` make, byte for byte, without
        their per-term objects and calls (most terms of a segment hold a block or less, and
        whoosh's own work a term was most of a writing process's time)."""
        postfile = self._postfile
        start = postfile.tell()
        count = len(docnums)
        floats = array("f", weights)  # whoosh keeps a block's weights as 32-bit floats
        maxweight = max(0, *weights)
        shortest = longest = 0  # as bytes (whoosh's ``length_to_byte``; 0: no length)
        if lengths is not None:
            present = [length for length in map(lengths.__getitem__, docnums) if length]
            if present:
                shortest, longest = _length_byte(min(present)), _length_byte(max(present))
        deltas = tuple(map(sub, docnums, [0, *docnums]))  # whoosh's delta_encode
        if floats.count(1.0) == count:
            mini_weights: Any = None
        elif floats.count(floats[0]) == count:
            mini_weights = floats[0]
        else:
            mini_weights = tuple(floats)
        kept = [value for value in values if value]
        return self._write(
            format_,
            count,
            deltas,
            mini_weights,
            kept,
            maxweight,
            sum(floats),
            shortest,
            longest,
            docnums[0],
            docnums[-1],
            start,
        )

    def _write(
        self,
        format_: Any,
        count: int,
        deltas: tuple[int, ...],
        mini_weights: Any,
        kept: list[bytes],
        maxweight: float,
        total: float,
        shortest: int,
        longest: int,
        first: int,
        last: int,
        start: int,
    ) -> bytes:
        """The block of ``one_block``, written; its term info's bytes."""
        postfile = self._postfile
        size = format_.fixed_value_size()
        if size is None or size < 0:
            mini_values: Any = tuple(kept)
        elif size == 0:
            mini_values = None
        else:
            mini_values = b"".join(kept)  # type: ignore[arg-type]
        data = pickle.dumps((deltas, mini_weights, mini_values), 2)
        level = self._compression if count >= MIN_COMPRESSED_POSTINGS else 0
        if level:
            data = zlib.compress(data, level)
        info = pickle.dumps((count, last, maxweight, level, shortest, longest), 2)
        # The block's length is negative: the term's last block.
        block = b"".join((WHOOSH3_HEADER_MAGIC, pack_int(-(len(info) + len(data))), info, data))
        postfile.write(block)
        extent = len(block)
        return _TERM_EXTENT.pack(
            False, total, count, shortest, longest, maxweight, first, last, start, extent
        )

    def _write_block(self, last: bool = False) -> None:
        level = self._compression
        if len(self._ids) < MIN_COMPRESSED_POSTINGS:
            self._compression = 0
        try:
            super()._write_block(last)
        finally:
            self._compression = level


class BahthFieldWriter(W3FieldWriter):  # type: ignore[misc]
    """whoosh's field writer, taking a term's postings at once (``TermPostings``)."""

    _postwriter: BahthPostingsWriter

    def add_term(
        self,
        btext: bytes,
        docnums: list[int],
        weights: list[float],
        values: list[bytes | None],
        lengths: list[int] | None,
    ) -> None:
        """Write a term's postings; ``lengths``: the field's length in each document."""
        writer = self._postwriter
        if len(docnums) <= writer._blocklimit and not writer._byteids:
            info = writer.one_block(self._format, docnums, weights, values, lengths)
            self._add_term_info(pack_ushort(self._fieldid) + btext, info)
            return
        self.start_term(btext)
        self._postwriter.add_all(docnums, weights, values, lengths)
        self.finish_term()

    def _add_term_info(self, key: bytes, info: bytes) -> None:
        """whoosh's ``OrderedHashWriter.add`` of a term's key and info, as one write."""
        table = self._tindex
        if key <= table.lastkey:
            raise ValueError(f"Keys must increase: {table.lastkey!r}..{key!r}")
        dbfile = table.dbfile
        position = dbfile.tell()
        table.index.append(position)
        dbfile.write(_RECORD_LENGTHS.pack(len(key), len(info)) + key + info)
        hashed = table.hashfn(key)
        table.buckets[hashed & 255].append((hashed, position))
        table.lastkey = key

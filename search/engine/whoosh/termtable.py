"""Reading a segment's term table raw: each term of a field with its document frequency,
without whoosh's term info objects.

whoosh's ``iter_field`` reads a term and its info as three small reads and builds a term
info object from all eight of its figures, to give one of them: the vocabulary, the
spelling variants and the word families read every term of a field after each commit that
changed something (about a million terms for 5,000 articles, a fifth of the time that
follows a commit). This reads the field's stretch of the table a megabyte at a time and
takes the document frequency out of each record.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from typing import Any

from whoosh.system import pack_ushort

_LENGTHS = struct.Struct("!ii")  # a record's key and value lengths (whoosh's filetables)
_DF = struct.Struct("!I")
# Where the document frequency is in a term info's bytes (``W3TermInfo._struct``, "!BfIBBfII"):
# after its flags and total weight.
_DF_AT = struct.calcsize("!Bf")
_KEY_FIELD = 2  # a key is the field's number (2 bytes), then the term
_CHUNK = 1 << 20  # bytes of the table read at once: a field's terms may be most of it


def field_terms(segment: Any, field: str) -> Iterator[tuple[bytes, int]] | None:
    """Each term of ``field`` in one segment's reader (whoosh's ``SegmentReader``), in order,
    with the number of documents that hold it (deleted ones too, as whoosh counts); None
    when the segment is not one this reads (another codec), for the caller to ask whoosh."""
    table = getattr(getattr(segment, "_terms", None), "_tindex", None)
    fields = getattr(getattr(segment, "_terms", None), "_fieldmap", None)
    if table is None or fields is None or not hasattr(table, "closest_key_pos"):
        return None
    return _records(table, fields, field)


def _records(table: Any, fields: dict[str, int], field: str) -> Iterator[tuple[bytes, int]]:
    number = fields.get(field)
    if number is None:
        return
    prefix = pack_ushort(number)
    position = table.closest_key_pos(prefix)
    if position is None:
        return
    lengths, df = _LENGTHS.unpack_from, _DF.unpack_from
    chunk = _CHUNK
    while position < table.endofdata:
        data = table.dbfile.get(position, min(chunk, table.endofdata - position))
        at = 0
        while at + _LENGTHS.size <= len(data):
            key_length, value_length = lengths(data, at)
            key = at + _LENGTHS.size
            value = key + key_length
            if value + value_length > len(data):
                break  # read with the next chunk
            if data[key : key + _KEY_FIELD] != prefix:
                return  # the next field's terms
            yield data[key + _KEY_FIELD : value], df(data, value + _DF_AT)[0]
            at = value + value_length
        if not at and len(data) == chunk:  # a record longer than a chunk
            chunk *= 2
        elif not at:
            raise ValueError(f"a term table record past the end of its data at {position}")
        position += at

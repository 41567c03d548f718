"""Word counts from a news corpus, which the stemmer consults before stripping a clitic.

``data/lexicon.tsv.gz`` holds normalized word forms seen at least three times in the ANT news
corpora (Apache-2.0; built by ``python -m tools.build_lexicon``). It is shipped with the
package and never changes with what a user indexes, so a word stems the same way at index time
and at query time, in every index.

``data/lexicon.pack`` holds the same counts, and the stemmer's word families derived from them,
in a form that loads in a few milliseconds: parsing the TSV and deriving the families took most
of a ``bahth search``'s start-up. It records the SHA-256 of the TSV it was built from and is
ignored when that no longer matches, so a stale pack slows the stemmer down but never changes
a stem. Written by ``python -m tools.build_lexicon`` (``--pack-only`` to rewrite just it).
"""

from __future__ import annotations

import gzip
import hashlib
import sys
import zlib
from array import array
from functools import cache
from importlib import resources

LEXICON = "lexicon.tsv.gz"
PACK = "lexicon.pack"
PACK_MAGIC = b"bahth-lexicon-pack 2"
# Fixed widths and byte order, so the pack reads the same on every platform.
_OFFSET_TYPE = "I"
_COUNT_TYPE = "q"
# A table answers by binary search until it has answered this many look-ups, then builds a
# dict: a search looks up a few hundred words, indexing millions.
DICT_AFTER = 4096


def _data(name: str) -> bytes:
    return resources.files(__package__).joinpath("data", name).read_bytes()


def _parse_lexicon(raw: bytes) -> dict[str, int]:
    """``{word: count}`` from the gzipped TSV (comment lines start with ``#``)."""
    counts: dict[str, int] = {}
    for line in gzip.decompress(raw).decode("utf-8").splitlines():
        if line and not line.startswith("#"):
            word, _, count = line.partition("\t")
            counts[word] = int(count)
    return counts


def _little_endian(numbers: array) -> array:  # type: ignore[type-arg]
    if sys.byteorder == "big":
        numbers.byteswap()
    return numbers


class Table:
    """A read-only ``{word: count}`` over sorted UTF-8 keys, read without parsing.

    Building a dict of the lexicon's 100,000 words costs more than a whole search, which looks
    up a few hundred; so a table answers by binary search over the packed keys until it has
    answered ``DICT_AFTER`` look-ups, and from then on from a dict.
    """

    def __init__(self, keys: bytes, starts: array, values: array) -> None:  # type: ignore[type-arg]
        # key i is keys[starts[i] : starts[i + 1] - 1]; keys are joined by newlines.
        self._keys = keys
        self._starts = starts
        self._values = values
        self._lookups = 0
        self._dict: dict[str, int] | None = None

    def __len__(self) -> int:
        return len(self._values)

    def get(self, word: str, default: int = 0) -> int:
        """The count of ``word``, or ``default`` when the table does not have it."""
        if self._dict is not None:
            return self._dict.get(word, default)
        self._lookups += 1
        if self._lookups > DICT_AFTER:
            self._dict = self.to_dict()
            return self._dict.get(word, default)
        key = word.encode("utf-8")
        keys, starts = self._keys, self._starts
        low, high = 0, len(self._values)
        while low < high:
            middle = (low + high) // 2
            if keys[starts[middle] : starts[middle + 1] - 1] < key:
                low = middle + 1
            else:
                high = middle
        if low < len(self._values) and keys[starts[low] : starts[low + 1] - 1] == key:
            return self._values[low]
        return default

    def to_dict(self) -> dict[str, int]:
        """Every ``{word: count}``, in key order."""
        if not self._values:
            return {}
        # dict(zip(...)) over a split runs in C: a Python loop over the entries would cost as
        # much as parsing the TSV.
        words = self._keys.decode("utf-8").split("\n")
        return dict(zip(words, self._values, strict=True))

    @classmethod
    def build(cls, counts: dict[str, int]) -> Table:
        """A table of ``counts`` (for packing and tests)."""
        words = sorted(counts, key=lambda word: word.encode("utf-8"))
        if any("\n" in word for word in words):
            raise ValueError("a lexicon word contains a newline")
        encoded = [word.encode("utf-8") for word in words]
        starts = array(_OFFSET_TYPE, [0])
        for key in encoded:
            starts.append(starts[-1] + len(key) + 1)
        return cls(b"\n".join(encoded), starts, array(_COUNT_TYPE, [counts[w] for w in words]))


def pack(source: bytes, counts: dict[str, int], families: dict[str, int]) -> bytes:
    """Serialize ``counts`` and ``families`` as built from the TSV ``source`` (its bytes).

    Layout: a header line (magic, the source's SHA-256, then per table its entries and the
    byte length of its keys), then a zlib stream of, per table, its keys (sorted, UTF-8, joined
    by newlines), their start offsets (32-bit) and their counts (64-bit), all little-endian.
    """
    sizes = []
    body = bytearray()
    for table in (Table.build(counts), Table.build(families)):
        sizes += [len(table._values), len(table._keys)]
        body += table._keys
        body += _little_endian(array(_OFFSET_TYPE, table._starts)).tobytes()
        body += _little_endian(array(_COUNT_TYPE, table._values)).tobytes()
    digest = hashlib.sha256(source).hexdigest().encode()
    header = b" ".join([PACK_MAGIC, digest, *(b"%d" % size for size in sizes)])
    return header + b"\n" + zlib.compress(bytes(body), 9)


def unpack(raw: bytes, source: bytes) -> tuple[Table, Table] | None:
    """``(counts, families)`` from a pack, or None when it was not built from ``source``."""
    header, _, body = raw.partition(b"\n")
    fields = header.split(b" ")
    if b" ".join(fields[:2]) != PACK_MAGIC or len(fields) != 7:
        return None
    if fields[2].decode() != hashlib.sha256(source).hexdigest():
        return None
    data = memoryview(zlib.decompress(body))
    tables = []
    position = 0
    for entries, key_bytes in ((int(fields[3]), int(fields[4])), (int(fields[5]), int(fields[6]))):
        keys = bytes(data[position : position + key_bytes])
        position += key_bytes
        starts = array(_OFFSET_TYPE)
        starts.frombytes(data[position : position + (entries + 1) * starts.itemsize])
        position += (entries + 1) * starts.itemsize
        values = array(_COUNT_TYPE)
        values.frombytes(data[position : position + entries * values.itemsize])
        position += entries * values.itemsize
        if len(values) != entries or len(starts) != entries + 1:
            return None  # a truncated pack: the TSV is the reference
        tables.append(Table(keys, _little_endian(starts), _little_endian(values)))
    if position != len(data):
        return None
    return tables[0], tables[1]


@cache
def _packed() -> tuple[Table, Table] | None:
    try:
        raw = _data(PACK)
    except FileNotFoundError:
        return None
    return unpack(raw, _data(LEXICON))


@cache
def word_counts() -> dict[str, int]:
    """Return ``{normalized word: count}`` from the shipped lexicon."""
    packed = _packed()
    return packed[0].to_dict() if packed is not None else _parse_lexicon(_data(LEXICON))


@cache
def counts_table() -> Table | dict[str, int]:
    """``word_counts()`` for a few look-ups: the packed table, read without building a dict."""
    packed = _packed()
    return packed[0] if packed is not None else word_counts()


def packed_families() -> Table | None:
    """The stemmer's word families as packed with the lexicon; None without a current pack."""
    packed = _packed()
    return packed[1] if packed is not None else None

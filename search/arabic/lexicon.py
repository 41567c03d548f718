"""Word counts from a news corpus, which the stemmer consults before stripping a clitic.

``data/lexicon.tsv.gz`` holds normalized word forms seen at least three times in the ANT news
corpora (Apache-2.0; built by ``python -m benchmarks.build_lexicon``). It is shipped with the
package and never changes with what a user indexes, so a word stems the same way at index time
and at query time, in every index.

``data/lexicon.pack`` holds the same counts, and the stemmer's word families derived from them,
in a form that loads in a few milliseconds: parsing the TSV and deriving the families took most
of a ``bahth search``'s start-up. It records the SHA-256 of the TSV it was built from and is
ignored when that no longer matches, so a stale pack slows the stemmer down but never changes
a stem. Written by ``python -m benchmarks.build_lexicon`` (``--pack-only`` to rewrite just it).
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
PACK_MAGIC = b"bahth-lexicon-pack 1"
# Fixed width and byte order, so the pack reads the same on every platform.
_COUNT_TYPE = "q"


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


def pack(source: bytes, counts: dict[str, int], families: dict[str, int]) -> bytes:
    """Serialize ``counts`` and ``families`` as built from the TSV ``source`` (its bytes).

    Layout: a header line (magic, the source's SHA-256, entries of each table, byte length of
    the keys), then a zlib stream of the keys (UTF-8, each table's joined by newlines, the two
    tables separated by NUL) followed by all the counts as little-endian 64-bit integers.
    """
    keys = [*counts, *families]
    if any("\n" in key or "\0" in key for key in keys):
        raise ValueError("a lexicon word contains a newline or NUL")
    text = ("\n".join(counts) + "\0" + "\n".join(families)).encode("utf-8")
    numbers = array(_COUNT_TYPE, [*counts.values(), *families.values()])
    if sys.byteorder == "big":
        numbers.byteswap()
    digest = hashlib.sha256(source).hexdigest()
    sizes = b"%d %d %d" % (len(counts), len(families), len(text))
    header = b" ".join([PACK_MAGIC, digest.encode(), sizes])
    return header + b"\n" + zlib.compress(text + numbers.tobytes(), 9)


def unpack(raw: bytes, source: bytes) -> tuple[dict[str, int], dict[str, int]] | None:
    """``(counts, families)`` from a pack, or None when it was not built from ``source``."""
    header, _, body = raw.partition(b"\n")
    fields = header.split(b" ")
    if b" ".join(fields[:2]) != PACK_MAGIC or len(fields) != 6:
        return None
    if fields[2].decode() != hashlib.sha256(source).hexdigest():
        return None
    n_counts, n_families, text_length = (int(field) for field in fields[3:])
    data = zlib.decompress(body)
    words, _, stems = data[:text_length].decode("utf-8").partition("\0")
    numbers = array(_COUNT_TYPE)
    numbers.frombytes(data[text_length:])
    if sys.byteorder == "big":
        numbers.byteswap()
    words_list = words.split("\n") if n_counts else []
    stems_list = stems.split("\n") if n_families else []
    if len(words_list) != n_counts or len(stems_list) != n_families:
        return None
    # Built from the splits and the array in C (dict(zip(...))): a Python loop over the
    # 100,000 entries would cost as much as parsing the TSV.
    try:
        counts = dict(zip(words_list, numbers[:n_counts], strict=True))
        families = dict(zip(stems_list, numbers[n_counts:], strict=True))
    except ValueError:  # a truncated pack: the TSV is the reference
        return None
    return counts, families


@cache
def _packed() -> tuple[dict[str, int], dict[str, int]] | None:
    try:
        raw = _data(PACK)
    except FileNotFoundError:
        return None
    return unpack(raw, _data(LEXICON))


@cache
def word_counts() -> dict[str, int]:
    """Return ``{normalized word: count}`` from the shipped lexicon."""
    packed = _packed()
    return packed[0] if packed is not None else _parse_lexicon(_data(LEXICON))


def packed_families() -> dict[str, int] | None:
    """The stemmer's word families as packed with the lexicon; None without a current pack."""
    packed = _packed()
    return packed[1] if packed is not None else None

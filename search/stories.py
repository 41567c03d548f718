"""Stories: articles whose bodies are near-copies of each other (wire stories, republications).

Each article gets a story number at index time. Its body is cut into overlapping runs of
``SHINGLE`` words (shingles), normalized and without stopwords as the analysis gives them for
the exact fields; two bodies are near-copies when the Jaccard similarity of their shingle sets
is at least ``THRESHOLD``. MinHash signatures estimate that similarity, and locality-sensitive
hashing over them finds the candidates without comparing every pair.

Both are numpy here, not datasketch's: on this project's 2-core machine, importing datasketch
(it imports scipy) took 0.6 s, which every ``bahth search`` would pay; its ``MinHash`` cost
about 130 µs an article (a Python call per shingle and 64-bit modulo arithmetic) where the
multiply-shift hashing below costs about 20; and its ``MinHashLSH`` held 640 MB of Python
objects for the 72,000 articles of the news corpora, the sorted arrays below a few tens.

A new article joins the story of its most similar earlier article that passes the threshold,
or starts a story of its own: stories are never merged afterwards, so a story number, once
written into the engine's document, stays right when other articles are added or deleted.
``Stories`` holds what the next indexing run needs (every article's signature and story) and
is saved in the index generation with each commit.

>>> a = body_words("وقع زلزال بقوة ست درجات قبالة سواحل اليابان صباح اليوم ولم ترد أنباء")
>>> b = a[:-1] + ["قتلى"]
>>> similarity(signature(a), signature(a)), similarity(signature(a), signature(b)) > THRESHOLD
(1.0, True)
"""

from __future__ import annotations

import hashlib
import zlib
from pathlib import Path
from typing import BinaryIO

import numpy as np

from .arabic import index_terms
from .errors import IndexIncompatible

VERSION = 1
"""Bump when anything below changes what a signature is: stories saved with another version
are refused (the index must be rebuilt), never compared with new signatures."""

SHINGLE = 5
"""Words per shingle: long enough that two different stories rarely share one, short enough
that an edited sentence spoils only a few."""

THRESHOLD = 0.5
"""Shingle Jaccard from which two bodies are one story (see docs/stories.md for the measure)."""

CANDIDATES = 0.35
"""The LSH index is tuned to this similarity, below ``THRESHOLD``: a pair just above the
threshold is then almost always a candidate (tuned to the threshold itself, LSH misses about
half of them), and each candidate is checked against the threshold by its signature."""

MIN_SHINGLES = 8
"""Bodies with fewer shingles (about a dozen words) are never merged: a one-line caption or a
"details to follow" would otherwise join unrelated articles."""

PERMUTATIONS = 64

# The banding that minimizes false positives plus false negatives around CANDIDATES with 64
# values (the integral datasketch's MinHashLSH computes): 21 bands of 3 values.
BANDS, ROWS = 21, 3

_EMPTY = np.zeros(0, dtype=np.uint64)

_WORD_HASHES: dict[str, int] = {}
_MEMO_LIMIT = 200_000  # distinct words remembered: the Zipfian head, a few tens of MB at most


def _word_hash(word: str) -> int:
    found = _WORD_HASHES.get(word)
    if found is None:
        if len(_WORD_HASHES) >= _MEMO_LIMIT:
            _WORD_HASHES.clear()
        found = _WORD_HASHES[word] = zlib.crc32(word.encode("utf-8", "surrogatepass"))
    return found


def _shingle_hashes(hashes: np.ndarray) -> np.ndarray:
    """The 32-bit hash of each run of SHINGLE consecutive word hashes (at least SHINGLE)."""
    # A polynomial hash of each window, in 64-bit arithmetic that wraps.
    count = len(hashes) - SHINGLE + 1
    combined = np.zeros(count, dtype=np.uint64)
    for k in range(SHINGLE):
        combined = combined * np.uint64(1_000_003) + hashes[k : k + count]
    return (combined >> np.uint64(16)) & np.uint64(0xFFFFFFFF)


def _word_hashes(words: list[str]) -> np.ndarray:
    memo = _WORD_HASHES
    return np.array([memo.get(w) or _word_hash(w) for w in words], dtype=np.uint64)


def shingles(words: list[str]) -> np.ndarray:
    """The distinct 32-bit hashes of the runs of ``SHINGLE`` consecutive ``words``.

    >>> len(shingles("واحد اثنان ثلاثه اربعه خمسه سته".split())), len(shingles(["كلمه"]))
    (2, 0)
    """
    if len(words) < SHINGLE:
        return _EMPTY
    return np.unique(_shingle_hashes(_word_hashes(words)))


def body_words(body: str) -> list[str]:
    """The words a body is compared by: its normalized forms without stopwords, as the
    analysis makes them for the exact fields (``index_terms``), so that an engine that has
    analyzed the body already compares it for free."""
    return index_terms(body)[1]


def _constants(name: str) -> np.ndarray:
    """PERMUTATIONS 64-bit numbers drawn from SHAKE-256: the same in every run and version."""
    digest = hashlib.shake_256(f"bahth-stories-{name}".encode()).digest(8 * PERMUTATIONS)
    return np.frombuffer(digest, dtype="<u8").astype(np.uint64)


# Multiply-add-shift hashing (Dietzfelbinger): x → (a·x + b) mod 2⁶⁴ with odd a is a universal
# family, computed with numpy's wrapping 64-bit arithmetic; the top bits are the hash.
_MULTIPLIERS = (_constants("a") | np.uint64(1))[:, np.newaxis]
_ADDENDS = _constants("b")[:, np.newaxis]


def signature(words: list[str]) -> np.ndarray | None:
    """The MinHash signature of a body's words (``body_words``), or None when the body is too
    short to be compared: for each of PERMUTATIONS hash functions, the top 16 bits of its
    smallest value over the body's shingles.

    16 bits (b-bit MinHash): two different minima agree by chance once in 65,536, which moves
    a similarity by far less than the estimate's own noise, and halves the memory and disk the
    signatures take.
    """
    if len(words) - SHINGLE + 1 < MIN_SHINGLES:
        return None
    found = _shingle_hashes(_word_hashes(words))
    smallest = (_MULTIPLIERS * found + _ADDENDS).min(axis=1)
    return (smallest >> np.uint64(48)).astype(np.uint16)


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """The Jaccard similarity two signatures estimate."""
    return float(np.count_nonzero(a == b)) / len(a)


_MULTIPLIER = np.uint64(0x9E3779B1)
_BAND_NUMBERS = np.arange(1, BANDS + 1, dtype=np.uint64) * _MULTIPLIER


def band_keys(signatures: np.ndarray) -> np.ndarray:
    """Each signature's BANDS band keys, shape ``(n, BANDS)``: 32-bit hashes of its bands, the
    band's number mixed in. Two bands that collide by chance make a candidate that the
    signature check then turns down."""
    bands = signatures[:, : BANDS * ROWS].astype(np.uint64).reshape(len(signatures), BANDS, ROWS)
    keys = _BAND_NUMBERS + bands[:, :, 0]
    for row in range(1, ROWS):
        keys = keys * _MULTIPLIER + bands[:, :, row]
    return (keys ^ (keys >> np.uint64(32))).astype(np.uint32)


class Stories:
    """Every indexed article's signature and story number, with an LSH index over them.

    ``assign`` gives a new article its story; ``remove`` forgets a deleted or replaced one.

    The band keys of the articles held are in one sorted array, found with ``searchsorted``;
    those of articles assigned since are in a dictionary, merged into the array every
    ``_PENDING``.
    """

    _PENDING = 1024

    def __init__(
        self, ids: list[str], signatures: np.ndarray, stories: np.ndarray, next_story: int
    ) -> None:
        count = len(ids)
        self._ids = list(ids)
        self._row = {article_id: row for row, article_id in enumerate(self._ids)}
        self._signatures = np.array(signatures, dtype=np.uint16).reshape(count, PERMUTATIONS)
        self._stories = np.array(stories, dtype=np.int64)
        # A row of zeros is an article too short to compare (``signature`` gave None).
        self._comparable = self._signatures.any(axis=1)
        self._alive = np.ones(count, dtype=bool)
        self._count = count
        self._next = next_story
        self._sorted_keys = np.zeros(0, dtype=np.uint32)
        self._sorted_rows = np.zeros(0, dtype=np.int32)
        self._pending: dict[int, list[int]] = {}  # band key → rows, since the last merge
        self._pending_rows: list[int] = []
        self._merge(np.flatnonzero(self._comparable), band_keys(self._signatures[self._comparable]))
        self.changed = False

    @classmethod
    def empty(cls) -> Stories:
        return cls([], np.zeros((0, PERMUTATIONS), dtype=np.uint16), np.zeros(0), 1)

    def _merge(self, rows: np.ndarray, keys: np.ndarray) -> None:
        """Add the band keys of ``rows`` to the sorted arrays."""
        if not len(rows):
            return
        order = np.argsort(keys.ravel(), kind="stable")
        keys, rows = keys.ravel()[order], np.repeat(rows, BANDS)[order].astype(np.int32)
        # Inserted in place of a sort of the whole: no temporary the size of the arrays.
        at = np.searchsorted(self._sorted_keys, keys, side="right")
        self._sorted_keys = np.insert(self._sorted_keys, at, keys)
        self._sorted_rows = np.insert(self._sorted_rows, at, rows)

    def _candidates(self, keys: np.ndarray) -> np.ndarray:
        """The rows alive that share a band key with ``keys`` (one signature's)."""
        found = []
        first = np.searchsorted(self._sorted_keys, keys, side="left")
        inside = first < len(self._sorted_keys)
        shared = np.zeros(len(keys), dtype=bool)
        shared[inside] = self._sorted_keys[first[inside]] == keys[inside]
        if shared.any():  # most articles share no band with any other
            last = np.searchsorted(self._sorted_keys, keys[shared], side="right")
            found += [self._sorted_rows[a:b] for a, b in zip(first[shared], last, strict=True)]
        for key in keys.tolist():
            if key in self._pending:
                found.append(np.array(self._pending[key], dtype=np.int32))
        if not found:
            return np.zeros(0, dtype=np.int32)
        rows = np.unique(np.concatenate(found))
        return rows[self._alive[rows]]

    def _grow(self) -> None:
        size = max(1024, self._count * 3 // 2)
        self._signatures = np.resize(self._signatures, (size, PERMUTATIONS))
        for name in ("_stories", "_comparable", "_alive"):
            setattr(self, name, np.resize(getattr(self, name), size))

    def assign(self, article_id: str, values: np.ndarray | None) -> int:
        """The story of an article with this ``signature`` (None: too short to compare); an
        earlier version of it is forgotten first."""
        self.remove(article_id)
        story = 0
        if values is not None:
            keys = band_keys(values[np.newaxis])[0]
            rows = self._candidates(keys)
            if len(rows):
                similar = np.count_nonzero(self._signatures[rows] == values, axis=1)
                best = int(np.argmax(similar))  # rows are sorted: the earliest among equals
                if similar[best] >= THRESHOLD * PERMUTATIONS:
                    story = int(self._stories[rows[best]])
        if not story:
            story, self._next = self._next, self._next + 1
        if self._count == len(self._stories):
            self._grow()
        row = self._count
        self._count += 1
        self._signatures[row] = 0 if values is None else values
        self._comparable[row] = values is not None
        self._alive[row] = True
        self._stories[row] = story
        self._ids.append(article_id)
        self._row[article_id] = row
        if values is not None:
            for key in keys.tolist():
                self._pending.setdefault(key, []).append(row)
            self._pending_rows.append(row)
            if len(self._pending_rows) == self._PENDING:
                rows = np.array(self._pending_rows)
                self._merge(rows, band_keys(self._signatures[rows]))
                self._pending, self._pending_rows = {}, []
        self.changed = True
        return story

    def remove(self, article_id: str) -> None:
        """Forget an article (deleted, or about to be assigned again)."""
        row = self._row.pop(article_id, None)
        if row is not None:
            self._alive[row] = False
            self.changed = True

    def save(self, file: BinaryIO) -> None:
        """Write the signatures and stories of the articles held (an uncompressed npz)."""
        rows = np.flatnonzero(self._alive[: self._count])
        np.savez(
            file,
            ids=np.array([self._ids[row] for row in rows], dtype=str),
            signatures=self._signatures[rows],
            stories=self._stories[rows],
            next_story=np.array([self._next], dtype=np.int64),
            version=np.array([VERSION], dtype=np.int64),
        )

    @classmethod
    def load(cls, path: Path) -> Stories:
        with np.load(path, allow_pickle=False) as data:
            if "version" not in data or int(data["version"][0]) != VERSION:
                raise IndexIncompatible(f"{path} holds stories of another version of Bahth")
            ids = [str(i) for i in data["ids"]]
            return cls(ids, data["signatures"], data["stories"], int(data["next_story"][0]))

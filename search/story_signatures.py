"""The MinHash signature of an article's body, and the LSH band keys it is looked up by
(``search.stories`` assigns the stories).

A body is cut into overlapping runs of ``SHINGLE`` words (shingles), normalized and without
stopwords as the analysis gives them for the exact fields; two bodies are near-copies when the
Jaccard similarity of their shingle sets is at least ``THRESHOLD``. MinHash signatures
estimate that similarity, and locality-sensitive hashing over them finds the candidates
without comparing every pair.

Both are numpy here, not datasketch's: on this project's 2-core machine, importing datasketch
(it imports scipy) took 0.6 s, which every ``bahth search`` would pay; its ``MinHash`` cost
about 130 µs an article (a Python call per shingle and 64-bit modulo arithmetic) where the
multiply-shift hashing below costs about 20; and its ``MinHashLSH`` held 640 MB of Python
objects for the 72,000 articles of the news corpora, the sorted arrays below a few tens.

>>> a = body_words("وقع زلزال بقوة ست درجات قبالة سواحل اليابان صباح اليوم ولم ترد أنباء")
>>> b = a[:-1] + ["قتلى"]
>>> similarity(signature(a), signature(a)), similarity(signature(a), signature(b)) > THRESHOLD
(1.0, True)
"""

from __future__ import annotations

import hashlib

import numpy as np

from .arabic import index_terms

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

MAX_WORDS, MAX_LETTERS = 2_000, 100
"""What of a body is compared: its first 2,000 words (a news article has a few hundred; a
dump's 10 MB record must not cost its length in memory), without tokens longer than any word
(runs of letters with no space, such as encoded data)."""

MIN_SHINGLES = 8
"""Bodies with fewer shingles (about a dozen words) are never merged: a one-line caption or a
"details to follow" would otherwise join unrelated articles."""

PERMUTATIONS = 64

# The banding that minimizes false positives plus false negatives around CANDIDATES with 64
# values (the integral datasketch's MinHashLSH computes): 21 bands of 3 values.
BANDS, ROWS = 21, 3

_EMPTY = np.zeros(0, dtype=np.uint64)

# Shingles are hashed as text: a polynomial hash of their characters, modulo 2⁶⁴. The hash of
# any stretch of a text comes from one prefix sum over its characters, each multiplied by the
# inverse of _BASE to the power of its position: numpy computes every shingle of a body at
# once, with no Python work per word.
_BASE = 1_000_003
_INVERSE = pow(_BASE, -1, 2**64)
_powers: list[np.ndarray] = []  # [_BASE ** k, _INVERSE ** k] for k < len, grown on demand


def _factors(base: int, size: int) -> np.ndarray:
    """1, base, base, …: their running products are the powers of ``base`` (wrapping)."""
    factors = np.full(size, base, dtype=np.uint64)
    factors[0] = 1
    return factors


def _powers_to(length: int) -> tuple[np.ndarray, np.ndarray]:
    if not _powers or len(_powers[0]) < length:
        size = max(length, 2 * len(_powers[0]) if _powers else 4096)
        _powers[:] = [np.cumprod(_factors(base, size)) for base in (_BASE, _INVERSE)]
    return _powers[0], _powers[1]


def _shingle_hashes(words: list[str]) -> np.ndarray:
    """The 64-bit hash of each run of SHINGLE consecutive words: the polynomial hash of the
    run's text, its words joined by spaces. Only the first MAX_WORDS words of at most
    MAX_LETTERS letters count."""
    words = [w for w in words[:MAX_WORDS] if len(w) <= MAX_LETTERS]
    if len(words) < SHINGLE:
        return _EMPTY
    text = np.frombuffer(" ".join(words).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    powers, inverses = _powers_to(len(text))
    prefix = np.cumsum(text.astype(np.uint64) * inverses[: len(text)])  # wraps modulo 2⁶⁴
    # Where each word ends, from the lengths (a word may hold a space, or be empty).
    ends = np.cumsum(np.fromiter(map(len, words), dtype=np.int64, count=len(words)) + 1) - 1
    starts = np.concatenate(([0], ends[:-1] + 1))[: len(words) - SHINGLE + 1]
    ends = ends[SHINGLE - 1 :]
    before = np.where(starts > 0, prefix[starts - 1], np.uint64(0))
    return (prefix[ends - 1] - before) * powers[ends - 1]


def shingles(words: list[str]) -> np.ndarray:
    """The distinct 64-bit hashes of the runs of ``SHINGLE`` consecutive ``words``.

    >>> len(shingles("واحد اثنان ثلاثه اربعه خمسه سته".split())), len(shingles(["كلمه"]))
    (2, 0)
    >>> a, b = shingles("ا ب ج د ه و".split()), shingles("س ا ب ج د ه".split())
    >>> len(set(a.tolist()) & set(b.tolist()))  # the run ا ب ج د ه hashes alike in both
    1
    """
    return np.unique(_shingle_hashes(words))


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
    found = _shingle_hashes(words)
    if len(found) < MIN_SHINGLES:
        return None
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

"""Stories: articles whose bodies are near-copies of each other (wire stories, republications).

Each article gets a story number at index time. Its body is cut into overlapping runs of
``SHINGLE`` normalized words (shingles); two bodies are near-copies when the Jaccard similarity
of their shingle sets is at least ``THRESHOLD``. MinHash signatures (``datasketch``) estimate
that similarity, and locality-sensitive hashing over them (``datasketch.MinHashLSH``) finds the
candidates without comparing every pair.

A new article joins the story of its most similar earlier article that passes the threshold,
or starts a story of its own: stories are never merged afterwards, so a story number, once
written into the engine's document, stays right when other articles are added or deleted.
``Stories`` holds what the next indexing run needs (every article's signature and story) and
is saved in the index generation with each commit.

>>> a = "وقع زلزال بقوة ست درجات قبالة سواحل اليابان صباح اليوم ولم ترد أنباء عن إصابات"
>>> b = "وقع زلزال بقوة ست درجات قبالة سواحل اليابان صباح اليوم ولم ترد أنباء عن قتلى"
>>> similarity(signature(a), signature(a)), similarity(signature(a), signature(b)) > THRESHOLD
(1.0, True)
"""

from __future__ import annotations

import re
import zlib
from pathlib import Path
from typing import BinaryIO

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

from .arabic import normalize

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
SEED = 1

_WORD = re.compile(r"\w+")
_EMPTY = np.zeros(0, dtype=np.uint64)
_WORD_HASHES: dict[str, int] = {}
_MEMO_LIMIT = 1_000_000


def _word_hash(token: str) -> int:
    """The hash of a whitespace-separated token's normalized letters (0: none, punctuation)."""
    found = _WORD_HASHES.get(token)
    if found is None:
        if len(_WORD_HASHES) >= _MEMO_LIMIT:
            _WORD_HASHES.clear()
        letters = "".join(_WORD.findall(normalize(token)))
        found = zlib.crc32(letters.encode("utf-8", "surrogatepass")) + 1 if letters else 0
        _WORD_HASHES[token] = found
    return found


def shingles(text: str) -> np.ndarray:
    """The 32-bit hashes of the text's shingles (runs of ``SHINGLE`` normalized words).

    Tokens are split at whitespace and each one's normalized letters hashed once (memoized:
    news vocabulary is Zipfian), which costs a fraction of normalizing the whole text.

    >>> len(shingles("واحد اثنان ثلاثة اربعة خمسة ستة")), len(shingles("كلمة"))
    (2, 0)
    """
    memo = _WORD_HASHES
    hashes = np.array([memo.get(t) or _word_hash(t) for t in text.split()], dtype=np.uint64)
    hashes = hashes[hashes != 0]
    if len(hashes) < SHINGLE:
        return _EMPTY
    # A polynomial hash of each window of word hashes, in 64-bit arithmetic that wraps.
    count = len(hashes) - SHINGLE + 1
    combined = np.zeros(count, dtype=np.uint64)
    for k in range(SHINGLE):
        combined = combined * np.uint64(1_000_003) + hashes[k : k + count]
    return np.unique((combined >> np.uint64(16)) & np.uint64(0xFFFFFFFF))


def _identity(value: int) -> int:
    return value


# Copies of one MinHash share its permutations: making them is most of a new MinHash's cost.
_TEMPLATE = MinHash(num_perm=PERMUTATIONS, seed=SEED, hashfunc=_identity)


def signature(text: str) -> np.ndarray | None:
    """The MinHash signature of a body, or None when it is too short to be compared."""
    found = shingles(text)
    if len(found) < MIN_SHINGLES:
        return None
    minhash = _TEMPLATE.copy()
    minhash.update_batch(found.tolist())
    return minhash.hashvalues.astype(np.uint32)


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """The Jaccard similarity two signatures estimate."""
    return float(np.count_nonzero(a == b)) / len(a)


def _lean(values: np.ndarray) -> LeanMinHash:
    return LeanMinHash(seed=SEED, hashvalues=values.astype(np.uint64))


class Stories:
    """Every indexed article's signature and story number, and the LSH index over them.

    ``assign`` gives a new article its story; ``remove`` forgets a deleted or replaced one.
    """

    def __init__(
        self, ids: list[str], signatures: np.ndarray, stories: np.ndarray, next_story: int
    ) -> None:
        self._row = {article_id: row for row, article_id in enumerate(ids)}
        self._ids = list(ids)
        # A row of zeros is an article too short to compare (``signature`` gave None).
        self._signatures = [s if s.any() else None for s in signatures]
        self._stories = [int(s) for s in stories]
        self._next = next_story
        self._lsh: MinHashLSH | None = None
        self.changed = False

    @classmethod
    def empty(cls) -> Stories:
        return cls([], np.zeros((0, PERMUTATIONS), dtype=np.uint32), np.zeros(0), 1)

    def _index(self) -> MinHashLSH:
        """The LSH index of the signatures, built when the first article is assigned."""
        if self._lsh is None:
            self._lsh = MinHashLSH(threshold=CANDIDATES, num_perm=PERMUTATIONS)
            with self._lsh.insertion_session() as session:
                for article_id, row in self._row.items():
                    values = self._signatures[row]
                    if values is not None and values.any():
                        session.insert(article_id, _lean(values), check_duplication=False)
        return self._lsh

    def assign(self, article_id: str, body: str) -> int:
        """The story of a new article (forget its earlier version first with ``remove``)."""
        values = signature(body)
        story = 0
        if values is not None:
            lsh = self._index()
            lean = _lean(values)
            best: tuple[float, int] | None = None  # (similarity, -row): earliest among equals
            for other in lsh.query(lean):
                row = self._row[other]
                score = (similarity(values, self._signatures[row]), -row)
                if score[0] >= THRESHOLD and (best is None or score > best):
                    best = score
            if best is not None:
                story = self._stories[-best[1]]
            lsh.insert(article_id, lean, check_duplication=False)
        if not story:
            story, self._next = self._next, self._next + 1
        self._row[article_id] = len(self._ids)
        self._ids.append(article_id)
        self._signatures.append(values)
        self._stories.append(story)
        self.changed = True
        return story

    def remove(self, article_id: str) -> None:
        """Forget an article (deleted, or about to be assigned again)."""
        row = self._row.pop(article_id, None)
        if row is None:
            return
        if self._lsh is not None and self._signatures[row] is not None:
            self._lsh.remove(article_id)
        self._ids[row] = ""
        self.changed = True

    def story_of(self, article_id: str) -> int | None:
        row = self._row.get(article_id)
        return None if row is None else self._stories[row]

    def save(self, file: BinaryIO) -> None:
        """Write the signatures and stories of the articles held (an uncompressed npz)."""
        rows = sorted(self._row.values())
        signatures = np.zeros((len(rows), PERMUTATIONS), dtype=np.uint32)
        for i, row in enumerate(rows):
            if self._signatures[row] is not None:
                signatures[i] = self._signatures[row]
        np.savez(
            file,
            ids=np.array([self._ids[row] for row in rows], dtype=str),
            signatures=signatures,
            stories=np.array([self._stories[row] for row in rows], dtype=np.int64),
            next_story=np.array([self._next], dtype=np.int64),
        )

    @classmethod
    def load(cls, path: Path) -> Stories:
        with np.load(path, allow_pickle=False) as data:
            ids = [str(i) for i in data["ids"]]
            return cls(ids, data["signatures"], data["stories"], int(data["next_story"][0]))

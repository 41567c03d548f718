"""The ids an indexing run has read, with the version of each (``Seen``), in 16 bytes an id.

A run remembers every id it reads, for duplicates and for ``--delete-missing``; a Python dict
of 8-byte digests to versions costs about 113 bytes an id (1.1 GB at ten million articles).
Here the ids read lately wait in a small dict, and are then merged into sorted arrays of
64-bit keys and versions, whose sizes grow geometrically (a log-structured merge: each id is
copied about log₂(ids / RECENT) times in all, and a lookup searches a few arrays).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

import numpy as np

RECENT = 1 << 16  # ids kept in the dict before they are merged into the arrays


def id_key(article_id: str) -> int:
    """The 64-bit digest an id is remembered by (the same as the tantivy engine's ``key``
    field, so that the engine can compare its articles' keys without reading their ids)."""
    digest = hashlib.blake2b(article_id.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "big")


class Seen:
    """id key (``id_key``) → version (a 64-bit integer) of each id read."""

    def __init__(self, recent: int | None = None) -> None:
        self._limit = recent or RECENT
        self._recent: dict[int, int] = {}
        # Sorted runs, oldest (largest) first; a key in a newer run (or in ``_recent``) takes
        # the place of the same key in an older one.
        self._runs: list[tuple[np.ndarray, np.ndarray]] = []
        # The versions of the keys looked up by ``prefetch`` (None: in no run), valid until
        # the next merge.
        self._fetched: dict[int, int | None] = {}

    def __len__(self) -> int:
        """Ids held (an id read with two versions across a merge counts until the next)."""
        return len(self._recent) + sum(len(keys) for keys, _ in self._runs)

    def get(self, key: int) -> int | None:
        """The version last remembered for ``key``, or None."""
        found = self._recent.get(key)
        if found is not None:
            return found
        if key in self._fetched:
            return self._fetched[key]
        for keys, versions in reversed(self._runs):
            at = int(np.searchsorted(keys, np.uint64(key)))
            if at < len(keys) and int(keys[at]) == key:
                return int(versions[at])
        return None

    def set(self, key: int, version: int) -> None:
        """Remember ``version`` for ``key``."""
        self._recent[key] = version
        if len(self._recent) >= self._limit:
            self._merge()

    def prefetch(self, keys: Iterable[int]) -> None:
        """Look ``keys`` up in the arrays at once, so that ``get`` on them is a dict lookup
        (one search an array for a batch instead of one an id)."""
        wanted = np.fromiter(keys, dtype=np.uint64)
        found: list[int | None] = [None] * len(wanted)
        for keys_, versions in self._runs:  # oldest first: a newer run overwrites
            at = np.minimum(np.searchsorted(keys_, wanted), len(keys_) - 1)
            hit = keys_[at] == wanted
            for i in np.flatnonzero(hit).tolist():
                found[i] = int(versions[at[i]])
        self._fetched = dict(zip(wanted.tolist(), found, strict=True))

    def known(self, keys: Sequence[int]) -> list[bool]:
        """For each of ``keys``: whether it was read."""
        wanted = np.asarray(keys, dtype=np.uint64)
        hit = np.zeros(len(wanted), dtype=bool)
        for keys_, _ in self._runs:
            at = np.minimum(np.searchsorted(keys_, wanted), len(keys_) - 1)
            hit |= keys_[at] == wanted
        recent = self._recent
        return [bool(h) or k in recent for h, k in zip(hit.tolist(), keys, strict=True)]

    def _merge(self) -> None:
        """Move the recent ids into a run of their own, then merge the newest runs while the
        one before is not more than twice as large."""
        self._fetched = {}
        if not self._recent:
            return
        keys = np.fromiter(self._recent.keys(), dtype=np.uint64, count=len(self._recent))
        versions = np.fromiter(self._recent.values(), dtype=np.uint64, count=len(self._recent))
        order = np.argsort(keys)
        self._runs.append((keys[order], versions[order]))
        self._recent = {}
        while len(self._runs) >= 2 and len(self._runs[-2][0]) <= 2 * len(self._runs[-1][0]):
            newer = self._runs.pop()
            older = self._runs.pop()
            self._runs.append(_merged(newer, older))


def _merged(
    newer: tuple[np.ndarray, np.ndarray], older: tuple[np.ndarray, np.ndarray]
) -> tuple[np.ndarray, np.ndarray]:
    """One sorted run of two, a key's version taken from ``newer`` when both hold it."""
    keys = np.concatenate([newer[0], older[0]])
    versions = np.concatenate([newer[1], older[1]])
    # A stable sort keeps ``newer``'s copy of a key first; ``unique`` keeps the first.
    order = np.argsort(keys, kind="stable")
    keys, versions = keys[order], versions[order]
    first = np.ones(len(keys), dtype=bool)
    first[1:] = keys[1:] != keys[:-1]
    return keys[first], versions[first]

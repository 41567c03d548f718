"""Arrays in a file, read where they are indexed: the large arrays of a stories segment.

A run looks up a few band keys and ids in a segment of the whole archive. Through a mapping,
each look-up would bring the file's pages around it into the process (the system maps up to
16 pages a fault): the 21,000 band keys of 1,000 new articles mapped nearly every page of a
million articles' keys, their rows and the directory, 189 MB of the run's 413 MB. ``FileArray``
reads what is indexed with ``os.pread`` instead: the pages stay the system's page cache, and
the process holds only the items it asked for.

A run that looks up much of a segment (a first build's own temporary segments, a large update)
would pay a system call per look-up where a mapped page costs none once touched: past
``MAPPED_AFTER`` reads for every item of the array, look-ups go through the mapping. Slices
longer than a page (the pieces a merge reads in turn) are always read, never mapped.

>>> import tempfile
>>> with tempfile.TemporaryFile() as file:
...     _ = file.write(np.arange(10, dtype=np.int64).tobytes())
...     _ = file.flush()
...     array = OpenFile(file).array(0, np.dtype(np.int64), (10,))
...     array[[7, 2, 7]].tolist(), array[3:5].tolist(), int(array[9]), array.searchsorted(4)
([7, 2, 7], [3, 4], 9, 4)
"""

from __future__ import annotations

import bisect
import mmap
import os
import weakref
from typing import IO, Any, Literal

import numpy as np

_GAP = 4096  # bytes between two items read by one call rather than two
MAPPED_AFTER = 1 / 32
"""Reads a looked-up array may make for each of its items before its look-ups go through the
mapping. 1,000 articles added to a million read the band keys about 30,000 times (1 read in
700 keys) and the ids 21,000 times (1 in 48): under it. An update of tens of thousands of
articles passes it, where its look-ups would touch most pages anyway."""


class OpenFile:
    """A file's mapping and a descriptor of its own, for the arrays in it: the file object it
    was opened from may be closed (or be a temporary file, gone once closed); the descriptor is
    closed when the last array reading it is gone."""

    def __init__(self, file: IO[bytes]) -> None:
        self.mapping = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
        self.fd = os.dup(file.fileno())
        weakref.finalize(self, os.close, self.fd)

    def array(
        self,
        offset: int,
        dtype: np.dtype[Any],
        shape: tuple[int, ...],
        map_after: float = MAPPED_AFTER,
    ) -> FileArray:
        """The array of ``dtype`` and ``shape`` at ``offset``."""
        count = int(np.prod(shape, dtype=np.int64))
        mapped = np.frombuffer(self.mapping, dtype=dtype, count=count, offset=offset)
        return FileArray(self, offset, mapped.reshape(shape), map_after)


class FileArray:
    """An array of a file at an offset, indexed like a numpy array along its first axis: an
    integer, a slice with step 1, an array of integers in any order (repeats allowed) or of
    booleans. Indexing returns a numpy array or item, a copy (or, an item of a
    two-dimensional array once mapped, a read-only view)."""

    def __init__(
        self, file: OpenFile, offset: int, mapped: np.ndarray, map_after: float = MAPPED_AFTER
    ) -> None:
        self._file, self._offset, self._mapped = file, offset, mapped
        self.dtype, self.shape, self.nbytes = mapped.dtype, mapped.shape, mapped.nbytes
        self._row = mapped.dtype.itemsize * int(np.prod(mapped.shape[1:], dtype=np.int64))
        self._reads_left = int(len(mapped) * map_after)

    @property
    def reading(self) -> bool:
        """Whether indexing reads the items (a system call for a few), not the mapping."""
        return self._reads_left > 0

    def __len__(self) -> int:
        return self.shape[0]

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            if step != 1:
                raise IndexError("a FileArray is sliced with step 1")
            if self._reads_left <= 0 and (stop - start) * self._row <= _GAP:
                return self._mapped[start:stop].copy()  # a look-up's; a merge's piece is read
            return self._read_span(start, max(start, stop))
        if self._reads_left <= 0:
            return self._mapped[index]
        if isinstance(index, int | np.integer):
            at = int(index) + (len(self) if index < 0 else 0)
            if not 0 <= at < len(self):
                raise IndexError(f"index {index} is out of bounds for {len(self)} items")
            self._reads_left -= 1
            return self._read_span(at, at + 1)[0]
        positions = np.asarray(index)
        if positions.dtype == bool:
            positions = np.flatnonzero(positions)
        unique, inverse = np.unique(positions, return_inverse=True)
        if len(unique) and not (unique[0] >= 0 and unique[-1] < len(self)):
            raise IndexError(f"indices out of bounds for {len(self)} items")
        return self._read_sorted(unique)[inverse.reshape(positions.shape)]

    def searchsorted(self, value: Any, side: Literal["left", "right"] = "left") -> int:
        """Where ``value`` would go in this sorted one-dimensional array (``np.searchsorted``):
        a binary search reading an item a step."""
        if self._reads_left <= 0:
            return int(self._mapped.searchsorted(value, side))
        return (bisect.bisect_left if side == "left" else bisect.bisect_right)(self, value)

    def _read_span(self, start: int, stop: int) -> np.ndarray:
        out = np.empty((stop - start, *self.shape[1:]), dtype=self.dtype)
        self._read_into(out, self._offset + start * self._row)
        return out

    def _read_into(self, out: np.ndarray, at: int) -> None:
        wanted = out.nbytes
        if not wanted:
            return
        data = os.pread(self._file.fd, wanted, at)
        if len(data) != wanted:
            raise OSError(f"a short read of {wanted} bytes at {at}: the file was truncated")
        out.data.cast("B")[:] = data

    def _read_sorted(self, positions: np.ndarray) -> np.ndarray:
        """The items at ``positions`` (sorted, unique), items less than ``_GAP`` apart read by
        one call."""
        out = np.empty((len(positions), *self.shape[1:]), dtype=self.dtype)
        if not len(positions):
            return out
        breaks = np.flatnonzero(np.diff(positions) * self._row > _GAP) + 1
        firsts, lasts = np.r_[0, breaks], np.r_[breaks, len(positions)] - 1
        self._reads_left -= len(firsts)
        for first, last in zip(firsts.tolist(), lasts.tolist(), strict=True):
            low, high = int(positions[first]), int(positions[last]) + 1
            if high - low == last - first + 1:  # every item between: read straight into place
                self._read_into(out[first : last + 1], self._offset + low * self._row)
            else:
                span = self._read_span(low, high)
                out[first : last + 1] = span[positions[first : last + 1] - low]
        return out

"""The stories on disk: segments that each commit adds to, so that a run reads and writes what
it changes, not every article's signature.

A commit that changes the stories writes one segment, ``stories.<commit>.seg``, with the
articles its run assigned (their id keys, signatures, story numbers and sorted band keys) and
the rows of earlier segments it removed (deleted or replaced articles: ``kills``), and a
manifest, ``stories.<commit>.json``, naming the segments in force and the next story number.
Both are side files of the commit (``search.generation``). A segment file is not read whole:
a run looks up the few band keys and ids it needs and reads those (``search.file_arrays``).

The newest segments are merged into the one a commit writes while they are no larger than
what it writes (a binary counter: an article is rewritten about log₂ of the archive's size
times in all, and there are as many segments at most), and from any segment whose removed
rows are more than ``COMPACT_SHARE`` of it, so that deletions do not pile up. Merging always
takes the newest segments, so a kill never names a row of a segment that a merge renumbered.

A segment file: ``MAGIC``, the length of a JSON header, the header (each array's dtype, shape
and offset), then the arrays, each 64-byte aligned.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import numpy as np

from .errors import IndexDamaged, IndexIncompatible
from .file_arrays import MAPPED_AFTER, FileArray, OpenFile
from .generation import STORY_SEGMENTS

MAGIC = b"BAHTHSEG"
Array = np.ndarray | FileArray  # a segment file's arrays are read where they are looked up
_ALIGN = 64
COMPACT_SHARE = 0.25
# What a merge (``write_merged``) holds at once: band keys, or rows of signatures.
_PIECE_KEYS, _PIECE_ROWS = 1 << 20, 1 << 16

# Arrays smaller are read whole when a segment is opened: a small run's segment, the
# directory of a small one (a read of one costs about what a look-up in it does).
_READ_WHOLE = 1 << 20

_ARRAYS = ("ids", "id_rows", "signatures", "stories", "keys", "key_rows", "starts", "kills")


class SortedKeys:
    """Band keys sorted, with their rows. A large array of them has a directory too: where
    the keys of each value of their top bits start, so that a search reads a few neighbouring
    keys rather than a binary search's twenty-odd spread over the whole array (cache misses
    in memory, page reads in a mapped file: at a million articles, half of the time of
    assigning)."""

    DIRECTORY_FROM = 1 << 18
    # Keys read at once for each key looked up. A directory has 8 to 16 keys a value on
    # average, but copies share keys: at a million articles, 15 % of the values have more
    # than 16 keys and 2 % more than 32.
    _WINDOW = 32

    def __init__(self, keys: Array, rows: Array, starts: Array | None = None):
        self.keys, self.rows = keys, rows
        self._starts = starts  # made on the first look-up: a run merged into another needs none

    def union(self, other: SortedKeys) -> SortedKeys:
        """These keys and ``other``'s, sorted: a merge, linear in both (``np.insert``)."""
        keys, rows, other_keys = self.keys[:], self.rows[:], other.keys[:]
        at = np.searchsorted(keys, other_keys, side="right")
        return SortedKeys(np.insert(keys, at, other_keys), np.insert(rows, at, other.rows[:]))

    @classmethod
    def directory(cls, keys: np.ndarray) -> np.ndarray:
        """Where the keys of each value of their top bits start (empty: too few keys)."""
        bits = _directory_bits(len(keys))
        if not bits:
            return np.zeros(0, dtype=np.int64)
        counts = np.bincount(keys >> np.uint32(32 - bits), minlength=1 << bits)
        return np.concatenate(([0], np.cumsum(counts)))

    def locate(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Where the keys equal to each of ``keys`` start and end (``searchsorted``, left and
        right): a key is here when its end is past its start."""
        if not len(self.keys):  # a segment of removals, or of articles too short to compare
            nowhere = np.zeros(keys.shape, dtype=np.int64)
            return nowhere, nowhere
        if self._starts is None:
            self._starts = self.directory(self.keys[:])
        if not len(self._starts):
            whole = self.keys[:]
            first = np.searchsorted(whole, keys)
            found = whole[np.minimum(first, len(whole) - 1)] == keys
            last = first.copy()
            last[found] = np.searchsorted(whole, keys[found], side="right")
            return first, last
        # The binary searches of every key at once, each within its top bits' range (a few
        # keys), the ends only of the keys found.
        flat = keys.ravel()
        top = (flat >> np.uint32(33 - (len(self._starts) - 1).bit_length())).astype(np.int64)
        bounds = self._starts[np.concatenate((top, top + 1))]
        low, high = bounds[: len(flat)], bounds[len(flat) :]
        first, last = low.copy(), low.copy()
        long = np.arange(len(flat))
        if isinstance(self.keys, FileArray) and self.keys.reading:
            # A read each step would be a system call each: the first ``_WINDOW`` keys of
            # each range are read at once instead, and counted; only longer ranges (many
            # copies of one key, or chance) are searched.
            ends = np.minimum(high, low + self._WINDOW)
            near = _spans(self.keys, low, ends)
            owner = np.repeat(np.arange(len(flat)), ends - low)
            first += np.bincount(owner[near < flat[owner]], minlength=len(flat))
            last += np.bincount(owner[near <= flat[owner]], minlength=len(flat))
            long = np.flatnonzero(ends < high)
        if len(long):
            first[long] = self._search(flat[long], low[long], high[long], "left")
            found = long[first[long] < high[long]]
            found = found[self.keys[first[found]] == flat[found]]
            last[long] = first[long]
            last[found] = self._search(flat[found], first[found] + 1, high[found], "right")
        return first.reshape(keys.shape), last.reshape(keys.shape)

    def _search(self, keys: np.ndarray, low: np.ndarray, high: np.ndarray, side: str) -> np.ndarray:
        """``searchsorted`` of each of ``keys`` between its ``low`` and ``high`` (changed):
        each step reads one key for each search not yet done."""
        while len(searching := np.flatnonzero(low < high)):
            middle = (low[searching] + high[searching]) >> 1
            probed = self.keys[middle]
            wanted = keys[searching]
            right = probed < wanted if side == "left" else probed <= wanted
            low[searching[right]] = middle[right] + 1
            high[searching[~right]] = middle[~right]
        return low

    def rows_of(self, located: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
        """The rows of the keys ``located`` by ``locate`` that are here, joined."""
        first, last = located
        there = last > first
        spans = zip(first[there].tolist(), last[there].tolist(), strict=True)
        rows = [self.rows[a:b] for a, b in spans]
        return np.concatenate(rows) if rows else np.zeros(0, dtype=np.int32)


def _spans(array: Array, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """``array[starts[0]:ends[0]]``, ``array[starts[1]:ends[1]]``, … joined: one read."""
    lengths = ends - starts
    positions = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
    return np.asarray(array[positions + np.arange(len(positions))])


def _directory_bits(keys: int) -> int:
    """The top bits a directory of ``keys`` keys is by (0: none, too few keys)."""
    if keys < SortedKeys.DIRECTORY_FROM:
        return 0
    return min(24, keys.bit_length() - 4)  # 8 to 16 keys a value on average


@dataclass
class Segment:
    """The stories of the articles one commit (or a merge) wrote: rows in the order they were
    assigned. ``number`` is the commit's; ``path`` None: not a segment file (the run's own
    articles, or the stories file of an older Bahth), always rewritten at the next commit."""

    number: int
    path: Path | None
    ids: Array  # id keys (``search.seen.id_key``), sorted
    id_rows: Array  # the row of each
    signatures: Array  # (rows, PERMUTATIONS) uint16; zeros: too short to compare
    stories: Array
    keys: SortedKeys  # the band keys of the comparable rows
    kills: np.ndarray  # (k, 2): (segment number, row) this commit removed from earlier ones
    alive: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        self.alive = np.ones(len(self.stories), dtype=bool)

    def find(self, key: int) -> int | None:
        """The row of the article with this id key, if it is alive here."""
        at = int(self.ids.searchsorted(np.uint64(key)))
        if at < len(self.ids) and int(self.ids[at]) == key:
            row = int(self.id_rows[at])
            return row if self.alive[row] else None
        return None

    def candidates(self, located: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
        """The rows alive that hold one of the keys ``located`` in ``self.keys``, sorted."""
        rows = np.unique(self.keys.rows_of(located))
        return rows[self.alive[rows]]

    def row_ids(self) -> np.ndarray:
        """The id key of each row."""
        ids = np.empty(len(self.ids), dtype=np.uint64)
        ids[self.id_rows[:]] = self.ids[:]
        return ids


def made(
    number: int,
    ids: np.ndarray,
    signatures: np.ndarray,
    stories: np.ndarray,
    keys: np.ndarray,
    key_rows: np.ndarray,
    kills: np.ndarray,
) -> Segment:
    """A segment in memory from its rows (``ids`` in row order; ``keys`` in any order)."""
    by_id = np.argsort(ids, kind="stable")
    if len(keys) > 1 and (keys[1:] < keys[:-1]).any():
        by_key = np.argsort(keys, kind="stable")  # sorted runs: timsort merges them
        keys, key_rows = keys[by_key], key_rows[by_key]
    return Segment(
        number,
        None,
        ids[by_id],
        by_id.astype(np.int32),
        signatures,
        stories,
        SortedKeys(keys, key_rows.astype(np.int32, copy=False)),
        kills.reshape(-1, 2).astype(np.int64),
    )


def merge_from(held: Sequence[Segment], size: int) -> int:
    """Where the segments merged into one of ``size`` rows start: the newest while no larger
    than what is merged so far, those that are not files, and from any segment whose removed
    rows are more than ``COMPACT_SHARE`` of it."""
    start = len(held)
    while start and (held[start - 1].path is None or len(held[start - 1].stories) <= size):
        start -= 1
        size += int(held[start].alive.sum())
    for n, segment in enumerate(held[:start]):
        if segment.path is None or (~segment.alive).sum() > COMPACT_SHARE * len(segment.alive):
            return n
    return start


def _kept_kills(part: Segment, outside: set[int]) -> np.ndarray:
    return part.kills[np.isin(part.kills[:, 0], list(outside))]


def merged_size(parts: Sequence[Segment], outside: set[int]) -> tuple[int, int]:
    """The rows and kills of the segment ``write_merged`` writes of ``parts``."""
    rows = sum(int(part.alive.sum()) for part in parts)
    return rows, sum(len(_kept_kills(part, outside)) for part in parts)


def _pieces(size: int, step: int) -> Iterator[slice]:
    return (slice(at, min(size, at + step)) for at in range(0, size, step))


def _alive_keys(part: Segment) -> int:
    """How many of the part's band keys are of rows alive."""
    rows = part.keys.rows
    if part.alive.all():
        return len(rows)
    return sum(int(part.alive[rows[piece]].sum()) for piece in _pieces(len(rows), _PIECE_KEYS))


def _write_header(
    out: IO[bytes], arrays: Mapping[str, tuple[np.dtype[Any], tuple[int, ...]]], version: int
) -> tuple[dict[str, int], int]:
    """Write the magic and the header of a segment file of ``arrays`` (dtype and shape of
    each); where each array starts in the file, and where the file ends."""
    layout: dict[str, list[Any]] = {}
    offsets: dict[str, int] = {}
    offset = 0
    for name, (dtype, shape) in arrays.items():
        layout[name] = [dtype.str, list(shape), offset]
        offsets[name] = offset
        offset += -(-int(np.prod(shape, dtype=np.int64)) * dtype.itemsize // _ALIGN) * _ALIGN
    header = json.dumps({"version": version, "arrays": layout}).encode()
    start = -(-(len(MAGIC) + 8 + len(header)) // _ALIGN) * _ALIGN
    out.write(MAGIC + len(header).to_bytes(8, "little") + header)
    return {name: start + at for name, at in offsets.items()}, start + offset


def _put(out: IO[bytes], at: int, array: np.ndarray) -> int:
    """Write ``array`` at ``at`` in ``out``; where it ends."""
    data = np.ascontiguousarray(array).reshape(-1).view(np.uint8)
    out.seek(at)
    out.write(data.data)
    return at + len(data)


def write_merged(parts: Sequence[Segment], outside: set[int], out: IO[bytes], version: int) -> None:
    """Write one segment file of the rows alive in ``parts`` (oldest first) to ``out`` (a
    seekable file); their kills of segments in ``outside`` (those not merged) are kept, the
    others are done.

    Written in pieces, never joined in memory: the signatures part by part, the band keys one
    range of key values at a time, each range's keys of every part merged by a sort of their
    sorted runs. What the merge holds is a few bytes an article (ids, stories, row numbers)
    and a piece, where joining the parts took every array's size twice (at a million
    articles, about 600 MB more in the build's last step)."""
    renumbered: list[np.ndarray | int] = []  # each part's new row of each row, or an offset
    ids: list[np.ndarray] = []
    stories: list[np.ndarray] = []
    offset = 0
    width = max((part.signatures.shape[1] for part in parts), default=0)
    for part in parts:
        if part.alive.all():
            renumbered.append(offset)
            ids.append(part.row_ids())
            stories.append(part.stories[:].astype(np.int64))
        else:
            rows = np.flatnonzero(part.alive)
            renumbering = np.full(len(part.alive), -1, dtype=np.int64)
            renumbering[rows] = np.arange(offset, offset + len(rows))
            renumbered.append(renumbering)
            ids.append(part.row_ids()[rows])
            stories.append(part.stories[rows].astype(np.int64))
        offset += int(part.alive.sum())
    row_ids = np.concatenate(ids) if ids else np.zeros(0, dtype=np.uint64)
    by_id = np.argsort(row_ids, kind="stable")
    keys = sum((_alive_keys(part) for part in parts), 0)  # alive: those written
    bits = _directory_bits(keys)
    arrays: dict[str, tuple[np.dtype[Any], tuple[int, ...]]] = {
        "ids": (np.dtype(np.uint64), (offset,)),
        "id_rows": (np.dtype(np.int32), (offset,)),
        "signatures": (np.dtype(np.uint16), (offset, width)),
        "stories": (np.dtype(np.int64), (offset,)),
        "keys": (np.dtype(np.uint32), (keys,)),
        "key_rows": (np.dtype(np.int32), (keys,)),
        "starts": (np.dtype(np.int64), ((1 << bits) + 1 if bits else 0,)),
        "kills": (np.dtype(np.int64), (sum(len(_kept_kills(p, outside)) for p in parts), 2)),
    }
    at, end = _write_header(out, arrays, version)
    _put(out, at["ids"], row_ids[by_id])
    _put(out, at["id_rows"], by_id.astype(np.int32))
    del row_ids, by_id
    _put(out, at["stories"], np.concatenate(stories) if stories else np.zeros(0, np.int64))
    written = at["signatures"]
    for part in parts:
        alive = part.alive
        for piece in _pieces(len(alive), _PIECE_ROWS):
            values = part.signatures[piece]
            written = _put(out, written, values if alive[piece].all() else values[alive[piece]])
    counts = np.zeros(1 << bits, dtype=np.int64) if bits else None
    keys_at, rows_at = at["keys"], at["key_rows"]
    ranges = max(1, 1 << (keys // _PIECE_KEYS).bit_length())
    bounds: list[int | None] = [(n << 32) // ranges for n in range(ranges)] + [None]
    for low, high in itertools.pairwise(bounds):
        found_keys: list[np.ndarray] = [np.zeros(0, dtype=np.uint32)]
        found_rows: list[np.ndarray] = [np.zeros(0, dtype=np.int32)]
        for part, new in zip(parts, renumbered, strict=True):
            sorted_keys, sorted_rows = part.keys.keys, part.keys.rows
            a = int(sorted_keys.searchsorted(np.uint32(low or 0)))
            b = len(sorted_keys) if high is None else int(sorted_keys.searchsorted(high))
            piece_keys, piece_rows = sorted_keys[a:b], sorted_rows[a:b]
            if isinstance(new, int):
                found_rows.append(piece_rows + new if new else np.asarray(piece_rows))
            else:
                live = part.alive[piece_rows]
                piece_keys = piece_keys[live]
                found_rows.append(new[piece_rows[live]].astype(np.int32))
            found_keys.append(piece_keys)
        joined = np.concatenate(found_keys)
        order = np.argsort(joined, kind="stable")  # sorted runs: timsort merges them
        joined = joined[order]
        keys_at = _put(out, keys_at, joined)
        rows_at = _put(out, rows_at, np.concatenate(found_rows)[order].astype(np.int32))
        if counts is not None:
            counts += np.bincount(joined >> np.uint32(32 - bits), minlength=1 << bits)
    if counts is not None:
        _put(out, at["starts"], np.concatenate(([0], np.cumsum(counts))))
    kills = [_kept_kills(part, outside) for part in parts]
    _put(out, at["kills"], np.concatenate(kills) if kills else np.zeros((0, 2), np.int64))
    out.truncate(end)


def read(number: int, path: Path, version: int) -> Segment:
    """The segment file of commit ``number``."""
    with open(path, "rb") as file:
        return opened(number, path, file, version)


def opened(
    number: int, path: Path | None, file: IO[bytes], version: int, map_after: float | None = None
) -> Segment:
    """The segment file open as ``file`` (at ``path``; None: a file with no name), which may
    be closed afterwards. Arrays under ``_READ_WHOLE`` bytes, and the kills, are read into
    memory; the others are read where they are looked up, and through the file's mapping
    after ``map_after`` reads an item (None: ``MAPPED_AFTER``; ``search.file_arrays``)."""
    map_after = MAPPED_AFTER if map_after is None else map_after
    try:
        try:
            source = OpenFile(file)
        except ValueError:  # an empty file cannot be mapped
            raise ValueError("not a stories segment") from None
        view = source.mapping
        if view[: len(MAGIC)] != MAGIC:
            raise ValueError("not a stories segment")
        size = int.from_bytes(view[len(MAGIC) : len(MAGIC) + 8], "little")
        header: dict[str, Any] = json.loads(view[len(MAGIC) + 8 : len(MAGIC) + 8 + size])
        if header.get("version") != version:
            raise IndexIncompatible(f"{path} holds stories of another version of Bahth")
        start = -(-(len(MAGIC) + 8 + size) // _ALIGN) * _ALIGN
        arrays: dict[str, Array] = {}
        for name in _ARRAYS:
            dtype, shape, offset = header["arrays"][name]
            array = source.array(start + offset, np.dtype(dtype), tuple(shape), map_after)
            whole = name == "kills" or array.nbytes < _READ_WHOLE
            arrays[name] = array[:] if whole else array
    except (ValueError, KeyError, TypeError) as error:
        raise IndexDamaged(f"The stories file {path} is damaged ({error}).") from error
    return Segment(
        number,
        path,
        arrays["ids"],
        arrays["id_rows"],
        arrays["signatures"],
        arrays["stories"],
        SortedKeys(arrays["keys"], arrays["key_rows"], arrays["starts"]),
        np.asarray(arrays["kills"]),
    )


def manifest(next_story: int, segments: Sequence[int], version: int) -> str:
    """The text of a manifest: the segments in force (oldest first) and the next story."""
    return json.dumps({"version": version, "next_story": next_story, "segments": list(segments)})


def read_manifest(path: Path, version: int) -> tuple[int, list[Segment]]:
    """The next story number and the segments a manifest names, their kills applied."""
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
        if found.get("version") != version:
            raise IndexIncompatible(f"{path} holds stories of another version of Bahth")
        next_story, numbers = int(found["next_story"]), [int(n) for n in found["segments"]]
    except (ValueError, KeyError, TypeError) as error:
        raise IndexDamaged(f"The stories file {path} is damaged ({error}).") from error
    try:
        held = [read(n, path.with_name(STORY_SEGMENTS.name(n)), version) for n in numbers]
    except FileNotFoundError as error:  # not a commit landing: a writer holds the lock
        raise IndexDamaged(f"A stories file {path} names is missing ({error}).") from error
    apply_kills(held)
    return next_story, held


def apply_kills(held: Sequence[Segment]) -> None:
    """Mark the rows each segment's kills name as removed in the segments they name."""
    by_number = {segment.number: segment for segment in held}
    for segment in held:
        for number, row in segment.kills.tolist():
            if number in by_number:  # else merged away since, its row with it
                by_number[number].alive[row] = False

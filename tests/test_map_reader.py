"""``MapReader``, the file interface whoosh reads segment files through, behaves as ``BytesIO``.

Opening an index wraps every segment file in one (``search/engine/whoosh/writing.py``) instead of
copying it into a ``BytesIO``; whoosh reads headers, pickles and arrays through it.
"""

from __future__ import annotations

import io
import pickle
from collections.abc import Callable
from pathlib import Path

import pytest

from search.engine.whoosh.writing import MapReader

DATA = b"first line\nsecond\n\n" + bytes(range(256)) * 3 + b"\nno newline at the end"

STEPS: list[Callable[[io.IOBase], object]] = [
    lambda f: f.read(5),
    lambda f: f.tell(),
    lambda f: f.readline(),
    lambda f: f.readline(3),
    lambda f: f.readline(),
    lambda f: f.readline(),
    lambda f: f.seek(-10, io.SEEK_END),
    lambda f: f.read(),
    lambda f: f.read(4),
    lambda f: f.seek(3),
    lambda f: f.seek(4, io.SEEK_CUR),
    lambda f: f.read(0),
    lambda f: f.read(None),
    lambda f: f.seek(len(DATA) + 5),
    lambda f: f.read(2),
    lambda f: f.readline(),
    lambda f: f.tell(),
    lambda f: f.seek(0),
    lambda f: list(f),
]


def test_it_reads_seeks_and_tells_as_bytesio() -> None:
    ours, theirs = MapReader(DATA), io.BytesIO(DATA)
    assert [step(ours) for step in STEPS] == [step(theirs) for step in STEPS]


def test_it_reads_into_a_buffer_and_loads_pickles() -> None:
    value = {"schema": ["title", "body"], "blob": bytes(300)}
    reader = MapReader(b"xx" + pickle.dumps(value, protocol=2) + pickle.dumps(7))
    target = bytearray(2)
    assert reader.readinto(target) == 2 and target == b"xx"
    assert pickle.load(reader) == value
    assert pickle.load(reader) == 7
    assert reader.readinto(bytearray(4)) == 0


def test_it_reads_a_memory_map_in_place(tmp_path: Path) -> None:
    import mmap

    path = tmp_path / "segment"
    path.write_bytes(DATA)
    with path.open("rb") as file, mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
        reader = MapReader(memoryview(mapped)[11:])
        assert reader.readline() == b"second\n"
        reader.close()
        assert reader.closed


def test_a_negative_position_is_refused() -> None:
    with pytest.raises(ValueError):
        MapReader(DATA).seek(-1)

"""FileArray: an array in a file, indexed as numpy indexes the array it holds."""

from __future__ import annotations

import tempfile

import numpy as np
import pytest

from search.file_arrays import FileArray, OpenFile


def _written(values: np.ndarray, offset: int, map_after: float) -> FileArray:
    """``values`` written at ``offset`` of a temporary file, opened, the file closed (gone)."""
    with tempfile.TemporaryFile() as file:
        file.write(b"\xff" * offset + values.tobytes() + b"\xee" * 100)
        file.flush()
        return OpenFile(file).array(offset, values.dtype, values.shape, map_after)


@pytest.mark.parametrize("map_after", [1e9, 0.01, 0.0])  # read, read then mapped, mapped
@pytest.mark.parametrize("shape", [(5000,), (3000, 7)])
def test_indexing_gives_what_numpy_gives(map_after: float, shape: tuple[int, ...]) -> None:
    rng = np.random.default_rng(3)
    values = rng.integers(0, 2**40, shape).astype(np.uint64 if len(shape) == 1 else np.uint16)
    array = _written(values, 64, map_after)
    assert len(array) == shape[0] and array.shape == shape and array.nbytes == values.nbytes
    for _ in range(30):
        # Scattered, clustered (one call reads many), repeated and unordered positions.
        spread = rng.integers(0, shape[0], int(rng.integers(0, 400)))
        near = int(rng.integers(0, shape[0] - 50)) + rng.integers(0, 50, 20)
        positions = np.concatenate((spread, near, near[:3]))
        rng.shuffle(positions)
        assert np.array_equal(array[positions], values[positions])
        assert np.array_equal(array[positions.reshape(-1, 1)], values[positions.reshape(-1, 1)])
        mask = rng.random(shape[0]) < 0.01
        assert np.array_equal(array[mask], values[mask])
        low = int(rng.integers(0, shape[0]))
        high = low + int(rng.integers(0, 300))
        assert np.array_equal(array[low:high], values[low:high])
        at = int(rng.integers(-shape[0], shape[0]))
        assert np.array_equal(array[at], values[at])
    assert np.array_equal(array[:], values) and np.array_equal(array[np.array([], int)], values[:0])


@pytest.mark.parametrize("map_after", [1e9, 0.0])
def test_searchsorted_gives_what_numpy_gives(map_after: float) -> None:
    rng = np.random.default_rng(4)
    values = np.sort(rng.integers(0, 1000, 4000)).astype(np.uint32)
    array = _written(values, 128, map_after)
    for value in [0, 1, 17, 500, 999, 1000, 2**31, *rng.integers(0, 1000, 50).tolist()]:
        for side in ("left", "right"):
            assert array.searchsorted(np.uint32(value), side) == values.searchsorted(
                np.uint32(value), side
            )


def test_out_of_bounds_and_steps_are_refused() -> None:
    array = _written(np.arange(10, dtype=np.int32), 0, 1e9)
    for index in (10, -11, np.array([3, 10]), np.array([-1])):
        with pytest.raises(IndexError):
            array[index]
    with pytest.raises(IndexError):
        array[::2]

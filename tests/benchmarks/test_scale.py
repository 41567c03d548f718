"""The scale benchmark's generator (deterministic, distinct, realistic) and its table."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from benchmarks.core.corpora import DEFAULT_DATA, missing
from benchmarks.scale.generate import Original, allocate, generate, load_groups, month_of, write
from benchmarks.scale.run import table

needs_corpora = pytest.mark.skipif(
    bool(missing(DEFAULT_DATA, "all")), reason="the shared corpora (../shared/data) are not here"
)
TINY = 600


Groups = dict[tuple[int, int, str], list[Original]]


def _write(groups: Groups, folder: Path, seed: int) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    main, extra = folder / f"a{seed}.jsonl", folder / f"b{seed}.jsonl"
    records = generate(TINY + 5, seed=seed, groups=groups)
    assert write(records, [(main, TINY), (extra, 5)]) == [TINY, 5]
    return main, extra


@pytest.fixture(scope="module")
def groups() -> Groups:
    if missing(DEFAULT_DATA, "all"):
        pytest.skip("the shared corpora (../shared/data) are not here")
    return load_groups(DEFAULT_DATA)


@pytest.fixture(scope="module")
def tiny(groups: Groups, tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, object]]:
    main, _ = _write(groups, tmp_path_factory.mktemp("scale"), 24)
    return [json.loads(line) for line in main.read_text(encoding="utf-8").splitlines()]


@pytest.mark.slow  # seconds: generates articles twice from the shared corpora
@needs_corpora
def test_the_same_seed_writes_the_same_bytes_and_another_seed_does_not(
    groups: Groups, tmp_path: Path
) -> None:
    first, second = _write(groups, tmp_path / "1", 24), _write(groups, tmp_path / "2", 24)
    other = _write(groups, tmp_path / "3", 7)
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes()
    assert first[0].read_bytes() != other[0].read_bytes()


@needs_corpora
def test_articles_are_distinct_with_new_ids_and_a_few_near_copies(
    tiny: list[dict[str, object]],
) -> None:
    ids = [r["id"] for r in tiny]
    assert len(set(ids)) == TINY
    assert len({(r["title"], r["body"]) for r in tiny}) == TINY
    copies = [r for r in tiny if r["near_copy_of"]]
    assert 0 < len(copies) < 0.1 * TINY
    earlier = {r["id"]: r for r in tiny}
    for copy in copies:
        original = earlier[str(copy["near_copy_of"])]
        assert ids.index(original["id"]) < ids.index(copy["id"])
        assert copy["source"] == original["source"]
        assert month_of(copy["date"]) == month_of(original["date"])


@needs_corpora
def test_records_are_readable_dump_records_in_month_order(tiny: list[dict[str, object]]) -> None:
    months = [month_of(r["date"]) for r in tiny]
    assert None not in months
    assert months == sorted(months)  # type: ignore[type-var]
    for record in tiny:
        assert record["title"] and record["body"] and record["source"]
        assert str(record["url"]).startswith("https://scale.invalid/")
        assert dt.datetime.fromisoformat(str(record["date"])).tzinfo is not None


def test_allocation_is_proportional_and_exact() -> None:
    assert allocate([1, 1, 2], 8) == [2, 2, 4]
    shares = allocate([3, 5, 7, 11], 1001)
    assert sum(shares) == 1001
    assert shares == sorted(shares)


def test_the_table_gives_growth_exponents() -> None:
    results = [
        {"size": 1000, "build": None, "reindex": {"wall": 2.0, "cpu": 1.0, "tree_mb": 100.0}},
        {"size": 4000, "build": None, "reindex": {"wall": 8.0, "cpu": 4.0, "tree_mb": 100.0}},
    ]
    rows = {row[0]: row for row in table(results).rows}
    assert rows["unchanged re-index s"][1:] == ["2.00", "8.00", "1.00"]
    assert rows["unchanged re-index peak RSS tree MB"][-1] == "0.00"
    projected = {row[0]: row for row in table(results, [16000]).rows}
    assert projected["unchanged re-index s"][-1] == "32"
    assert projected["unchanged re-index peak RSS tree MB"][-1] == "100"

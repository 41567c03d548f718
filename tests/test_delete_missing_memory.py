"""``--delete-missing`` compares ids a page at a time, and a run remembers the ids it read in
compact arrays (``search.seen``): the same answers as a plain dict and a plain list of ids."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from search import Indexer, Searcher
from search.engine import engine_of, location_of
from search.engine.tantivy import reading as tantivy_reading
from search.engine.tantivy.schema import id_key as tantivy_id_key
from search.seen import Seen, id_key
from tests.conftest import WriteJsonl

IDS = ["a1", "مقال-٧", "x" * 300, "\ud800lone", "", " space "]


def test_the_run_s_key_is_the_tantivy_key_field() -> None:
    # tantivy compares its ``key`` field with the run's keys: they must be one digest.
    assert [id_key(i) for i in IDS] == [tantivy_id_key(i) for i in IDS]


@pytest.mark.parametrize("recent", [1, 3, 64, 1 << 16])
def test_seen_answers_as_a_dict_across_merges(recent: int) -> None:
    rng = random.Random(recent)
    seen, expected = Seen(recent=recent), dict[int, int]()
    keys = [rng.getrandbits(64) for _ in range(400)] + [0, (1 << 64) - 1]
    for step in range(2000):
        if step % 50 == 0:  # as a run does a batch at a time
            batch = rng.sample(keys, 20)
            seen.prefetch(batch)
            for key in batch:
                assert seen.get(key) == expected.get(key)
        key = rng.choice(keys)
        assert seen.get(key) == expected.get(key)
        version = rng.getrandbits(64)
        seen.set(key, version)
        expected[key] = version
        assert seen.get(key) == version
    assert [seen.get(k) for k in keys] == [expected.get(k) for k in keys]
    others = [rng.getrandbits(64) for _ in range(100)]
    assert seen.known(keys + others) == [k in expected for k in keys + others]
    assert seen.known([]) == []


def test_an_empty_seen_knows_nothing() -> None:
    seen = Seen()
    seen.prefetch([1, 2])
    assert (seen.get(1), seen.known([1, 2]), len(seen)) == (None, [False, False], 0)


def article(n: int, text: str = "نص") -> dict[str, object]:
    return {"id": f"id-{n}", "title": f"عنوان {n}", "body": f"{text} {n}", "date": "2025-01-02"}


def test_delete_missing_over_several_pages_of_ids(
    tmp_path: Path, write_jsonl: WriteJsonl, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On tantivy with pages of 7 ids: every id not in the snapshot is deleted, whatever page
    it is on; the others stay; a deleted article is in no page."""
    monkeypatch.setattr(tantivy_reading, "_ID_PAGE", 7)
    index = tmp_path / "index"
    every = [article(n) for n in range(60)]
    Indexer(index, engine="tantivy").add_files([write_jsonl(every, "all.jsonl")])
    assert Indexer(index).delete(["id-0"]) == 1
    kept = [a for a in every if int(str(a["id"])[3:]) % 3] + [article(7, "آخر")]
    report = Indexer(index).check_files([write_jsonl(kept, "dry.jsonl")], delete_missing=True)
    assert report.deleted == 19  # id-0 is gone already
    report = Indexer(index).add_files([write_jsonl(kept, "kept.jsonl")], delete_missing=True)
    assert (report.deleted, report.updated, report.duplicates) == (19, 1, 1)
    with Searcher(index) as searcher:
        assert searcher.stats().articles == 40
        assert [n for n in range(60) if searcher.get(f"id-{n}")] == [n for n in range(60) if n % 3]
    generation = index / "gen-000001"
    reader = engine_of(generation).open_reader(location_of(generation))
    try:
        assert sorted(reader.ids()) == sorted(f"id-{n}" for n in range(60) if n % 3)
    finally:
        reader.close()


@pytest.mark.parametrize("engine_name", ["whoosh", "tantivy"])
def test_delete_missing_with_many_ids_read(
    tmp_path: Path, write_jsonl: WriteJsonl, engine_name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """More ids than the run keeps in its dict: they go into arrays, and duplicates and
    missing ids are still told apart."""
    monkeypatch.setattr("search.seen.RECENT", 16)
    index = tmp_path / "index"
    every = [article(n) for n in range(150)]
    Indexer(index, engine=engine_name).add_files([write_jsonl(every, "all.jsonl")])
    snapshot = every[10:] + every[20:30] + [article(40, "تغير")]
    report = Indexer(index).add_files([write_jsonl(snapshot, "s.jsonl")], delete_missing=True)
    assert (report.deleted, report.duplicates, report.updated) == (10, 11, 1)
    with Searcher(index) as searcher:
        assert searcher.stats().articles == 140
        assert searcher.get("id-9") is None and searcher.get("id-10") is not None


def test_xapian_lists_ids_a_page_at_a_time(
    tmp_path: Path, write_jsonl: WriteJsonl, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("xapian")
    from search.engine.xapian import reading as xapian_reading

    monkeypatch.setattr(xapian_reading, "_ID_PAGE", 4)
    index = tmp_path / "index"
    every = [article(n) for n in range(30)]  # 30: pages of 4, the last one short
    Indexer(index, engine="xapian").add_files([write_jsonl(every, "all.jsonl")])
    report = Indexer(index).add_files([write_jsonl(every[:-9], "s.jsonl")], delete_missing=True)
    assert report.deleted == 9
    generation = index / "gen-000001"
    reader = engine_of(generation).open_reader(location_of(generation))
    try:
        assert sorted(reader.ids()) == sorted(f"id-{n}" for n in range(21))
    finally:
        reader.close()

"""search.Indexer: counting, updating by id, rejects, deletes, rebuilds, readers and locks.

Every test builds its own index in tmp_path from JSONL it writes, through the public API.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest

from search import (
    Article,
    Indexer,
    IndexIncompatible,
    IndexLocked,
    IndexNotFound,
    InputError,
    Note,
    Reject,
    Searcher,
    layout,
)
from search.engine import engine_of
from tests.conftest import MakeIndex, WriteJsonl, committed

pytestmark = pytest.mark.usefixtures("engine")

ARTICLES = [
    {
        "id": "n1",
        "title": "بوتين يستقبل وفداً صينياً في الكرملين",
        "body": "استقبل الرئيس الروسي فلاديمير بوتين وفداً صينياً رفيع المستوى في الكرملين "
        "لبحث التعاون في مجال الطاقة.",
        "date": "2025-03-01",
        "source": "alwatan",
        "category": "politics",
    },
    {
        "id": "n2",
        "title": "الحكومة تقر مشروع الموازنة العامة",
        "body": "أقرت الحكومة في جلستها الأسبوعية مشروع الموازنة العامة للعام المقبل "
        "وأحالته إلى البرلمان.",
        "date": "2025-03-02",
        "source": "bbc",
        "category": "economy",
    },
    {
        "id": "n3",
        "title": "المنتخب يتأهل إلى نهائي البطولة",
        "body": "تأهل المنتخب الوطني إلى المباراة النهائية بعد فوزه بهدفين نظيفين في نصف النهائي.",
        "date": "2025-03-03",
        "source": "hespress",
        "category": "sport",
    },
]

BAD_LINES = [
    '{"id": "x1", "title": "خبر بلا نهاية',  # invalid JSON
    '["بوتين", "الكرملين"]',  # an array, not an object
    '{"id": "x3", "title": "", "body": "   "}',  # empty title and body
    '{"id": "x4", "title": 2025, "body": "نص الخبر"}',  # wrong type
]


def total_hits(index: Path, query: str) -> int:
    with Searcher(index) as searcher:
        return searcher.search(query, match="all").total


# --- counting ----------------------------------------------------------------------------------


def test_first_run_adds_every_article(make_index: MakeIndex, write_jsonl: WriteJsonl) -> None:
    dump = write_jsonl(ARTICLES)
    report = Indexer(dump.parent / "index").add_files([dump])
    assert (report.added, report.updated, report.unchanged) == (3, 0, 0)
    assert (report.rejected, report.duplicates, report.deleted) == (0, 0, 0)
    assert report.read == 3
    assert report.generation == "gen-000001"
    with Searcher(dump.parent / "index") as searcher:
        assert searcher.stats().articles == 3


def test_summary_line_has_the_counts_and_a_rate(write_jsonl: WriteJsonl) -> None:
    dump = write_jsonl([*ARTICLES, ARTICLES[0], *BAD_LINES])
    report = Indexer(dump.parent / "index").add_files([dump])
    summary = report.summary()
    for part in ("8 read", "3 added", "0 updated", "0 unchanged", "4 rejected", "1 duplicate"):
        assert part in summary
    assert summary.endswith("articles/s)")


def test_second_run_of_the_same_dump_adds_nothing(write_jsonl: WriteJsonl) -> None:
    dump = write_jsonl(ARTICLES)
    index = dump.parent / "index"
    Indexer(index).add_files([dump])
    again = Indexer(index).add_files([dump])
    assert (again.added, again.updated, again.unchanged, again.rejected) == (0, 0, 3, 0)
    assert again.generation == "gen-000001"  # updated in place, no new generation
    with Searcher(index) as searcher:
        assert searcher.stats().articles == 3


def test_second_run_of_a_dump_with_duplicate_ids_changes_nothing(
    write_jsonl: WriteJsonl,
) -> None:
    # n1 appears twice; the index holds the last version. Reading the same dump again must
    # not count the first version as an update of what the index already holds.
    changed = {**ARTICLES[0], "title": "بوتين يستقبل وفداً صينياً وهندياً"}
    dump = write_jsonl([*ARTICLES, changed])
    index = dump.parent / "index"
    first = Indexer(index).add_files([dump])
    assert (first.added, first.duplicates) == (3, 1)
    again = Indexer(index).add_files([dump])
    assert (again.added, again.updated) == (0, 0), again
    assert again.read == 4


def test_changed_article_is_updated(write_jsonl: WriteJsonl) -> None:
    index = write_jsonl(ARTICLES, "v1.jsonl").parent / "index"
    Indexer(index).add_files([index.parent / "v1.jsonl"])
    edited = {
        **ARTICLES[1],
        "title": "البرلمان يرفض مشروع الموازنة العامة",
        "body": "رفض البرلمان مشروع الموازنة العامة الذي قدمته الحكومة وطالب بتعديله.",
    }
    dump = write_jsonl([ARTICLES[0], edited, ARTICLES[2]], "v2.jsonl")
    report = Indexer(index).add_files([dump])
    assert (report.added, report.updated, report.unchanged) == (0, 1, 2)
    with Searcher(index) as searcher:
        assert searcher.get("n2").title == edited["title"]
        assert searcher.stats().articles == 3
        assert [h.id for h in searcher.search("البرلمان يرفض", match="all")] == ["n2"]
        assert searcher.search("جلستها الأسبوعية", match="all").total == 0  # old text gone


def test_duplicate_ids_in_one_dump_last_one_wins(write_jsonl: WriteJsonl) -> None:
    first = {**ARTICLES[0], "body": "وصل إلى موسكو وفد من اليابان في زيارة رسمية."}
    last = {**ARTICLES[0], "body": "وصل إلى موسكو وفد من البرازيل في زيارة رسمية."}
    dump = write_jsonl([first, ARTICLES[1], last])
    index = dump.parent / "index"
    report = Indexer(index).add_files([dump])
    assert (report.added, report.duplicates, report.read) == (2, 1, 3)
    with Searcher(index) as searcher:
        assert searcher.get("n1").body == last["body"]
        assert searcher.stats().articles == 2
        assert searcher.search("البرازيل", match="all").total == 1
        assert searcher.search("اليابان", match="all").total == 0


def test_three_versions_of_one_id_last_one_wins(write_jsonl: WriteJsonl) -> None:
    # A run is one commit: every earlier version is still uncommitted when the next arrives.
    versions = [
        {**ARTICLES[0], "body": f"وصل إلى موسكو وفد من {country} في زيارة رسمية."}
        for country in ("اليابان", "البرازيل", "الأرجنتين")
    ]
    dump = write_jsonl([versions[0], ARTICLES[1], versions[1], ARTICLES[2], versions[2]])
    index = dump.parent / "index"
    report = Indexer(index).add_files([dump])
    assert (report.added, report.duplicates, report.read) == (3, 2, 5)
    with Searcher(index) as searcher:
        assert searcher.stats().articles == 3
        assert searcher.get("n1").body == versions[2]["body"]
        assert [searcher.search(c, match="all").total for c in ("اليابان", "البرازيل")] == [0, 0]
        assert [h.id for h in searcher.search("الأرجنتين", match="all")] == ["n1"]


def version(record: dict[str, str], country: str) -> dict[str, str]:
    return {**record, "body": f"وصل إلى موسكو وفد من {country} في زيارة رسمية."}


def test_duplicates_are_counted_by_the_last_version_against_the_index(
    make_index: MakeIndex, write_jsonl: WriteJsonl
) -> None:
    # Each id counts once, as added, updated or unchanged, by comparing its last version with
    # what the index held before the run; its other records count as duplicates.
    stored = [{**ARTICLES[0], "id": f"k{n}"} for n in range(5)]
    index = make_index(stored)
    v0, v1, v2 = (
        stored,
        [version(r, "اليابان") for r in stored],
        [version(r, "كندا") for r in stored],
    )
    new0, new1 = version(ARTICLES[1], "البرازيل"), version(ARTICLES[1], "الأرجنتين")
    dump = write_jsonl(
        [
            *(v0[0], v1[0], v0[0]),  # changed and changed back: unchanged
            *(v1[1], v0[1]),  # the last version is the stored one: unchanged
            *(v0[2], v1[2]),  # the last version differs: updated
            *(v1[3], v2[3], v1[3], v2[3]),  # changed twice over: updated
            *(v0[4], v0[4], v0[4]),  # repeated as stored: unchanged
            *(new0, new1, new0),  # new: added
        ],
        "dup.jsonl",
    )
    report = Indexer(index).add_files([dump])
    assert (report.added, report.updated, report.unchanged) == (1, 2, 3)
    assert (report.duplicates, report.read) == (11, 17)
    with Searcher(index) as searcher:
        assert searcher.stats().articles == 6
        bodies = {i: searcher.get(i).body for i in ("k0", "k1", "k2", "k3", "k4", "n2")}
        assert searcher.search("الأرجنتين", match="all").total == 0  # superseded, not searchable
    assert bodies == {
        "k0": v0[0]["body"],
        "k1": v0[1]["body"],
        "k2": v1[2]["body"],
        "k3": v2[3]["body"],
        "k4": v0[4]["body"],
        "n2": new0["body"],
    }


@pytest.mark.slow
@pytest.mark.parametrize("procs", [1, 2])
def test_a_run_with_duplicate_ids_is_one_commit_with_its_metadata(
    write_jsonl: WriteJsonl, procs: int
) -> None:
    # Enough records for whoosh to hand batches to both processes (100 a batch): the versions
    # of an id end up in different segments.
    records = [
        {"id": f"a{n}", "title": f"خبر رقم {n}", "body": "ارتفعت أسعار النفط"} for n in range(300)
    ]
    later = [{**r, "body": "ارتفعت أسعار الذهب"} for r in records[::3]]
    first = write_jsonl([*records, *later, *records[::5]], "first.jsonl")
    index = first.parent / "index"
    final = last_versions([*records, *later, *records[::5]])
    gold = sum("الذهب" in r["body"] for r in final.values())

    report = Indexer(index, workers=procs).add_files([first])
    generation = index / report.generation
    assert (report.added, report.duplicates) == (300, 160)
    after_first = one_commit(generation, since=0)  # creating the index is commit 0
    assert layout.read_meta(generation)["dumps"] == [str(first)]
    with Searcher(index) as searcher:
        assert searcher.stats().articles == 300
        assert searcher.search("الذهب").total == gold
        assert searcher.search("النفط").total == 300 - gold

    # An update with duplicate ids: again one commit, which carries the run's metadata.
    second = write_jsonl([*later, *records[::2], *later], "second.jsonl")
    report = Indexer(index, workers=procs).add_files([second])
    after_second = one_commit(generation, since=after_first)
    assert layout.read_meta(generation)["dumps"] == [str(first), str(second)]
    final = {**final, **last_versions([*later, *records[::2], *later])}
    with Searcher(index) as searcher:
        assert searcher.stats().articles == 300
        assert all(searcher.get(i).body == r["body"] for i, r in final.items())

    # Nothing to change: no commit; the run is recorded in the last commit's metadata.
    unchanged = write_jsonl(list(final.values()), "unchanged.jsonl")
    report = Indexer(index).add_files([unchanged])
    assert (report.unchanged, report.duplicates) == (300, 0)
    assert committed(generation) == after_second
    meta = layout.read_meta(generation)
    assert meta["dumps"] == [str(first), str(second), str(unchanged)]


def one_commit(generation: Path, since: int) -> int:
    """Check that a run made one commit after commit ``since``, carrying the run's metadata;
    return the commit's number. whoosh numbers its commits one by one; tantivy's numbers
    (opstamps) count operations too, so there only the order can be checked."""
    number = committed(generation)
    meta_number = layout.read_meta(generation)["commit"]
    assert since < meta_number <= number
    if engine_of(generation).NAME == "whoosh":
        assert number == meta_number == since + 1
    return number


def last_versions(records: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    return {r["id"]: r for r in records}


def test_add_articles_from_a_script(tmp_path: Path) -> None:
    articles = [
        Article(id=r["id"], title=r["title"], body=r["body"], source=r["source"]) for r in ARTICLES
    ]
    index = tmp_path / "index"
    assert Indexer(index).add_articles(articles).added == 3
    assert Indexer(index).add_articles(articles).unchanged == 3


# --- bad records -------------------------------------------------------------------------------


def test_bad_records_are_counted_reported_and_written_to_rejects(
    write_jsonl: WriteJsonl,
) -> None:
    dump = write_jsonl([ARTICLES[0], *BAD_LINES, ARTICLES[1]])
    index = dump.parent / "index"
    problems: list[Reject | Note] = []
    report = Indexer(index).add_files([dump], on_problem=problems.append)

    assert (report.added, report.rejected, report.read) == (2, 4, 6)
    assert all(isinstance(p, Reject) for p in problems)
    assert [(p.file, p.line) for p in problems] == [(str(dump), n) for n in (2, 3, 4, 5)]
    reasons = [p.reason for p in problems]
    assert reasons[0].startswith("invalid JSON")
    assert "not a JSON object" in reasons[1]
    assert reasons[2] == "empty title and body"
    assert "'title' must be a string" in reasons[3]

    # the run's own file, which rejects.jsonl links to (tests/test_rejects_history.py)
    assert report.rejects_file == index / os.readlink(index / "rejects.jsonl")
    written = [json.loads(line) for line in report.rejects_file.read_text("utf-8").splitlines()]
    assert [(r["file"], r["line"], r["reason"]) for r in written] == [
        (p.file, p.line, p.reason) for p in problems
    ]
    assert [r["raw"] for r in written] == BAD_LINES
    assert total_hits(index, "الكرملين") == 1  # the good records are indexed all the same


def test_rejects_file_holds_its_run_only(write_jsonl: WriteJsonl) -> None:
    dump = write_jsonl([ARTICLES[0], BAD_LINES[0]])
    index = dump.parent / "index"
    first = Indexer(index).add_files([dump]).rejects_file
    clean = write_jsonl(ARTICLES, "clean.jsonl")
    report = Indexer(index).add_files([clean])
    assert report.rejected == 0
    assert report.rejects_file.read_text("utf-8") == ""
    assert first is not None and len(first.read_text("utf-8").splitlines()) == 1  # kept


def test_unparsed_date_is_counted_and_kept_as_text(write_jsonl: WriteJsonl) -> None:
    record = {**ARTICLES[0], "date": "منذ ساعتين"}
    dump = write_jsonl([record])
    problems: list[Reject | Note] = []
    report = Indexer(dump.parent / "index").add_files([dump], on_problem=problems.append)
    assert (report.added, report.unparsed_dates, report.rejected) == (1, 1, 0)
    assert [(type(p), p.line, p.kind) for p in problems] == [  # type: ignore[union-attr]
        (Note, 1, "date"),
        (Note, 0, "no-date"),  # all the file's dates (one) could not be read
    ]
    assert report.warnings == [problems[1].message]  # type: ignore[union-attr]
    with Searcher(dump.parent / "index") as searcher:
        stored = searcher.get("n1")
    assert (stored.date, stored.date_text) == (None, "منذ ساعتين")


def test_missing_dump_raises_input_error_and_leaves_no_index(tmp_path: Path) -> None:
    index = tmp_path / "index"
    with pytest.raises(InputError):
        Indexer(index).add_files([tmp_path / "nope.jsonl"])
    assert layout.current(index) is None
    assert layout.generations(index) == []


# --- delete ------------------------------------------------------------------------------------


def test_delete_by_id(make_index: MakeIndex) -> None:
    index = make_index(ARTICLES)
    assert Indexer(index).delete(["n1", "no-such-id"]) == 1
    with Searcher(index) as searcher:
        assert searcher.get("n1") is None
        assert searcher.get("n2") is not None
        assert searcher.stats().articles == 2
        assert searcher.search("الكرملين").total == 0
    assert Indexer(index).delete(["n1"]) == 0


def test_delete_missing_removes_articles_not_in_the_snapshot(
    make_index: MakeIndex, write_jsonl: WriteJsonl
) -> None:
    index = make_index(ARTICLES)
    newcomer = {
        "id": "n4",
        "title": "ارتفاع أسعار النفط في الأسواق العالمية",
        "body": "ارتفعت أسعار النفط بعد قرار تحالف أوبك خفض الإنتاج.",
        "date": "2025-03-04",
    }
    snapshot = write_jsonl([ARTICLES[1], newcomer], "snapshot.jsonl")
    report = Indexer(index).add_files([snapshot], delete_missing=True)
    assert (report.added, report.unchanged, report.deleted) == (1, 1, 2)
    with Searcher(index) as searcher:
        assert {a for a in ("n1", "n2", "n3", "n4") if searcher.get(a)} == {"n2", "n4"}
        assert searcher.stats().articles == 2


def test_delete_and_delete_missing_are_one_commit_with_their_metadata(
    make_index: MakeIndex, write_jsonl: WriteJsonl
) -> None:
    index = make_index(ARTICLES)
    generation = index / "gen-000001"
    built = one_commit(generation, since=0)
    assert Indexer(index).delete(["n1"]) == 1
    deleted = one_commit(generation, since=built)
    snapshot = write_jsonl([ARTICLES[1], version(ARTICLES[2], "كندا")], "snapshot.jsonl")
    report = Indexer(index).add_files([snapshot], delete_missing=True)
    assert (report.updated, report.unchanged, report.deleted) == (1, 1, 0)
    updated = one_commit(generation, since=deleted)
    report = Indexer(index).add_files([write_jsonl([ARTICLES[1]], "n2.jsonl")], delete_missing=True)
    assert report.deleted == 1
    one_commit(generation, since=updated)
    meta = layout.read_meta(generation)
    assert meta["dumps"][-1] == str(snapshot.parent / "n2.jsonl")
    # only the last commit's metadata is kept
    kept = sorted(p.name for p in generation.glob("bahth*.json"))
    assert kept == [f"bahth.{meta['commit']:06d}.json"]


def test_an_index_with_the_metadata_of_an_older_version_is_read_and_carried_on(
    make_index: MakeIndex, write_jsonl: WriteJsonl
) -> None:
    # Before metadata was kept per commit, it was one bahth.json beside the engine's files.
    index = make_index(ARTICLES[:2])
    generation = index / "gen-000001"
    meta = layout.read_meta(generation)
    del meta["commit"]
    (generation / "bahth.000001.json").rename(generation / layout.META)
    (generation / layout.META).write_text(json.dumps(meta), encoding="utf-8")
    assert layout.read_meta(generation) == meta
    with Searcher(index) as searcher:
        assert searcher.stats().articles == 2
    Indexer(index).add_files([write_jsonl(ARTICLES[2:], "more.jsonl")])
    one_commit(generation, since=1)
    after = layout.read_meta(generation)
    assert after == {
        **meta,
        "commit": after["commit"],
        "updated": after["updated"],
        "dumps": [*meta["dumps"], str(index.parent / "more.jsonl")],
    }
    kept = sorted(p.name for p in generation.glob("bahth*.json"))
    assert kept == [f"bahth.{after['commit']:06d}.json"]


def test_without_delete_missing_nothing_is_deleted(
    make_index: MakeIndex, write_jsonl: WriteJsonl
) -> None:
    index = make_index(ARTICLES)
    report = Indexer(index).add_files([write_jsonl([ARTICLES[1]], "one.jsonl")])
    assert (report.unchanged, report.deleted) == (1, 0)
    with Searcher(index) as searcher:
        assert searcher.stats().articles == 3


# --- rebuild and readers -----------------------------------------------------------------------

OTHER = [
    {
        "id": "m1",
        "title": "موجة حر تضرب المنطقة",
        "body": "تجاوزت درجات الحرارة خمسين درجة مئوية في عدة مدن خلال عطلة نهاية الأسبوع.",
        "date": "2025-07-22",
        "source": "alkhaleej",
    }
]


def test_rebuild_creates_a_new_generation_and_switches(
    make_index: MakeIndex, write_jsonl: WriteJsonl
) -> None:
    index = make_index(ARTICLES)
    assert layout.current(index) == index / "gen-000001"
    report = Indexer(index).rebuild([write_jsonl(OTHER, "other.jsonl")])
    assert report.generation == "gen-000002"
    assert report.added == 1
    assert layout.current(index) == index / "gen-000002"
    assert (index / "CURRENT").read_text("utf-8").strip() == "gen-000002"
    # nobody searched the old generation, so it is gone
    assert [g.name for g in layout.generations(index)] == ["gen-000002"]
    with Searcher(index) as searcher:
        assert searcher.stats().articles == 1
        assert searcher.get("n1") is None
        assert searcher.get("m1") is not None


def test_searcher_keeps_its_generation_during_a_rebuild_and_refresh_moves_it(
    make_index: MakeIndex, write_jsonl: WriteJsonl
) -> None:
    index = make_index(ARTICLES)
    other = write_jsonl(OTHER, "other.jsonl")
    with Searcher(index) as searcher:
        assert searcher.search("الكرملين").total == 1
        Indexer(index).rebuild([other])
        # the old snapshot still answers, and its files are still there
        assert searcher.generation == index / "gen-000001"
        assert searcher.search("الكرملين").total == 1
        assert searcher.search("الحرارة").total == 0
        assert (index / "gen-000001").is_dir()

        assert searcher.refresh() is True
        assert searcher.generation == index / "gen-000002"
        assert searcher.search("الكرملين").total == 0
        assert searcher.search("الحرارة").total == 1
        assert searcher.refresh() is False  # nothing new since
    # the old generation was held during the rebuild; the next rebuild removes it
    Indexer(index).rebuild([other])
    assert [g.name for g in layout.generations(index)] == ["gen-000003"]


def test_refresh_sees_updates_to_the_same_generation(
    make_index: MakeIndex, write_jsonl: WriteJsonl
) -> None:
    index = make_index(ARTICLES[:1])
    with Searcher(index) as searcher:
        assert searcher.search("المنتخب").total == 0
        Indexer(index).add_files([write_jsonl(ARTICLES[2:], "more.jsonl")])
        assert searcher.search("المنتخب").total == 0  # a snapshot
        assert searcher.refresh() is True
        assert searcher.search("المنتخب").total == 1


def test_failed_rebuild_leaves_the_live_index_untouched(
    make_index: MakeIndex, tmp_path: Path
) -> None:
    index = make_index(ARTICLES)
    with pytest.raises(InputError):
        Indexer(index).rebuild([tmp_path / "no-such-dump.jsonl"])
    assert layout.current(index) == index / "gen-000001"
    assert [g.name for g in layout.generations(index)] == ["gen-000001"]
    assert total_hits(index, "الكرملين") == 1


# --- errors ------------------------------------------------------------------------------------


def test_missing_index_raises_index_not_found_naming_bahth_index(tmp_path: Path) -> None:
    with pytest.raises(IndexNotFound) as caught:
        Searcher(tmp_path / "nowhere")
    assert "bahth index" in str(caught.value)
    assert str(tmp_path / "nowhere") in str(caught.value)
    with pytest.raises(IndexNotFound, match="bahth index"):
        Indexer(tmp_path / "nowhere").delete(["n1"])


def test_second_writer_gets_index_locked_naming_the_pid(
    make_index: MakeIndex, write_jsonl: WriteJsonl
) -> None:
    index = make_index(ARTICLES[:1])
    dump = write_jsonl(ARTICLES, "more.jsonl")
    with layout.write_lock(index):
        for attempt in (
            lambda: Indexer(index).add_files([dump]),
            lambda: Indexer(index).rebuild([dump]),
            lambda: Indexer(index).delete(["n1"]),
        ):
            with pytest.raises(IndexLocked) as caught:
                attempt()
            assert f"PID {os.getpid()}" in str(caught.value)
            assert caught.value.fix  # says what to do
    # nothing was written while locked; once released, the writer goes ahead
    assert [g.name for g in layout.generations(index)] == ["gen-000001"]
    assert Indexer(index).add_files([dump]).added == 2


def test_index_built_by_another_analysis_version_is_refused(make_index: MakeIndex) -> None:
    index = make_index(ARTICLES)
    generation = layout.current(index)
    meta = layout.read_meta(generation)
    layout.write_meta(generation, {**meta, "analysis": "0-000000000000"})
    with pytest.raises(IndexIncompatible, match="bahth rebuild"):
        Searcher(index)
    with pytest.raises(IndexIncompatible, match="bahth rebuild"):
        Indexer(index).add_files([])


# --- stats after updates -----------------------------------------------------------------------


def test_stats_count_live_articles_only_after_updates_and_deletes(
    make_index: MakeIndex, write_jsonl: WriteJsonl
) -> None:
    index = make_index(ARTICLES)
    moved = {**ARTICLES[0], "source": "bbc", "category": "economy"}  # n1 changes source
    Indexer(index).add_files([write_jsonl([moved], "moved.jsonl")])
    Indexer(index).delete(["n3"])
    with Searcher(index) as searcher:
        stats = searcher.stats()
    assert stats.articles == 2
    assert stats.sources == [("bbc", 2)]
    assert stats.categories == [("economy", 2)]
    assert (stats.first_date.isoformat(), stats.last_date.isoformat()) == (
        "2025-03-01",
        "2025-03-02",
    )


@pytest.mark.slow
def test_several_processes_over_undated_and_sourceless_stretches(tmp_path: Path) -> None:
    # whoosh could not read a column across segments when one segment had no value for it.
    dump = tmp_path / "dump.jsonl"
    with dump.open("w", encoding="utf-8") as out:
        for n in range(400):
            record = {"id": f"a{n}", "title": f"خبر عن النفط رقم {n}", "body": "أسعار النفط"}
            if n < 200:
                record |= {"date": f"2025-01-{n % 28 + 1:02d}", "source": "alwatan"}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    index = tmp_path / "index"
    assert Indexer(index, workers=2).add_files([dump]).added == 400
    with Searcher(index) as searcher:
        assert searcher.search("النفط").total == 400
        assert searcher.search("النفط", sort="date").hits[0].date == dt.date(2025, 1, 28)
        stats = searcher.stats()
    assert (stats.sources, stats.first_date) == ([("alwatan", 200)], dt.date(2025, 1, 1))


# --- dumps with no article (issue 11) ----------------------------------------------------------


def test_delete_missing_with_dumps_holding_no_article_deletes_nothing(
    make_index: MakeIndex, write_jsonl: WriteJsonl
) -> None:
    index = make_index(ARTICLES)
    before = committed(layout.require_current(index))
    rejected_only = write_jsonl(BAD_LINES, "snapshot.jsonl")
    with pytest.raises(InputError, match=r"held no article .* not delete every article"):
        Indexer(index).add_files([rejected_only], delete_missing=True)
    assert committed(layout.require_current(index)) == before
    assert total_hits(index, "الكرملين OR الموازنة OR المنتخب") == len(ARTICLES)


def test_rebuild_from_dumps_holding_no_article_leaves_the_live_index(
    make_index: MakeIndex, write_jsonl: WriteJsonl
) -> None:
    index = make_index(ARTICLES)
    live = Indexer(index).live_generation
    empty = write_jsonl([], "empty.jsonl")
    problems: list[Reject | Note] = []
    with pytest.raises(InputError, match="not replace the live index"):
        Indexer(index).rebuild([empty], on_problem=problems.append)
    assert [(type(p), p.kind) for p in problems] == [(Note, "empty")]  # type: ignore[union-attr]
    assert Indexer(index).live_generation == live
    assert sorted(p.name for p in index.glob("gen-*")) == [live]
    assert total_hits(index, "الكرملين OR الموازنة OR المنتخب") == len(ARTICLES)


def test_delete_passes_the_ids_it_did_not_find(make_index: MakeIndex) -> None:
    index = make_index(ARTICLES)
    missing: list[str] = []
    assert Indexer(index).delete(["n1", "nosuch", "n3", "other"], on_missing=missing.append) == 2
    assert missing == ["nosuch", "other"]


def test_a_mapping_no_record_matches_is_a_note_in_the_report(write_jsonl: WriteJsonl) -> None:
    dump = write_jsonl(ARTICLES)
    problems: list[Reject | Note] = []
    report = Indexer(dump.parent / "index").add_files(
        [dump], fields={"source": "publisher"}, on_problem=problems.append
    )
    assert report.added == len(ARTICLES)
    [note] = [p for p in problems if isinstance(p, Note) and p.kind != "fields"]
    assert isinstance(note, Note) and (note.kind, note.file, note.line) == ("field", "", 0)
    assert "'publisher'" in note.message and "'source'" in note.message
    assert report.warnings == [note.message]

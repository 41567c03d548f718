"""``bahth optimize`` and ``Indexer.optimize``, and tantivy runs that do not wait for costly
merges (``search.engine.tantivy.writing``): the articles, the results and the stories stay
the same whatever the segments.

The tantivy tests that leave merges to ``optimize`` set the writer's thresholds low
(``CHEAP_MERGE_DOCS``, ``MAX_SEGMENTS``): on a few dozen articles every merge is cheap, and a
run would wait for it.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from search import Indexer, Searcher, layout
from search.cli import main
from search.engine.tantivy import writing as tantivy_writing
from search.errors import IndexNotFound
from tests.conftest import SEEDS, jsonl

ENTRY_POINT = "import sys; from search.cli import main; sys.argv[0] = 'bahth'; main()"
QUERIES = ("بوتين", "الرئيس الروسي", "موسكو", "الاقتصاد", "النفط")


def seed_records() -> list[dict[str, object]]:
    """The seed articles (26), as dump records."""
    lines = (SEEDS / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def index_in_runs(
    index: Path, records: list[dict[str, object]], per_run: int, engine: str | None = None
) -> int:
    """Index ``records`` in runs of ``per_run`` articles each; the number of runs."""
    runs = 0
    for start in range(0, len(records), per_run):
        dump = index.parent / f"{index.name}-{start:03d}.jsonl"
        dump.write_text(jsonl(records[start : start + per_run]), encoding="utf-8")
        report = Indexer(index, engine=engine).add_files([dump])
        assert report.rejected == 0, report
        runs += 1
    return runs


def snapshot(index: Path, ids: list[str]) -> dict[str, object]:
    """What a reader sees: the count, each query's ranked hits with their scores, each
    article's title and copies."""
    with Searcher(index) as searcher:
        results = {}
        for query in QUERIES:
            found = searcher.search(query, limit=50)
            results[query] = (found.total, [(h.id, round(h.score, 4)) for h in found.hits])
        articles = {}
        for article_id in ids:
            article = searcher.get(article_id)
            articles[article_id] = None if article is None else article.title
        copies = {article_id: sorted(searcher.copies(article_id)) for article_id in ids}
        return {
            "count": searcher.stats().articles,
            "results": results,
            "articles": articles,
            "copies": copies,
        }


def assert_same(found: dict[str, object], expected: dict[str, object]) -> None:
    """The same articles, copies and hits in the same order, with the same scores but for
    whoosh's rounding: it keeps each article's field lengths in a byte, and a merge adds
    them up into the total its BM25 averages (a few thousandths of a score)."""
    assert {k: v for k, v in found.items() if k != "results"} == {
        k: v for k, v in expected.items() if k != "results"
    }
    for query, (total, hits) in expected["results"].items():  # type: ignore[attr-defined]
        found_total, found_hits = found["results"][query]  # type: ignore[index]
        assert (found_total, [h[0] for h in found_hits]) == (total, [h[0] for h in hits])
        assert [h[1] for h in found_hits] == pytest.approx([h[1] for h in hits], rel=0.01)


def tantivy_segments(index: Path) -> int:
    generation = layout.require_current(index)
    return len(tantivy_writing.segments(generation))


@pytest.fixture
def leave_merges(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every tantivy merge counts as costly: a run never waits for one (until segments pile
    up past ``MAX_SEGMENTS``)."""
    monkeypatch.setattr(tantivy_writing, "CHEAP_MERGE_DOCS", 0)
    monkeypatch.setattr(tantivy_writing, "MERGE_PER_ADDED", 0)
    yield


class TestEveryEngine:
    pytestmark = pytest.mark.usefixtures("engine")

    def test_optimize_keeps_every_article_and_the_results(self, tmp_path: Path) -> None:
        index = tmp_path / "index"
        records = seed_records()
        index_in_runs(index, records, per_run=3)
        ids = [str(r["id"]) for r in records]
        before = snapshot(index, ids)
        assert before["count"] == len(records)
        with Searcher(index) as opened:
            done = Indexer(index).optimize()
            assert done.after <= done.before
            # A searcher open across the optimize sees it once it refreshes, when it committed.
            assert opened.refresh() == (done.after != done.before)
            assert opened.search(QUERIES[0]).total == before["results"][QUERIES[0]][0]  # type: ignore[index]
        if done.engine == "whoosh":
            assert done.after == 1
        assert_same(snapshot(index, ids), before)

    def test_optimize_drops_deleted_articles_for_good(self, tmp_path: Path) -> None:
        index = tmp_path / "index"
        records = seed_records()
        index_in_runs(index, records, per_run=3)
        deleted = str(records[0]["id"])
        assert Indexer(index).delete([deleted]) == 1
        ids = [str(r["id"]) for r in records]
        before = snapshot(index, ids)
        Indexer(index).optimize()
        after = snapshot(index, ids)
        assert after["count"] == before["count"] == len(records) - 1
        assert after["articles"] == before["articles"] and after["articles"][deleted] is None  # type: ignore[index]
        assert after["copies"] == before["copies"]
        # Scores may change: the deleted article left the statistics (article count, lengths).
        for query, (total, hits) in before["results"].items():  # type: ignore[attr-defined]
            found_total, found = after["results"][query]  # type: ignore[index]
            assert (found_total, sorted(h[0] for h in found)) == (total, sorted(h[0] for h in hits))

    def test_a_second_optimize_has_nothing_to_merge(self, tmp_path: Path) -> None:
        index = tmp_path / "index"
        index_in_runs(index, seed_records(), per_run=3)
        first = CliRunner().invoke(main, ["optimize", "--index", str(index)])
        assert first.exit_code == 0, first.output
        assert str(index) in first.output
        second = CliRunner().invoke(main, ["optimize", "--index", str(index)])
        assert second.exit_code == 0, second.output
        assert "nothing to merge" in second.output

    def test_optimize_of_a_missing_index_says_to_build_one(self, tmp_path: Path) -> None:
        missing = tmp_path / "none"
        with pytest.raises(IndexNotFound) as raised:
            Indexer(missing).optimize()
        assert "Build one with: bahth index" in str(raised.value)
        assert not missing.exists()  # no lock file, no directory made for nothing
        result = CliRunner().invoke(main, ["optimize", "--index", str(missing)])
        assert result.exit_code == 1
        assert "No index at" in result.output and "bahth index DUMP" in result.output


class TestTantivyMerges:
    def test_runs_that_leave_merges_find_everything_and_optimize_merges(
        self, tmp_path: Path, leave_merges: None
    ) -> None:
        index = tmp_path / "index"
        records = seed_records()
        runs = index_in_runs(index, records, per_run=2, engine="tantivy")
        assert runs >= tantivy_writing.MIN_SEGMENTS_IN_MERGE
        # One segment a run: tantivy's policy asked for merges, and no run waited for them.
        assert tantivy_segments(index) == runs
        ids = [str(r["id"]) for r in records]
        before = snapshot(index, ids)
        assert before["count"] == len(records)
        assert all(title is not None for title in before["articles"].values())  # type: ignore[union-attr]
        done = Indexer(index).optimize()
        assert (done.engine, done.before, done.after) == ("tantivy", runs, 1)
        assert tantivy_segments(index) == 1
        assert snapshot(index, ids) == before  # tantivy: the very same scores

    def test_a_run_waits_for_cheap_merges(self, tmp_path: Path) -> None:
        index = tmp_path / "index"
        runs = index_in_runs(index, seed_records(), per_run=2, engine="tantivy")
        # Eight segments of a level are merged into one when the eighth is committed.
        assert tantivy_segments(index) == runs - tantivy_writing.MIN_SEGMENTS_IN_MERGE + 1

    def test_a_run_past_max_segments_waits_for_every_merge(
        self, tmp_path: Path, leave_merges: None, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(tantivy_writing, "MAX_SEGMENTS", 5)
        index = tmp_path / "index"
        records = seed_records()
        runs = index_in_runs(index, records, per_run=2, engine="tantivy")
        assert tantivy_segments(index) == runs - tantivy_writing.MIN_SEGMENTS_IN_MERGE + 1
        with Searcher(index) as searcher:
            assert searcher.stats().articles == len(records)

    def test_a_run_after_optimize_adds_to_the_merged_index(
        self, tmp_path: Path, leave_merges: None
    ) -> None:
        index = tmp_path / "index"
        records = seed_records()
        index_in_runs(index, records[:20], per_run=2, engine="tantivy")
        Indexer(index).optimize()
        index_in_runs(index, records[20:], per_run=3, engine="tantivy")
        assert tantivy_segments(index) == 3
        ids = [str(r["id"]) for r in records]
        found = snapshot(index, ids)
        assert found["count"] == len(records)
        assert all(title is not None for title in found["articles"].values())  # type: ignore[union-attr]


@pytest.mark.slow
@pytest.mark.usefixtures("engine")
@pytest.mark.parametrize(
    "delay",
    [pytest.param(0.15, marks=pytest.mark.long), 0.35, pytest.param(0.6, marks=pytest.mark.long)],
)
def test_a_killed_optimize_leaves_the_index_whole(
    tmp_path: Path, delay: float, leave_merges: None
) -> None:
    """Killed at moments spread over an optimize of this index (0.3 s with tantivy, 0.7 s with
    whoosh, start-up included), the index is as it was or merged; the same command again
    finishes the job."""
    index = tmp_path / "index"
    records = seed_records()
    index_in_runs(index, records, per_run=2)
    ids = [str(r["id"]) for r in records]
    before = snapshot(index, ids)
    command = [sys.executable, "-c", ENTRY_POINT, "optimize", "--index", str(index)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert_same(snapshot(index, ids), before)
    again = subprocess.run(command, capture_output=True, text=True, check=False)
    assert again.returncode == 0, again.stderr
    assert_same(snapshot(index, ids), before)

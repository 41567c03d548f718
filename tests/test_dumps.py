"""Dumps as published, through the Indexer and the command: the fields read under other names
are reported, --strict fails a misread dump before anything is committed, and --dry-run reads
and reports without writing. Every test builds a real index on disk (both engines)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from search import Indexer, InputError, Searcher
from search.cli import main
from tests.conftest import WriteJsonl

pytestmark = pytest.mark.usefixtures("engine")

BODIES = [
    "حدد رئيس الوزراء البريطاني ملامح استراتيجية للتصدي للتطرف داخل بريطانيا على مدى خمس سنوات.",
    "أصدر الرئيس اليمني قرارا جمهوريا بتعيين محافظ جديد لعدن بعد طرد المتمردين من المدينة.",
    "أعلنت وزارة الصحة عن حملة تطعيم موسمية ضد الإنفلونزا في جميع مناطق المملكة.",
]


def upstream(n: int, body_field: str = "content") -> dict[str, object]:
    """A record as SaudiNewsNet publishes it (its keys, its order), with the body under
    ``body_field``."""
    return {
        "source": "alriyadh",
        "url": f"http://www.alriyadh.com/{1000 + n}",
        "date_extracted": f"2015-07-{20 + n % 10} 10:12:00",
        "title": f"عنوان الخبر رقم {n}",
        "author": None,
        body_field: BODIES[n % len(BODIES)] + f" ({n})",
    }


def write_zip(path: Path, records: list[dict[str, object]]) -> Path:
    """A SaudiNewsNet day: ``YYYY-MM-DD.zip`` holding one JSON array."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(path.with_suffix(".json").name, json.dumps(records, ensure_ascii=False))
    return path


def state(index: Path) -> tuple[str, int, str | None]:
    """The live generation, its articles and its last commit's time: what a failed run must
    leave as it was."""
    with Searcher(index) as searcher:
        stats = searcher.stats()
    return stats.generation, stats.articles, stats.updated


def test_the_upstream_layout_indexes_with_no_flags(tmp_path: Path) -> None:
    dataset = tmp_path / "dataset"
    write_zip(dataset / "2015-07-21.zip", [upstream(n) for n in range(3)])
    write_zip(dataset / "2015-07-22.zip", [upstream(n) for n in range(3, 5)])
    index = tmp_path / "index"
    report = Indexer(index).add_files([dataset])
    assert (report.added, report.rejected, report.title_only) == (5, 0, 0)
    assert report.fields == {
        "title": {"title": 5},
        "body": {"content": 5},
        "date": {"date_extracted": 5},
        "source": {"source": 5},
        "url": {"url": 5},
    }
    assert report.warnings == []
    with Searcher(index) as searcher:
        # a word of the body alone finds its articles; the dates filter
        assert searcher.search("المتمردين").total == 2
        [hit] = searcher.search("بريطانيا", until="2015-07-21").hits
        assert (str(hit.date), hit.source, hit.title) == (
            "2015-07-20",
            "alriyadh",
            "عنوان الخبر رقم 0",
        )


def test_a_body_under_an_unknown_name_is_a_warning_naming_the_fix(tmp_path: Path) -> None:
    dump = write_zip(tmp_path / "2015-07-21.zip", [upstream(n, "matn") for n in range(25)])
    report = Indexer(tmp_path / "index").add_files([dump])
    assert (report.added, report.title_only) == (25, 25)  # indexed by their titles, counted
    [warning] = report.warnings
    assert warning.startswith(f"25 of 25 articles in {dump}:2015-07-21.json have a title and no")
    assert warning.endswith("--field body=matn")


def test_strict_fails_a_misread_dump_and_leaves_the_index_as_it_was(tmp_path: Path) -> None:
    index = tmp_path / "index"
    Indexer(index).add_files([write_zip(tmp_path / "good.zip", [upstream(n) for n in range(3)])])
    before = state(index)
    misread = write_zip(tmp_path / "misread.zip", [upstream(n, "matn") for n in range(3, 28)])
    with pytest.raises(InputError, match=r"^strict: 25 of 25 articles in .* --field body=matn"):
        Indexer(index).add_files([misread], strict=True)
    assert state(index) == before
    with pytest.raises(InputError, match="strict"):
        Indexer(index).rebuild([misread], strict=True)
    assert state(index) == before
    # the fix the warning names makes it pass
    report = Indexer(index).add_files([misread], fields={"body": "matn"}, strict=True)
    assert (report.added, report.title_only, report.warnings) == (25, 0, [])


def test_strict_on_the_command_line_exits_1_and_says_the_index_is_untouched(
    tmp_path: Path,
) -> None:
    index = tmp_path / "index"
    runner = CliRunner()
    good = write_zip(tmp_path / "good.zip", [upstream(n) for n in range(3)])
    assert runner.invoke(main, ["index", str(good), "--index", str(index)]).exit_code == 0
    before = state(index)
    misread = write_zip(tmp_path / "misread.zip", [upstream(n, "matn") for n in range(3, 28)])
    result = runner.invoke(main, ["index", str(misread), "--index", str(index), "--strict"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "--field body=matn" in result.stderr
    assert f"the live index at {index} ({before[0]}) is untouched" in result.stderr
    assert state(index) == before


def test_dry_run_reads_and_reports_and_writes_nothing(tmp_path: Path) -> None:
    dump = write_zip(tmp_path / "2015-07-21.zip", [upstream(n) for n in range(4)])
    index = tmp_path / "index"
    report = Indexer(index).check_files([dump])
    assert (report.dry_run, report.added, report.read) == (True, 4, 4)
    assert report.first is not None and report.first.title == "عنوان الخبر رقم 0"
    assert report.fields["body"] == {"content": 4}
    assert not index.exists()  # no index, no lock, no rejects file
    # against an index: what would be added, updated, unchanged, deleted
    Indexer(index).add_files([dump])
    before = state(index)
    changed = [upstream(0), {**upstream(1), "content": "نص جديد"}, upstream(9)]
    again = write_zip(tmp_path / "again.zip", changed)
    report = Indexer(index).check_files([again], delete_missing=True)
    counts = (report.added, report.updated, report.unchanged, report.deleted)
    assert counts == (1, 1, 1, 2)
    assert report.summary().startswith("3 read, 1 to be added, 1 to be updated, 1 unchanged")
    assert state(index) == before


def test_dry_run_on_the_command_line_shows_the_first_article(tmp_path: Path) -> None:
    dump = write_zip(tmp_path / "2015-07-21.zip", [upstream(n) for n in range(2)])
    index = tmp_path / "index"
    result = CliRunner().invoke(main, ["index", str(dump), "--index", str(index), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert f"first article, {dump}:2015-07-21.json:1:" in result.stdout
    assert "  title: عنوان الخبر رقم 0" in result.stdout
    assert "  date: 2015-07-20 (written '2015-07-20 10:12:00')" in result.stdout
    assert "  source: alriyadh" in result.stdout
    assert f"dry run, nothing written to {index}: 2 read, 2 to be added" in result.stdout
    assert "fields: body ← content, date ← date_extracted" in result.stderr
    assert not index.exists()
    usage = CliRunner().invoke(main, ["index", str(dump), "--dry-run", "--strict"])
    assert usage.exit_code == 2 and "--dry-run writes nothing" in usage.stderr


def test_title_only_articles_are_indexed_and_counted(
    tmp_path: Path, write_jsonl: WriteJsonl
) -> None:
    records = [
        {"id": f"t{n}", "title": f"عنوان {n}", "body": BODIES[0] if n else ""} for n in range(3)
    ]
    index = tmp_path / "index"
    report = Indexer(index).add_files([write_jsonl(records)])
    assert (report.added, report.title_only, report.warnings) == (3, 1, [])
    assert "1 title only (no body)" in report.summary()
    with Searcher(index) as searcher:
        assert searcher.get("t0").body == ""  # type: ignore[union-attr]

"""Faulty input: each fault gives a clear message, a count in the report, and everything else
is still indexed. Through the CLI (CliRunner) and the API, on dumps written in tmp_path.
"""

from __future__ import annotations

import gzip
import json
import random
import re
from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner, Result

from search import Indexer, Note, Progress, Reject, Searcher, layout
from search.cli import main
from tests.conftest import jsonl

COMMON_WORD = "النفط"  # in every generated article's title
WORDS = (  # noqa: SIM905 -- an Arabic word list reads best as one string
    "الحكومة الوزير البرلمان المدينة الشركة السوق الاقتصاد المنتخب الجامعة "
    "المستشفى الطاقة المياه المطار الميناء المحكمة المؤتمر الاتفاق الموازنة "
    "الأسعار الاستثمار أعلن قال أكد افتتح ناقش وقع أطلق استقبل زار ارتفع انخفض شهد "
    "قرر طالب دعا حذر"
).split()

SUMMARY = re.compile(
    r"^(?P<index>.+) \((?P<generation>gen-\d{6})\): (?P<read>[\d,]+) read, "
    r"(?P<added>[\d,]+) added, (?P<updated>[\d,]+) updated, "
    r"(?P<unchanged>[\d,]+) unchanged, (?P<rejected>[\d,]+) rejected(?P<rest>.*)$"
)


def news(prefix: str, count: int, seed: int = 0) -> list[dict[str, str]]:
    """``count`` short generated articles with ids ``prefix0``, ``prefix1``, ..."""
    rng = random.Random(seed)
    return [
        {
            "id": f"{prefix}{n}",
            "title": " ".join([COMMON_WORD, *(rng.choice(WORDS) for _ in range(4))]),
            "body": " ".join(rng.choice(WORDS) for _ in range(rng.randint(20, 60))),
            "date": f"2025-{1 + n % 12:02d}-{1 + n % 28:02d}",
        }
        for n in range(count)
    ]


def bahth(*args: str | Path, ok: bool = True) -> Result:
    """``bahth ARGS`` through CliRunner; on success paths unexpected exceptions propagate."""
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=not ok)


def summary(result: Result) -> dict[str, str]:
    """The counts of ``bahth index``'s one line on stdout."""
    [line] = result.stdout.splitlines()
    found = SUMMARY.match(line)
    assert found, line
    return found.groupdict()


def indexed_ids(index: Path) -> set[str]:
    """The ids a search for COMMON_WORD finds (every generated article has it)."""
    with Searcher(index) as searcher:
        results = searcher.search(COMMON_WORD, match="all", limit=1000)
        assert results.total == searcher.stats().articles
        return {hit.id for hit in results}


def rejects(index: Path) -> list[dict[str, object]]:
    lines = (index / layout.REJECTS).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def ids(records: list[dict[str, str]]) -> set[str]:
    return {r["id"] for r in records}


# --- truncated compressed files ----------------------------------------------------------------


def truncated_gzip(path: Path, records: list[dict[str, str]]) -> Path:
    data = gzip.compress(jsonl(records).encode("utf-8"))
    path.write_bytes(data[: len(data) * 3 // 5])
    return path


TRUNCATED = re.compile(r"^rejected: (?P<file>.+):(?P<line>\d+): the gzip stream ends early", re.M)


def test_truncated_gzip_indexes_the_records_before_the_cut_cli(tmp_path: Path) -> None:
    records = news("t", 300)
    dump = truncated_gzip(tmp_path / "dump.jsonl.gz", records)
    index = tmp_path / "index"
    result = bahth("index", dump, "--index", index)

    assert result.exit_code == 0, result.output  # a bad record was reported: the job was done
    found = TRUNCATED.search(result.stderr)
    assert found, result.stderr
    assert found.group("file") == str(dump)
    cut = int(found.group("line"))  # the line the damage is in; the lines before were read
    assert 1 < cut < len(records)
    counts = summary(result)
    assert (counts["added"], counts["rejected"]) == (str(cut - 1), "1")
    [reject] = rejects(index)
    assert (reject["file"], reject["line"]) == (str(dump), cut)
    assert "truncated" in str(reject["reason"])
    assert indexed_ids(index) == ids(records[: cut - 1])


def test_truncated_gzip_indexes_the_records_before_the_cut_api(tmp_path: Path) -> None:
    records = news("t", 300)
    dump = truncated_gzip(tmp_path / "dump.jsonl.gz", records)
    index = tmp_path / "index"
    problems: list[Reject | Note] = []
    report = Indexer(index).add_files([dump], on_problem=problems.append)
    [problem] = problems
    assert isinstance(problem, Reject) and problem.file == str(dump)
    assert (report.added, report.rejected) == (problem.line - 1, 1)
    assert indexed_ids(index) == ids(records[: problem.line - 1])


# --- files that cannot be read -----------------------------------------------------------------


def three_files(directory: Path) -> list[list[dict[str, str]]]:
    """a.jsonl, b.jsonl, c.jsonl in ``directory``, five articles each."""
    directory.mkdir()
    parts = [news(name, 5, seed) for seed, name in enumerate("abc")]
    for name, records in zip("abc", parts, strict=True):
        (directory / f"{name}.jsonl").write_text(jsonl(records), encoding="utf-8")
    return parts


def test_unreadable_file_is_reported_and_the_others_indexed(
    tmp_path: Path, deny_reads: Callable[[Path], None]
) -> None:
    a, _, c = three_files(tmp_path / "dumps")
    unreadable = tmp_path / "dumps" / "b.jsonl"
    deny_reads(unreadable)
    index = tmp_path / "index"
    result = bahth("index", tmp_path / "dumps", "--index", index, ok=False)
    assert result.exit_code == 0, result.output
    assert f"{unreadable}" in result.stderr and "permission denied" in result.stderr
    assert "Traceback" not in result.stderr
    assert summary(result)["rejected"] == "1"
    assert [r["file"] for r in rejects(index)] == [str(unreadable)]
    assert indexed_ids(index) == ids(a) | ids(c)


def test_file_vanishing_before_its_turn_is_reported_and_the_others_indexed_api(
    tmp_path: Path,
) -> None:
    a, _, c = three_files(tmp_path / "dumps")
    vanishing = tmp_path / "dumps" / "b.jsonl"

    def delete_the_next_file(progress: Progress) -> None:
        if progress.file.endswith("a.jsonl") and progress.files_done == 1:
            vanishing.unlink()  # found by the walk, gone before it is opened

    index = tmp_path / "index"
    problems: list[Reject | Note] = []
    report = Indexer(index).add_files(
        [tmp_path / "dumps"], on_problem=problems.append, on_progress=delete_the_next_file
    )
    assert not vanishing.exists()
    assert [(type(p), p.file) for p in problems] == [(Reject, str(vanishing))]
    assert "no such file" in str(problems[0])
    assert (report.added, report.rejected) == (10, 1)
    assert indexed_ids(index) == ids(a) | ids(c)


def test_file_vanishing_before_its_turn_is_reported_and_the_others_indexed_cli(
    tmp_path: Path,
) -> None:
    # A directory entry that cannot be opened when its turn comes: a dangling symlink is
    # listed by the walk exactly like a file deleted after it.
    a, _, c = three_files(tmp_path / "dumps")
    vanished = tmp_path / "dumps" / "b.jsonl"
    vanished.unlink()
    vanished.symlink_to(tmp_path / "deleted.jsonl")
    index = tmp_path / "index"
    result = bahth("index", tmp_path / "dumps", "--index", index, ok=False)
    assert result.exit_code == 0, result.output
    assert f"{vanished}:0: no such file" in result.stderr
    assert "Traceback" not in result.stderr
    assert summary(result)["rejected"] == "1"
    assert [r["file"] for r in rejects(index)] == [str(vanished)]
    assert indexed_ids(index) == ids(a) | ids(c)


# --- invalid UTF-8 -----------------------------------------------------------------------------


def dump_with_a_bad_byte(path: Path) -> tuple[Path, list[dict[str, str]]]:
    """Five articles; the title of the third has an invalid byte (0xFF) in it."""
    records = news("u", 5)
    records[2]["title"] = f"{COMMON_WORD} بركان في المنطقة"
    data = jsonl(records).encode("utf-8").replace("بركان".encode(), b"\xff" + "بركان".encode())
    path.write_bytes(data)
    return path, records


def test_invalid_utf8_is_replaced_counted_and_the_article_indexed_api(tmp_path: Path) -> None:
    dump, records = dump_with_a_bad_byte(tmp_path / "dump.jsonl")
    index = tmp_path / "index"
    problems: list[Reject | Note] = []
    report = Indexer(index).add_files([dump], on_problem=problems.append)
    assert (report.added, report.rejected, report.encoding_problems) == (5, 0, 1)
    [note] = problems
    assert isinstance(note, Note) and (note.kind, note.file, note.line) == (
        "encoding",
        str(dump),
        3,
    )
    assert indexed_ids(index) == ids(records)
    with Searcher(index) as searcher:
        assert searcher.get("u2").title == f"{COMMON_WORD} \ufffdبركان في المنطقة"
        assert [hit.id for hit in searcher.search("بركان", match="all")] == ["u2"]


def test_invalid_utf8_is_reported_and_counted_in_the_summary_cli(tmp_path: Path) -> None:
    dump, records = dump_with_a_bad_byte(tmp_path / "dump.jsonl")
    index = tmp_path / "index"
    result = bahth("index", dump, "--index", index)
    assert result.exit_code == 0
    assert f"{dump}:3: 1 invalid UTF-8 byte sequence(s) replaced" in result.stderr
    counts = summary(result)
    assert (counts["added"], counts["rejected"]) == ("5", "0")
    # the summary counts the encoding problem, as it counts unparsed dates and duplicates
    assert re.search(r"\b1 [^,]*(UTF-8|encoding)", counts["rest"]), result.stdout
    assert indexed_ids(index) == ids(records)


# --- a huge article ----------------------------------------------------------------------------


def test_ten_megabyte_article_is_indexed_searchable_and_has_a_snippet(tmp_path: Path) -> None:
    rng = random.Random(10)
    words: list[str] = []
    size = 0
    while size < 10_000_000:
        words.append(rng.choice(WORDS))
        size += len(words[-1].encode("utf-8")) + 1
    middle = len(words) // 2
    words[middle] = "بركان"  # one rare word, in the middle
    body = " ".join(words)
    big = {"id": "big", "title": "تقرير مطول عن الاقتصاد", "body": body, "date": "2025-01-01"}
    others = news("s", 3)
    dump = tmp_path / "dump.jsonl"
    dump.write_text(jsonl([others[0], big, *others[1:]]), encoding="utf-8")
    assert dump.stat().st_size > 10_000_000
    index = tmp_path / "index"

    report = Indexer(index).add_files([dump])
    assert (report.added, report.rejected) == (4, 0)
    result = bahth("search", "بركان", "--index", index, "--json")
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    assert found["total"] == 1
    [hit] = found["hits"]
    assert hit["id"] == "big"
    assert 0 < len(hit["snippet"]) < 1000  # a fragment, not the article
    assert [hit["snippet"][a:b] for a, b in hit["highlights"]] == ["بركان"]
    with Searcher(index) as searcher:
        assert searcher.get("big").body == body
        others_found = searcher.search(COMMON_WORD, match="all")
        assert {hit.id for hit in others_found} == ids(others)


# --- bad records -------------------------------------------------------------------------------


def test_json_line_that_is_an_array_is_rejected_with_its_line(tmp_path: Path) -> None:
    records = news("j", 4)
    dump = tmp_path / "dump.jsonl"
    array = json.dumps([records[1]], ensure_ascii=False)
    dump.write_text(jsonl([records[0], array, *records[2:]]), encoding="utf-8")
    index = tmp_path / "index"
    result = bahth("index", dump, "--index", index)
    assert result.exit_code == 0
    assert f"rejected: {dump}:2: an array, not a JSON object" in result.stderr
    counts = summary(result)
    assert (counts["read"], counts["added"], counts["rejected"]) == ("4", "3", "1")
    [reject] = rejects(index)
    assert (reject["file"], reject["line"], reject["raw"]) == (str(dump), 2, array)
    assert indexed_ids(index) == ids(records) - {"j1"}


def test_duplicate_ids_in_one_dump_last_one_wins_and_are_counted(tmp_path: Path) -> None:
    records = news("d", 4)
    first = {**records[1], "body": "وصل وفد من اليابان إلى العاصمة في زيارة رسمية"}
    last = {**records[1], "body": "وصل وفد من البرازيل إلى العاصمة في زيارة رسمية"}
    dump = tmp_path / "dump.jsonl"
    dump.write_text(jsonl([records[0], first, records[2], last, records[3]]), encoding="utf-8")
    index = tmp_path / "index"
    result = bahth("index", dump, "--index", index)
    assert result.exit_code == 0
    counts = summary(result)
    assert (counts["read"], counts["added"], counts["rejected"]) == ("5", "4", "0")
    assert "1 duplicate ids (last one kept)" in counts["rest"]
    shown = bahth("show", "d1", "--index", index, "--json")
    assert json.loads(shown.stdout)["body"] == last["body"]
    assert indexed_ids(index) == ids(records)
    with Searcher(index) as searcher:
        assert searcher.search("اليابان", match="all").total == 0
        assert [hit.id for hit in searcher.search("البرازيل", match="all")] == ["d1"]


def test_csv_ragged_row_is_rejected_with_its_line(tmp_path: Path) -> None:
    records = news("c", 4)
    rows = [f"{r['id']},{r['title']},{r['body']}" for r in records]
    rows[2] += ",عمود زائد"  # one column too many
    dump = tmp_path / "dump.csv"
    dump.write_text("id,title,body\n" + "\n".join(rows) + "\n", encoding="utf-8")
    index = tmp_path / "index"
    result = bahth("index", dump, "--index", index)
    assert result.exit_code == 0
    assert f"rejected: {dump}:4: 4 columns where the header has 3" in result.stderr
    counts = summary(result)
    assert (counts["read"], counts["added"], counts["rejected"]) == ("4", "3", "1")
    [reject] = rejects(index)
    assert (reject["file"], reject["line"]) == (str(dump), 4)
    assert indexed_ids(index) == ids(records) - {"c2"}

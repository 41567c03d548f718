"""Faulty input: each fault gives a clear message, a count in the report, and everything else
is still indexed. Through the CLI (CliRunner) and the API, on dumps written in tmp_path.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import random
import re
import signal
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from search import Indexer, Note, Progress, Reject, Searcher, layout
from search.cli import main
from tests.conftest import interruptible, jsonl

pytestmark = pytest.mark.usefixtures("engine")

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


@pytest.mark.slow
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


# --- field mappings (issue 11) -----------------------------------------------------------------


def test_field_mapping_the_wrong_way_round_is_a_usage_error_that_shows_the_right_way(
    tmp_path: Path,
) -> None:
    dump = tmp_path / "dump.jsonl"
    dump.write_text(jsonl(news("f", 3)), encoding="utf-8")
    result = bahth("index", dump, "--index", tmp_path / "index", "--field", "headline=title")
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert "'headline' is not one of our fields" in result.stderr
    assert "id, title, body, date, source, category, url, keywords" in result.stderr
    assert "OURS=THEIRS" in result.stderr
    assert "did you mean --field title=headline?" in result.stderr
    assert not (tmp_path / "index").exists()


def test_field_mapping_naming_no_field_of_ours_is_a_usage_error(tmp_path: Path) -> None:
    dump = tmp_path / "dump.jsonl"
    dump.write_text(jsonl(news("f", 3)), encoding="utf-8")
    result = bahth("index", dump, "--index", tmp_path / "index", "--field", "foo=bar")
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert "'foo' is not one of our fields (id, title, body," in result.stderr
    assert "our field first, then the dump's name for it" in result.stderr
    assert "did you mean" not in result.stderr


def test_field_mapped_to_a_column_no_record_has_is_warned_about(tmp_path: Path) -> None:
    records = news("f", 4)
    dump = tmp_path / "dump.jsonl"
    dump.write_text(jsonl(records), encoding="utf-8")
    index = tmp_path / "index"
    result = bahth("index", dump, "--index", index, "--field", "body=nosuchcol")
    assert result.exit_code == 0, result.output
    # the mapping found nothing, and so the articles have no body: one warning each
    lines = result.stderr.splitlines()
    title_only, warning = [line for line in lines if line.startswith("warning:")]
    assert "4 of 4 articles in" in title_only and "have a title and no body" in title_only
    assert "'nosuchcol'" in warning and "--field body=nosuchcol" in warning
    assert "id, title, body, date" in warning  # the fields the dump does have
    assert summary(result)["added"] == "4"  # read, by their titles, without a body
    with Searcher(index) as searcher:
        assert searcher.get("f0").body == ""


def test_field_mapped_to_a_csv_column_that_exists_gives_no_warning(tmp_path: Path) -> None:
    dump = tmp_path / "dump.csv"
    dump.write_text("id,headline,text\nc1,النفط يرتفع,نص الخبر\n", encoding="utf-8")
    index = tmp_path / "index"
    result = bahth(
        "index", dump, "--index", index, "--field", "title=headline", "--field", "body=text"
    )
    assert result.exit_code == 0, result.output
    assert "warning" not in result.stderr
    assert summary(result)["added"] == "1"
    with Searcher(index) as searcher:
        article = searcher.get("c1")
        assert (article.title, article.body) == ("النفط يرتفع", "نص الخبر")


# --- files that are not text -------------------------------------------------------------------


def test_binary_file_is_rejected_with_a_reason_and_the_others_indexed(tmp_path: Path) -> None:
    dumps = tmp_path / "dumps"
    dumps.mkdir()
    records = news("b", 3)
    (dumps / "a.jsonl").write_text(jsonl(records), encoding="utf-8")
    binary = dumps / "b.csv"
    binary.write_bytes(random.Random(0).randbytes(20_000))
    index = tmp_path / "index"
    result = bahth("index", dumps, "--index", index, ok=False)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert f"rejected: {binary}:0: not a text dump: it is binary data" in result.stderr
    assert summary(result)["rejected"] == "1"
    assert [(r["file"], r["line"]) for r in rejects(index)] == [(str(binary), 0)]
    assert indexed_ids(index) == ids(records)


def test_zip_archive_named_like_a_dump_is_read_as_an_archive(tmp_path: Path) -> None:
    archive = tmp_path / "dump.jsonl"  # named like a dump, as downloads often are
    records = news("z", 3)
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("dump.jsonl", jsonl(records))
    index = tmp_path / "index"
    result = bahth("index", archive, "--index", index)
    assert result.exit_code == 0, result.output
    assert summary(result)["added"] == "3"
    assert indexed_ids(index) == ids(records)


def test_damaged_zip_archive_alone_exits_non_zero(tmp_path: Path) -> None:
    archive = tmp_path / "dump.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("dump.jsonl", jsonl(news("z", 3)))
    archive.write_bytes(archive.read_bytes()[:40])  # a download cut short
    result = bahth("index", archive, "--index", tmp_path / "index", ok=False)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert f"{archive}:0: starts as a zip archive but cannot be opened as one" in result.stderr
    assert "nothing could be read" in result.stderr


# --- JSON arrays -------------------------------------------------------------------------------


def test_pretty_printed_json_array_is_read_like_json_lines(tmp_path: Path) -> None:
    records = news("a", 30)
    dump = tmp_path / "export.json.gz"
    dump.write_bytes(gzip.compress(json.dumps(records, ensure_ascii=False, indent=2).encode()))
    index = tmp_path / "index"
    result = bahth("index", dump, "--index", index)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    counts = summary(result)
    assert (counts["read"], counts["added"], counts["rejected"]) == ("30", "30", "0")
    assert indexed_ids(index) == ids(records)


def test_bad_elements_of_a_json_array_are_rejected_by_number_and_line(tmp_path: Path) -> None:
    records: list[object] = list(news("e", 5))
    records[1] = {**records[1], "title": 7}  # a wrong type
    records[3] = "not an article"
    dump = tmp_path / "export.json"
    dump.write_text(json.dumps(records, ensure_ascii=False, indent=2), encoding="utf-8")
    lines = dump.read_text(encoding="utf-8").splitlines()
    index = tmp_path / "index"
    result = bahth("index", dump, "--index", index)
    assert result.exit_code == 0, result.output
    # each element starts on the line of its "{" (the line before its first field)
    wrong_type = next(n for n, line in enumerate(lines, 1) if '"title": 7' in line) - 2
    string = next(n for n, line in enumerate(lines, 1) if "not an article" in line)
    assert (
        f"rejected: {dump}:{wrong_type}: element 2 of the JSON array: 'title' must be a "
        f"string, not a number"
    ) in result.stderr
    assert (
        f"rejected: {dump}:{string}: element 4 of the JSON array is a string, not a JSON object"
    ) in result.stderr
    counts = summary(result)
    assert (counts["read"], counts["added"], counts["rejected"]) == ("5", "3", "2")
    # a reject's raw is its element as written (here indented), not written again
    assert [(r["line"], json.loads(str(r["raw"]))) for r in rejects(index)] == [
        (wrong_type, records[1]),
        (string, "not an article"),
    ]
    assert indexed_ids(index) == {"e0", "e2", "e4"}


def test_json_array_broken_part_way_loses_only_the_broken_element_and_says_where(
    tmp_path: Path,
) -> None:
    records = news("k", 6)
    text = json.dumps(records, ensure_ascii=False, indent=2)
    cut = text.index('"k4"')  # inside the fifth element
    dump = tmp_path / "export.json"
    dump.write_text(text[:cut] + "oops" + text[cut:], encoding="utf-8")
    index = tmp_path / "index"
    result = bahth("index", dump, "--index", index)
    assert result.exit_code == 0, result.output
    line = text[:cut].count("\n") + 1  # the element starts on the line before, at its "{"
    assert (
        f"rejected: {dump}:{line - 1}: element 5 of the JSON array: invalid JSON at line "
        f"{line} column 11: Expecting value"
    ) in result.stderr
    assert indexed_ids(index) == ids(records[:4] + records[5:])


# --- nothing to read ---------------------------------------------------------------------------


def test_empty_file_alone_is_warned_about_and_exits_non_zero(tmp_path: Path) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    result = bahth("index", empty, "--index", tmp_path / "index", ok=False)
    assert result.exit_code == 1, result.output
    assert f"warning: {empty}: the file is empty: nothing to index" in result.stderr
    assert f"nothing could be read: no article in {empty}" in result.stderr
    assert "1 empty files" in summary(result)["rest"]


def test_empty_file_beside_others_is_warned_about_and_the_run_succeeds(tmp_path: Path) -> None:
    dumps = tmp_path / "dumps"
    dumps.mkdir()
    records = news("m", 3)
    (dumps / "a.jsonl").write_text(jsonl(records), encoding="utf-8")
    (dumps / "b.jsonl").write_text("\n\n", encoding="utf-8")  # blank lines only
    (dumps / "c.json").write_text("[]", encoding="utf-8")
    index = tmp_path / "index"
    result = bahth("index", dumps, "--index", index)
    assert result.exit_code == 0, result.output
    for name in ("b.jsonl", "c.json"):
        assert f"warning: {dumps / name}: no records in it: nothing to index" in result.stderr
    assert indexed_ids(index) == ids(records)


def test_run_where_every_record_is_rejected_exits_non_zero(tmp_path: Path) -> None:
    dump = tmp_path / "dump.jsonl"
    dump.write_text(jsonl(['{"id": 1, "title": ""}', "[1, 2]", "{bad"]), encoding="utf-8")
    index = tmp_path / "index"
    result = bahth("index", dump, "--index", index, ok=False)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.stderr.count("rejected: ") == 3
    assert f"nothing could be read: no article in {dump} (3 rejected)" in result.stderr
    assert summary(result)["rejected"] == "3"
    assert len(rejects(index)) == 3


# --- delete ------------------------------------------------------------------------------------


def test_delete_names_the_ids_that_are_not_in_the_index(tmp_path: Path) -> None:
    records = news("b", 3)
    dump = tmp_path / "dump.jsonl"
    dump.write_text(jsonl(records), encoding="utf-8")
    index = tmp_path / "index"
    Indexer(index).add_files([dump])
    result = bahth("delete", "b0", "b1", "nosuch", "--index", index)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"2 of 3 articles deleted from {index}\n"
    assert result.stderr == "not in the index: nosuch\n"
    assert indexed_ids(index) == {"b2"}


# --- Ctrl-C ------------------------------------------------------------------------------------


@pytest.mark.slow
def test_ctrl_c_during_a_two_worker_run_says_so_cleanly_and_leaves_no_debris(
    tmp_path: Path, engine: str
) -> None:
    index = tmp_path / "index"
    first = tmp_path / "first.jsonl"
    first.write_text(jsonl(news("old", 5)), encoding="utf-8")
    Indexer(index).add_files([first])
    generation = layout.require_current(index)
    before = sorted(os.listdir(generation))
    dump = tmp_path / "big.jsonl"
    records = jsonl(news("big", 4000, seed=1))
    # whoosh's run shows when its processes work (the segments they begin); the others have no
    # such sign and index 4,000 articles faster than a test can interrupt them: their dump is a
    # FIFO, fed whole but left open, so that the run is still reading when interrupted.
    fifo = engine != "whoosh"
    if fifo:
        os.mkfifo(dump)
    else:
        dump.write_text(records, encoding="utf-8")

    command = [sys.executable, "-c", "from search.cli import main; main()"]
    process = subprocess.Popen(
        [*command, "index", str(dump), "--index", str(index), "--workers", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a terminal's foreground job
        preexec_fn=interruptible,
    )
    with contextlib.ExitStack() as stack:
        if fifo:
            feed = stack.enter_context(open(dump, "w", encoding="utf-8"))
            feed.write(records)
            feed.flush()
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=2)  # the writer's threads take the articles meanwhile
        else:
            # Wait until the analyzing processes work: each writer (the parent's, then one
            # per process) opens a segment of its own.
            for _ in range(600):  # at most about two minutes on a very busy machine
                if len(_new_segments(generation, before)) >= 3:
                    break
                with contextlib.suppress(subprocess.TimeoutExpired):
                    process.wait(timeout=0.2)  # a pause that ends early if the run does
        assert process.poll() is None, "the run ended before it could be interrupted"
        os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C does: the whole foreground group
        stdout, stderr = process.communicate(timeout=120)

    assert process.returncode == 1, stderr
    assert "Traceback" not in stderr and "Error" not in stderr, stderr
    assert stderr.startswith("Interrupted. Nothing was committed; the live index at"), stderr
    assert stdout == ""
    assert sorted(os.listdir(generation)) == before  # no segment files, no temporary files
    assert indexed_ids(index) == ids(news("old", 5))


def _new_segments(generation: Path, before: list[str]) -> set[str]:
    """The ids of the segments begun in ``generation`` since ``before`` was listed."""
    return {
        name.partition(".")[0]
        for name in set(os.listdir(generation)) - set(before)
        if name.startswith("MAIN_") and name != "MAIN_WRITELOCK"
    }

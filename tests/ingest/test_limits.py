"""The limits every reader keeps (search/ingest/limits.py): a record too large or nested too
deep costs that record, never the file or the run; blank lines are read in runs and bounded;
memory follows the limit, not the input (tracemalloc); ``--max-record-mb`` sets the limit. Real
files in tmp_path. (NUL bytes and surrogates: test_isolation.py.)
"""

from __future__ import annotations

import gzip
import json
import tracemalloc
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from search.article import Article
from search.cli import main
from search.cli.indexing import MAX_RECORD_MB, MIB
from search.ingest import MAX_RECORD_BYTES, Note, Reject, read_dump
from search.ingest.fields import FieldMap
from search.ingest.jsonarray import read_json_array
from search.ingest.limits import Limits, size_text
from search.ingest.open import StreamBroken, open_text
from tests.ingest.conftest import Split

Write = Callable[..., Path]
KB = 1024


def line(**fields: object) -> str:
    return json.dumps(fields, ensure_ascii=False) + "\n"


def good(n: int) -> dict[str, str]:
    return {"id": f"g{n}", "title": f"عنوان {n}", "body": "نص الخبر " * 10}


def peak(records: Iterable[object]) -> tuple[list[object], int]:
    """The records, and the most memory Python held while they were read (tracemalloc)."""
    tracemalloc.start()
    try:
        found = list(records)
        return found, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def outline(records: Iterable[object]) -> list[tuple[str, int | str]]:
    """Each record as (kind, id) for an article, (kind, line) for a reject or note."""
    shown: list[tuple[str, int | str]] = []
    for record in records:
        if isinstance(record, Article):
            shown.append(("Article", record.id))
        elif isinstance(record, Reject):
            shown.append(("Reject", record.line))
        elif isinstance(record, Note):
            shown.append((record.kind, record.line))
    return shown


def test_the_cli_default_is_the_library_default() -> None:
    assert MAX_RECORD_MB * MIB == MAX_RECORD_BYTES == Limits().record_bytes == 16 * MIB


@pytest.mark.parametrize("bad", [0, -1, 1.5, "16"])
def test_max_record_bytes_must_be_a_positive_integer(write: Write, bad: object) -> None:
    path = write("a.jsonl", line(**good(1)))
    with pytest.raises(ValueError, match="max_record_bytes must be a positive integer"):
        read_dump(path, max_record_bytes=bad)  # type: ignore[arg-type]


# --- records larger than the limit ------------------------------------------------------------


@pytest.mark.parametrize("name", ["a.jsonl", "a.jsonl.gz"])
def test_a_line_over_the_limit_is_a_reject_and_the_next_line_is_read(
    write: Write, name: str
) -> None:
    long = line(id="long", title="طويل", body="كلمة " * 2_000)  # 18,035 bytes
    path = write(name, line(**good(1)) + long + line(**good(2)))
    first, reject, last = read_dump(path, max_record_bytes=10 * KB)
    assert isinstance(first, Article) and isinstance(last, Article) and last.origin == f"{path}:3"
    assert reject == Reject(
        str(path),
        2,
        f"line 2 is {len(long.encode()):,} bytes, more than the limit of 10,240 bytes a record "
        "(--max-record-mb): skipped",
        long.encode()[:2048].decode("utf-8", "replace"),
    )


def test_a_long_line_is_read_past_without_being_held(write: Write) -> None:
    # 40 MB on one line, a limit of 1 MiB: memory holds the limit and a chunk, not the line.
    path = write("a.jsonl", line(**good(1)) + "x" * 40_000_000 + "\n" + line(**good(2)))
    records, most = peak(read_dump(path, max_record_bytes=MIB))
    assert outline(records) == [("Article", "g1"), ("Reject", 2), ("Article", "g2")]
    assert most < 6 * MIB, size_text(most)


def test_a_line_at_the_limit_is_read(write: Write) -> None:
    record = line(id="x", title="عنوان", body="ن" * 5_000)
    path = write("a.jsonl", record)
    [article] = read_dump(path, max_record_bytes=len(record.encode()))
    assert isinstance(article, Article) and len(article.body) == 5_000


def test_an_element_over_the_limit_is_a_reject_and_the_next_one_is_read(write: Write) -> None:
    big = {"id": "big", "title": "كبير", "body": "كلمة " * 30_000}
    text = json.dumps([good(1), big, good(2)], ensure_ascii=False, indent=1)
    records, most = peak(read_dump(write("a.json", text), max_record_bytes=64 * KB))
    assert outline(records) == [("Article", "g1"), ("Reject", 7), ("Article", "g2")]
    reject = records[1]
    assert isinstance(reject, Reject) and reject.reason == (
        "element 2 of the JSON array runs past the limit of 65,536 bytes a record "
        "(--max-record-mb): skipped"
    )
    assert reject.raw is not None and reject.raw.startswith('{\n  "id": "big"')
    assert most < 2 * MIB, size_text(most)


def test_a_csv_row_over_the_limit_is_a_reject_and_the_next_rows_are_read(write: Write) -> None:
    body = "فقرة طويلة\n" * 2_000  # a quoted body of 2,000 lines
    text = f'id,title,body\n1,أول,نص\n2,طويل,"{body}"\n3,ثالث,نص\n'
    path = write("a.csv", text)
    first, reject, last = read_dump(path, max_record_bytes=4 * KB)
    assert isinstance(first, Article) and isinstance(last, Article) and last.id == "3"
    assert last.origin == f"{path}:2004"
    assert reject == Reject(
        str(path),
        3,
        "the row at line 3 runs past the limit of 4,096 bytes a record (--max-record-mb): "
        "skipped (the row spans lines 3-2003)",
        ('2,طويل,"' + body)[:1024],  # the start of the row, for the rejects file
    )


@pytest.mark.slow
def test_a_csv_quote_that_never_closes_is_one_reject_and_memory_stays_bounded(
    write: Write,
) -> None:
    rest = "كلام بلا نهاية، وفيه فواصل\n" * 200_000  # 9 MB after an open quote
    text = f'id,title,body\n1,أول,نص\n2,"مفتوح,نص\n{rest}'
    records, most = peak(read_dump(write("a.csv", text), max_record_bytes=64 * KB))
    assert outline(records) == [("Article", "1"), ("Reject", 3)]
    reject = records[1]
    assert isinstance(reject, Reject) and reject.reason == (
        "the row at line 3 runs past the limit of 65,536 bytes a record (--max-record-mb): "
        "skipped; a quoted field opened in it never closes (an unbalanced quote?): lines "
        "3-200003, to the end of the file, were not read"
    )
    assert most < 2 * MIB, size_text(most)


def test_a_doc_over_the_limit_is_a_reject_and_the_next_doc_is_read(write: Write) -> None:
    big = "<DOC id=BIG>\n<TEXT>\n" + "كلام كثير في الخبر\n" * 1_000 + "</TEXT>\n</DOC>\n"
    text = f"{big}<DOC id=NEXT>\n<TEXT>\nنص\n</TEXT>\n</DOC>\n"
    reject, article = read_dump(write("a.sgml", text), max_record_bytes=4 * KB)
    assert isinstance(article, Article) and article.id == "NEXT"
    assert isinstance(reject, Reject) and reject.line == 1
    assert reject.reason == (
        "<DOC> at line 1 runs past the limit of 4,096 bytes a record (--max-record-mb) without "
        "</DOC>: skipped"
    )


def test_a_page_over_the_limit_is_a_reject(write: Write) -> None:
    [reject] = read_dump(
        write("page.txt", "عنوان\n" + "فقرة من النص\n" * 1_000), max_record_bytes=4 * KB
    )
    assert isinstance(reject, Reject) and reject.reason == (
        "the page runs past the limit of 4,096 bytes a record (--max-record-mb): skipped"
    )


def test_a_parquet_row_over_the_limit_is_a_reject(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "a.parquet"
    bodies = ["نص", "ن" * 10_000, "نص"]
    pq.write_table(pa.table({"title": ["أ", "ب", "ج"], "body": bodies}), path)
    first, reject, last = read_dump(path, max_record_bytes=4 * KB)
    assert isinstance(first, Article) and isinstance(last, Article) and last.title == "ج"
    assert reject == Reject(
        str(path),
        2,
        "the text of row 2 runs past the limit of 4,096 bytes a record (--max-record-mb): skipped",
    )


# --- nesting -----------------------------------------------------------------------------------


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.slow
def test_an_element_nested_100000_deep_is_a_reject_between_two_articles(write: Write) -> None:
    text = f"[{json.dumps(good(1))},\n{nested(100_000)},\n{json.dumps(good(2))}]"
    records, most = peak(read_dump(write("a.json", text)))
    assert outline(records) == [("Article", "g1"), ("Reject", 2), ("Article", "g2")]
    reject = records[1]
    assert isinstance(reject, Reject) and reject.reason == (
        "element 2 of the JSON array is nested more than 100 levels deep: skipped"
    )
    assert reject.raw == "[" * 1024  # its start, for the rejects file
    assert most < MIB, size_text(most)  # the 200 KB file; nothing of the element is built


@pytest.mark.parametrize(("depth", "read"), [(99, True), (100, False)])
def test_an_element_may_nest_100_levels(write: Write, depth: int, read: bool) -> None:
    record = {**good(1), "extra": json.loads(nested(depth))}  # the object is one level more
    [found] = read_dump(write("a.json", json.dumps([record])))
    assert isinstance(found, Article) is read, found


@pytest.mark.parametrize("depth", [1_000, 30_000])
def test_a_jsonl_line_nested_deep_is_a_reject(write: Write, depth: int) -> None:
    path = write("a.jsonl", line(**good(1)) + nested(depth) + "\n" + line(**good(2)))
    first, reject, last = read_dump(path)
    assert isinstance(first, Article) and isinstance(last, Article)
    assert isinstance(reject, Reject) and reject.reason == "invalid JSON: nested too deeply"


# --- blank lines -------------------------------------------------------------------------------


BLANK = "\n" * 100_000 + "  \r\n\t\n" * 1_000  # 102,000 line endings


@pytest.mark.parametrize(
    ("name", "text", "second"),
    [
        ("a.jsonl.gz", line(**good(1)) + BLANK + line(**good(2)), 102_002),
        ("a.csv", "id,title,body\n1,أ,نص\n" + BLANK + "2,ب,نص\n", 102_003),
        ("a.sgml", "<DOC id=1><TEXT>نص</TEXT></DOC>\n" + BLANK + "<DOC id=2>نص</DOC>\n", 102_002),
        ("a.json", "[" + json.dumps(good(1)) + "," + BLANK + json.dumps(good(2)) + "]\n", 102_001),
    ],
)  # fmt: skip
def test_blank_lines_come_in_runs_and_keep_the_line_numbers(
    write: Write, split: Split, name: str, text: str, second: int
) -> None:
    path = write(name, text)
    with open_text(path) as dump:
        assert sum(1 for _ in dump.lines()) < 100  # not 102,000
    articles, rejects, _ = split(read_dump(path))
    assert rejects == [] and len(articles) == 2
    assert articles[1].origin == f"{path}:{second}"


@pytest.mark.slow
@pytest.mark.parametrize("name", ["blank.jsonl.gz", "blank.json.gz"])
def test_more_than_64_mib_of_newlines_ends_the_file(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    with gzip.open(path, "wb", compresslevel=1) as out:
        out.write(b"[" if name.endswith(".json.gz") else b"")
        for _ in range(66):
            out.write(b"\n" * MIB)
        out.write(json.dumps(good(1)).encode())
    [reject] = read_dump(path)
    assert isinstance(reject, Reject)
    assert reject.reason.startswith("more than 64 MiB of blank lines in a row, up to line ")
    assert reject.reason.endswith(": the rest of the file is not read")


def test_the_blank_bound_is_of_blank_lines_in_a_row(write: Write) -> None:
    text = ("\n" * 3_000 + line(**good(1))) * 10  # 30,000 blank lines, 3,000 in a row
    with open_text(write("a.jsonl", text)) as dump:
        assert sum(bool(line.strip()) for line in dump.lines(Limits(blank_bytes=4_000))) == 10
    with (
        open_text(write("b.jsonl", "\n" * 5_000 + line(**good(1)))) as dump,
        pytest.raises(StreamBroken, match="more than 4,000 bytes of blank lines in a row"),
    ):
        list(dump.lines(Limits(blank_bytes=4_000)))


# --- the CLI -----------------------------------------------------------------------------------


def two_mib_line(tmp_path: Path) -> Path:
    dump = tmp_path / "a.jsonl"
    big = line(id="big", title="كبير", body="ن" * 1_200_000)  # 2.3 MiB
    dump.write_text(line(**good(1)) + big, encoding="utf-8")
    return dump


@pytest.mark.slow
@pytest.mark.usefixtures("engine")
@pytest.mark.parametrize("command", ["index", "rebuild"])
def test_max_record_mb_sets_the_limit(tmp_path: Path, command: str) -> None:
    dump, index = two_mib_line(tmp_path), tmp_path / "index"
    for limit, rejected in (("1", "1 rejected"), ("3", "0 rejected")):
        args = [command, str(dump), "--index", str(index), "--max-record-mb", limit, "-q"]
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, result.output
        assert rejected in result.stdout
    assert f"{dump}:2: line 2 is 2.3 MiB, more than the limit of 1 MiB a record" in (
        CliRunner()
        .invoke(
            main, ["index", str(dump), "--index", str(index), "--dry-run", "--max-record-mb", "1"]
        )
        .stderr
    )


def test_max_record_mb_must_be_positive(tmp_path: Path) -> None:
    args = ["index", str(two_mib_line(tmp_path)), "--index", str(tmp_path / "ix")]
    result = CliRunner().invoke(main, [*args, "--max-record-mb", "0"])
    assert result.exit_code == 2
    assert "--max-record-mb" in result.stderr


# --- the JSON array scanner --------------------------------------------------------------------

TRICKY: list[dict[str, object]] = [
    {"title": 'a "quoted" \\ backslash \\\\', "body": "[{not brackets}]", "id": "1"},
    {"title": "\\", "body": '"', "id": "2"},
    {"title": "x", "body": "y", "list": [[], {}, [[{"a": "]"}]]], "id": "3"},
]


def pieces_of(data: bytes, size: int) -> Iterator[tuple[int, bytes]]:
    for start in range(0, len(data), size):
        yield 1, data[start : start + size]


@pytest.mark.parametrize("size", [1, 2, 3, 5, 7, 64])
def test_the_scanner_finds_elements_wherever_the_pieces_cut(size: int) -> None:
    data = json.dumps([*TRICKY, "a string", 42, None, True, -1.5e3], ensure_ascii=False).encode()
    records = list(read_json_array(pieces_of(data, size), "a.json", FieldMap()))
    assert [r.id for r in records if isinstance(r, Article)] == ["1", "2", "3"]
    assert [(r.raw, r.reason.split(" is ")[1]) for r in records if isinstance(r, Reject)] == [
        ('"a string"', "a string, not a JSON object"),
        ("42", "a number, not a JSON object"),
        ("null", "null, not a JSON object"),
        ("true", "a boolean, not a JSON object"),
        ("-1500.0", "a number, not a JSON object"),
    ]
    articles = {r.id: r for r in records if isinstance(r, Article)}
    assert articles["1"].title == TRICKY[0]["title"] and articles["2"].body == '"'


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[{"body": "أ"},]', [("Article", "")]),  # a comma before the end: allowed
        ('[{"body": "أ"} {"body": "ب"}]', [("Article", ""), ("Reject", 1), ("Article", "")]),
        ('[{"body": "أ"},,{"body": "ب"}]', [("Article", ""), ("Reject", 1), ("Article", "")]),
        # a form feed is no JSON whitespace: an element of its own (it looped, once)
        (
            '[{"body": "أ"}\x0c, {"body": "ب"}]',
            [("Article", ""), ("Reject", 1), ("Reject", 1), ("Article", "")],
        ),
        ("[]", [("empty", 0)]),
        ("[", [("Reject", 1)]),
    ],
)
def test_the_scanner_reads_on_past_a_broken_array(
    write: Write, text: str, expected: list[tuple[str, int | str]]
) -> None:
    records = list(read_dump(write("a.json", text)))
    assert [(kind, "" if kind == "Article" else at) for kind, at in outline(records)] == expected

"""Per-record isolation at ingest: a raw NUL byte costs the line (or the record) it is on, not
the file; an escaped ``\\u0000`` is text; lone surrogates are replaced with U+FFFD and counted,
so that no article carries one; a value Python cannot hold costs its row. Real files in
tmp_path, and a run through each engine.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from search import Indexer
from search.article import Article
from search.ingest import Note, Reject, read_dump
from tests.ingest.test_limits import good, line, outline

Write = Callable[..., Path]


def test_a_raw_nul_rejects_its_line_not_the_file(write: Write) -> None:
    path = write(
        "a.jsonl", line(**good(1)) + '{"title": "a\x00b"}\n' + line(**good(2)) + line(**good(3))
    )
    first, reject, *rest = read_dump(path)
    assert [type(r) for r in (first, *rest)] == [Article] * 3
    assert reject == Reject(
        str(path),
        2,
        "line 2 holds a NUL byte, at column 13 (binary data in a text file?): not read",
        '{"title": "a\x00b"}',
    )


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("a.csv", 'id,title,body\n1,أ,"نص\nفيه\x00 صفر\nوبعده"\n2,ب,نص\n',
         [("Reject", 2), ("Article", "2")]),
        ("a.sgml", "<DOC id=1>\n<TEXT>\nنص\x00\n</TEXT>\n</DOC>\n<DOC id=2>نص</DOC>\n",
         [("Reject", 1), ("Article", "2")]),
        ("a.sgml", "نص\x00\n<DOC id=2>نص</DOC>\n", [("Reject", 1), ("Article", "2")]),
        ("page.txt", "عنوان\nنص\x00\n", [("Reject", 2)]),
    ],
)  # fmt: skip
def test_a_raw_nul_rejects_the_record_it_is_in(
    write: Write, name: str, text: str, expected: list[tuple[str, int | str]]
) -> None:
    records = list(read_dump(write(name, text)))
    assert outline(records) == expected
    assert "holds a NUL byte" in str(records[0])


def test_a_file_of_nuls_is_still_rejected_whole(write: Write) -> None:
    [reject] = read_dump(write("a.jsonl", line(**good(1)) + "\x00" * 2_000))
    assert isinstance(reject, Reject) and reject.line == 0
    assert reject.reason.startswith(
        "not a text dump: it is binary data (2000 control bytes, 2000 of them NUL, in its first"
    )


def test_an_escaped_nul_is_text(write: Write) -> None:
    path = write("a.jsonl", '{"id": "n", "title": "قبل\\u0000بعد", "body": "\\u0000"}\n')
    [article] = read_dump(path)
    assert isinstance(article, Article) and article.title == "قبل\x00بعد"


SURROGATES = (  # five lone ones, escaped (a pair, \\ud83d\\ude00, is an emoji)
    '{"id": "s\\ud800", "title": "عنوان \\udfff", "body": "نص \\ud83d\\ude00 \\uDBFF", '
    '"keywords": ["\\ud800"], "\\udc00x": 1}'
)


@pytest.mark.parametrize("name", ["a.jsonl", "a.json"])
def test_lone_surrogates_are_replaced_and_counted(write: Write, name: str) -> None:
    text = line(**good(1)) + SURROGATES + "\n" + line(**good(2))
    if name == "a.json":
        text = "[" + text.replace("}\n", "},\n", 2) + "]"
    first, article, last, note = read_dump(write(name, text))
    assert isinstance(article, Article)
    assert (article.id, article.title, article.body, article.keywords) == (
        "s\ufffd",
        "عنوان \ufffd",
        "نص 😀 \ufffd",
        ("\ufffd",),
    )
    for value in (article.id, article.title, article.body, *article.keywords):
        value.encode("utf-8")  # every engine can store it
    assert isinstance(note, Note) and (note.kind, note.line, note.count) == ("repaired", 2, 5)
    assert note.message.startswith("5 lone surrogate(s) (JSON escapes such as \\ud800) replaced")
    assert isinstance(first, Article) and isinstance(last, Article)


@pytest.mark.usefixtures("engine")
def test_a_run_with_surrogates_and_nuls_indexes_and_reports_them(tmp_path: Path) -> None:
    dump = tmp_path / "a.jsonl"
    dump.write_text(
        line(**good(1)) + SURROGATES + "\n" + '{"title": "x\x00"}\n' + line(**good(2)),
        encoding="utf-8",
    )
    report = Indexer(tmp_path / "index").add_files([dump])
    assert (report.added, report.rejected, report.repaired) == (3, 1, 5)
    assert "1 rejected" in report.summary()
    assert "5 lone surrogates replaced (U+FFFD)" in report.summary()


def test_a_parquet_value_python_cannot_hold_costs_its_row_only(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "a.parquet"
    dates = pa.array([0, 10**15, 86_400], type=pa.timestamp("s"))  # 10**15 s: past year 9999
    table = pa.table({"title": ["أ", "ب", "ج"], "body": ["نص"] * 3, "date": dates})
    pq.write_table(table, path)
    first, reject, last = read_dump(path)
    assert isinstance(first, Article) and isinstance(last, Article)
    assert last.date is not None and last.date.isoformat() == "1970-01-02"
    assert isinstance(reject, Reject) and reject.line == 2
    assert reject.reason.startswith("column 'date': cannot be read: ")
    assert reject.reason.endswith("(OverflowError)")

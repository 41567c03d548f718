"""JSON arrays of articles (read as a stream), files that are not text, files with no record."""

from __future__ import annotations

import gzip
import itertools
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from search.article import Article
from search.ingest import read_dump
from search.ingest.fields import FieldMap
from search.ingest.jsonl import read_json_array
from search.ingest.open import open_text
from search.ingest.records import Note, Reject
from tests.ingest.conftest import Split

Write = Callable[..., Path]


def articles(count: int) -> list[dict[str, object]]:
    return [{"id": f"a{n}", "title": f"عنوان {n}", "body": "نص " * 5} for n in range(count)]


@pytest.mark.parametrize("indent", [None, 2, "\t"])
@pytest.mark.parametrize("name", ["export.json", "export.json.gz", "export.jsonl.xz", "export"])
def test_arrays_are_read_whatever_their_layout_name_or_compression(
    write: Write, split: Split, indent: int | str | None, name: str
) -> None:
    records = articles(25)
    path = write(name, "\ufeff\n  " + json.dumps(records, ensure_ascii=False, indent=indent))
    found, rejects, notes = split(read_dump(path))
    assert (rejects, notes) == ([], [])
    assert [a.id for a in found] == [r["id"] for r in records]
    assert [a.title for a in found] == [r["title"] for r in records]


def test_an_article_from_an_array_has_the_line_its_element_starts_on(write: Write) -> None:
    path = write("a.json", json.dumps(articles(3), ensure_ascii=False, indent=2))
    lines = path.read_text(encoding="utf-8").splitlines()
    starts = [n for n, text in enumerate(lines, 1) if text == "  {"]
    assert [a.origin for a in read_dump(path)] == [f"{path}:{n}" for n in starts]


def test_bad_elements_are_rejects_naming_their_number_and_the_rest_is_read(write: Write) -> None:
    records: list[object] = [*articles(2), 42, {"title": ["x"]}, None, *articles(1)]
    path = write("a.json", "[" + ",\n".join(json.dumps(r) for r in records) + "]")
    result = list(read_dump(path))
    assert [str(r) for r in result if isinstance(r, Reject)] == [
        f"{path}:3: element 3 of the JSON array is a number, not a JSON object",
        f"{path}:4: element 4 of the JSON array: 'title' must be a string, not a list",
        f"{path}:5: element 5 of the JSON array is null, not a JSON object",
    ]
    assert [r.raw for r in result if isinstance(r, Reject)] == ["42", '{"title": ["x"]}', "null"]
    assert [type(r) for r in result].count(Article) == 3


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ('[{"title": "أ", "body": "ن"}, {"title": "ب"', "invalid JSON array in element 2: the"),
        ('[{"title": "أ", "body": "ن"}]\n[{"title": "ب"}]', "text after the end of the JSON arr"),
    ],
)
def test_a_cut_or_a_second_array_stops_the_file_with_a_reject_after_what_could_be_read(
    write: Write, text: str, reason: str
) -> None:
    first, reject = read_dump(write("a.json", text))
    assert isinstance(first, Article) and first.title == "أ"
    assert isinstance(reject, Reject) and reject.reason.startswith(reason), reject


def test_an_element_that_is_not_json_is_a_reject_and_the_next_ones_are_read(
    write: Write,
) -> None:
    # Each element is parsed alone, so invalid JSON costs its element only (it used to end
    # the file there: one parser for the whole array cannot tell where the next one starts).
    text = '[{"title": "أ", "body": "ن"},\n{"title": no},\n {"title": "ب", "body": "ن"}]'
    first, reject, last = read_dump(write("a.json", text))
    assert isinstance(first, Article) and isinstance(last, Article) and last.title == "ب"
    assert isinstance(reject, Reject) and (reject.line, reject.raw) == (2, '{"title": no}')
    assert reject.reason == (
        "element 2 of the JSON array: invalid JSON at line 2 column 11: Expecting value"
    )


def test_a_truncated_compressed_array_is_a_reject_after_its_complete_elements(
    tmp_path: Path, split: Split
) -> None:
    data = gzip.compress(json.dumps(articles(400), indent=1).encode())
    path = tmp_path / "a.json.gz"
    path.write_bytes(data[: len(data) // 2])
    found, [reject], _ = split(read_dump(path))
    assert 0 < len(found) < 400
    assert "truncated" in reject.reason


def test_an_array_streams_in_small_pieces(tmp_path: Path) -> None:
    # One line of several megabytes (json.dump without indent) must not be read whole.
    path = tmp_path / "a.json"
    path.write_text(json.dumps(articles(40_000), ensure_ascii=False), encoding="utf-8")
    assert path.stat().st_size > 3_000_000
    with open_text(path) as source:
        sizes = [len(piece) for _, piece in source.pieces()]
    # (a piece may carry the last bytes of a character the one before it cut)
    assert max(sizes) <= 64 * 1024 + 3 and sum(sizes) == path.stat().st_size

    def endless() -> Iterator[tuple[int, bytes]]:  # an array that never ends
        yield 1, b"["
        for n in itertools.count():
            yield 1, json.dumps({"title": f"t{n}"}).encode() + b","

    first = list(itertools.islice(read_json_array(endless(), "a.json", FieldMap()), 3))
    assert [a.title for a in first if isinstance(a, Article)] == ["t0", "t1", "t2"]


def test_invalid_utf8_in_an_array_is_replaced_and_noted(write: Write, split: Split) -> None:
    data = b'[{"title": "b\xff", "body": "x"},\n {"title": "c", "body": "x"}]'
    found, rejects, notes = split(read_dump(write("a.json", data)))
    assert [a.title for a in found] == ["b\ufffd", "c"] and rejects == []
    assert [(n.kind, n.line) for n in notes] == [("encoding", 1)]


# --- not text ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"%PDF-1.7\n" + bytes(100), "a PDF document"),
        (b"SQLite format 3\x00" + bytes(100), "an SQLite database"),
        ("title,body\n".encode("utf-16"), "UTF-16 text (convert it to UTF-8"),
        (bytes(range(256)) * 4, "binary data (108 control bytes, 4 of them NUL, in its first"),
        (b"\x01\x02\x03\x04 abc" * 100, "binary data (400 control bytes"),
        ("title,body\nنص,عربي\n".encode("cp1256") * 20, "not UTF-8: binary data, or text"),
    ],
)
def test_a_file_that_is_not_text_is_rejected_whole_with_what_it_looks_like(
    write: Write, data: bytes, reason: str
) -> None:
    [reject] = read_dump(write("dump.csv", data))
    assert isinstance(reject, Reject) and reject.line == 0
    assert reject.reason.startswith(f"not a text dump: it is {reason}"), reject.reason


def test_a_file_that_starts_as_a_zip_but_is_none_is_rejected_whole(write: Write) -> None:
    [reject] = read_dump(write("dump.csv", b"PK\x03\x04" + bytes(100)))
    assert isinstance(reject, Reject) and reject.line == 0
    assert reject.reason.startswith("starts as a zip archive but cannot be opened as one")


def test_a_compressed_file_that_is_not_text_says_so(write: Write) -> None:
    [reject] = read_dump(write("dump.jsonl.gz", bytes(1000)))
    assert isinstance(reject, Reject)
    assert reject.reason.startswith("not a text dump: its gzip data is binary data")


def test_a_tar_archive_is_named(tmp_path: Path) -> None:
    import tarfile

    inner = tmp_path / "news.jsonl"
    inner.write_text(json.dumps(articles(1)[0]) + "\n", encoding="utf-8")
    archive = tmp_path / "dump.jsonl.gz"  # a .tar.gz renamed
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(inner, arcname="news.jsonl")
    [reject] = read_dump(archive)
    assert isinstance(reject, Reject)
    assert reject.reason == (
        "not a text dump: its gzip data is a tar archive (extract it first: tar -xf)"
    )


# --- no records --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("a.jsonl", "", "the file is empty: nothing to index"),
        ("a.jsonl.gz", "", "no records in it: nothing to index"),  # gzip has a header
        ("a.jsonl", "\n  \n", "no records in it: nothing to index"),
        ("a.json", "[ ]", "no records in it: nothing to index"),
        ("a.csv", "id,title,body\n", "no records in it: nothing to index"),
    ],
)
def test_a_file_with_no_record_gives_an_empty_note(
    write: Write, name: str, content: str, message: str
) -> None:
    path = write(name, content)
    assert list(read_dump(path)) == [Note(str(path), 0, "empty", message)]


def test_a_mapping_no_record_has_gives_one_field_note_at_the_end(write: Write) -> None:
    first = write("a.jsonl", json.dumps({"id": "1", "headline": "أ", "text": "نص"}) + "\n")
    second = write("b.csv", "id,headline,text\n2,ب,نص\n")
    fields = {"title": "headline", "body": "content", "source": "site"}
    records = list(read_dump([first, second], fields=fields))
    assert [type(r) for r in records].count(Article) == 2
    field_notes = [r for r in records if isinstance(r, Note) and r.kind == "field"]
    assert [(n.file, n.line) for n in field_notes] == [("", 0)] * 2
    assert records.index(field_notes[0]) > records.index(
        next(r for r in records[1:] if type(r) is Article)
    )
    body, source = (str(n) for n in field_notes)
    assert body.startswith("no record had a value for 'content', mapped to our 'body'")
    assert body.endswith("(the first record's fields: id, headline, text)")
    assert "'site', mapped to our 'source'" in source

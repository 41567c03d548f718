"""Parquet dumps (pyarrow): rows -> articles, with the field detection of JSON and CSV."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from search.article import Article
from search.ingest import Note, Reject, read_dump
from tests.conftest import ROOT
from tests.ingest.conftest import Split

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

Write = Callable[..., Path]

BODY = "قال المتحدث باسم الوزارة إن الاجتماع تناول سبل تعزيز التعاون بين البلدين."

RECORDS: list[dict[str, object]] = [
    {
        "id": 101,
        "headline": "مجلس الأمن يصادق على الاتفاق",
        "content": BODY,
        "date_extracted": "2015-07-21 02:51:32",
        "site": "aawsat",
        "tags": ["سياسة", "دولي"],
        "keywords": ["مجلس الأمن", "الاتفاق النووي"],
        "link": "http://aawsat.com/node/411671",
    },
    {
        "id": 102,
        "headline": "ارتفاع أسعار النفط",
        "content": None,
        "date_extracted": "منذ ساعتين",
        "site": None,
        "tags": [],
        "keywords": [],
        "link": None,
    },
    {
        "id": 103,
        "headline": "",
        "content": f"{BODY}\nفقرة ثانية.",
        "date_extracted": "21/07/2015",
        "site": "sabq",
        "tags": ["اقتصاد"],
        "keywords": ["النفط"],
        "link": "http://sabq.org/x",
    },
]


def parquet(path: Path, rows: list[dict[str, object]] | pa.Table, **options: object) -> Path:
    """Write ``rows`` to ``path`` as Parquet; returns the path."""
    table = rows if isinstance(rows, pa.Table) else pa.Table.from_pylist(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path, **options)
    return path


def without_origin(records: list[Article]) -> list[Article]:
    return [dataclasses.replace(a, origin=None) for a in records]


def test_the_same_records_read_alike_from_parquet_and_jsonl(
    write: Write, tmp_path: Path, split: Split
) -> None:
    lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in RECORDS)
    from_json, json_rejects, json_notes = split(read_dump(write("news.jsonl", lines)))
    path = parquet(tmp_path / "news.parquet", RECORDS)
    from_parquet, rejects, notes = split(read_dump(path))
    assert rejects == json_rejects == []
    assert without_origin(from_parquet) == without_origin(from_json)
    assert [a.origin for a in from_parquet] == [f"{path}:{n}" for n in (1, 2, 3)]
    assert [n for n in notes if n.kind != "date"] == [n for n in json_notes if n.kind != "date"]
    assert [str(n) for n in notes if n.kind == "date"] == [f"{path}:2: unparsed date 'منذ ساعتين'"]
    first = from_parquet[0]
    assert (first.id, first.title, first.body, first.date) == (
        "101", RECORDS[0]["headline"], BODY, dt.date(2015, 7, 21))  # fmt: skip
    assert (first.source, first.category, first.url) == (
        "aawsat", "سياسة", "http://aawsat.com/node/411671")  # fmt: skip
    assert first.keywords == ("مجلس الأمن", "الاتفاق النووي")
    assert notes[-1].message == (
        "fields: title ← headline, body ← content, date ← date_extracted, source ← site, "
        "category ← tags, url ← link"
    )


def test_parquet_dates_timestamps_and_integer_ids(tmp_path: Path, split: Split) -> None:
    riyadh = pa.timestamp("ms", tz="Asia/Riyadh")
    table = pa.table(
        {
            "id": pa.array([7, 8, 9], pa.int64()),
            "title": ["أ", "ب", "ج"],
            "body": [BODY] * 3,
            "date": pa.array([dt.date(2015, 7, 21), None, dt.date(1999, 12, 31)], pa.date32()),
        }
    )
    articles, rejects, notes = split(read_dump(parquet(tmp_path / "dates.parquet", table)))
    assert (rejects, notes) == ([], [])
    assert [(a.id, a.date, a.date_text) for a in articles] == [
        ("7", dt.date(2015, 7, 21), "2015-07-21"),
        ("8", None, None),
        ("9", dt.date(1999, 12, 31), "1999-12-31"),
    ]
    # 23:30 UTC is already the next day in Riyadh: the day is the one the zone writes
    utc = dt.datetime(2015, 7, 21, 23, 30, tzinfo=dt.UTC)
    table = pa.table(
        {"title": ["أ", "ب"], "body": [BODY] * 2, "published": pa.array([utc, None], riyadh)}
    )
    articles, rejects, notes = split(read_dump(parquet(tmp_path / "stamps.parquet", table)))
    assert [(a.date, a.date_text) for a in articles] == [
        (dt.date(2015, 7, 22), "2015-07-22T02:30:00+03:00"),
        (None, None),
    ]
    assert rejects == [] and [n.kind for n in notes] == ["fields"]


def test_a_column_of_embeddings_is_not_needed_and_does_no_harm(
    tmp_path: Path, split: Split
) -> None:
    table = pa.table(
        {
            "id": pa.array([1, 2, 3], pa.int32()),
            "title": ["أ", None, "ج"],
            "embedding": pa.array([[0.25] * 768] * 3, pa.list_(pa.float32())),
            "body": [BODY, None, BODY],
            "date": pa.array([dt.date(2015, 7, 21)] * 3, pa.date32()),
        }
    )
    path = parquet(tmp_path / "embedded.parquet", table)
    articles, rejects, notes = split(read_dump(path))
    assert [(a.id, a.title, a.body) for a in articles] == [("1", "أ", BODY), ("3", "ج", BODY)]
    assert notes == []
    # a row with neither title nor body: a reject with its row number and the row as JSON
    # (the columns read: the embedding is not)
    (reject,) = rejects
    assert (str(reject), reject.line) == (f"{path}:2: empty title and body", 2)
    assert json.loads(reject.raw or "") == {
        "id": 2, "title": None, "body": None, "date": "2015-07-21"
    }  # fmt: skip


def test_a_damaged_parquet_file_is_a_reject_and_reading_goes_on(
    write: Write, tmp_path: Path
) -> None:
    rows = [{"title": f"عنوان {n}", "body": BODY} for n in range(2000)]
    data = parquet(tmp_path / "whole.parquet", rows, row_group_size=500).read_bytes()
    truncated = write("truncated.parquet", data[: len(data) // 2])
    after = write("after.jsonl", json.dumps({"title": "بعد", "body": BODY}) + "\n")
    reject, article = read_dump([truncated, after])
    assert isinstance(reject, Reject) and reject.file == str(truncated)
    assert reject.reason.startswith("not a readable Parquet file (")
    assert reject.reason.endswith("), before the first row")
    assert isinstance(article, Article) and article.origin == f"{after}:1"


def test_damage_inside_a_parquet_file_stops_it_after_the_rows_before(
    write: Write, tmp_path: Path, split: Split
) -> None:
    rows = [{"title": f"عنوان {n}", "body": BODY} for n in range(5000)]
    path = parquet(tmp_path / "damaged.parquet", rows, row_group_size=1000)
    column = pq.ParquetFile(path).metadata.row_group(3).column(0)
    start = column.dictionary_page_offset or column.data_page_offset
    data = bytearray(path.read_bytes())
    data[start : start + 64] = b"\xff" * 64  # the page header of the 4th row group
    path.write_bytes(bytes(data))
    after = write("after.jsonl", json.dumps({"title": "بعد", "body": BODY}) + "\n")
    articles, rejects, _ = split(read_dump([path, after]))
    read = len(articles) - 1
    assert 0 < read < 5000
    assert [a.title for a in articles[:read]] == [f"عنوان {n}" for n in range(read)]
    (reject,) = rejects
    assert (reject.file, reject.line) == (str(path), read + 1)
    assert reject.reason.endswith(f", after row {read}")
    assert articles[-1].origin == f"{after}:1"


def test_a_parquet_member_of_a_zip(tmp_path: Path, split: Split) -> None:
    rows = [{"title": f"عنوان {n}", "text": BODY} for n in range(3)]
    source = parquet(tmp_path / "train.parquet", rows)
    archive = tmp_path / "dataset.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.write(source, "data/train-00000-of-00001.parquet")
    articles, rejects, notes = split(read_dump(archive))
    assert [(a.title, a.body, a.origin) for a in articles] == [
        (f"عنوان {n}", BODY, f"{archive}:data/train-00000-of-00001.parquet:{n + 1}")
        for n in range(3)
    ]
    assert rejects == [] and [n.message for n in notes] == ["fields: body ← text"]


def test_row_groups_are_read_in_order(tmp_path: Path) -> None:
    rows = [{"id": f"r{n}", "title": f"عنوان {n}", "body": BODY} for n in range(2500)]
    path = parquet(tmp_path / "groups.parquet", rows, row_group_size=100)
    assert pq.ParquetFile(path).num_row_groups == 25
    records = list(read_dump(path))
    assert all(isinstance(r, Article) for r in records)
    assert [(a.id, a.origin) for a in records] == [  # type: ignore[union-attr]
        (f"r{n}", f"{path}:{n + 1}") for n in range(2500)
    ]


def test_parquet_is_told_by_content_and_by_name(write: Write, tmp_path: Path) -> None:
    rows = [{"title": "عنوان", "body": BODY}]
    walked = parquet(tmp_path / "d" / "news.pq", rows)
    (article,) = read_dump(tmp_path / "d")
    assert isinstance(article, Article) and article.origin == f"{walked}:1"
    named = parquet(tmp_path / "export.dat", rows)
    (article,) = read_dump(named)
    assert isinstance(article, Article) and article.origin == f"{named}:1"


def test_the_format_argument_and_the_content_must_agree(write: Write, tmp_path: Path) -> None:
    text = write("news.jsonl", json.dumps({"title": "عنوان", "body": BODY}) + "\n")
    assert list(read_dump(text, format="parquet")) == [
        Reject(str(text), 0, "not a Parquet file (it does not start with PAR1)")
    ]
    path = parquet(tmp_path / "news.parquet", [{"title": "عنوان", "body": BODY}])
    assert list(read_dump(path, format="jsonl")) == [
        Reject(str(path), 0, "a Parquet file, not jsonl")
    ]


def test_title_only_parquet_suggests_the_text_column(tmp_path: Path) -> None:
    rows = [{"title": f"عنوان {n}", "nass": BODY * 2, "vector": [0.5, 0.25]} for n in range(3)]
    *articles, note = read_dump(parquet(tmp_path / "news.parquet", rows))
    assert len(articles) == 3 and all(isinstance(a, Article) and not a.body for a in articles)
    assert isinstance(note, Note) and note.kind == "title-only"
    assert note.message.endswith("--field body=nass")


NO_PYARROW = """
import sys
sys.modules["pyarrow"] = None  # import pyarrow now raises ImportError
from search.ingest import read_dump
for record in read_dump(sys.argv[1:]):
    print(repr(record))
"""


def test_without_pyarrow_a_parquet_file_is_one_reject_saying_what_to_install(
    tmp_path: Path,
) -> None:
    path = parquet(tmp_path / "news.parquet", [{"title": "عنوان", "body": BODY}] * 3)
    after = tmp_path / "after.jsonl"
    after.write_text(json.dumps({"title": "بعد", "body": BODY}) + "\n", encoding="utf-8")
    ran = subprocess.run(
        [sys.executable, "-c", NO_PYARROW, str(path), str(after)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        check=False,
    )
    assert ran.returncode == 0, ran.stderr
    reject, article = ran.stdout.splitlines()
    assert reject == repr(
        Reject(
            str(path),
            0,
            "a Parquet file: reading it needs pyarrow, which is not installed "
            "(pip install 'bahth[parquet]')",
        )
    )
    assert article.startswith("Article(") and f"origin='{after}:1'" in article

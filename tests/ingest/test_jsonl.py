"""read_jsonl on real files: field values, mapping, ids, and each reject with its line."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from search.article import Article, article_id
from search.ingest.fields import FieldMap
from search.ingest.jsonl import read_jsonl
from search.ingest.open import open_text
from search.ingest.records import Reject

Write = Callable[..., Path]

RECORD = {
    "id": "AL-culture-1-20180218",
    "title": "  هكذا تحالفت أحلام وإليسا \n",
    "body": "\nيبدو أن الصراع بين المدربين الأربعة\n\nسيشهد تحدياً من نوع خاص.  \n",
    "date": "Sun, 18 Feb 2018 17:21:49 GMT",
    "source": "AlArabiya",
    "category": "culture",
    "url": "https://www.alarabiya.net/ar/culture/2018/02/18/x.html",
    "abstract": "not one of our fields: ignored",
    "author": None,
}


def line(**fields: object) -> str:
    return json.dumps(fields, ensure_ascii=False) + "\n"


def read(path: Path, fields: Mapping[str, str] | None = None) -> list[Article | Reject]:
    with open_text(path) as dump:
        return list(read_jsonl(dump.lines(), path.name, FieldMap.of(fields)))


@pytest.mark.parametrize("name", ["news.jsonl", "news.jsonl.gz", "news.jsonl.bz2", "news.jsonl.xz"])
def test_reads_a_record(write: Write, name: str) -> None:
    assert read(write(name, line(**RECORD))) == [
        Article(
            id="AL-culture-1-20180218",
            title="هكذا تحالفت أحلام وإليسا",
            body="يبدو أن الصراع بين المدربين الأربعة\n\nسيشهد تحدياً من نوع خاص.",
            date=dt.date(2018, 2, 18),
            date_text="Sun, 18 Feb 2018 17:21:49 GMT",
            source="AlArabiya",
            category="culture",
            url="https://www.alarabiya.net/ar/culture/2018/02/18/x.html",
            origin=f"{name}:1",
        )
    ]


def test_missing_and_null_fields(write: Write) -> None:
    (article,) = read(write("n.jsonl", line(title="عنوان", body=None, source="", category=None)))
    assert isinstance(article, Article)
    assert (article.body, article.date, article.date_text, article.source, article.category) == (
        "", None, None, None, None)  # fmt: skip


def test_field_mapping(write: Write) -> None:
    saudi = line(title="بريطانيا", content="حدد رئيس الوزراء", date_extracted="2015-07-21 02:51:32")
    (article,) = read(write("snn.jsonl", saudi), {"body": "content", "date": "date_extracted"})
    assert isinstance(article, Article)
    assert (article.body, article.date) == ("حدد رئيس الوزراء", dt.date(2015, 7, 21))


def test_integer_id_is_stringified(write: Write) -> None:
    (article,) = read(write("n.jsonl", line(id=92, title="عنوان")))
    assert isinstance(article, Article) and article.id == "92"


@pytest.mark.parametrize("given_id", [None, "", "  "])
def test_missing_id_is_a_hash_of_the_url(write: Write, given_id: str | None) -> None:
    record = line(id=given_id, title="عنوان", body="نص", url=" https://example.org/a ")
    (article,) = read(write("n.jsonl", record))
    assert isinstance(article, Article)
    assert article.id == article_id("https://example.org/a", "عنوان", "نص")


def test_missing_id_and_url_is_a_hash_of_the_text(write: Write) -> None:
    (first, second, other) = read(
        write("n.jsonl", line(title="عنوان", body="نص") * 2 + line(title="عنوان", body="نص آخر"))
    )
    assert isinstance(first, Article) and isinstance(other, Article)
    assert first.id == second.id == article_id(None, "عنوان", "نص") != other.id


@pytest.mark.parametrize(
    ("keywords", "expected"),
    [
        (["الولايات المتحدة", " روسيا ", ""], ("الولايات المتحدة", "روسيا")),
        ("الولايات المتحدة، روسيا,أوكرانيا", ("الولايات المتحدة", "روسيا", "أوكرانيا")),
        ("روسيا أوكرانيا", ("روسيا", "أوكرانيا")),
        ("", ()),
        (None, ()),
    ],
)
def test_keywords(write: Write, keywords: object, expected: tuple[str, ...]) -> None:
    (article,) = read(write("n.jsonl", line(title="عنوان", keywords=keywords)))
    assert isinstance(article, Article) and article.keywords == expected


def test_blank_lines_are_skipped_and_lines_keep_their_numbers(write: Write) -> None:
    text = "\n" + line(title="أ") + "   \n\n" + line(title="ب") + "\r\n"
    assert [a.origin for a in read(write("n.jsonl", text))] == ["n.jsonl:2", "n.jsonl:5"]


REJECTS = [
    ('{"title": "عنوان", "body": "نص"',
     "invalid JSON at the end of the line: Expecting ',' delimiter"),
    ("{'title': 'x'}",
     "invalid JSON at column 2: Expecting property name enclosed in double quotes"),
    ('["عنوان", "نص"]', "an array, not a JSON object"),
    ('"عنوان"', "a string, not a JSON object"),
    ("42", "a number, not a JSON object"),
    ("null", "null, not a JSON object"),
    ('{"title": 7, "body": "نص"}', "'title' must be a string, not a number"),
    ('{"title": "x", "body": ["نص", 7]}',
     "'body' must be a string or a list of strings, not a list holding a number"),
    ('{"title": "x", "date": true}', "'date' must be a string, not a boolean"),
    ('{"title": "x", "source": {"id": "bbc"}}', "'source' must be a string, not an object"),
    ('{"title": "x", "id": 1.5}', "'id' must be a string or an integer, not a number"),
    ('{"title": "x", "id": true}', "'id' must be a string or an integer, not a boolean"),
    ('{"title": "x", "keywords": [1, 2]}',
     "'keywords' must be a string or a list of strings, not a list holding a number"),
    ('{"title": "", "body": "  \\n "}', "empty title and body"),
    ('{"id": "x", "url": "https://example.org"}', "empty title and body"),
    ('{"title": "x"} {"title": "y"}', "invalid JSON at column 16: Extra data"),
    ("[" * 100_000, "invalid JSON: nested too deeply"),
]  # fmt: skip


@pytest.mark.parametrize(("bad", "reason"), REJECTS)
def test_rejects(write: Write, bad: str, reason: str) -> None:
    path = write("n.jsonl", line(title="قبل") + "\n" + bad + "\r\n" + line(title="بعد"))
    before, rejected, after = read(path)
    assert isinstance(before, Article) and isinstance(after, Article)
    assert rejected == Reject("n.jsonl", 3, reason, bad)
    assert after.origin == "n.jsonl:4"


def test_a_number_too_long_for_python(write: Write) -> None:
    (reject,) = read(write("n.jsonl", '{"title": "x", "id": ' + "1" * 5000 + "}\n"))
    assert isinstance(reject, Reject) and reject.line == 1
    assert reject.reason.startswith("invalid JSON: Exceeds the limit (4300 digits)")


def test_mapped_field_is_named_in_the_reason(write: Write) -> None:
    (reject,) = read(write("n.jsonl", line(headline=["x"])), {"title": "headline"})
    assert isinstance(reject, Reject)
    assert reject.reason == "'title' (dump field 'headline') must be a string, not a list"


def test_a_fifteen_megabyte_body_is_under_the_limit(write: Write) -> None:
    body = ("كلمة " * 1_700_000).strip()  # 15.3 MB of UTF-8; 16 MiB is the limit
    (article,) = read(write("big.jsonl.gz", line(title="طويل", body=body)))
    assert isinstance(article, Article) and article.body == body


def test_duplicate_ids_are_passed_through(write: Write) -> None:
    articles = read(write("n.jsonl", line(id="a", title="أول") + line(id="a", title="ثان")))
    assert [(a.id, a.title) for a in articles] == [("a", "أول"), ("a", "ثان")]


def test_unknown_field_in_mapping() -> None:
    with pytest.raises(ValueError, match=r"unknown field\(s\) headline"):
        FieldMap.of({"headline": "title"})


@given(st.text(), st.text())
def test_any_title_and_body_round_trip(title: str, body: str) -> None:
    records = list(read_jsonl([line(title=title, body=body)], "n.jsonl", FieldMap()))
    if title.strip() or body.strip():
        assert [(a.title, a.body) for a in records] == [(title.strip(), body.strip())]
    else:
        assert [r.reason for r in records] == ["empty title and body"]

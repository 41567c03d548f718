"""Which dump field fills each of ours: the alias table, explicit mappings, value types, notes."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from search.article import Article
from search.ingest import ALIASES, FIELDS, Note, Reject, read_dump
from search.ingest.fields import FieldMap, field_key, to_article
from tests.ingest.conftest import Split

Write = Callable[..., Path]

BODY = "قال وزير الخارجية إن المباحثات تناولت سبل تعزيز التعاون الاقتصادي بين البلدين."


def jsonl(*records: dict[str, object]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def array(*records: dict[str, object]) -> str:
    return json.dumps(list(records), ensure_ascii=False, indent=2)


def only(records: list[Article | Reject | Note]) -> Article:
    """The one article of ``records``, which hold nothing but it and a ``fields`` note."""
    articles = [r for r in records if isinstance(r, Article)]
    others = [r for r in records if not isinstance(r, Article)]
    assert len(articles) == 1, records
    assert all(isinstance(r, Note) and r.kind == "fields" for r in others), others
    return articles[0]


# --- the alias table ------------------------------------------------------------------------


def test_no_dump_name_belongs_to_two_of_our_fields() -> None:
    owner: dict[str, str] = {}
    for ours, names in ALIASES.items():
        for name in names:
            key = field_key(name)
            assert owner.setdefault(key, ours) == ours, f"{name!r}: {owner[key]} and {ours}"
    assert set(ALIASES) == set(FIELDS)
    assert all(names[0] == ours for ours, names in ALIASES.items())  # our own name leads


@pytest.mark.parametrize(
    ("ours", "theirs", "value", "expected"),
    [
        ("title", "headline", "قمة الرياض", "قمة الرياض"),
        ("body", "content", BODY, BODY),
        ("body", "text", BODY, BODY),
        ("body", "maintext", BODY, BODY),
        ("body", "story", BODY, BODY),
        ("date", "date_extracted", "2015-07-21 10:12:00", dt.date(2015, 7, 21)),
        ("date", "published", "2015-07-21", dt.date(2015, 7, 21)),
        ("date", "date_publish", "2015-07-21 10:12:00", dt.date(2015, 7, 21)),
        ("date", "pub_date", "21/07/2015", dt.date(2015, 7, 21)),
        ("date", "datetime", "2015-07-21T10:12:00+03:00", dt.date(2015, 7, 21)),
        ("date", "timestamp", "2015-07-21 10:12:00", dt.date(2015, 7, 21)),
        ("source", "site", "سبق", "سبق"),
        ("source", "domain", "sabq.org", "sabq.org"),
        ("source", "publisher", "الرياض", "الرياض"),
        ("source", "outlet", "عكاظ", "عكاظ"),
        ("category", "section", "سياسة", "سياسة"),
        ("category", "topic", "اقتصاد", "اقتصاد"),
        ("category", "tags", "رياضة", "رياضة"),
        ("url", "link", "https://sabq.org/x1", "https://sabq.org/x1"),
        ("id", "docno", "SNN-0001", "SNN-0001"),
    ],
)
@pytest.mark.parametrize("layout", ["jsonl", "array", "csv"])
def test_each_alias_fills_its_field(
    write: Write, layout: str, ours: str, theirs: str, value: str, expected: object
) -> None:
    record = {"title": "عنوان الخبر", "body": BODY, theirs: value}
    record.pop(ours, None)  # the alias stands in for our own name
    if layout == "csv":
        header = ",".join(record)
        row = ",".join(f'"{v}"' for v in record.values())
        path = write("news.csv", f"{header}\n{row}\n")
    else:
        path = write("news.json", (jsonl if layout == "jsonl" else array)(record))
    records = list(read_dump(path))
    article = only(records)
    got = article.date if ours == "date" else getattr(article, ours)
    assert got == expected
    assert records[-1] == Note(
        "", 0, "fields", f"fields: {ours} ← {theirs}",
        tuple(sorted(
            [(f, f, 1) for f in ("title", "body") if f != ours] + [(ours, theirs, 1)],
            key=lambda m: FIELDS.index(m[0]),
        )),
    )  # fmt: skip


@pytest.mark.parametrize("layout", ["jsonl", "array", "csv", "tsv"])
def test_names_are_compared_without_case_spaces_or_hyphens(write: Write, layout: str) -> None:
    record = {
        "TITLE": "عنوان الخبر",
        "Content": BODY,
        "Date Extracted": "2015-07-21 10:12:00",
        " Source-Domain ": "sabq.org",
        "Key-Words": "السعودية، بريطانيا",
    }
    if layout in ("csv", "tsv"):
        sep = "," if layout == "csv" else "\t"
        text = sep.join(record) + "\n" + sep.join(str(v) for v in record.values()) + "\n"
        path = write(f"news.{layout}", "\ufeff" + text)
    else:
        path = write("news.json", (jsonl if layout == "jsonl" else array)(record))
    article = only(list(read_dump(path)))
    assert (article.title, article.body) == ("عنوان الخبر", BODY)
    assert (article.date, article.date_text) == (dt.date(2015, 7, 21), "2015-07-21 10:12:00")
    assert (article.source, article.keywords) == ("sabq.org", ("السعودية", "بريطانيا"))


def test_the_first_alias_holding_a_value_wins_record_by_record(write: Write, split: Split) -> None:
    path = write(
        "news.jsonl",
        jsonl(
            {"title": "أ", "body": "", "content": "من المحتوى", "text": "من النص"},
            {"title": "ب", "body": " \n", "content": None, "text": "من النص"},
            {"title": "ج", "body": "من الجسم", "content": "من المحتوى"},
            {"title": "د", "body": [], "maintext": "من المتن"},
            {"headline": "هـ", "title": "", "date": None, "published": "2015-07-21"},
        ),
    )
    articles, rejects, notes = split(read_dump(path))
    assert rejects == []
    assert [(a.title, a.body) for a in articles] == [
        ("أ", "من المحتوى"), ("ب", "من النص"), ("ج", "من الجسم"), ("د", "من المتن"), ("هـ", ""),
    ]  # fmt: skip
    assert articles[-1].date == dt.date(2015, 7, 21)
    (note,) = notes
    assert note.kind == "fields"
    assert set(note.mapping) == {
        ("title", "title", 4), ("title", "headline", 1),
        ("body", "content", 1), ("body", "text", 1), ("body", "body", 1), ("body", "maintext", 1),
        ("date", "published", 1),
    }  # fmt: skip


# --- explicit mappings ------------------------------------------------------------------------


def test_an_explicit_mapping_replaces_the_aliases_of_its_field_only(
    write: Write, split: Split
) -> None:
    record = {
        "title": "عنوان",
        "body": "ليس هذا",
        "content": "ولا هذا",
        "matn": BODY,
        "date_extracted": "2015-07-21 10:12:00",
    }
    path = write("news.jsonl", jsonl(record, {"title": "بلا متن", "body": "نص الجسم"}))
    articles, rejects, notes = split(read_dump(path, fields={"body": "matn"}))
    assert rejects == []
    assert [(a.title, a.body) for a in articles] == [("عنوان", BODY), ("بلا متن", "")]
    assert articles[0].date == dt.date(2015, 7, 21)  # date still found by its aliases
    assert notes == [
        Note("", 0, "fields", "fields: body ← matn, date ← date_extracted",
             (("title", "title", 2), ("body", "matn", 1), ("date", "date_extracted", 1)))
    ]  # fmt: skip


def test_a_name_mapped_explicitly_is_not_taken_by_another_fields_aliases(
    write: Write, split: Split
) -> None:
    path = write(
        "news.jsonl",
        jsonl(
            {"headline": "عنوان تحريري", "text": "العنوان الحقيقي", "story": BODY},
            {"text": "عنوان وحده"},
        ),
    )
    articles, rejects, _ = split(read_dump(path, fields={"title": "text"}))
    assert rejects == []
    # "text" is the title now: the body's aliases pass it by (it comes before "story"); the
    # headline, a title alias, is not consulted at all.
    assert [(a.title, a.body) for a in articles] == [("العنوان الحقيقي", BODY), ("عنوان وحده", "")]


def test_a_mapping_that_no_record_had_gives_a_field_note(write: Write, split: Split) -> None:
    path = write("news.jsonl", jsonl({"title": "عنوان", "body": BODY}))
    articles, rejects, notes = split(read_dump(path, fields={"date": "yawm"}))
    assert [a.body for a in articles] == [BODY] and rejects == []
    assert notes == [
        Note("", 0, "field",
             "no record had a value for 'yawm', mapped to our 'date' (--field date=yawm): its "
             "articles were read without date (the first record's fields: title, body)")
    ]  # fmt: skip


def test_mapping_an_unknown_field_of_ours_is_an_error(write: Write) -> None:
    path = write("news.jsonl", jsonl({"title": "عنوان"}))
    with pytest.raises(ValueError, match=r"unknown field.*matn"):
        read_dump(path, fields={"matn": "body"})
    with pytest.raises(ValueError, match="non-empty string"):
        read_dump(path, fields={"body": ""})


# --- value types ------------------------------------------------------------------------------


def test_lists_and_objects_are_read_as_dumps_write_them(write: Write, split: Split) -> None:
    path = write(
        "newsapi.jsonl",
        jsonl(
            {
                "title": "أ",
                "body": ["الفقرة الأولى.", "  ", " الفقرة الثانية. "],
                "keywords": ["السعودية", " ", "الاقتصاد "],
                "category": ["", "سياسة", "اقتصاد"],
                "source": {"id": "al-jazeera", "name": "الجزيرة"},
            },
            {"title": "ب", "body": "نص", "topic": {"name": "رياضة"}, "site": {"name": " "}},
        ),
    )
    articles, rejects, _ = split(read_dump(path))
    assert rejects == []
    first, second = articles
    assert first.body == "الفقرة الأولى.\nالفقرة الثانية."
    assert first.keywords == ("السعودية", "الاقتصاد")
    assert (first.category, first.source) == ("سياسة", "الجزيرة")
    assert (second.category, second.source) == ("رياضة", None)


@pytest.mark.parametrize(
    ("value", "date", "date_text"),
    [
        (1437465092, dt.date(2015, 7, 21), "1437465092"),  # seconds
        (1437465092000, dt.date(2015, 7, 21), "1437465092000"),  # milliseconds
        (1437522000.5, dt.date(2015, 7, 21), "1437522000.5"),  # 23:40 UTC: the UTC day
        (2015, None, "2015"),  # a number of no epoch size is no date, and is kept as text
    ],
)
def test_epoch_numbers_are_dates(write: Write, value: float, date: object, date_text: str) -> None:
    path = write("news.jsonl", jsonl({"title": "عنوان", "body": BODY, "timestamp": value}))
    article = next(r for r in read_dump(path) if isinstance(r, Article))
    assert (article.date, article.date_text) == (date, date_text)


def test_date_and_datetime_values_are_dates() -> None:
    # JSON cannot hold them; Parquet rows do (see test_parquet.py for them read from a file).
    fields = FieldMap()
    riyadh = dt.timezone(dt.timedelta(hours=3))
    values = [dt.date(2015, 7, 21), dt.datetime(2015, 7, 22, 1, 30, tzinfo=riyadh)]
    articles = [
        to_article({"title": "عنوان", "published": v}, fields, "news.parquet", n, "")
        for n, v in enumerate(values, 1)
    ]
    assert [(a.date, a.date_text) for a in articles if isinstance(a, Article)] == [
        (dt.date(2015, 7, 21), "2015-07-21"),
        (dt.date(2015, 7, 22), "2015-07-22T01:30:00+03:00"),  # the day as written, not UTC's
    ]
    assert fields.used[("date", "published")] == 2


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        ({"title": "أ", "content": {"text": "x"}}, "'body' (dump field 'content') must be a st"),
        ({"title": "أ", "text": ["فقرة", 3]}, "'body' (dump field 'text') must be a string or a "),
        ({"title": "أ", "published": True}, "'date' (dump field 'published') must be a string"),
        ({"headline": 7, "body": "نص"}, "'title' (dump field 'headline') must be a string, not "),
    ],
)
def test_wrong_types_are_rejects_naming_the_dump_field(
    write: Write, record: dict[str, object], reason: str
) -> None:
    (reject,) = (r for r in read_dump(write("news.jsonl", jsonl(record))) if isinstance(r, Reject))
    assert reject.reason.startswith(reason), reject.reason
    assert json.loads(reject.raw or "") == record


# --- the fields note over a run ---------------------------------------------------------------


def test_the_fields_note_counts_each_dump_name_over_a_mixed_run(
    write: Write, tmp_path: Path, split: Split
) -> None:
    write("run/a.jsonl", jsonl(*({"title": f"أ{n}", "content": BODY} for n in range(3))))
    write(
        "run/b.csv",
        "title,text,pub_date\n" + "".join(f"ب{n},{BODY},2015-07-2{n}\n" for n in (1, 2)),
    )
    write("run/c.jsonl", jsonl({"title": "ج", "body": BODY}))
    articles, rejects, notes = split(read_dump(tmp_path / "run"))
    assert len(articles) == 6 and all(a.body == BODY for a in articles) and rejects == []
    assert notes == [
        Note("", 0, "fields", "fields: body ← content, text, body, date ← pub_date",
             (("title", "title", 6), ("body", "content", 3), ("body", "text", 2),
              ("body", "body", 1), ("date", "pub_date", 2)))
    ]  # fmt: skip
    assert str(notes[0]) == "fields: body ← content, text, body, date ← pub_date"


def test_no_fields_note_when_every_field_has_our_name(write: Write, split: Split) -> None:
    path = write("news.jsonl", jsonl({"id": 1, "title": "أ", "body": BODY, "date": "2015-07-21"}))
    assert split(read_dump(path))[2] == []


# --- SaudiNewsNet as published upstream -------------------------------------------------------

SAUDINEWSNET = [
    {
        "source": "sabq",
        "url": "http://sabq.org/lPGmGd",
        "date_extracted": "2015-07-21 02:51:32",
        "title": "بريطانيا: أربعة محاور لاستراتيجية جديدة تتصدى للتطرف",
        "author": "",
        "content": "حدد رئيس الوزراء البريطاني ديفيد كاميرون، اليوم (الاثنين)، ملامح استراتيجية "
        "للتصدي للتطرف داخل بريطانيا.",
    },
    {
        "source": "aawsat",
        "url": "http://aawsat.com/node/411671",
        "date_extracted": "2015-07-21 03:10:05",
        "title": "مجلس الأمن يصادق على الاتفاق النووي",
        "author": "نيويورك: «الشرق الأوسط»",
        "content": "صادق مجلس الأمن الدولي بالإجماع على الاتفاق النووي.",
    },
]


def test_saudinewsnet_upstream_records_need_no_mapping(write: Write, split: Split) -> None:
    path = write("2015-07-21.json", json.dumps(SAUDINEWSNET, ensure_ascii=False, indent=4))
    articles, rejects, notes = split(read_dump(path))
    assert rejects == []
    for article, record in zip(articles, SAUDINEWSNET, strict=True):
        assert article.body == record["content"]
        assert article.date == dt.date(2015, 7, 21)
        assert article.date_text == record["date_extracted"]
        assert (article.source, article.url) == (record["source"], record["url"])
    assert [n.kind for n in notes] == ["fields"]  # no title-only, no no-date
    assert notes[0].message == "fields: body ← content, date ← date_extracted"
    assert notes[0].mapping == (
        ("title", "title", 2), ("body", "content", 2), ("date", "date_extracted", 2),
        ("source", "source", 2), ("url", "url", 2),
    )  # fmt: skip

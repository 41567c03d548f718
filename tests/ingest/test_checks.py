"""Warnings about dumps that were probably read wrongly: no bodies, no readable dates."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import search.ingest
from search.article import Article
from search.ingest import Note, read_dump
from tests.ingest.conftest import Split

Write = Callable[..., Path]

MATN = (
    "قال المتحدث باسم وزارة الخارجية إن الاجتماع تناول سبل تعزيز التعاون بين البلدين "
    "في مجالات الطاقة والتجارة والاستثمار، وبحث تطورات الأوضاع في المنطقة."
)


def jsonl(*records: dict[str, object]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def matn_records(count: int, start: int = 0) -> list[dict[str, object]]:
    """Records whose body is under a name the alias table does not know."""
    return [
        {"title": f"عنوان الخبر {n}", "matn": f"{MATN} ({n})", "date": "2015-07-21"}
        for n in range(start, start + count)
    ]


def kinds(records: list[object]) -> list[str]:
    return [r.kind if isinstance(r, Note) else type(r).__name__ for r in records]


def test_the_warnings_are_field_title_only_and_no_date() -> None:
    assert sorted(search.ingest.WARNINGS) == ["field", "no-date", "title-only"]


def test_a_body_under_an_unknown_name_gives_one_note_after_its_file(
    write: Write, tmp_path: Path
) -> None:
    write("d/a.jsonl", jsonl(*matn_records(25)))
    write("d/b.jsonl", jsonl({"title": "عنوان", "body": MATN, "date": "2015-07-22"}))
    records = list(read_dump(tmp_path / "d"))
    # title-only articles are still articles; the note comes right after the file's last one
    assert kinds(records) == ["Article"] * 25 + ["title-only", "Article"]
    assert all(isinstance(r, Article) and r.body == "" for r in records[:25])
    assert [r.title for r in records[:25] if isinstance(r, Article)] == [
        f"عنوان الخبر {n}" for n in range(25)
    ]
    note = records[25]
    assert isinstance(note, Note) and (note.file, note.line) == ("", 0)
    assert note.message.startswith(f"25 of 25 articles in {tmp_path / 'd' / 'a.jsonl'} have a")
    assert note.message.endswith("--field body=matn")
    assert f"The field 'matn' holds the longest text ('{MATN[:40]}" in note.message
    assert str(note) == note.message


def test_mapping_the_body_reads_it_and_warns_no_more(write: Write, split: Split) -> None:
    path = write("a.jsonl", jsonl(*matn_records(5)))
    articles, rejects, notes = split(read_dump(path, fields={"body": "matn"}))
    assert [a.body for a in articles] == [f"{MATN} ({n})" for n in range(5)]
    assert rejects == []
    assert [n.kind for n in notes] == ["fields"]
    assert notes[0].mapping == (("title", "title", 5), ("body", "matn", 5), ("date", "date", 5))


def test_a_csv_with_an_unknown_body_column_is_flagged_too(write: Write) -> None:
    rows = "".join(f'عنوان {n},"{MATN}",2015-07-21\n' for n in range(3))
    records = list(read_dump(write("news.csv", "title,Nass,date\n" + rows)))
    assert kinds(records) == ["Article"] * 3 + ["title-only"]
    assert records[-1].message.endswith("--field body=Nass")  # type: ignore[union-attr]


def test_without_a_long_text_field_the_note_lists_the_fields(write: Write) -> None:
    records = [{"title": f"عنوان {n}", "kind": "خبر", "date": "2015-07-21"} for n in range(3)]
    *_, note = read_dump(write("a.jsonl", jsonl(*records)))
    assert isinstance(note, Note) and note.kind == "title-only"
    assert note.message.endswith(
        "Their fields: title, kind, date; name the body's: --field body=NAME"
    )


def test_later_flagged_files_are_counted_in_one_note_at_the_end(
    write: Write, tmp_path: Path
) -> None:
    write("d/1.jsonl", jsonl(*matn_records(20)))
    write("d/2.jsonl", jsonl(*matn_records(20, 100), {"title": "ب", "body": MATN}))
    write("d/3.jsonl", jsonl({"title": "ج", "body": MATN}))  # not flagged
    write("d/4.jsonl", jsonl(*matn_records(20, 200)))
    records = list(read_dump(tmp_path / "d"))
    assert kinds(records) == (
        ["Article"] * 20 + ["title-only"] + ["Article"] * 21 + ["Article"] + ["Article"] * 20
        + ["title-only"]
    )  # fmt: skip
    first, last = (r for r in records if isinstance(r, Note))
    assert "1.jsonl" in first.message and first.message.endswith("--field body=matn")
    assert last == Note(
        "", 0, "title-only", "and in 2 more files, 40 of 41 articles without a body (as above)"
    )


def test_files_of_a_few_articles_are_checked_together_at_the_end(
    write: Write, tmp_path: Path
) -> None:
    # ANT holds one <DOC> a file: one without a body among many is no warning...
    doc = "<DOC>\n<DOCNO>{n}</DOCNO>\n<TITLE>عنوان {n}</TITLE>\n<TEXT>\n{text}\n</TEXT>\n</DOC>\n"
    for n in range(30):
        write(f"ant/{n:02}.txt", doc.format(n=n, text=MATN if n else ""))
    assert kinds(list(read_dump(tmp_path / "ant"))) == ["Article"] * 30
    # ... but most without one is, once, at the end, naming the files
    for n in range(16):
        write(f"ant/{n:02}.txt", doc.format(n=n, text=""))
    records = list(read_dump(tmp_path / "ant"))
    assert kinds(records) == ["Article"] * 30 + ["title-only"]
    assert records[-1].message == (  # type: ignore[union-attr]
        f"16 of 30 articles in 30 files of fewer than 20 articles each (the first: "
        f"{tmp_path / 'ant' / '00.txt'}) have a title and no body text"
    )


def test_a_few_title_only_articles_among_good_ones_are_no_warning(
    write: Write, split: Split
) -> None:
    records = [{"title": f"عنوان {n}", "body": MATN if n % 2 else "", "date": "2015-07-21"}
               for n in range(10)]  # fmt: skip
    articles, _, notes = split(read_dump(write("half.jsonl", jsonl(*records))))
    assert len(articles) == 10 and sum(not a.body for a in articles) == 5
    assert notes == []  # half is not most
    records[1]["body"] = ""
    *_, note = read_dump(write("more.jsonl", jsonl(*records)))
    assert isinstance(note, Note) and note.kind == "title-only"
    assert note.message.startswith("6 of 10 articles in")


def test_pages_without_a_body_are_flagged_without_a_field_to_map(
    write: Write, tmp_path: Path
) -> None:
    # Pages hold one article each: they are counted together, and warned about at the end.
    write("pages/a.txt", "عنوان الصفحة الأولى\n\n")
    write("pages/b.txt", "عنوان الصفحة الثانية\n")
    write("pages/c.txt", "عنوان الصفحة الثالثة\nنص الصفحة.\n")
    records = list(read_dump(tmp_path / "pages"))
    assert kinds(records) == ["Article", "Article", "Article", "title-only"]
    assert records[-1] == Note(
        "", 0, "title-only",
        f"2 of 3 articles in 3 files of fewer than 20 articles each (the first: "
        f"{tmp_path / 'pages' / 'a.txt'}) have a title and no body text",
    )  # fmt: skip
    # one page without a body among others is no warning
    write("pages/d.txt", "عنوان الصفحة الرابعة\nنص الصفحة.\n")
    write("pages/e.txt", "عنوان الصفحة الخامسة\nنص الصفحة.\n")
    assert kinds(list(read_dump(tmp_path / "pages"))) == ["Article"] * 5
    assert "--field" not in records[3].message  # type: ignore[union-attr]


def test_unreadable_dates_suggest_a_field_holding_dates(write: Write, split: Split) -> None:
    records = [
        {"title": f"عنوان {n}", "body": MATN, "date": "منذ ساعتين", "yawm": f"2015-07-{n + 10}"}
        for n in range(4)
    ] + [{"title": "عنوان", "body": MATN, "date": "2015-07-21", "yawm": "2015-07-21"}]
    path = write("news.jsonl", jsonl(*records))
    articles, rejects, notes = split(read_dump(path))
    assert rejects == []
    assert [a.date_text for a in articles] == ["منذ ساعتين"] * 4 + ["2015-07-21"]
    assert [a.date for a in articles] == [None] * 4 + [dt.date(2015, 7, 21)]
    assert [n.kind for n in notes] == ["date"] * 4 + ["no-date"]  # and no "0 more files" note
    message = notes[-1].message
    assert message.startswith(f"4 of 5 dates in {path} (field 'date') could not be read, ")
    assert "e.g. 'منذ ساعتين'" in message
    assert message.endswith("The field 'yawm' holds dates ('2015-07-10'): --field date=yawm")
    # with the mapping, the dates are read and nothing is flagged
    articles, _, notes = split(read_dump(path, fields={"date": "yawm"}))
    assert [a.date for a in articles] == [dt.date(2015, 7, n) for n in (10, 11, 12, 13, 21)]
    assert [n.kind for n in notes] == ["fields"]


def test_records_without_a_date_field_but_one_holding_dates(write: Write, split: Split) -> None:
    records = [{"title": f"عنوان {n}", "body": MATN, "yawm": "2015-07-21"} for n in range(3)]
    path = write("news.jsonl", jsonl(*records))
    articles, _, notes = split(read_dump(path))
    assert all(a.date is None and a.date_text is None for a in articles)
    (note,) = notes
    assert note.kind == "no-date"
    assert note.message.startswith(f"the 3 articles of {path} have no date: ")
    assert note.message.endswith("--field date=yawm")


def test_records_without_any_date_are_no_warning(write: Write, split: Split) -> None:
    records = [{"title": f"عنوان {n}", "body": MATN, "author": "أحمد"} for n in range(3)]
    assert split(read_dump(write("news.jsonl", jsonl(*records))))[2] == []


def test_a_few_unreadable_dates_are_only_date_notes(write: Write, split: Split) -> None:
    records = [{"title": "أ", "body": MATN, "date": d}
               for d in ("منذ ساعتين", "2015-07-21", "2015-07-22")]  # fmt: skip
    _, _, notes = split(read_dump(write("news.jsonl", jsonl(*records))))
    assert [n.kind for n in notes] == ["date"]

"""read_dump / read_file / find_files: walking, choosing readers, notes, errors, progress."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from pathlib import Path

import pytest

import search.ingest
from search.article import Article
from search.errors import InputError
from search.ingest import (
    Note,
    Progress,
    Reject,
    find_files,
    read_dump,
    read_file,
)

Write = Callable[..., Path]
Split = Callable[..., tuple[list[Article], list[Reject], list[Note]]]


def line(**fields: object) -> str:
    return json.dumps(fields, ensure_ascii=False) + "\n"


def test_public_names() -> None:
    assert sorted(search.ingest.__all__) == [
        "ALIASES", "FIELDS", "FORMATS", "Format", "MAX_RECORD_BYTES", "Note", "NoteKind",
        "Progress", "Record", "Reject", "WARNINGS", "find_files", "parse_date", "read_dump",
        "read_file",
    ]  # fmt: skip


def test_walks_directories_in_sorted_order_skipping_hidden_files(
    write: Write, tmp_path: Path, split: Split, monkeypatch: pytest.MonkeyPatch
) -> None:
    write("dumps/b/2.jsonl", line(title="ب", body="نص"))
    write("dumps/a/z.csv.gz", "title,body\nأ,نص\n")
    write("dumps/a/page.txt", "صفحة\nنص\n")
    write("dumps/.cache/x.jsonl", line(title="مخفي"))
    write("dumps/.hidden.jsonl", line(title="مخفي"))
    write("dumps/README.md", "# not a dump\n")
    monkeypatch.chdir(tmp_path)  # names stay as the user typed them: relative
    assert find_files("dumps") == [
        Path("dumps/a/page.txt"), Path("dumps/a/z.csv.gz"), Path("dumps/b/2.jsonl")
    ]  # fmt: skip
    articles, rejects, notes = split(read_dump(["dumps"]))
    assert [(a.title, a.origin) for a in articles] == [
        ("صفحة", "dumps/a/page.txt:1"),
        ("أ", "dumps/a/z.csv.gz:2"),
        ("ب", "dumps/b/2.jsonl:1"),
    ]
    assert rejects == []
    assert notes == [
        Note("dumps/README.md", 0, "skipped", "skipped: its extension names no dump format")
    ]


def test_a_single_path_need_not_be_a_list(write: Write) -> None:
    path = write("news.jsonl", line(title="عنوان", body="نص"))
    assert [a.title for a in read_dump(path)] == [a.title for a in read_dump(str(path))]


@pytest.mark.parametrize(
    ("content", "title"),
    [
        (line(title="جسون", body="نص"), "جسون"),
        ("id,title,body\n1,مفصول بفواصل,نص\n", "مفصول بفواصل"),
        ("title\tbody\nمفصول بجدولة\tنص\n", "مفصول بجدولة"),
        ("صفحة, بفاصلة في العنوان\nنص\n", "صفحة, بفاصلة في العنوان"),
    ],
)
def test_a_file_named_directly_is_sniffed(write: Write, content: str, title: str) -> None:
    (article,) = read_dump(write("export.dat.gz", content))
    assert isinstance(article, Article) and article.title == title


def test_sniffing_honours_the_field_mapping(write: Write) -> None:
    path = write("export.dat", "headline,content\nعنوان,نص\n")
    article, note = read_dump(path, fields={"title": "headline", "body": "content"})
    assert isinstance(article, Article) and (article.title, article.body) == ("عنوان", "نص")
    assert note == Note("", 0, "fields", "fields: title ← headline, body ← content",
                        (("title", "headline", 1), ("body", "content", 1)))  # fmt: skip


def test_format_overrides_extension_and_includes_every_walked_file(
    write: Write, tmp_path: Path
) -> None:
    write("d/a.txt", line(title="أ", body="نص"))
    write("d/b.data", line(title="ب", body="نص"))
    assert [a.title for a in read_dump(tmp_path / "d", format="jsonl")] == ["أ", "ب"]


def test_date_note_follows_its_article(write: Write) -> None:
    path = write(
        "n.jsonl", line(title="أ", body="نص", date="أمس") + line(title="ب", date="21/01/2017")
    )
    records = list(read_dump(path))
    assert [type(r).__name__ for r in records] == ["Article", "Note", "Article"]
    assert records[1] == Note(str(path), 1, "date", "unparsed date 'أمس'")
    assert isinstance(records[0], Article)
    assert (records[0].date, records[0].date_text) == (None, "أمس")


def test_a_hijri_date_outside_the_calendar_is_kept_and_the_note_says_why(write: Write) -> None:
    path = write("n.jsonl", line(title="أ", body="نص", date="1 محرم 1300هـ"))
    article, note, *_ = read_dump(path)
    assert isinstance(article, Article) and (article.date, article.date_text) == (
        None,
        "1 محرم 1300هـ",
    )
    assert note == Note(
        str(path),
        1,
        "date",
        "unparsed date '1 محرم 1300هـ': Hijri year 1300 is outside the Umm al-Qura calendar "
        "(1343-1500 AH)",
    )


def test_invalid_utf8_gives_one_note_per_file_after_its_records(write: Write, split: Split) -> None:
    data = (
        line(title="أ", body="نص").encode()
        + b'{"title": "b\xff\xfe", "body": "x"}\n'
        + b'{"title": "\xc3", "body": "x"}\n'
    )
    path = write("bad.jsonl.gz", data)
    articles, rejects, notes = split(read_dump(path))
    assert [a.title for a in articles] == ["أ", "b\ufffd\ufffd", "\ufffd"]
    assert rejects == []
    assert notes == [
        Note(str(path), 2, "encoding",
             "3 invalid UTF-8 byte sequence(s) replaced with U+FFFD (the first on this line)")
    ]  # fmt: skip
    assert list(read_dump(path))[-1] == notes[0]


def test_truncated_gzip_keeps_earlier_records_and_goes_on(write: Write, split: Split) -> None:
    lines = [line(title=f"خبر {i}", body="نص " * (i % 50)) for i in range(3000)]
    full = gzip.compress("".join(lines).encode())
    cut = write("a/cut.jsonl.gz", full[: len(full) * 2 // 3], as_is=True)
    write("b/next.jsonl", line(title="الملف التالي"))
    articles, rejects, _ = split(read_dump(cut.parent.parent))
    read_before_cut = len(articles) - 1
    assert 0 < read_before_cut < 3000
    assert [a.title for a in articles] == [f"خبر {i}" for i in range(read_before_cut)] + [
        "الملف التالي"
    ]
    (reject,) = rejects
    assert (reject.file, reject.line) == (str(cut), read_before_cut + 1)
    assert "truncated" in reject.reason
    assert str(reject).startswith(f"{cut}:{read_before_cut + 1}: the gzip stream ends early")


def test_missing_path_fails_before_reading(tmp_path: Path, write: Write) -> None:
    good = write("good.jsonl", line(title="أ"))
    with pytest.raises(InputError, match=r"missing\.jsonl: no such file or directory"):
        read_dump([good, tmp_path / "missing.jsonl"])


def test_unreadable_file(write: Write, deny_reads: Callable[[Path], None]) -> None:
    good = write("a.jsonl", line(title="أ", body="نص"))
    secret = write("b.jsonl", line(title="ب", body="نص"))
    deny_reads(secret)
    # read_dump: one Reject for the whole file (line 0), and reading goes on
    first, reject, last = read_dump([good, secret, good])
    assert isinstance(first, Article) and isinstance(last, Article)
    assert reject == Reject(str(secret), 0, "permission denied")
    # read_file opens at once
    with pytest.raises(InputError, match=r"b\.jsonl: permission denied"):
        read_file(secret)


def test_read_file_opens_at_once(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_file(tmp_path / "nope.csv")


def test_read_file(write: Write) -> None:
    (article,) = read_file(write("x.tsv.bz2", "title\tbody\nعنوان\tنص\n"))
    assert isinstance(article, Article) and article.body == "نص"


def test_bad_arguments(write: Write) -> None:
    path = write("n.jsonl", "")
    with pytest.raises(ValueError, match="unknown format 'xml'"):
        read_dump(path, format="xml")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"unknown field\(s\) headline"):
        read_dump(path, fields={"headline": "title"})


def test_progress(write: Write) -> None:
    first = write("a.jsonl.gz", "".join(line(title=f"خبر {i}", body="نص") for i in range(2500)))
    second = write("b.csv", "title,body\nأ,نص\n")
    total = first.stat().st_size + second.stat().st_size
    reports: list[Progress] = []
    assert sum(1 for _ in read_dump([first, second], on_progress=reports.append)) == 2501
    # before the first record, every hundred records, and after each file
    assert [(p.file, p.files_done, p.records) for p in reports] == [
        *((str(first), 0, n) for n in range(0, 2501, 100)), (str(first), 1, 2500),
        (str(second), 2, 2501)
    ]  # fmt: skip
    assert all(p.files_total == 2 and p.bytes_total == total for p in reports)
    assert {p.phase for p in reports} == {"reading"}
    assert [p.bytes_done for p in reports][-2:] == [first.stat().st_size, total]
    done = [p.bytes_done for p in reports]
    assert done == sorted(done)


def test_str_of_reject_and_note() -> None:
    assert str(Reject("d/n.csv", 4, "1 column where the header has 2", "x")) == (
        "d/n.csv:4: 1 column where the header has 2"
    )
    note = Note("d/n.csv", 3, "date", "unparsed date 'أمس'")
    assert str(note) == "d/n.csv:3: unparsed date 'أمس'"

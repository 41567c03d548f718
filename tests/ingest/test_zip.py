"""Zip archives: read member by member, streamed, named ``archive.zip:member:line``."""

from __future__ import annotations

import gzip
import io
import json
import struct
import tracemalloc
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from search.article import Article
from search.ingest import Note, Progress, Reject, read_dump, read_file
from tests.ingest.conftest import Split

Write = Callable[..., Path]
Members = list[tuple[str, str | bytes]]

BODY = "قال المتحدث باسم الوزارة إن الاجتماع تناول سبل تعزيز التعاون بين البلدين."
SKIPPED = "skipped: its extension names no dump format"


def jsonl(*records: dict[str, object]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def zipped(members: Members, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A zip archive holding ``members`` (name, content), in that order."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in members:
            archive.writestr(name, content)
    return buffer.getvalue()


def doc(docno: str, title: str) -> str:
    return (
        f"<DOC>\n<DOCNO>{docno}</DOCNO>\n<TITLE>{title}</TITLE>\n<TEXT>\n{BODY}\n</TEXT>\n</DOC>\n"
    )


def test_a_saudinewsnet_day_a_zip_holding_one_json_array(
    write: Write, tmp_path: Path, split: Split
) -> None:
    records = [
        {
            "source": "sabq",
            "url": f"http://sabq.org/{n}",
            "date_extracted": f"2015-07-21 0{n}:51:32",
            "title": f"عنوان الخبر {n}",
            "author": "",
            "content": f"{BODY} ({n})",
        }
        for n in range(3)
    ]
    text = json.dumps(records, ensure_ascii=False, indent=4)
    path = write("dataset/2015-07-21.zip", zipped([("2015-07-21.json", text)]))
    starts = [n for n, line in enumerate(text.splitlines(), 1) if line == "    {"]
    articles, rejects, notes = split(read_dump(tmp_path / "dataset"))
    assert rejects == []
    assert [a.origin for a in articles] == [f"{path}:2015-07-21.json:{n}" for n in starts]
    assert [(a.title, a.body, a.source) for a in articles] == [
        (r["title"], r["content"], r["source"]) for r in records
    ]
    assert all(str(a.date) == "2015-07-21" for a in articles)
    assert [n.kind for n in notes] == ["fields"]
    assert notes[0].message == "fields: body ← content, date ← date_extracted"


def test_members_of_every_format_are_read_in_stored_order(write: Write, split: Split) -> None:
    members: Members = [
        ("news/", ""),  # a directory entry
        ("news/a.jsonl", jsonl({"title": "أ", "body": BODY}) + "{bad json\n"),
        ("news/b.csv", f"title,body\nب,{BODY}\n"),
        ("news/c.json.gz", gzip.compress(jsonl({"title": "ج", "body": BODY}).encode())),
        ("README.md", "# عن هذه البيانات\n"),
        ("__MACOSX/news/._a.jsonl", b"\x00\x05\x16\x07 Mac OS X resource fork"),
        ("news/.hidden.json", jsonl({"title": "مخفي", "body": BODY})),
        ("news/gigaword", doc("AFP_ARB_20010101.0001", "د")),  # no extension: probed, SGML
        ("news/ant.txt", doc("JA-culture-1-20170120", "هـ")),  # ANT: a .txt holding a <DOC>
        ("news/page.txt", "و\n" + BODY + "\n"),  # a .txt page
        ("news/export", jsonl({"title": "ز", "body": BODY})),  # no extension: probed, JSON
        ("news/LICENSE", "MIT License\n\nPermission is hereby granted, free of charge\n"),
    ]
    path = write("archive.zip", zipped(members))
    records = list(read_dump(path))
    articles, rejects, notes = split(records)
    assert [(a.title, a.origin) for a in articles] == [
        ("أ", f"{path}:news/a.jsonl:1"),
        ("ب", f"{path}:news/b.csv:2"),
        ("ج", f"{path}:news/c.json.gz:1"),
        ("د", f"{path}:news/gigaword:1"),
        ("هـ", f"{path}:news/ant.txt:1"),
        ("و", f"{path}:news/page.txt:1"),
        ("ز", f"{path}:news/export:1"),
    ]
    assert all(a.body == BODY for a in articles[:3] + articles[5:])
    # the TREC/SGML reader got the <DOC>s (its own tests say how it reads them)
    assert [a.id for a in articles[3:5]] == ["AFP_ARB_20010101.0001", "JA-culture-1-20170120"]
    (reject,) = rejects
    assert str(reject) == (
        f"{path}:news/a.jsonl:2: invalid JSON at column 2: Expecting property name enclosed in "
        "double quotes"
    )
    assert reject.raw == "{bad json"
    # the README is skipped by its extension, the LICENSE (no extension) by its content; both
    # where they are stored, the hidden and macOS files silently
    assert notes == [
        Note(f"{path}:README.md", 0, "skipped", SKIPPED),
        Note(f"{path}:news/LICENSE", 0, "skipped", "skipped: its content is no dump format"),
    ]
    assert records.index(notes[0]) == 4 and records[-1] == notes[1]


def test_a_zip_inside_a_zip(write: Write, split: Split) -> None:
    inner = zipped([("news.jsonl", jsonl({"title": "داخلي", "body": BODY}) + "[1]\n")])
    path = write(
        "outer.zip", zipped([("inner.zip", inner), ("top.csv", f"title,body\nأ,{BODY}\n")])
    )
    articles, rejects, notes = split(read_dump(path))
    assert [a.origin for a in articles] == [
        f"{path}:inner.zip:news.jsonl:1", f"{path}:top.csv:2"
    ]  # fmt: skip
    assert [str(r) for r in rejects] == [
        f"{path}:inner.zip:news.jsonl:2: an array, not a JSON object"
    ]
    assert notes == []


def test_zips_nested_too_deep_are_rejected(write: Write, split: Split) -> None:
    archive = zipped([("news.jsonl", jsonl({"title": "عميق", "body": BODY}))])
    for depth in (3, 2):
        archive = zipped([(f"level{depth}.zip", archive)])
    three = write("three.zip", archive)
    (article,) = read_dump(three)
    assert isinstance(article, Article)
    assert article.origin == f"{three}:level2.zip:level3.zip:news.jsonl:1"
    four = write("four.zip", zipped([("three.zip", archive)]))
    assert list(read_dump(four)) == [
        Reject(f"{four}:three.zip:level2.zip:level3.zip", 0,
               "a zip archive nested 4 deep: extract the outer ones first")
    ]  # fmt: skip


def test_zips_are_found_by_walking_and_by_content(
    write: Write, tmp_path: Path, split: Split
) -> None:
    def one(title: str) -> bytes:
        return zipped([("news.jsonl", jsonl({"title": title, "body": BODY}))])

    write("d/a.zip", one("أ"))
    write("d/bundle", one("ب"))  # no extension: its content is a zip
    write("d/c.bin", one("ج"))  # an extension naming no format: skipped when walking
    articles, rejects, notes = split(read_dump(tmp_path / "d"))
    assert [(a.title, a.origin) for a in articles] == [
        ("أ", f"{tmp_path / 'd' / 'a.zip'}:news.jsonl:1"),
        ("ب", f"{tmp_path / 'd' / 'bundle'}:news.jsonl:1"),
    ]
    assert rejects == []
    assert notes == [Note(str(tmp_path / "d" / "c.bin"), 0, "skipped", SKIPPED)]
    # named directly, a zip under any name is read: its content says what it is
    named = write("dump.dat", one("د"))
    (article,) = read_file(named)
    assert isinstance(article, Article) and article.origin == f"{named}:news.jsonl:1"


def test_a_damaged_zip_is_one_reject_and_the_next_file_is_read(write: Write) -> None:
    records = [{"title": f"عنوان {n}", "body": BODY * 3} for n in range(200)]
    archive = zipped([("news.jsonl", jsonl(*records))])
    damaged = write("damaged.zip", archive[: len(archive) // 2])
    after = write("after.jsonl", jsonl({"title": "بعد", "body": BODY}))
    reject, article = read_dump([damaged, after])
    assert isinstance(reject, Reject) and (reject.file, reject.line) == (str(damaged), 0)
    assert "cannot be opened as one" in reject.reason
    assert reject.reason.endswith("damaged or truncated? Nothing in it was read")
    assert isinstance(article, Article) and article.origin == f"{after}:1"


def test_a_member_with_a_bad_checksum_is_rejected_and_the_next_member_read(write: Write) -> None:
    text = jsonl(*({"title": f"عنوان {n}", "body": BODY} for n in range(3)))
    archive = bytearray(zipped([("a.jsonl", text), ("b.jsonl", text)], zipfile.ZIP_STORED))
    where = archive.index("عنوان 1".encode())
    archive[where] = ord("x")  # stored data changed, its CRC-32 not
    path = write("crc.zip", bytes(archive))
    records = list(read_dump(path))
    assert [str(r) for r in records if isinstance(r, Reject)] == [
        f"{path}:a.jsonl:0: cannot be read from the archive: Bad CRC-32 for file 'a.jsonl'"
    ]
    assert [r.origin for r in records if isinstance(r, Article)] == [
        f"{path}:b.jsonl:{n}" for n in (1, 2, 3)
    ]


def encrypt(archive: bytes, member: str) -> bytes:
    """``archive`` with ``member`` marked encrypted (general-purpose flag bit 0) in its local and
    central headers: zipfile cannot write encrypted members, but it reads this flag."""
    data = bytearray(archive)
    name = member.encode()
    for info in zipfile.ZipFile(io.BytesIO(archive)).infolist():
        if info.filename == member:
            assert data[info.header_offset : info.header_offset + 4] == b"PK\x03\x04"
            data[info.header_offset + 6] |= 1
    end = data.rindex(b"PK\x05\x06")
    (count,) = struct.unpack_from("<H", data, end + 10)
    (at,) = struct.unpack_from("<I", data, end + 16)
    for _ in range(count):
        assert data[at : at + 4] == b"PK\x01\x02"
        size, extra, comment = struct.unpack_from("<HHH", data, at + 28)
        if data[at + 46 : at + 46 + size] == name:
            data[at + 8] |= 1
        at += 46 + size + extra + comment
    return bytes(data)


def test_an_encrypted_member_is_rejected_and_the_others_read(write: Write) -> None:
    archive = zipped(
        [
            ("secret.jsonl", jsonl({"title": "سري", "body": BODY})),
            ("open.jsonl", jsonl({"title": "مفتوح", "body": BODY})),
        ]
    )
    path = write("locked.zip", encrypt(archive, "secret.jsonl"))
    assert zipfile.ZipFile(path).getinfo("secret.jsonl").flag_bits & 1  # the patch took
    reject, article = read_dump(path)
    assert reject == Reject(
        f"{path}:secret.jsonl", 0, "encrypted: extract the archive with its password first"
    )
    assert isinstance(article, Article) and article.title == "مفتوح"


def test_an_empty_zip_is_no_crash_and_no_record(write: Write, tmp_path: Path) -> None:
    empty = write("empty.zip", zipped([]))
    assert empty.read_bytes().startswith(b"PK\x05\x06")  # an end record and nothing else
    after = write("after.jsonl", jsonl({"title": "بعد", "body": BODY}))
    records = list(read_dump([empty, after]))
    nothing = "the zip archive holds no dump file: nothing to index"
    assert records == [Note(str(empty), 0, "empty", nothing), next(iter(read_dump(after)))]
    only_docs = write("docs.zip", zipped([("docs/", ""), ("docs/README.md", "# اقرأني\n")]))
    assert list(read_dump(only_docs)) == [
        Note(f"{only_docs}:docs/README.md", 0, "skipped", SKIPPED),
        Note(str(only_docs), 0, "empty", nothing),
    ]


def test_progress_counts_the_bytes_of_the_zip(write: Write) -> None:
    def day(m: int) -> str:
        return jsonl(*({"title": f"عنوان {m}-{n}", "body": f"{BODY} {n}"} for n in range(400)))

    csv = "title,body\n" + "".join(f"ع{n},{BODY} {n}\n" for n in range(250))
    members: Members = [*((f"day{m}.jsonl", day(m)) for m in range(3)), ("day3.csv", csv)]
    path = write("days.zip", zipped(members))
    size = path.stat().st_size
    seen: list[Progress] = []
    records = list(read_dump(path, on_progress=seen.append))
    assert sum(isinstance(r, Article) for r in records) == 1450
    done = [p.bytes_done for p in seen]
    assert done == sorted(done)
    assert done[0] == 0 and done[-1] == size
    assert 0 < done[len(done) // 2] < size  # it moves while the members are read
    assert {p.bytes_total for p in seen} == {size}
    assert (seen[-1].records, seen[-1].files_done, seen[-1].files_total) == (1450, 1, 1)


@pytest.mark.slow
def test_a_large_member_is_streamed(tmp_path: Path) -> None:
    words = ["الحكومة", "الاقتصاد", "وزير", "اجتماع", "القاهرة", "الرياض", "مجلس", "الأمن"]

    def lines() -> Iterator[bytes]:
        for n in range(10**7):
            body = " ".join(words[(n * 7 + k) % len(words)] for k in range(120))
            record = {"id": f"n{n}", "title": f"عنوان الخبر {n}", "body": body}
            yield (json.dumps(record, ensure_ascii=False) + "\n").encode()

    path = tmp_path / "big.zip"
    written = count = 0
    archive = zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED)
    with archive, archive.open("big.jsonl", "w") as member:
        chunk: list[bytes] = []
        for line in lines():
            chunk.append(line)
            written += len(line)
            count += 1
            if len(chunk) == 1000 or written >= 60 * 2**20:
                member.write(b"".join(chunk))
                chunk.clear()
            if written >= 60 * 2**20:
                break
    assert zipfile.ZipFile(path).getinfo("big.jsonl").file_size >= 60 * 2**20
    tracemalloc.start()
    try:
        read = last = 0
        for record in read_dump(path):
            if isinstance(record, Article):
                read += 1
                last = int(record.id[1:])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (read, last) == (count, count - 1)
    assert peak < 20 * 2**20, f"peak {peak / 2**20:.1f} MiB reading a 60 MiB member"


SAUDINEWSNET = Path(__file__).parents[2] / ".." / "shared" / "data" / "saudinewsnet"


@pytest.mark.corpus
@pytest.mark.slow
def test_saudinewsnet_as_published_upstream(tmp_path: Path, split: Split) -> None:
    """The corpus put back in its upstream shape (a zip a day, each holding one JSON array
    of ``source, url, date_extracted, title, author, content``) reads as our JSONL copy."""
    dump = SAUDINEWSNET / "saudinewsnet.jsonl.gz"
    if not dump.exists():
        pytest.skip("saudinewsnet is not in ../shared/data")
    days: dict[str, list[dict[str, object]]] = {}
    with gzip.open(dump, "rt", encoding="utf-8") as lines:
        for line in lines:
            r = json.loads(line)
            days.setdefault(r["file"], []).append(
                {"source": r["source"], "url": r["url"], "date_extracted": r["date"],
                 "title": r["title"], "author": r["author"], "content": r["body"]}
            )  # fmt: skip
    for name, records in days.items():
        archive, member = name.split(":")
        path = tmp_path / archive
        path.parent.mkdir(exist_ok=True)
        text = json.dumps(records, ensure_ascii=False, indent=4)
        path.write_bytes(zipped([(member, text)]))
    upstream, rejects, notes = split(read_dump(tmp_path / "dataset"))
    ours, our_rejects, _ = split(read_dump(dump))
    assert len(days) == 18 and len(upstream) == len(ours) == 31_030 - 57
    assert len(rejects) == len(our_rejects) == 57
    assert all(r.reason.endswith(": empty title and body") for r in rejects)

    def key(a: Article) -> tuple[object, ...]:
        return (a.title, a.body, a.date, a.date_text, a.source, a.url)

    assert [key(a) for a in upstream] == [key(a) for a in ours]  # in the same order
    assert [n.kind for n in notes] == ["fields"]  # no title-only, no no-date
    assert notes[0].message == "fields: body ← content, date ← date_extracted"


def test_a_format_for_every_file_reads_members_of_any_extension(write: Write) -> None:
    archive = write("dump.zip", zipped([("export.dat", jsonl({"title": "عنوان", "body": BODY}))]))
    assert [type(r).__name__ for r in read_dump(archive)] == ["Note", "Note"]  # skipped, empty
    (article,) = read_dump(archive, format="jsonl")
    assert isinstance(article, Article) and article.origin == f"{archive}:export.dat:1"

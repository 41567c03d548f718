"""open_text: compression by magic bytes, UTF-8 with BOM and bad bytes, truncation, errors."""

from __future__ import annotations

import gzip
from collections.abc import Callable
from pathlib import Path

import pytest

from search.errors import InputError
from search.ingest.open import StreamBroken, open_text

Write = Callable[..., Path]

TEXT = "سطر أول\nsecond line\r\nالثالث"
LINES = ["سطر أول\n", "second line\r\n", "الثالث"]


def read(path: Path) -> list[str]:
    with open_text(path) as dump:
        return list(dump.lines())


@pytest.mark.parametrize(
    ("name", "compression"),
    [("news.txt", None), ("news.txt.gz", "gzip"), ("news.txt.bz2", "bz2"), ("news.txt.xz", "xz")],
)
def test_reads_each_compression(write: Write, name: str, compression: str | None) -> None:
    path = write(name, TEXT)
    with open_text(path) as dump:
        assert dump.compression == compression
        assert list(dump.lines()) == LINES
        assert dump.position() == dump.size == path.stat().st_size


def test_magic_bytes_beat_the_name(write: Write) -> None:
    gzipped_without_suffix = write("news.jsonl", gzip.compress(TEXT.encode()))
    inflated_but_named_gz = write("inflated.jsonl.gz", TEXT, as_is=True)
    assert read(gzipped_without_suffix) == read(inflated_but_named_gz) == LINES


def test_text_starting_like_bz2_is_plain(write: Write) -> None:
    assert read(write("page.txt", "BZh9 is not a bz2 stream\n")) == ["BZh9 is not a bz2 stream\n"]


def test_bom_is_dropped(write: Write) -> None:
    assert read(write("bom.csv", "\ufeffid,title\n1,x\n")) == ["id,title\n", "1,x\n"]


def test_bom_is_dropped_in_compressed_files(write: Write) -> None:
    assert read(write("bom.csv.gz", "\ufeffid,title\n")) == ["id,title\n"]


def test_invalid_utf8_is_replaced_and_counted(write: Write) -> None:
    # Line 3 holds a real U+FFFD, validly encoded: text, not damage, so not counted.
    data = "سطر\n".encode() + b"bad \xff\xfe and \xd8\n" + "ok \ufffd\n".encode() + b"\xc3\n"
    with open_text(write("bad.jsonl.gz", data)) as dump:
        lines = list(dump.lines())
        assert lines == ["سطر\n", "bad \ufffd\ufffd and \ufffd\n", "ok \ufffd\n", "\ufffd\n"]
        assert dump.replaced == 4
        assert dump.first_replaced_line == 2


def test_clean_file_counts_nothing(write: Write) -> None:
    with open_text(write("clean.txt", TEXT)) as dump:
        list(dump.lines())
        assert (dump.replaced, dump.first_replaced_line) == (0, None)


def test_truncated_gzip_yields_complete_lines_then_says_where(write: Write) -> None:
    lines = [f'{{"n": {i}, "pad": "{i * 37 % 1000}"}}\n' for i in range(5000)]
    full = gzip.compress("".join(lines).encode())
    path = write("cut.jsonl.gz", full[: len(full) // 2], as_is=True)
    got: list[str] = []
    with open_text(path) as dump, pytest.raises(StreamBroken) as caught:
        got.extend(dump.lines())
    assert 0 < len(got) < 5000
    assert got == lines[: len(got)]
    error = caught.value
    assert error.file == str(path)
    assert error.line == len(got) + 1
    assert "truncated" in error.reason
    assert f"lines 1-{len(got)} were read" in error.reason


def test_corrupt_gzip_says_corrupt(write: Write) -> None:
    data = bytearray(gzip.compress(b"line\n" * 100_000))
    data[len(data) // 2 : len(data) // 2 + 64] = bytes(64)
    path = write("bad.txt.gz", bytes(data), as_is=True)
    with open_text(path) as dump, pytest.raises(StreamBroken) as caught:
        list(dump.lines())
    assert "corrupt gzip data" in caught.value.reason


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nope\.jsonl: no such file"):
        open_text(tmp_path / "nope.jsonl")


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a directory"):
        open_text(tmp_path)


def test_permission_denied(write: Write, deny_reads: Callable[[Path], None]) -> None:
    path = write("secret.jsonl", "{}\n")
    deny_reads(path)
    with pytest.raises(InputError, match=r"secret\.jsonl: permission denied") as caught:
        open_text(path)
    assert caught.value.fix == "Check the file's permissions (ls -l)."


def test_name_is_used_in_messages(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"^dumps/x\.csv: no such file"):
        open_text(tmp_path / "x.csv", name="dumps/x.csv")

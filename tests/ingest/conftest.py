"""Fixtures for the dump reader tests: real files on disk, compressed as their names say."""

from __future__ import annotations

import bz2
import gzip
import lzma
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest

from search.article import Article
from search.ingest.records import Note, Reject

_COMPRESS = {".gz": gzip.compress, ".bz2": bz2.compress, ".xz": lzma.compress}


@pytest.fixture
def write(tmp_path: Path) -> Callable[..., Path]:
    """write("a/news.jsonl.gz", text) -> the path of a file holding text (UTF-8), gzipped.

    ``as_is=True`` writes the bytes uncompressed whatever the name says.
    """

    def write(name: str, content: str | bytes, *, as_is: bool = False) -> Path:
        data = content.encode("utf-8") if isinstance(content, str) else content
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        compress = None if as_is else _COMPRESS.get(path.suffix)
        path.write_bytes(compress(data) if compress else data)
        return path

    return write


Split = Callable[[Iterable[object]], tuple[list[Article], list[Reject], list[Note]]]


@pytest.fixture
def split() -> Split:
    """split(records) -> (articles, rejects, notes), each in stream order."""

    def split(records: Iterable[object]) -> tuple[list[Article], list[Reject], list[Note]]:
        articles: list[Article] = []
        rejects: list[Reject] = []
        notes: list[Note] = []
        for record in records:
            {Article: articles, Reject: rejects, Note: notes}[type(record)].append(record)
        return articles, rejects, notes

    return split

"""The news corpora in ``../shared/data``: which files, how to read them, and a prepared copy.

A speed or rebuild run indexes one *prepared* file, ``corpus.jsonl`` in its work directory: the
chosen corpora interleaved (so ``--limit`` samples all of them), cut to ``--limit`` and repeated
``--scale`` times with new ids. Every engine reads that same file, so reading and JSON parsing
are in every engine's indexing time alike. Records are streamed: a 300k-article scale run never
holds the corpus in memory.

The relevance benchmark draws from the *news pool* instead: the three corpora de-duplicated, in
a fixed order, so that a seeded draw is the same on every machine.
"""

from __future__ import annotations

import gzip
import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.peers import Doc

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATA = REPO_ROOT.parent / "shared" / "data"  # ../shared/data beside the checkout

#: Short name → file under the data directory.
CORPORA: dict[str, Path] = {
    "ant1": Path("antcorpus_v1.1") / "ant_v1.1_jawharafm.jsonl.gz",
    "ant2": Path("antcorpus_multisource_v2.1") / "ant_v2.1_multisource.jsonl.gz",
    "snn": Path("saudinewsnet") / "saudinewsnet.jsonl.gz",
}
CHOICES = (*CORPORA, "all")
# What Bahth's reader takes from a record; the rest (abstract, author, file) is left out so the
# prepared file is no bigger than the text under test.
KEPT_FIELDS = ("id", "title", "body", "date", "source", "category", "url")


def names(choice: str) -> list[str]:
    """The corpus names behind a ``--corpus`` choice."""
    return list(CORPORA) if choice == "all" else [choice]


def missing(data: Path, choice: str) -> list[Path]:
    """Corpus files of ``choice`` that are not under ``data``."""
    return [data / CORPORA[name] for name in names(choice) if not (data / CORPORA[name]).is_file()]


def read_records(path: Path) -> Iterator[dict[str, Any]]:
    """The records of one JSON Lines file (gzipped when its name ends in ``.gz``), in order."""
    with (
        gzip.open(path, "rt", encoding="utf-8")
        if path.suffix == ".gz"
        else path.open(encoding="utf-8")
    ) as lines:
        for line in lines:
            if line.strip():
                yield json.loads(line)


def read_docs(path: Path, limit: int | None = None) -> Iterator[Doc]:
    """The first ``limit`` records of a file as peer input, parsed lazily (parsing is part of
    indexing time). Dates are left out: no peer indexes them."""
    for record in itertools.islice(read_records(path), limit):
        yield Doc(
            id=record["id"],
            title=record.get("title") or "",
            body=record.get("body") or "",
            date=None,
        )


def _labelled(name: str, path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    for record in read_records(path):
        yield name, record


def interleaved(data: Path, choice: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """``(corpus name, record)`` taking one record from each chosen corpus in turn.

    Round robin rather than one file after the other, so that the first N records (``--limit``)
    hold all the corpora in proportion until the smallest runs out.
    """
    streams = [_labelled(name, data / CORPORA[name]) for name in names(choice)]
    for group in itertools.zip_longest(*streams):
        yield from (item for item in group if item is not None)


@dataclass(frozen=True)
class Prepared:
    """The prepared corpus file and what is known about it."""

    path: Path
    articles: int
    raw_bytes: int  # UTF-8 bytes of titles and bodies: the text every engine indexes
    per_corpus: dict[str, int]


def prepare(
    data: Path, choice: str, out: Path, *, limit: int | None = None, scale: int = 1
) -> Prepared:
    """Write the chosen corpora to ``out`` (JSONL), cut to ``limit``, repeated ``scale`` times.

    Copy ``k`` (from 0) of a record gets the id ``<id>~k`` for k > 0, so engines see new
    articles, not updates of the old ones.
    """
    articles = raw = 0
    per_corpus: dict[str, int] = {}
    with out.open("w", encoding="utf-8") as sink:
        for copy in range(scale):
            records = itertools.islice(interleaved(data, choice), limit)
            for name, record in records:
                kept = {key: record.get(key) for key in KEPT_FIELDS}
                if copy:
                    kept["id"] = f"{kept['id']}~{copy}"
                sink.write(json.dumps(kept, ensure_ascii=False) + "\n")
                articles += 1
                raw += len((kept["title"] or "").encode()) + len((kept["body"] or "").encode())
                per_corpus[name] = per_corpus.get(name, 0) + 1
    return Prepared(out, articles, raw, per_corpus)


@dataclass
class PoolStats:
    """What reading the news pool kept and skipped, per reason."""

    read: int = 0
    kept: int = 0
    empty: int = 0
    duplicate_url: int = 0
    duplicate_text: int = 0
    per_corpus: dict[str, int] = field(default_factory=dict)


def read_news_pool(data: Path) -> tuple[list[Doc], PoolStats]:
    """Every usable, de-duplicated article of the three news corpora, in a fixed order.

    The corpora come in ``CORPORA`` order, each in file order. A record is skipped when its
    title or body is empty, when its URL was seen before (ANT v2.1 files the same article under
    two categories with two ids) or when its exact title + body was seen before (all three
    corpora repeat some). Ids get a corpus prefix: upstream ids of different corpora may collide.
    """
    docs: list[Doc] = []
    stats = PoolStats()
    urls: set[str] = set()
    texts: set[int] = set()  # hashes of title + body; 70k strings of ~2 KB need not stay alive
    for prefix, relative in CORPORA.items():
        kept_before = stats.kept
        for record in read_records(data / relative):
            stats.read += 1
            title = (record.get("title") or "").strip()
            body = (record.get("body") or "").strip()
            if not title or not body:
                stats.empty += 1
                continue
            url = (record.get("url") or "").strip()
            if url and url in urls:
                stats.duplicate_url += 1
                continue
            text_hash = hash((title, body))
            if text_hash in texts:
                stats.duplicate_text += 1
                continue
            if url:
                urls.add(url)
            texts.add(text_hash)
            docs.append(Doc(id=f"{prefix}:{record['id']}", title=title, body=body, date=None))
            stats.kept += 1
        stats.per_corpus[prefix] = stats.kept - kept_before
    ids = [d["id"] for d in docs]
    if len(set(ids)) != len(ids):
        raise ValueError("duplicate ids within one news corpus; cannot judge known items by id")
    return docs, stats

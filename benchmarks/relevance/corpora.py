"""The news pool: the three news corpora of ``shared/data``, read and de-duplicated.

Order is fixed (the corpora in ``CORPORA`` order, each in file order), so a seeded draw
from the pool is the same on every machine. Records are skipped when their title or body is
empty, when their URL was seen before (ANT v2.1 files the same article under two categories
with two ids) or when their exact title + body was seen before (all three corpora repeat some).
Ids get a corpus prefix, because the upstream ids of different corpora may collide.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.peers import Doc
from benchmarks.speed.corpora import CORPORA, read_records


@dataclass
class PoolStats:
    """What reading the pool kept and skipped, per reason."""

    read: int = 0
    kept: int = 0
    empty: int = 0
    duplicate_url: int = 0
    duplicate_text: int = 0
    per_corpus: dict[str, int] = field(default_factory=dict)


def read_news_pool(data: Path) -> tuple[list[Doc], PoolStats]:
    """Every usable, de-duplicated article of the three news corpora, in a fixed order."""
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

"""One article the engine cannot take is a reject of that article, never the end of the run.

Articles go in through the API (``Indexer.add_articles``), which takes ``Article``s as a script
made them: ingest repairs what it reads from dumps, but nothing stands between a script and
the engine. On each engine, with the analysis in the indexing process (1 worker) and in
worker processes (2): an article holding a lone surrogate (which UTF-8 cannot encode) is
rejected before the run changes anything for it; an article whose analysis raises (a text
object that refuses to be split, as a stand-in for any bug an odd text could hit) is left out
by the engine, in the worker that analyses it. Either way the reject names the article and
its origin, is counted in ``IndexReport.rejected`` and written to the run's rejects file, and
everything else is committed.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from search import Article, Indexer, Searcher
from search.report import IndexReport

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("engine")]

WORD = "النفط"
COUNT = 300  # over whoosh's job files (100 documents) and tantivy's batches (64)


class Unsplittable(str):
    """A text whose analysis fails: ``split`` raises (an ``Article`` made by a script may hold
    any ``str``). Module level, so that an analysis process can unpickle it."""

    __slots__ = ()

    def split(self, *args: object, **kwargs: object) -> list[str]:  # type: ignore[override]
        raise ValueError("this text cannot be split")


def articles(count: int = COUNT, marker: str = "") -> list[Article]:
    return [
        Article(
            id=f"a{n:04d}",
            title=f"{WORD} خبر رقم {n} {marker}".strip(),
            body=f"ارتفعت أسعار {WORD} في السوق اليوم {marker} " * 10,
            source="alriyadh",
            origin=f"dump.jsonl:{n + 1}",
        )
        for n in range(count)
    ]


def rejects(report: IndexReport) -> list[dict[str, object]]:
    assert report.rejects_file is not None
    text = report.rejects_file.read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines()]


def indexed(index: Path) -> dict[str, str]:
    with Searcher(index) as searcher:
        return {hit.id: hit.title for hit in searcher.scan(WORD, match="all")}


def assert_counts_add_up(report: IndexReport, records: int) -> None:
    assert report.read == records
    parts = report.added, report.updated, report.unchanged, report.duplicates, report.rejected
    assert min(parts) >= 0, report


SURROGATES = {
    "title": lambda a: Article(a.id, f"{a.title} \ud800", a.body, origin=a.origin),
    "body": lambda a: Article(a.id, a.title, f"{a.body} \udc80 {WORD}", origin=a.origin),
    "id": lambda a: Article(f"{a.id}\ud83d", a.title, a.body, origin=a.origin),
    "source": lambda a: Article(a.id, a.title, a.body, source="\udfff", origin=a.origin),
    "keywords": lambda a: Article(a.id, a.title, a.body, keywords=("\ud800",), origin=a.origin),
}


@pytest.mark.parametrize("workers", [1, 2])
@pytest.mark.parametrize("field", sorted(SURROGATES))
def test_an_article_with_a_lone_surrogate_is_rejected_and_the_rest_committed(
    tmp_path: Path, workers: int, field: str
) -> None:
    given = articles()
    given[150] = SURROGATES[field](given[150])
    report = Indexer(tmp_path / "index", workers=workers).add_articles(given)

    assert (report.added, report.rejected) == (COUNT - 1, 1), report
    assert_counts_add_up(report, COUNT)
    [reject] = rejects(report)
    assert (reject["file"], reject["line"]) == ("dump.jsonl", 151)
    assert "a0150" in str(reject["reason"]) and "lone surrogate" in str(reject["reason"])
    assert field.rstrip("s") in str(reject["reason"])
    found = indexed(tmp_path / "index")
    assert len(found) == COUNT - 1 and "a0150" not in found


@pytest.mark.parametrize("workers", [1, 2])
def test_an_update_with_a_lone_surrogate_keeps_the_version_indexed(
    tmp_path: Path, workers: int
) -> None:
    index = tmp_path / "index"
    Indexer(index, workers=workers).add_articles(articles())
    changed = articles(marker="جديد")
    changed[10] = SURROGATES["body"](changed[10])
    report = Indexer(index, workers=workers).add_articles(changed)

    assert (report.updated, report.rejected) == (COUNT - 1, 1), report
    found = indexed(index)
    assert len(found) == COUNT
    assert "جديد" not in found["a0010"]  # as it was
    assert all("جديد" in title for id_, title in found.items() if id_ != "a0010")


@pytest.mark.parametrize("workers", [1, 2])
def test_an_article_whose_analysis_fails_is_rejected_and_the_rest_committed(
    tmp_path: Path, workers: int
) -> None:
    given = articles()
    for n in (3, 200):  # in the first batch of work and in a later one
        given[n] = Article(
            given[n].id, Unsplittable(f"خبر {n}"), given[n].body, origin=given[n].origin
        )
    report = Indexer(tmp_path / "index", workers=workers).add_articles(given)

    assert (report.added, report.rejected) == (COUNT - 2, 2), report
    assert_counts_add_up(report, COUNT)
    found = sorted(rejects(report), key=lambda r: int(str(r["line"])))
    assert [(r["file"], r["line"]) for r in found] == [("dump.jsonl", 4), ("dump.jsonl", 201)]
    for reject, article_id in zip(found, ("a0003", "a0200"), strict=True):
        assert article_id in str(reject["reason"])
        assert "could not be analysed" in str(reject["reason"])
        assert "this text cannot be split" in str(reject["reason"])
    found_ids = indexed(tmp_path / "index")
    assert len(found_ids) == COUNT - 2 and not {"a0003", "a0200"} & set(found_ids)


@pytest.mark.parametrize("workers", [1, 2])
def test_versions_of_one_id_that_fail_are_counted_as_rejects_not_as_the_id(
    tmp_path: Path, workers: int
) -> None:
    index = tmp_path / "index"
    Indexer(index, workers=workers).add_articles(articles())
    first = articles()
    bad = Unsplittable("خبر لا يحلل")
    later = [
        # a new id whose only version fails: not added
        Article("fresh", bad, "نص", origin="d:1"),
        # an indexed id whose new version fails: rejected; its out-of-date version goes
        Article("a0001", bad, "نص جديد", origin="d:2"),
        # a good version, then one that fails: the id's last version is the reject
        Article("a0002", "خبر أحدث", "نص أحدث", origin="d:3"),
        Article("a0002", bad, "نص أخير", origin="d:4"),
        # one that fails, then a good one: the good one is indexed
        Article("a0004", bad, "نص", origin="d:5"),
        Article("a0004", f"{WORD} خبر صحيح", "نص صحيح", origin="d:6"),
    ]
    report = Indexer(index, workers=workers).add_articles([*first, *later])

    assert report.rejected == 4, report
    assert_counts_add_up(report, COUNT + len(later))
    # Each id counts once, by its last version; its other records are duplicates, but for
    # one that failed, which is a reject: a0001 (1 duplicate), a0002 (2), a0004 (1, updated).
    assert (report.added, report.updated, report.duplicates) == (0, 1, 4), report
    assert report.unchanged == COUNT - 3, report
    found = indexed(index)
    assert "fresh" not in found and "a0001" not in found and "a0002" not in found
    assert found["a0004"] == f"{WORD} خبر صحيح"
    with Searcher(index) as searcher:
        assert searcher.stats().articles == COUNT - 2


def test_an_article_that_is_not_text_is_rejected(tmp_path: Path) -> None:
    given = articles()
    given[7] = Article(given[7].id, None, given[7].body, origin=given[7].origin)  # type: ignore[arg-type]
    report = Indexer(tmp_path / "index").add_articles(given)
    assert (report.added, report.rejected) == (COUNT - 1, 1)
    [reject] = rejects(report)
    assert "a0007" in str(reject["reason"]) and "title is NoneType" in str(reject["reason"])

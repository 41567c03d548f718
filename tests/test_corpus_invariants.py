"""The ranking, paging, totals and filter invariants on SaudiNewsNet (31,030 real articles).

Run with ``pytest -m corpus tests/test_corpus_invariants.py``, on each engine; it builds the
index first (whoosh: several minutes on two cores), or reads an index already built from
``saudinewsnet.jsonl.gz`` when ``BAHTH_SNN_INDEX_WHOOSH`` (``_TANTIVY``) names its directory.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from search import Indexer, QueryError, Searcher
from tests.invariants import (
    assert_any_scores_ordered,
    assert_collapse_keeps_the_first_of_each_story,
    assert_facets_count_the_matches,
    assert_filters_hold,
    assert_limit_independent,
    assert_pages_agree,
    assert_scores_ordered,
    assert_totals_agree,
)

pytestmark = [pytest.mark.corpus, pytest.mark.slow, pytest.mark.usefixtures("engine")]

# The issue's examples, then common multi-word searches of a Saudi news archive.
QUERIES = [
    "ولي العهد",
    "هيئة الأمر بالمعروف",
    "وزارة الصحة",
    "أمير منطقة الرياض",
    "سوق الأسهم السعودية",
    "خادم الحرمين الشريفين",
    "مجلس الوزراء",
    "أسعار النفط",
    "الهلال النصر",
    "فيروس كورونا",
    "وزارة التعليم المعلمين",
    "الحوثيين اليمن",
    "الدفاع المدني الأمطار",
    "نادي الاتحاد",
    "جامعة الملك سعود",
    "مكة المكرمة الحجاج -العمرة",
]


@pytest.fixture(scope="module")
def searcher(
    shared_data: Path, tmp_path_factory: pytest.TempPathFactory, engine: str
) -> Iterator[Searcher]:
    built = os.environ.get(f"BAHTH_SNN_INDEX_{engine.upper()}")
    if built:
        index = Path(built)
    else:
        index = tmp_path_factory.mktemp("snn") / "index"
        Indexer(index).add_files([shared_data / "saudinewsnet" / "saudinewsnet.jsonl.gz"])
    with Searcher(index) as opened:
        assert opened.stats().articles > 30_000
        yield opened


@pytest.mark.parametrize("query", QUERIES)
def test_rankings_pages_and_totals(searcher: Searcher, query: str) -> None:
    for match in ("auto", "all", "any"):
        for sort in ("relevance", "date"):
            for k in (1, 10):
                assert_limit_independent(searcher, query, k, match=match, sort=sort)
            assert_pages_agree(searcher, query, limit=10, pages=3, match=match, sort=sort)
        results = searcher.search(query, limit=100, match=match)
        (assert_any_scores_ordered if match == "any" else assert_scores_ordered)(results, query)
    assert_totals_agree(searcher, query)


@pytest.mark.parametrize("query", QUERIES[:6])
def test_filters(searcher: Searcher, query: str) -> None:
    sources = [name for name, _ in searcher.stats().sources]
    for options in (
        {"since": dt.date(2015, 8, 1)},
        {"until": dt.date(2015, 7, 31)},
        {"since": dt.date(2015, 8, 3), "until": dt.date(2015, 8, 3)},
        {"source": sources[0]},
        {"source": sources[-1], "since": dt.date(2015, 8, 1)},
    ):
        for sort in ("relevance", "date"):
            assert_filters_hold(searcher, query, sort=sort, **options)  # type: ignore[arg-type]
    nothing = searcher.search(query, since="2030-01-01")
    assert (nothing.total, nothing.hits) == (0, [])
    with pytest.raises(QueryError):
        searcher.search(query, source="الرياض")


@pytest.mark.parametrize("query", QUERIES[:8])
def test_collapse_and_facets(searcher: Searcher, query: str) -> None:
    for match in ("auto", "any"):
        for sort in ("relevance", "date"):
            assert_collapse_keeps_the_first_of_each_story(
                searcher, query, limit=10, match=match, sort=sort
            )
    sources = [name for name, _ in searcher.stats().sources]
    for filters in ({}, {"source": sources[0]}, {"since": dt.date(2015, 8, 1)}):
        assert_facets_count_the_matches(searcher, query, **filters)


def test_the_issue_examples_top_the_best_article(searcher: Searcher) -> None:
    for query in ("ولي العهد", "هيئة الأمر بالمعروف"):
        best = searcher.search(query, limit=1)
        full = searcher.search(query, limit=1000)
        assert best.hits[0].id == full.hits[0].id
        assert best.hits[0].score == max(h.score for h in full if not h.partial)
        assert not best.hits[0].partial

"""The engines side by side: one corpus, the same answers.

Every engine indexes Bahth's own terms, so every count must be equal; their BM25 differ a
little (whoosh's BM25F has per-field length normalization, tantivy's is fixed at k1 1.2,
b 0.75 and scores in 32-bit floats; Xapian's normalizes by the whole article's length, not a
field's), so rankings must be near-identical, not identical.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from search import Article, Indexer, Searcher, engines
from search.cli import main
from tests.conftest import SEEDS
from tests.test_ranking_invariants import QUERIES, _articles

# The engines' indexes of 2,000 articles for the module: seconds to build.
pytestmark = pytest.mark.slow
ENGINES = engines.names()
OTHERS = [e for e in ENGINES if e != "whoosh"]  # each compared with whoosh, the default

ARTICLES = 2_000
SINGLE = ["وزارة", "الرياض", "النفط", "كورونا", "المنتخب"]
SYNTAX = ['"ولي العهد"', "title:الملك", "الاقتص*", "الصحة -كورونا", "(مكة OR جدة) الحج"]


@pytest.fixture(scope="module")
def searchers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Searcher]]:
    corpus: list[Article] = _articles()[:ARTICLES]
    root = tmp_path_factory.mktemp("engines")
    opened = {}
    for engine in ENGINES:
        index: Path = root / engine
        half = ARTICLES // 2
        for batch in (corpus[:half], corpus[half:]):  # two commits, as people add dumps
            Indexer(index, engine=engine, workers=1).add_articles(batch)
        opened[engine] = Searcher(index)
    yield opened
    for searcher in opened.values():
        searcher.close()


ALL_QUERIES = QUERIES + SINGLE + SYNTAX


@pytest.mark.parametrize("other", OTHERS)
@pytest.mark.parametrize("query", ALL_QUERIES)
@pytest.mark.parametrize("match", ["auto", "all", "any"])
def test_the_engines_count_the_same(
    searchers: dict[str, Searcher], query: str, match: str, other: str
) -> None:
    whoosh, tantivy = (searchers[e].search(query, limit=10, match=match) for e in ("whoosh", other))
    assert (whoosh.total, whoosh.total_all_words) == (tantivy.total, tantivy.total_all_words)
    if match != "any":  # full matches first: the same number of them on the page
        assert [h.partial for h in whoosh] == [h.partial for h in tantivy]


def _shared(searchers: dict[str, Searcher], one: str, other: str) -> list[float]:
    """For each query, the share of ``one``'s top 10 that ``other``'s holds too."""
    shared = []
    for query in ALL_QUERIES:
        first, second = ({h.id for h in searchers[e].search(query)} for e in (one, other))
        shared.append(len(first & second) / max(1, len(first)))
    return shared


def test_the_engines_rank_alike(searchers: dict[str, Searcher]) -> None:
    """Most of each top 10 is shared. On this generated corpus a single common word is the
    hardest case: it is in nearly every article, so tantivy's IDF (Lucene's) gives its body
    matches almost no weight and ranks by the title, where whoosh's still counts the body."""
    shared = _shared(searchers, "whoosh", "tantivy")
    multi_word = shared[: len(QUERIES)]
    assert sum(multi_word) / len(multi_word) >= 0.85, multi_word
    assert sum(shared) / len(shared) >= 0.8, shared
    assert min(shared) >= 0.5, shared


def test_xapian_ranks_nearly_as_tantivy(searchers: dict[str, Searcher]) -> None:
    """Xapian's BM25 takes tantivy's k1 and b, but normalizes by the whole article's length
    where tantivy takes each field's (the exact-form bonus on a title differs most), and its
    IDF is log(r), not log(1 + r): most of a multi-word query's top 10 is shared (0.88 on this
    corpus); a single word in nearly every article is a near tie (0.80 over all queries)."""
    if "xapian" not in searchers:
        pytest.skip("the xapian engine is not installed")
    shared = _shared(searchers, "tantivy", "xapian")
    multi_word = shared[: len(QUERIES)]
    assert sum(multi_word) / len(multi_word) >= 0.85, multi_word
    assert sum(shared) / len(shared) >= 0.75, shared


@pytest.mark.parametrize("other", OTHERS)
@pytest.mark.parametrize("query", QUERIES[:10])
def test_the_engines_filter_and_sort_by_date_the_same(
    searchers: dict[str, Searcher], query: str, other: str
) -> None:
    options = {
        "since": dt.date(2015, 6, 1),
        "until": "2016-03",
        "source": "okaz",
        "sort": "date",
        "limit": 30,
    }
    whoosh, tantivy = (searchers[e].search(query, **options) for e in ("whoosh", other))
    assert (whoosh.total, whoosh.total_all_words) == (tantivy.total, tantivy.total_all_words)
    assert [(h.date, h.partial) for h in whoosh] == [(h.date, h.partial) for h in tantivy]


@pytest.mark.parametrize("other", OTHERS)
def test_the_engines_agree_on_the_stored_articles(
    searchers: dict[str, Searcher], other: str
) -> None:
    whoosh, tantivy = searchers["whoosh"], searchers[other]
    first, last = whoosh.stats(), tantivy.stats()
    assert (first.engine, last.engine) == ("whoosh", other)
    assert (first.articles, first.first_date, first.last_date, first.sources) == (
        last.articles,
        last.first_date,
        last.last_date,
        last.sources,
    )
    for article_id in ("gen-00000", "gen-01234", "gen-01999"):
        assert whoosh.get(article_id) == tantivy.get(article_id)


def test_an_index_keeps_its_engine_and_a_rebuild_converts_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("BAHTH_ENGINE", raising=False)
    runner = CliRunner()
    index = str(tmp_path / "index")

    def bahth(*args: str) -> Result:
        return runner.invoke(main, [*args, "--index", index], catch_exceptions=False)

    def engine() -> str:
        return json.loads(bahth("stats", "--json").stdout)["engine"]

    assert bahth("index", str(SEEDS), "-q").exit_code == 0
    assert engine() == "whoosh"  # the default
    before = json.loads(bahth("search", "بوتين", "--json").stdout)

    refused = bahth("index", str(SEEDS), "--engine", "tantivy", "-q")
    assert refused.exit_code == 1
    assert "built with whoosh, not tantivy" in refused.stderr
    assert f"bahth rebuild DUMP... --engine tantivy --index {index}" in refused.stderr

    assert bahth("rebuild", str(SEEDS), "--engine", "tantivy", "-q").exit_code == 0
    assert engine() == "tantivy"
    after = json.loads(bahth("search", "بوتين", "--json").stdout)
    assert (after["total"], after["total_all_words"]) == (
        before["total"],
        before["total_all_words"],
    )

    # Later runs, and a rebuild without --engine, keep the engine; BAHTH_ENGINE only picks the
    # engine of a new index.
    monkeypatch.setenv("BAHTH_ENGINE", "whoosh")
    assert bahth("index", str(SEEDS), "-q").exit_code == 0
    assert bahth("rebuild", str(SEEDS), "-q").exit_code == 0
    assert engine() == "tantivy"
    assert "unchanged" in bahth("index", str(SEEDS)).stdout

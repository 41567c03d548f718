"""Invariants of ranking, paging, totals and filters, on an index large enough for whoosh to prune.

whoosh changes strategy past 5,000 documents (a tree of union matchers instead of preloaded
arrays) and prunes once a page is full: it drops the parts of a query that can no longer reach
the page. Small test indexes never reach either, which is how a ranking that changed with the
page size went unseen. The index here has 6,000 generated articles in two segments, with a
Zipf-skewed vocabulary, boosted titles, copies of articles (tied scores) and several sources,
categories and dates; every invariant is checked on many multi-word queries.

``tests/test_corpus_invariants.py`` runs the same checks on SaudiNewsNet.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from search import Article, Indexer, QueryError, Searcher, analyze
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

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("engine")]

ARTICLES = 6_000
SOURCES = ("alriyadh", "okaz", "alwatan", "sabq", "almadina")
CATEGORIES = ("politics", "economy", "sports", "culture")
FIRST_DAY = dt.date(2015, 1, 1)

# Real news words, then made-up ones for the long tail; all kept apart by the analysis.
_COMMON = """
وزارة الصحة التعليم الرياض جدة مكة المدينة الملك الأمير ولي العهد مجلس الوزراء هيئة
الأمر بالمعروف الشورى المملكة السعودية الخليج اليمن مصر الأردن العراق سوريا لبنان
الاقتصاد النفط أرامكو الأسهم السوق البنك المركزي الميزانية الاستثمار المشاريع الطلاب
الجامعة المدارس المستشفى المرضى الأطباء كورونا اللقاح الحج العمرة الحرم الشرطة المرور
الأمن الدفاع الجيش الحوثي الهلال النصر الاتحاد الأهلي المنتخب الدوري الكأس المباراة
المهرجان المعرض الكتاب الثقافة الفنون المسرح السينما الأمطار الطقس الحرارة الرياح
"""
COMMON_WORDS = _COMMON.split()
LETTERS = "بتثجحخدذرزسشصضطظعغقكمنهي"


def _vocabulary(rng: random.Random, size: int = 600) -> list[str]:
    """Distinct words with distinct index terms, common ones first."""
    words, terms = [], set()
    candidates = iter(
        COMMON_WORDS + ["".join(rng.choices(LETTERS, k=rng.randint(4, 6))) for _ in range(size)]
    )
    while len(words) < size:
        word = next(candidates)
        tokens = analyze(word)
        if len(tokens) == 1 and tokens[0].term and tokens[0].term not in terms:
            terms.add(tokens[0].term)
            words.append(word)
    return words


def _articles(seed: int = 7) -> list[Article]:
    rng = random.Random(seed)
    vocabulary = _vocabulary(rng)
    weights = [1 / (rank + 1) for rank in range(len(vocabulary))]  # Zipf
    articles: list[Article] = []
    while len(articles) < ARTICLES:
        number = len(articles)
        if articles and rng.random() < 0.08:  # a wire copy: same text, another paper and day
            original = rng.choice(articles[-200:])
            title, body = original.title, original.body
        else:
            title = " ".join(rng.choices(vocabulary, weights, k=rng.randint(3, 8)))
            body = " ".join(rng.choices(vocabulary, weights, k=rng.randint(20, 120)))
        articles.append(
            Article(
                id=f"gen-{number:05d}",
                title=title,
                body=body,
                date=FIRST_DAY + dt.timedelta(days=rng.randrange(730)),
                source=rng.choice(SOURCES),
                category=rng.choice(CATEGORIES),
                url=f"https://example.com/{number}",
            )
        )
    return articles


@pytest.fixture(scope="module")
def corpus() -> list[Article]:
    return _articles()


@pytest.fixture(scope="module")
def searcher(
    tmp_path_factory: pytest.TempPathFactory, engine: str, corpus: list[Article]
) -> Iterator[Searcher]:
    index = tmp_path_factory.mktemp("invariants") / "index"
    half = len(corpus) // 2
    for batch in (corpus[:half], corpus[half:]):  # two commits: two segments
        report = Indexer(index, workers=1).add_articles(batch)
        assert report.added == len(batch)
    with Searcher(index) as opened:
        assert opened.stats().articles == ARTICLES
        yield opened


def _queries(rng: random.Random, vocabulary: list[str], count: int) -> list[str]:
    """Two to four words: a frequent one with rarer ones, as people search."""
    queries = []
    for _ in range(count):
        words = [rng.choice(vocabulary[:30])]
        words += rng.sample(vocabulary[:300], rng.randint(1, 3))
        queries.append(" ".join(dict.fromkeys(words)))
    return queries


QUERIES = _queries(random.Random(11), _vocabulary(random.Random(7)), 40)
TEXT = st.sampled_from(QUERIES)
MODES = st.sampled_from(["auto", "all", "any"])
SORTS = st.sampled_from(["relevance", "date"])


def test_the_index_is_large_enough_for_whoosh_to_prune(searcher: Searcher) -> None:
    # A page of 10 fills long before the end of the posting lists of the common words.
    results = searcher.search(QUERIES[0], match="any")
    assert results.total > 20 * len(results.hits) > 0


@settings(max_examples=60)
@given(query=TEXT, match=MODES, sort=SORTS, k=st.sampled_from([1, 3, 10]))
def test_the_first_k_hits_do_not_depend_on_the_limit(
    searcher: Searcher, query: str, match: str, sort: str, k: int
) -> None:
    assert_limit_independent(searcher, query, k, match=match, sort=sort)


@settings(max_examples=40)
@given(query=TEXT, match=MODES, sort=SORTS)
def test_pages_are_disjoint_and_make_up_one_long_page(
    searcher: Searcher, query: str, match: str, sort: str
) -> None:
    assert_pages_agree(searcher, query, limit=7, pages=4, match=match, sort=sort)


@settings(max_examples=40)
@given(query=TEXT, match=MODES)
def test_scores_never_rise_down_the_list(searcher: Searcher, query: str, match: str) -> None:
    results = searcher.search(query, limit=100, match=match)
    check = assert_any_scores_ordered if match == "any" else assert_scores_ordered
    check(results, query)


@settings(max_examples=30)
@given(query=TEXT)
def test_total_all_words_is_the_all_words_total(searcher: Searcher, query: str) -> None:
    assert_totals_agree(searcher, query)


@settings(max_examples=40)
@given(
    query=TEXT,
    match=MODES,
    sort=SORTS,
    since=st.none() | st.dates(dt.date(2014, 6, 1), dt.date(2017, 6, 1)),
    days=st.none() | st.integers(0, 400),
    source=st.none() | st.sampled_from(SOURCES),
    category=st.none() | st.sampled_from(CATEGORIES),
)
def test_every_hit_passes_every_filter(
    searcher: Searcher,
    query: str,
    match: str,
    sort: str,
    since: dt.date | None,
    days: int | None,
    source: str | None,
    category: str | None,
) -> None:
    until = None if days is None else (since or FIRST_DAY) + dt.timedelta(days=days)
    assert_filters_hold(
        searcher, query, match=match, sort=sort, since=since, until=until,
        source=source, category=category,
    )  # fmt: skip


def test_the_unpruned_ranking_is_the_pruned_one(searcher: Searcher) -> None:
    # A page larger than every result set never fills, so whoosh never prunes it: the
    # reference order. Pruned pages must be its prefix.
    checked = 0
    for query in QUERIES:
        reference = searcher.search(query, limit=1000, match="all")
        if not 30 < reference.total < 1000:
            continue
        for k in (1, 5, 20):
            page = searcher.search(query, limit=k, match="all")
            assert [h.id for h in page] == [h.id for h in reference][:k], (query, k)
        checked += 1
    assert checked >= 5


@settings(max_examples=15)  # 30 took 18 s on three engines
@given(query=TEXT, match=MODES, sort=SORTS, limit=st.sampled_from([2, 6, 10]))
def test_collapse_keeps_the_first_hit_of_each_story(
    searcher: Searcher, query: str, match: str, sort: str, limit: int
) -> None:
    assert_collapse_keeps_the_first_of_each_story(
        searcher, query, limit=limit, match=match, sort=sort
    )


def test_wire_copies_are_one_story(searcher: Searcher, corpus: list[Article]) -> None:
    by_body: dict[str, list[str]] = {}
    for article in corpus:
        by_body.setdefault(article.body, []).append(article.id)
    groups = [ids for ids in by_body.values() if len(ids) > 1]
    assert len(groups) > 50
    for group in groups[:50]:
        assert set(searcher.copies(group[0])) >= set(group[1:]), group


@settings(max_examples=30)
@given(
    query=TEXT,
    since=st.none() | st.dates(dt.date(2014, 6, 1), dt.date(2016, 6, 1)),
    source=st.none() | st.sampled_from(SOURCES),
    category=st.none() | st.sampled_from(CATEGORIES),
)
def test_facets_count_every_match_within_the_filters(
    searcher: Searcher,
    query: str,
    since: dt.date | None,
    source: str | None,
    category: str | None,
) -> None:
    assert_facets_count_the_matches(searcher, query, since=since, source=source, category=category)


def test_copies_tie_and_the_newer_one_ranks_first(
    searcher: Searcher, corpus: list[Article]
) -> None:
    by_text: dict[tuple[str, str], list[Article]] = {}
    for article in corpus:
        by_text.setdefault((article.title, article.body), []).append(article)
    copies = next(group for group in by_text.values() if len({a.date for a in group}) > 1)
    query = f'title:"{copies[0].title}"'
    hits = [
        h for h in searcher.search(query, limit=1000, match="all") if h.title == copies[0].title
    ]
    same = [h for h in hits if h.score == hits[0].score]
    assert {h.id for h in copies} <= {h.id for h in same}
    dates = [h.date for h in same]
    assert dates == sorted(dates, reverse=True)


def test_a_filter_nothing_passes_gives_no_hits(searcher: Searcher) -> None:
    for query in QUERIES[:5]:
        for match in ("auto", "all", "any"):
            for options in (
                {"since": "2030-01-01"},
                {"until": "2000-01-01"},
                {"since": "2030-01-01", "source": "okaz", "sort": "date"},
            ):
                results = searcher.search(query, match=match, **options)
                assert (results.total, results.total_all_words, results.hits) == (0, 0, [])


def test_a_field_holds_for_every_hit(searcher: Searcher) -> None:
    for word in QUERIES[0].split():
        [token] = analyze(word)
        results = searcher.search(f"title:{word}", limit=100)
        assert results.hits
        for hit in results:
            assert token.term in {t.term for t in analyze(hit.title)}, (word, hit.title)


def test_since_after_until_and_unknown_sources_are_errors(searcher: Searcher) -> None:
    with pytest.raises(QueryError, match="since 2016-02-01 is after until 2016-01-31"):
        searcher.search(QUERIES[0], since="2016-02-01", until="2016-01-31")
    with pytest.raises(QueryError) as error:
        searcher.search(QUERIES[0], source="الرياض")
    assert all(source in str(error.value) for source in SOURCES)
    with pytest.raises(QueryError, match="category"):
        searcher.search(QUERIES[0], category="weather")


# Long: threads over many queries; the contract suite checks shared readers in CI.
@pytest.mark.long
def test_a_searcher_shared_by_threads_answers_as_one_thread_does(searcher: Searcher) -> None:
    jobs = [(q, m) for q in QUERIES[:20] for m in ("auto", "any")]

    def answer(job: tuple[str, str]) -> tuple[list[str], int, list[str]]:
        results = searcher.search(job[0], match=job[1], limit=10)
        article = searcher.get(results.hits[0].id) if results.hits else None
        return [h.id for h in results], results.total, [article.id if article else ""]

    expected = [answer(job) for job in jobs]
    with ThreadPoolExecutor(max_workers=8) as pool:
        for _ in range(4):
            assert list(pool.map(answer, jobs)) == expected

"""search.Searcher: ranking, partial fill, the query language end to end, filters, sorting,
paging, what Results report, and the JSON shape. Read-only tests use the seeds index; the
others build small indexes of articles written here."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from search import Hit, Indexer, QueryError, Results, Searcher, analyze
from tests.conftest import MakeIndex, jsonl

pytestmark = pytest.mark.usefixtures("engine")

# --- helpers -----------------------------------------------------------------------------------


def ids(results: Results) -> list[str]:
    return [hit.id for hit in results]


def terms(text: str) -> set[str]:
    return {t.term for t in analyze(text) if t.term is not None}


def query_terms(*words: str) -> set[str]:
    return set().union(*(terms(w) for w in words))


def article_terms(searcher: Searcher, hit: Hit) -> set[str]:
    article = searcher.get(hit.id)
    assert article is not None
    return terms(" ".join([article.title, article.body, *article.keywords]))


def assert_highlights_are_query_words(hit: Hit, wanted: set[str]) -> None:
    """Every span slices the snippet (and the title) to one whole surface word whose index
    term is one the query asked for."""
    for text, spans in ((hit.snippet, hit.highlights), (hit.title, hit.title_highlights)):
        for start, end in spans:
            [token] = analyze(text[start:end])
            assert token.text == text[start:end], (text, start, end)
            assert token.term in wanted, (text[start:end], token.term, wanted)


def article(
    id: str,
    title: str,
    body: str,
    date: str,
    source: str = "alwatan",
    category: str = "politics",
    **more: str,
) -> dict[str, str]:
    return {
        "id": id,
        "title": title,
        "body": body,
        "date": date,
        "source": source,
        "category": category,
        **more,
    }


# --- ranking -----------------------------------------------------------------------------------


def test_title_match_ranks_above_body_only_match(make_index: MakeIndex) -> None:
    # Same body length and words; only where بوتين appears differs. The body-only article is
    # newer, so a tie would put it first.
    index = make_index(
        [
            article(
                "in-title",
                "بوتين يصل إلى الصين",
                "وصل الرئيس الروسي إلى العاصمة الصينية في زيارة رسمية تستمر يومين.",
                "2025-01-01",
            ),
            article(
                "in-body",
                "الرئيس يصل إلى الصين",
                "وصل الرئيس بوتين إلى العاصمة الصينية في زيارة رسمية تستمر يومين.",
                "2025-01-02",
            ),
        ]
    )
    with Searcher(index) as searcher:
        results = searcher.search("بوتين")
    assert ids(results) == ["in-title", "in-body"]
    assert results.hits[0].score > results.hits[1].score


def test_exact_surface_form_ranks_above_stem_only_match(make_index: MakeIndex) -> None:
    # The two bodies differ only in المفاوضات / مفاوضات (same index term مفاوض). The stem-only
    # article is newer, so only the exact-form bonus can put the other first.
    index = make_index(
        [
            article(
                "exact",
                "جولة جديدة في جنيف",
                "استؤنفت المفاوضات بين الطرفين في جنيف بعد توقف دام أسابيع.",
                "2025-01-01",
            ),
            article(
                "stem",
                "جولة جديدة في جنيف",
                "استؤنفت مفاوضات بين الطرفين في جنيف بعد توقف دام أسابيع.",
                "2025-01-02",
            ),
        ]
    )
    with Searcher(index) as searcher:
        assert ids(searcher.search("المفاوضات")) == ["exact", "stem"]
        assert ids(searcher.search("مفاوضات")) == ["stem", "exact"]
        assert ids(searcher.search("بالمفاوضات")) == ["stem", "exact"]  # same score: newer first


def test_equal_scores_put_the_newer_article_first(make_index: MakeIndex) -> None:
    body = "ارتفعت أسعار النفط في الأسواق العالمية بعد قرار خفض الإنتاج."
    index = make_index(
        [
            article("old", "أسعار النفط", body, "2024-05-01"),
            article("new", "أسعار النفط", body, "2025-05-01"),
        ]
    )
    with Searcher(index) as searcher:
        results = searcher.search("النفط")
    assert ids(results) == ["new", "old"]
    assert results.hits[0].score == results.hits[1].score


# --- partial fill ------------------------------------------------------------------------------

OIL = [
    article(
        "both",
        "اجتماع لتحالف أوبك",
        "يعقد تحالف أوبك اجتماعاً الشهر المقبل لبحث سوق النفط ومستويات الطلب العالمي.",
        "2025-01-01",
        category="economy",
    ),
    article(
        "oil-only",
        "أسعار النفط ترتفع",
        "ارتفعت أسعار النفط اليوم، وقال محللون إن النفط الخام قد يواصل الصعود لأن مخزونات "
        "النفط تراجعت وإن شركات النفط تتوقع أرباحاً أكبر.",
        "2025-03-01",
        category="economy",
    ),
    article(
        "opec-only",
        "أوبك تراجع توقعاتها",
        "خفضت منظمة أوبك توقعاتها لنمو الطلب هذا العام بسبب تباطؤ الاقتصاد العالمي.",
        "2025-02-01",
        category="economy",
    ),
    article(
        "neither",
        "المنتخب يتأهل إلى النهائي",
        "تأهل المنتخب الوطني إلى المباراة النهائية بعد فوزه بهدفين نظيفين.",
        "2025-04-01",
        category="sport",
    ),
]


def test_auto_fills_with_partial_matches_ranked_after_full_ones(make_index: MakeIndex) -> None:
    index = make_index(OIL)
    with Searcher(index) as searcher:
        results = searcher.search("النفط أوبك")
        oil_alone = searcher.search("النفط", match="all")
    assert ids(results)[0] == "both"
    assert set(ids(results)) == {"both", "oil-only", "opec-only"}
    assert [hit.partial for hit in results] == [False, True, True]
    assert results.total == 3
    # oil-only scores higher on النفط than "both" does, yet comes after it
    scores = {hit.id: hit.score for hit in oil_alone}
    assert scores["oil-only"] > scores["both"]


def test_partial_matches_with_more_query_words_come_first(make_index: MakeIndex) -> None:
    index = make_index(OIL)
    with Searcher(index) as searcher:
        results = searcher.search("النفط أوبك الطلب")
    # both: all three words; opec-only: أوبك and الطلب; oil-only: النفط only (many times)
    assert ids(results) == ["both", "opec-only", "oil-only"]
    assert [hit.partial for hit in results] == [False, True, True]


def test_match_all_returns_only_full_matches(make_index: MakeIndex) -> None:
    index = make_index(OIL)
    with Searcher(index) as searcher:
        results = searcher.search("النفط أوبك", match="all")
    assert ids(results) == ["both"]
    assert results.total == 1
    assert not results.hits[0].partial


def test_match_any_ranks_every_article_with_any_word(make_index: MakeIndex) -> None:
    index = make_index(OIL)
    with Searcher(index) as searcher:
        results = searcher.search("النفط أوبك", match="any")
    assert set(ids(results)) == {"both", "oil-only", "opec-only"}
    assert results.total == 3
    assert {hit.id: hit.partial for hit in results} == {
        "both": False,
        "oil-only": True,
        "opec-only": True,
    }
    assert [hit.score for hit in results] == sorted((hit.score for hit in results), reverse=True)


@pytest.mark.parametrize("limit", [1, 2, 3, 10])
def test_total_does_not_depend_on_the_page_size(make_index: MakeIndex, limit: int) -> None:
    # Results.total "counts every matching article (full and partial matches)".
    index = make_index(OIL)
    with Searcher(index) as searcher:
        assert searcher.search("النفط أوبك", limit=limit).total == 3
        assert searcher.search("النفط أوبك", limit=limit, match="all").total == 1
        assert searcher.search("النفط أوبك", limit=limit, match="any").total == 3


def many_matches() -> list[dict[str, str]]:
    """40 articles weak on النفط (one mention in a long body), 25 of them also on أوبك, with
    one strong article (النفط in the title and all over a short body) in the middle of them,
    then 10 articles with neither word."""
    filler = " ".join(["وقال المتحدث إن الاجتماع المقبل سيبحث ملفات عديدة"] * 8)
    records = []
    for n in range(40):
        opec = " أوبك" if n % 8 else ""
        body = f"{filler} النفط{opec} {filler}"
        records.append(article(f"weak-{n}", f"تقرير رقم {n}", body, f"2025-02-{n % 28 + 1:02d}"))
    records.insert(20, article("strong", "النفط النفط", "النفط " * 5 + "أوبك", "2025-01-01"))
    records += [article(f"other-{n}", "خبر آخر", filler, "2025-03-01") for n in range(10)]
    return records


@pytest.mark.parametrize("limit", [1, 5])
def test_total_counts_matches_that_cannot_reach_the_page(make_index: MakeIndex, limit: int) -> None:
    # Once a better article enters a full page, whoosh prunes the parts of the query that can
    # no longer beat the page; the total must still count every matching article.
    index = make_index(many_matches())
    with Searcher(index) as searcher:
        for sort in ("relevance", "date"):
            assert searcher.search("النفط", limit=limit, sort=sort).total == 41
            assert searcher.search("النفط أوبك", limit=limit, sort=sort).total == 41
            assert searcher.search("النفط أوبك", limit=limit, sort=sort, match="all").total == 36
            assert searcher.search("النفط أوبك", limit=limit, sort=sort, match="any").total == 41
            february = searcher.search("النفط", limit=limit, sort=sort, since="2025-02-01")
            assert february.total == 40


def test_partial_fill_never_brings_back_excluded_articles(make_index: MakeIndex) -> None:
    index = make_index(OIL)
    with Searcher(index) as searcher:
        results = searcher.search("النفط أوبك -الخام")
    assert "oil-only" not in ids(results)
    assert ids(results) == ["both", "opec-only"]


# The first article holds the excluded word only; the second holds both words, so the first
# posting of the excluded word comes before the first of the wanted one.
EXCLUDED_FIRST = [
    article("russia", "وفد من روسيا", "وصل وفد من روسيا إلى العاصمة.", "2025-01-01"),
    article("both", "وفود في بكين", "وصلت إلى بكين وفود من الصين ومن روسيا.", "2025-01-02"),
    article("beijing", "بيان من بكين", "أعلنت بكين أن الصين ترحب بالوفود.", "2025-01-03"),
]


@pytest.mark.parametrize(
    ("query", "sort", "match"),
    [
        ("بكين -روسيا", "relevance", "auto"),
        ("بكين -روسيا", "date", "auto"),
        ("بكين NOT روسيا", "relevance", "all"),
        ("بكين الصين -روسيا", "relevance", "auto"),
        ("بكين الصين -روسيا", "date", "auto"),
        ("بكين الصين -روسيا", "relevance", "any"),
    ],
)
def test_an_excluded_article_is_never_a_hit(
    make_index: MakeIndex, query: str, sort: str, match: str
) -> None:
    index = make_index(EXCLUDED_FIRST)
    with Searcher(index) as searcher:
        results = searcher.search(query, sort=sort, match=match)  # type: ignore[arg-type]
    assert (ids(results), results.total) == (["beijing"], 1)


def test_seeds_auto_hits_contain_all_words_then_some(seeds_searcher: Searcher) -> None:
    wanted = query_terms("بوتين", "المفاوضات")
    results = seeds_searcher.search("بوتين المفاوضات", limit=30)
    partial = [hit.partial for hit in results]
    assert partial == sorted(partial)  # all full matches first
    assert False in partial and True in partial
    for hit in results:
        found = article_terms(seeds_searcher, hit) & wanted
        assert found == wanted if not hit.partial else 0 < len(found) < len(wanted)


# --- the query language end to end -------------------------------------------------------------

OPS = [
    article(
        "o1",
        "بوتين يلتقي زيلينسكي في إسطنبول",
        "التقى بوتين وزيلينسكي في إسطنبول، ثم عاد كل وفد إلى البيت الذي يقيم فيه، "
        "ورُفع علم أبيض فوق القاعة. التقرير الكامل: https://example.org/reports/istanbul",
        "2025-01-10",
        source="alwatan",
    ),
    article(
        "o2",
        "بوتين يزور قطر",
        "وصل بوتين إلى الدوحة في زيارة رسمية إلى قطر تستمر يومين.",
        "2025-02-10",
        source="bbc",
    ),
    article(
        "o3",
        "زيلينسكي يطالب بدعم عسكري",
        "طالب زيلينسكي الدول الغربية بزيادة الدعم العسكري قبل الشتاء.",
        "2025-03-10",
        source="alwatan",
    ),
    article(
        "o4",
        "وزير الخارجية الروسي في القاهرة",
        "وصل وزير الخارجية الروسي إلى القاهرة لبحث العلاقات الثنائية.",
        "2025-04-10",
        source="aljazeera",
    ),
    article(
        "o5",
        "وزيرة الخارجية تزور عمّان",
        "وصلت وزيرة الخارجية إلى عمّان، والتقت الوزير المسؤول عن ملف الخارجية هناك.",
        "2025-05-10",
        source="aljazeera",
        category="economy",
    ),
    article(
        "o6",
        "الاقتصاد الروسي يتباطأ",
        "قال خبراء اقتصاديون إن الاقتصاد يواجه صعوبات بسبب العقوبات.",
        "2025-06-10",
        source="bbc",
        category="economy",
    ),
    article(
        "o7",
        "البيت الأبيض يرحب بالمحادثات",
        "رحب البيت الأبيض بالمحادثات بين بوتين ونظيره الأمريكي.",
        "2025-07-10",
        source="صحيفة الاتحاد",
    ),
]


@pytest.fixture(scope="module")
def ops_index(tmp_path_factory: pytest.TempPathFactory, engine: str) -> Path:
    """The OPS articles, indexed once for the read-only operator tests below."""
    directory = tmp_path_factory.mktemp("ops")
    dump = directory / "ops.jsonl"
    dump.write_text(jsonl(OPS), encoding="utf-8")
    report = Indexer(directory / "index").add_files([dump])
    assert report.added == len(OPS)
    return directory / "index"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("بوتين", {"o1", "o2", "o7"}),
        ("بوتين زيلينسكي", {"o1"}),
        ("بوتين AND زيلينسكي", {"o1"}),
        ("بوتين OR زيلينسكي", {"o1", "o2", "o3", "o7"}),
        ("بوتين -قطر", {"o1", "o7"}),
        ("بوتين NOT قطر", {"o1", "o7"}),
        # -"phrase" excludes the phrase, not articles that hold its words apart (o1)
        ('بوتين -"البيت الأبيض"', {"o1", "o2"}),
        ("بوتين -(قطر OR إسطنبول)", {"o7"}),
        ("(قطر OR إسطنبول) بوتين", {"o1", "o2"}),
        ("(زيلينسكي OR الاقتصاد) (بوتين OR العقوبات)", {"o1", "o6"}),
        # a phrase: these words, adjacent, in this order, in these exact forms
        ('"وزير الخارجية"', {"o4"}),
        ('"الخارجية وزير"', set()),
        ('"البيت الأبيض"', {"o7"}),
        # fields
        ("title:بوتين", {"o1", "o2"}),
        ("body:بوتين", {"o1", "o2", "o7"}),
        ("title:الروسي", {"o4", "o6"}),
        ("body:الخارجية -title:الخارجية", set()),
        ("source:alwatan", {"o1", "o3"}),
        ("source:ALWATAN", {"o1", "o3"}),
        ("زيلينسكي source:alwatan", {"o1", "o3"}),
        ("بوتين -source:bbc", {"o1", "o7"}),
        ("category:economy", {"o5", "o6"}),
        ("الخارجية category:politics", {"o4"}),
        ("title:(قطر OR إسطنبول)", {"o1", "o2"}),
        ("source:(alwatan OR aljazeera) زيلينسكي", {"o1", "o3"}),
        ('title:"وزير الخارجية"', {"o4"}),
        ('body:"البيت الأبيض"', {"o7"}),
        ('source:"صحيفة الاتحاد"', {"o7"}),
        ('source:"صحيفه  الاتحاد"', {"o7"}),  # the same name, folded and spaced
        # prefix
        ("اقتصا*", {"o6"}),
        ("title:زيلي*", {"o1", "o3"}),
        # a URL is one word
        ("https://example.org/reports/istanbul", {"o1"}),
    ],
)
def test_operators_end_to_end(ops_index: Path, query: str, expected: set[str]) -> None:
    with Searcher(ops_index) as searcher:
        results = searcher.search(query, match="all", limit=100)
    assert set(ids(results)) == expected
    assert results.total == len(expected)
    assert not any(hit.partial for hit in results)


def test_prefix_keeps_letters_that_belong_to_the_word(make_index: MakeIndex) -> None:
    # On a fragment the stemmer cannot tell a clitic from the word's own letter (وزار*: زار
    # "visited" is a word too); the prefix takes the forms written with it, then all their forms.
    index = make_index(
        [
            article(
                "ministry", "وزارة الصحة تعلن خطة", "أعلنت الوزارة خطة للمستشفيات.", "2025-01-01"
            ),
            article("ministries", "اجتماع الوزارات", "اجتمع ممثلو الوزارات المعنية.", "2025-01-02"),
            article(
                "visit", "الرئيس زار المستشفى", "زار الرئيس المستشفى وتفقد الأقسام.", "2025-01-03"
            ),
            article("putin", "بوتين يصل", "وصل بوتين إلى بكين في زيارة رسمية.", "2025-01-04"),
        ]
    )
    with Searcher(index) as searcher:
        ministry = searcher.search("وزار*", match="all")
        assert set(ids(ministry)) == {"ministry", "ministries"}
        assert ids(searcher.search("بوتي*", match="all")) == ["putin"]
        assert set(ids(searcher.search("زار*", match="all"))) == {"visit"}
    marked = {hit.id: [hit.snippet[a:b] for a, b in hit.highlights] for hit in ministry}
    assert marked == {"ministry": ["الوزارة"], "ministries": ["الوزارات"]}


def test_phrase_matches_across_a_stopword(ops_index: Path) -> None:
    # The phrase index drops stopwords (إلى) and numbers the remaining words without gaps.
    with Searcher(ops_index) as searcher:
        assert ids(searcher.search('"بوتين إلى الدوحة"', match="all")) == ["o2"]
        assert ids(searcher.search('"بوتين الدوحة"', match="all")) == ["o2"]


# --- filters, sorting, paging ------------------------------------------------------------------


def test_since_and_until_are_inclusive(ops_index: Path) -> None:
    with Searcher(ops_index) as searcher:
        assert set(ids(searcher.search("بوتين", since="2025-02-10"))) == {"o2", "o7"}
        assert set(ids(searcher.search("بوتين", until="2025-02-10"))) == {"o1", "o2"}
        both = searcher.search("بوتين", since="2025-02-10", until="2025-02-10")
        assert ids(both) == ["o2"]
        assert ids(searcher.search("بوتين", since=dt.date(2025, 7, 10))) == ["o7"]


def test_since_filter_on_the_seeds(seeds_searcher: Searcher) -> None:
    everything = seeds_searcher.search("بوتين", limit=100)
    recent = seeds_searcher.search("بوتين", limit=100, since="2025-01-01")
    assert 0 < recent.total < everything.total
    assert all(hit.date >= dt.date(2025, 1, 1) for hit in recent)
    assert {h.id for h in everything if h.date >= dt.date(2025, 1, 1)} == set(ids(recent))


def test_source_filter(ops_index: Path, seeds_searcher: Searcher) -> None:
    with Searcher(ops_index) as searcher:
        assert ids(searcher.search("زيلينسكي", source="alwatan", match="all")) == ["o3", "o1"]
        assert ids(searcher.search("بوتين", source="صحيفة الاتحاد")) == ["o7"]
        with pytest.raises(QueryError) as error:
            searcher.search("بوتين", source="reuters")
        assert "reuters" in str(error.value)
        assert "aljazeera, alwatan, bbc, صحيفة الاتحاد" in str(error.value)
    hits = seeds_searcher.search("بوتين", source="skynews").hits
    assert hits and {hit.source for hit in hits} == {"skynews"}


def test_sort_by_date_lists_newest_first(seeds_searcher: Searcher) -> None:
    by_relevance = seeds_searcher.search("بوتين", limit=100)
    by_date = seeds_searcher.search("بوتين", limit=100, sort="date")
    dates = [hit.date for hit in by_date]
    assert dates == sorted(dates, reverse=True)
    assert set(ids(by_date)) == set(ids(by_relevance))
    assert by_date.total == by_relevance.total
    assert ids(by_date) != ids(by_relevance)


def test_pages_are_slices_of_one_ranking(seeds_searcher: Searcher) -> None:
    everything = ids(seeds_searcher.search("بوتين", limit=100))
    assert len(everything) >= 7
    assert ids(seeds_searcher.search("بوتين", limit=3)) == everything[:3]
    page2 = seeds_searcher.search("بوتين", limit=3, page=2)
    assert ids(page2) == everything[3:6]
    assert (page2.page, page2.limit) == (2, 3)
    assert seeds_searcher.search("بوتين", limit=3, page=100).hits == []


@pytest.mark.parametrize(("limit", "page"), [(0, 1), (1001, 1), (10, 0), (10, -1)])
def test_bad_limit_or_page_is_a_query_error(
    seeds_searcher: Searcher, limit: int, page: int
) -> None:
    with pytest.raises(QueryError):
        seeds_searcher.search("بوتين", limit=limit, page=page)


# --- what Results report -----------------------------------------------------------------------


def test_unknown_words_are_reported(seeds_searcher: Searcher) -> None:
    results = seeds_searcher.search("بوتين زرافة")
    assert results.unknown == ["زرافة"]
    assert results.total > 0  # the other word still finds articles (as partial matches)
    assert all(hit.partial for hit in results)
    nothing = seeds_searcher.search("زرافة")
    assert (nothing.total, nothing.hits, nothing.unknown) == (0, [], ["زرافة"])


def test_known_words_are_not_reported_unknown(seeds_searcher: Searcher) -> None:
    assert seeds_searcher.search("لبوتين والمفاوضات").unknown == []


def test_stopwords_in_a_query_are_ignored_and_reported(seeds_searcher: Searcher) -> None:
    with_stopwords = seeds_searcher.search("بوتين في موسكو", limit=50)
    without = seeds_searcher.search("بوتين موسكو", limit=50)
    assert with_stopwords.stopwords == ["في"]
    assert ids(with_stopwords) == ids(without)


@pytest.mark.parametrize("query", ["في", "في من على", "الذين", '"في"', "إلى OR على"])
def test_stopword_only_query_is_a_query_error(seeds_searcher: Searcher, query: str) -> None:
    with pytest.raises(QueryError, match="stopwords"):
        seeds_searcher.search(query)


@pytest.mark.parametrize(
    ("option", "value"),
    [("since", "2025-13-01"), ("since", "أمس"), ("until", "05/14/2025"), ("until", "")],
)
def test_bad_date_is_a_query_error(seeds_searcher: Searcher, option: str, value: str) -> None:
    with pytest.raises(QueryError, match="YYYY-MM-DD"):
        seeds_searcher.search("بوتين", **{option: value})


def test_malformed_query_is_a_query_error(seeds_searcher: Searcher) -> None:
    with pytest.raises(QueryError, match="position 7"):
        seeds_searcher.search("بوتين (روسيا")


@pytest.mark.parametrize(
    "words",
    [
        ("بوتين",),
        ("المفاوضات",),
        ("روسيا",),
        ("بوتين", "المفاوضات"),
        ("الحكومة", "الموازنة"),
        ("وزارة", "الصحة"),
        ("أوكرانيا", "الأسرى"),
        ("النفط",),
    ],
)
def test_highlights_of_every_hit_are_query_words(
    seeds_searcher: Searcher, words: tuple[str, ...]
) -> None:
    wanted = query_terms(*words)
    results = seeds_searcher.search(" ".join(words), limit=30)
    assert results.hits
    for hit in results:
        assert_highlights_are_query_words(hit, wanted)
        if not hit.partial:
            assert hit.highlights or hit.title_highlights


def test_highlights_mark_surface_forms_of_putin(seeds_searcher: Searcher) -> None:
    marked = {
        hit.snippet[a:b]
        for hit in seeds_searcher.search("بوتين", limit=30)
        for a, b in hit.highlights
    } | {
        hit.title[a:b]
        for hit in seeds_searcher.search("بوتين", limit=30)
        for a, b in hit.title_highlights
    }
    assert {"بوتين", "لبوتين", "وبوتين"} <= marked


# --- the JSON shape ----------------------------------------------------------------------------

RESULT_KEYS = {
    *("query", "total", "total_all_words", "took_ms", "hits"),
    *("page", "limit", "unknown", "stopwords"),  # what the text output's result line shows
    *("facets", "stories", "stories_all_words"),  # null unless asked for (--facets, --collapse)
    "stories_estimated",  # whether those counts may be estimates (more than 20,000 stories)
    "suggestion",  # and the line after it
    "corrected_from",  # the query as typed, when the suggestion ran in its place
    "missing_shards",  # the shards that did not answer (allow_partial), empty for an index
    "variants",  # the other spellings of names searched too, on the line after the suggestion
}
HIT_KEYS = {
    "id",
    "title",
    "date",
    "source",
    "category",
    "url",
    "score",
    "partial",
    "snippet",
    "highlights",
    "duplicates",
}


def test_to_dict_has_exactly_the_documented_keys(seeds_searcher: Searcher) -> None:
    results = seeds_searcher.search("بوتين المفاوضات", limit=20)
    document = json.loads(json.dumps(results.to_dict(), ensure_ascii=False))
    assert set(document) == RESULT_KEYS
    assert document["query"] == "بوتين المفاوضات"
    assert document["total"] == results.total
    assert document["total_all_words"] == results.total_all_words
    assert isinstance(document["took_ms"], int | float)
    assert len(document["hits"]) == len(results.hits) > 0
    for entry, hit in zip(document["hits"], results.hits, strict=True):
        assert set(entry) == HIT_KEYS
        assert entry["id"] == hit.id
        assert isinstance(entry["partial"], bool)
        assert dt.date.fromisoformat(entry["date"]) == hit.date
        assert len(entry["date"]) == 10  # YYYY-MM-DD
        assert (entry["title"], entry["snippet"]) == (hit.title, hit.snippet)
        assert entry["score"] == round(hit.score, 4)
        assert entry["highlights"] == [[start, end] for start, end in hit.highlights]
        assert entry["highlights"]  # every hit here shows a query word in its snippet


def test_seed_dates_in_three_formats_come_out_as_iso(seeds_searcher: Searcher) -> None:
    # seed-002 is dated 14/05/2025, seed-004 "Thu, 11 Jul 2024 18:45:00 GMT" in the dump
    found = {
        entry["id"]: entry["date"]
        for entry in seeds_searcher.search("بوتين OR NATO", limit=50).to_dict()["hits"]
    }
    assert found["seed-002"] == "2025-05-14"
    assert found["seed-004"] == "2024-07-11"


def test_missing_values_are_null_not_absent(make_index: MakeIndex) -> None:
    index = make_index(
        [
            {
                "id": "bare",
                "title": "بوتين يصل إلى بكين",
                "body": "وصل الرئيس الروسي إلى بكين في زيارة رسمية.",
                "date": "2025-01-01",
            }
        ]
    )
    with Searcher(index) as searcher:
        [entry] = searcher.search("بوتين").to_dict()["hits"]
    assert set(entry) == HIT_KEYS
    assert (entry["source"], entry["category"], entry["url"]) == (None, None, None)


def test_undated_articles_are_searchable_and_sortable(make_index: MakeIndex) -> None:
    index = make_index(
        [
            article("dated", "بوتين في موسكو", "وصل بوتين إلى موسكو.", "2025-01-01"),
            article("undated", "بوتين في بكين", "وصل بوتين إلى بكين.", "منذ 3 ساعات"),
        ]
    )
    with Searcher(index) as searcher:
        assert set(ids(searcher.search("بوتين"))) == {"dated", "undated"}
        assert ids(searcher.search("بوتين", sort="date")) == ["dated", "undated"]
        assert searcher.get("undated").date_text == "منذ 3 ساعات"
        entries = {e["id"]: e for e in searcher.search("بوتين").to_dict()["hits"]}
        stats = searcher.stats()
    assert (entries["dated"]["date"], entries["undated"]["date"]) == ("2025-01-01", None)
    assert stats.articles == 2
    assert stats.first_date == stats.last_date == dt.date(2025, 1, 1)

"""The query fuzz test: random and hostile queries and options through ``Searcher.search`` and
``Searcher.scan`` on a real index of each engine give ``Results`` (or hits) or a
``QueryError``, never another exception, and never end the process.

Queries are made of the language's pieces (OR, AND, NOT, -, quotes, parentheses, fields, *),
Arabic and Latin words, control and bidi characters and lone surrogates, at any size and
depth; options of any type (None, floats, negative and huge numbers, strings, lists). The
default run tries 100 examples a test and engine; ``-m long`` runs the ``slow`` profile's
thousands. A process abort (tantivy aborted on a page of 10**12) ends the test run itself: the
run finishing is the proof that none happened.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from search import QueryError, Results, Searcher

pytestmark = pytest.mark.usefixtures("engine")

WORDS = [
    *("بوتين", "روسيا", "النفط", "الرياض", "وزارة", "الصحة", "أوكرانيا", "في", "من", "و"),
    *("Putin", "oil", "OPEC", "F-16", "كوفيد-19", "l'Aube", "https://example.org/a?b=1"),
]
PIECES = [
    *("OR", "AND", "NOT", "-", '"', "(", ")", "*", ":", " ", " ", " "),
    *("title:", "body:", "source:", "category:", "nofield:", "TITLE:"),
    *("\x00", "\x1b[31m", "\u202e", "\u2066", "\ufeff", "\n", "\t", "\ud800", "\udfff", "🙂"),
    *("ـ", "\u064b", "٣", "اقتص*", "ب*", "**"),
]

_piece = st.sampled_from(PIECES + WORDS)
_pieces = st.lists(_piece, max_size=40).map("".join)
_spaced = st.lists(st.sampled_from([*WORDS, "OR", "NOT", "-بوتين"]), max_size=90).map(" ".join)


@st.composite
def _nested(draw: st.DrawFn) -> str:
    depth = draw(st.integers(0, 3_000))
    opening = draw(st.sampled_from(["(", "NOT ", "-(", "title:(", '("']))
    closing = ")" * opening.count("(")
    return opening * depth + draw(st.sampled_from(WORDS)) + closing * depth


@st.composite
def _repeated(draw: st.DrawFn) -> str:
    word = draw(st.sampled_from([*WORDS, "اقتص*", '"a b"', "x" * 300]))
    return " ".join([word] * draw(st.integers(1, 3_000)))


QUERIES = st.one_of(
    _pieces,
    _spaced,
    _nested(),
    _repeated(),
    st.text(max_size=200),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=60),
    st.sampled_from([None, b"\xd8\xa8", 42, 1.5, ["النفط"], ("x",), object()]),
)

_HUGE = st.sampled_from([10**12, 10**19, 2**63, 2**64 + 1, 10**5000, -(10**30)])
_NUMBER = st.one_of(
    st.integers(-3, 1_200),
    _HUGE,
    st.sampled_from([None, True, False, 0.0, 1.5, float("nan"), float("inf"), "5", "", []]),
)
_DATE = st.one_of(
    st.none(),
    st.sampled_from(["2015-08", "2015", "1436h", "رمضان 1436", "1/8/2015", "tomorrow", ""]),
    st.dates(min_value=dt.date(1900, 1, 1)),
    st.text(max_size=30),
    st.sampled_from([20150801, 1.5, ["2015"], "\ud800", "x" * 5_000]),
)
_KEYWORD = st.one_of(
    st.none(),
    st.sampled_from(["alriyadh", "okaz", "ALRIYADH", "nowhere", "", " ", "<b>", "\ud800"]),
    st.text(max_size=20),
    st.sampled_from([5, 1.5, ["alriyadh"], b"okaz", "x" * 5_000]),
)
_FLAG = st.one_of(st.booleans(), st.sampled_from([None, 0, 1, "yes", "", [], 1.0]))


def _choice(*valid: str) -> st.SearchStrategy[object]:
    return st.one_of(
        st.sampled_from(valid), st.sampled_from([None, "", "RELEVANCE", "most", 1, [valid[0]]])
    )


def _options(**kinds: tuple[st.SearchStrategy[Any], st.SearchStrategy[Any]]) -> Any:
    """Options each left out or of its type and range (the first strategy); or, as often,
    each left out, right or anything (the second): half the searches get to their query."""
    good = {name: right for name, (right, _) in kinds.items()}
    mixed = {name: st.one_of(right, wrong) for name, (right, wrong) in kinds.items()}
    return st.one_of(
        st.fixed_dictionaries({}, optional=good), st.fixed_dictionaries({}, optional=mixed)
    )


# The seeds are dated 2024-06-09 to 2025-11-20.
_GOOD_DATE = st.one_of(
    st.sampled_from(["2024-06", "2025", "1446h", "رمضان 1446", "1/8/2024", "2015"]),
    st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2026, 1, 1)),
)
_GOOD_SOURCE = st.sampled_from(["alwatan", "BBC", "صحيفة الاتحاد", "nowhere"])
_GOOD_CATEGORY = st.sampled_from(["politics", "Economy", "sport", "nothing"])
SEARCH_OPTIONS = _options(
    limit=(st.integers(1, 1_000), _NUMBER),
    page=(st.integers(1, 10), _NUMBER),
    since=(_GOOD_DATE, _DATE),
    until=(_GOOD_DATE, _DATE),
    source=(_GOOD_SOURCE, _KEYWORD),
    category=(_GOOD_CATEGORY, _KEYWORD),
    sort=(st.sampled_from(["relevance", "date"]), _choice("relevance", "date")),
    match=(st.sampled_from(["auto", "all", "any"]), _choice("auto", "all", "any")),
    stemming=(st.booleans(), _FLAG),
    facets=(st.booleans(), _FLAG),
    collapse=(st.booleans(), _FLAG),
)
SCAN_OPTIONS = _options(
    since=(_GOOD_DATE, _DATE),
    until=(_GOOD_DATE, _DATE),
    source=(_GOOD_SOURCE, _KEYWORD),
    category=(_GOOD_CATEGORY, _KEYWORD),
    match=(st.sampled_from(["auto", "all", "any"]), _choice("auto", "all", "any")),
    stemming=(st.booleans(), _FLAG),
    batch=(st.integers(1, 50), _NUMBER),
)

# Large strings and deep nesting are the point; the index is read-only and shared.
FUZZ = settings(
    max_examples=100,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _search(searcher: Searcher, query: Any, options: dict[str, Any]) -> None:
    try:
        results = searcher.search(query, **options)
    except QueryError as error:
        assert error.message and error.fix
        assert len(error.message) < 600, error.message  # what was sent is quoted cut
        event(f"search: QueryError {_kind(error)}")
        return
    event(f"search: Results, {'some' if results.hits else 'no'} hits")
    assert isinstance(results, Results)
    assert len(results.hits) <= options.get("limit", 10)
    for hit in results:
        assert hit.snippet is not None


def _scan(searcher: Searcher, query: Any, options: dict[str, Any]) -> None:
    try:
        hits = searcher.scan(query, **options)
    except QueryError as error:
        assert error.message and error.fix
        event(f"scan: QueryError {_kind(error)}")
        return
    found = list(itertools.islice(hits, 30))
    assert all(hit.id for hit in found)
    event(f"scan: {'some' if found else 'no'} hits")


def _kind(error: QueryError) -> str:
    """What a QueryError was about, for the test's statistics (--hypothesis-show-statistics)."""
    return " ".join(error.message.split(" at position")[0].split()[:4])


@FUZZ
@given(query=QUERIES, options=SEARCH_OPTIONS)
def test_any_query_and_options_give_results_or_a_query_error(
    seeds_searcher: Searcher, query: Any, options: dict[str, Any]
) -> None:
    _search(seeds_searcher, query, options)


@FUZZ
@given(query=QUERIES, options=SCAN_OPTIONS)
def test_any_query_and_options_scan_or_give_a_query_error(
    seeds_searcher: Searcher, query: Any, options: dict[str, Any]
) -> None:
    _scan(seeds_searcher, query, options)


@pytest.mark.slow
@pytest.mark.long
@settings(
    max_examples=2_500,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(query=QUERIES, search_options=SEARCH_OPTIONS, scan_options=SCAN_OPTIONS)
def test_many_more_queries_and_options(
    seeds_searcher: Searcher,
    query: Any,
    search_options: dict[str, Any],
    scan_options: dict[str, Any],
) -> None:
    _search(seeds_searcher, query, search_options)
    _scan(seeds_searcher, query, scan_options)

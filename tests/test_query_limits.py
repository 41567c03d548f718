"""Queries bounded like inputs: every limit of a search (``search.options``) is a ``QueryError``
naming it, on both engines, through the API as through the command; a page past the last hit
is answered by the counts; a long query's partial-match fill costs passes in proportion to the
page, not to its words; a closed Searcher says so."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from search import BahthError, QueryError, Results, Searcher
from search.cli import main
from search.options import (
    MAX_DEPTH,
    MAX_LIMIT,
    MAX_NESTING,
    MAX_PREFIXES,
    MAX_QUERY_CHARS,
    MAX_QUERY_WORDS,
    shown,
)
from search.query import parse
from tests.conftest import MakeIndex

pytestmark = pytest.mark.usefixtures("engine")

OIL = "النفط"  # in 4 of the seeds


def error(searcher: Searcher, query: object = OIL, **options: Any) -> QueryError:
    with pytest.raises(QueryError) as caught:
        searcher.search(query, **options)  # type: ignore[arg-type]
    return caught.value


# --- the query's size ----------------------------------------------------------------------


def test_a_query_of_the_most_characters_is_taken_and_one_more_is_refused() -> None:
    longest = ("النفط " * MAX_QUERY_CHARS)[: MAX_QUERY_CHARS - 1] + "x"
    with pytest.raises(QueryError) as caught:
        parse(longest)  # taken as far as its length goes: too many words instead
    assert "words" in caught.value.message
    with pytest.raises(QueryError) as caught:
        parse("x" * (MAX_QUERY_CHARS + 1))
    assert caught.value.message == (
        f"the query is {MAX_QUERY_CHARS + 1:,} characters long; "
        f"at most {MAX_QUERY_CHARS:,} are taken"
    )


def test_the_words_of_a_query_and_of_its_phrases_count(seeds_searcher: Searcher) -> None:
    assert isinstance(seeds_searcher.search(" ".join([OIL] * MAX_QUERY_WORDS)), Results)
    words = [OIL] * (MAX_QUERY_WORDS - 1)
    assert "at most 64 are taken" in error(seeds_searcher, " ".join(words) + ' "a b"').message
    assert isinstance(seeds_searcher.search(" OR ".join([OIL] * MAX_QUERY_WORDS)), Results)


def test_prefix_searches_are_counted_apart(seeds_searcher: Searcher) -> None:
    assert isinstance(seeds_searcher.search(" ".join(["روسي*"] * MAX_PREFIXES)), Results)
    message = error(seeds_searcher, " ".join(["روسي*"] * (MAX_PREFIXES + 1))).message
    assert (
        message == f"the query has {MAX_PREFIXES + 1} prefix searches (word*); at most 8 are taken"
    )


@pytest.mark.parametrize(
    ("opening", "levels", "name"),
    [("(", MAX_NESTING + 1, "'('"), ("NOT ", MAX_NESTING + 1, "NOT"), ("-(", 9, "-")],
    ids=["(", "NOT", "-("],  # -( is two levels: a NOT and a group
)
def test_nesting_past_the_limit_names_where(
    seeds_searcher: Searcher, opening: str, levels: int, name: str
) -> None:
    def nested(levels: int) -> str:
        closing = ")" * opening.count("(")
        return "روسيا " + opening * levels + "بوتين" + closing * levels

    e = error(seeds_searcher, nested(levels))
    assert e.message.startswith(f"{name} at position ")
    assert f"at most {MAX_NESTING} groups" in e.message
    if opening == "(":
        assert isinstance(seeds_searcher.search(nested(MAX_NESTING)), Results)


@pytest.mark.parametrize("levels", [2_000, 5_000])
def test_thousands_of_parentheses_are_a_query_error_not_a_recursion_error(
    seeds_searcher: Searcher, levels: int
) -> None:
    assert "characters long" in error(seeds_searcher, "(" * levels + "x" + ")" * levels).message
    inside = (MAX_QUERY_CHARS - 1) // 2
    assert "nested too deeply" in error(seeds_searcher, "(" * inside + "x" + ")" * inside).message


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("NOT NOT بوتين روسيا", "NOT at position 1 excludes words that are themselves excluded"),
        ("روسيا -(-بوتين)", "- at position 7 excludes words that are themselves excluded"),
        ("روسيا (بوتين OR -قطر)", "OR at position 14 has a side that only excludes words"),
        ("روسيا -(بوتين OR -قطر)", "OR at position 15 has a side that only excludes words"),
        ("روسيا ((-قطر -مصر) OR بوتين)", "OR at position 20 has a side that only excludes words"),
    ],
)
def test_exclusions_where_a_word_must_be_asked_for_are_refused(
    seeds_searcher: Searcher, query: str, message: str
) -> None:
    # They reached the compiler, which stopped on an AssertionError.
    assert error(seeds_searcher, query).message == message


# --- types and values ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "options", "needle"),
    [
        (None, {}, "the query must be a string (str), not NoneType"),
        (b"x", {}, "not bytes"),
        (["x"], {}, "not list"),
        ("\ud800 النفط", {}, "U+D800"),
        (OIL, {"limit": 1.5}, "limit must be a whole number (int), not 1.5"),
        (OIL, {"limit": "5"}, "not '5'"),
        (OIL, {"limit": True}, "not True"),
        (OIL, {"limit": 0}, f"between 1 and {MAX_LIMIT:,}"),
        (OIL, {"limit": MAX_LIMIT + 1}, f"between 1 and {MAX_LIMIT:,}"),
        (OIL, {"page": None}, "page must be a whole number (int), not None"),
        (OIL, {"page": -1}, "page must be 1 or more"),
        (OIL, {"page": 10**12}, "page 1,000,000,000,000 is past the last page, 1 (4 results"),
        (OIL, {"page": 10**5000}, "a page number of about 5,001 digits"),
        (OIL, {"since": 2015}, "since must be a date"),
        (OIL, {"until": "x" * 10_000}, "until: a text of 10,000 characters is not a date"),
        (OIL, {"source": 5}, "source must be a str, not int"),
        (OIL, {"category": "\udc80"}, "category: the character at position 1 is not text"),
        (OIL, {"source": "x" * 10_000}, "…"),
        (OIL, {"sort": ["date"]}, "sort must be one of relevance, date, not ['date']"),
        (OIL, {"match": None}, "match must be one of auto, all, any"),
        (OIL, {"stemming": "no"}, "stemming must be True or False"),
        (OIL, {"facets": 1}, "facets must be True or False"),
        (OIL, {"collapse": None}, "collapse must be True or False"),
    ],
)
def test_a_wrong_type_or_value_is_a_query_error_naming_it(
    seeds_searcher: Searcher, query: object, options: dict[str, Any], needle: str
) -> None:
    e = error(seeds_searcher, query, **options)
    assert needle in e.message, e.message
    assert len(e.message) < 400  # a long value is quoted cut
    assert e.fix


@pytest.mark.parametrize(
    ("query", "options", "needle"),
    [
        (None, {}, "the query must be a string"),
        (OIL, {"batch": 0}, "batch must be 1 or more"),
        (OIL, {"batch": 2.5}, "batch must be a whole number"),
        (OIL, {"match": "most"}, "match must be one of"),
        (OIL, {"since": dt.datetime(2015, 1, 1).timestamp()}, "since must be a date"),
    ],
)
def test_scan_checks_its_arguments_before_it_returns(
    seeds_searcher: Searcher, query: object, options: dict[str, Any], needle: str
) -> None:
    with pytest.raises(QueryError, match=needle):
        seeds_searcher.scan(query, **options)  # type: ignore[arg-type]


def test_shown_quotes_a_value_cut_and_a_huge_number_by_its_size() -> None:
    assert shown("abc") == "'abc'"
    assert len(shown("x" * 10_000)) == 200
    assert shown(-(10**40)) == "a number of about 41 digits"


# --- pages -----------------------------------------------------------------------------------


def test_the_deepest_page_is_answered_and_one_past_it_is_refused(seeds_searcher: Searcher) -> None:
    results = seeds_searcher.search(OIL, limit=MAX_LIMIT, page=MAX_DEPTH // MAX_LIMIT)
    assert (results.hits, results.total) == ([], 4)
    # Past the deepest, the search counts its hits to say why (tests/test_paging_messages.py).
    assert "is past the last page, 1" in error(seeds_searcher, page=MAX_DEPTH // 10 + 1).message


@pytest.mark.parametrize("collapse", [False, True])
@pytest.mark.parametrize("query", [OIL, "النفط روسيا"])
def test_a_page_past_the_last_is_empty_with_the_totals_and_asks_the_engine_for_no_hits(
    seeds_searcher: Searcher, query: str, collapse: bool
) -> None:
    first = seeds_searcher.search(query, collapse=collapse)
    with counted_tops(seeds_searcher) as asked:
        past = seeds_searcher.search(query, page=900, collapse=collapse)
    assert past.hits == [] and past.page == 900
    assert (past.total, past.total_all_words, past.stories) == (
        first.total,
        first.total_all_words,
        first.stories,
    )
    assert asked == []


def test_the_engine_is_never_asked_for_more_hits_than_match(seeds_searcher: Searcher) -> None:
    with counted_tops(seeds_searcher) as asked:
        results = seeds_searcher.search(OIL, limit=MAX_LIMIT, page=MAX_DEPTH // MAX_LIMIT - 1)
    assert results.hits == [] and asked == []
    with counted_tops(seeds_searcher) as asked:
        seeds_searcher.search(OIL, limit=MAX_LIMIT)
    assert asked and max(asked) <= 4 + 16  # the 4 matches and the tie margin


@pytest.mark.parametrize(
    "arguments",
    [
        ["search", OIL, "--page", "1000000000000"],
        ["search", OIL, "-n", "1000", "--page", "11"],
    ],
)
def test_the_command_refuses_a_page_past_the_deepest(
    seeds_index: Path, arguments: list[str]
) -> None:
    result = CliRunner().invoke(main, [*arguments, "--index", str(seeds_index)])
    assert result.exit_code == 2, result.output
    assert "is past the last page, 1 (4 results" in result.stderr
    assert "Ask for page 1 or before" in result.stderr


def test_a_page_of_a_trillion_aborts_no_process(seeds_index: Path) -> None:
    """It did: tantivy allocated a top-k heap of 160 TB and Rust aborted (rc 134). Asked of the
    engine's reader directly, past every check, it is capped by the number of articles."""
    script = f"""
import sys
from search import QueryError, Searcher
from search.engine.contract import Term
with Searcher(sys.argv[1]) as searcher:
    try:
        searcher.search({OIL!r}, page=10**12)
    except QueryError as error:
        print("refused:", error.message)
    for by_date in (False, True):
        print("hits:", len(searcher._engine.top(Term("text", "نفط"), 10**13, None, by_date)))
"""
    done = subprocess.run(
        [sys.executable, "-c", script, str(seeds_index)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "refused: page 1,000,000,000,000" in done.stdout
    assert done.stdout.count("hits: ") == 2


# --- a long query's cost ---------------------------------------------------------------------

WORDS = 40  # words of the query; every article holds at most 3 of them


def test_a_long_partial_match_fill_searches_the_tiers_of_the_page_not_of_every_word(
    make_index: MakeIndex,
) -> None:
    """tantivy ranked the partial matches tier by tier from the articles with every word down,
    a pass over every posting list a tier: a query of 300 words made 300 empty passes before
    the first article (300 words: 6.5 s). The passes are now those of the tiers the page holds,
    whatever the number of words. (whoosh ranks them in one pass.)"""
    vocabulary = [f"qx{chr(97 + n % 20)}{chr(97 + n // 20)}" for n in range(WORDS)]
    articles = [
        {
            "id": f"a{n}",
            "title": "خبر",
            "body": " ".join(vocabulary[n % WORDS : n % WORDS + 1 + n % 3]),
            "date": f"2015-01-{n + 1:02d}",
        }
        for n in range(28)
    ]
    with Searcher(make_index(articles)) as searcher:
        if "tantivy" not in type(searcher._engine).__name__.lower():
            pytest.skip("whoosh ranks a Coordinated query in one pass")
        with counted_passes(searcher) as passes:
            results = searcher.search(" ".join(vocabulary), limit=5)
        assert results.total == 28 and results.total_all_words == 0
        assert [hit.partial for hit in results] == [True] * 5
        # 2 counts, 1 search counting the clauses matched, a search per tier (at most 3 here).
        assert len(passes) <= 2 + 1 + 3, passes


# --- a closed Searcher ---------------------------------------------------------------------


def test_a_closed_searcher_says_so_and_closing_twice_is_no_error(seeds_index: Path) -> None:
    searcher = Searcher(seeds_index)
    scan = searcher.scan(OIL, batch=1)
    next(scan)
    searcher.close()
    for use in (
        lambda: searcher.search(OIL),
        lambda: searcher.scan(OIL),
        lambda: searcher.get("seed-001"),
        lambda: searcher.copies("seed-001"),
        lambda: searcher.stats(),
        lambda: searcher.highlights(OIL, "النفط"),
        lambda: searcher.refresh(),
    ):
        with pytest.raises(BahthError, match="this Searcher is closed"):
            use()
    with pytest.raises(RuntimeError, match="closed during a scan"):
        list(scan)
    searcher.close()
    with Searcher(seeds_index) as searcher:
        searcher.close()  # and the with block closes it again


# --- helpers ----------------------------------------------------------------------------------


class _Counting:
    """A stand-in for an object that records the arguments of one of its methods and then
    calls the real one: the engine's answers are real."""

    def __init__(self, real: object, method: str, calls: list[Any]) -> None:
        self._real, self._method, self._calls = real, method, calls

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._real, name)
        if name != self._method:
            return attribute

        def recorded(*args: Any, **kwargs: Any) -> Any:
            self._calls.append(args[1] if self._method == "top" else args[0])
            return attribute(*args, **kwargs)

        return recorded


@contextmanager
def counted_tops(searcher: Searcher) -> Iterator[list[int]]:
    """The ``n`` of each ``EngineReader.top`` call the searcher makes meanwhile."""
    asked: list[int] = []
    real = searcher._engine
    searcher._engine = _Counting(real, "top", asked)  # type: ignore[assignment]
    try:
        yield asked
    finally:
        searcher._engine = real


@contextmanager
def counted_passes(searcher: Searcher) -> Iterator[list[object]]:
    """The queries of each search tantivy runs meanwhile (tantivy's ``Searcher.search``)."""
    passes: list[object] = []
    reader = searcher._engine
    real = reader._searcher  # type: ignore[attr-defined]
    reader._searcher = _Counting(real, "search", passes)  # type: ignore[attr-defined]
    try:
        yield passes
    finally:
        reader._searcher = real  # type: ignore[attr-defined]

"""search.query: the query language parsed into trees, and every malformed query refused with
what is wrong and where (a 1-based character position)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from search import BahthError, QueryError
from search.query import And, Not, Or, Phrase, Word, parse, positive_words


def W(text: str, field: str | None = None, prefix: bool = False) -> Word:
    return Word(text, field, prefix)


def P(text: str, field: str | None = None) -> Phrase:
    return Phrase(text, field)


def error(query: str) -> QueryError:
    with pytest.raises(QueryError) as caught:
        parse(query)
    return caught.value


# --- operators ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "tree"),
    [
        # one word, and implicit AND between words
        ("بوتين", W("بوتين")),
        ("بوتين زيلينسكي", And((W("بوتين"), W("زيلينسكي")))),
        ("  بوتين   زيلينسكي  ", And((W("بوتين"), W("زيلينسكي")))),
        # explicit AND is the same tree
        ("بوتين AND زيلينسكي", And((W("بوتين"), W("زيلينسكي")))),
        # OR, and OR binding looser than AND
        ("روسيا OR أوكرانيا", Or((W("روسيا"), W("أوكرانيا")))),
        ("روسيا OR أوكرانيا OR بيلاروسيا", Or((W("روسيا"), W("أوكرانيا"), W("بيلاروسيا")))),
        (
            "بوتين زيلينسكي OR ترامب",
            Or((And((W("بوتين"), W("زيلينسكي"))), W("ترامب"))),
        ),
        # NOT and -word
        ("بوتين NOT قطر", And((W("بوتين"), Not(W("قطر"))))),
        ("بوتين -قطر", And((W("بوتين"), Not(W("قطر"))))),
        ("-قطر بوتين", And((Not(W("قطر")), W("بوتين")))),
        # -"phrase" and -(group)
        ('بوتين -"البيت الأبيض"', And((W("بوتين"), Not(P("البيت الأبيض"))))),
        ("بوتين -(قطر OR مصر)", And((W("بوتين"), Not(Or((W("قطر"), W("مصر"))))))),
        ("بوتين NOT (قطر OR مصر)", And((W("بوتين"), Not(Or((W("قطر"), W("مصر"))))))),
        # parentheses group, and redundant ones disappear
        (
            "(روسيا OR أوكرانيا) قمة",
            And((Or((W("روسيا"), W("أوكرانيا"))), W("قمة"))),
        ),
        (
            "(روسيا OR أوكرانيا) AND (قمة OR مفاوضات)",
            And((Or((W("روسيا"), W("أوكرانيا"))), Or((W("قمة"), W("مفاوضات"))))),
        ),
        ("((بوتين))", W("بوتين")),
        # "phrase"
        ('"وزير الخارجية"', P("وزير الخارجية")),
        ('"وزير الخارجية" روسيا', And((P("وزير الخارجية"), W("روسيا")))),
        # fields, case-insensitive names
        ("title:بوتين", W("بوتين", "title")),
        ("body:بوتين", W("بوتين", "body")),
        ("source:alwatan", W("alwatan", "source")),
        ("category:sport", W("sport", "category")),
        ("TITLE:بوتين", W("بوتين", "title")),
        ("-title:بوتين روسيا", And((Not(W("بوتين", "title")), W("روسيا")))),
        # field:(group) applies the field to every word inside; an inner field wins
        ("title:(روسيا OR أوكرانيا)", Or((W("روسيا", "title"), W("أوكرانيا", "title")))),
        ("title:(روسيا body:قمة)", And((W("روسيا", "title"), W("قمة", "body")))),
        ("title:(روسيا) قمة", And((W("روسيا", "title"), W("قمة")))),
        ("source:(alwatan OR bbc)", Or((W("alwatan", "source"), W("bbc", "source")))),
        # field:"phrase"
        ('title:"وزير الخارجية"', P("وزير الخارجية", "title")),
        ('source:"صحيفة الاتحاد"', P("صحيفة الاتحاد", "source")),
        # prefix word*
        ("اقتصا*", W("اقتصا", prefix=True)),
        ("بوت*", W("بوت", prefix=True)),
        ("body:اقتصا*", W("اقتصا", "body", prefix=True)),
        ("اقتصا* -نفط", And((W("اقتصا", prefix=True), Not(W("نفط"))))),
        # operators are upper case only: "and" is a word
        ("gaza and cairo", And((W("gaza"), W("and"), W("cairo")))),
        # a lone dash between spaces is punctuation
        ("بوتين - زيلينسكي", And((W("بوتين"), W("زيلينسكي")))),
    ],
)
def test_operators(query: str, tree: object) -> None:
    assert parse(query) == tree


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/skynews/2024/12/putin-annual-press-conference",
        "http://example.com/a?q=1",
        "HTTPS://EXAMPLE.NET/x",
        "ftp://example.org/file",
    ],
)
def test_urls_are_words_not_fields(url: str) -> None:
    assert parse(url) == W(url)
    assert parse(f"بوتين {url}") == And((W("بوتين"), W(url)))


def test_a_url_inside_a_field_is_the_fields_word() -> None:
    assert parse("body:https://example.org/a") == W("https://example.org/a", "body")


@pytest.mark.parametrize("word", ["10:30", "عنوان:بوتين", "l'Aube"])
def test_colons_and_quotes_inside_words_are_not_syntax(word: str) -> None:
    assert parse(word) == W(word)


def test_positive_words_skip_negated_parts() -> None:
    tree = parse('بوتين -قطر ("وزير الخارجية" OR title:قمة*) NOT (مصر OR الأردن)')
    assert positive_words(tree) == [W("بوتين"), P("وزير الخارجية"), W("قمة", "title", True)]


# --- errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["", " ", "   ", "\t", " \n \t "])
def test_empty_query(query: str) -> None:
    e = error(query)
    assert e.message == "the query is empty"
    assert e.fix  # says what to do
    assert isinstance(e, BahthError)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        # unbalanced quote
        ('"بوتين', "the quote at position 1 is never closed"),
        ('بوتين "وزير الخارجية', "the quote at position 7 is never closed"),
        ('"روسيا" "قمة', "the quote at position 9 is never closed"),
        ('بوتين -"قطر', "the quote at position 8 is never closed"),
        ('title:"بوتين', "the quote at position 7 is never closed"),
        # empty quotes
        ('""', "the quotes at position 1 are empty"),
        ('بوتين "  "', "the quotes at position 7 are empty"),
        # unbalanced (
        ("(بوتين", "'(' at position 1 is never closed"),
        ("(روسيا OR أوكرانيا", "'(' at position 1 is never closed"),
        ("روسيا OR (أوكرانيا", "'(' at position 10 is never closed"),
        ("((بوتين)", "'(' at position 1 is never closed"),
        ("title:(بوتين", "'(' at position 7 is never closed"),
        ("(", "'(' at position 1 is never closed"),
        ("بوتين (", "'(' at position 7 is never closed"),
        ("بوتين -(", "'(' at position 8 is never closed"),
        ("title:(", "'(' at position 7 is never closed"),
        # unbalanced )
        ("بوتين)", "')' at position 6 has no matching '('"),
        ("(بوتين))", "')' at position 8 has no matching '('"),
        ("روسيا) (قمة", "')' at position 6 has no matching '('"),
        (")", "')' at position 1 has no matching '('"),
        (") بوتين", "')' at position 1 has no matching '('"),
        # empty ()
        ("()", "')' at position 2 closes an empty group"),
        ("بوتين ()", "')' at position 8 closes an empty group"),
        ("بوتين ( )", "')' at position 9 closes an empty group"),
        # dangling OR
        ("بوتين OR", "OR at position 7 has nothing after it"),
        ("OR بوتين", "OR at position 1 has nothing before it"),
        ("بوتين OR OR روسيا", "OR at position 7 has nothing after it"),
        ("(بوتين OR)", "OR at position 8 has nothing after it"),
        ("OR", "OR at position 1 has nothing before it"),
        # dangling AND
        ("بوتين AND", "AND at position 7 has nothing after it"),
        ("AND بوتين", "AND at position 1 has nothing before it"),
        ("بوتين AND OR روسيا", "AND at position 7 has nothing after it"),
        ("AND", "AND at position 1 has nothing before it"),
        # dangling NOT
        ("بوتين NOT", "NOT at position 7 has nothing after it"),
        ("NOT", "NOT at position 1 has nothing after it"),
        ("(بوتين NOT)", "NOT at position 8 has nothing after it"),
        # a field with no word
        ("title:", "'title:' at position 1 has no word"),
        ("بوتين body:", "'body:' at position 7 has no word"),
        ("title: بوتين", "'title:' at position 1 has no word"),
        # prefix too short
        ("ا*", "'ا*' at position 1: a prefix search needs at least 3 letters"),
        ("بوتين ب*", "'ب*' at position 7: a prefix search needs at least 3 letters"),
        ("*", "'*' at position 1: a prefix search needs at least 3 letters"),
        ("اق*تصا*", "'اق*تصا*' at position 1: a prefix search needs at least 3 letters"),
        ("-ا*", "'ا*' at position 2: a prefix search needs at least 3 letters"),
        # the position is the prefix word's, after its field
        ("title:ا*", "'ا*' at position 7: a prefix search needs at least 3 letters"),
    ],
)
def test_syntax_errors_say_what_and_where(query: str, message: str) -> None:
    assert error(query).message.startswith(message)


@pytest.mark.parametrize(
    ("query", "position", "field"),
    [
        ("nofield:x", 1, "nofield"),
        ("بوتين author:x", 7, "author"),
        ("-author:x بوتين", 2, "author"),
        ("بوتين mailto:someone", 7, "mailto"),
        ('بوتين date:"2025"', 7, "date"),
        ("بوتين date:(x)", 7, "date"),
    ],
)
def test_unknown_field(query: str, position: int, field: str) -> None:
    e = error(query)
    assert e.message == f"unknown field '{field}:' at position {position}"
    assert e.fix is not None
    for known in ("title:", "body:", "source:", "category:"):
        assert known in e.fix


@pytest.mark.parametrize(
    "query",
    [
        "-بوتين",
        "NOT بوتين",
        "-بوتين -روسيا",
        "NOT بوتين NOT روسيا",
        '-"البيت الأبيض"',
        "-(روسيا OR أوكرانيا)",
        "(-بوتين)",
        "NOT (بوتين)",
        "بوتين OR -روسيا",
    ],
)
def test_only_negative_words(query: str) -> None:
    e = error(query)
    assert e.message == "the query only excludes words"
    assert e.fix is not None and "-" in e.fix  # shows a query that does work


# --- invariants --------------------------------------------------------------------------------

_PIECES = st.sampled_from(
    [
        *'()"-* ',
        *("OR", "AND", "NOT", "title:", "body:", "nofield:"),
        *("بوتين", "روسيا", "اق*", "ب*", "https://example.org/a", " ", " "),
    ]
)
_AT = re.compile(r"^(?P<what>.*?) at position (?P<n>\d+)")


def _named(what: str) -> str:
    """The text an error message names: '(' for "'(' at ...", '"' for "the quote at ..."."""
    if what.startswith("the quote"):
        return '"'
    return what.removeprefix("unknown field ").strip("'")


# The errors that are about the whole query, not a place in it.
_WHOLE_QUERY = {"the query is empty", "the query only excludes words"}


def _leaves(node: object) -> list[Word | Phrase]:
    if isinstance(node, Word | Phrase):
        return [node]
    if isinstance(node, Not):
        return _leaves(node.child)
    assert isinstance(node, And | Or) and len(node.children) >= 2, node
    return [leaf for child in node.children for leaf in _leaves(child)]


@given(st.lists(_PIECES, max_size=12).map("".join))
def test_any_string_parses_or_raises_query_error_pointing_at_what_it_names(query: str) -> None:
    try:
        tree = parse(query)
    except QueryError as e:
        found = _AT.match(e.message)
        if not found:
            assert e.message in _WHOLE_QUERY, (query, e.message)
            return
        n = int(found.group("n"))
        assert 1 <= n <= len(query)
        assert query[n - 1 :].lower().startswith(_named(found.group("what")).lower()), (
            query,
            e.message,
        )
        return
    # A tree: groups of two or more, leaves with text, each word or phrase taken from the query.
    leaves = _leaves(tree)
    assert leaves
    for leaf in leaves:
        assert leaf.text.strip(), (query, tree)
        assert leaf.text in query, (query, leaf)
    assert positive_words(tree), (query, tree)  # something is asked for


@pytest.mark.parametrize("query", ["(-بوتين -روسيا) -قطر", "(-بوتين -روسيا) (-قطر -مصر)"])
def test_groups_of_only_excluded_words_are_refused(query: str) -> None:
    assert error(query).message == "the query only excludes words"

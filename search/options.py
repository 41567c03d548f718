"""The options of a search as ``bahth search`` and ``bahth serve`` take them, and what they
mean to ``Searcher``: the one mapping from a command's options, or a URL's parameters, to the
keywords of ``Searcher.search`` and ``Searcher.scan``.

The command fills a ``SearchOptions`` from its click options, the web app from a URL's query
parameters (named as the command's options: ``limit``, ``page``, ``since``, ``until``,
``source``, ``category``, ``sort``, ``match``, ``all-words``, ``exact``, ``facets``,
``collapse``); both then search with
``options.arguments()``, so the same options give the same search, and the same JSON.

>>> options = SearchOptions(all_words=True, exact=True, since="2015-08")
>>> options.arguments()["match"], options.arguments()["stemming"], options.arguments()["since"]
('all', False, '2015-08')
>>> SearchOptions(all_words=True, match="any")
Traceback (most recent call last):
...
search.errors.QueryError: --all-words means --match all: it conflicts with --match any
Leave out one of them

The limits of a search, each a ``QueryError`` naming it when passed, whether the search comes
from the API, the command or a URL (``bahth serve`` sets lower ones of its own):

* ``MAX_LIMIT``, 1,000: hits a page;
* ``MAX_DEPTH``, 10,000: the deepest hit a page reaches, ``page × limit`` (``scan`` reads
  every match, at no depth);
* ``MAX_QUERY_CHARS``, 1,000: characters of a query (the query's limits are
  ``search.query``'s);
* ``MAX_QUERY_WORDS``, 64: words of a query, those of its phrases included;
* ``MAX_PREFIXES``, 8: prefix searches (``word*``) in a query;
* ``MAX_NESTING``, 16: groups and NOTs within each other.

``check_search`` and ``check_scan`` check the keywords of ``Searcher.search`` and
``Searcher.scan`` before anything is searched: the types (a query is a ``str``, ``limit`` and
``page`` are ``int``, flags are ``bool``), the ranges and the choices.

>>> check_search(limit=10, page=2_000)
Traceback (most recent call last):
...
search.errors.QueryError: page 2,000 of 10 hits goes past hit 10,000, the deepest a search pages to
Narrow the search (dates, a source), or list every match: bahth search --all, Searcher.scan
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from .engine.contract import EngineReader
from .engine.ranking import Match, Sort
from .errors import QueryError
from .query import MAX_NESTING, MAX_PREFIXES, MAX_QUERY_CHARS, MAX_QUERY_WORDS

__all__ = [
    "MAX_DEPTH",
    "MAX_LIMIT",
    "MAX_NESTING",
    "MAX_PREFIXES",
    "MAX_QUERY_CHARS",
    "MAX_QUERY_WORDS",
    "SearchOptions",
    "check_keyword",
    "check_scan",
    "check_search",
    "shown",
]

MAX_LIMIT = 1_000
# As Elasticsearch's max_result_window: ranking hit n costs the n before it, and nobody reads
# page 1,000; scan() streams every match in bounded memory instead. It also keeps a page
# number far past the last hit (10**12) from becoming an engine's allocation of that size.
MAX_DEPTH = 10_000
SORTS: tuple[Sort, ...] = ("relevance", "date")
MATCHES: tuple[Match, ...] = ("auto", "all", "any")
_SHOWN = 200  # characters of a wrong value quoted in a message


@dataclass(frozen=True, slots=True)
class SearchOptions:
    """How to search, apart from the query: the page, filters, order and matching.

    Each field is an option of ``bahth search`` (``all_words`` is ``--all-words``) and a
    parameter of ``bahth serve``'s pages and API, with the same default. ``match`` is None when
    not given: ``"auto"``, or ``"all"`` with ``all_words``, which contradicts any other
    ``match`` (a ``QueryError``). Values are checked by ``Searcher.search``, as for the API.
    """

    limit: int = 10
    page: int = 1
    since: str | None = None
    until: str | None = None
    source: str | None = None
    category: str | None = None
    sort: Sort = "relevance"
    match: Match | None = None
    all_words: bool = False
    exact: bool = False
    facets: bool = False
    collapse: bool = False

    def __post_init__(self) -> None:
        if self.all_words and self.match not in (None, "all"):
            raise QueryError(
                f"--all-words means --match all: it conflicts with --match {self.match}",
                "Leave out one of them",
            )

    @property
    def effective_match(self) -> Match:
        """The ``match`` the search runs with."""
        if self.all_words:
            return "all"
        return self.match or "auto"

    def filters(self) -> dict[str, Any]:
        """The keywords of ``Searcher.scan``: which articles match, in which forms."""
        return {
            "since": self.since,
            "until": self.until,
            "source": self.source,
            "category": self.category,
            "match": self.effective_match,
            "stemming": not self.exact,
        }

    def arguments(self) -> dict[str, Any]:
        """The keywords of ``Searcher.search``: ``filters()``, the page, the order, and what
        to add to the hits (facets, one hit per story)."""
        shown = {"facets": self.facets, "collapse": self.collapse}
        return {
            "limit": self.limit,
            "page": self.page,
            "sort": self.sort,
            **self.filters(),
            **shown,
        }


def check_search(
    *,
    limit: object = 10,
    page: object = 1,
    since: object = None,
    until: object = None,
    source: object = None,
    category: object = None,
    sort: object = "relevance",
    match: object = "auto",
    stemming: object = True,
    facets: object = False,
    collapse: object = False,
) -> None:
    """A ``QueryError`` unless the keywords of ``Searcher.search`` are of their types, among
    their choices and within the limits (the query is ``search.query.parse``'s to check)."""
    _check_filters(since, until, source, category, match, stemming)
    _check_whole("limit", limit)
    _check_whole("page", page)
    assert isinstance(limit, int) and isinstance(page, int)
    if not 1 <= limit <= MAX_LIMIT:
        raise QueryError(
            f"limit must be between 1 and {MAX_LIMIT:,}, not {shown(limit)}",
            "Page through more hits with page=, or read every match with scan()",
        )
    if page < 1:
        raise QueryError(f"page must be 1 or more, not {shown(page)}", "Pages count from 1")
    if page > MAX_DEPTH or page * limit > MAX_DEPTH:
        asked = (
            f"page {page:,} of {limit:,} hits"
            if page < 10**18
            else f"a page number of about {_digits(page):,} digits"
        )
        raise QueryError(
            f"{asked} goes past hit {MAX_DEPTH:,}, the deepest a search pages to",
            "Narrow the search (dates, a source), or list every match: bahth search --all, "
            "Searcher.scan",
        )
    _check_choice("sort", sort, SORTS)
    _check_flag("facets", facets)
    _check_flag("collapse", collapse)


def check_scan(
    *,
    since: object = None,
    until: object = None,
    source: object = None,
    category: object = None,
    match: object = "auto",
    stemming: object = True,
    batch: object = 1000,
) -> None:
    """A ``QueryError`` unless the keywords of ``Searcher.scan`` are of their types and among
    their choices (``batch``: articles read at a time, 1 or more)."""
    _check_filters(since, until, source, category, match, stemming)
    _check_whole("batch", batch)
    assert isinstance(batch, int)
    if batch < 1:
        raise QueryError(f"batch must be 1 or more, not {shown(batch)}")


def check_keyword(reader: EngineReader, field_name: str, value: str) -> None:
    """A ``QueryError`` naming the known values when no article has ``value`` in the field
    (``source``, ``category``)."""
    if reader.has_keyword(field_name, value):
        return
    names = ", ".join(name for name, _ in reader.keyword_counts(field_name)) or "none"
    raise QueryError(
        f"no article has {field_name} {shown(value)}",
        f"The {field_name} values in this index: {names}",
    )


def _check_filters(
    since: object, until: object, source: object, category: object, match: object, stemming: object
) -> None:
    for name, value in (("since", since), ("until", until)):
        if value is not None and not isinstance(value, str | dt.date):
            raise QueryError(
                f"{name} must be a date (a str such as '2015-08-01', or a datetime.date), "
                f"not {type(value).__name__}"
            )
        if isinstance(value, str) and len(value) > _SHOWN:  # no date is; not to be quoted whole
            raise QueryError(f"{name}: a text of {len(value):,} characters is not a date")
    for name, value in (("source", source), ("category", category)):
        if value is not None and not isinstance(value, str):
            raise QueryError(f"{name} must be a str, not {type(value).__name__}")
    texts = {"since": since, "until": until, "source": source, "category": category}
    for name, value in texts.items():
        if isinstance(value, str):
            _check_text(name, value)
    _check_choice("match", match, MATCHES)
    _check_flag("stemming", stemming)


def _check_text(name: str, value: str) -> None:
    """Text an engine can be given: no lone surrogate (half of a UTF-16 pair), which tantivy
    refuses with a ValueError, and short enough to quote."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        raise QueryError(
            f"{name}: the character at position {error.start + 1} is not text "
            f"(U+{ord(value[error.start]):04X}, half of a surrogate pair)"
        ) from None


def _check_whole(name: str, value: object) -> None:
    # bool is an int to Python, but limit=True is a mistake, not a limit of 1.
    if not isinstance(value, int) or isinstance(value, bool):
        raise QueryError(f"{name} must be a whole number (int), not {shown(value)}")


def _check_flag(name: str, value: object) -> None:
    if not isinstance(value, bool):
        raise QueryError(f"{name} must be True or False, not {shown(value)}")


def _check_choice(name: str, value: object, choices: tuple[str, ...]) -> None:
    if not isinstance(value, str) or value not in choices:
        raise QueryError(f"{name} must be one of {', '.join(choices)}, not {shown(value)}")


def shown(value: object) -> str:
    """``value`` as a message quotes it: its repr, cut after ``_SHOWN`` characters, and a
    number too long to print (Python refuses to print an int of more than 4,300 digits) by
    its size.

    >>> shown("x" * 300)[-6:], shown(10**5000)
    ("xxxx…'", 'a number of about 5,001 digits')
    """
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**18:
        return f"a number of about {_digits(value):,} digits"
    text = repr(value)
    return text if len(text) <= _SHOWN else text[: _SHOWN - 2] + "…" + text[-1]


def _digits(number: int) -> int:
    """About how many digits ``number`` has, without printing it."""
    return int(number.bit_length() * math.log10(2)) + 1

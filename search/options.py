"""The options of a search, each declared once: ``SearchOptions``'s fields are the table.

Each field of ``SearchOptions`` declares an option of a search: its name (the library's,
``all_words``), its type, its default, its help text, the values it takes and its limits.
``OPTIONS`` lists them, with the two that only the API takes (``stemming``, which the
command's ``--exact`` turns off, and ``scan``'s ``batch``); from that one table come

* the options of ``bahth search`` (``--all-words``, ``-n/--limit``: ``search.cli.base``),
* the URL parameters of ``bahth serve``'s pages and JSON API (``all-words``:
  ``search.web.params``),
* the checks of ``Searcher.search``'s and ``Searcher.scan``'s keywords (``check_search``,
  ``check_scan``): types, choices and limits, each a ``QueryError`` about its option.

A ``SearchOptions`` becomes the keywords of ``Searcher.search`` with ``arguments()`` (of
``scan`` with ``filters()``), so that the command, the pages and the API search alike:

>>> options = SearchOptions(all_words=True, exact=True, since="2015-08")
>>> options.arguments()["match"], options.arguments()["stemming"], options.arguments()["since"]
('all', False, '2015-08')
>>> SearchOptions(all_words=True, match="any")
Traceback (most recent call last):
...
search.errors.QueryError: all_words conflicts with 'any' matching: it means every word must match
Leave out one of the two

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

A page past hit ``MAX_DEPTH`` is refused once the search has counted its hits, so that the
error says the truth: the page is past the last (``page_error``), or the search has more hits
than pages reach:

>>> past_depth(page=2_000, limit=10), page_error(page=2_000, limit=10, listed=1_001).message
(True, 'page 2,000 is past the last page, 101 (1,001 results, 10 a page)')
>>> print(page_error(page=2_000, limit=10, listed=72_716))
page 2,000 of 10 hits goes past hit 10,000, the deepest a search pages to; it has 72,716 results
Narrow the search (dates, a source), or list every match: bahth search --all, Searcher.scan
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any, Literal

from .errors import QueryError
from .query import MAX_NESTING, MAX_PREFIXES, MAX_QUERY_CHARS, MAX_QUERY_WORDS

if TYPE_CHECKING:  # not at run time: the command reads this table before it needs an engine
    from .engine.contract import EngineReader
    from .engine.ranking import Match, Sort

__all__ = [
    "MAX_DEPTH",
    "MAX_LIMIT",
    "MAX_NESTING",
    "MAX_PREFIXES",
    "MAX_QUERY_CHARS",
    "MAX_QUERY_WORDS",
    "OPTIONS",
    "Option",
    "SearchOptions",
    "check_keyword",
    "check_scan",
    "check_search",
    "check_value",
    "page_error",
    "past_depth",
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

Kind = Literal["int", "text", "date", "choice", "flag"]
"""What an option's value is: a whole number, text, a date (text or a ``datetime.date``), one
of its ``choices``, or True/False."""
Method = Literal["search", "scan"]


@dataclass(frozen=True, slots=True)
class Option:
    """One option of a search, as the table declares it.

    ``name`` is the library's: a field of ``SearchOptions`` and, when ``keywords`` names a
    method, a keyword of ``Searcher.search``/``scan``. ``flag`` is the command's spelling
    (``--all-words``), ``parameter`` the URL's (``all-words``).
    """

    name: str
    kind: Kind
    default: object
    help: str
    choices: tuple[str, ...] = ()
    low: int | None = None  # an int's smallest value
    high: int | None = None  # an int's largest, None: no bound
    fix: str | None = None  # what to do about an int out of bounds
    keywords: tuple[Method, ...] = ()  # the methods of Searcher taking it, by its name
    command: bool = True  # an option of bahth search and a parameter of bahth serve
    short: str | None = None  # the command's one-letter spelling
    metavar: str | None = None  # how --help shows its value

    @property
    def flag(self) -> str:
        """The option of ``bahth search``: ``--all-words``."""
        return "--" + self.parameter

    @property
    def parameter(self) -> str:
        """The URL parameter of ``bahth serve``: ``all-words``."""
        return self.name.replace("_", "-")


_BOTH: tuple[Method, ...] = ("search", "scan")


def _option(kind: Kind, help: str, **spec: Any) -> dict[str, dict[str, Any]]:
    """The metadata of a field of ``SearchOptions`` that declares the option named as the
    field, with the field's default unless ``spec`` gives one (``match``: None is not given)."""
    return {"option": {"kind": kind, "help": help, **spec}}


@dataclass(frozen=True, slots=True)
class SearchOptions:
    """How to search, apart from the query: the page, filters, order and matching.

    Each field is an option of ``bahth search`` (``all_words`` is ``--all-words``) and a
    parameter of ``bahth serve``'s pages and API, with the same default. ``match`` is None when
    not given: ``"auto"``, or ``"all"`` with ``all_words``, which contradicts any other
    ``match`` (a ``QueryError``). Values are checked by ``Searcher.search``, as for the API.
    """

    limit: int = field(
        default=10,
        metadata=_option(
            "int",
            "Hits per page.",
            low=1,
            high=MAX_LIMIT,
            fix="Page through more hits with page=, or read every match with scan()",
            keywords=("search",),
            short="-n",
        ),
    )
    page: int = field(
        default=1,
        metadata=_option(
            "int",
            f"Which page of hits: pages reach hit {MAX_DEPTH:,} at most (--all lists every match).",
            low=1,
            fix="Pages count from 1",
            keywords=("search",),
        ),
    )
    since: str | None = field(
        default=None,
        metadata=_option(
            "date",
            "Only articles dated on or after DATE: 2015-08-01, 1/8/2015 (day first), "
            "'1 أغسطس 2015', or Hijri: 1436-10-01h, '1/10/1436هـ'; a month (2015-08, "
            "'أغسطس 2015', 1436-09h, 'رمضان 1436') or year (2015, 1436h) from its first day.",
            keywords=_BOTH,
            metavar="DATE",
        ),
    )
    until: str | None = field(
        default=None,
        metadata=_option(
            "date",
            "Only articles dated on or before DATE, in the same forms; a month or year "
            "through its last day (--until 2015-08: through 2015-08-31).",
            keywords=_BOTH,
            metavar="DATE",
        ),
    )
    source: str | None = field(
        default=None,
        metadata=_option(
            "text", "Only articles from this source (see bahth stats).", keywords=_BOTH
        ),
    )
    category: str | None = field(
        default=None,
        metadata=_option(
            "text", "Only articles in this category (see bahth stats).", keywords=_BOTH
        ),
    )
    sort: Sort = field(
        default="relevance",
        metadata=_option(
            "choice",
            "relevance: the best matches first; date: the newest first.",
            choices=SORTS,
            keywords=("search",),
        ),
    )
    match: Match | None = field(
        default=None,
        metadata=_option(
            "choice",
            "auto: all words, then fill with articles matching most of them; "
            "all: only articles with every word; any: any word, ranked.",
            default="auto",
            choices=MATCHES,
            keywords=_BOTH,
        ),
    )
    all_words: bool = field(default=False, metadata=_option("flag", "Same as --match all."))
    exact: bool = field(
        default=False,
        metadata=_option(
            "flag", "Match words in their exact (normalized) forms only: no clitics or suffixes."
        ),
    )
    facets: bool = field(
        default=False,
        metadata=_option(
            "flag",
            "Count the matches by source, category and month (and year), within the filters: "
            "the articles with all the words (with --match any, or when none has them all, "
            "any).",
            keywords=("search",),
        ),
    )
    collapse: bool = field(
        default=False,
        metadata=_option(
            "flag",
            "One hit per story: near-copies of an article (wire stories, republications) are "
            "listed under its best-ranked copy, and pages count stories.",
            keywords=("search",),
        ),
    )

    autocorrect: bool = field(
        default=True,
        metadata=_option(
            "flag",
            "When a word looks misspelled and the corrected query finds clearly more, show "
            "its results (and say so); --no-autocorrect searches the query as typed.",
            keywords=("search",),
        ),
    )
    variants: bool = field(
        default=True,
        metadata=_option(
            "flag",
            "Also find the other spellings of names that the archive uses (ميونخ finds "
            "ميونيخ), ranked below the spelling typed; --no-variants: the spellings typed only.",
            keywords=_BOTH,
        ),
    )
    explain: bool = field(
        default=False,
        metadata=_option(
            "flag",
            "Show why each hit ranks where it does: which words and forms matched in which "
            "fields, and what each adds to the score.",
            keywords=("search",),
        ),
    )

    def __post_init__(self) -> None:
        if self.all_words and self.match not in (None, "all"):
            raise QueryError(
                f"all_words conflicts with {shown(self.match)} matching: it means every word "
                "must match",
                "Leave out one of the two",
                option="all_words",
                value=True,
                said=("all_words_conflict", {"match": self.match}),
            )

    @staticmethod
    def table() -> tuple[Option, ...]:
        """Every option of a search (``OPTIONS``): this class's fields, then the API's own."""
        return OPTIONS

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
            "variants": self.variants,
        }

    def arguments(self) -> dict[str, Any]:
        """The keywords of ``Searcher.search``: ``filters()``, the page, the order, what
        to add to the hits (facets, one hit per story, explanations), and whether to
        autocorrect."""
        shown = {"facets": self.facets, "collapse": self.collapse, "explain": self.explain}
        return {
            "limit": self.limit,
            "page": self.page,
            "sort": self.sort,
            **self.filters(),
            **shown,
            "autocorrect": self.autocorrect,
        }


OPTIONS: tuple[Option, ...] = (
    *(
        Option(f.name, **{"default": f.default, **f.metadata["option"]})
        for f in fields(SearchOptions)
    ),
    Option(
        "stemming",
        "flag",
        True,
        "False: match words in their exact (normalized) forms only (the command's --exact).",
        keywords=_BOTH,
        command=False,
    ),
    Option(
        "batch",
        "int",
        1000,
        "Articles scan() reads at a time: more is faster and holds more in memory.",
        low=1,
        keywords=("scan",),
        command=False,
    ),
)
"""Every option of a search: those of ``SearchOptions``, then those of the API alone."""


def check_search(**keywords: object) -> None:
    """A ``QueryError`` unless the keywords of ``Searcher.search`` are of their types, among
    their choices and within the limits (the query is ``search.query.parse``'s to check; a
    page ``past_depth`` is the search's, once it knows how many hits there are)."""
    _check("search", keywords)


def past_depth(page: int, limit: int) -> bool:
    """True when a page of ``limit`` hits reaches past hit ``MAX_DEPTH``."""
    return page > MAX_DEPTH or page * limit > MAX_DEPTH


def page_error(page: int, limit: int, listed: int, *, unit: str = "results") -> QueryError:
    """The error of a page ``past_depth`` of a search that lists ``listed`` hits (``unit``:
    ``"stories"`` when it lists one per story): the last page, when there are fewer hits than
    ``MAX_DEPTH`` and the page is past them; else the limit, which is then what stops it."""
    big = page >= 10**18  # not printed whole: Python refuses to print 4,300 digits
    asked = f"page: a page number of about {_digits(page):,} digits" if big else f"page {page:,}"
    last = max(1, math.ceil(listed / limit))
    said: dict[str, object] = {"last": f"{last:,}", "listed": f"{listed:,}", "limit": f"{limit:,}"}
    said["page"] = ("page_digits", {"digits": f"{_digits(page):,}"}) if big else f"{page:,}"
    if listed <= MAX_DEPTH and (big or (page - 1) * limit >= listed):
        counted = f"{listed:,} {unit if listed != 1 else unit[:-1]}, {limit:,} a page"
        return QueryError(
            f"{asked} is past the last page, {last:,} ({counted if listed else 'no ' + unit})",
            f"Ask for page {last:,} or before",
            option="page",
            value=page,
            said=(f"past_last_{unit}" if listed else f"past_last_no_{unit}", said),
        )
    of = "" if big else f" of {limit:,} hits"
    return QueryError(
        f"{asked}{of} goes past hit {MAX_DEPTH:,}, the deepest a search pages to; "
        f"it has {listed:,} {unit}",
        "Narrow the search (dates, a source), or list every match: bahth search --all, "
        "Searcher.scan",
        option="page",
        value=page,
        said=(f"past_depth_{unit}" + ("_big" if big else ""), {**said, "depth": f"{MAX_DEPTH:,}"}),
    )


def check_scan(**keywords: object) -> None:
    """A ``QueryError`` unless the keywords of ``Searcher.scan`` are of their types and among
    their choices (``batch``: articles read at a time, 1 or more)."""
    _check("scan", keywords)


def _check(method: Method, keywords: dict[str, object]) -> None:
    taken = {option.name: option for option in OPTIONS if method in option.keywords}
    if unknown := keywords.keys() - taken.keys():
        raise TypeError(f"Searcher.{method} takes no {', '.join(sorted(unknown))}")
    for option in taken.values():
        check_value(option, keywords.get(option.name, option.default))


def check_value(option: Option, value: object) -> None:
    """A ``QueryError`` about ``option`` unless ``value`` is one it takes: of its kind
    (an ``int``, not a ``bool``, for a number), among its choices, within its bounds.

    >>> limit = next(option for option in OPTIONS if option.name == "limit")
    >>> check_value(limit, 0)
    Traceback (most recent call last):
    ...
    search.errors.QueryError: limit must be between 1 and 1,000, not 0
    Page through more hits with page=, or read every match with scan()
    """
    name = option.name

    def wrong(message: str, key: str, fix: str | None = None, **values: object) -> QueryError:
        said = (key, {"value": shown(value), "type": type(value).__name__, **values})
        return QueryError(f"{name}{message}", fix, option=name, value=value, said=said)

    if option.kind == "int":
        # bool is an int to Python, but limit=True is a mistake, not a limit of 1.
        if not isinstance(value, int) or isinstance(value, bool):
            raise wrong(f" must be a whole number (int), not {shown(value)}", "not_int")
        low, high = option.low, option.high
        if (low is not None and value < low) or (high is not None and value > high):
            within = f"between {low:,} and {high:,}" if high is not None else f"{low:,} or more"
            key = "not_between" if high is not None else "not_at_least"
            key += f"_{name}" if option.fix else ""  # the option's own fix, in its own text
            bounds = {"low": f"{low or 0:,}", "high": f"{high or 0:,}"}
            raise wrong(f" must be {within}, not {shown(value)}", key, option.fix, **bounds)
    elif option.kind == "flag":
        if not isinstance(value, bool):
            raise wrong(f" must be True or False, not {shown(value)}", "not_bool")
    elif option.kind == "choice":
        if not isinstance(value, str) or value not in option.choices:
            choices = ", ".join(option.choices)
            raise wrong(f" must be one of {choices}, not {shown(value)}", "not_in", choices=choices)
    elif value is not None:
        if option.kind == "date" and not isinstance(value, str | dt.date):
            raise wrong(
                " must be a date (a str such as '2015-08-01', or a datetime.date), "
                f"not {type(value).__name__}",
                "not_date_type",
            )
        if option.kind == "text" and not isinstance(value, str):
            raise wrong(f" must be a str, not {type(value).__name__}", "not_str")
        if isinstance(value, str):
            if option.kind == "date" and len(value) > _SHOWN:  # no date is; not quoted whole
                length = f"{len(value):,}"
                raise wrong(f": a text of {length} characters is not a date", "long_date", n=length)
            try:
                value.encode("utf-8")
            except UnicodeEncodeError as error:  # a lone surrogate: tantivy's ValueError
                raise wrong(
                    f": the character at position {error.start + 1} is not text "
                    f"(U+{ord(value[error.start]):04X}, half of a surrogate pair)",
                    "surrogate_in",
                    position=error.start + 1,
                    code=f"U+{ord(value[error.start]):04X}",
                ) from None


def check_keyword(reader: EngineReader, option: str, value: str) -> None:
    """A ``QueryError`` naming the known values when no article has ``value`` in the field
    of that ``option`` (``source``, ``category``)."""
    if reader.has_keyword(option, value):
        return
    names = ", ".join(name for name, _ in reader.keyword_counts(option)) or "none"
    names_said: object = ("none", {}) if names == "none" else names
    raise QueryError(
        f"{option} {shown(value)} is not in this index",
        f"The {option} values in this index: {names}",
        option=option,
        value=value,
        said=("keyword_unknown", {"value": shown(value), "names": names_said}),
    )


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

"""A URL's query parameters ↔ a query and its ``SearchOptions``, with the server's limits.

The parameters are ``q``, the query, and the options of a search (``search.options.OPTIONS``,
those of ``bahth search``) spelled as on the command line without the dashes: ``limit``,
``page``, ``since``, ``until``, ``source``, ``category``, ``sort``, ``match``, ``all-words``,
``exact``, ``facets``, ``collapse``. Each is read as its option's kind says: a number within
its bounds (the server's, for ``limit``), a choice, text (empty means not given) or a flag
(``1``/``true``/``on``/``yes`` or ``0``/``false``/``off``/``no``). A value that is not one is a
``QueryError`` about its option, as a bad option is for the command.

>>> query, options = parse({"q": "بوتين", "page": "2", "all-words": "on", "source": ""})
>>> query, options.page, options.all_words, options.source
('بوتين', 2, True, None)
>>> encode(query, options)
'q=%D8%A8%D9%88%D8%AA%D9%8A%D9%86&page=2&all-words=1'
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from functools import cache
from typing import Any
from urllib.parse import urlencode

from ..errors import QueryError
from ..filters import split_filters
from ..options import MAX_DEPTH as MAX_DEPTH  # the pages' links stop there
from ..options import OPTIONS, Option, SearchOptions

QUERY = "q"
MAX_QUERY_CHARS = 500
MAX_LIMIT = 100  # hits a page: a thousand snippets would hold a whoosh server for seconds
ECHOED = 200  # characters of a value past the limits that a page or a message shows again

_TRUE = frozenset({"1", "true", "on", "yes"})
_FALSE = frozenset({"0", "false", "off", "no"})
_HIGHEST = {"limit": MAX_LIMIT}  # the server's bounds, lower than the library's


@dataclasses.dataclass(frozen=True)
class Parameter:
    """A URL parameter: ``name`` in the URL, for ``option`` (``field`` of ``SearchOptions``)."""

    name: str
    option: Option

    @property
    def field(self) -> str:
        return self.option.name


@cache
def parameters() -> tuple[Parameter, ...]:
    """The URL parameters of a search, in the table's order."""
    return tuple(Parameter(option.parameter, option) for option in OPTIONS if option.command)


def names() -> frozenset[str]:
    """Every parameter a search takes, ``q`` included."""
    return frozenset({QUERY, *(p.name for p in parameters())})


def parameter(option: str | None) -> str | None:
    """The URL parameter of an option of a search (``all_words``: ``all-words``), if any."""
    return next((p.name for p in parameters() if p.field == option), None)


def echoed(text: str, longest: int = MAX_QUERY_CHARS) -> str:
    """``text`` as a page or an error shows it again: whole up to ``longest`` characters (a
    query the server takes is kept in the search box, to fix), else its first ``ECHOED``
    and "…", so that a request of kilobytes is not sent back whole.

    >>> echoed("ن" * 500) == "ن" * 500, len(echoed("ن" * 8000))
    (True, 201)
    """
    return text if len(text) <= longest else text[:ECHOED] + "…"


def _value(option: Option, text: str) -> Any:
    """The typed value of one parameter, None for an empty one; a ``QueryError`` if wrong."""
    text = text.strip()
    if not text:
        return None
    quoted = echoed(text, ECHOED)

    def wrong(message: str, key: str, fix: str | None = None, **values: object) -> QueryError:
        said = (key, {"value": quoted, **values})
        return QueryError(f"{option.name}{message}", fix, option=option.name, value=text, said=said)

    if option.kind == "flag":
        if text.lower() in _TRUE | _FALSE:
            return text.lower() in _TRUE
        raise wrong(f": '{quoted}' is not a yes or no", "not_yes_no", "Write 1 or 0")
    if option.kind == "int":
        # Digits only, and few: int() of 5,000 digits is refused (and of 100,000, slow).
        if not text.isascii() or not text.isdigit() or len(text) > 18:
            raise wrong(f": '{quoted}' is not a whole number of 1 to 18 digits", "not_number")
        number, low, high = int(text), option.low or 0, _HIGHEST.get(option.name, option.high)
        bounds = {"number": str(number), "low": str(low), "high": str(high)}
        if high is not None and not low <= number <= high:
            raise wrong(f": {number} is not between {low} and {high}", "outside", **bounds)
        if number < low:
            raise wrong(f": {number} is not {low} or more", "below", **bounds)
        return number
    if option.choices and text not in option.choices:
        choices = ", ".join(option.choices)
        raise wrong(f": '{quoted}' is not one of {choices}", "not_one_of", choices=choices)
    if len(text) > MAX_QUERY_CHARS:  # no filter value (a date, a source) is as long as a query
        too_long = f": a value of {len(text):,} characters; at most {MAX_QUERY_CHARS} are taken"
        raise wrong(too_long, "value_too_long", length=f"{len(text):,}", most=MAX_QUERY_CHARS)
    return text


def parse(params: Mapping[str, str]) -> tuple[str, SearchOptions]:
    """The query and options of a URL's parameters, within the server's limits.

    Parameters that a search does not take are left out (the caller decides whether they are
    an error). The query may be empty; a ``QueryError`` says what else is wrong.
    """
    query = params.get(QUERY, "")  # as typed: the JSON's "query" is the command's
    if len(query) > MAX_QUERY_CHARS:
        raise QueryError(
            f"the query is {len(query):,} characters long; at most {MAX_QUERY_CHARS} are taken",
            "Search for fewer words",
            said=("query_too_long_web", {"length": f"{len(query):,}", "most": MAX_QUERY_CHARS}),
        )
    values = {
        p.field: value
        for p in parameters()
        if p.name in params and (value := _value(p.option, params[p.name])) is not None
    }
    # A page past hit MAX_DEPTH is the search's to refuse: it counts the hits, and says whether
    # the page is past the last one or past what pages reach.
    return query, SearchOptions(**values)


def lift(query: str, options: SearchOptions) -> tuple[str, SearchOptions]:
    """The query and options a page shows for a search that ran: the filters typed in the
    query (``source:``, ``category:``, ``since:``, ``until:``) moved to the options, so that
    the form and its chips show them and the links (facets, pages) search within them; the
    query as it is when the text without them would not search the same
    (``search.filters.split_filters``). The search ran, so a field agrees with its option.

    >>> query, options = lift("النفط since:2015-08", SearchOptions(source="bbc"))
    >>> query, options.since, options.source
    ('النفط', '2015-08', 'bbc')
    """
    text, typed = split_filters(query)
    if not typed:
        return query, options
    moved: dict[str, Any] = {name: getattr(options, name) or value for name, value in typed.items()}
    return text, dataclasses.replace(options, **moved)


def encode(query: str, options: SearchOptions, **extra: str | None) -> str:
    """The URL query string of ``query`` and ``options``: only what differs from the defaults
    (so links stay short), then the ``extra`` parameters that are not None."""
    defaults = SearchOptions()
    pairs: list[tuple[str, str]] = [(QUERY, query)]
    for p in parameters():
        value = getattr(options, p.field)
        if value is None or value == getattr(defaults, p.field):
            continue
        text = ("1" if value else "0") if p.option.kind == "flag" else str(value)
        pairs.append((p.name, text))
    pairs += [(name, value) for name, value in extra.items() if value is not None]
    return urlencode(pairs)

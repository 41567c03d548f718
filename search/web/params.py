"""A URL's query parameters ↔ a query and its ``SearchOptions``, with the server's limits.

The parameters are the options of ``bahth search``, spelled as on the command line without the
dashes (``limit``, ``page``, ``since``, ``until``, ``source``, ``category``, ``sort``,
``match``, ``all-words``, ``exact``), and ``q``, the query. They are read from the fields of
``SearchOptions`` and their types, so an option added there is a parameter here: a number, a
choice, text (empty means not given) or a flag (``1``/``true``/``on``/``yes`` or
``0``/``false``/``off``/``no``). A value that is not one is a ``QueryError`` naming the
parameter, as a bad option is for the command.

>>> query, options = parse({"q": "بوتين", "page": "2", "all-words": "on", "source": ""})
>>> query, options.page, options.all_words, options.source
('بوتين', 2, True, None)
>>> encode(query, options)
'q=%D8%A8%D9%88%D8%AA%D9%8A%D9%86&page=2&all-words=1'
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Mapping
from functools import cache
from typing import Any, Literal
from urllib.parse import urlencode

from ..errors import QueryError
from ..options import MAX_DEPTH, SearchOptions

QUERY = "q"
MAX_QUERY_CHARS = 500
MAX_LIMIT = 100  # hits a page: a thousand snippets would hold a whoosh server for seconds
ECHOED = 200  # characters of a value past the limits that a page or a message shows again

_TRUE = frozenset({"1", "true", "on", "yes"})
_FALSE = frozenset({"0", "false", "off", "no"})


@dataclasses.dataclass(frozen=True)
class _Parameter:
    name: str  # in the URL
    field: str  # of SearchOptions
    kind: type  # int, bool or str
    choices: tuple[str, ...] = ()


@cache
def parameters() -> tuple[_Parameter, ...]:
    """The URL parameters of ``SearchOptions``, in its field order."""
    hints = typing.get_type_hints(SearchOptions)
    found = []
    for field in dataclasses.fields(SearchOptions):
        hint = hints[field.name]
        if typing.get_origin(hint) in (typing.Union, types.UnionType):  # X | None: optional
            hint = next(a for a in typing.get_args(hint) if a is not type(None))
        choices: tuple[str, ...] = ()
        if typing.get_origin(hint) is Literal:
            choices, hint = typing.get_args(hint), str
        if hint not in (int, bool, str):
            raise TypeError(f"SearchOptions.{field.name}: no URL form for {hint!r}")
        found.append(_Parameter(field.name.replace("_", "-"), field.name, hint, choices))
    return tuple(found)


def names() -> frozenset[str]:
    """Every parameter a search takes, ``q`` included."""
    return frozenset({QUERY, *(p.name for p in parameters())})


def echoed(text: str, longest: int = MAX_QUERY_CHARS) -> str:
    """``text`` as a page or an error shows it again: whole up to ``longest`` characters (a
    query the server takes is kept in the search box, to fix), else its first ``ECHOED``
    and "…", so that a request of kilobytes is not sent back whole.

    >>> echoed("ن" * 500) == "ن" * 500, len(echoed("ن" * 8000))
    (True, 201)
    """
    return text if len(text) <= longest else text[:ECHOED] + "…"


def _value(parameter: _Parameter, text: str) -> Any:
    """The typed value of one parameter, None for an empty one; a ``QueryError`` if wrong."""
    text = text.strip()
    if not text:
        return None
    quoted = echoed(text, ECHOED)
    if parameter.kind is bool:
        if text.lower() in _TRUE | _FALSE:
            return text.lower() in _TRUE
        raise QueryError(f"{parameter.name}: '{quoted}' is not a yes or no", "Write 1 or 0")
    if parameter.kind is int:
        # Digits only, and few: int() of 5,000 digits is refused (and of 100,000, slow).
        if not text.isascii() or not text.isdigit() or len(text) > 18:
            raise QueryError(
                f"{parameter.name}: '{quoted}' is not a whole number of 1 to 18 digits"
            )
        return int(text)
    if parameter.choices and text not in parameter.choices:
        raise QueryError(
            f"{parameter.name}: '{quoted}' is not one of {', '.join(parameter.choices)}"
        )
    if len(text) > MAX_QUERY_CHARS:  # no filter value (a date, a source) is as long as a query
        raise QueryError(
            f"{parameter.name}: a value of {len(text):,} characters; at most {MAX_QUERY_CHARS} "
            "are taken"
        )
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
        )
    values = {
        p.field: value
        for p in parameters()
        if p.name in params and (value := _value(p, params[p.name])) is not None
    }
    options = SearchOptions(**values)
    if not 1 <= options.limit <= MAX_LIMIT:
        raise QueryError(f"limit: {options.limit} is not between 1 and {MAX_LIMIT}")
    if options.page < 1:
        raise QueryError(f"page: {options.page} is not 1 or more")
    if options.page * options.limit > MAX_DEPTH:
        raise QueryError(
            f"page {options.page} of {options.limit} goes past hit {MAX_DEPTH:,}, the deepest "
            "this server shows",
            "Narrow the search with a date range or a source",
        )
    return query, options


def encode(query: str, options: SearchOptions, **extra: str | None) -> str:
    """The URL query string of ``query`` and ``options``: only what differs from the defaults
    (so links stay short), then the ``extra`` parameters that are not None."""
    defaults = SearchOptions()
    pairs: list[tuple[str, str]] = [(QUERY, query)]
    for p in parameters():
        value = getattr(options, p.field)
        if value is None or value == getattr(defaults, p.field):
            continue
        pairs.append((p.name, ("1" if value else "0") if p.kind is bool else str(value)))
    pairs += [(name, value) for name, value in extra.items() if value is not None]
    return urlencode(pairs)

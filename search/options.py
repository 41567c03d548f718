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
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .engine.ranking import Match, Sort
from .errors import QueryError

__all__ = ["SearchOptions"]


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

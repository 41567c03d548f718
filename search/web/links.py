"""The links of ``bahth serve``'s pages: to a search, an article, a page of results, and a URL
with one of its parameters changed."""

from __future__ import annotations

import dataclasses
import math
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

from .. import render
from ..options import SearchOptions
from ..results import Results
from . import params

PAGES_AROUND = 2  # page links on each side of the current one


def hit_links(query: str, options: SearchOptions, extra: dict[str, str | None]) -> render.HitLinks:
    """A page of results' links from its hits: to an article's page, marking the search's
    words, and to the same search in one source."""

    def source(name: str) -> str:
        return search_url(query, dataclasses.replace(options, source=name, page=1), **extra)

    return render.HitLinks(
        article=lambda article_id: article_url(article_id, query, options, **extra), source=source
    )


def article_path(article_id: str) -> str:
    """The path of an article's page: any id (slashes, spaces, ``?``) as one segment."""
    segment = quote(article_id, safe="")
    return "/article/" + (segment.replace(".", "%2E") if segment in (".", "..") else segment)


def article_url(article_id: str, query: str, options: SearchOptions, **extra: str | None) -> str:
    """The article's page, marking the words of the search that led to it."""
    return article_path(article_id) + "?" + params.encode(query, options, **extra)


class Pages:
    """The pages of one result set, and their links."""

    def __init__(self, results: Results, query: str, options: SearchOptions, extra: dict[str, Any]):
        self.query, self.options, self.extra = query, options, extra
        self.current = results.page
        # Collapsed, pages count stories.
        listed = results.total if results.stories is None else results.stories
        self.last = max(1, math.ceil(min(listed, params.MAX_DEPTH) / results.limit))
        self.first_shown = (results.page - 1) * results.limit + 1
        self.last_shown = self.first_shown + len(results.hits) - 1

    def url(self, page: int) -> str:
        return search_url(self.query, dataclasses.replace(self.options, page=page), **self.extra)

    def numbers(self) -> list[int | None]:
        return page_numbers(self.current, self.last)


def page_numbers(current: int, last: int) -> list[int | None]:
    """The page numbers to link, None where some are left out.

    >>> page_numbers(6, 20)
    [1, None, 4, 5, 6, 7, 8, None, 20]
    >>> page_numbers(2, 3), page_numbers(9, 3)
    ([1, 2, 3], [1, None, 3])
    """
    around = range(current - PAGES_AROUND, current + PAGES_AROUND + 1)
    shown = sorted({1, last, *(n for n in around if 1 <= n <= last)})
    out: list[int | None] = []
    for number in shown:
        if out and number - (out[-1] or 0) > 1:
            out.append(None)
        out.append(number)
    return out


def search_url(query: str, options: SearchOptions, **extra: str | None) -> str:
    return "/search?" + params.encode(query, options, **extra)


def with_parameter(url: str, name: str, value: str) -> str:
    """``url`` (a path and query) with its parameter ``name`` set to ``value``."""
    parts = urlsplit(url)
    pairs = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != name]
    return parts.path + "?" + urlencode([*pairs, (name, value)])

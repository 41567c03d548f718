"""What a search returns: ``Results`` of ``Hit``s, and the JSON shape of both."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .explain import Explanation

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Hit:
    """One ranked article.

    ``snippet`` is one or two fragments of the body around the densest matches, joined by
    `` … ``; ``highlights`` are ``(start, end)`` character offsets into ``snippet`` of every
    matching surface word, and ``title_highlights`` the same for ``title``. ``partial`` is True
    when the article matches only some of the query's words. ``duplicates``: with
    ``collapse=True``, the ids of the other copies of this article's story that match.
    ``explanation`` (with ``explain=True``): its score taken apart (``search.explain``).
    """

    id: str
    title: str
    date: dt.date | None
    source: str | None
    category: str | None
    url: str | None
    score: float
    partial: bool
    snippet: str
    highlights: list[Span]
    title_highlights: list[Span] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    explanation: Explanation | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of ``bahth search --json`` (``explanation`` with ``--explain``)."""
        found: dict[str, Any] = {
            "id": self.id,
            "title": self.title,
            "date": self.date.isoformat() if self.date else None,
            "source": self.source,
            "category": self.category,
            "url": self.url,
            "score": round(self.score, 4),
            "partial": self.partial,
            "snippet": self.snippet,
            "highlights": [list(span) for span in self.highlights],
            "duplicates": list(self.duplicates),
        }
        if self.explanation is not None:
            found["explanation"] = self.explanation.to_dict()
        return found


def estimated_stories(count: int | None) -> bool:
    """Whether a story count of a search may be an estimate (``Results.stories_estimated``)."""
    from .engine.contract import STORIES_EXACT_TO  # the engines', not loaded by a result

    return count is not None and count > STORIES_EXACT_TO


@dataclass(frozen=True, slots=True)
class Results:
    """One page of hits. ``total`` counts every matching article (full and partial matches),
    ``total_all_words`` those that hold all the query's words (what ``match="all"`` would
    count); ``unknown`` lists query words that no indexed article contains, and ``stopwords``
    the query words that were ignored. ``facets`` (with ``facets=True``): source, category,
    month (and year) → (value, articles); ``stories`` and ``stories_all_words`` (with
    ``collapse=True``): how many stories the articles ``total`` and ``total_all_words`` count
    belong to. ``suggestion`` is the whole query with the words the
    searcher likely misspelled corrected (``search.spelling``), or None: offered, not
    searched in its place, unless it finds clearly more (autocorrect, ``Searcher.search``):
    then ``query`` is the corrected query, the one that ran, ``corrected_from`` the query as
    typed (None when the typed query ran), and ``suggestion`` None. ``missing_shards`` names
    the shards of a cluster that did not answer (``Searcher(allow_partial=True)``): the counts
    and hits are the other shards'. ``variants``: for each query word with other spellings in
    the archive, those searched too (as the archive writes them most; ``variants=False`` turns
    them off).
    """

    query: str
    total: int
    total_all_words: int
    took_ms: float
    hits: list[Hit]
    page: int = 1
    limit: int = 10
    unknown: list[str] = field(default_factory=list)
    stopwords: list[str] = field(default_factory=list)
    facets: dict[str, list[tuple[str, int]]] | None = None
    stories: int | None = None
    stories_all_words: int | None = None
    suggestion: str | None = None
    missing_shards: list[str] = field(default_factory=list)
    corrected_from: str | None = None
    variants: dict[str, list[str]] = field(default_factory=dict)

    def __iter__(self) -> Iterator[Hit]:
        return iter(self.hits)

    def __len__(self) -> int:
        return len(self.hits)

    @property
    def stories_estimated(self) -> bool:
        """Whether ``stories`` may be an estimate, within a few percent: counts of more than
        20,000 stories (``search.engine.contract.STORIES_EXACT_TO``) may be, which no page
        reaches (``search.options.MAX_DEPTH``)."""
        return estimated_stories(self.stories)

    def to_dict(self) -> dict[str, Any]:
        """The JSON document of ``bahth search --json``: everything the text output shows
        (the counts, the page and its size, words not in the index, ignored stopwords, the
        suggested query; ``query`` is the query that ran, ``corrected_from`` the one typed
        when it was corrected; ``variants``, the other spellings searched)."""
        return {
            "query": self.query,
            "corrected_from": self.corrected_from,
            "total": self.total,
            "total_all_words": self.total_all_words,
            "took_ms": round(self.took_ms, 1),
            "page": self.page,
            "limit": self.limit,
            "unknown": list(self.unknown),
            "stopwords": list(self.stopwords),
            "stories": self.stories,
            "stories_all_words": self.stories_all_words,
            "stories_estimated": self.stories_estimated,
            "facets": None
            if self.facets is None
            else {
                name: [{"value": value, "count": count} for value, count in values]
                for name, values in self.facets.items()
            },
            "suggestion": self.suggestion,
            "variants": {word: list(forms) for word, forms in self.variants.items()},
            "missing_shards": list(self.missing_shards),
            "hits": [hit.to_dict() for hit in self.hits],
        }


@dataclass(frozen=True, slots=True)
class IndexStats:
    """What ``bahth stats`` prints."""

    articles: int
    stories: int
    first_date: dt.date | None
    last_date: dt.date | None
    sources: list[tuple[str, int]]
    categories: list[tuple[str, int]]
    size_bytes: int
    generation: str
    engine: str
    built: str | None
    updated: str | None
    dumps: list[str]
    # Where the index's shards are (a xapian index on shards); empty for an index in one
    # place. ``size_bytes`` counts this machine's files, not the shards servers hold.
    shards: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The JSON document of ``bahth stats --json``."""
        return {
            "articles": self.articles,
            "stories": self.stories,
            "first_date": self.first_date.isoformat() if self.first_date else None,
            "last_date": self.last_date.isoformat() if self.last_date else None,
            "sources": [{"name": n, "articles": c} for n, c in self.sources],
            "categories": [{"name": n, "articles": c} for n, c in self.categories],
            "size_bytes": self.size_bytes,
            "generation": self.generation,
            "engine": self.engine,
            "built": self.built,
            "updated": self.updated,
            "dumps": self.dumps,
            "shards": self.shards,
        }

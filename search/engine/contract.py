"""What an engine must do for Bahth: the queries it runs, and its reader and writer.

Bahth's analysis makes every term, its compiler (``compiling``) turns a query tree into the
engine-neutral query nodes below, and ``ranking`` orders hits; an engine stores articles and
answers these nodes. Fields (``FIELDS``): ``title`` and ``body`` hold index terms (stems), and
``text`` the stems of the title twice, the body and the keywords: a word searched anywhere is
scored once on it (one BM25 per word; summing a BM25 per field gave a word in a headline its
title's own, high IDF on top of the body's, and reports that only named the event in their
headline outranked the article asked for). The ``*_exact`` fields hold the normalized forms
with positions (phrases, exact forms), ``source`` and ``category`` the normalized keys
(``keyword_key``), and ``story`` the article's story number (``search.stories``) as text.

Scores: a ``Term`` or ``Phrase`` scores BM25 in its field times its boost; ``AnyOf`` and
``AllOf`` add up their children's scores; ``Without`` scores as its query; ``Scored`` adds its
bonus's score where the bonus matches too (it never widens the matches); ``Coordinated``
matches what any clause matches and ranks by how many clauses matched, then by the sum of
their scores (``EngineHit.matched`` and ``EngineHit.score``). Filters never score.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeVar

from ..arabic import normalize
from ..article import Article

if TYPE_CHECKING:
    from ..stories import Stories

T = TypeVar("T")

STEMMED_FIELDS = ("title", "body", "text")
EXACT_FIELDS = ("title_exact", "body_exact", "keywords_exact")
KEYWORD_FIELDS = ("source", "category")
STORY = "story"
FIELDS = STEMMED_FIELDS + EXACT_FIELDS + KEYWORD_FIELDS + (STORY,)

KEYWORD_SEPARATOR = " ، "
STORIES_EXACT_TO = 20_000
"""Story counts up to this are exact; beyond, ``story_count(estimate=True)`` may estimate. Twice
the deepest hit a page reaches (``search.options.MAX_DEPTH``): the pages of a collapsed search
never depend on an estimate."""
TOUCHED_MOST = 100_000
"""A writer that has seen more words than this says None (``EngineWriter.touched``): looking
each up takes about as long as counting every word, and a first build's would take its
memory."""
"""Joins an article's keywords into one indexed and stored text."""


def version(content_hash: str) -> int:
    """The first 64 bits of a content hash: enough to tell the versions of one article apart,
    and small enough for engines to keep in a column (an unchanged re-index reads nothing
    else of the stored articles)."""
    return int(content_hash[:16], 16)


def text_of(title: list[T], body: list[T], keywords: list[T]) -> list[T]:
    """What the ``text`` field holds, as terms or as texts: the title's twice (its weight),
    then the body's and the keywords'."""
    return title + title + body + keywords


@dataclass(frozen=True, slots=True)
class Failure:
    """An article a writer left out because it could not analyse or store it (one bad record
    is a reject, not the end of a run). ``reason`` says what failed, in words for the rejects
    file; ``origin`` is the article's (``file:line``), when it has one."""

    article_id: str
    content_hash: str
    origin: str | None
    reason: str


def failure(article: Article, content_hash: str, what: str, error: BaseException) -> Failure:
    """The ``Failure`` of an article on which ``what`` ("could not be analysed") raised
    ``error``."""
    return Failure(article.id, content_hash, article.origin, f"{what}: {describe(error)}")


def describe(error: BaseException) -> str:
    """An exception in one line of printable text: its type and message, a lone surrogate in
    it escaped (the rejects file is UTF-8), cut at 300 characters."""
    text = f"{type(error).__name__}: {error}".encode("utf-8", "backslashreplace").decode("utf-8")
    text = " ".join(text.split())
    return text if len(text) <= 300 else text[:299] + "…"


def unstorable(article: Article) -> str | None:
    r"""Why no engine can store ``article``, or None: a text of it is not a string (an
    ``Article`` made by a script), or not Unicode that UTF-8 can encode (a lone surrogate,
    which JSON's ``\ud800`` escape or a broken scraper makes). Engines store and index UTF-8,
    so the article would fail in the middle of its analysis; found first, it is rejected
    before the run changes anything for it.

    >>> unstorable(Article(id="a1", title="خبر \ud800", body=""))
    'its title holds a lone surrogate (U+D800) at character 4: not valid Unicode text'
    >>> unstorable(Article(id="a1", title="خبر", body=None))
    'its body is NoneType, not text'
    """
    texts: list[tuple[str, object, bool]] = [
        ("id", article.id, True),
        ("title", article.title, True),
        ("body", article.body, True),
        ("date", article.date_text, False),
        ("source", article.source, False),
        ("category", article.category, False),
        ("url", article.url, False),
    ]
    if not isinstance(article.keywords, tuple | list):
        return f"its keywords are {type(article.keywords).__name__}, not a tuple of texts"
    texts += [("keywords", keyword, True) for keyword in article.keywords]
    for name, text, required in texts:
        if not isinstance(text, str):
            if text is None and not required:
                continue
            return f"its {name} is {type(text).__name__}, not text"
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as error:
            point = f"U+{ord(text[error.start]):04X}"
            where = f"at character {error.start}"
            return f"its {name} holds a lone surrogate ({point}) {where}: not valid Unicode text"
    if article.date is not None and not isinstance(article.date, dt.date):
        return f"its date is {type(article.date).__name__}, not a date"
    return None


def keyword_key(value: str) -> str:
    """The indexed form of a source or category name: normalized, spaces collapsed.

    >>> keyword_key("  Al  Riyadh ")
    'al riyadh'
    """
    return " ".join(normalize(value).split())


@dataclass(frozen=True, slots=True)
class Term:
    """Articles holding ``text`` in ``field``."""

    field: str
    text: str
    boost: float = 1.0


@dataclass(frozen=True, slots=True)
class Phrase:
    """Articles holding ``words`` one after another in ``field`` (an exact field).

    Scored as one term (Lucene's and tantivy's phrase score): BM25 in ``field``, with the
    engine's k1, b and IDF formula as for a ``Term``, taking the phrase's occurrences in the
    article as its frequency and the sum of its words' IDFs as its IDF; times ``boost``. Not
    the sum of each word's own BM25: that ranks articles by how often they hold the words
    anywhere, so an article using the phrase once among many uses of its words apart outranks
    one using it twice.
    """

    field: str
    words: tuple[str, ...]
    boost: float = 1.0


@dataclass(frozen=True, slots=True)
class AnyOf:
    """Articles matching any child."""

    children: tuple[Query, ...]


@dataclass(frozen=True, slots=True)
class AllOf:
    """Articles matching every child."""

    children: tuple[Query, ...]


@dataclass(frozen=True, slots=True)
class Without:
    """Articles matching ``query`` and none of ``exclude``."""

    query: Query
    exclude: tuple[Query, ...]


@dataclass(frozen=True, slots=True)
class Scored:
    """Articles matching ``query``; those also matching ``bonus`` score its score more."""

    query: Query
    bonus: Query


@dataclass(frozen=True, slots=True)
class Coordinated:
    """Articles matching any clause and none of ``exclude``, ranked by clauses matched."""

    clauses: tuple[Query, ...]
    exclude: tuple[Query, ...] = ()


@dataclass(frozen=True, slots=True)
class Nothing:
    """No article (a prefix that expands to no term)."""


@dataclass(frozen=True, slots=True)
class Everything:
    """Every article (counts over the whole index)."""


Query = Term | Phrase | AnyOf | AllOf | Without | Scored | Coordinated | Nothing | Everything


@dataclass(frozen=True, slots=True)
class Filter:
    """Articles dated ``since`` to ``until`` (inclusive; either may be open), from ``source``,
    in ``category`` (keys as written by the user; the engine applies ``keyword_key``)."""

    since: dt.date | None = None
    until: dt.date | None = None
    source: str | None = None
    category: str | None = None


def all_of(clauses: Sequence[Query], exclude: Sequence[Query] = ()) -> Query:
    """All the clauses, none of the excluded."""
    query = clauses[0] if len(clauses) == 1 else AllOf(tuple(clauses))
    return Without(query, tuple(exclude)) if exclude else query


def any_of(clauses: Sequence[Query], exclude: Sequence[Query] = ()) -> Query:
    """Any of the clauses, none of the excluded."""
    query = clauses[0] if len(clauses) == 1 else AnyOf(tuple(clauses))
    return Without(query, tuple(exclude)) if exclude else query


def matches_of(query: Query) -> Query:
    """``query`` without the parts that only add to scores: the same articles match."""
    match query:
        case Scored(inner, _):
            return matches_of(inner)
        case AnyOf(children):
            return AnyOf(tuple(map(matches_of, children)))
        case AllOf(children):
            return AllOf(tuple(map(matches_of, children)))
        case Without(inner, exclude):
            return Without(matches_of(inner), exclude)
        case Coordinated(clauses, exclude):
            return any_of(tuple(map(matches_of, clauses)), exclude)
    return query


Ref = int | tuple[int, ...]
"""A match's name in the reader that found it: opaque to Bahth, but for its order (the index's
own) and that equal refs are the same article."""


@dataclass(frozen=True, slots=True)
class EngineHit:
    """One match: ``ref`` names it in the reader that found it (opaque, ordered by the index's
    own order); ``day`` is its date's ordinal, 0 when undated; ``matched`` counts the clauses of
    a ``Coordinated`` query it matched (0 for other queries). Sorted by date, ``score`` is 0."""

    ref: Ref
    score: float
    day: int
    matched: int = 0

    @property
    def date(self) -> dt.date | None:
        return dt.date.fromordinal(self.day) if self.day else None


@dataclass(frozen=True, slots=True)
class FacetCounts:
    """How many of a query's matches have each source and category key, and each day (the
    date's ordinal; undated articles are not counted)."""

    source: dict[str, int]
    category: dict[str, int]
    day: dict[int, int]


@dataclass(frozen=True, slots=True)
class Location:
    """Where an engine keeps one generation's index.

    ``directory`` is the generation: Bahth keeps its own files there whatever the engine
    (metadata, stories, vocabulary), and a local engine its index. ``address`` is what the
    index was created with, recorded in the generation's ``ENGINE`` file beside the engine's
    name: empty for a local engine; for an engine that lives elsewhere, where (its servers,
    its shards), in the engine's own terms.
    """

    directory: Path
    address: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Reach:
    """How a reader treats the parts of an index that live elsewhere (shards on servers):
    ``timeout``, the seconds it waits for each answer (None: the engine's default); with
    ``allow_partial``, a part that does not answer is left out of the answers instead of
    failing them, and the reader's ``missing`` names it. An engine whose index is all local
    has nothing to reach and ignores it."""

    timeout: float | None = None
    allow_partial: bool = False


DEFAULT_REACH = Reach()


class EngineReader(Protocol):
    """A snapshot of one index generation, as it was when opened.

    ``score_digits``: scores are compared to this many decimals, so that copies of an article
    tie whatever order the engine added their parts up in. ``missing``: the parts of the index
    (shards) left out of the last answer (``Reach.allow_partial``); always empty for a local
    index.
    """

    score_digits: int
    missing: tuple[str, ...]

    def close(self) -> None: ...

    def doc_count(self) -> int:
        """Live articles."""

    def doc_frequency(self, field: str, term: str) -> int:
        """Articles holding ``term`` in ``field`` (may count deleted ones until a merge)."""

    def expand(self, field: str, prefix: str, limit: int) -> list[str]:
        """The ``limit`` most frequent terms of ``field`` starting with ``prefix``."""

    def terms(self, field: str) -> Iterable[tuple[str, int]]:
        """Every term of ``field`` with the articles holding it (as ``doc_frequency``)."""

    def top(
        self, query: Query, limit: int, filter_: Filter | None, by_date: bool
    ) -> list[EngineHit]:
        """At least the best ``limit`` matches passing ``filter_`` (all if fewer), best first:
        by score (``Coordinated``: clauses matched, then score), or newest first (``by_date``).
        Equal keys may come in any order: ``ranking`` decides ties."""

    def count(self, query: Query, filter_: Filter | None) -> int:
        """How many live articles match and pass ``filter_``; exact."""

    def matching(self, query: Query, refs: Iterable[Ref]) -> set[Ref]:
        """Which of ``refs`` match ``query``."""

    def scores(self, query: Query, refs: Sequence[Ref]) -> list[float | None]:
        """The score of ``query`` for each of ``refs`` as ``top`` computes it (None where it
        does not match): an explanation's parts (``search.explain``) are its leaves'."""

    def facets(self, query: Query, filter_: Filter | None) -> FacetCounts:
        """The counts of the articles that match and pass ``filter_``; exact."""

    def story_count(self, query: Query, filter_: Filter | None, *, estimate: bool = False) -> int:
        """How many distinct stories the articles that match and pass ``filter_`` belong to.
        With ``estimate``, a count above ``STORIES_EXACT_TO`` may be an estimate, within a few
        percent (what the count line of a collapsed search shows: an exact count of a million
        articles' stories takes a pass over the matches per 50,000 stories on tantivy)."""

    def stories(self, refs: Sequence[Ref]) -> list[int]:
        """The story number of each hit, in order: one call for a page (an engine across a
        network answers it in one round trip)."""

    def locate(self, article_id: str) -> Ref | None:
        """The ref of the article with this id."""

    def stored_many(self, refs: Sequence[Ref]) -> list[Article]:
        """The stored article of each hit, in order: one call for a page."""

    def ids_of(self, refs: Sequence[Ref]) -> list[str]:
        """The id of each hit's article, in order, without reading the articles."""

    def find(self, article_id: str) -> Article | None:
        """The stored article with this id."""

    def versions(self, article_ids: Sequence[str]) -> dict[str, int]:
        """The stored ``version`` of each of these ids that is in the index."""

    def ids(self) -> Iterator[str]:
        """Every live article's id."""

    def date_range(self) -> tuple[dt.date | None, dt.date | None]:
        """The oldest and newest dates of live articles."""

    def keyword_counts(self, field: str) -> list[tuple[str, int]]:
        """(label as published, live articles) per source or category, largest first."""

    def has_keyword(self, field: str, value: str) -> bool:
        """True when a live article has ``value`` as its source or category."""


class EngineWriter(Protocol):
    """One transaction on a generation: nothing is visible until ``commit``."""

    def add(self, article: Article, content_hash: str) -> None:
        """Add ``article``; the caller has deleted any committed version first. Its story is
        the one the writer's ``Stories`` assigns to its body's signature (``search.stories``),
        when its document is made."""

    def replace(self, article: Article, content_hash: str) -> None:
        """Add ``article`` in place of every other version: committed, or added earlier in
        this transaction."""

    def delete(self, article_id: str) -> int:
        """Delete the committed article with this id; how many were deleted (0 or 1)."""

    def commit(self, prepare: Callable[[int], None]) -> None:
        """Make every change visible at once. ``prepare(number)`` runs before that, with a
        number above every earlier commit's and at most this commit's (``committed``):
        what it writes under that number becomes part of the commit. If it raises, or the
        process dies before the commit is visible, nothing is committed."""

    def touched(self) -> set[str] | None:
        """The words of the exact fields of the articles added so far, for the vocabulary's
        changes (``search.spelling.vocabulary``); None when the writer does not keep them, or
        past ``TOUCHED_MOST`` of them: then every word of the index is counted again."""

    def failures(self) -> list[Failure]:
        """The articles added so far that the engine could not take, each reported once:
        ``add`` never raises for what one article holds, it leaves the article out (an
        analysis that fails, a stored form that cannot be made). Analysis still under way (in
        the writer's processes) is waited for first, so call it after the last ``add``, before
        ``commit``. An article left out is in no commit, and neither is the version it was to
        replace (``replace``, or ``delete`` then ``add``): the dump says that version is out of
        date."""

    def cancel(self) -> None:
        """Drop every change, and the files written for them."""

    def optimize(self, prepare: Callable[[int], None]) -> tuple[int, int]:
        """Merge the committed index into as few segments as the engine makes, waiting for
        the merges, in place of any other change (a writer given nothing else): one commit,
        all or nothing, with ``prepare`` as for ``commit``, or none when there is nothing to
        merge. The segments before and after (an engine without segments: 0 and 0)."""


class Engine(Protocol):
    """An engine package (``search.engine.whoosh``, ``search.engine.tantivy``), found by name
    through ``registry``."""

    NAME: str
    SCHEMA_VERSION: int
    """Bump when the engine's fields change: an index records it and is refused by a Bahth
    that expects another."""
    THREAD_SAFE: bool
    """True when one reader may answer several threads at once; else ``Searcher`` lets one
    thread at a time use it."""

    def create(self, location: Location) -> None:
        """Create an empty index at ``location`` (its directory exists)."""

    def committed(self, location: Location) -> int:
        """The number of the last visible commit; -1 when there is none. Numbers only grow."""

    def open_reader(self, location: Location, reach: Reach = DEFAULT_REACH) -> EngineReader:
        """A reader of the last commit at ``location``; ``reach`` for the parts elsewhere."""

    def open_writer(self, location: Location, workers: int, stories: Stories) -> EngineWriter:
        """A writer using ``workers`` processes or threads, assigning the stories of the
        articles it adds with ``stories``; ``IndexLocked`` if one is open."""

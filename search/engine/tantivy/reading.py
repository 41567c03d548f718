"""Reading a tantivy index: neutral queries → tantivy queries, ranking, stored articles."""

from __future__ import annotations

import datetime as dt
import errno
import heapq
import os
import re
import shutil
import tempfile
import weakref
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

import tantivy
from tantivy import Occur
from tantivy import Query as T

from ...article import Article
from ...errors import IndexIncompatible, StorageError
from .. import contract as q
from ..contract import STORIES_EXACT_TO, STORY, EngineHit, FacetCounts, Ref, keyword_key
from ..core.documents import unpack
from .schema import id_key
from .writing import META, counted, open_index

_MAX_DAY = dt.date.max.toordinal()
_STORY_RANGE = 50_000
# An estimate this far above the exact range is above it whatever its error.
_ESTIMATED_FROM = int(STORIES_EXACT_TO * 1.1)
_ID_PAGE = 20_000  # articles whose ids are listed at a time
_KEYS = 1 << 64  # the ``key`` field's values: 64-bit digests


class TantivyReader:
    """An open tantivy index snapshot (``contract.EngineReader``)."""

    # tantivy scores in 32-bit floats: BM25 sums of up to a few hundred keep four decimals.
    score_digits = 4
    missing: tuple[str, ...] = ()  # all local

    def __init__(self, directory: Path) -> None:
        self._index, self._shadow = _open(directory)
        self._schema = self._index.schema
        self._searcher = self._index.searcher()

    def close(self) -> None:
        # tantivy-py has no close: dropping the objects unmaps the files.
        self._searcher = self._index = None  # type: ignore[assignment]
        if self._shadow is not None:
            self._shadow.remove()

    def doc_count(self) -> int:
        return self._searcher.num_docs

    def doc_frequency(self, field: str, term: str) -> int:
        return self._searcher.doc_freq(field, term)

    def expand(self, field: str, prefix: str, limit: int) -> list[str]:
        found = self._searcher.terms_with_prefix(field, prefix)
        return [term for term, _ in heapq.nlargest(limit, found, key=lambda item: item[1])]

    def terms(self, field: str) -> list[tuple[str, int]]:
        return self._searcher.terms_with_prefix(field, "")

    # --- queries -----------------------------------------------------------------------------

    def _term(self, field: str, text: str, boost: float = 1.0) -> T:
        if field == STORY:
            return T.term_query(self._schema, field, int(text))
        option = "basic" if field in q.KEYWORD_FIELDS else "freq"
        query = T.term_query(self._schema, field, text, option)
        return query if boost == 1.0 else T.boost_query(query, boost)

    def translate(self, query: q.Query) -> T:
        """The tantivy query of a neutral one."""
        match query:
            case q.Term(field, text, boost):
                return self._term(field, text, boost)
            case q.Phrase(field, words, boost):
                phrase = T.phrase_query(self._schema, field, list(words))
                return phrase if boost == 1.0 else T.boost_query(phrase, boost)
            case q.AnyOf(children):
                return T.boolean_query([(Occur.Should, self.translate(c)) for c in children])
            case q.AllOf(children):
                return T.boolean_query([(Occur.Must, self.translate(c)) for c in children])
            case q.Scored(inner, bonus):
                return T.boolean_query(
                    [(Occur.Must, self.translate(inner)), (Occur.Should, self.translate(bonus))]
                )
            case q.Without(inner, exclude):
                parts = [(Occur.Must, self.translate(inner))]
                return T.boolean_query(parts + self._excluded(exclude))
            case q.Coordinated(clauses, exclude):  # what it matches; ``top`` ranks it
                return self.translate(q.any_of(clauses, exclude))
            case q.Nothing():
                return T.empty_query()
            case q.Everything():
                return T.all_query()
        raise TypeError(f"not a query: {query!r}")

    def _excluded(self, exclude: Sequence[q.Query]) -> list[tuple[Occur, T]]:
        return [(Occur.MustNot, self.translate(c)) for c in exclude]

    def _filtered(self, query: q.Query, filter_: q.Filter | None) -> T:
        return self._restricted(self.translate(query), filter_)

    def _restricted(self, translated: T, filter_: q.Filter | None) -> T:
        """``translated`` restricted by ``filter_``; the filter adds nothing to scores."""
        if filter_ is None:
            return translated
        parts = []
        if filter_.since or filter_.until:
            # An undated article (day 0) passes no date range, as on whoosh.
            lo = filter_.since.toordinal() if filter_.since else 1
            hi = filter_.until.toordinal() if filter_.until else _MAX_DAY
            parts.append(T.range_query(self._schema, "day", tantivy.FieldType.Integer, lo, hi))
        for field, value in (("source", filter_.source), ("category", filter_.category)):
            if value is not None:
                parts.append(self._term(field, keyword_key(value)))
        if not parts:
            return translated
        musts = [(Occur.Must, T.const_score_query(p, 0.0)) for p in parts]
        return T.boolean_query([(Occur.Must, translated), *musts])

    # --- searching ---------------------------------------------------------------------------

    def top(
        self, query: q.Query, limit: int, filter_: q.Filter | None, by_date: bool
    ) -> list[EngineHit]:
        # tantivy allocates its top-k heap for the limit asked, before it looks at a
        # document: a limit of 10**13 aborted the process (a failed allocation is no
        # exception in Rust). No query returns more hits than there are articles; and a limit
        # of 0 is a panic.
        limit = min(limit, self._searcher.num_docs)
        if limit < 1:
            return []
        translated = self._filtered(query, filter_)
        if by_date:
            found = self._searcher.search(
                translated, limit, count=False, order_by_field="day", order=tantivy.Order.Desc
            ).hits
            return [EngineHit((a.segment_ord, a.doc), 0.0, day or 0) for day, a in found]
        if isinstance(query, q.Coordinated):
            return self._top_coordinated(query, limit, filter_)
        return self._scored(translated, limit, 0)

    def _scored(self, translated: T, limit: int, matched: int) -> list[EngineHit]:
        found = self._searcher.search(translated, limit, count=False).hits
        days = self._integers("day", [a for _, a in found])
        return [
            EngineHit((address.segment_ord, address.doc), score, day, matched)
            for (score, address), day in zip(found, days, strict=True)
        ]

    def _top_coordinated(
        self, query: q.Coordinated, limit: int, filter_: q.Filter | None
    ) -> list[EngineHit]:
        """Tier by tier, from the articles matching the most clauses down, those matching
        exactly that many clauses by score: each tier is a search tantivy prunes as it ranks (a
        bonus per clause matched, added to the score, would keep it from pruning).

        Only the tiers the best ``limit`` articles fall in are searched, found by one search
        in which each clause scores 1 (an article's score is the number of clauses it
        matches); that search also names every article of the tiers above the last one, so
        a tier is told from those above by their ids rather than by a second pass over the
        postings. Searched one by one from the top, with both passes, the empty upper tiers
        of a long query (no article holds 200 of a pasted paragraph's 300 words) made the
        cost grow with the square of the words (100 words 0.5 s, 300 words 6.5 s on 31,525
        articles).
        """
        clauses = [self.translate(c) for c in query.clauses]
        excluded = self._excluded(query.exclude)

        def at_least(matched: int) -> T:
            should = [(Occur.Should, c) for c in clauses]
            return T.boolean_query(should, minimum_number_should_match=matched)

        counting = [(Occur.Should, T.const_score_query(c, 1.0)) for c in clauses]
        counted = self._restricted(T.boolean_query(counting + excluded), filter_)
        best = self._searcher.search(counted, limit, count=False).hits
        # Sums of ones are exact in floating point. Every article matching more clauses than
        # the last of ``best`` is in ``best``: the tiers above a tier are known by their keys.
        matches = [round(score) for score, _ in best]
        keys = self._integers("key", [a for _, a in best])
        hits: list[EngineHit] = []
        for matched in sorted(set(matches), reverse=True):
            parts = [(Occur.Must, at_least(matched)), *excluded]
            above = [key for key, m in zip(keys, matches, strict=True) if m > matched]
            if above:
                parts.append((Occur.MustNot, T.term_set_query(self._schema, "key", above)))
            tier = self._restricted(T.boolean_query(parts), filter_)
            hits += self._scored(tier, limit - len(hits), matched)
            if len(hits) >= limit:
                break
        return hits

    def count(self, query: q.Query, filter_: q.Filter | None) -> int:
        # Counted without scores: what only adds to scores is left out, and a constant score
        # spares BM25 for every match (tantivy-py counts beside a top-1 collector).
        return counted(self._searcher.search(self._unscored(query, filter_), 1, count=True))

    def matching(self, query: q.Query, refs: Iterable[Ref]) -> set[Ref]:
        addresses = _addresses(refs)
        if not addresses:
            return set()
        keys = self._integers("key", addresses)
        among = T.term_set_query(self._schema, "key", keys)
        both = T.boolean_query(
            [(Occur.Must, self.translate(query)), (Occur.Must, T.const_score_query(among, 0.0))]
        )
        found = self._searcher.search(both, len(addresses), count=False).hits
        wanted: set[Ref] = {(a.segment_ord, a.doc) for a in addresses}
        return wanted.intersection((a.segment_ord, a.doc) for _, a in found)

    def scores(self, query: q.Query, refs: Sequence[Ref]) -> list[float | None]:
        addresses = _addresses(refs)
        if not addresses:
            return []
        among = T.term_set_query(self._schema, "key", self._integers("key", addresses))
        both = T.boolean_query(
            [(Occur.Must, self.translate(query)), (Occur.Must, T.const_score_query(among, 0.0))]
        )
        found = self._searcher.search(both, len(addresses), count=False).hits
        scored: dict[Ref, float] = {(a.segment_ord, a.doc): score for score, a in found}
        return [scored.get((a.segment_ord, a.doc)) for a in addresses]

    def _unscored(self, query: q.Query, filter_: q.Filter | None) -> T:
        """The articles that match and pass ``filter_``, without scoring them."""
        unscored = T.const_score_query(self.translate(q.matches_of(query)), 1.0)
        return self._restricted(unscored, filter_)

    def facets(self, query: q.Query, filter_: q.Filter | None) -> FacetCounts:
        # One pass over the matches, one terms aggregation a field (fast fields: no stored
        # article is read). The sizes are above any count of distinct values a news archive
        # has, so the buckets are exact.
        spec = {
            "source": {"terms": {"field": "source", "size": 100_000}},
            "category": {"terms": {"field": "category", "size": 100_000}},
            "day": {"terms": {"field": "day", "size": 1_000_000}},
        }
        found = self._searcher.aggregate(self._unscored(query, filter_), spec)
        counts = {name: {b["key"]: b["doc_count"] for b in found[name]["buckets"]} for name in spec}
        days = {int(day): n for day, n in counts["day"].items() if day}
        return FacetCounts(counts["source"], counts["category"], days)

    def story_count(
        self, query: q.Query, filter_: q.Filter | None, *, estimate: bool = False
    ) -> int:
        # tantivy refuses an aggregation of more than 65,000 buckets. Matches that few hold
        # fewer stories: one aggregation counts them. More are counted in ranges of story
        # numbers, each holding fewer than that: an archive of a million articles has
        # hundreds of thousands of stories, and a pass over the matches a range. Or
        # estimated (HyperLogLog, one pass: 2-3 % off at 290,000 articles), when well above
        # the count that must be exact.
        matches = self._unscored(query, filter_)
        found = counted(self._searcher.search(matches, 1, count=True))
        if found <= _STORY_RANGE:
            return self._stories_in(matches, found) if found else 0
        if estimate:
            spec = {"stories": {"cardinality": {"field": STORY}}}
            guess = int(self._searcher.aggregate(matches, spec)["stories"]["value"])
            if guess > _ESTIMATED_FROM:
                return guess
        spec = {"last": {"max": {"field": STORY}}}
        last = int(self._searcher.aggregate(matches, spec)["last"]["value"])
        stories = 0
        for first in range(0, last + 1, _STORY_RANGE):
            part = T.range_query(
                self._schema, STORY, tantivy.FieldType.Unsigned, first, first + _STORY_RANGE - 1
            )
            both = T.boolean_query([(Occur.Must, matches), (Occur.Must, part)])
            stories += self._stories_in(both, _STORY_RANGE)
        return stories

    def _stories_in(self, matches: T, most: int) -> int:
        """The distinct stories of ``matches``, which hold at most ``most`` of them."""
        terms: dict[str, object] = {"field": STORY, "size": most}
        found = self._searcher.aggregate(matches, {"stories": {"terms": terms}})
        return len(found["stories"]["buckets"])

    def _integers(self, field: str, addresses: list[tantivy.DocAddress]) -> list[int]:
        """An integer fast field's values for these documents (0 where one has none)."""
        if not addresses:
            return []
        return [int(v or 0) for v in self._searcher.fast_field_values(field, addresses)]

    def stories(self, refs: Sequence[Ref]) -> list[int]:
        return self._integers(STORY, _addresses(refs))

    # --- stored articles ---------------------------------------------------------------------

    def _article(self, address: tantivy.DocAddress) -> Article:
        doc = self._searcher.doc(address)
        return unpack(doc["id"][0], doc["article"][0])

    def stored_many(self, refs: Sequence[Ref]) -> list[Article]:
        return [self._article(address) for address in _addresses(refs)]

    def ids_of(self, refs: Sequence[Ref]) -> list[str]:
        return [self._searcher.doc(address)["id"][0] for address in _addresses(refs)]

    def _by_ids(self, article_ids: Sequence[str]) -> list[tantivy.DocAddress]:
        query = T.term_set_query(self._schema, "id", list(article_ids))
        return [a for _, a in self._searcher.search(query, len(article_ids), count=False).hits]

    def find(self, article_id: str) -> Article | None:
        found = self._by_ids([article_id])
        return self._article(found[0]) if found else None

    def locate(self, article_id: str) -> Ref | None:
        found = self._by_ids([article_id])
        return (found[0].segment_ord, found[0].doc) if found else None

    def versions(self, article_ids: Sequence[str]) -> dict[str, int]:
        # From fast fields only: reading the stored articles would bring the whole store into
        # memory on an unchanged re-index.
        if not article_ids:
            return {}
        found = self._by_ids(article_ids)
        if not found:
            return {}
        ids = {id_key(article_id): article_id for article_id in article_ids}
        keys = self._integers("key", found)
        versions = self._integers("version", found)
        return {ids[k]: v for k, v in zip(keys, versions, strict=True) if k in ids}

    def ids(self) -> Iterator[str]:
        for addresses in self._id_pages():
            for address in addresses:
                yield self._searcher.doc(address)["id"][0]

    def ids_unless(self, known: Callable[[list[int]], list[bool]]) -> Iterator[str]:
        """The ids of the live articles whose key (``schema.id_key``) ``known`` says no to,
        asked a page of keys at a time: the keys come from their fast field, and only the
        articles yielded are read from the store (reading them all would bring the whole
        store into memory)."""
        for addresses in self._id_pages():
            keys = self._integers("key", addresses)
            unseen = [a for a, seen in zip(addresses, known(keys), strict=True) if not seen]
            # A page's ids are read before the caller acts on them: reads interleaved with
            # a writer's deletes left the process 50 MB larger (145k articles, half deleted).
            yield from [self._searcher.doc(address)["id"][0] for address in unseen]

    def _id_pages(self) -> Iterator[list[tantivy.DocAddress]]:
        """Every live article's address, about ``_ID_PAGE`` at a time: by ranges of the
        ``key`` field, a hash, so that the ranges hold about as many each and memory holds
        one page whatever the size of the index."""
        pages = -(-self._searcher.num_docs // _ID_PAGE)
        if not pages:
            return
        step = -(-_KEYS // pages)
        for low in range(0, _KEYS, step):
            high = min(low + step, _KEYS) - 1
            # The term dictionary finds a range's keys; a fast-field range would scan every
            # article's key for each page.
            query = T.range_query(
                self._schema,
                "key",
                tantivy.FieldType.Unsigned,
                low,
                high,
                use_inverted_index=True,
            )
            found = self._searcher.search(query, 2 * _ID_PAGE, count=True)
            if counted(found) > len(found.hits):  # an unlucky range: all of it
                found = self._searcher.search(query, counted(found), count=False)
            yield [address for _, address in found.hits]

    def date_range(self) -> tuple[dt.date | None, dt.date | None]:
        dated = T.range_query(self._schema, "day", tantivy.FieldType.Integer, 1, _MAX_DAY)
        found = self._searcher.aggregate(
            dated, {"first": {"min": {"field": "day"}}, "last": {"max": {"field": "day"}}}
        )
        first, last = found["first"]["value"], found["last"]["value"]
        if first is None or last is None:
            return None, None
        return dt.date.fromordinal(int(first)), dt.date.fromordinal(int(last))

    def has_keyword(self, field: str, value: str) -> bool:
        return counted(self._searcher.search(self._term(field, keyword_key(value)), 1)) > 0

    def keyword_counts(self, field: str) -> list[tuple[str, int]]:
        found = self._searcher.aggregate(
            T.all_query(), {"keys": {"terms": {"field": field, "size": 100_000}}}
        )
        counts = []
        for bucket in found["keys"]["buckets"]:
            key, articles = bucket["key"], bucket["doc_count"]
            [(_, address)] = self._searcher.search(self._term(field, key), 1, count=False).hits
            counts.append((getattr(self._article(address), field) or key, articles))
        return sorted(counts, key=lambda item: (-item[1], item[0]))


def _addresses(refs: Iterable[Ref]) -> list[tantivy.DocAddress]:
    """The documents of refs (``EngineHit.ref`` is a (segment, doc) pair)."""
    return [tantivy.DocAddress(*ref) for ref in refs]  # type: ignore[misc]


# --- opening -------------------------------------------------------------------------------

# tantivy opens an index by taking a lock file in its directory (.tantivy-meta.lock), which
# it must be able to create or write. On a read-only file system, or in a directory this user
# may only read, that fails, though reading needs no lock: no one can write the index there,
# or whoever can takes the index's own locks (see layout) before touching it.
_NO_LOCK = (errno.EROFS, errno.EACCES, errno.EPERM)
_LOCK_FILE = re.compile(r"^\.tantivy-.*\.lock$")
# Opening through a shadow fails if a writer (who may write where we may not) removed a file
# between our copying meta.json and linking the files: then the next attempt sees its commit.
_SHADOW_ATTEMPTS = 3


def _open(directory: Path) -> tuple[tantivy.Index, _Shadow | None]:
    """The index in ``directory`` as tantivy opens it; when tantivy cannot take its lock
    there, the same index through a ``_Shadow`` (and the shadow, to remove on close)."""
    try:
        return tantivy.Index.open(str(directory)), None
    except ValueError as error:
        code = StorageError.errno_in(str(error))
        if code is None:
            # Not the system's refusal: open_index says what is wrong with the index.
            return open_index(directory), None
        if code not in _NO_LOCK or "lock" not in str(error).lower():
            raise StorageError.of(code, str(directory), writing=False) from error
    failed: ValueError | None = None
    for _ in range(_SHADOW_ATTEMPTS):
        shadow = _Shadow(directory)
        try:
            return tantivy.Index.open(str(shadow.path)), shadow
        except ValueError as error:
            shadow.remove()
            failed = error
    code = StorageError.errno_in(str(failed))
    if code is not None:
        raise StorageError.of(code, str(directory), writing=False) from failed
    raise IndexIncompatible(
        f"{directory} is not an index this version of Bahth can read ({failed})",
        "Rebuild it with: bahth rebuild DUMP...",
    ) from failed


class _Shadow:
    """A private directory of symbolic links to the files of a tantivy index this process may
    not write, where tantivy can take its lock; ``meta.json`` is copied, not linked, so that
    the reader is a snapshot of the commit it opened, as it is when opened in place.

    Removed by ``remove()``, or when garbage-collected, or at exit."""

    def __init__(self, directory: Path) -> None:
        self.path = Path(tempfile.mkdtemp(prefix="bahth-read-only-"))
        self._removal = weakref.finalize(self, shutil.rmtree, self.path, ignore_errors=True)
        try:
            shutil.copyfile(directory / META, self.path / META)
            for entry in os.scandir(directory):
                if entry.name != META and not _LOCK_FILE.match(entry.name):
                    os.symlink(os.path.abspath(entry.path), self.path / entry.name)
        except BaseException:
            self.remove()
            raise

    def remove(self) -> None:
        """Delete the directory (the links, not what they point to); once."""
        self._removal()

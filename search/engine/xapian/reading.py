"""Reading a Xapian index, one database or shards searched as one: neutral queries → Xapian
queries, ranking, stored articles.

Shards are added to one ``xapian.Database``: Xapian ranks across them with the statistics of
all of them together (each term's frequency over every shard, the average length over every
article), so the scores are those of one database holding every article. A hit's ref is
Xapian's docid in that combination (shard ``i`` of ``n``: its docid d is ``(d - 1) * n + i +
1``), so a shard left out (``Reach.allow_partial``) is replaced by an empty database in its
place, and the refs of the others keep their meaning.
"""

from __future__ import annotations

import datetime as dt
import functools
import heapq
import itertools
import time
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

import xapian

from ...article import Article
from ...errors import ShardUnavailable
from .. import contract as q
from ..cluster import shards_of
from ..contract import EngineHit, FacetCounts, Location, Reach, Ref, keyword_key
from ..core.documents import unpack
from .schema import (
    CATEGORY,
    DAY,
    ID,
    PREFIXES,
    SOURCE,
    STORY_SLOT,
    VERSION,
    id_term,
    integer,
    number,
)
from .shards import DEFAULT_TIMEOUT, open_reading, unavailable

T = TypeVar("T")
Q = xapian.Query

# BM25 as tantivy and whoosh rank: k1 1.2, b 0.75 (k2 and k3 are Xapian's query-side terms).
K1, B = 1.2, 0.75
# ``Coordinated``: each clause an article matches adds this, above any sum of BM25 scores a
# query reaches, so the clauses matched decide first and the score within them.
CLAUSE = 1_000_000.0
# A shard left out is tried again after this many seconds (a restarted server comes back).
RETRY_SECONDS = 2.0
# Article ids looked up at once (one OR query of their id terms).
IDS_AT_ONCE = 1024
_SLOTS = {"source": SOURCE, "category": CATEGORY}
_ID_PAGE = 20_000  # id terms listed at a time


class XapianReader:
    """An open Xapian index (``contract.EngineReader``): one database, or its shards."""

    score_digits = 6

    def __init__(self, location: Location, reach: Reach) -> None:
        self._shards = shards_of(location.directory, location.address)
        self._timeout = reach.timeout or DEFAULT_TIMEOUT
        self._partial = reach.allow_partial
        self._parts: list[xapian.Database | None] = [None] * len(self._shards)
        self._retried = 0.0
        for k in range(len(self._shards)):
            self._connect(k)
        self._db = self._combined()

    @property
    def missing(self) -> tuple[str, ...]:
        shards = zip(self._shards, self._parts, strict=True)
        return tuple(shard.name for shard, part in shards if part is None)

    def close(self) -> None:
        for part in self._parts:
            if part is not None:
                part.close()

    # --- shards ------------------------------------------------------------------------------

    def _connect(self, k: int) -> None:
        """Open shard ``k``; when it does not answer, leave it out if partial answers are
        allowed, else raise ``ShardUnavailable``."""
        try:
            self._parts[k] = open_reading(self._shards[k], self._timeout)
        except ShardUnavailable:
            self._parts[k] = None
            if not self._partial:
                raise

    def _combined(self) -> xapian.Database:
        db = xapian.Database()
        for part in self._parts:
            # An empty database in a missing shard's place keeps every docid's meaning.
            empty = part is None
            db.add_database(
                xapian.WritableDatabase("", xapian.DB_BACKEND_INMEMORY) if empty else part
            )
        return db

    def _run(self, work: Callable[[xapian.Database], T]) -> T:
        """``work`` on the database: again on a newer revision if a writer's commits overtook
        this one (Xapian keeps one old revision), and again after reconnecting the shards
        when a server did not answer (a restarted server is back)."""
        # Without partial answers a missing shard is tried at every search: it answers, or
        # the search fails naming it (never an answer without it).
        retry = not self._partial or time.monotonic() - self._retried > RETRY_SECONDS
        if self.missing and retry:
            self._reconnect()
        for _ in range(2):
            try:
                return work(self._db)
            except xapian.DatabaseModifiedError:
                self._db.reopen()
            except xapian.NetworkError as error:
                self._recover(error)
        return work(self._db)

    def _recover(self, error: xapian.NetworkError) -> None:
        """After ``error``: reconnect the shards whose connection is gone, and leave out the
        one that failed to answer in time (if partial answers are allowed; else raise
        ``ShardUnavailable`` naming it)."""
        for k, (shard, part) in enumerate(zip(self._shards, self._parts, strict=True)):
            if part is None or not shard.remote:
                continue
            try:
                part.keep_alive()
                slow = f"tcp({shard.host}:{shard.port})" in str(error)
            except xapian.NetworkError:
                slow = False
                self._connect(k)
            if slow:  # connected, but it did not answer in time
                self._parts[k] = None
                if not self._partial:
                    raise unavailable(shard, error)
        self._db = self._combined()

    def _reconnect(self) -> None:
        self._retried = time.monotonic()
        for k, part in enumerate(self._parts):
            if part is None:
                self._connect(k)
        self._db = self._combined()

    # --- terms -------------------------------------------------------------------------------

    def doc_count(self) -> int:
        return self._run(lambda db: db.get_doccount())

    def doc_frequency(self, field: str, term: str) -> int:
        return self._run(lambda db: db.get_termfreq(PREFIXES[field] + term))

    def terms(self, field: str) -> list[tuple[str, int]]:
        return self._terms(field, "")

    def _terms(self, field: str, prefix: str) -> list[tuple[str, int]]:
        start = PREFIXES[field]
        return self._run(
            lambda db: [
                (item.term.decode("utf-8")[len(start) :], item.termfreq)
                for item in db.allterms(start + prefix)
            ]
        )

    def expand(self, field: str, prefix: str, limit: int) -> list[str]:
        found = self._terms(field, prefix)
        return [term for term, _ in heapq.nlargest(limit, found, key=lambda item: item[1])]

    # --- queries -----------------------------------------------------------------------------

    def translate(self, query: q.Query) -> xapian.Query:
        """The Xapian query of a neutral one. Scored by Xapian's BM25: its IDF is log(r) where
        tantivy's is log(1 + r) (r = (N - n + 0.5) / (n + 0.5)), which the contract allows;
        the two differ for common words only."""
        match query:
            case q.Term(field, text, boost):
                return _scaled(Q(PREFIXES[field] + text), boost)
            case q.Phrase(field, words, boost):
                terms = [PREFIXES[field] + w for w in words]
                return _scaled(Q(Q.OP_PHRASE, terms, len(terms)), boost)
            case q.AnyOf(children):
                return Q(Q.OP_OR, [self.translate(c) for c in children])
            case q.AllOf(children):
                return Q(Q.OP_AND, [self.translate(c) for c in children])
            case q.Scored(inner, bonus):
                return Q(Q.OP_AND_MAYBE, self.translate(inner), self.translate(bonus))
            case q.Without(inner, exclude):
                return self._without(self.translate(inner), exclude)
            case q.Coordinated(clauses, exclude):
                counted = [
                    Q(Q.OP_AND_MAYBE, Q(Q.OP_FILTER, _constant(CLAUSE), c), c)
                    for c in map(self.translate, clauses)
                ]
                return self._without(Q(Q.OP_OR, counted), exclude)
            case q.Nothing():
                return Q()
            case q.Everything():
                return _scaled(Q.MatchAll, 0.0)
        raise TypeError(f"not a query: {query!r}")

    def _without(self, query: xapian.Query, exclude: Sequence[q.Query]) -> xapian.Query:
        return Q(Q.OP_AND_NOT, query, Q(Q.OP_OR, [self.translate(c) for c in exclude]))

    @staticmethod
    def _restricted(translated: xapian.Query, filter_: q.Filter | None) -> xapian.Query:
        """``translated`` restricted by ``filter_``; the filter adds nothing to scores."""
        if filter_ is None:
            return translated
        parts = []
        if filter_.since or filter_.until:
            # An undated article has no day value: no range holds it, as on the others.
            lo = number(filter_.since.toordinal() if filter_.since else 1)
            hi = number((filter_.until or dt.date.max).toordinal())
            parts.append(Q(Q.OP_VALUE_RANGE, DAY, lo, hi))
        for field, value in (("source", filter_.source), ("category", filter_.category)):
            if value is not None:
                parts.append(Q(PREFIXES[field] + keyword_key(value)))
        return Q(Q.OP_FILTER, translated, Q(Q.OP_AND, parts)) if parts else translated

    def _enquire(self, db: xapian.Database, query: xapian.Query, scored: bool) -> xapian.Enquire:
        enquire = xapian.Enquire(db)
        # Unscored, the query only filters every article. Not with ``BoolWeight``: with it,
        # Xapian 1.4.26 fails to read posting lists an update has rewritten ("Unexpected end
        # of posting list"), where the same query under a filter reads them well.
        enquire.set_query(query if scored else Q(Q.OP_FILTER, Q.MatchAll, query))
        enquire.set_weighting_scheme(xapian.BM25Weight(K1, 0, 1, B, 0.5))
        return enquire

    # --- searching ---------------------------------------------------------------------------

    def top(
        self, query: q.Query, limit: int, filter_: q.Filter | None, by_date: bool
    ) -> list[EngineHit]:
        translated = self._restricted(self.translate(query), filter_)
        coordinated = isinstance(query, q.Coordinated) and not by_date

        def search(db: xapian.Database) -> list[EngineHit]:
            wanted = min(limit, db.get_doccount())
            if wanted < 1:
                return []
            enquire = self._enquire(db, translated, not by_date)
            if by_date:  # newest first; an undated article has no value and comes last
                enquire.set_sort_by_value(DAY, True)
            found = enquire.get_mset(0, wanted)
            found.fetch()  # the documents of the page at once (one round trip a shard)
            hits = []
            for item in found:
                day = integer(item.document.get_value(DAY))
                if coordinated:
                    matched = int(item.weight // CLAUSE)
                    hits.append(EngineHit(item.docid, item.weight - matched * CLAUSE, day, matched))
                else:
                    hits.append(EngineHit(item.docid, 0.0 if by_date else item.weight, day))
            return hits

        return self._run(search)

    def _all(self, query: q.Query, filter_: q.Filter | None) -> xapian.Query:
        """The articles that match and pass ``filter_``, unscored."""
        return self._restricted(self.translate(q.matches_of(query)), filter_)

    def _every_match(
        self, query: xapian.Query, prepare: Callable[[xapian.Enquire], object] | None = None
    ) -> Callable[[xapian.Database], xapian.MSet]:
        """A search that looks at every match (exact counts, spies that see them all)."""

        def search(db: xapian.Database) -> xapian.MSet:
            enquire = self._enquire(db, query, False)
            if prepare is not None:
                prepare(enquire)
            return enquire.get_mset(0, 0, db.get_doccount())

        return search

    def count(self, query: q.Query, filter_: q.Filter | None) -> int:
        found = self._run(self._every_match(self._all(query, filter_)))
        return int(found.get_matches_estimated())

    def matching(self, query: q.Query, refs: Sequence[Ref]) -> set[Ref]:  # type: ignore[override]
        refs = list(refs)
        if not refs:
            return set()
        among = Q(Q.OP_OR, [Q(id_term(i)) for i in self.ids_of(refs)])
        both = Q(Q.OP_FILTER, self.translate(q.matches_of(query)), among)

        def search(db: xapian.Database) -> set[Ref]:
            return {item.docid for item in self._enquire(db, both, False).get_mset(0, len(refs))}

        return self._run(search) & set(refs)

    def scores(self, query: q.Query, refs: Sequence[Ref]) -> list[float | None]:
        if not refs:
            return []
        among = Q(Q.OP_OR, [Q(id_term(i)) for i in self.ids_of(refs)])
        both = Q(Q.OP_FILTER, self.translate(query), among)

        def search(db: xapian.Database) -> dict[Ref, float]:
            found = self._enquire(db, both, True).get_mset(0, len(refs))
            return {item.docid: item.weight for item in found}

        scored = self._run(search)
        return [scored.get(ref) for ref in refs]

    def facets(self, query: q.Query, filter_: q.Filter | None) -> FacetCounts:
        spies = {
            name: xapian.ValueCountMatchSpy(slot)
            for name, slot in (("source", SOURCE), ("category", CATEGORY), ("day", DAY))
        }

        def spied(enquire: xapian.Enquire) -> None:
            for spy in spies.values():
                enquire.add_matchspy(spy)

        self._run(self._every_match(self._all(query, filter_), spied))
        counts = {name: [(i.term, i.termfreq) for i in spy.values()] for name, spy in spies.items()}
        return FacetCounts(
            {key.decode("utf-8"): n for key, n in counts["source"]},
            {key.decode("utf-8"): n for key, n in counts["category"]},
            {integer(day): n for day, n in counts["day"]},
        )

    def story_count(
        self, query: q.Query, filter_: q.Filter | None, *, estimate: bool = False
    ) -> int:
        # Collapsed on the story, the exact count of matches is the count of stories.
        def by_story(enquire: xapian.Enquire) -> None:
            enquire.set_collapse_key(STORY_SLOT)

        found = self._run(self._every_match(self._all(query, filter_), by_story))
        # Every match was checked: the lower bound is the stories seen, exact. The estimate,
        # when collapsing into an empty page, is extrapolated (300 stories of 236 matches).
        return int(found.get_matches_lower_bound())

    # --- stored articles ---------------------------------------------------------------------

    def _values(self, refs: Sequence[Ref], slot: int) -> list[bytes]:
        return self._run(lambda db: [db.get_document(ref).get_value(slot) for ref in refs])

    def stories(self, refs: Sequence[Ref]) -> list[int]:
        return [integer(value) for value in self._values(refs, STORY_SLOT)]

    def ids_of(self, refs: Sequence[Ref]) -> list[str]:
        return [value.decode("utf-8") for value in self._values(refs, ID)]

    def stored_many(self, refs: Sequence[Ref]) -> list[Article]:
        def read(db: xapian.Database) -> list[Article]:
            docs = [db.get_document(ref) for ref in refs]
            return [unpack(d.get_value(ID).decode("utf-8"), d.get_data()) for d in docs]

        return self._run(read)

    def _located(self, article_ids: Sequence[str]) -> list[tuple[Ref, xapian.Document]]:
        """The refs and documents of the ids that are in the index (a document's own docid
        is its shard's, not the ref)."""
        query = Q(Q.OP_OR, [Q(id_term(i)) for i in article_ids])

        def search(db: xapian.Database) -> list[tuple[Ref, xapian.Document]]:
            found = self._enquire(db, query, False).get_mset(0, len(article_ids))
            found.fetch()
            return [(item.docid, item.document) for item in found]

        return self._run(search)

    def locate(self, article_id: str) -> Ref | None:
        found = self._located([article_id])
        return found[0][0] if found else None

    def find(self, article_id: str) -> Article | None:
        found = self._located([article_id])
        return unpack(article_id, found[0][1].get_data()) if found else None

    def versions(self, article_ids: Sequence[str]) -> dict[str, int]:
        versions = {}
        for start in range(0, len(article_ids), IDS_AT_ONCE):
            for _, doc in self._located(article_ids[start : start + IDS_AT_ONCE]):
                versions[doc.get_value(ID).decode("utf-8")] = int.from_bytes(
                    doc.get_value(VERSION), "big"
                )
        return versions

    def ids(self) -> Iterator[str]:
        # A page of id terms at a time, each page from the term after the last one: memory
        # holds one page whatever the size of the index.
        prefix = id_term("")
        after: bytes | None = None
        while True:
            page = self._run(functools.partial(_id_terms, prefix=prefix, after=after))
            yield from (term.decode("utf-8")[len(prefix) :] for term in page)
            if len(page) < _ID_PAGE:
                return
            after = page[-1]

    def date_range(self) -> tuple[dt.date | None, dt.date | None]:
        dated = Q(Q.OP_VALUE_GE, DAY, number(1))

        def end(newest: bool) -> dt.date | None:
            def search(db: xapian.Database) -> bytes | None:
                enquire = self._enquire(db, dated, False)
                enquire.set_sort_by_value(DAY, newest)
                found = enquire.get_mset(0, 1)
                return next((item.document.get_value(DAY) for item in found), None)

            value = self._run(search)
            return dt.date.fromordinal(integer(value)) if value else None

        return end(False), end(True)

    def has_keyword(self, field: str, value: str) -> bool:
        return self.doc_frequency(field, keyword_key(value)) > 0

    def keyword_counts(self, field: str) -> list[tuple[str, int]]:
        spy = xapian.ValueCountMatchSpy(_SLOTS[field])
        self._run(self._every_match(Q.MatchAll, lambda enquire: enquire.add_matchspy(spy)))
        counts = []
        for item in spy.values():
            key = item.term.decode("utf-8")
            [ref] = [hit.ref for hit in self.top(q.Term(field, key), 1, None, False)]
            [article] = self.stored_many([ref])
            counts.append((getattr(article, field) or key, item.termfreq))
        return sorted(counts, key=lambda item: (-item[1], item[0]))


def _scaled(query: xapian.Query, boost: float) -> xapian.Query:
    return query if boost == 1.0 else Q(Q.OP_SCALE_WEIGHT, query, boost)


def _constant(weight: float) -> xapian.Query:
    """Every article, each weighing ``weight`` (a posting source Xapian's servers know)."""
    return Q(xapian.FixedWeightPostingSource(weight))


def _id_terms(db: xapian.Database, prefix: str, after: bytes | None) -> list[bytes]:
    """Up to ``_ID_PAGE`` id terms (``prefix`` and the id), in order, from the one after
    ``after`` (from the first without it)."""
    terms = db.allterms(prefix)
    if after is None:
        return [item.term for item in itertools.islice(terms, _ID_PAGE)]
    try:
        first = terms.skip_to(after).term
    except StopIteration:
        return []
    page = [] if first == after else [first]
    return page + [item.term for item in itertools.islice(terms, _ID_PAGE - len(page))]

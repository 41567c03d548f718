"""A toy engine: the whole contract (``search.engine.contract``) in plain Python and memory.

It proves the contract is complete: registered for the tests alone, it passes the conformance
suite and serves ``Indexer`` and ``Searcher`` with nothing else of Bahth changed. Each commit
is one pickle of every live document (``toy.<number>.pickle``, renamed into place); a reader
loads the newest and answers from memory. BM25 with k1 1.2 and b 0.75, as the real engines.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import math
import os
import pickle
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from search.article import Article
from search.engine import contract as q
from search.engine.contract import (
    DEFAULT_REACH,
    EngineHit,
    FacetCounts,
    Failure,
    Location,
    Reach,
    Ref,
    keyword_key,
    version,
)
from search.engine.core.documents import Prepared, unpack
from search.engine.core.feeding import Feeder
from search.errors import IndexLocked
from search.stories import Stories

NAME = "toy"
SCHEMA_VERSION = 1
THREAD_SAFE = True  # a reader never changes what it loaded
K1, B = 1.2, 0.75
_COMMIT = re.compile(r"^toy\.(\d+)\.pickle$")


@dataclass
class Doc:
    id: str
    version: int
    story: int
    day: int
    keys: dict[str, str]  # source, category → keyword_key
    packed: bytes
    fields: dict[str, list[str]] = field(default_factory=dict)


def _document(article: Article, content_hash: str, story: int, made: Prepared) -> Doc:
    day = article.date.toordinal() if article.date else 0
    values = {"source": article.source, "category": article.category}
    keys = {name: keyword_key(value) for name, value in values.items() if value}
    doc = Doc(article.id, version(content_hash), story, day, keys, made.packed)
    doc.fields = {name: text.split() for name, text in made.texts}
    return doc


def create(location: Location) -> None:
    """Nothing to make: an index without a commit is empty."""


def committed(location: Location) -> int:
    return _committed(location.directory)


def _committed(directory: Path) -> int:
    numbers = [int(m[1]) for name in os.listdir(directory) if (m := _COMMIT.match(name))]
    return max(numbers, default=-1)


def _load(directory: Path) -> list[Doc]:
    number = _committed(directory)
    if number < 0:
        return []
    with open(directory / f"toy.{number}.pickle", "rb") as file:
        docs: list[Doc] = pickle.load(file)
    return docs


def open_reader(location: Location, reach: Reach = DEFAULT_REACH) -> ToyReader:
    # Its index is all local: nothing to reach.
    return ToyReader(_load(location.directory))


def open_writer(location: Location, workers: int, stories: Stories) -> ToyWriter:
    return ToyWriter(location.directory, workers, stories)


class ToyWriter:
    def __init__(self, directory: Path, workers: int, stories: Stories) -> None:
        self._directory = directory
        self._lock: IO[bytes] | None = open(directory / "toy.lock", "wb")  # noqa: SIM115
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._lock.close()
            raise IndexLocked(f"{directory} is locked by another writer") from None
        self._docs = _load(directory)
        self._feeder = Feeder(workers, stories, _document, self._docs_append)

    def _docs_append(self, doc: Doc) -> None:
        self._docs.append(doc)  # not a bound append: replace and delete make a new list

    def add(self, article: Article, content_hash: str) -> None:
        self._feeder.add(article, content_hash)

    def replace(self, article: Article, content_hash: str) -> None:
        self._feeder.drain()
        self._docs = [d for d in self._docs if d.id != article.id]
        self.add(article, content_hash)

    def delete(self, article_id: str) -> int:
        self._feeder.drain()
        before = len(self._docs)
        self._docs = [d for d in self._docs if d.id != article_id]
        return before - len(self._docs)

    def touched(self) -> set[str] | None:
        return self._feeder.words()

    def failures(self) -> list[Failure]:
        return self._feeder.failures()

    def commit(self, prepare: Callable[[int], None]) -> None:
        self._feeder.drain()
        self._feeder.close()
        number = _committed(self._directory) + 1
        prepare(number)
        temporary = self._directory / f"toy.{number}.tmp"
        temporary.write_bytes(pickle.dumps(self._docs))
        temporary.rename(self._directory / f"toy.{number}.pickle")
        self._release()

    def cancel(self) -> None:
        self._feeder.close()
        self._release()

    def _release(self) -> None:
        if self._lock is not None:
            self._lock.close()
            self._lock = None


class ToyReader:
    score_digits = 6
    missing: tuple[str, ...] = ()  # all local

    def __init__(self, docs: list[Doc]) -> None:
        self._docs = docs
        self._df: dict[str, Counter[str]] = {}
        self._average: dict[str, float] = {}
        for name in q.STEMMED_FIELDS + q.EXACT_FIELDS:
            self._df[name] = Counter(t for d in docs for t in set(d.fields.get(name, ())))
            lengths = [len(d.fields.get(name, ())) for d in docs]
            self._average[name] = sum(lengths) / len(lengths) if lengths else 0.0

    def close(self) -> None:
        self._docs = []

    def doc_count(self) -> int:
        return len(self._docs)

    def doc_frequency(self, field: str, term: str) -> int:
        return self._df[field][term]

    def expand(self, field: str, prefix: str, limit: int) -> list[str]:
        found = [(n, t) for t, n in self._df[field].items() if t.startswith(prefix)]
        return [t for _, t in sorted(found, key=lambda item: (-item[0], item[1]))[:limit]]

    def terms(self, field: str) -> Iterable[tuple[str, int]]:
        return list(self._df[field].items())

    # --- matching and scoring -------------------------------------------------------------------

    def _bm25(self, field: str, doc: Doc, tf: int, idf: float) -> float:
        length = len(doc.fields.get(field, ()))
        norm = K1 * (1 - B + B * length / (self._average[field] or 1))
        return idf * tf * (K1 + 1) / (tf + norm)

    def _idf(self, field: str, term: str) -> float:
        df = self._df[field][term]
        return math.log(1 + (len(self._docs) - df + 0.5) / (df + 0.5))

    def _scores(self, query: q.Query) -> dict[int, tuple[int, float]]:
        """ref → (clauses matched, score) of the docs ``query`` matches."""
        match query:
            case q.Term(name, text, boost):
                return self._term(name, text, boost)
            case q.Phrase(name, words, boost):
                idf = sum(self._idf(name, w) for w in words)
                found = {}
                for ref, doc in enumerate(self._docs):
                    tokens, n = doc.fields.get(name, []), len(words)
                    tf = sum(tuple(tokens[i : i + n]) == words for i in range(len(tokens)))
                    if tf:
                        found[ref] = (0, boost * self._bm25(name, doc, tf, idf))
                return found
            case q.AnyOf(children):
                return self._union(children, counted=False)
            case q.Coordinated(clauses, exclude):
                return self._without(self._union(clauses, counted=True), exclude)
            case q.AllOf(children):
                parts = [self._scores(c) for c in children]
                common = set.intersection(*(set(p) for p in parts))
                return {r: (0, sum(p[r][1] for p in parts)) for r in common}
            case q.Without(inner, exclude):
                return self._without(self._scores(inner), exclude)
            case q.Scored(inner, bonus):
                found, extra = self._scores(inner), self._scores(bonus)
                return {r: (0, s + extra.get(r, (0, 0.0))[1]) for r, (_, s) in found.items()}
            case q.Nothing():
                return {}
            case q.Everything():
                return {ref: (0, 1.0) for ref in range(len(self._docs))}
        raise TypeError(f"not a query: {query!r}")

    def _union(self, children: Sequence[q.Query], *, counted: bool) -> dict[int, tuple[int, float]]:
        """Any child's docs, their scores added up (and, ``counted``, the children matched)."""
        union: dict[int, tuple[int, float]] = {}
        for child in children:
            for ref, (_, score) in self._scores(child).items():
                matched, total = union.get(ref, (0, 0.0))
                union[ref] = (matched + counted, total + score)
        return union

    def _term(self, name: str, text: str, boost: float) -> dict[int, tuple[int, float]]:
        if name == q.STORY:
            return {r: (0, 1.0) for r, d in enumerate(self._docs) if d.story == int(text)}
        if name in q.KEYWORD_FIELDS:
            return {r: (0, 1.0) for r, d in enumerate(self._docs) if d.keys.get(name) == text}
        idf = self._idf(name, text)
        found = {}
        for ref, doc in enumerate(self._docs):
            if tf := doc.fields.get(name, []).count(text):
                found[ref] = (0, boost * self._bm25(name, doc, tf, idf))
        return found

    def _without(
        self, found: dict[int, tuple[int, float]], exclude: Sequence[q.Query]
    ) -> dict[int, tuple[int, float]]:
        out = set().union(*(self._scores(e) for e in exclude)) if exclude else set()
        return {r: v for r, v in found.items() if r not in out}

    def _passes(self, doc: Doc, filter_: q.Filter | None) -> bool:
        if filter_ is None:
            return True
        if (filter_.since or filter_.until) and not doc.day:
            return False
        if filter_.since and doc.day < filter_.since.toordinal():
            return False
        if filter_.until and doc.day > filter_.until.toordinal():
            return False
        wanted = {"source": filter_.source, "category": filter_.category}
        return all(
            value is None or doc.keys.get(name) == keyword_key(value)
            for name, value in wanted.items()
        )

    def _matches(self, query: q.Query, filter_: q.Filter | None) -> dict[int, tuple[int, float]]:
        found = self._scores(query)
        return {r: v for r, v in found.items() if self._passes(self._docs[r], filter_)}

    def top(
        self, query: q.Query, limit: int, filter_: q.Filter | None, by_date: bool
    ) -> list[EngineHit]:
        found = self._matches(query, filter_)
        if by_date:
            hits = [EngineHit(r, 0.0, self._docs[r].day) for r in found]
            return sorted(hits, key=lambda h: -h.day)[:limit]
        hits = [EngineHit(r, s, self._docs[r].day, m) for r, (m, s) in found.items()]
        return sorted(hits, key=lambda h: (-h.matched, -h.score))[:limit]

    def count(self, query: q.Query, filter_: q.Filter | None) -> int:
        return len(self._matches(query, filter_))

    def matching(self, query: q.Query, refs: Iterable[Ref]) -> set[Ref]:
        return set(self._scores(query)) & set(refs)

    def scores(self, query: q.Query, refs: Sequence[Ref]) -> list[float | None]:
        found = self._scores(query)
        return [found[r][1] if r in found else None for r in refs]  # type: ignore[index]

    def facets(self, query: q.Query, filter_: q.Filter | None) -> FacetCounts:
        docs = [self._docs[r] for r in self._matches(query, filter_)]
        return FacetCounts(
            dict(Counter(d.keys["source"] for d in docs if "source" in d.keys)),
            dict(Counter(d.keys["category"] for d in docs if "category" in d.keys)),
            dict(Counter(d.day for d in docs if d.day)),
        )

    def story_count(
        self, query: q.Query, filter_: q.Filter | None, *, estimate: bool = False
    ) -> int:
        return len({self._docs[r].story for r in self._matches(query, filter_)})

    def stories(self, refs: Sequence[Ref]) -> list[int]:
        return [self._docs[r].story for r in refs]  # type: ignore[index]

    # --- stored articles ------------------------------------------------------------------------

    def stored_many(self, refs: Sequence[Ref]) -> list[Article]:
        return [unpack(self._docs[r].id, self._docs[r].packed) for r in refs]  # type: ignore[index]

    def ids_of(self, refs: Sequence[Ref]) -> list[str]:
        return [self._docs[r].id for r in refs]  # type: ignore[index]

    def locate(self, article_id: str) -> Ref | None:
        return next((r for r, d in enumerate(self._docs) if d.id == article_id), None)

    def find(self, article_id: str) -> Article | None:
        ref = self.locate(article_id)
        return None if ref is None else self.stored_many([ref])[0]

    def versions(self, article_ids: Sequence[str]) -> dict[str, int]:
        wanted = set(article_ids)
        return {d.id: d.version for d in self._docs if d.id in wanted}

    def ids(self) -> Iterator[str]:
        return iter([d.id for d in self._docs])

    def date_range(self) -> tuple[dt.date | None, dt.date | None]:
        days = [d.day for d in self._docs if d.day]
        if not days:
            return None, None
        return dt.date.fromordinal(min(days)), dt.date.fromordinal(max(days))

    def keyword_counts(self, field: str) -> list[tuple[str, int]]:
        counts = Counter(d.keys[field] for d in self._docs if field in d.keys)
        labels = {}
        for doc in self._docs:
            if field in doc.keys and doc.keys[field] not in labels:
                article = unpack(doc.id, doc.packed)
                labels[doc.keys[field]] = getattr(article, field)
        found = [(labels[key], n) for key, n in counts.items()]
        return sorted(found, key=lambda item: (-item[1], item[0]))

    def has_keyword(self, field: str, value: str) -> bool:
        return any(d.keys.get(field) == keyword_key(value) for d in self._docs)

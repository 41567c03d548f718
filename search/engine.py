"""The only module that imports whoosh: analyzer adapters, schema, writing and searching.

Everything whoosh-specific stays here so that another engine could replace it; the rest of Bahth
speaks in ``Article``, query trees (``search.query``) and plain values. whoosh errors are turned
into Bahth errors at this boundary.
"""

from __future__ import annotations

import datetime as dt
import itertools
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.analysis import Filter, Token, Tokenizer
from whoosh.codec.whoosh3 import W3Codec
from whoosh.columns import NumericColumn
from whoosh.fields import COLUMN, DATETIME, ID, STORED, TEXT, Schema
from whoosh.scoring import BM25F
from whoosh.writing import LockError

from .arabic import AnalyzedToken, analyze, normalize, strip_prefixes
from .article import Article
from .errors import IndexIncompatible, IndexLocked, QueryError
from .query import And, Highlights, Node, Not, Phrase, Word


@lru_cache(maxsize=8)
def _analyzed(text: str) -> list[AnalyzedToken]:
    # A text is indexed into two fields (stemmed and exact): analyze it once for both.
    return analyze(text)


class ArabicTokenizer(Tokenizer):
    """Tokens of ``search.arabic.analyze``: surface offsets, normalized form and index term.

    Offsets are those of the original text and no filter changes them, so highlights land on
    surface words (وروسيا، المفاوضاتِ) whatever the index term is. The token carries ``norm``
    and ``term`` (None for a stopword) for ``ArabicTermFilter`` to choose from.
    """

    def __call__(  # type: ignore[override]
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: object,
    ) -> Iterator[Token]:
        # whoosh reuses one Token object for the whole stream (see whoosh.analysis.acore).
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for pos, (surface, start, end, norm, term) in enumerate(_analyzed(value), start_pos):
            token.text = surface
            token.norm = norm
            token.term = term
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = surface
            if positions:
                token.pos = pos
            if chars:
                token.startchar = start_char + start
                token.endchar = start_char + end
            yield token


class ArabicTermFilter(Filter):
    """Replace each word by its index term (``stemmed``) or its normalized form (exact).

    Stopwords are dropped (or marked ``stopped`` when whoosh asks to keep them) and positions
    are renumbered over the words that remain, as whoosh's own StopFilter does, so a quoted
    phrase matches across a stopword.
    """

    def __init__(self, stemmed: bool = True) -> None:
        self.stemmed = stemmed

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ArabicTermFilter) and other.stemmed == self.stemmed

    def __hash__(self) -> int:
        return hash((ArabicTermFilter, self.stemmed))

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:  # type: ignore[override]
        pos = None
        for token in tokens:
            if token.term is None:
                if not token.removestops:
                    token.text, token.stopped = token.norm, True
                    yield token
                continue
            token.text = token.term if self.stemmed else token.norm
            token.stopped = False
            if token.positions:
                pos = token.pos if pos is None else pos + 1
                token.pos = pos
            yield token


def arabic_analyzer(stemmed: bool = True) -> ArabicTokenizer | Filter:
    """The whoosh analyzer for Arabic text: stemmed (for ranking) or exact (normalized only)."""
    return ArabicTokenizer() | ArabicTermFilter(stemmed=stemmed)


T = TypeVar("T")

# --- schema ------------------------------------------------------------------------------------

SCHEMA_VERSION = 3
"""Bump when fields change; an index records it and is refused by a Bahth that expects another."""


def schema() -> Schema:
    """Title and body are indexed twice: stemmed (ranking) and exact (phrases, boosts).

    Title, keywords and body (compressed) are stored for snippets and ``bahth show``.
    ``source`` and ``category`` hold normalized keys (``source:alwatan``); the labels as
    published are stored beside them.
    """
    stemmed = arabic_analyzer(stemmed=True)
    exact = arabic_analyzer(stemmed=False)
    return Schema(
        id=ID(stored=True, unique=True, sortable=True),
        title=TEXT(analyzer=stemmed, stored=True),
        # Phrases are matched on the exact fields, so the stemmed body needs no positions:
        # they would cost a third of its postings' size and encoding time.
        body=TEXT(analyzer=stemmed, phrase=False),
        # The body is stored zlib-compressed: it is most of what is stored, and Arabic text
        # shrinks about threefold; a hit's snippet pays ~20 µs to inflate it.
        body_z=STORED,
        keywords=TEXT(analyzer=stemmed, stored=True, phrase=False),
        title_exact=TEXT(analyzer=exact),
        body_exact=TEXT(analyzer=exact),
        date=DATETIME(stored=True),
        # The day as an ordinal (0: undated) in a column, for sorting and reading dates fast:
        # DATETIME's own column puts undated articles first when sorted newest first.
        day=COLUMN(NumericColumn("i", default=0)),
        date_text=STORED,
        source=ID(sortable=True),
        source_label=STORED,
        category=ID(sortable=True),
        category_label=STORED,
        url=STORED,
        hash=ID(sortable=True),
    )


def keyword_key(value: str) -> str:
    """The indexed form of a source or category name: normalized, spaces collapsed."""
    return " ".join(normalize(value).split())


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day)


# --- opening and writing -----------------------------------------------------------------------


def create_index(directory: Path) -> None:
    """Create an empty index in ``directory`` (which must exist)."""
    whoosh_index.create_in(str(directory), schema())


def is_index(directory: Path) -> bool:
    return whoosh_index.exists_in(str(directory))


def _open(directory: Path) -> whoosh_index.Index:
    try:
        return whoosh_index.open_dir(str(directory), schema=schema())
    except (whoosh_index.EmptyIndexError, whoosh_index.IndexVersionError) as error:
        raise IndexIncompatible(
            f"{directory} is not an index this version of Bahth can read ({error})",
            "Rebuild it with: bahth rebuild DUMP...",
        ) from error


class _Codec(W3Codec):
    """whoosh's codec without per-posting length statistics, and with faster compression.

    The statistics only let a query skip blocks a little sooner (BM25 reads field lengths from
    their own column, so scores do not change), yet fetching them costs a column lookup per
    posting written: about a tenth of indexing time. zlib level 1 instead of 3 saves another
    few percent for a slightly larger index.
    """

    length_stats = False


class IndexWriter:
    """Adds and deletes articles in one whoosh transaction: ``commit`` or ``cancel``.

    ``procs`` > 1 analyzes in that many processes (whoosh's multiprocess writer, always with
    ``multisegment`` to avoid its known merge bug); ``limitmb`` is the memory each may use
    for buffered postings before spilling to disk.
    """

    def __init__(self, directory: Path, *, procs: int = 1, limitmb: int = 256) -> None:
        self._index = _open(directory)
        options: dict[str, object] = {"limitmb": limitmb, "codec": _Codec(compression=1)}
        if procs > 1:
            options.update(procs=procs, multisegment=True)
        try:
            self._writer = self._index.writer(**options)
        except LockError as error:
            raise IndexLocked(f"{directory} is locked by another writer") from error
        self._searcher = None

    def add(self, article: Article, content_hash: str) -> None:
        """Add ``article``; the caller has deleted any older version first."""
        fields: dict[str, object] = {"id": article.id, "hash": content_hash}
        keywords = " ، ".join(article.keywords)
        for name, text in (("title", article.title), ("body", article.body)):
            if text:
                fields[name] = fields[f"{name}_exact"] = text
        if article.body:
            fields["body_z"] = zlib.compress(article.body.encode("utf-8"))
        if keywords:
            fields["keywords"] = keywords
        if article.date:
            fields["date"] = _midnight(article.date)
            fields["day"] = article.date.toordinal()
        optional = {
            "date_text": article.date_text,
            "url": article.url,
            "source_label": article.source,
            "category_label": article.category,
        }
        fields.update({k: v for k, v in optional.items() if v})
        if article.source and keyword_key(article.source):
            fields["source"] = keyword_key(article.source)
        if article.category and keyword_key(article.category):
            fields["category"] = keyword_key(article.category)
        self._writer.add_document(**fields)

    def delete(self, article_id: str) -> int:
        """Delete the committed article with this id; returns how many were deleted (0 or 1)."""
        return self._writer.delete_by_term("id", article_id)

    def commit(self) -> None:
        self._writer.commit()

    def cancel(self) -> None:
        self._writer.cancel()


# --- reading -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StoredArticle:
    """An article as stored in the index."""

    docnum: int
    article: Article


def _article(fields: dict[str, object]) -> Article:
    date = fields.get("date")
    keywords = str(fields.get("keywords") or "")
    return Article(
        id=str(fields["id"]),
        title=str(fields.get("title") or ""),
        body=zlib.decompress(fields["body_z"]).decode("utf-8") if "body_z" in fields else "",
        date=date.date() if isinstance(date, dt.datetime) else None,
        date_text=fields.get("date_text"),  # type: ignore[arg-type]
        source=fields.get("source_label"),  # type: ignore[arg-type]
        category=fields.get("category_label"),  # type: ignore[arg-type]
        url=fields.get("url"),  # type: ignore[arg-type]
        keywords=tuple(k for k in keywords.split(" ، ") if k),
    )


# BM25F per field: titles are short, so their length matters less (lower B); the title weight
# and the bonus for exact surface forms were tuned with benchmarks/relevance.py.
TITLE_WEIGHT = 2.0
KEYWORDS_WEIGHT = 1.5
EXACT_WEIGHT = 0.5
WEIGHTING = BM25F(B=0.75, K1=1.2, title_B=0.5, title_exact_B=0.5, keywords_B=0.3)

_STEMMED_FIELDS = {"title": ("title",), "body": ("body",), None: ("title", "body", "keywords")}
_EXACT_FIELDS = {
    "title": ("title_exact",),
    "body": ("body_exact",),
    None: ("title_exact", "body_exact"),
}
_WEIGHTS = {"title": TITLE_WEIGHT, "title_exact": TITLE_WEIGHT, "keywords": KEYWORDS_WEIGHT}


@dataclass
class CompiledQuery:
    """A query tree in whoosh terms, with what the searcher needs around it.

    ``clauses`` are the top-level positive parts (one per query word or group) and
    ``exclude`` the negative ones, for the partial-match fill; ``unknown`` lists query words the
    index has never seen; ``stopwords`` the query words that were dropped.
    """

    query: wq.Query
    clauses: list[wq.Query]
    exclude: list[wq.Query]
    highlights: Highlights
    unknown: list[str]
    stopwords: list[str]


class _Compiler:
    def __init__(self, searcher: object, exact_only: bool) -> None:
        self.searcher = searcher
        self.exact_only = exact_only
        self.highlights = Highlights()
        self.unknown: list[str] = []
        self.stopwords: list[str] = []

    def node(self, node: Node) -> wq.Query | None:
        if isinstance(node, Word):
            return self.word(node)
        if isinstance(node, Phrase):
            return self.phrase(node)
        if isinstance(node, Not):
            child = self.node(node.child)
            return None if child is None else wq.Not(child)
        children = [q for q in (self.node(c) for c in node.children) if q is not None]
        if not children:
            return None
        if len(children) == 1:
            return children[0]
        return wq.And(children) if isinstance(node, And) else wq.Or(children)

    def _keyword(self, field_name: str, text: str) -> wq.Query:
        return wq.Term(field_name, keyword_key(text))

    def word(self, word: Word) -> wq.Query | None:
        if word.field in ("source", "category"):
            return self._keyword(word.field, word.text)
        if word.prefix:
            return self.prefix(word)
        tokens = [t for t in analyze(word.text) if t.term is not None]
        if not tokens:
            if analyze(word.text):
                self.stopwords.append(word.text)
            return None
        stemmed, exact = _STEMMED_FIELDS[word.field], _EXACT_FIELDS[word.field]
        self.highlights.norms.update(t.norm for t in tokens)
        if self.exact_only:
            if all(self._doc_frequency(t.norm, exact) == 0 for t in tokens):
                self.unknown.append(word.text)
            return self._exact(exact, [t.norm for t in tokens])
        self.highlights.terms.update(t.term for t in tokens)  # type: ignore[misc]
        if all(self._doc_frequency(t.term, stemmed) == 0 for t in tokens):  # type: ignore[arg-type]
            self.unknown.append(word.text)
        if len(tokens) > 1:  # F-16, كوفيد-19: the pieces in order
            return self._exact(exact, [t.norm for t in tokens])
        [token] = tokens
        clauses = [wq.Term(f, token.term, boost=_WEIGHTS.get(f, 1.0)) for f in stemmed]
        if EXACT_WEIGHT:
            clauses += [
                wq.Term(f, token.norm, boost=_WEIGHTS.get(f, 1.0) * EXACT_WEIGHT) for f in exact
            ]
        return wq.Or(clauses)

    def prefix(self, word: Word) -> wq.Query:
        norm = normalize(word.text)
        bare = strip_prefixes(norm) or norm
        self.highlights.norm_prefixes.add(norm)
        stemmed, exact = _STEMMED_FIELDS[word.field], _EXACT_FIELDS[word.field]
        prefixes = [wq.Prefix(f, norm, boost=_WEIGHTS.get(f, 1.0)) for f in exact]
        if not self.exact_only:
            self.highlights.term_prefixes.add(bare)
            prefixes += [wq.Prefix(f, bare, boost=_WEIGHTS.get(f, 1.0)) for f in stemmed]
        return wq.Or(prefixes)

    def phrase(self, phrase: Phrase) -> wq.Query | None:
        if phrase.field in ("source", "category"):
            return self._keyword(phrase.field, phrase.text)
        tokens = analyze(phrase.text)
        norms = [t.norm for t in tokens if t.term is not None]
        if not norms:
            if tokens:
                self.stopwords.append(phrase.text)
            return None
        self.highlights.norms.update(norms)
        return self._exact(_EXACT_FIELDS[phrase.field], norms)

    @staticmethod
    def _exact(fields: tuple[str, ...], norms: list[str]) -> wq.Query:
        if len(norms) == 1:
            return wq.Or([wq.Term(f, norms[0], boost=_WEIGHTS.get(f, 1.0)) for f in fields])
        return wq.Or([wq.Phrase(f, norms, boost=_WEIGHTS.get(f, 1.0)) for f in fields])

    def _doc_frequency(self, term: str, fields: tuple[str, ...]) -> int:
        return sum(self.searcher.doc_frequency(f, term) for f in fields)


@dataclass(frozen=True, slots=True)
class EngineHit:
    docnum: int
    score: float
    date: dt.date | None


@dataclass(frozen=True, slots=True)
class EngineResults:
    total: int
    hits: list[EngineHit]


class EngineSearcher:
    """An open index snapshot: compile query trees, run them, read stored articles.

    whoosh's searcher is a snapshot of the index when it was opened; the caller reopens
    (``Searcher.refresh``) to see later commits.
    """

    def __init__(self, directory: Path) -> None:
        self._index = _open(directory)
        self._searcher = self._index.searcher(weighting=WEIGHTING)
        self._days = None

    def close(self) -> None:
        self._searcher.close()

    def doc_count(self) -> int:
        return self._searcher.doc_count()

    def compile(self, tree: Node, *, exact_only: bool = False) -> CompiledQuery:
        """Translate a query tree; ``exact_only`` matches normalized forms without stemming."""
        compiler = _Compiler(self._searcher, exact_only)
        top = tree.children if isinstance(tree, And) else (tree,)
        clauses, exclude = [], []
        for child in top:
            target = exclude if isinstance(child, Not) else clauses
            compiled = compiler.node(child.child if isinstance(child, Not) else child)
            if compiled is not None:
                target.append(compiled)
        if not clauses:
            words = ", ".join(compiler.stopwords) or "nothing"
            raise QueryError(
                f"the query has only stopwords ({words}), which are not indexed",
                "Add a content word, e.g. a name or a noun",
            )
        return CompiledQuery(
            query=self.combine(clauses, exclude),
            clauses=clauses,
            exclude=exclude,
            highlights=compiler.highlights,
            unknown=compiler.unknown,
            stopwords=compiler.stopwords,
        )

    @staticmethod
    def combine(clauses: Sequence[wq.Query], exclude: Sequence[wq.Query]) -> wq.Query:
        query = clauses[0] if len(clauses) == 1 else wq.And(list(clauses))
        if exclude:
            query = wq.AndNot(query, wq.Or(list(exclude)))
        return query

    @staticmethod
    def at_least(clauses: Sequence[wq.Query], exclude: Sequence[wq.Query], m: int) -> wq.Query:
        """Articles matching at least ``m`` of the clauses (whoosh's Or has no working minmatch)."""
        groups = (
            [wq.And(list(c)) for c in itertools.combinations(clauses, m)]
            if m > 1
            else list(clauses)
        )
        query = groups[0] if len(groups) == 1 else wq.Or(groups)
        return wq.AndNot(query, wq.Or(list(exclude))) if exclude else query

    @staticmethod
    def filters(
        since: dt.date | None, until: dt.date | None, source: str | None
    ) -> wq.Query | None:
        parts: list[wq.Query] = []
        if since or until:
            start = _midnight(since) if since else None
            end = _midnight(until) if until else None
            parts.append(wq.DateRange("date", start, end))
        if source:
            parts.append(wq.Term("source", keyword_key(source)))
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else wq.And(parts)

    def search(
        self,
        query: wq.Query,
        *,
        limit: int,
        filter_: wq.Query | None = None,
        exclude_docs: set[int] | None = None,
        by_date: bool = False,
        count: bool = True,
    ) -> EngineResults:
        """Run ``query``: the top ``limit`` hits by score (or newest first) and the total."""
        # Without block-quality skipping the collector sees every match and counts it in the
        # same pass; with it, whoosh counts by running the query a second time.
        options: dict[str, object] = {
            "limit": max(limit, 1),
            "filter": filter_,
            "optimize": not count,
        }
        if exclude_docs:
            options["mask"] = exclude_docs
        if by_date:
            options.update(sortedby="day", reverse=True)
        results = self._searcher.search(query, **options)
        # Sorted by date, whoosh reports the sort key as the score: there is no relevance score.
        hits = [
            EngineHit(h.docnum, 0.0 if by_date else h.score or 0.0, self.date_of(h.docnum))
            for h in results
        ]
        total = len(results) if count else len(hits)
        return EngineResults(total=total, hits=hits[:limit])

    def matching(self, query: wq.Query, docnums: Iterable[int]) -> set[int]:
        """Which of ``docnums`` match ``query``."""
        wanted = set(docnums)
        return {d for d in self._searcher.docs_for_query(query) if d in wanted}

    def date_of(self, docnum: int) -> dt.date | None:
        if self._days is None:
            self._days = self._searcher.reader().column_reader("day")
        day = self._days[docnum]
        return dt.date.fromordinal(day) if day > 0 else None

    def stored(self, docnum: int) -> Article:
        return _article(self._searcher.stored_fields(docnum))

    def find(self, article_id: str) -> StoredArticle | None:
        docnum = self._searcher.document_number(id=article_id)
        return None if docnum is None else StoredArticle(docnum, self.stored(docnum))

    def content_hash(self, article_id: str) -> str | None:
        """The content hash stored with an article, or None if the id is not in the index."""
        docnum = self._searcher.document_number(id=article_id)
        if docnum is None:
            return None
        return self._searcher.reader().column_reader("hash")[docnum]

    def ids(self) -> Iterator[str]:
        """Every article id in the index."""
        for _, article_id in self._live(self._searcher.reader().column_reader("id")):
            yield article_id

    def date_range(self) -> tuple[dt.date | None, dt.date | None]:
        days = [
            day for docnum, day in self._live(self._searcher.reader().column_reader("day")) if day
        ]
        if not days:
            return None, None
        return dt.date.fromordinal(min(days)), dt.date.fromordinal(max(days))

    def _live(self, column: Iterable[T]) -> Iterator[tuple[int, T]]:
        """(docnum, value) for the articles not deleted."""
        reader = self._searcher.reader()
        deleted = reader.has_deletions()
        for docnum, value in enumerate(column):
            if not (deleted and reader.is_deleted(docnum)):
                yield docnum, value

    def keyword_counts(self, field_name: str) -> list[tuple[str, int]]:
        """(label as published, article count) for each source or category, largest first.

        Counted over live articles (whoosh's document frequencies still count deleted ones).
        """
        counts: Counter[str] = Counter()
        first_doc: dict[str, int] = {}
        for docnum, key in self._live(self._searcher.reader().column_reader(field_name)):
            if key:
                counts[key] += 1
                first_doc.setdefault(key, docnum)
        labels = {
            key: self._searcher.stored_fields(docnum).get(f"{field_name}_label") or key
            for key, docnum in first_doc.items()
        }
        return sorted(((labels[k], n) for k, n in counts.items()), key=lambda i: (-i[1], i[0]))

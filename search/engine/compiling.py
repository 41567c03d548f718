"""Query trees (``search.query``) → whoosh queries, with the ranking weights."""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from whoosh import query as wq
from whoosh.matching import AndNotMatcher, Matcher, NullMatcherClass
from whoosh.matching.wrappers import WrappingMatcher
from whoosh.scoring import BM25F

from ..arabic import analyze, analyze_word, normalize
from ..errors import QueryError
from ..query import And, Highlights, Node, Not, Phrase, Word
from .schema import keyword_key, midnight

# BM25F per field: titles are short, so their length matters less (lower B); the title weight
# and the bonus for exact surface forms were tuned with `python -m benchmarks.relevance`.
TITLE_WEIGHT = 2.0
KEYWORDS_WEIGHT = 1.5
EXACT_WEIGHT = 0.5
WEIGHTING = BM25F(B=0.75, K1=1.2, title_B=0.5, title_exact_B=0.5, keywords_B=0.3)

# A prefix query ORs at most this many expansions per field, the most frequent among the first
# MAX_SCANNED in term order.
MAX_EXPANSIONS = 64
MAX_SCANNED = 20_000

_STEMMED_FIELDS = {"title": ("title",), "body": ("body",), None: ("title", "body", "keywords")}
_EXACT_FIELDS = {
    "title": ("title_exact",),
    "body": ("body_exact",),
    None: ("title_exact", "body_exact", "keywords_exact"),
}
_WEIGHTS = {
    "title": TITLE_WEIGHT,
    "title_exact": TITLE_WEIGHT,
    "keywords": KEYWORDS_WEIGHT,
    "keywords_exact": KEYWORDS_WEIGHT,
}


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

    def prefix(self, word: Word) -> wq.Query | None:
        """Words starting with a prefix as written, by their most frequent expansions: stems
        starting with it (اقتصا* finds الاقتصاد), normalized forms starting with it, and the
        stems of those forms, for their other forms (والاقتصا* finds اقتصاد).

        The prefix keeps its first letters: whether a و ب ف ل ك is a clitic is for the
        stemmer to decide on whole words, and on a fragment it cannot (وزار* is not زار*,
        "visited"). whoosh's own Prefix query reads every expansion, thousands for a short
        Arabic prefix; the rarest add little.
        """
        norm = normalize(word.text)
        self.highlights.norm_prefixes.add(norm)
        exact = {f: self._expand(f, norm) for f in _EXACT_FIELDS[word.field]}
        terms = [
            wq.Term(f, form, boost=_WEIGHTS.get(f, 1.0))
            for f, forms in exact.items()
            for form in forms
        ]
        if not self.exact_only:
            self.highlights.term_prefixes.add(norm)
            of_forms = {analyze_word(form)[1] for forms in exact.values() for form in forms}
            of_forms.discard(None)
            self.highlights.terms.update(of_forms)  # type: ignore[arg-type]
            for f in _STEMMED_FIELDS[word.field]:
                stems = set(self._expand(f, norm)) | of_forms  # type: ignore[operator]
                terms += [wq.Term(f, text, boost=_WEIGHTS.get(f, 1.0)) for text in sorted(stems)]
        if not terms:
            self.unknown.append(word.text)
            return wq.NullQuery
        # whoosh's default Or is a binary tree of matchers, slow with hundreds of leaves; the
        # preloaded one reads them into one array (a prefix query's p95 fell from 0.7 s to
        # 40 ms on 6,000 articles).
        return wq.PreloadedOr(terms)

    def _expand(self, field: str, prefix: str) -> list[str]:
        """The ``MAX_EXPANSIONS`` most frequent terms of ``field`` starting with ``prefix``."""
        reader = self.searcher.reader()
        found = itertools.islice(reader.iter_prefix(field, prefix), MAX_SCANNED)
        ranked = heapq.nlargest(MAX_EXPANSIONS, found, key=lambda item: item[1].doc_frequency())
        return [text.decode("utf-8") for text, _ in ranked]

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


def compile_query(searcher: object, tree: Node, *, exact_only: bool = False) -> CompiledQuery:
    """Translate a query tree for ``searcher`` (a whoosh searcher, for term statistics);
    ``exact_only`` matches normalized forms without stemming."""
    compiler = _Compiler(searcher, exact_only)
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
        query=combine(clauses, exclude),
        clauses=clauses,
        exclude=exclude,
        highlights=compiler.highlights,
        unknown=compiler.unknown,
        stopwords=compiler.stopwords,
    )


class _ExcludingMatcher(AndNotMatcher):
    """whoosh's AndNotMatcher, starting right.

    whoosh's version looks past the excluded articles at the start only when the first
    excluded article is the first wanted one: when an excluded article came earlier in the
    index, the first wanted article was a hit even if it was excluded too.
    """

    def _find_first(self) -> None:
        if self.a.is_active() and self.b.is_active():
            self._find_next()


class _AndNot(wq.AndNot):
    """``a`` without the articles matching ``b``, with ``_ExcludingMatcher``."""

    def matcher(self, searcher: object, context: object = None) -> Matcher:
        return _ExcludingMatcher(
            self.a.matcher(searcher, context),
            self.b.matcher(searcher, searcher.boolean_context()),  # type: ignore[attr-defined]
        )


def _without(query: wq.Query, exclude: Sequence[wq.Query]) -> wq.Query:
    return _AndNot(query, wq.Or(list(exclude))) if exclude else query


def combine(clauses: Sequence[wq.Query], exclude: Sequence[wq.Query]) -> wq.Query:
    """All the clauses, none of the excluded."""
    return _without(clauses[0] if len(clauses) == 1 else wq.And(list(clauses)), exclude)


def any_of(clauses: Sequence[wq.Query], exclude: Sequence[wq.Query]) -> wq.Query:
    """Articles matching any of the clauses and none of the excluded."""
    return _without(clauses[0] if len(clauses) == 1 else wq.Or(list(clauses)), exclude)


def filters(
    since: dt.date | None,
    until: dt.date | None,
    source: str | None = None,
    category: str | None = None,
) -> wq.Query | None:
    """The filter for a date range (inclusive), a source and a category, or None."""
    parts: list[wq.Query] = []
    if since or until:
        start = midnight(since) if since else None
        end = midnight(until) if until else None
        parts.append(wq.DateRange("date", start, end))
    for field_name, value in (("source", source), ("category", category)):
        if value is not None:
            parts.append(wq.Term(field_name, keyword_key(value)))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else wq.And(parts)


COORDINATION = 10_000.0
"""Added to the score for each query clause an article matches: far above any BM25 sum, so
articles matching more of the words rank first, and BM25 orders articles matching as many."""


class _BonusMatcher(WrappingMatcher):
    """The child's matches, each scoring ``bonus`` more."""

    def __init__(self, child: Matcher, bonus: float = COORDINATION, boost: float = 1.0) -> None:
        super().__init__(child, boost)
        self.bonus = bonus

    def copy(self) -> _BonusMatcher:
        return _BonusMatcher(self.child.copy(), self.bonus)

    def _replacement(self, newchild: Matcher) -> _BonusMatcher:
        return _BonusMatcher(newchild, self.bonus)

    def skip_to_quality(self, minquality: float) -> int:
        return self.child.skip_to_quality(minquality - self.bonus)

    def max_quality(self) -> float:
        return self.child.max_quality() + self.bonus

    def block_quality(self) -> float:
        return self.child.block_quality() + self.bonus

    def score(self) -> float:
        return self.child.score() + self.bonus


class _Bonus(wq.WrappingQuery):
    """A query whose matches score ``COORDINATION`` more than the child's."""

    def matcher(self, searcher: object, context: object = None) -> Matcher:
        child = self.child.matcher(searcher, context)
        if isinstance(child, NullMatcherClass):
            return child
        return _BonusMatcher(child)


def coordinated(clauses: Sequence[wq.Query], exclude: Sequence[wq.Query]) -> wq.Query:
    """Articles matching any clause, ranked by how many they match, then by BM25, in one pass.

    ``matched_clauses(score)`` recovers the count, and the BM25 part, from a hit's score.
    """
    return _without(wq.Or([_Bonus(c) for c in clauses]), exclude)


def matched_clauses(score: float) -> tuple[int, float]:
    """(how many clauses matched, the BM25 score) for a hit of a ``coordinated`` query."""
    matched = int(score // COORDINATION)
    return matched, score - matched * COORDINATION

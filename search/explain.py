"""Why a hit ranks where it does: its score taken apart (``Searcher.search(explain=True)``,
``bahth search --explain``).

A hit's score is a sum (``engine.contract``): every leaf of the compiled query (a ``Term``
or a ``Phrase``) that the article matches adds its BM25 times its boost, inside the parts of
the query the article matches (a group's words count only when the whole group matches; an
exact-form bonus only where its word matches). So each leaf's score on the page's articles is
asked of the engine itself (``EngineReader.scores``), and the parts add up to the score the
hit was ranked by, whatever the engine. Partial matches rank first by how many of the
query's clauses (its words and groups) they match, then by that sum.

>>> part = Part(0, "stem", "text", "روس", 1.0, 4.25, ("وروسيا",))
>>> part.describe()
'stem روس in title and body ×1: 4.25 (وروسيا)'
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

from .article import Article
from .engine import contract as q
from .engine.compiling import CompiledQuery
from .engine.contract import EngineReader, Ref
from .query import And, Highlights, Node, Not, Or, Phrase, Word
from .snippets import mark

# How each field is named to a reader: ``text`` is the title twice, the body and the
# keywords (``engine.contract``).
FIELD_NAMES = {
    "text": "title and body",
    "title": "title",
    "body": "body",
    "title_exact": "title",
    "body_exact": "body",
    "keywords_exact": "keywords",
    "source": "source",
    "category": "category",
}

Leaf = q.Term | q.Phrase | q.Everything


@dataclass(frozen=True, slots=True)
class Part:
    """One leaf's share of a hit's score: ``clause`` indexes ``Explanation.clauses``; ``kind``
    is ``"stem"`` (an index term, any form of the word), ``"variant"`` (the stem of another
    spelling of it), ``"same root"`` (a stem of its root, for a rare word), ``"form"`` (a
    normalized form as written), ``"exact form"`` (the bonus for the form typed), ``"phrase"``
    or ``"every article"``; ``term`` the indexed term (a phrase's words joined by spaces);
    ``score`` its BM25 times ``boost``; ``forms`` the article's words, as written, that it
    matched."""

    clause: int
    kind: str
    field: str
    term: str
    boost: float
    score: float
    forms: tuple[str, ...] = ()

    def describe(self, score: bool = True) -> str:
        """The part in one line of text (without its score: ``score=False``)."""
        where = FIELD_NAMES.get(self.field, self.field)
        forms = f" ({'، '.join(self.forms)})" if self.forms else ""
        added = f": {self.score:.2f}" if score else ""
        return f"{self.kind} {self.term} in {where} ×{self.boost:g}{added}{forms}"

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of a part."""
        return {
            "clause": self.clause,
            "kind": self.kind,
            "field": self.field,
            "term": self.term,
            "boost": self.boost,
            "score": round(self.score, 4),
            "forms": list(self.forms),
        }


@dataclass(frozen=True, slots=True)
class Explanation:
    """A hit's score taken apart: ``clauses`` are the query's positive parts as typed (a
    word, a phrase, a group), ``matched`` the indexes of those the article matches, and
    ``parts`` every leaf that adds to the score; ``score`` is their sum."""

    score: float
    clauses: tuple[str, ...]
    matched: tuple[int, ...]
    parts: tuple[Part, ...]

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of ``bahth search --json --explain``'s ``explanation``."""
        return {
            "score": round(self.score, 4),
            "clauses": list(self.clauses),
            "matched": list(self.matched),
            "parts": [part.to_dict() for part in self.parts],
        }


def written(node: Node) -> str:
    """A query tree's node as the query language writes it.

    >>> written(And((Word("روسيا"), Or((Word("النفط", "title"), Phrase("أوبك بلس"))))))
    '(روسيا (title:النفط OR "أوبك بلس"))'
    """
    match node:
        case Word(text, field, prefix):
            return f"{field + ':' if field else ''}{text}{'*' if prefix else ''}"
        case Phrase(text, field):
            return f'{field + ":" if field else ""}"{text}"'
        case Not(child):
            return f"-{written(child)}"
        case And(children):
            return f"({' '.join(map(written, children))})"
        case Or(children):
            return f"({' OR '.join(map(written, children))})"
    raise TypeError(f"not a query node: {node!r}")


def explain(
    reader: EngineReader,
    compiled: CompiledQuery,
    refs: Sequence[Ref],
    articles: Sequence[Article],
) -> list[Explanation]:
    """The ``Explanation`` of each hit (``refs``, with their stored ``articles``) of a search
    that ``compiled`` ran on ``reader``."""
    scoring = _Scoring(reader, refs)
    spellings = {v.term for found in compiled.variants.values() for v in found}
    kinds = {
        **dict.fromkeys(compiled.relatives, "same root"),
        **dict.fromkeys(spellings, "variant"),
    }
    parts: dict[Ref, list[Part]] = {ref: [] for ref in refs}
    matched: dict[Ref, list[int]] = {ref: [] for ref in refs}
    for number, clause in enumerate(compiled.clauses):
        inside = scoring.matching(clause, set(refs))
        for ref in inside:
            matched[ref].append(number)
        for leaf, ref, score, bonus in scoring.walk(clause, inside):
            parts[ref].append(_part(number, leaf, score, bonus, kinds))
    # A query of filters alone matches every article: a clause with no words.
    clauses = tuple(written(node) for node in compiled.sources)
    clauses += ("*",) * (len(compiled.clauses) - len(clauses))
    return [
        Explanation(
            score=sum(p.score for p in parts[ref]),
            clauses=clauses,
            matched=tuple(matched[ref]),
            parts=tuple(_with_forms(parts[ref], article)),
        )
        for ref, article in zip(refs, articles, strict=True)
    ]


class _Scoring:
    """The leaves' scores and the groups' matches on one page's articles, each asked of the
    engine once."""

    def __init__(self, reader: EngineReader, refs: Sequence[Ref]) -> None:
        self.reader = reader
        self.refs = list(refs)
        self._scores: dict[Leaf, dict[Ref, float]] = {}

    def scores(self, leaf: Leaf) -> dict[Ref, float]:
        if leaf not in self._scores:
            found = self.reader.scores(leaf, self.refs)
            self._scores[leaf] = {
                ref: s for ref, s in zip(self.refs, found, strict=True) if s is not None
            }
        return self._scores[leaf]

    def matching(self, query: q.Query, among: set[Ref]) -> set[Ref]:
        if not among:
            return set()
        if isinstance(query, Leaf):
            return among & self.scores(query).keys()
        return self.reader.matching(query, sorted(among))  # type: ignore[type-var]

    def walk(
        self, query: q.Query, among: set[Ref], bonus: bool = False
    ) -> Iterator[tuple[Leaf, Ref, float, bool]]:
        """``(leaf, ref, score, bonus)`` of every leaf that adds to the score of ``among``,
        the articles ``query`` matches."""
        match query:
            case q.Term() | q.Phrase() | q.Everything():
                found = self.scores(query)
                for ref in sorted(among & found.keys()):  # type: ignore[type-var]
                    yield query, ref, found[ref], bonus
            case q.AllOf(children):
                for child in children:
                    yield from self.walk(child, among, bonus)
            case q.AnyOf(children) | q.Coordinated(children):
                for child in children:
                    yield from self.walk(child, self.matching(child, among), bonus)
            case q.Scored(inner, extra):
                yield from self.walk(inner, among, bonus)
                yield from self.walk(extra, self.matching(extra, among), True)
            case q.Without(inner, _):
                yield from self.walk(inner, among, bonus)


def _part(clause: int, leaf: Leaf, score: float, bonus: bool, kinds: dict[str, str]) -> Part:
    if isinstance(leaf, q.Everything):
        return Part(clause, "every article", "", "", 1.0, score)
    if isinstance(leaf, q.Phrase):
        return Part(clause, "phrase", leaf.field, " ".join(leaf.words), leaf.boost, score)
    stemmed = leaf.field in q.STEMMED_FIELDS
    kind = "exact form" if bonus else "form" if not stemmed else "stem"
    if stemmed and leaf.text in kinds:
        # Another spelling of the word typed, or for a rare word a stem of its root
        # (``search.spelling.variants``, ``search.spelling.families``).
        kind = kinds[leaf.text]
    return Part(clause, kind, leaf.field, leaf.text, leaf.boost, score)


def _with_forms(parts: list[Part], article: Article) -> Iterator[Part]:
    """``parts``, each with the words of ``article`` it matched, as written."""
    texts = [article.title or "", article.body or "", " ".join(article.keywords)]
    for part in parts:
        if part.kind in ("stem", "variant", "same root"):
            highlights = Highlights(terms={part.term})
        elif part.field in q.EXACT_FIELDS:
            highlights = Highlights(norms=set(part.term.split()))
        else:
            yield part
            continue
        forms = dict.fromkeys(t[a:b] for t in texts for a, b in mark(t, highlights))
        yield replace(part, forms=tuple(forms))

"""Query trees (``search.query``) → the engine-neutral queries of ``contract``, with the
weights every engine ranks with."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..arabic import analyze, analyze_word, normalize
from ..errors import QueryError
from ..query import And, Highlights, Node, Not, Phrase, Word
from ..spelling.families import RARE_ARTICLES, Family
from ..spelling.variants import Variant, Variants
from . import contract as q
from .contract import EngineReader, all_of

# The title weight (of title: searches and exact forms; the text field repeats titles twice)
# and the bonus for exact surface forms were tuned with `python -m benchmarks.relevance`.
TITLE_WEIGHT = 2.0
KEYWORDS_WEIGHT = 1.5
EXACT_WEIGHT = 0.5
# Another spelling of a name (``search.spelling.variants``) scores this share of the typed one.
VARIANT_WEIGHT = 0.5
# A word whose stem fewer than RARE_ARTICLES articles hold also matches the most frequent
# RELATIVES stems of its root (``search.spelling.families``), at this share of its weight.
ROOT_WEIGHT = 0.3
RELATIVES = 6

# A prefix query ORs at most this many expansions per field, the most frequent.
MAX_EXPANSIONS = 64
# A word searched anywhere ranks on ``text`` (title twice, body, keywords: see contract).
_STEMMED_FIELDS = {"title": ("title",), "body": ("body",), None: ("text",)}
_EXACT_FIELDS = {
    "title": ("title_exact",),
    "body": ("body_exact",),
    None: ("title_exact", "body_exact", "keywords_exact"),
}
_WEIGHTS = {
    "title": TITLE_WEIGHT,
    "title_exact": TITLE_WEIGHT,
    "keywords_exact": KEYWORDS_WEIGHT,
}


@dataclass
class CompiledQuery:
    """A query tree in engine-neutral terms, with what the searcher needs around it.

    ``clauses`` are the top-level positive parts (one per query word or group), made of
    ``sources`` (their nodes in the query tree), and ``exclude`` the negative ones, for the
    partial-match fill; ``unknown`` lists query words the index has never seen; ``stopwords``
    the query words that were dropped; ``variants`` the other spellings searched for each
    query word that has some (``search.spelling.variants``); ``relatives`` the stems of the
    same root searched for rare words (``search.spelling.families``).
    """

    query: q.Query
    clauses: list[q.Query]
    exclude: list[q.Query]
    highlights: Highlights
    unknown: list[str]
    stopwords: list[str]
    sources: list[Node]
    variants: dict[str, list[Variant]]
    relatives: set[str]


class _Compiler:
    def __init__(
        self,
        reader: EngineReader,
        exact_only: bool,
        variants: Variants | None,
        family: Family | None,
    ) -> None:
        self.reader = reader
        self.exact_only = exact_only
        self.spellings = variants
        self.family = family
        self.variants: dict[str, list[Variant]] = {}
        self.relatives: set[str] = set()
        self.highlights = Highlights()
        self.unknown: list[str] = []
        self.stopwords: list[str] = []

    def node(self, node: Node) -> q.Query | None:
        if isinstance(node, Word):
            return self.word(node)
        if isinstance(node, Phrase):
            return self.phrase(node)
        if isinstance(node, Not):  # the parser puts a Not only in a group that asks for more
            raise AssertionError("a Not outside a group")
        if isinstance(node, And):
            return self.group(node.children)
        children = tuple(c for c in map(self.node, node.children) if c is not None)
        if not children:
            return None
        return children[0] if len(children) == 1 else q.AnyOf(children)

    def group(self, nodes: Sequence[Node]) -> q.Query | None:
        """All of the positive nodes, none of the negated ones."""
        wanted = [self.node(n) for n in nodes if not isinstance(n, Not)]
        unwanted = [self.node(n.child) for n in nodes if isinstance(n, Not)]
        kept = [c for c in wanted if c is not None]
        return all_of(kept, [c for c in unwanted if c is not None]) if kept else None

    def _keyword(self, field_name: str, text: str) -> q.Query:
        return q.Term(field_name, q.keyword_key(text))

    def word(self, word: Word) -> q.Query | None:
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
        held = [self._doc_frequency(t.term, stemmed) for t in tokens]  # type: ignore[arg-type]
        if not any(held):
            self.unknown.append(word.text)
        if len(tokens) > 1:  # F-16, كوفيد-19: the pieces in order
            return self._exact(exact, [t.norm for t in tokens])
        [token], [field] = tokens, stemmed
        term: str = token.term  # type: ignore[assignment]
        weight = _WEIGHTS.get(field, 1.0)
        # Other spellings of a name, and for a rare word the frequent stems of its root,
        # match too, scoring less than the word as typed.
        alternatives: list[tuple[str, float]] = []
        if self.spellings is not None and (spelled := self.spellings.of(term)):
            self.variants[word.text] = spelled
            alternatives += [(v.term, VARIANT_WEIGHT) for v in spelled]
        if self.family is not None and ROOT_WEIGHT and held[0] < RARE_ARTICLES:
            relatives = [stem for stem, _ in self.family(term)[:RELATIVES]]
            self.relatives.update(relatives)
            alternatives += [(stem, ROOT_WEIGHT) for stem in relatives]
        found: q.Query = q.Term(field, term, weight)
        if alternatives:
            self.highlights.terms.update(other for other, _ in alternatives)
            others = (q.Term(field, other, weight * share) for other, share in alternatives)
            found = q.AnyOf((found, *others))
        if not EXACT_WEIGHT:
            return found
        # The exact forms only add to the score: an article holding one holds its stem.
        bonus = [q.Term(f, token.norm, _WEIGHTS.get(f, 1.0) * EXACT_WEIGHT) for f in exact]
        return q.Scored(found, q.AnyOf(tuple(bonus)))

    def prefix(self, word: Word) -> q.Query:
        """Words starting with a prefix as written, by their most frequent expansions: stems
        starting with it (اقتصا* finds الاقتصاد), normalized forms starting with it, and the
        stems of those forms, for their other forms (والاقتصا* finds اقتصاد).

        The prefix keeps its first letters: whether a و ب ف ل ك is a clitic is for the
        stemmer to decide on whole words, and on a fragment it cannot (وزار* is not زار*,
        "visited"). A short Arabic prefix has thousands of expansions; the rarest add little.
        """
        norm = normalize(word.text)
        self.highlights.norm_prefixes.add(norm)
        exact = {f: self._expand(f, norm) for f in _EXACT_FIELDS[word.field]}
        terms = [
            q.Term(f, form, _WEIGHTS.get(f, 1.0)) for f, forms in exact.items() for form in forms
        ]
        if not self.exact_only:
            self.highlights.term_prefixes.add(norm)
            of_forms = {
                stem
                for forms in exact.values()
                for form in forms
                if (stem := analyze_word(form)[1])
            }
            self.highlights.terms.update(of_forms)
            for f in _STEMMED_FIELDS[word.field]:
                stems = set(self._expand(f, norm)) | of_forms
                terms += [q.Term(f, text, _WEIGHTS.get(f, 1.0)) for text in sorted(stems)]
        if not terms:
            self.unknown.append(word.text)
            return q.Nothing()
        return q.AnyOf(tuple(terms))

    def _expand(self, field: str, prefix: str) -> list[str]:
        return self.reader.expand(field, prefix, MAX_EXPANSIONS)

    def phrase(self, phrase: Phrase) -> q.Query | None:
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
    def _exact(fields: tuple[str, ...], norms: list[str]) -> q.Query:
        if len(norms) == 1:
            return q.AnyOf(tuple(q.Term(f, norms[0], _WEIGHTS.get(f, 1.0)) for f in fields))
        words = tuple(norms)
        return q.AnyOf(tuple(q.Phrase(f, words, _WEIGHTS.get(f, 1.0)) for f in fields))

    def _doc_frequency(self, term: str, fields: tuple[str, ...]) -> int:
        return sum(self.reader.doc_frequency(f, term) for f in fields)


def compile_query(
    reader: EngineReader,
    tree: Node | None,
    *,
    exact_only: bool = False,
    filtered: bool = False,
    variants: Variants | None = None,
    family: Family | None = None,
) -> CompiledQuery:
    """Translate a query tree, with ``reader``'s term statistics (unknown words, prefix
    expansions); ``exact_only`` matches normalized forms without stemming. ``filtered``: the
    query's fields filter (``search.filters``), and a query with nothing else to match
    (``tree`` None, or only excluded words) matches every article that passes them.
    ``variants``: a word also matches its other spellings in the archive, at a lower weight;
    ``family``: a rare word, its root's frequent stems, at a lower weight still."""
    compiler = _Compiler(reader, exact_only, variants, family)
    top = () if tree is None else tree.children if isinstance(tree, And) else (tree,)
    clauses: list[q.Query] = []
    exclude: list[q.Query] = []
    sources: list[Node] = []
    for child in top:
        target = exclude if isinstance(child, Not) else clauses
        compiled = compiler.node(child.child if isinstance(child, Not) else child)
        if compiled is not None:
            target.append(compiled)
            if target is clauses:
                sources.append(child)
    if not clauses and filtered and not compiler.stopwords:
        clauses.append(q.Everything())
    if not clauses:
        words = ", ".join(compiler.stopwords) or "nothing"
        raise QueryError(
            f"the query has only stopwords ({words}), which are not indexed",
            "Add a content word, e.g. a name or a noun",
            said=("only_stopwords", {"words": ", ".join(compiler.stopwords) or ("none", {})}),
        )
    return CompiledQuery(
        query=all_of(clauses, exclude),
        clauses=clauses,
        exclude=exclude,
        highlights=compiler.highlights,
        unknown=compiler.unknown,
        stopwords=compiler.stopwords,
        sources=sources,
        variants=compiler.variants,
        relatives=compiler.relatives,
    )

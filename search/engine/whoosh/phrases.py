"""A whoosh phrase query scored as ``contract.Phrase`` says, as tantivy scores a phrase."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from whoosh import query as wq
from whoosh.matching import Matcher
from whoosh.matching.wrappers import WrappingMatcher
from whoosh.scoring import bm25


class ScoredPhrase(wq.Phrase):
    """A phrase scoring BM25 with the phrase's occurrences in the article as its frequency and
    the sum of its words' IDFs, with the searcher's BM25F (its B for the field, its K1, its
    IDFs). whoosh's own phrase scores the sum of its words' BM25, each on the word's own
    frequency: it ranked articles by how often they used the words anywhere, and tantivy's
    top 10 for "ولي العهد" shared 3 articles of 10 with it."""

    def matcher(self, searcher: Any, context: object = None) -> Matcher:
        field = self.fieldname
        spans = wq.Phrase(field, self.words).matcher(searcher, context)
        if not spans.is_active():
            return spans
        parent = searcher.get_parent()
        idf = sum(parent.idf(field, word) for word in self.words)
        # The field's B, K1 and average length, as the scorers of its words have them.
        scorer = searcher.weighting.scorer(searcher, field, self.words[0])

        def score(docnum: int, occurrences: int) -> float:
            length = searcher.doc_field_length(docnum, field, 1)
            return bm25(idf, occurrences, length, scorer.avgfl, scorer.B, scorer.K1)

        return _PhraseMatcher(spans, score, self.boost)


class _PhraseMatcher(WrappingMatcher):
    """A span matcher of a phrase's words, scoring ``bm25(article, occurrences)`` times its
    boost. Its child's quality bounds hold for it: the child scores the sum of the words' BM25,
    each on the word's own frequency, which is never below the phrase's."""

    def __init__(
        self, child: Matcher, bm25: Callable[[int, int], float], boost: float = 1.0
    ) -> None:
        super().__init__(child, boost)
        self.bm25 = bm25

    def copy(self) -> _PhraseMatcher:
        return _PhraseMatcher(self.child.copy(), self.bm25, self.boost)

    def _replacement(self, newchild: Matcher) -> _PhraseMatcher:
        return _PhraseMatcher(newchild, self.bm25, self.boost)

    def skip_to_quality(self, minquality: float) -> int:
        skipped = self.child.skip_to_quality(minquality / self.boost)
        if self.child.is_active():
            # whoosh's span matcher skips by its words' posting blocks and stops on the next
            # article holding all the words, without looking for the phrase there: this
            # moves it on to one that holds the phrase, with that article's spans.
            self.child.skip_to(self.child.id())
        return skipped

    def score(self) -> float:
        return self.boost * self.bm25(self.child.id(), len(self.child.spans()))

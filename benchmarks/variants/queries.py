"""Known-item searches across the spellings of a name, from the judged list.

For each judged ``variant`` pair written as one word on both sides, and each of its two
spellings (the one *typed*), up to ``per_pair`` articles that write the *other* spelling and
never the typed one; the query is the typed spelling and the two rarest other content words of
the article's title (what a reader who remembers the article adds to the name). The *control*
searches are the same queries for articles that write the spelling typed.

Where the articles and the counts come from is the caller's: ``python -m benchmarks.variants``
asks a Bahth index, ``benchmarks.relevance`` (its ``names`` set) reads the documents of its
collection, so that this one generator serves both.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from benchmarks.variants import Judged

WORD = re.compile(r"[\u0621-\u064a]{4,}")  # the title words a query may add to the name
MIN_DF = 2  # an added title word is held by this many articles: a word of one article is noise
EXTRA_WORDS = 2

#: Articles (id, title) holding the normalized word ``form`` and not the word ``absent`` (None:
#: no condition), at most a few dozen, in a stable order.
Holding = Callable[[str, str | None], Sequence[tuple[str, str]]]
#: How many articles hold the normalized word.
DocFrequency = Callable[[str], int]


@dataclass(frozen=True)
class NameQuery:
    """One known-item search: ``query`` should find the article ``target``."""

    query: str
    target: str
    typed: str  # the spelling of the name in the query
    other: str  # the article's spelling (the same as ``typed`` for a control search)

    @property
    def across(self) -> bool:
        """Whether the query spells the name as the article does not."""
        return self.typed != self.other


def one_word_variants(judged: Iterable[Judged]) -> Iterator[Judged]:
    """The judged variants written as one word on both sides (a split form is two words)."""
    for pair in judged:
        if pair.label == "variant" and " " not in pair.a and " " not in pair.b:
            yield pair


def rarest_title_words(
    title: str, skip: set[str], df: DocFrequency, normalize: Callable[[str], str]
) -> list[str]:
    """The two rarest distinct words of ``title`` (four letters or more, held by ``MIN_DF``
    articles or more), ``skip`` aside, rarest first."""
    words = [w for w in dict.fromkeys(WORD.findall(normalize(title))) if w not in skip]
    usable = [w for w in words if df(w) >= MIN_DF]
    return sorted(usable, key=df)[:EXTRA_WORDS]


def name_queries(
    judged: Iterable[Judged],
    holding: Holding,
    df: DocFrequency,
    normalize: Callable[[str], str],
    *,
    per_pair: int,
    seed: int,
    control: bool = True,
) -> list[NameQuery]:
    """The across-spelling searches (and, with ``control``, the control searches), in a
    deterministic order for ``seed``."""
    rng = random.Random(seed)
    found: list[NameQuery] = []
    for pair in one_word_variants(judged):
        for typed, other in ((pair.a, pair.b), (pair.b, pair.a)):
            kinds = ((other, typed), (typed, None)) if control else ((other, typed),)
            for written, absent in kinds:
                hits = list(holding(written, absent))
                rng.shuffle(hits)
                for doc_id, title in hits[:per_pair]:
                    extra = rarest_title_words(title, {typed, other}, df, normalize)
                    if len(extra) < EXTRA_WORDS:
                        continue
                    found.append(NameQuery(" ".join([typed, *extra]), doc_id, typed, written))
    return found

"""Two known-item sets on the news set's collection, for what issue 27 added to Bahth.

Both search the news set's documents (the same indexes: ``EvalSet.collection``), so they cost
queries, not index builds.

* ``names``: a name written in its other spelling. The searches of ``benchmarks.variants.queries``
  (judged variant pairs of ``benchmarks/variants/judged.tsv``; the typed spelling and the two
  rarest other words of the title of an article that writes the other spelling and never the
  typed one), with articles and counts read from this collection's documents. Words are
  compared as ``search.arabic.normalize`` leaves them, because the judged list is written that
  way: letters folded, no harakat; nothing of Bahth's stemming or variants is involved.
* ``hard``: the news set's generator (``knownitem.make_query``) with the changes of
  ``hardforms`` instead of its own: every query word in an attested form light10 does not
  bring back to the article's (a pronoun suffix, a bare ب/ل, another hamza seat). Targets are
  the collection's first ``sample`` eligible articles in its (seeded) order.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Collection
from typing import Any

from benchmarks.relevance.hardforms import HARD_KINDS
from benchmarks.relevance.knownitem import KnownItemQuery, Vocabulary, make_query, query_rng
from benchmarks.relevance.sets import EvalSet, known_items
from benchmarks.variants import load_judged
from benchmarks.variants.queries import name_queries, one_word_variants

PER_PAIR = 2  # articles per judged spelling, as python -m benchmarks.variants does by default
HOLDING_LIMIT = 50  # articles listed per spelling before the draw, as benchmarks.variants does
_TOKEN = re.compile(r"[\u0621-\u064a]+")


def load_names(news: EvalSet, *, seed: int, per_pair: int = PER_PAIR) -> EvalSet:
    """Searches for a name in the spelling its article does not use, on ``news``'s documents."""
    from search.arabic import normalize

    judged = load_judged()
    spellings = {w for pair in one_word_variants(judged) for w in (pair.a, pair.b)}
    df: Counter[str] = Counter()
    holders: dict[str, set[int]] = defaultdict(set)  # a judged spelling → documents writing it
    for position, doc in enumerate(news.docs):
        words = set(_TOKEN.findall(normalize(f"{doc['title']}\n{doc['body']}")))
        df.update(words)
        for word in words & spellings:
            holders[word].add(position)

    def holding(form: str, absent: str | None) -> list[tuple[str, str]]:
        positions = holders.get(form, set()) - holders.get(absent or "", set())
        docs = [news.docs[p] for p in sorted(positions)[:HOLDING_LIMIT]]
        return [(d["id"], d["title"]) for d in docs]

    searches = name_queries(
        judged, holding, df.__getitem__, normalize, per_pair=per_pair, seed=seed, control=False
    )
    queries = {f"nm-{i:04d}": q for i, q in enumerate(searches)}
    return EvalSet(
        name="names",
        docs=news.docs,
        queries={qid: q.query for qid, q in queries.items()},
        qrels={qid: {q.target: 1} for qid, q in queries.items()},
        info={
            "documents": len(news.docs),
            "queries": len(queries),
            "collection": "news",
            "pairs": len({frozenset((q.typed, q.other)) for q in searches}),
            "judged_pairs": sum(1 for _ in one_word_variants(judged)),
            "per_pair": per_pair,
            "seed": seed,
        },
        collection="news",
    )


def load_hard(
    news: EvalSet, vocab: Vocabulary, stopwords: Collection[str], *, sample: int, seed: int
) -> EvalSet:
    """Known-item searches whose every word is a form light10 misses, on ``news``'s documents."""
    targets: list[KnownItemQuery] = []
    ineligible = 0
    for doc in news.docs:
        if len(targets) == sample:
            break
        rng = query_rng(seed, f"hard/{doc['id']}")  # not the news set's draw for the article
        query = make_query(
            doc["id"], doc["title"], doc["body"], vocab, rng, stopwords, makers=HARD_KINDS
        )
        if query is None:
            ineligible += 1
        else:
            targets.append(query)
    info = {"collection": "news", "ineligible_targets_skipped": ineligible, "seed": seed}
    return known_items("hard", "hd", news.docs, targets, info, collection="news")


def describe(name: str, info: dict[str, Any]) -> list[str]:
    """The paragraph of docs/relevance.md's "The sets" for ``names`` or ``hard``."""
    if name == "names":
        return [
            "**names**: known-item searches for a name written in its other spelling, on the "
            f"news collection ({info['documents']:,} articles, its indexes). For each of the "
            f"{info['judged_pairs']} judged variant pairs written as one word "
            "(`benchmarks/variants/judged.tsv`: ترامب/ترمب, أمريكا/أميركا, غوغل/جوجل) and each "
            f"of its spellings, up to {info['per_pair']} articles (seeded draw, seed "
            f"{info['seed']}) that write the other spelling and never this one; the query is "
            "this spelling and the two rarest other words of the article's title (held by 2 "
            "articles or more), and the article is its only relevant document "
            f"({info['queries']} queries from {info['pairs']} pairs; the generator is "
            "`benchmarks/variants/queries.py`, shared with `python -m benchmarks.variants`). "
            "Words are compared as `search.arabic.normalize` writes them, as the judged list is. "
            "Bahth finds the other spelling only through its mined variants "
            "(`search.spelling.variants`), which need both spellings in 20 articles or more of "
            "the collection.",
            "",
        ]
    if name == "hard":
        kinds = ", ".join(f"{k} {v}" for k, v in info["variant_kinds"].items())
        return [
            "**hard**: known-item searches on the news collection whose every word is written "
            "in a form Lucene's light stemmer (light10) does not bring back to the article's: "
            "the news set's generator with other changes (`benchmarks/relevance/hardforms.py`), "
            "each form attested 3 times or more in the pool and absent from the article. "
            "*suffix*: a pronoun suffix light10 keeps (هم هما هن كم كما نا; ة written ت before "
            "it) on a word without ال, a possessive on a noun or broken plural (أسلحة → "
            "أسلحتهم) or an object on a verb (يدعم → يدعمهم); *bare*: a bare ب or ل on a word "
            "without ال (حكومة → بحكومة); *seat*: the hamza on another seat or on none "
            "(مسؤول → مسئول); with probability 0.3 a few harakat on top. Targets: the first "
            f"{info['queries']} articles of the collection's seeded order with two such words "
            f"or more ({info['ineligible_targets_skipped']} passed over). The "
            f"{info['query_words']} query words carry these changes: {kinds}. No Bahth code "
            "chooses the forms, so the set measures what Bahth's stemmer and its root fallback "
            "do with them rather than being built from their failures.",
            "",
        ]
    return []

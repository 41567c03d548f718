"""How well are spelling variants of names mined, and what do they do for a search?

    python -m benchmarks.variants --index DIR [--per-pair 2] [--seed 27]

Reads the judged list (``benchmarks/variants/judged.tsv``: pairs of normalized words read in
context and labelled ``variant`` or ``different``) and an index that has its variants mined
(``search.spelling.variants``; any index written by an indexing run since they exist).

1. **Mining**: each judged pair is taken to its index terms (``analyze_word``): a pair the
   stemmer already joins (one term) needs no variant; otherwise it is *mined* when the index's
   variants pair its two terms. Precision: the mined pairs that are judged variants; recall:
   the judged variants (of two terms, both held by ``MIN_ARTICLES`` articles, the miner's
   floor) that are mined.
2. **Known-item searches across spellings** (``benchmarks.variants.queries``, which also makes
   the ``names`` set of ``python -m benchmarks.relevance``): for each judged variant pair and
   each of its two spellings, up to ``--per-pair`` articles that write the other spelling and
   never this one; the query is this spelling and the two rarest other content words of the
   article's title.
   MRR@10 of the article with variants (the default) and without (``variants=False``), and the
   same for a control set: the same queries for articles that write the spelling typed.

Figures only: no thresholds.
"""

from __future__ import annotations

import argparse
import statistics
from collections import Counter
from pathlib import Path

from benchmarks.core.machine import describe, one_line
from benchmarks.variants import Judged, load_judged
from benchmarks.variants.queries import name_queries
from search import QueryError, Searcher, layout
from search.arabic import analyze_word, normalize
from search.generation import Generation
from search.spelling.variants import FIELD, MIN_ARTICLES, Variants

TOP = 10


def terms_of(judged: Judged) -> tuple[str | None, str | None]:
    """The index terms of a judged pair's two words (a split form: its first word's)."""
    return analyze_word(judged.a.split()[0])[1], analyze_word(judged.b.split()[0])[1]


def mining(judged: list[Judged], mined: Variants, counts: dict[str, int]) -> None:
    fates: Counter[str] = Counter()
    missed: list[str] = []
    wrong: list[str] = []
    for pair in judged:
        if " " in pair.a or " " in pair.b:
            fates[f"{pair.label}: written apart (not one term)"] += 1
            continue
        a, b = terms_of(pair)
        if a is None or b is None or a == b:
            fates[f"{pair.label}: one term (the stemmer joins them)"] += 1
            continue
        found = any(v.term == b for v in mined.of(a))
        if pair.label == "different":
            fates["different: mined (wrong)" if found else "different: not mined"] += 1
            if found:
                wrong.append(f"{pair.a}/{pair.b}")
        elif min(counts.get(a, 0), counts.get(b, 0)) < MIN_ARTICLES:
            fates[f"variant: a term in fewer than {MIN_ARTICLES} articles"] += 1
        else:
            fates["variant: mined" if found else "variant: not mined"] += 1
            if not found:
                missed.append(f"{pair.a}/{pair.b}")
    tp, fp = fates["variant: mined"], fates["different: mined (wrong)"]
    fn = fates["variant: not mined"]
    print("## Mining\n")
    print("| judged pair | pairs |\n|---|---:|")
    for fate, count in sorted(fates.items()):
        print(f"| {fate} | {count} |")
    print(
        f"\nPrecision {tp / max(1, tp + fp):.3f} ({tp} of {tp + fp} mined judged pairs are "
        f"variants); recall {tp / max(1, tp + fn):.3f} ({tp} of the {tp + fn} judged variants "
        f"of two terms held by {MIN_ARTICLES} articles or more).\n"
    )
    print(f"Missed: {', '.join(missed)}\n")
    print(f"Wrongly mined: {', '.join(wrong) or 'none'}\n")


def reciprocal(searcher: Searcher, query: str, target: str, variants: bool) -> float:
    """1 / the rank of ``target`` in the top ``TOP`` of ``query`` (0: not there)."""
    hits = searcher.search(query, limit=TOP, variants=variants, autocorrect=False).hits
    ids = [hit.id for hit in hits]
    return 1 / (ids.index(target) + 1) if target in ids else 0.0


def known_items(searcher: Searcher, judged: list[Judged], per_pair: int, seed: int) -> None:
    """The searches of ``benchmarks.variants.queries`` on the index, with and without variants."""
    df: dict[str, int] = {}

    def frequency(word: str) -> int:
        if word not in df:
            try:
                found = searcher.search(word, limit=1, stemming=False, autocorrect=False)
                df[word] = found.total
            except QueryError:
                df[word] = 0
        return df[word]

    def holding(form: str, absent: str | None) -> list[tuple[str, str]]:
        query = f'"{form}"' if absent is None else f'"{form}" -"{absent}"'
        try:
            found = searcher.search(query, limit=50, autocorrect=False, variants=False)
        except QueryError:
            return []
        return [(hit.id, hit.title) for hit in found.hits]

    queries = name_queries(judged, holding, frequency, normalize, per_pair=per_pair, seed=seed)
    scored = [
        (q.across, reciprocal(searcher, q.query, q.target, True),
         reciprocal(searcher, q.query, q.target, False))
        for q in queries
    ]  # fmt: skip
    print("## Known-item searches across spellings (MRR@10)\n")
    print("| queries | with variants | without | |")
    print("|---|---:|---:|---|")
    for name, across in (("the other spelling", True), ("the spelling typed (control)", False)):
        rows = [(on, off) for kind, on, off in scored if kind is across]
        if rows:
            on = statistics.fmean(r[0] for r in rows)
            off = statistics.fmean(r[1] for r in rows)
            print(f"| {name} | {on:.3f} | {off:.3f} | {len(rows)} queries |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--per-pair", type=int, default=2)
    parser.add_argument("--seed", type=int, default=27)
    args = parser.parse_args()
    judged = load_judged()
    generation = layout.current(args.index)
    assert generation is not None, f"no index at {args.index}"
    mined = Variants.read(generation)
    if mined is None:
        raise SystemExit(f"{args.index} has no variants yet: run bahth index on it once")
    print(f"# Spelling variants: {args.index.name}\n\n{one_line(describe())}\n")
    pairs = len(mined) // 2
    print(f"{len(judged)} judged pairs; {pairs} pairs mined from {mined.articles:,} articles\n")
    side = Generation(generation)
    reader = side.engine.open_reader(side.location)  # the term counts the miner reads
    try:
        counts = {t: reader.doc_frequency(FIELD, t) for p in judged for t in terms_of(p) if t}
    finally:
        reader.close()
    mining(judged, mined, counts)
    with Searcher(args.index) as searcher:
        known_items(searcher, judged, args.per_pair, args.seed)


if __name__ == "__main__":
    main()

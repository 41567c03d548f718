"""Analysis collisions and splits on the news corpora, as a reader would notice them.

    python -m benchmarks.collisions [--data ../shared/data] [--corpus all] [--limit N]
                                    [--json FILE] [--show 15]

Counts the surface words of the news corpora (ANT v1.1 and v2.1, SaudiNewsNet; read by
``benchmarks.core.corpora``), analyses each distinct word with the current ``search.arabic``
and reports four classes:

1. **suffix**: a word whose last letters the suffix rules cut (ا ان ين ون تين تان يين يون)
   although the corpus hardly has the forms such an ending alternates with (a dual سفيران has
   سفيرين, a plural معلمون has معلمين and معلم, an accusative رسميا has رسمي; سلمان has no
   سلمين), so the word is a name or loanword. A *collision* when its term is shared with other words
   (كورونا → كور with كوريا, سلمان → سلم with سلمي "peaceful"), a *split* when the word's own
   derivatives keep the letters it lost (برلمان → برلم, البرلمانية → برلمان).
2. **clitic**: a word whose first letter is cut as a preposition (ب ك) although the corpus
   shows a preposition before the word itself (بكوبا: كوبا is no ك + وبا, two prepositions do
   not stack); a collision when the term is shared.
3. **spelling**: two terms one edit apart (a long vowel letter ا و ي inserted or swapped, or
   another letter for a g: غ ج ق ك), used by different outlets (their counts per outlet diverge:
   house style) in the same contexts (the words around them agree): one name spelled two ways
   that do not meet (امريك/اميرك, بوتين/بوتن).
4. **examples**: fixed pairs a reader checks at once, and whether they meet.

Only the public analysis (``analyze_word``, ``strip_prefixes``) is used, so the same file runs
on a checkout of an older revision: run it before and after a change and compare. The
thresholds are the ones ``tools.build_lexicon`` derives the stemmer's data with, on ANT
only; SaudiNewsNet is never seen by that build, so its words test the rule out of sample.
"""

from __future__ import annotations

import argparse
import collections
import itertools
import json
import math
import sys
import time
from array import array
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.core import cli
from benchmarks.core.corpora import interleaved
from search.arabic import ANALYSIS_VERSION, analyze_word, strip_prefixes
from search.arabic.tokenize import KIND_WORD, TOKEN_PATTERN

# The forms an ending alternates with, as endings of the same base (``tools.build_lexicon``
# uses the same table): a real dual سفيران comes with سفيرين, a real plural معلمون with معلمين
# and معلم, an accusative رسميا with رسمي, a country's alef (روسيا) with its nisba (روسي، روسيه).
PARTNERS: dict[str, tuple[str, ...]] = {
    "يين": ("ي", "يه", "يون"),  # a nisba plural: الفلسطينيين has فلسطيني; تلفزيون has no تلفزي
    "يون": ("ي", "يه", "يين"),
    "تين": ("ه", "تان"),
    "تان": ("ه", "تين"),
    "ان": ("ين",),  # not the bare base: سلمان is no dual of سلم (peace), which is common
    "ين": ("", "ه", "ي", "ون", "ان"),
    "ون": ("", "ه", "ي", "ين"),
    "ا": ("", "ه", "ي", "يه"),
}
PRONOUNS = ("هما", "كما", "هم", "هن", "كم", "نا", "ها")  # whose ا would look like an ending
WHOLE_RATIO = 0.15  # partners seen less often than this, relative to the word: a whole word
DERIVATIVES = ("ي", "يه", "يين", "يون", "ات")  # what a whole word's own family adds to it
CLITIC_LETTERS = "بك"  # prepositions: a preposition never follows one
PREPOSITIONS_BEFORE = ("ب", "ك", "ل", "وب", "ول", "فب", "فل")
CLITIC_RATIO = 0.05

LONG_VOWELS = "اوي"
G_LETTERS = "غجقك"  # how Arabic outlets write a g: غوغل، جوجل، قوقل; كونغرس، كونجرس
SPELL_MIN_LENGTH = 4  # the shorter term: three-letter terms are Arabic roots (سلم/سليم)
SPELL_MIN_DIVERGENCE = 0.3  # Jensen-Shannon divergence of the counts per outlet
SPELL_MIN_SIMILARITY = 0.6  # cosine of the terms around them (two on each side)

# (word, word, whether a reader expects them to meet)
EXAMPLES: tuple[tuple[str, str, bool], ...] = (
    # names and loanwords cut like inflections
    ("كورونا", "كوريا", False),
    ("كورونا", "الكوري", False),
    ("روما", "الروم", False),
    ("سلمان", "السلمية", False),
    ("عمران", "عمر", False),
    ("عدنان", "عدن", False),
    ("شعبان", "الشعب", False),
    ("التأمين", "تام", False),
    ("الزيتون", "الزيت", False),
    ("تمرين", "تمر", False),
    ("بنزين", "بنز", False),
    ("ماكرون", "ماكر", False),
    ("أوباما", "أوبام", False),
    ("تويتر", "توتر", False),
    ("كوبا", "وباء", False),
    ("كوبا", "وبا", False),
    # a name's own family
    ("البرلمان", "البرلمانية", True),
    ("الإنسان", "الإنسانية", True),
    ("التلفزيون", "التلفزيونية", True),
    ("القانون", "القانونية", True),
    ("إعلان", "الإعلانات", True),
    ("كوريا", "الكورية", True),
    ("كوبا", "الكوبية", True),
    ("روسيا", "الروسية", True),
    ("أميركا", "الأميركية", True),
    ("بريطانيا", "بريطانية", True),  # country and adjective meet, like روسيا/الروسية
    # one name, two spellings
    ("أمريكا", "أميركا", True),
    ("الأمريكية", "الأميركية", True),
    ("سوريا", "سورية", True),
    ("يوتيوب", "يوتوب", True),
    ("بوتين", "بوتن", True),
    ("ترامب", "ترمب", True),
    ("نتنياهو", "نتانياهو", True),
    ("إنستغرام", "إنستجرام", True),
    ("إنجلترا", "إنكلترا", True),
    ("ميليشيا", "مليشيا", True),
    ("فيسبوك", "فايسبوك", True),
    # look-alikes that stay apart
    ("سليم", "سلم", False),
    ("عديد", "عدد", False),
    ("غرب", "جرب", False),
)


@dataclass
class Counts:
    """One pass over the corpora: surface words, their counts per outlet, and token streams."""

    surfaces: list[str] = field(default_factory=list)
    per_outlet: list[collections.Counter[str]] = field(default_factory=list)
    articles: list[array] = field(default_factory=list)
    tokens: int = 0


def read_counts(data: Path, corpus: str, limit: int | None) -> Counts:
    counts = Counts()
    ids: dict[str, int] = {}
    urls: set[str] = set()
    for name, record in itertools.islice(interleaved(data, corpus), limit):
        url = record.get("url") or ""
        if url and url in urls:
            continue  # ANT v2.1 files one article under two categories
        urls.add(url)
        outlet = f"{name}:{record.get('source') or ''}"
        stream = array("I")
        for match in TOKEN_PATTERN.finditer(
            f"{record.get('title') or ''}\n{record.get('body') or ''}"
        ):
            if match.lastgroup:
                continue  # urls and e-mail addresses
            surface = match.group()
            i = ids.get(surface)
            if i is None:
                i = ids[surface] = len(counts.surfaces)
                counts.surfaces.append(surface)
                counts.per_outlet.append(collections.Counter())
            counts.per_outlet[i][outlet] += 1
            stream.append(i)
        counts.articles.append(stream)
        counts.tokens += len(stream)
    return counts


@dataclass
class Analysed:
    """The corpus seen through the analysis: bare forms (clitics removed) and terms, counted."""

    term: list[str | None]  # per surface id
    bare_count: collections.Counter[str]  # bare form -> tokens (words with a term)
    bare_all: collections.Counter[str]  # the same with stopwords: the evidence for endings
    bare_term: dict[str, str]
    term_bares: dict[str, collections.Counter[str]]
    clitic: collections.Counter[str]  # normalized word whose first letter was cut -> tokens
    norm_count: collections.Counter[str]


def analyse(counts: Counts) -> Analysed:
    term: list[str | None] = []
    bare_count: collections.Counter[str] = collections.Counter()
    bare_all: collections.Counter[str] = collections.Counter()
    norm_count: collections.Counter[str] = collections.Counter()
    bare_term: dict[str, str] = {}
    clitic: collections.Counter[str] = collections.Counter()
    for surface, outlets in zip(counts.surfaces, counts.per_outlet, strict=True):
        norm, t = analyze_word(surface, KIND_WORD)
        term.append(t)
        n = sum(outlets.values())
        if not norm or not ("\u0621" <= norm[0] <= "\u064a"):
            continue
        norm_count[norm] += n
        bare = strip_prefixes(norm)
        bare_all[bare] += n
        if t is None or t.isdigit():
            continue
        bare_count[bare] += n
        bare_term[bare] = t
        if bare == norm[1:] and norm[0] in CLITIC_LETTERS:
            clitic[norm] += n
    term_bares: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for bare, n in bare_count.items():
        term_bares[bare_term[bare]][bare] += n
    return Analysed(term, bare_count, bare_all, bare_term, term_bares, clitic, norm_count)


def outer_ending(word: str) -> str | None:
    """The ending of ``word`` that a suffix rule would take off first, among ``PARTNERS``."""
    for ending in PARTNERS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return ending
    return None


def has_pronoun(word: str, bare: collections.Counter[str]) -> bool:
    """True when ``word`` ends in a possessive pronoun after a common word (بلادنا، بعضها)."""
    for pronoun in PRONOUNS:
        base = word[: -len(pronoun)]
        if word.endswith(pronoun) and len(base) >= 3:
            seen = bare[base] + (bare[base[:-1] + "ه"] if base.endswith("ت") else 0)
            return seen >= WHOLE_RATIO * bare[word]  # مقدمتها: مقدمه
    return False


def is_whole(word: str, bare: collections.Counter[str]) -> bool:
    """True when the corpus hardly has the forms the ending of ``word`` alternates with."""
    if has_pronoun(word, bare):
        return False
    ending = outer_ending(word)
    if ending is None:
        return False
    base = word[: -len(ending)]
    partners = sum(bare[base + p] for p in PARTNERS[ending])
    return partners < WHOLE_RATIO * bare[word]


def suffix_class(a: Analysed, min_count: int) -> dict[str, Any]:
    """Whole words cut by a suffix rule: merged with other words, or split from their family."""
    cut, collisions, splits = [], [], []
    for word, n in a.bare_count.items():
        t = a.bare_term[word]
        # A cut leaves a prefix of the word (a spelling fold does not: انكلترا → انجلترا).
        if n < min_count or t == word or not word.startswith(t):
            continue
        if not is_whole(word, a.bare_all):
            continue
        cut.append((word, n, t))
        others = {b: c for b, c in a.term_bares[t].items() if b != word and c >= min_count // 5}
        if sum(others.values()) >= min_count:
            collisions.append((word, n, t, sorted(others.items(), key=lambda x: -x[1])[:4]))
        family = {
            word + d: a.bare_count[word + d]
            for d in DERIVATIVES
            if a.bare_count[word + d] >= max(1, min_count // 5) and a.bare_term[word + d] != t
        }
        if family:
            splits.append((word, n, t, sorted(family.items(), key=lambda x: -x[1])))
    return {
        "whole words cut": _summary(cut),
        "collisions": _summary(collisions),
        "splits": _summary(splits),
    }


def clitic_class(a: Analysed, min_count: int) -> dict[str, Any]:
    """Words whose first letter was cut as a clitic although a preposition precedes them."""
    cut, collisions = [], []
    for word, n in a.clitic.items():
        if n < min_count:
            continue
        before = sum(a.norm_count[p + word] for p in PREPOSITIONS_BEFORE)
        if before < max(3, CLITIC_RATIO * n):
            continue
        t = a.bare_term[word[1:]]
        cut.append((word, n, t))
        # Other words on the same term: the rest as a word of its own, or other words.
        others = sum(a.term_bares[t].values()) - n
        if others >= max(1, min_count // 5):
            top = sorted(a.term_bares[t].items(), key=lambda x: -x[1])[:4]
            collisions.append((word, n, t, others, top))
    return {"words cut": _summary(cut), "collisions": _summary(collisions)}


def variants(term: str) -> set[str]:
    """Spellings one edit away: a long vowel letter inserted or swapped, or another g letter."""
    out = set()
    for i in range(1, len(term) + 1):
        out.update(term[:i] + v + term[i:] for v in LONG_VOWELS)
    for i in range(len(term) - 1):
        if term[i] in LONG_VOWELS or term[i + 1] in LONG_VOWELS:
            out.add(term[:i] + term[i + 1] + term[i] + term[i + 2 :])
    for i, ch in enumerate(term):
        if ch in G_LETTERS:
            out.update(term[:i] + g + term[i + 1 :] for g in G_LETTERS)
    out.discard(term)
    return out


def candidate_pairs(term_counts: collections.Counter[str], min_count: int) -> list[tuple[str, str]]:
    """Pairs of frequent terms one spelling edit apart, the shorter of four letters or more."""
    frequent = {
        t for t, c in term_counts.items() if c >= min_count and "\u0621" <= t[0] <= "\u064a"
    }
    pairs = set()
    for term in frequent:
        for other in variants(term) & frequent:
            if min(len(term), len(other)) >= SPELL_MIN_LENGTH:
                pairs.add((min(term, other), max(term, other)))
    return sorted(pairs)


def divergence(a: collections.Counter[str], b: collections.Counter[str]) -> float:
    """Jensen-Shannon divergence (bits, 0..1) of two count distributions."""
    ta, tb = sum(a.values()), sum(b.values())
    total = 0.0
    for key in a.keys() | b.keys():
        p, q = a[key] / ta, b[key] / tb
        m = (p + q) / 2
        total += (p * math.log2(p / m) if p else 0) / 2 + (q * math.log2(q / m) if q else 0) / 2
    return total


def similarity(a: collections.Counter[str], b: collections.Counter[str]) -> float:
    """Cosine of two count vectors."""
    dot = sum(a[k] * b[k] for k in a.keys() & b.keys())
    norm = math.sqrt(sum(v * v for v in a.values()) * sum(v * v for v in b.values()))
    return dot / norm if norm else 0.0


def house_style_pairs(
    pairs: list[tuple[str, str]],
    streams: Iterable[list[str]],
    outlets_of: dict[str, collections.Counter[str]],
) -> list[tuple[str, str, float, float]]:
    """The candidate pairs whose outlets diverge and whose contexts agree.

    ``streams`` gives each article's terms in order (stopwords left out); ``outlets_of`` each
    term's count per outlet.
    """
    wanted = {t for pair in pairs for t in pair}
    contexts: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for seq in streams:
        for pos, term in enumerate(seq):
            if term in wanted:
                context = contexts[term]
                context.update(seq[max(0, pos - 2) : pos])
                context.update(seq[pos + 1 : pos + 3])
    found = []
    for a, b in pairs:
        div = divergence(outlets_of[a], outlets_of[b])
        sim = similarity(contexts[a], contexts[b])
        if div >= SPELL_MIN_DIVERGENCE and sim >= SPELL_MIN_SIMILARITY:
            found.append((a, b, div, sim))
    return found


def spelling_class(counts: Counts, a: Analysed, min_count: int) -> dict[str, Any]:
    outlets_of: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for t, outlets in zip(a.term, counts.per_outlet, strict=True):
        if t:
            outlets_of[t].update(outlets)
    term_counts = collections.Counter({t: sum(c.values()) for t, c in outlets_of.items()})
    pairs = candidate_pairs(term_counts, min_count)
    streams = ([t for t in (a.term[i] for i in s) if t] for s in counts.articles)
    found = house_style_pairs(pairs, streams, outlets_of)
    rows = [
        (
            f"{x}/{y}",
            min(term_counts[x], term_counts[y]),
            f"{term_counts[x]}/{term_counts[y]}",
            div,
            sim,
        )
        for x, y, div, sim in found
    ]
    return {"candidate pairs": len(pairs), "split pairs": _summary(rows)}


def examples() -> dict[str, Any]:
    rows = []
    for x, y, meet in EXAMPLES:
        tx, ty = (analyze_word(w)[1] for w in (x, y))
        rows.append(
            {
                "pair": f"{x}/{y}",
                "terms": f"{tx}/{ty}",
                "expected": "meet" if meet else "apart",
                "ok": (tx == ty) == meet,
            }
        )
    return {"right": sum(r["ok"] for r in rows), "of": len(rows), "rows": rows}


def _summary(rows: list[tuple[Any, ...]]) -> dict[str, Any]:
    rows = sorted(rows, key=lambda r: -r[1])
    return {"count": len(rows), "tokens": sum(r[1] for r in rows), "rows": rows}


def _fmt(row: tuple[Any, ...]) -> str:
    def part(x: Any) -> str:
        if isinstance(x, list):
            return "[" + " ".join(f"{k}:{v}" for k, v in x) + "]"
        return f"{x:.2f}" if isinstance(x, float) else str(x)

    return " ".join(part(x) for x in row)


def report(results: dict[str, Any], show: int) -> None:
    print(
        f"analysis {results['analysis']}, {results['articles']:,} articles, "
        f"{results['tokens']:,} tokens, words seen >= {results['min_count']} times"
    )
    for name in ("suffix", "clitic", "spelling"):
        print(f"\n## {name}")
        for key, value in results[name].items():
            if isinstance(value, dict):
                print(f"{key}: {value['count']:,} ({value['tokens']:,} tokens)")
                for row in value["rows"][:show]:
                    print("   ", _fmt(row))
            else:
                print(f"{key}: {value:,}")
    ex = results["examples"]
    print(f"\n## examples: {ex['right']} of {ex['of']} as a reader expects")
    for row in ex["rows"]:
        mark = "ok " if row["ok"] else "BAD"
        print(f"  {mark} {row['expected']:5} {row['pair']}  ({row['terms']})")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    cli.add_data(parser)
    cli.add_corpus(parser, "all")
    cli.add_limit(parser)
    parser.add_argument("--min-count", type=int, default=50, help="words seen at least this often")
    parser.add_argument("--show", type=int, default=15, help="rows shown per class")
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    counts = read_counts(args.data, args.corpus, args.limit)
    analysed = analyse(counts)
    results = {
        "analysis": ANALYSIS_VERSION,
        "corpus": args.corpus,
        "articles": len(counts.articles),
        "tokens": counts.tokens,
        "min_count": args.min_count,
        "suffix": suffix_class(analysed, args.min_count),
        "clitic": clitic_class(analysed, args.min_count),
        "spelling": spelling_class(counts, analysed, args.min_count),
        "examples": examples(),
    }
    report(results, args.show)
    print(f"\n{time.perf_counter() - started:.0f} s", file=sys.stderr)
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()

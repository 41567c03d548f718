"""Build the stemmer's data from the ANT news corpora: the lexicon, whole words, spelling folds.

Four files under ``search/arabic/data/``, each derived from the one before:

* ``lexicon.tsv.gz``: normalized word forms and their counts. The stemmer strips a one-letter
  clitic (و ف ب ل ك) or the article only when the corpus says the letters are a clitic and not
  part of the word (see ``search/arabic/stem.py``).
* ``names.txt``: *whole words*, which end in ا ان ين ون تين تان يين يون although the lexicon
  hardly has the forms such an ending alternates with (سلمان but not سلمين, روما but little
  روم/رومي, برلمان but no برلمانين). They are names and loanwords; the stemmer keeps those letters.
* ``spellings.tsv``: *spelling folds*, stems of one foreign name that outlets spell differently
  (اميرك/امريك, بوتن/بوتين, ترمب/ترامب). A pair is folded when the two stems differ by one
  long vowel letter, a swap of one, or the letter written for a g (غ ج ق ك), are used by
  different outlets (house style: their counts per outlet diverge) and in the same contexts
  (the words around them agree). The stem most often written wins.

The counts come from the two ANT news corpora, which are Apache-2.0 licensed (Chouigui, Ben
Khiroun, Elayeb, "ANT Corpus: An Arabic News Text Collection for Textual Classification", AICCSA
2017; and Chouigui et al., AJSE 2021); SaudiNewsNet is non-commercial and is deliberately not
used, so it stays an unseen corpus for evaluation (``python -m benchmarks.collisions`` measures
the result on all three).

* ``lexicon.pack``: the lexicon's counts and the stemmer's word families (counts summed by
  suffix-stripped form) in a form that loads in milliseconds, for the command's start-up. It
  depends on the suffix rules too: after changing them, rewrite it with ``--pack-only``
  (``tests/arabic/test_lexicon.py`` fails until then).

    python -m tools.build_lexicon [--data ../shared/data] [--min-count 3] [--pack-only]

A tool run from the root of a checkout: it writes into the package's data directory and shares
its thresholds and pair finding with ``benchmarks.collisions``, so it lives outside ``search/``,
which reads the files it writes and never imports it.
"""

from __future__ import annotations

import argparse
import collections
import gzip
import importlib
import json
from array import array
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.collisions import (
    PARTNERS,
    SPELL_MIN_DIVERGENCE,
    SPELL_MIN_LENGTH,
    SPELL_MIN_SIMILARITY,
    WHOLE_RATIO,
    candidate_pairs,
    house_style_pairs,
)
from benchmarks.core import cli
from search import arabic
from search.arabic import analyze_word, lexicon, normalize, normalize_light, stem
from search.arabic.stopwords import is_stopword
from search.arabic.tokenize import TOKEN_PATTERN

CORPORA = (
    "antcorpus_v1.1/ant_v1.1_jawharafm.jsonl.gz",
    "antcorpus_multisource_v2.1/ant_v2.1_multisource.jsonl.gz",
)
# The data directory of the package this process imports (the checkout's, run from its root):
# the files are written where the stemmer, reloaded between steps, reads them back.
DATA = Path(arabic.__file__).resolve().parent / "data"
OUTPUT = DATA / "lexicon.tsv.gz"
NAMES = DATA / "names.txt"
SPELLINGS = DATA / "spellings.tsv"
PACK = DATA / lexicon.PACK
ANT_CITATION = (
    "ANT Corpus v1.1 and v2.1 (github.com/antcorpus, Apache-2.0; cite Chouigui et al., "
    "AICCSA 2017 and AJSE 2021)"
)
HEADER = """\
# Bahth stemmer lexicon: normalized Arabic word forms and their counts.
# Counted with Bahth's tokenizer and normalizer over the titles and bodies of ANT Corpus v1.1
# and v2.1 (github.com/antcorpus, Apache-2.0; cite Chouigui et al., AICCSA 2017 and AJSE 2021),
# one copy per distinct url. Forms seen fewer than {min_count} times are left out.
"""

# --- whole words -------------------------------------------------------------------------------
WHOLE_MIN_COUNT = 20  # rarer words keep the rules: their partners' counts say little
NAMES_HEADER = f"""\
# Bahth whole words: written by `python -m tools.build_lexicon`, do not edit by hand.
# Words (without clitics) that end in ا ان ين ون تين تان يين يون but that the lexicon shows as
# words of their own: the forms that ending alternates with (for ان: the same base + ين; for ين
# and ون: the base alone, + ه ي, and the other plural ending; for يين and يون: the base + ي يه
# and the other ending; for ا: the base, + ه ي يه) are seen less than {WHOLE_RATIO:.0%} as often
# as the word. The stemmer keeps their letters (سلمان ≠ سلم،
# تامين ≠ تام، روما ≠ روم). Counted on {ANT_CITATION}, words seen at least {WHOLE_MIN_COUNT} times.
# Columns (tab-separated): word, count, partners' count.
"""

# --- spelling folds ----------------------------------------------------------------------------
SPELL_MIN_COUNT = 15  # both stems at least this often (30 finds 33 folds, 10 adds doubtful ones)
SPELLINGS_HEADER = f"""\
# Bahth spelling folds: written by `python -m tools.build_lexicon`, do not edit by hand.
# Stems of one name that outlets spell differently: they differ by one long vowel letter (ا و ي)
# inserted or swapped, or by the letter written for a g (غ ج ق ك); each is seen at least
# {SPELL_MIN_COUNT} times; their counts per outlet diverge (house style: Jensen-Shannon divergence
# >= {SPELL_MIN_DIVERGENCE}) and the words around them agree (cosine >= {SPELL_MIN_SIMILARITY}).
# Stems of {SPELL_MIN_LENGTH - 1} letters are left alone. Counted on {ANT_CITATION}.
# Columns (tab-separated): variant, the stem it becomes, their counts, divergence, similarity.
"""


@dataclass
class Corpus:
    """One pass over ANT: word counts, and each article's tokens for the later steps."""

    counts: collections.Counter[str] = field(default_factory=collections.Counter)
    surfaces: list[str] = field(default_factory=list)  # token id -> surface word
    articles: list[tuple[str, array]] = field(default_factory=list)  # (outlet, token ids)


def read_corpus(data: Path) -> Corpus:
    corpus = Corpus()
    ids: dict[str, int] = {}
    seen_urls: set[str] = set()
    for name in CORPORA:
        with gzip.open(data / name, "rt", encoding="utf-8") as lines:
            for line in lines:
                record = json.loads(line)
                url = record.get("url") or ""
                if url in seen_urls:
                    continue  # ANT v2.1 files one article under two categories
                seen_urls.add(url)
                text = f"{record.get('title') or ''}\n{record.get('body') or ''}"
                tokens = array("I")
                for match in TOKEN_PATTERN.finditer(text):
                    surface = match.group()
                    word = normalize(surface)
                    if any("\u0621" <= ch <= "\u064a" for ch in word):
                        corpus.counts[word] += 1
                    if surface not in ids:
                        ids[surface] = len(corpus.surfaces)
                        corpus.surfaces.append(surface)
                    tokens.append(ids[surface])
                outlet = f"{name.split('/')[0]}:{record.get('source') or ''}"
                corpus.articles.append((outlet, tokens))
    return corpus


def reload_analysis() -> None:
    """Forget every memoized table and word of ``search.arabic`` after a data file changed."""
    stem_module = importlib.import_module("search.arabic.stem")  # search.arabic.stem is stem()
    lexicon.word_counts.cache_clear()
    lexicon._packed.cache_clear()
    lexicon.counts_table.cache_clear()
    for name in ("protected_words", "whole_words", "_kept_words", "spelling_folds", "_families"):
        getattr(stem_module, name).cache_clear()
    stem.cache_clear()
    analyze_word.cache_clear()


def write_lexicon(counts: collections.Counter[str], min_count: int) -> int:
    kept = sorted((w, c) for w, c in counts.items() if c >= min_count)
    body = "".join(f"{w}\t{c}\n" for w, c in kept)
    text = HEADER.format(min_count=min_count) + body
    # mtime=0 keeps the file byte-identical across rebuilds of the same counts.
    with gzip.GzipFile(OUTPUT, "wb", compresslevel=9, mtime=0) as out:
        out.write(text.encode("utf-8"))
    return len(kept)


def write_pack() -> int:
    """Pack the lexicon as written and the families the current suffix rules derive from it."""
    from search.arabic.stem import derive_families

    reload_analysis()  # the families must come from the TSV on disk, not from an older pack
    source = OUTPUT.read_bytes()
    counts = lexicon.word_counts()
    PACK.write_bytes(lexicon.pack(source, counts, derive_families(counts)))
    reload_analysis()
    return PACK.stat().st_size


def first_cut(word: str) -> str | None:
    """The ending the stemmer would take off ``word`` first (after a pronoun), if a checked one."""
    from search.arabic.stem import MIN_STEM, PLURAL_SUFFIXES, _is_accusative_alef

    if _is_accusative_alef(word):
        return "ا"
    for suffix in PLURAL_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
            return suffix if suffix in PARTNERS else None
    return None


def derive_whole_words() -> list[tuple[str, int, int]]:
    """``(word, count, partners' count)`` of the whole words, from the lexicon as loaded."""
    from search.arabic.stem import _strip_pronoun, protected_words, strip_prefixes

    # Partners are looked up among bare forms (clitics removed). A candidate is what the suffix
    # rules see after a possessive pronoun (برشلونه → برشلون); the ta marbuta partners keep
    # their ه (الاميركيه stays اميركيه: the pronoun rule would read it as اميركي + ه).
    bare: collections.Counter[str] = collections.Counter()
    for word, count in lexicon.word_counts().items():
        bare[strip_prefixes(word)] += count
    candidates: collections.Counter[str] = collections.Counter()
    for word, count in bare.items():
        candidates[_strip_pronoun(word)] += count
    rows = []
    for word, count in candidates.items():
        if count < WHOLE_MIN_COUNT or word in protected_words():
            continue
        suffix = first_cut(word)
        if suffix is None:
            continue
        base = word[: -len(suffix)]
        partners = sum(bare[base + ending] for ending in PARTNERS[suffix])
        if partners < WHOLE_RATIO * count:
            rows.append((word, count, partners))
    return sorted(rows)


def term_of(surface: str) -> str | None:
    """The index term of a token before spelling folds; None for stopwords and non-Arabic."""
    from search.arabic.stem import unfolded_stem

    word = normalize(surface)
    if not any("\u0621" <= ch <= "\u064a" for ch in word) or is_stopword(normalize_light(surface)):
        return None
    return unfolded_stem(word)


def derive_spellings(corpus: Corpus) -> list[tuple[str, str, int, int, float, float]]:
    """Spelling folds ``(variant, canonical, counts, divergence, similarity)`` from the corpus."""
    terms = [term_of(surface) for surface in corpus.surfaces]
    term_counts: collections.Counter[str] = collections.Counter()
    for _, tokens in corpus.articles:
        term_counts.update(terms[i] for i in tokens if terms[i])
    pairs = candidate_pairs(term_counts, SPELL_MIN_COUNT)
    outlets_of: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for outlet, tokens in corpus.articles:
        for i in tokens:
            if terms[i]:
                outlets_of[terms[i]][outlet] += 1
    streams = ([t for t in (terms[i] for i in tokens) if t] for _, tokens in corpus.articles)
    accepted = house_style_pairs(pairs, streams, outlets_of)
    # Join chains (بنجلادش، بنغلادش، بنغلاديش) and send each member to the most frequent.
    parent: dict[str, str] = {}

    def root(t: str) -> str:
        while parent.get(t, t) != t:
            t = parent[t]
        return t

    for a, b, _, _ in accepted:
        parent[root(a)] = root(b)
    groups: dict[str, list[str]] = collections.defaultdict(list)
    for t in {t for a, b, _, _ in accepted for t in (a, b)}:
        groups[root(t)].append(t)
    scores = {t: (div, sim) for a, b, div, sim in accepted for t in (a, b)}
    rows = []
    for members in groups.values():
        canonical = max(members, key=lambda t: (term_counts[t], t))
        for t in sorted(members):
            if t != canonical:
                rows.append((t, canonical, term_counts[t], term_counts[canonical], *scores[t]))
    return sorted(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    cli.add_data(parser)
    parser.add_argument("--min-count", type=int, default=3)
    parser.add_argument(
        "--pack-only", action="store_true", help="only rewrite lexicon.pack from lexicon.tsv.gz"
    )
    args = parser.parse_args()
    if args.pack_only:
        print(f"{PACK.name}: {write_pack():,} bytes")
        return
    corpus = read_corpus(args.data)
    kept = write_lexicon(corpus.counts, args.min_count)
    print(f"{len(corpus.counts):,} distinct forms, {kept:,} kept, {OUTPUT.stat().st_size:,} bytes")
    print(f"{PACK.name}: {write_pack():,} bytes")

    NAMES.write_text(NAMES_HEADER, encoding="utf-8")
    SPELLINGS.write_text(SPELLINGS_HEADER, encoding="utf-8")
    reload_analysis()
    whole = derive_whole_words()
    NAMES.write_text(
        NAMES_HEADER + "".join(f"{w}\t{c}\t{p}\n" for w, c, p in whole), encoding="utf-8"
    )
    print(f"{len(whole):,} whole words")

    reload_analysis()
    folds = derive_spellings(corpus)
    SPELLINGS.write_text(
        SPELLINGS_HEADER
        + "".join(f"{v}\t{c}\t{nv}\t{nc}\t{d:.2f}\t{s:.2f}\n" for v, c, nv, nc, d, s in folds),
        encoding="utf-8",
    )
    reload_analysis()
    print(f"{len(folds):,} spelling folds")


if __name__ == "__main__":
    main()

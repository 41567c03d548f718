"""Did-you-mean on an index of the shared corpora: how often the suggestion is the query meant,
how often a clean query gets one, and what it costs.

    python -m benchmarks.spelling --index DIR [--queries 500] [--seed 14] [--draw articles]

``DIR`` is an index of the news corpora (``bahth index ../shared/data/... --index DIR``, either
engine). The evaluation set is drawn from the index's own words: real words (Arabic, at least
``MIN_LENGTH`` letters, held by 5 articles or more, not stopwords), one of a query's words
misspelled by one slip of the kinds Arabic writers make (a neighbouring key, two letters
swapped, a letter dropped or doubled, a letter of a sound-alike pair), such that the misspelled
form occurs in no article; one- and two-word queries, and as many clean queries of real words.
A suggestion is *corrected* when its normalized words are the intended query's; no suggestion
is *found anyway* when the misspelled query has the intended one's index terms (a doubled
clitic letter: ``بباستثمار``), so that it finds the same articles.

Words the archive holds in one or two articles (names, places, loanwords, and some
misspellings) are run alone too: the share that gets a suggestion bounds how often a rare
correct word is "corrected"; so are words held by ``RARE`` to ``ARCHIVED`` articles (which
only the cheapest slips to a far more common word correct), and *unseen forms*: real words
with a clitic chain (و ف ب ك ل ال, as ``decide.CLITIC_CHAINS``) that no article writes,
which a searcher may type and which are no misspelling (``وبمفاوضاتهم``); the words begin
with no clitic letter, so that the chains stack as Arabic writes them. ``--misses`` prints the
misses by kind of slip and length, with where the intended word ranked among the candidates.

``SLIPS_BY_HAND`` are misspellings written by hand, of the kinds writers make (the issue's
``وزراة``, ``الامرات``, ``الحوتيين`` among them), each printed with its suggestion.

Latency is the time ``Speller.suggest`` adds to a search (the engine lock held), p50 and p95,
for the clean and the misspelled queries; the vocabulary's first reading is timed apart, with
the memory its words take (tracemalloc).
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
import tracemalloc
from collections import Counter
from pathlib import Path

from search import Searcher, layout
from search.arabic import analyze, is_stopword, normalize
from search.spelling import edits, vocabulary
from search.spelling.decide import ARCHIVED, CLITIC_CHAINS, RARE, candidates, score
from search.spelling.speller import Speller
from search.spelling.vocabulary import EXACT_FIELDS, Vocabulary

MIN_ARTICLES = 5
MIN_LENGTH = 4
CLITIC_LETTERS = ("و", "ف", "ب", "ك", "ل")
SLIPS = ("keyboard", "swapped", "dropped", "doubled", "sound")
# (typed, meant): slips seen in searches and in the archive itself, of each kind.
SLIPS_BY_HAND = (
    ("وزراة", "وزارة"),  # two letters swapped, a form 30 articles write
    ("الامرات", "الإمارات"),  # a long vowel dropped
    ("الحوتيين", "الحوثيين"),  # ث typed as ت (said alike)
    ("السعوديه", "السعودية"),  # ه for ة: the same word once normalized, no suggestion
    ("الرئيس الامريكى", "الرئيس الأمريكي"),  # ى for ي: the same, no suggestion
    ("فلسطبن", "فلسطين"),  # ب for its neighbour ي
    ("الاقتصاد المصرري", "الاقتصاد المصري"),  # a letter doubled
    ("مجلس الامن الدولى", "مجلس الأمن الدولي"),  # the same word once normalized
    ("البرلمان العرافي", "البرلمان العراقي"),  # ف for its neighbour ق
    ("الانتخبات", "الانتخابات"),  # a long vowel dropped
    ("اسرائيل و ايرن", "إسرائيل و إيران"),  # a long vowel dropped
    ("الظفة الغربية", "الضفة الغربية"),  # ظ for ض (said alike)
    ("كرة القدن", "كرة القدم"),  # ن for its neighbour م
    ("المفاوظات", "المفاوضات"),  # ظ for ض
)


def misspell(word: str, slip: str, rng: random.Random) -> str | None:
    """``word`` with one slip of kind ``slip`` at a random place; None if it has no place."""
    i = rng.randrange(len(word))
    if slip == "keyboard":
        near = sorted(edits.keyboard_neighbours().get(word[i], ()))
        return word[:i] + rng.choice(near) + word[i + 1 :] if near else None
    if slip == "sound":
        places = [j for j, c in enumerate(word) if c in edits.sound_alikes()]
        if not places:
            return None
        j = rng.choice(places)
        return word[:j] + rng.choice(sorted(edits.sound_alikes()[word[j]])) + word[j + 1 :]
    if slip == "swapped":
        j = rng.randrange(len(word) - 1)
        if word[j] == word[j + 1]:
            return None
        return word[:j] + word[j + 1] + word[j] + word[j + 2 :]
    if slip == "dropped":
        return word[:i] + word[i + 1 :]
    return word[: i + 1] + word[i] + word[i + 1 :]  # doubled


def draw(
    pool: list[str],
    every_form: set[str],
    count: int,
    rng: random.Random,
    weights: list[int] | None = None,
) -> tuple[list[tuple[str, str, str]], list[str]]:
    """(misspelled query, intended query, slip) and clean queries, half of one word each;
    words drawn from ``pool`` alike, or in proportion to ``weights``."""

    def sample(k: int) -> list[str]:
        return rng.sample(pool, k) if weights is None else rng.choices(pool, weights, k=k)

    misspelled: list[tuple[str, str, str]] = []
    clean: list[str] = []
    while len(misspelled) < count:
        words = sample(1 + len(misspelled) % 2)
        slip = SLIPS[len(misspelled) // 2 % len(SLIPS)]
        k = rng.randrange(len(words))
        wrong = misspell(words[k], slip, rng)
        if wrong is None or wrong in every_form or len(wrong) < 3:
            continue
        typed = [*words[:k], wrong, *words[k + 1 :]]
        misspelled.append((" ".join(typed), " ".join(words), slip))
    while len(clean) < count:
        clean.append(" ".join(sample(1 + len(clean) % 2)))
    return misspelled, clean


def unseen_forms(
    pool: list[str], every_form: set[str], count: int, rng: random.Random
) -> list[str]:
    """Real words with a clitic chain that no article writes (``وبمفاوضاتهم``): clean, but
    absent from the archive as typed. A chain with the article goes only on a word without
    one, and ل before the article is written لل. The word begins with no clitic letter
    (و ف ب ك ل): a chain before one may stack clitics Arabic never writes (و + والجهات, كال +
    بطائرة), which are slips (a doubled و), not unseen forms."""
    forms: list[str] = []
    while len(forms) < count:
        word, chain = rng.choice(pool), rng.choice(CLITIC_CHAINS)
        if word.startswith(CLITIC_LETTERS) or (
            word.startswith("ال") and chain.endswith(("ال", "ل"))
        ):
            continue
        form = chain + word
        if form not in every_form and form not in forms:
            forms.append(form)
    return forms


def slipped(typed: str, meant: str) -> tuple[str, str]:
    """The misspelled word of a query and the word meant."""
    return next((t, m) for t, m in zip(typed.split(), meant.split(), strict=True) if t != m)


def where_ranked(typed: str, meant: str, words: Vocabulary) -> str:
    """Where the intended word of a miss ranked among the misspelled word's candidates."""
    wrong, right = slipped(typed, meant)
    found = candidates(wrong, words)
    if right not in found:
        return "absent"
    ranked = sorted(found, key=lambda c: score(wrong, c, found[c][0]), reverse=True)
    rank = ranked.index(right) + 1
    return "first" if rank == 1 else "second" if rank == 2 else "lower"


def print_misses(misses: list[tuple[str, str, str]], words: Vocabulary) -> None:
    """The misses by slip and by the intended word's length, with where it ranked."""
    places = ("first", "second", "lower", "absent")
    rows: Counter[tuple[str, str]] = Counter()
    for slip, typed, meant in misses:
        where = where_ranked(typed, meant, words)
        length = len(slipped(typed, meant)[1])
        rows[slip, where] += 1
        rows[f"{min(length, 9)} letters", where] += 1
    print("misses      intended word ranked: " + "  ".join(places))
    keys = [*SLIPS, *sorted({k for k, _ in rows if k.endswith("letters")})]
    for key in keys:
        print(f"{key:10} " + "  ".join(f"{rows[key, p]:>{len(p)}}" for p in places))


def terms(query: str) -> list[str | None]:
    return [token.term for token in analyze(query)]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--queries", type=int, default=500, help="misspelled and clean each")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument(
        "--misses",
        action="store_true",
        help="print the misses (wrong or none) by slip and by length, with where the intended "
        "word ranked among the candidates",
    )
    parser.add_argument(
        "--draw",
        choices=("words", "articles"),
        default="words",
        help="words: every real word alike (most are rare); articles: in proportion to the "
        "articles holding it, as searchers' words come",
    )
    args = parser.parse_args()

    generation = layout.require_current(args.index)
    with layout.write_lock(args.index):
        vocabulary.refresh(generation)  # an index built before the vocabulary was kept
    started = time.perf_counter()
    words = Vocabulary.read(generation)
    read_ms = (time.perf_counter() - started) * 1000
    tracemalloc.start()
    again = Vocabulary.read(generation)  # for its memory: tracemalloc slows what it traces
    memory = tracemalloc.get_traced_memory()[0] / 1e6
    tracemalloc.stop()
    del again
    assert words is not None
    size = sum(p.stat().st_size for p in generation.glob("spelling.*.marisa"))

    with Searcher(args.index) as searcher:
        reader = searcher._engine
        articles = reader.doc_count()
        held: dict[str, int] = {}
        for field in EXACT_FIELDS:
            for word, n in reader.terms(field):
                held[word] = max(n, held.get(word, 0))
        every_form = set(held)
        rare_words = sorted(
            w
            for w, n in held.items()
            if n < RARE and len(w) >= MIN_LENGTH and w.isalpha() and not is_stopword(w)
        )
        pool = sorted(
            w
            for w, n in words.items()
            if n >= MIN_ARTICLES and len(w) >= MIN_LENGTH and not is_stopword(w)
        )
        rng = random.Random(args.seed)
        weights = [words.get(w) for w in pool] if args.draw == "articles" else None
        misspelled, clean = draw(pool, every_form, args.queries, rng, weights)
        speller = Speller(reader, generation)
        speller.vocabulary()

        def timed(query: str) -> tuple[str | None, float]:
            start = time.perf_counter()
            found = speller.suggest(query)
            return found, (time.perf_counter() - start) * 1000

        outcome: Counter[tuple[str, str]] = Counter()
        misses: list[tuple[str, str, str]] = []
        wrong_ms: list[float] = []
        examples: list[str] = []
        for typed, meant, slip in misspelled:
            found, ms = timed(typed)
            wrong_ms.append(ms)
            if found is None:
                # Typed, the query may find what was meant already (اللحامض indexes as
                # الحامض does): then there is nothing to suggest.
                verdict = "found anyway" if terms(typed) == terms(meant) else "none"
            elif normalize(found).split() == meant.split():
                verdict = "corrected"
            else:
                verdict = "wrong"
                if len(examples) < 12:
                    examples.append(f"{typed} -> {found} (meant {meant}, {slip})")
            outcome[slip, verdict] += 1
            if verdict in ("wrong", "none"):
                misses.append((slip, typed, meant))
            outcome["all", verdict] += 1
        clean_ms, false = [], []
        for query in clean:
            found, ms = timed(query)
            clean_ms.append(ms)
            if found is not None:
                false.append(f"{query} -> {found}")
        # Words the archive holds once or twice: names, places, loanwords, and some
        # misspellings; the share corrected bounds how often a rare correct word is.
        rare_sample = rng.sample(rare_words, min(len(rare_words), args.queries))
        rare_corrected = [f"{w} -> {s}" for w in rare_sample if (s := speller.suggest(w))]
        archived = [w for w in pool if words.get(w) < ARCHIVED]
        archived_sample = rng.sample(archived, min(len(archived), args.queries))
        archived_corrected = [
            f"{w} ({held[w]}) -> {s}" for w in archived_sample if (s := speller.suggest(w))
        ]
        unseen = unseen_forms(pool, every_form, args.queries, rng)
        unseen_corrected = [f"{w} -> {s}" for w in unseen if (s := speller.suggest(w))]
        by_hand = []
        for typed, meant in SLIPS_BY_HAND:
            found = speller.suggest(typed)
            hits = searcher.search(typed, match="all", limit=1).total
            fixed = searcher.search(found, match="all", limit=1).total if found else None
            verdict = (
                "corrected"
                if found and normalize(found).split() == normalize(meant).split()
                else "found anyway"
                if found is None and terms(typed) == terms(meant)
                else "WRONG"
                if found
                else "NONE"
            )
            by_hand.append(f"{typed} -> {found} ({verdict}; {hits:,} -> {fixed} hits)")
        search_ms = []
        for query in clean[:200]:
            start = time.perf_counter()
            searcher.search(query)
            search_ms.append((time.perf_counter() - start) * 1000)

    n = len(misspelled)
    print(f"index: {args.index} ({generation.name}), {articles:,} articles")
    print(
        f"vocabulary: {len(words):,} words, file {size / 1e6:.2f} MB, read in {read_ms:.0f} ms, "
        f"{memory:.1f} MB of Python memory (the trie is mapped)"
    )
    print(
        f"pool: {len(pool):,} real words, drawn by {args.draw}; {n} misspelled and "
        f"{len(clean)} clean queries (seed {args.seed})"
    )
    verdicts = ("corrected", "wrong", "none", "found anyway")
    print("slip        corrected  wrong   none  found anyway")
    for slip in (*SLIPS, "all"):
        total = sum(outcome[slip, v] for v in verdicts)
        row = [outcome[slip, v] / total * 100 for v in verdicts]
        print(f"{slip:10} {row[0]:9.1f}% {row[1]:5.1f}% {row[2]:5.1f}% {row[3]:12.1f}%  ({total})")
    print(f"clean queries with a suggestion: {len(false) / len(clean) * 100:.1f}%")
    print(
        f"words held by 1 or 2 articles that get a suggestion: "
        f"{len(rare_corrected) / len(rare_sample) * 100:.1f}% of {len(rare_sample)}"
    )
    print(
        f"words held by {RARE} to {ARCHIVED - 1} articles that get a suggestion: "
        f"{len(archived_corrected) / len(archived_sample) * 100:.1f}% of {len(archived_sample)}"
    )
    print(
        f"unseen clitic forms of real words that get a suggestion: "
        f"{len(unseen_corrected) / len(unseen) * 100:.1f}% of {len(unseen)}"
    )
    print(
        f"suggest ms, clean p50 {statistics.median(clean_ms):.3f} p95 "
        f"{percentile(clean_ms, 0.95):.3f}; misspelled p50 {statistics.median(wrong_ms):.3f} "
        f"p95 {percentile(wrong_ms, 0.95):.3f}; whole search (clean) p50 "
        f"{statistics.median(search_ms):.1f} ms"
    )
    if args.misses:
        print_misses(misses, words)
    for line in examples:
        print("  wrong:", line)
    for line in false[:10]:
        print("  clean:", line)
    for line in rare_corrected[:10]:
        print("  rare:", line)
    for line in archived_corrected[:10]:
        print("  archived:", line)
    for line in unseen_corrected[:10]:
        print("  unseen:", line)
    for line in by_hand:
        print("  by hand:", line)


if __name__ == "__main__":
    main()

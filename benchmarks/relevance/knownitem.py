"""Known-item queries for news articles: a few content words, each in another surface form.

A reader who remembers an article types some of its words, but rarely as the article wrote
them: with or without a clitic (و ب ل ال وال بال), with a bare alef where the article has a
hamza (or the other way round), ه for ة, ي for ى, sometimes with a few harakat. This module
simulates that, deterministically (every random choice comes from a seeded ``random.Random``).

It deliberately imports nothing from ``search``: making the variants with Bahth's own analysis
would only test Bahth against itself. It has its own tokenizer and a Lucene-style letter fold
(used only to group words and look them up), and it decides whether a variant is a real word
by corpus attestation: a form must occur in the news pool (``Vocabulary``) to be used, so the
generator never invents words such as زير from وزير or بنان from لبنان.

The rules (docs/relevance.md repeats them):

1. **Candidate words** (from title and body): Arabic letters only, at least
   ``MIN_WORD_LETTERS`` letters, not one of Lucene's Arabic stop words (also after a leading
   و/ف), and *distinctive but not unique*: the word's key (letters folded, a definite article
   group removed) occurs in at least ``MIN_DF`` and at most ``MAX_DF_SHARE`` of the pool's
   documents.
2. **How many and which:** 2-5 words (uniform), drawn without replacement with probability
   proportional to how often the article uses the word (title uses count ``TITLE_WEIGHT``
   times): Azzopardi, de Rijke and Balog's "popular" term selection for simulated known-item
   queries (SIGIR 2007). They are written in the order they first occur in the article.
3. **The variant of each word** is one letter-level change, picked by first choosing a kind of
   change among those the word allows, then a form of that kind:

   * ``clitic``: the word with another proclitic from ``""`` و ب ل ال وال بال (and لل, how
     Arabic writes ل + ال): added in front (حكومة → وحكومة, الحكومة → بالحكومة), or a
     definite-article group removed or swapped (والحكومة → حكومة, → للحكومة). A single و/ب/ل
     is never removed: it may be a root letter (وزير, بطاقة, بوتين), and telling which would
     take a stemmer. Every form must be attested in the pool at least ``MIN_ATTESTED`` times
     (this filters ووقال or الوقال); a removal must also be at least ``REMOVAL_RATIO`` as
     frequent as the word (الجزائر "Algeria" does not become جزائر "islands").
   * ``hamza``: أ/إ/آ written as a bare ا (always allowed: it is how many people type), or a
     bare ا at the start of the stem written أ or إ when that spelling is at least
     ``FORMAL_RATIO`` times as frequent as the article's.
   * ``final``: a final ة written ه and a final ى written ي (always allowed), or the reverse
     when the ة/ى spelling is at least ``FORMAL_RATIO`` times as frequent (a final ه is often a
     pronoun: كتابه "his book" is not كتابة "writing").

   With probability ``DIACRITIC_SHARE`` the word also gets one to three harakat. A variant
   never equals (harakat aside) any word of the article, so every query word is written in a
   form the article does not contain.
4. **Eligible articles** have at least two candidate words with a variant.
"""

from __future__ import annotations

import random
import re
import sys
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass

MIN_WORD_LETTERS = 4  # "very short words" (and most particles) are skipped
MIN_STEM_LETTERS = 3  # a proclitic is split off only if this many letters remain
MIN_DF = 2  # the word occurs in at least one other article: not unique
MAX_DF_SHARE = 0.02  # ... and in at most 2% of the pool's articles: distinctive
MIN_QUERY_WORDS, MAX_QUERY_WORDS = 2, 5
TITLE_WEIGHT = 2  # a word in the headline is more likely to be remembered
MIN_ATTESTED = 3  # a generated clitic form must occur this often in the pool
REMOVAL_RATIO = 0.05  # a removal (الحكومة → حكومة) must be common relative to the word
FORMAL_RATIO = 2.0  # the hamza/ة/ى spelling must be the usual one before we write it
DIACRITIC_SHARE = 0.3

# The proclitics و ب ل ال وال بال, plus لل (ل + ال as Arabic writes it).
CLITIC_FORMS = ("", "و", "ب", "ل", "ال", "وال", "بال", "لل")
# Only definite-article groups are ever split off a word (longest first): once three letters
# remain they are a clitic, unlike a single و/ب/ل, which may be a root letter (وزير, بوتين).
ARTICLE_GROUPS = ("وال", "بال", "فال", "كال", "لل", "ال")
REMOVABLE = ("وال", "بال", "لل", "ال")

ALEF, ALEF_HAMZA_ABOVE, ALEF_HAMZA_BELOW, ALEF_MADDA = "\u0627", "\u0623", "\u0625", "\u0622"
TEH_MARBUTA, HEH = "\u0629", "\u0647"
ALEF_MAKSURA, YEH = "\u0649", "\u064a"
FATHA, DAMMA, KASRA, SHADDA, SUKUN = "\u064e", "\u064f", "\u0650", "\u0651", "\u0652"
FATHATAN, DAMMATAN, KASRATAN = "\u064b", "\u064c", "\u064d"
INNER_MARKS = (FATHA, DAMMA, KASRA, SUKUN, SHADDA)
FINAL_MARKS = (FATHA, DAMMA, KASRA, FATHATAN, DAMMATAN, KASRATAN)

# Harakat, tatweel and dagger alef are removed from the text first (a regex: str.translate
# with a deletion table is ~7x slower on 100 M characters); then a word is a run of letters.
_MARKS = re.compile("[\u064b-\u0652\u0640\u0670]+")
_WORD = re.compile("[\u0621-\u063a\u0641-\u064a\u0671]+")
# Lucene's ArabicNormalizer letter table (anchors.md §1.3), for grouping words only.
_FOLD = str.maketrans(
    {ALEF_HAMZA_ABOVE: ALEF, ALEF_HAMZA_BELOW: ALEF, ALEF_MADDA: ALEF, "\u0671": ALEF,
     ALEF_MAKSURA: YEH, TEH_MARBUTA: HEH}
)  # fmt: skip


def written_words(text: str) -> list[str]:
    """The Arabic words of ``text`` as written, harakat and tatweel removed (letters untouched)."""
    return _WORD.findall(_MARKS.sub("", text))


def fold(word: str) -> str:
    """Letters folded as Lucene's ArabicNormalizer does (أ إ آ ٱ → ا, ى → ي, ة → ه)."""
    return word.translate(_FOLD)


def word_key(word: str) -> str:
    """Folded word without a leading definite-article group: how words are grouped and counted."""
    folded = fold(word)
    for group in ARTICLE_GROUPS:
        if folded.startswith(group) and len(folded) - len(group) >= MIN_STEM_LETTERS:
            return folded[len(group) :]
    return folded


class _KeyCache(dict[str, str]):
    """word → word_key, filled on first use: a plain dict lookup is the cheapest per-token step."""

    def __missing__(self, word: str) -> str:
        key = self[word] = word_key(word)
        return key


@dataclass(frozen=True)
class Vocabulary:
    """Word statistics of the news pool: which written forms exist and how distinctive a key is."""

    counts: Mapping[str, int]  # written form (harakat removed) → occurrences in the pool
    doc_freq: Mapping[str, int]  # word_key → number of documents containing it
    docs: int

    @classmethod
    def build(cls, texts: Iterable[str]) -> Vocabulary:
        """Count the words of every text (one text per document)."""
        counts: Counter[str] = Counter()
        doc_freq: Counter[str] = Counter()
        keys = _KeyCache()
        docs = 0
        for text in texts:
            words = written_words(text)
            counts.update(words)
            doc_freq.update({keys[w] for w in set(words)})
            docs += 1
        return cls(counts=counts, doc_freq=doc_freq, docs=docs)

    def count(self, form: str) -> int:
        return self.counts.get(form, 0)


@dataclass(frozen=True)
class QueryWord:
    """One query word: the article's form, the form put in the query and the rules applied."""

    original: str
    variant: str
    rules: tuple[str, ...]


@dataclass(frozen=True)
class KnownItemQuery:
    """A known-item query for the article ``doc_id``."""

    doc_id: str
    words: tuple[QueryWord, ...]

    @property
    def text(self) -> str:
        return " ".join(w.variant for w in self.words)


def _decompositions(word: str) -> list[tuple[str, str]]:
    """(proclitic, rest) readings of ``word``: the whole word, and a definite-article group."""
    readings = [("", word)]
    readings += [
        (p, word[len(p) :])
        for p in REMOVABLE
        if word.startswith(p) and len(word) - len(p) >= MIN_STEM_LETTERS
    ]
    return readings


def clitic_variants(word: str, vocab: Vocabulary) -> list[str]:
    """Attested forms of ``word`` with another proclitic (added, removed or swapped)."""
    found: set[str] = set()
    for _, rest in _decompositions(word):
        for clitic in CLITIC_FORMS:
            if clitic == "لل" and rest.startswith("ل"):
                continue  # ل + ال + ل… is written differently (لليل); not worth the rules
            form = clitic + rest
            if form == word or vocab.count(form) < MIN_ATTESTED:
                continue
            # Letters only added in front: a real word stays a real word (وحكومة, بالحكومة).
            # Anything else drops letters we took for a clitic; the shorter form must then be a
            # common word in its own right, or the letter was a root letter (وزير ≠ و + زير).
            if not form.endswith(word) and vocab.count(form) < REMOVAL_RATIO * vocab.count(word):
                continue
            found.add(form)
    return sorted(found)


def hamza_variants(word: str, vocab: Vocabulary) -> list[str]:
    """The word with its hamza alefs written bare, or a bare initial alef given its hamza."""
    found: set[str] = set()
    if any(c in word for c in (ALEF_HAMZA_ABOVE, ALEF_HAMZA_BELOW, ALEF_MADDA)):
        found.add(re.sub(f"[{ALEF_HAMZA_ABOVE}{ALEF_HAMZA_BELOW}{ALEF_MADDA}]", ALEF, word))
    for clitic, rest in _decompositions(word):
        if not rest.startswith(ALEF):
            continue
        for hamza in (ALEF_HAMZA_ABOVE, ALEF_HAMZA_BELOW):
            form = clitic + hamza + rest[1:]
            if vocab.count(form) >= max(MIN_ATTESTED, FORMAL_RATIO * vocab.count(word)):
                found.add(form)
    found.discard(word)
    return sorted(found)


def final_variants(word: str, vocab: Vocabulary) -> list[str]:
    """ة ↔ ه and ى ↔ ي at the end of the word (informal spelling always, formal when usual)."""
    informal = {TEH_MARBUTA: HEH, ALEF_MAKSURA: YEH}
    formal = {HEH: TEH_MARBUTA, YEH: ALEF_MAKSURA}
    last = word[-1]
    if last in informal:
        return [word[:-1] + informal[last]]
    if last in formal:
        form = word[:-1] + formal[last]
        if vocab.count(form) >= max(MIN_ATTESTED, FORMAL_RATIO * vocab.count(word)):
            return [form]
    return []


VariantMaker = Callable[[str, Vocabulary], list[str]]
VARIANT_KINDS: dict[str, VariantMaker] = {
    "clitic": clitic_variants,
    "hamza": hamza_variants,
    "final": final_variants,
}


def variants_by_kind(
    word: str,
    vocab: Vocabulary,
    avoid: Collection[str] = (),
    makers: Mapping[str, VariantMaker] = VARIANT_KINDS,
) -> dict[str, list[str]]:
    """Every variant of ``word`` by kind, leaving out forms in ``avoid`` (the article's words).

    ``makers``: the kinds of change and how each makes forms (another set's rules:
    ``benchmarks.relevance.hardforms``)."""
    kinds = {
        kind: [v for v in make(word, vocab) if v not in avoid] for kind, make in makers.items()
    }
    return {kind: forms for kind, forms in kinds.items() if forms}


def add_diacritics(word: str, rng: random.Random) -> str:
    """``word`` with one to three harakat: a mark on inner letters and/or a case ending."""
    letters = list(word)
    marks = [""] * len(letters)
    inner = list(range(1, len(letters) - 1))
    for position in rng.sample(inner, k=min(len(inner), rng.randint(0, 2))):
        marks[position] = rng.choice(INNER_MARKS)
    if not any(marks) or rng.random() < 0.5:
        marks[-1] = rng.choice(FINAL_MARKS)
    return "".join(letter + mark for letter, mark in zip(letters, marks, strict=True))


def _is_stopword(word: str, stopwords: Collection[str]) -> bool:
    folded = fold(word)
    return folded in stopwords or (folded[0] in "وف" and folded[1:] in stopwords)


def candidate_words(
    title: str, body: str, vocab: Vocabulary, stopwords: Collection[str]
) -> dict[str, tuple[str, int]]:
    """Content words of an article by key: (its most used written form, weight), article order.

    ``stopwords`` must be folded (``fold``).
    """
    max_df = MAX_DF_SHARE * vocab.docs
    forms: dict[str, Counter[str]] = {}
    weights: Counter[str] = Counter()
    for words, weight in ((written_words(title), TITLE_WEIGHT), (written_words(body), 1)):
        for word in words:
            key = word_key(word)
            if len(word) < MIN_WORD_LETTERS or len(key) < MIN_STEM_LETTERS:
                continue
            if not MIN_DF <= vocab.doc_freq.get(key, 0) <= max_df:
                continue
            if _is_stopword(word, stopwords):
                continue
            forms.setdefault(key, Counter())[word] += 1
            weights[key] += weight
    # Counter.most_common keeps first-seen order among equals: the article's first spelling.
    return {key: (forms[key].most_common(1)[0][0], weights[key]) for key in forms}


def make_query(
    doc_id: str,
    title: str,
    body: str,
    vocab: Vocabulary,
    rng: random.Random,
    stopwords: Collection[str],
    makers: Mapping[str, VariantMaker] = VARIANT_KINDS,
) -> KnownItemQuery | None:
    """A known-item query for one article, or None when it has fewer than two usable words.

    ``makers``: the kinds of change a word may get (by default the news set's)."""
    article_forms = set(written_words(title)) | set(written_words(body))
    usable: dict[str, tuple[str, int, dict[str, list[str]]]] = {}
    for key, (word, weight) in candidate_words(title, body, vocab, stopwords).items():
        kinds = variants_by_kind(word, vocab, avoid=article_forms, makers=makers)
        if kinds:
            usable[key] = (word, weight, kinds)
    if len(usable) < MIN_QUERY_WORDS:
        return None
    size = min(len(usable), rng.randint(MIN_QUERY_WORDS, MAX_QUERY_WORDS))
    chosen: list[str] = []
    pool = list(usable)
    for _ in range(size):
        [key] = rng.choices(pool, weights=[usable[k][1] for k in pool])
        pool.remove(key)
        chosen.append(key)
    order = list(usable)  # article order
    words = []
    for key in sorted(chosen, key=order.index):
        word, _, kinds = usable[key]
        kind = rng.choice(sorted(kinds))
        variant = rng.choice(kinds[kind])
        rules = [f"{kind}:{word}→{variant}"]
        if rng.random() < DIACRITIC_SHARE:
            variant = add_diacritics(variant, rng)
            rules.append("diacritics")
        words.append(QueryWord(original=word, variant=variant, rules=tuple(rules)))
    return KnownItemQuery(doc_id=doc_id, words=tuple(words))


def query_rng(seed: int, doc_id: str) -> random.Random:
    """The random source for one article's query: independent of which other articles were drawn.

    A string seed is hashed with SHA-512 by ``random``, so it is the same in every process.
    """
    return random.Random(f"known-item:{seed}:{doc_id}")


def rules_markdown() -> list[str]:
    """These rules as docs/relevance.md states them, with the values they run with."""
    k = sys.modules[__name__]
    return [
        "## How the known-item queries are made",
        "",
        "`benchmarks/relevance/knownitem.py`, deterministic for a seed. It imports nothing "
        "from `search/`: variants made with Bahth's own analysis would test Bahth against "
        "itself. It has its own tokenizer and Lucene's letter fold (used only to group words), "
        "and it checks that a generated form is a real word by looking it up in the pool.",
        "",
        f"1. **Candidate words** (title and body): Arabic letters only, at least "
        f"{k.MIN_WORD_LETTERS} letters, not one of Lucene's Arabic stop words (also after a "
        "leading و/ف), and distinctive but not unique: the word's key (letters folded, a "
        f"definite-article group removed) occurs in at least {k.MIN_DF} and at most "
        f"{k.MAX_DF_SHARE:.0%} of the pool's articles.",
        f"2. **Which words**: {k.MIN_QUERY_WORDS}-{k.MAX_QUERY_WORDS} per query (uniform), "
        "drawn without replacement with probability proportional to how often the article "
        f'uses the word (a headline use counts {k.TITLE_WEIGHT}): the "popular" term '
        "selection of Azzopardi, de Rijke and Balog (SIGIR 2007) for simulated known-item "
        "queries. Written in the order they first occur in the article.",
        "3. **One change per word**, of a kind chosen among those the word allows:",
        "   * *clitic*: another proclitic from none, و ب ل ال وال بال (and لل, how ل + ال is "
        "written): added in front (حكومة → وحكومة, الحكومة → بالحكومة), or a definite-article "
        "group removed or swapped (والحكومة → حكومة or للحكومة). A single و/ب/ل is never "
        "removed, since it may be a root letter (وزير, بطاقة, بوتين). The form must occur at "
        f"least {k.MIN_ATTESTED} times in the pool; a removal must also be at least "
        f"{k.REMOVAL_RATIO:.0%} as frequent as the word (الجزائر does not become جزائر).",
        "   * *hamza*: أ إ آ written as a bare ا (always), or a bare ا at the start of the "
        f"stem written أ or إ when that spelling is at least {k.FORMAL_RATIO:g} times as "
        "frequent in the pool.",
        "   * *final*: final ة written ه and final ى written ي (always), or the reverse when "
        f"the ة/ى spelling is at least {k.FORMAL_RATIO:g} times as frequent (a final ه is "
        "often a pronoun: كتابه is not كتابة).",
        f"   * and, with probability {k.DIACRITIC_SHARE:g}, one to three harakat on top.",
        "4. A variant never equals, harakat aside, any word of the article. An article with "
        "fewer than two words that have a variant is passed over.",
        "",
    ]

"""A light Arabic stemmer for news search: clitics and inflectional suffixes, not roots.

It starts from Larkey's light10 (the rules of Lucene's ``ArabicStemmer``) and fixes what news
text exposes:

* **Clitics are stripped only when they are clitics.** و ف ب ل ك begin many words (وزير، وطن،
  فرنسا، بوتين، كتاب، لبنان). A leading letter is stripped only when a news lexicon (see
  ``lexicon.py``) says the rest is a word of its own, and never from a word that itself takes the
  article (الوزير shows that the و of وزير is a root letter) or, for ب and ك, a preposition
  (بكوبا shows that كوبا is no ك + وبا). The same test keeps the ال of التزام or إلغاء, whose
  article-less forms are words. Chains are stripped in the order Arabic attaches them:
  conjunction (و ف), preposition (ب ك ل), article (ال; لل is ل + ال).
* **Suffixes in three layers**, outermost first: a possessive pronoun (هم هن كم نا ها هما كما ه)
  or the accusative alef (رسميا; a country's alef before its nisba, اميركا/اميركي), each only
  when what remains is a known word and restoring the ta marbuta its pronoun turned into ت
  (حكومتهم → حكومة); one plural or dual ending (ات ون ين ان يين يون يات تين تان); the
  feminine/pronoun ه; the nisba ي. After the accusative alef only the nisba can go (no plural
  ending or ta marbuta comes before that alef: كورونا → كورون, not كور). Every step keeps a
  stem of at least three letters.
* **Protected words** (``data/protected.txt``: country, city and people names whose last
  letters look like suffixes, such as فلسطين، لبنان، البحرين، بوتين) lose their clitics but keep
  the rest, so فلسطين and الفلسطينيين meet on فلسطين and لبوتين meets بوتين.
* **Whole words** (``data/names.txt``, derived from the lexicon by
  ``python -m tools.build_lexicon``): words that end in ا ان ين ون تين تان يين يون
  although the lexicon hardly shows the forms such an ending alternates with (no سلمين beside
  سلمان, little روم/رومي beside روما, no برلمانين beside برلمان). They are names and loanwords
  and keep those letters like protected words: سلمان does not meet سلمي (peaceful), nor
  ماكرون ماكر (cunning), while البرلمانية still meets برلمان.
* **Spelling folds** (``data/spellings.tsv``, derived the same way): stems of one foreign name
  that news outlets spell differently (أميركا/أمريكا, بوتن/بوتين, ترمب/ترامب, غ/ج for a g) are
  replaced by the most frequent spelling's stem.

Input is a *normalized* word (see ``normalize``); stopwords should be removed before stemming.

>>> [stem(w) for w in ("والحكومات", "بحكومتهم", "وزير", "للوزير", "لبوتين", "الفلسطينيين")]
['حكوم', 'حكوم', 'وزير', 'وزير', 'بوتين', 'فلسطين']
"""

from __future__ import annotations

from functools import cache, lru_cache
from importlib import resources

from .lexicon import Table, counts_table, packed_families, word_counts
from .normalize import normalize

ARTICLE = "ال"
LI_ARTICLE = "لل"  # ل + ال, the alef of the article dropped (للحكومة)
CONJUNCTIONS = "وف"
PREPOSITIONS = "بكل"
# Clitic chains that end in a preposition, as seen before a word: بكوبا، لكوبا، وبكوبا.
PREPOSITIONS_BEFORE = ("ب", "ك", "ل", "وب", "ول", "فب", "فل")

PRONOUN_SUFFIXES = ("هما", "كما", "هم", "هن", "كم", "نا", "ها", "ه")
ACCUSATIVE_ALEF = "ا"
PLURAL_SUFFIXES = ("تين", "تان", "يين", "يون", "يات", "ات", "ون", "ين", "ان")
FEMININE = "ه"  # ta marbuta, already folded to ه by normalize
NISBA = "ي"

MIN_STEM = 3  # no suffix rule leaves fewer letters (light10 allows 2: قمة → قم)
MIN_CLITIC_REST = 2  # after the article: الحق → حق, الام → ام are right
# A word seen in the lexicon keeps its first letter unless the rest is seen at least this often
# relative to it (counting all its inflections): واضاف (10,613) → اضاف/اضافه/... is stripped,
# لبنان (1,717) vs بنان (6) and كندا (980) vs ندا (25) are not.
CLITIC_RATIO = 0.05
MIN_COUNT = 3  # the lexicon's floor: rarer forms are not in it

STEM_CACHE_SIZE = 1 << 17  # as ``WORD_CACHE_SIZE``


def _data_lines(name: str) -> list[str]:
    """The non-comment lines of a shipped data file, comments and blanks removed."""
    text = resources.files(__package__).joinpath("data", name).read_text("utf-8")
    lines = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return [line for line in lines if line]


@cache
def protected_words() -> frozenset[str]:
    """Normalized words that keep all their letters once clitics are removed."""
    return frozenset(normalize(w) for w in _data_lines("protected.txt"))


@cache
def whole_words() -> frozenset[str]:
    """Words ending like an inflection that the lexicon shows as words of their own.

    ``data/names.txt``, one normalized word per line (then its counts, for the reader), derived
    from the lexicon by ``python -m tools.build_lexicon``.
    """
    return frozenset(line.split("\t", 1)[0] for line in _data_lines("names.txt"))


@cache
def _kept_words() -> frozenset[str]:
    return protected_words() | whole_words()


@cache
def spelling_folds() -> dict[str, str]:
    """``{stem: stem of the same name as most often spelled}`` from ``data/spellings.tsv``."""
    folds = {}
    for line in _data_lines("spellings.tsv"):
        variant, canonical = line.split("\t")[:2]
        folds[variant] = canonical
    return folds


def _count(word: str) -> int:
    return counts_table().get(word, 0)


def _known(word: str) -> bool:
    return _count(word) >= MIN_COUNT


def _strip_pronoun(word: str) -> str:
    """Remove a possessive pronoun when what remains is a known word (كتابهم → كتاب)."""
    for suffix in PRONOUN_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
            base = word[: -len(suffix)]
            if base.endswith("ت") and _count(base[:-1] + FEMININE) > _count(base):
                base = base[:-1] + FEMININE  # حكومت(هم) → حكومه
            return base if _known(base) else word
    return word


def _is_accusative_alef(word: str) -> bool:
    """True when the final ا of ``word`` is the accusative's, or a country's before its nisba.

    What remains must be a known word (رسميا → رسمي) or, when it is no word even with the
    article, take the nisba ي: the lexicon has اميركي، اوروبي but neither اميرك nor اوروب, so
    اميركا meets الاميركيه and اوروبا الاوروبيه. Not after اي (قضايا، بقايا are plurals), و
    (فتحوا: the alef of a verb's plural) or ت (شركتا: a dual before its noun), nor when the base
    takes the article (انجيلا is Angela, الانجيل the Gospel).
    """
    if not word.endswith(ACCUSATIVE_ALEF) or len(word) <= MIN_STEM:
        return False
    base = word[:-1]
    if _known(base):
        return True
    if base.endswith(("اي", "و", "ت")) or _known(ARTICLE + base):
        return False
    return _known(base + NISBA)


def _strip_suffixes(word: str, stop_at: frozenset[str] = frozenset()) -> str:
    """Remove suffixes layer by layer, stopping early at a word in ``stop_at``."""
    stem = _strip_pronoun(word)
    if stem in stop_at:
        return stem
    if _is_accusative_alef(stem):
        # The accusative alef never follows a plural ending or the ta marbuta (a sound plural
        # has no tanwin, ةً takes no alef), so only the nisba can be left: كورونا → كورون, not
        # the كور of كوريا; رسميا → رسمي → رسم.
        stem = stem[:-1]
        if stem in stop_at:
            return stem
        return stem[:-1] if stem.endswith(NISBA) and len(stem) > MIN_STEM else stem
    for suffix in PLURAL_SUFFIXES:
        if stem.endswith(suffix) and len(stem) - len(suffix) >= MIN_STEM:
            stem = stem[: -len(suffix)]
            break
    if stem in stop_at:
        return stem
    # A final ه is a root letter when the word takes the plural ات with it (اتجاه، اتجاهات).
    if stem.endswith(FEMININE) and len(stem) > MIN_STEM and not _known(stem + "ات"):
        stem = stem[:-1]
    if stem in stop_at:
        return stem
    if stem.endswith(NISBA) and len(stem) > MIN_STEM:
        stem = stem[:-1]
    return stem


def derive_families(counts: dict[str, int]) -> dict[str, int]:
    """Lexicon counts summed by suffix-stripped form: how often a stem occurs in any inflection.

    ``counts`` must be the lexicon the suffix rules consult (``word_counts()``); this is what
    ``python -m tools.build_lexicon`` packs, and what ``_families`` falls back on.
    """
    families: dict[str, int] = {}
    for word, count in counts.items():
        key = _strip_suffixes(word)
        families[key] = families.get(key, 0) + count
    return families


@cache
def _families() -> Table | dict[str, int]:
    # Deriving the families runs the suffix rules on every lexicon word (about half a second),
    # so they are packed with the lexicon; tests/arabic/test_lexicon.py checks that the packed
    # families are the ones these rules derive.
    packed = packed_families()
    return packed if packed is not None else derive_families(word_counts())


def _attested(word: str) -> bool:
    """True when the lexicon has ``word`` in some inflection (معلمات through معلم، معلمون …)."""
    return _families().get(_strip_suffixes(word), 0) >= MIN_COUNT


def _takes_article(word: str) -> bool:
    """True when the lexicon shows ال + word often enough (الوزير for وزير, البيت for بيته,
    الكبير for كبيرا).

    A clitic cannot stand between the article and its noun, so the first letter of such a
    word is its own, not a clitic; likewise the ال of التزام (الالتزام). The count is taken
    relative to the word's own, because folding makes rare look-alikes (الالغاز "the puzzles"
    for الغاز "gas"; الواكد, a family name, for واكد "and he stressed").
    """
    bases = {word, _strip_pronoun(word)}
    if word.endswith(ACCUSATIVE_ALEF):
        bases.add(word[:-1])  # كبيرا → الكبير
    with_article = max(_count(ARTICLE + base) for base in bases)
    return with_article >= max(MIN_COUNT, CLITIC_RATIO * _count(word))


def _takes_preposition(word: str) -> bool:
    """True when the lexicon shows ب or ك before ``word`` often enough (بكوبا for كوبا).

    Two prepositions do not stack, so the first letter of such a word is its own: كوبا is Cuba,
    not ك + وبا (epidemic). Only words that begin with ب or ك are tested: ل before a word that
    begins with ل reads as the article (للحسن) and ب before it is often a Maghrebi family name
    (بلحسن، بلعيد); names that begin with بو make و and ف look like they follow a preposition
    (بوروسيا is Borussia, not ب + وروسيا; بوعشرين is a family name).
    """
    if word[:1] not in "بك":
        return False
    seen = sum(_count(p + word) for p in PREPOSITIONS_BEFORE)
    return seen >= max(MIN_COUNT, CLITIC_RATIO * _count(word))


def _is_letter_clitic(word: str, rest: str, *, default: bool) -> bool:
    """Decide whether the first letter of ``word`` (و ف ب ل ك) is a clitic before ``rest``.

    The rest, in any inflection, must be seen often enough next to the word itself.
    ``default`` answers for a word the lexicon has never seen.
    """
    if len(rest) < MIN_STEM or word in protected_words() or _takes_article(word):
        return False
    if _takes_preposition(word):
        return False
    if rest in protected_words():
        return True
    evidence = _families().get(_strip_suffixes(rest), 0)
    seen = _count(word)
    if seen:
        return evidence >= max(MIN_COUNT, CLITIC_RATIO * seen)
    return evidence >= MIN_COUNT or default


def _is_article(word: str, rest: str) -> bool:
    """Decide whether ``word`` starts with the article (or لل) before ``rest``.

    The article is nearly always the article. It stays when the rest is no known word while
    the word is known or takes an article itself (التزام, إلغاء), and on protected words
    (الله).
    """
    if len(rest) < MIN_CLITIC_REST or word in protected_words():
        return False
    if rest in protected_words() or _attested(rest):
        return True
    return not (_known(word) or _takes_article(word))


def strip_prefixes(word: str) -> str:
    """Remove the clitic chain (conjunction, preposition, article) from a normalized word.

    >>> [strip_prefixes(w) for w in ("وبالمدرسه", "وزير", "للحكومه", "التزام", "واضاف")]
    ['مدرسه', 'وزير', 'حكومه', 'التزام', 'اضاف']
    """
    if word[:1] in CONJUNCTIONS and _is_letter_clitic(
        word, word[1:], default=word[0] == "و" and len(word) > 3
    ):
        word = word[1:]
    if word.startswith(LI_ARTICLE) and _is_article(word, word[2:]):
        return word[2:]
    if word[:1] in PREPOSITIONS and _is_letter_clitic(word, word[1:], default=False):
        word = word[1:]
    if word.startswith(ARTICLE) and _is_article(word, word[2:]):
        word = word[2:]
    return word


def _is_arabic(word: str) -> bool:
    return "\u0621" <= word[0] <= "\u064a"


def unfolded_stem(word: str) -> str:
    """``stem`` without the spelling folds, not memoized (what the folds are computed from)."""
    if len(word) < MIN_STEM or not _is_arabic(word):
        return word
    word = strip_prefixes(word)
    kept = _kept_words()
    return word if word in kept else _strip_suffixes(word, stop_at=kept)


@lru_cache(maxsize=STEM_CACHE_SIZE)
def stem(word: str) -> str:
    """Return the index term of a normalized, non-stopword word.

    Words that are not Arabic, or shorter than three letters, are returned unchanged.

    >>> [stem(w) for w in ("الاقتصاديه", "اقتصاد", "رسميا", "روسيا", "الروسيه", "اتجاهات")]
    ['اقتصاد', 'اقتصاد', 'رسم', 'روس', 'روس', 'اتجاه']
    >>> [stem(w) for w in ("كورونا", "كوريا", "سلمان", "سلميه", "اميركا", "امريكا", "بوتن")]
    ['كورون', 'كور', 'سلمان', 'سلم', 'اميرك', 'اميرك', 'بوتين']
    """
    term = unfolded_stem(word)
    return spelling_folds().get(term, term)

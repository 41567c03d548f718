"""Forms Lucene's light stemmer (light10) leaves apart from the word: the ``hard`` set's changes.

Like ``knownitem`` (whose generator builds the queries, with these kinds of change instead of
its own), this imports nothing from ``search``: the forms are made by letter rules and kept only
when the news pool attests them (``MIN_ATTESTED`` occurrences), never chosen by what Bahth's
analysis does with them. light10 removes ال and its groups (وال بال كال فال لل) and و in front,
ها ان ات ون ين يه ية ه ة ي at the end, and folds أ إ آ to ا; it does not remove:

* ``suffix``: a pronoun suffix other than ه/ها, on a noun (a possessive, also on a broken
  plural: أسلحة → أسلحتهم) or a verb (an object: يدعم → يدعمهم): هم هما هن كم كما نا, with ة
  written ت before it; only on a word without ال.
* ``bare``: a bare ب or ل on a word without ال (حكومة → بحكومة, لحكومة).
* ``seat``: the hamza on another seat, or written without one (مسؤول → مسئول, مسوول; رئيس →
  رييس): ؤ and ئ are letters light10 does not fold.
"""

from __future__ import annotations

from benchmarks.relevance.knownitem import (
    ARTICLE_GROUPS,
    MIN_ATTESTED,
    TEH_MARBUTA,
    VariantMaker,
    Vocabulary,
)

PRONOUNS = ("هم", "هما", "هن", "كم", "كما", "نا")
BARE_CLITICS = ("ب", "ل")
WAW_HAMZA, YEH_HAMZA = "\u0624", "\u0626"
# Each seat, and what else a writer puts there: the other seat, or the bare letter.
SEATS = {WAW_HAMZA: (YEH_HAMZA, "\u0648"), YEH_HAMZA: (WAW_HAMZA, "\u064a")}
NO_ALEF_MAKSURA = "\u0649"  # مستوى + هم is written مستواهم: a rule of its own, left out


def _definite(word: str) -> bool:
    return any(word.startswith(group) for group in ARTICLE_GROUPS)


def _attested(forms: list[str], vocab: Vocabulary, word: str) -> list[str]:
    return sorted({f for f in forms if f != word and vocab.count(f) >= MIN_ATTESTED})


def suffix_variants(word: str, vocab: Vocabulary) -> list[str]:
    """Attested forms of ``word`` with a pronoun suffix light10 keeps."""
    if _definite(word) or word.endswith(NO_ALEF_MAKSURA):
        return []
    base = word[:-1] + "\u062a" if word.endswith(TEH_MARBUTA) else word
    return _attested([base + pronoun for pronoun in PRONOUNS], vocab, word)


def bare_variants(word: str, vocab: Vocabulary) -> list[str]:
    """Attested forms of ``word`` (without ال) with a bare ب or ل in front."""
    if _definite(word):
        return []
    # ل on لتحول makes للتحول, which light10 reads as لل + تحول: not a hard form.
    forms = [clitic + word for clitic in BARE_CLITICS]
    return _attested([f for f in forms if not _definite(f)], vocab, word)


def seat_variants(word: str, vocab: Vocabulary) -> list[str]:
    """Attested forms of ``word`` with one hamza on another seat or on none."""
    forms = [
        word[:i] + other + word[i + 1 :]
        for i, letter in enumerate(word)
        for other in SEATS.get(letter, ())
    ]
    return _attested(forms, vocab, word)


HARD_KINDS: dict[str, VariantMaker] = {
    "suffix": suffix_variants,
    "bare": bare_variants,
    "seat": seat_variants,
}

"""Which word a searcher meant, and the whole query rewritten with it.

A query word is looked at only when the archive holds it in fewer than ``RARE`` articles
(its exact normalized form): a search whose words are all common pays three term look-ups a
word and nothing else, and the vocabulary is read only when a word needs it. The candidates
are the words one slip away (``edits``) that the archive holds, found two ways: edits of the
whole word, and edits of what remains once a clitic chain is set aside (و ف ب ك ل ال and their
chains), so that ``وبالرياص`` finds ``رياض`` even where ``وبالرياض`` itself is rare, and the
clitics the user typed are kept.

A candidate is ranked by how often the archive writes it against what its slip costs (a
noisy channel: log articles − ``COST_WEIGHT`` × cost). The best one is suggested when the
word is not in the archive at all; when it is rare (fewer than ``RARE`` articles), only if
the candidate is a cheap slip away (``RARE_SLIP``: the keyboard's, the ear's, a swap, a
dropped or doubled letter) and the archive writes it at least ``RATIO`` times as often: a
correct rare name is left alone unless a close word is overwhelmingly more common.
A word absent as written but made of clitics and a word the archive knows (``وبمفاوضاتهم``)
counts as that word, ``CLITIC_SHARE`` of its articles: a form the archive never wrote is
not a misspelling for that alone.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from ..arabic import analyze, analyze_word, normalize
from ..arabic.normalize import DELETED
from ..query import written_words
from .edits import edits
from .vocabulary import Vocabulary

RARE = 3  # a word held by this many articles is the archive's: never corrected
# Measured on words held by one or two of 72,716 articles: at 100, 9 % of them got a
# suggestion, legitimate words among them (الجانح → الجناح); at 1,000, 1.1 %, nearly all
# misspellings (حظور → حضور, كتيره → كثيره).
RATIO = 1000.0
RARE_SLIP = 1.5  # a word the archive holds is corrected only for a slip this cheap
CLITIC_SHARE = 0.1  # of a word's articles, those that write it with a given clitic chain
MIN_LENGTH = 3  # a word or the rest after its clitics: two letters have too many neighbours
# How much a slip's cost weighs against log articles; ``python -m benchmarks.spelling``
# finds 4 to 9 alike within its noise, and 1 (frequency decides) ten points worse.
COST_WEIGHT = 6.0

# Clitic chains as Arabic attaches them: conjunction, preposition, article (see arabic.stem).
CLITIC_CHAINS = tuple(
    sorted(
        {
            conj + prep + art
            for conj in ("", "و", "ف")
            for prep in ("", "ب", "ك", "ل")
            for art in ("", "ال")
        }
        - {""}
        | {"لل", "ولل", "فلل"},
        key=len,
    )
)

_MARKS = str.maketrans(dict.fromkeys(DELETED))


def _splits(word: str) -> list[tuple[str, str]]:
    """(clitic chain, rest) for each chain ``word`` may begin with, the rest long enough."""
    return [
        (chain, word[len(chain) :])
        for chain in CLITIC_CHAINS
        if word.startswith(chain) and len(word) - len(chain) >= MIN_LENGTH
    ]


def _support(word: str, articles: int, vocabulary: Vocabulary) -> float:
    """How much the archive backs ``word`` as written: its articles, or, for a form it never
    wrote, a share of the articles of the word left when its clitics are set aside."""
    if articles:
        return articles
    return max((vocabulary.get(rest) * CLITIC_SHARE for _, rest in _splits(word)), default=0.0)


def candidates(word: str, vocabulary: Vocabulary) -> dict[str, tuple[float, float]]:
    """Normalized words one slip from ``word`` that the archive holds: ``{word: (articles,
    cost)}``, with the cheapest slip to each. A word found as a clitic chain and an edited
    rest counts its rest's articles times ``CLITIC_SHARE`` if the whole is rarer."""
    held = vocabulary.get
    found: dict[str, tuple[float, float]] = {}

    def consider(candidate: str, articles: float, cost: float) -> None:
        if articles and (candidate not in found or cost < found[candidate][1]):
            found[candidate] = (max(articles, found.get(candidate, (0, 0))[0]), cost)

    for edited, cost in edits(word):
        consider(edited, held(edited), cost)
    for chain, rest in _splits(word):
        for edited, cost in edits(rest):
            whole = chain + edited
            consider(whole, max(held(whole), held(edited) * CLITIC_SHARE), cost)
    found.pop(word, None)
    return found


def _rank(articles: float, cost: float) -> float:
    return math.log(articles) - COST_WEIGHT * cost


def correct(word: str, articles: int, vocabulary: Vocabulary) -> str | None:
    """The normalized word meant by ``word`` (normalized, held by ``articles`` articles), or
    None to leave it as it is.

    Words the search finds already, with the typed word's index term (بوتين for بوتن,
    الحامض for اللحامض), are passed over: offering them would change nothing."""
    found = candidates(word, vocabulary)
    term = analyze_word(word)[1]
    ranked = sorted(found, key=lambda c: (_rank(*found[c]), c), reverse=True)
    best = next((c for c in ranked if analyze_word(c)[1] != term), None)
    if best is None:
        return None
    support = _support(word, articles, vocabulary)
    if not support:
        return best
    held, cost = found[best]
    return best if held >= RATIO * support and cost <= RARE_SLIP else None


def _needs_look(norm: str) -> bool:
    return len(norm) >= MIN_LENGTH and norm.isalpha() and "\u0621" <= norm[0] <= "\u064a"


def suggest(
    query: str,
    articles: Callable[[str], int],
    vocabulary: Callable[[], Vocabulary | None],
    spelled: Callable[[str], str | None],
) -> str | None:
    """``query`` with each word the searcher likely misspelled replaced by the word meant, or
    None when no word needs it. Everything else stays as written: operators, quotes, fields,
    punctuation, the other words, and the clitics of a corrected word.

    ``articles(norm)``: how many articles hold a normalized word as written; ``vocabulary()``:
    the archive's vocabulary (read on first need; None: the index has none); ``spelled(norm)``:
    how the archive writes a normalized word (``وزاره`` → ``وزارة``), None if no article does:
    a word is suggested only as a live article writes it.
    """
    replacements: list[tuple[int, int, str]] = []
    for offset, text in written_words(query):
        for token in analyze(text):
            if token.term is None or not _needs_look(token.norm):
                continue
            held = articles(token.norm)
            if held >= RARE:
                continue
            words = vocabulary()
            if words is None:
                return None
            meant = correct(token.norm, held, words)
            written = None if meant is None else _written(token.text, meant, spelled)
            if written is not None:
                replacements.append((offset + token.start, offset + token.end, written))
    if not replacements:
        return None
    for start, end, new in reversed(replacements):
        query = query[:start] + new + query[end:]
    return query


def _written(typed: str, meant: str, spelled: Callable[[str], str | None]) -> str | None:
    """How to write ``meant`` in place of ``typed``: as the archive writes it, else with the
    clitics the user typed before the rest as the archive writes it; None when no article
    holds either (the vocabulary may still count articles deleted since it was made)."""
    found = spelled(meant)
    if found is not None:
        return found
    for chain, rest in _splits(meant):
        typed_chain = _typed_prefix(typed, chain)
        found = spelled(rest) if typed_chain is not None else None
        if typed_chain is not None and found is not None:
            return typed_chain + found
    return None


def _typed_prefix(typed: str, chain: str) -> str | None:
    """The start of ``typed`` that normalizes to ``chain``, marks included; None if none."""
    for end in range(len(chain), len(typed) + 1):
        if normalize(typed[:end]) == chain:
            return typed[:end]
    return None


def plain(surface: str) -> str:
    """A surface form without diacritics, tatweel or invisible marks (how to show a word the
    archive wrote in a suggestion)."""
    return surface.translate(_MARKS)

"""Which word a searcher meant, and the whole query rewritten with it.

A query word is looked at only when the archive holds it in fewer than ``ARCHIVED`` articles
(its exact normalized form): a search whose words are all common pays three term look-ups a
word and nothing else, and the vocabulary is read only when a word needs it. The candidates
are the words one slip away (``edits``) that the archive holds, found two ways: edits of the
whole word, and edits of what remains once a clitic chain is set aside (و ف ب ك ل ال and their
chains), so that ``وبالرياص`` finds ``رياض`` even where ``وبالرياض`` itself is rare, and the
clitics the user typed are kept.

A candidate is ranked as a noisy channel ranks it: how often the archive writes it (its
articles, ``PRIOR_WEIGHT``) times how likely a writer meaning it types the word
(``edits.slip_probability``). A candidate made of a clitic chain and a word the archive writes
without it counts ``CANDIDATE_SHARE`` of that word's articles: the archive never wrote the
whole, which says it is seldom meant. When the most likely word has the typed word's index
term (``بوتن`` for ``بوتين``), the search finds it already, and nothing is suggested. Else the
best one with another term is suggested

* when the word is not in the archive at all, unless it is made of clitics and a word the
  archive knows (``وبمفاوضاتهم``): such a form counts as ``CLITIC_SHARE`` of that word's
  articles, and is corrected only to a candidate whose articles times its slip's probability
  are ``COMPOSITE_RATIO`` times that, a cheap slip away (a form the archive never wrote is not
  a misspelling for that alone, but ``اللدول`` is ``الدول`` with a doubled letter more likely
  than ``ال`` + ``لدول``). Clitics Arabic never stacks back no form: ل or ال before the article
  (``لالدول``), or a chain before a word that is itself a chain Arabic would not write after it
  and a word at least ``CLITIC_FORM_RATIO`` as common (``ووالجهات`` is ``والجهات`` with its و
  doubled, not و + والجهات);
* when it is rare (fewer than ``RARE`` articles), only if the candidate is a cheap slip away
  (``RARE_SLIP``: the keyboard's, the ear's, a swap, a dropped or doubled letter) and the
  archive writes it at least ``RATIO`` times as often: a correct rare name is left alone
  unless a close word is overwhelmingly more common;
* when the archive holds it in ``RARE`` to ``ARCHIVED`` articles, only for the cheapest slips
  (``ARCHIVED_SLIP``: a swap, a dropped, doubled or sound-alike letter) to a word
  ``ARCHIVED_RATIO`` times as common: the archive's writers make slips too, and ``وزراة``
  (30 articles of 72,716) is ``وزارة`` (8,386) with two letters swapped.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from ..arabic import analyze, analyze_word, normalize
from ..arabic.normalize import DELETED
from ..query import written_words
from .edits import edits, slip_probability
from .vocabulary import Vocabulary

RARE = 3  # from this many articles a word is corrected only for the cheapest slips
ARCHIVED = 60  # a word held by this many articles is the archive's: never corrected
# Measured on words held by one or two of 72,716 articles: at 100, 9 % of them got a
# suggestion, legitimate words among them (الجانح → الجناح); at 1,000, 1.1 %, nearly all
# misspellings (حظور → حضور, كتيره → كثيره).
RATIO = 1000.0
RARE_SLIP = 1.5  # a word the archive holds is corrected only for a slip this cheap
# Measured on a sample of words held by 3 to 60 articles (``python -m benchmarks.spelling``):
# see docs/benchmarks.md for how many get a suggestion at this ratio.
ARCHIVED_RATIO = 250.0
ARCHIVED_SLIP = 1.2
# A never-written form of clitics and a known word is corrected when the candidate's articles
# times its slip's probability are this many times the form's clitic share (see above);
# ``python -m benchmarks.spelling`` fitted it on seed 7, with the share of unseen clitic forms
# that get a suggestion: 3 corrected 0.1 point more and suggested twice as often.
COMPOSITE_RATIO = 5.0
CLITIC_SHARE = 0.1  # of a word's articles, those that write it with a given clitic chain
# A candidate the archive never wrote, of a clitic chain and a word it writes: a share of the
# word's articles (0.003 to 0.03 corrected alike on seed 7, 0.1 half a point fewer).
CANDIDATE_SHARE = 0.01
CLITIC_FORM_RATIO = 0.1  # a rest is a clitic form when its bare word has this share of it
MIN_LENGTH = 3  # a word or the rest after its clitics: two letters have too many neighbours
# The weight of log articles against log slip probability: 1 is Bayes' rule with searchers
# who mean a word as often as the archive writes it; 0.6 to 1.5 corrected within a point of
# each other on seed 7.
PRIOR_WEIGHT = 1.0

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


def _attaches(chain: str, rest: str) -> bool:
    """Whether Arabic writes ``chain`` before ``rest``: never ل or ال before the article
    (ل with the article is written لل)."""
    return not (chain.endswith("ل") and rest.startswith("ال"))


def _clitic_form(chain: str, rest: str, vocabulary: Vocabulary) -> bool:
    """Whether ``rest`` is itself a clitic chain that cannot follow ``chain`` and a word held by
    ``CLITIC_FORM_RATIO`` of its articles or more (والحد after و: ووالحد is والحد with its و
    doubled, not و + والحد)."""
    held = vocabulary.get(rest)
    return any(
        chain + inner not in CLITIC_CHAINS and vocabulary.get(word) >= CLITIC_FORM_RATIO * held
        for inner, word in _splits(rest)
    )


def _support(word: str, vocabulary: Vocabulary) -> float:
    """How much the archive backs a form it never wrote: a share of the articles of the word
    left when its clitics are set aside (0: none)."""
    return max(
        (
            vocabulary.get(rest) * CLITIC_SHARE
            for chain, rest in _splits(word)
            if _attaches(chain, rest) and not _clitic_form(chain, rest, vocabulary)
        ),
        default=0.0,
    )


def candidates(word: str, vocabulary: Vocabulary) -> dict[str, tuple[float, float]]:
    """Normalized words one slip from ``word`` that the archive holds: ``{word: (articles,
    cost)}``, with the cheapest slip to each. A word found as a clitic chain and an edited
    rest counts its rest's articles times ``CANDIDATE_SHARE`` if the whole is rarer, and only
    if Arabic writes the chain before it."""
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
            share = held(edited) * CANDIDATE_SHARE
            if held(whole):
                consider(whole, max(held(whole), share), cost)
            elif share and _attaches(chain, edited) and not _clitic_form(chain, edited, vocabulary):
                consider(whole, share, cost)
    found.pop(word, None)
    return found


def score(typed: str, meant: str, articles: float) -> float:
    """How likely ``meant``, held by ``articles`` articles, is the word a writer who typed
    ``typed`` meant, as a log: the archive's prior times the slip's probability."""
    slip = slip_probability(typed, meant)
    return PRIOR_WEIGHT * math.log(articles) + (math.log(slip) if slip else -math.inf)


def correct(word: str, articles: int, vocabulary: Vocabulary) -> str | None:
    """The normalized word meant by ``word`` (normalized, held by ``articles`` articles), or
    None to leave it as it is.

    Words the search finds already, with the typed word's index term (بوتين for بوتن,
    الحامض for اللحامض), are passed over: offering them would change nothing. When the likeliest
    word is one of them, nothing is offered: another word would be a worse guess than the
    search as typed."""
    found = candidates(word, vocabulary)
    term = analyze_word(word)[1]
    ranked = sorted(found, key=lambda c: (score(word, c, found[c][0]), c), reverse=True)
    if ranked and analyze_word(ranked[0])[1] == term:
        return None  # the likeliest word is found by the search as typed
    best = next((c for c in ranked if analyze_word(c)[1] != term), None)
    if best is None:
        return None
    held, cost = found[best]
    if not articles:
        support = _support(word, vocabulary)
        if not support:
            return best
        weighed = held * slip_probability(word, best)
        return best if weighed >= COMPOSITE_RATIO * support and cost <= RARE_SLIP else None
    if articles < RARE:
        return best if held >= RATIO * articles and cost <= RARE_SLIP else None
    return best if held >= ARCHIVED_RATIO * articles and cost <= ARCHIVED_SLIP else None


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
            if held >= ARCHIVED:
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

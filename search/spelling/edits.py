"""How Arabic writers mistype a word, as weighted single edits of its normalized form.

A misspelling is one edit away from the word meant: a neighbouring key on the Arabic keyboard,
two letters swapped, a letter dropped or doubled, or one letter of a pair that sounds alike in
most spoken Arabic (ض/ظ, ذ/ز, ث/س, ص/س, ط/ت, ق/ك, ح/ه). Plain Levenshtein counts all of these
as 1, so ``الرياص`` would be as close to ``الرياح`` (wind) as to ``الرياض``; here each kind of
edit has its cost, the cheapest being the ones writers make most.

Edits are made on normalized forms (``search.arabic.normalize``): the variants that
normalization folds (أ/إ/ا, ة/ه, ى/ي, ؤ/و, ئ/ي) are one letter already and cost nothing.

>>> sorted(cost for word, cost in edits("ظرب") if word == "ضرب")
[1.0]
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

from ..arabic import normalize

# The standard Arabic (101) PC layout, row by row, left to right as on the keyboard; each row's
# key i sits below the keys i and i+1 of the row above (keys are staggered). Normalized, so ة
# is ه and ى ئ are ي: ``ى`` next to ``ة`` makes ي a neighbour of ه.
KEYBOARD_ROWS = (
    "ضصثقفغعهخحجد",
    "شسيبلاتنمكط",
    "ئءؤرلاىةوزظ",  # لا is one key, which types two letters: ل and ا
)

# Letters that sound alike in most spoken Arabic, so writers confuse them; normalization must not
# fold them (they tell words apart: ضل/ظل, ذل/زل, سار/صار).
SOUND_PAIRS = (
    ("ض", "ظ"),  # merged in most dialects
    ("ذ", "ز"),  # ذ said as ز in Egypt and the Levant
    ("ث", "س"),  # ث said as س
    ("ص", "س"),  # emphatic and plain s
    ("ط", "ت"),  # emphatic and plain t
    ("ق", "ك"),  # q said as k or g
    ("ح", "ه"),  # the two h's
    ("ذ", "د"),  # ذ said as د in Gulf and Egyptian speech
    ("ث", "ت"),  # ث said as ت
    ("ظ", "ز"),  # ظ said as ز
    ("ض", "د"),  # ض said as د
    ("ق", "غ"),  # q said as g in the Gulf
)

ARABIC_LETTERS = "ءابتثجحخدذرزسشصضطظعغفقكلمنهوي"
"""The letters of normalized Arabic words: what an edit may insert or substitute."""

# Costs, in units of the cheapest slips: which kinds of slip may correct a word the archive
# holds (``decide.RARE_SLIP``, ``decide.ARCHIVED_SLIP``). The slips the keyboard and the ear make
# are cheap; a letter typed that is no neighbour of the one meant, or an extra letter other than
# a doubled one, costs three times as much. Candidates are ranked by ``slip_probability``.
SOUND = 1.0
DOUBLED = 1.0  # a letter typed twice
SWAPPED = 1.2
DROPPED = 1.2
KEYBOARD = 1.5
EXTRA = 3.0
OTHER = 3.0


@cache
def keyboard_neighbours() -> dict[str, frozenset[str]]:
    """Letter → the letters on the keys around it (``KEYBOARD_ROWS``)."""
    rows = [normalize(row) for row in KEYBOARD_ROWS]
    near: dict[str, set[str]] = {}

    def link(a: str, b: str) -> None:
        if a != b:
            near.setdefault(a, set()).add(b)
            near.setdefault(b, set()).add(a)

    for r, row in enumerate(rows):
        for i, key in enumerate(row):
            if i + 1 < len(row):
                link(key, row[i + 1])
            if r:
                above = rows[r - 1]
                for j in (i, i + 1):
                    if j < len(above):
                        link(key, above[j])
    return {letter: frozenset(keys) for letter, keys in near.items()}


@cache
def sound_alikes() -> dict[str, frozenset[str]]:
    """Letter → the letters that sound like it (``SOUND_PAIRS``)."""
    alike: dict[str, set[str]] = {}
    for a, b in SOUND_PAIRS:
        alike.setdefault(a, set()).add(b)
        alike.setdefault(b, set()).add(a)
    return {letter: frozenset(others) for letter, others in alike.items()}


def substitution_cost(typed: str, meant: str) -> float:
    """What typing ``typed`` for ``meant`` costs.

    >>> substitution_cost("ص", "ض"), substitution_cost("ص", "س"), substitution_cost("ص", "م")
    (1.5, 1.0, 3.0)
    """
    if typed in sound_alikes().get(meant, ()):
        return SOUND
    if typed in keyboard_neighbours().get(meant, ()):
        return KEYBOARD
    return OTHER


def edits(word: str) -> Iterator[tuple[str, float]]:
    """Every word one edit from ``word`` (normalized), with what that slip costs: the words a
    writer may have meant when typing ``word``. A word may come more than once, by several
    edits; the caller keeps its cheapest.

    >>> dict(edits("الريياض"))["الرياض"], dict(edits("الرياص"))["الرياض"]
    (1.0, 1.5)
    """
    for i, letter in enumerate(word):
        before, after = word[:i], word[i + 1 :]
        # The writer typed ``letter`` where another was meant.
        for meant in ARABIC_LETTERS:
            if meant != letter:
                yield before + meant + after, substitution_cost(letter, meant)
        # The writer typed ``letter`` too many: twice, or by mistake.
        yield before + after, DOUBLED if word[i - 1 : i] == letter else EXTRA
        # The writer swapped ``letter`` and the next one.
        if after and after[0] != letter:
            yield before + after[0] + letter + after[1:], SWAPPED
    # The writer dropped a letter.
    for i in range(len(word) + 1):
        for meant in ARABIC_LETTERS:
            yield word[:i] + meant + word[i:], DROPPED


# The noisy channel: how likely a writer meaning ``meant`` types ``typed``, one slip apart. A
# slip is a kind (``SLIP_SHARE``: how often writers make it) at one place of the word, each
# place alike, and one letter among those the kind allows there: a neighbour of four keys is
# typed for a given letter less often than one of two. Plain costs above rank the kinds; these
# shares also weigh where and how: a dropped ``ي`` in ``الرييس``'s run counts twice.
SLIP_SHARE = {
    "sound": 1.0,
    "keyboard": 1.0,
    "swapped": 1.0,
    "dropped": 1.0,
    "doubled": 1.0,
    "extra": 0.02,
    "other": 0.02,
}


def slip_probability(typed: str, meant: str) -> float:
    """How likely a writer meaning ``meant`` types ``typed`` (both normalized, one slip
    apart), up to a factor common to every word: the sum over the slips that make it of the
    kind's share times the chance of that place and letter. 0 when no single slip does.

    >>> slip_probability("الرياص", "الرياض") > slip_probability("الرياص", "الرياح")
    True
    """
    share = SLIP_SHARE
    n, m = len(typed), len(meant)
    if n == m:
        diff = [i for i in range(m) if typed[i] != meant[i]]
        if len(diff) == 2 and diff[1] == diff[0] + 1:
            i = diff[0]
            if typed[i] == meant[i + 1] and typed[i + 1] == meant[i]:
                return share["swapped"] / max(m - 1, 1)
            return 0.0
        if len(diff) != 1:
            return 0.0
        wrote, letter = typed[diff[0]], meant[diff[0]]
        alike, near = sound_alikes(), keyboard_neighbours()
        p = 0.0
        if wrote in alike.get(letter, ()):
            places = sum(c in alike for c in meant)
            p += share["sound"] / (places * len(alike[letter]))
        if wrote in near.get(letter, ()):
            p += share["keyboard"] / (m * len(near[letter]))
        if not p:
            p = share["other"] / (m * (len(ARABIC_LETTERS) - 1))
        return p
    if n == m - 1:  # a letter dropped: every place whose letter, dropped, gives ``typed``
        return share["dropped"] * sum(meant[:i] + meant[i + 1 :] == typed for i in range(m)) / m
    if n == m + 1:  # a letter too many: doubled, or any other
        doubled = sum(meant[: i + 1] + meant[i:] == typed for i in range(m))
        if doubled:
            return share["doubled"] * doubled / m
        extra = sum(typed[:i] + typed[i + 1 :] == meant for i in range(n))
        return share["extra"] * extra / (n * len(ARABIC_LETTERS))
    return 0.0

"""Stopwords: function words dropped before stemming (الذين is a stopword, not ذين).

The list (``data/stopwords.txt``, shipped as package data) is matched on the *lightly*
normalized form (diacritics and tatweel removed, alef forms folded, see ``normalize_light``),
not on the fully normalized one: full folding makes the preposition على identical to the name
علي and إلى to آلي, and a name must stay searchable. Lucene avoids the same trap by applying its
unnormalized list before normalizing.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from .normalize import normalize_light

# A conjunction glued to a stopword of three letters or more is still a stopword (وليس، فهناك);
# shorter ones make content words (ولي "guardian" is not و + لي).
CONJUNCTIONS = "وف"
MIN_GLUED_STOPWORD = 3


@cache
def stopwords() -> frozenset[str]:
    """Return the stopword set, in the ``normalize_light`` form.

    >>> "الذين" in stopwords(), "على" in stopwords(), "علي" in stopwords()
    (True, True, False)
    """
    text = resources.files(__package__).joinpath("data/stopwords.txt").read_text("utf-8")
    words = (line.strip() for line in text.splitlines())
    return frozenset(normalize_light(w) for w in words if w and not w.startswith("#"))


def is_stopword(light: str) -> bool:
    """Tell whether a word, given in its ``normalize_light`` form, is a stopword.

    >>> is_stopword("وليس"), is_stopword("ولي"), is_stopword("الذين")
    (True, False, True)
    """
    words = stopwords()
    if light in words:
        return True
    rest = light[1:]
    return light[:1] in CONJUNCTIONS and len(rest) >= MIN_GLUED_STOPWORD and rest in words

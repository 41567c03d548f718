"""Candidate roots of a stem: the three radical letters of an Arabic word, by its pattern.

Arabic words are built from a root of (mostly) three consonants set in a pattern (وزن):
مفاوض is the root فوض in the pattern مفاعل, تعليم is علم in تفعيل. A pattern is written here
with ف ع ل for the radicals and its own letters as they are; a stem matches a pattern of its
length whose own letters it holds in their places, and the radicals are what stands in the
places of ف ع ل. A stem often matches several patterns (مكتب: مفعل → كتب, but also فعلل);
``candidate_roots`` gives every reading, most specific pattern first, and the archive decides
which one its words share (``search.spelling.families``). Stems of three letters are their
own root; roots with a weak letter (قال، يقول، مقال) or of four letters are not unified.

Input is a stem (``search.arabic.stem``: clitics and suffixes gone, normalized).

>>> candidate_roots("مفاوض"), candidate_roots("تعليم"), candidate_roots("يستقبل")
(['فوض', 'فاض'], ['علم'], ['قبل'])
>>> candidate_roots("كتب"), candidate_roots("مفاوضات"), candidate_roots("برلمان")
(['كتب'], ['فوض', 'فاض'], [])
"""

from __future__ import annotations

from functools import lru_cache

RADICALS = "فعل"

# Patterns of four to seven letters: verbs (past and present, forms I-X), verbal nouns,
# participles, broken plurals. One table; the order is the order of preference among the
# readings of a stem when the archive cannot tell them apart.
PATTERNS: tuple[str, ...] = (
    # seven and six letters
    "استفعال", "مستفعل", "يستفعل", "تستفعل", "استفعل", "افتعال", "انفعال", "مفاعيل",
    "تفاعيل", "متفاعل", "يتفاعل", "تتفاعل", "مفتعل", "منفعل", "يفتعل", "ينفعل", "تفتعل",
    "افتعل", "انفعل", "مفاعل", "تفاعل", "يفاعل", "تفعيل", "مفعول", "متفعل", "يتفعل",
    "فواعل", "فعايل", "افعال", "مفعال", "فعلان",
    # four letters
    "فاعل", "فعال", "فعيل", "فعول", "مفعل", "تفعل", "يفعل", "نفعل", "افعل", "فعلا",
)  # fmt: skip
_BY_LENGTH: dict[int, list[tuple[str, tuple[int, ...]]]] = {}
for _pattern in PATTERNS:
    _places = tuple(i for i, ch in enumerate(_pattern) if ch in RADICALS)
    _BY_LENGTH.setdefault(len(_pattern), []).append((_pattern, _places))


# What the light stemmer leaves on a word that fits no pattern: object pronouns and the
# subject of a verb (فاوضناهم: فاوض + نا + هم), a plural or dual ending after a pronoun.
SUFFIXES = ("هما", "كما", "هم", "هن", "ها", "كم", "كن", "نا", "ني", "وا", "ون", "ين", "ات", "تم")


@lru_cache(maxsize=200_000)
def candidate_roots(stem: str) -> list[str]:
    """Every root ``stem`` reads as in ``PATTERNS`` (the stem itself when it has three
    letters), each once, in the patterns' order; a stem that fits none is read again
    without one of ``SUFFIXES``, then two.

    >>> candidate_roots("فاوضناهم")
    ['فوض', 'فاض']
    """
    if len(stem) == 3:
        return [stem]
    found: list[str] = []
    for pattern, places in _BY_LENGTH.get(len(stem), ()):
        if all(p in RADICALS or p == s for p, s in zip(pattern, stem, strict=True)):
            root = "".join(stem[i] for i in places)
            if root not in found:
                found.append(root)
    if not found:
        for suffix in SUFFIXES:
            if stem.endswith(suffix) and len(stem) - len(suffix) >= 3:
                found += [r for r in candidate_roots(stem[: -len(suffix)]) if r not in found]
    return found

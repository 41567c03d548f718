"""Orthographic normalization: fold what Arabic writers vary freely.

Every rule is a row of a table below; ``docs/analysis.md`` lists them with examples. The
folding is one ``str.translate`` over a precomputed table, preceded by NFKC only when the text
holds compatibility characters (presentation forms such as ﻻ, ligatures, full-width digits).

>>> normalize("المفاوضاتِ مستمرّة")
'المفاوضات مستمره'
>>> normalize("أحمد وإيران والآن ٢٠٢٥")
'احمد وايران والان 2025'

``ء`` (a bare hamza) is kept: it is a consonant of the word (ماء، جزء، شيء، سماء) and writers do
not drop it, so folding it would only merge unrelated words. Hamza carried by a seat folds to the
seat (أ إ آ → ا, ؤ → و, ئ → ي), as writers also vary there (مسئول، مسؤول).
"""

from __future__ import annotations

import unicodedata

from pyarabic import araby

# --- letters folded to one form --------------------------------------------------------------
ALEF = araby.ALEF
YEH = araby.YEH
HEH = araby.HEH
WAW = araby.WAW
KAF = araby.KAF

LETTER_FOLDS: dict[str, str] = {
    araby.ALEF_HAMZA_ABOVE: ALEF,  # أ
    araby.ALEF_HAMZA_BELOW: ALEF,  # إ
    araby.ALEF_MADDA: ALEF,  # آ
    araby.ALEF_WASLA: ALEF,  # ٱ  (Quranic and classical texts)
    araby.ALEF_MAKSURA: YEH,  # ى  (writers alternate ى and ي at word end)
    araby.TEH_MARBUTA: HEH,  # ة  (often typed as ه)
    araby.WAW_HAMZA: WAW,  # ؤ
    araby.YEH_HAMZA: YEH,  # ئ
    "\u06cc": YEH,  # ی  Farsi yeh, common in text typed on Persian keyboards
    "\u06d0": YEH,  # ې  Pashto/Uyghur yeh
    "\u06d2": YEH,  # ے  yeh barree (Urdu)
    "\u06a9": KAF,  # ک  keheh (Persian kaf)
    "\u06aa": KAF,  # ڪ  swash kaf
    "\u06d5": HEH,  # ە  ae (Kurdish/Uyghur heh)
    "\u06c0": HEH,  # ۀ  heh with yeh above
    "\u06c1": HEH,  # ہ  heh goal (Urdu)
    "\u066b": ".",  # ٫  Arabic decimal separator
    "\u066c": ",",  # ٬  Arabic thousands separator
}

# --- digits: Arabic-Indic ٠-٩ and Eastern (Persian) ۰-۹ become ASCII -------------------------
DIGIT_FOLDS: dict[str, str] = {
    **{chr(0x0660 + d): str(d) for d in range(10)},
    **{chr(0x06F0 + d): str(d) for d in range(10)},
}


def _chars(first: int, last: int) -> list[str]:
    return [chr(c) for c in range(first, last + 1)]


# --- characters deleted ----------------------------------------------------------------------
# Marks that never change which word is meant in news text, and invisible controls that copy-paste
# leaves inside words.
DELETED: list[str] = [
    *_chars(0x064B, 0x065F),  # harakat: tanwin, fatha, damma, kasra, shadda, sukun, and the
    #                           combining maddah/hamza (U+0653-U+0655) and rarer marks
    "\u0674",  # high hamza: what NFKC leaves of ٵ ٶ ٸ beside the letter, a hamza like U+0654
    araby.MINI_ALEF,  # U+0670 dagger alef
    araby.TATWEEL,  # U+0640 kashida, used to stretch words
    *_chars(0x0610, 0x061A),  # Quranic honorifics and small letters
    *_chars(0x06D6, 0x06ED),  # Quranic annotation marks
    *_chars(0x08D3, 0x08FF),  # Arabic Extended-A combining marks
    *_chars(0x200B, 0x200F),  # zero-width space/non-joiner/joiner, LRM, RLM
    *_chars(0x202A, 0x202E),  # bidi embeddings and overrides
    *_chars(0x2066, 0x2069),  # bidi isolates
    "\u2060",  # word joiner
    "\u061c",  # Arabic letter mark
    "\ufeff",  # byte-order mark / zero-width no-break space
    "\u00ad",  # soft hyphen
]

ALEF_FOLDS = {k: v for k, v in LETTER_FOLDS.items() if v == ALEF}

_TABLE = str.maketrans({**LETTER_FOLDS, **DIGIT_FOLDS, **dict.fromkeys(DELETED)})
_LIGHT_TABLE = str.maketrans({**ALEF_FOLDS, **DIGIT_FOLDS, **dict.fromkeys(DELETED)})


def normalize(text: str) -> str:
    """Return ``text`` with Arabic orthographic variation folded away.

    Presentation forms become base letters (NFKC), diacritics, tatweel, Quranic marks and
    invisible controls are removed, alef/hamza/yeh/teh-marbuta and Persian letter variants are
    folded, Arabic-Indic digits become ASCII, and Latin letters are case-folded. Idempotent:
    ``normalize(normalize(x)) == normalize(x)``.

    >>> normalize("ﻻ")
    'لا'
    >>> normalize("روبرـــت")
    'روبرت'
    """
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    text = text.translate(_TABLE).casefold()
    # Case folding can produce sequences that NFKC composes (U+01F0 folds to j + U+030C);
    # rare, but normalize must be a fixed point.
    if not text.isascii() and not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text).translate(_TABLE)
    return text


def normalize_light(text: str) -> str:
    """Like ``normalize`` but folding only alef forms among letters: ى ي ة ه ؤ ئ stay apart.

    Stopwords are matched on this form, so that the preposition على is dropped while the name
    علي, which ``normalize`` makes identical to it, is kept.

    >>> normalize_light("عَلى"), normalize_light("إلى"), normalize("على")
    ('على', 'الى', 'علي')
    """
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return text.translate(_LIGHT_TABLE).casefold()

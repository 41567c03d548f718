"""Split text into tokens whose offsets point into the original, unnormalized text.

Tokenizing comes before normalization so that every offset lands on the text as written: a
highlight can then mark ``وروسيا`` or ``المفاوضاتِ`` whole, diacritics and clitics included.

>>> [(t.text, t.start, t.end) for t in tokenize("وقال المتحدثُ: «المفاوضاتِ مستمرّة»")]
[('وقال', 0, 4), ('المتحدثُ', 5, 13), ('المفاوضاتِ', 16, 26), ('مستمرّة', 27, 34)]

Rules, in the order the pattern tries them:

* URLs (``https://…``, ``www.…``) and e-mail addresses are single tokens, so they stay
  searchable as a whole instead of exploding into fragments.
* A word is a run of letters and digits. Combining marks (harakat, shadda, dagger alef,
  Quranic marks, Latin accents) and tatweel stay inside the word; invisible joiners and
  direction marks are allowed between its letters.
* Digits joined by ``.`` ``,`` ``٫`` or ``٬`` stay one token (``1,700``, ``25.5``, ``٣٫٥``).
* Everything else separates tokens: spaces, punctuation (``، ؛ ؟ « » …`` and quotes), ``_`` (so
  ``#عاصي_الحلاني`` gives two words), hyphens and slashes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

# Combining marks that belong to the letter before them (Mn in the Arabic and Latin blocks),
# plus tatweel, which stretches a word without splitting it.
MARKS = (
    "\u0300-\u036f"  # Latin combining diacritics (decomposed é)
    "\u0610-\u061a"  # Quranic honorifics
    "\u064b-\u065f"  # harakat, shadda, sukun, combining hamza and maddah
    "\u0670"  # dagger alef
    "\u06d6-\u06ed"  # Quranic annotation marks
    "\u08d3-\u08ff"  # Arabic Extended-A marks
    "\u0640"  # tatweel
)
# Invisible characters that copy-paste leaves between the letters of one word.
JOINERS = "\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\u061c\ufeff\u00ad"
_DIGIT_SEPARATORS = ".,\u066b\u066c"

_URL = r"(?:https?://|www\.)[^\s<>\"'«»()\[\]{}]*[^\s<>\"'«»()\[\]{}.,;:!?،؛؟…]"
_EMAIL = r"[^\W_][\w.+-]*@[^\W_][\w-]*(?:\.[\w-]+)+"
_WORD = (
    rf"[^\W_][{MARKS}]*"
    rf"(?:[{JOINERS}]*[^\W_][{MARKS}]*"  # more letters, joiners allowed between them
    rf"|(?<=\d)[{_DIGIT_SEPARATORS}](?=\d))*"  # a decimal or thousands separator
)
TOKEN_PATTERN = re.compile(rf"(?P<url>{_URL})|(?P<email>{_EMAIL})|{_WORD}", re.IGNORECASE)

KIND_WORD = "word"
KIND_URL = "url"
KIND_EMAIL = "email"


class Token(NamedTuple):
    """A token as written: ``text == source[start:end]``."""

    text: str
    start: int
    end: int
    kind: str = KIND_WORD


def tokenize(text: str) -> Iterator[Token]:
    """Yield the tokens of ``text`` in order, with offsets into ``text`` itself.

    >>> [t.text for t in tokenize("#عاصي_الحلاني زار www.example.org/a و1,700 دولار")]
    ['عاصي', 'الحلاني', 'زار', 'www.example.org/a', 'و1,700', 'دولار']
    """
    for match in TOKEN_PATTERN.finditer(text):
        kind = match.lastgroup or KIND_WORD
        yield Token(match.group(), match.start(), match.end(), kind)

"""A crude Arabic fold for matching fixed phrases (month names, page labels, boilerplate).

ingest may not import ``search.arabic`` (see the module map), and it needs much less: only
enough that ``أكتوبر``/``اكتوبر``, ``أيضاً``/``أيضًا``/``ايضا`` and ``صلة``/``صله`` compare equal.
The text stored in an ``Article`` is never folded.

>>> fold("إقرأ أيضاً")
'اقرا ايضا'
"""

from __future__ import annotations

_FOLDS = {
    "\u0623": "\u0627",  # أ -> ا
    "\u0625": "\u0627",  # إ -> ا
    "\u0622": "\u0627",  # آ -> ا
    "\u0671": "\u0627",  # ٱ -> ا
    "\u0649": "\u064a",  # ى -> ي
    "\u0629": "\u0647",  # ة -> ه
    "\u0640": None,  # tatweel
}
_FOLDS.update({chr(c): None for c in range(0x064B, 0x0653)})  # tanween, harakat, shadda, sukun
_FOLDS["\u0670"] = None  # superscript alef
_TABLE = str.maketrans(_FOLDS)


def fold(text: str) -> str:
    """Lower-case ``text``, fold hamza seats, alef maqsura and teh marbuta, drop diacritics."""
    return text.translate(_TABLE).lower()

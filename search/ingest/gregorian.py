"""Gregorian dates as news dumps print them -> ``datetime.date``, or ``None``. Never a guess.

``search.ingest.dates.parse_date`` reads these first, then Hijri dates (``hijri.py``), which
share this module's digits, skipped words and word splitting.

>>> parse_gregorian("2015-07-21 10:12:00")
datetime.date(2015, 7, 21)
>>> parse_gregorian("Thu, 28 Jun 2018 01:43:43 +0400")
datetime.date(2018, 6, 28)
>>> parse_gregorian("4 ديسمبر/كانون الأول ٢٠٢٥")
datetime.date(2025, 12, 4)
>>> parse_gregorian("18 جانفي 2017") is None, parse_gregorian("4 ديسمبر") is None
(False, True)

Forms read (digits may be ASCII, Arabic-Indic ``٠-٩`` or Persian ``۰-۹``):

- ISO 8601 dates, alone or with a time and zone: ``2015-07-21``, ``2015-07-21 10:12:00``,
  ``2016-11-03T09:30:00+01:00``, ``2017-01-22T185600``; also ``2015/07/21``.
- Day first: ``21/01/2017``, ``21-01-2017``, ``1/2/2017``, ``21.01.2017``, optionally with a
  time. Arab outlets write the day first, so ``03/04/2017`` is 3 April; ``10/21/2025`` (month
  first) has no month 21 and gives ``None``.
- Month names, day before or after: ``21st, October 2025 GMT``, ``October 21, 2025``,
  ``Thu, 28 Jun 2018 01:43:43 GMT`` (RFC 2822), ``الخميس 4 ديسمبر 2025``,
  ``4 ديسمبر/كانون الأول 2025``. Arabic names in the three families in use (see ``_MONTHS``),
  with or without hamza. When two names are given for one month, they must agree.

Rules that keep the parser from guessing:

- The date is the calendar date as written; a time zone (``+0400``, ``GMT``) does not move it.
  That is the day the outlet printed, which is what a reader searches by.
- Day, month and year are all required; the year has four digits (no century guessing) and lies
  in 1600-2199. Hijri years (``1436/10/05``) are below that until about 2150 CE, so they are not
  misread as Gregorian.
- Weekday names, times, zones and a few fillers (``في``, ``الساعة``, ``م``/``ص``, ``at``) are
  skipped; any other word makes the string unparseable. A weekday that contradicts the date is
  not checked: the date digits are the more reliable part.
- Dates that do not exist (``2015-02-30``, ``0000-00-00``) give ``None``.

RFC 2822 dates are read by the month-name rule (with a fast path for their one shape) rather
than ``email.utils.parsedate``, which accepts two-digit years by guessing their century.
"""

from __future__ import annotations

import datetime as dt
import re

from search.ingest.fold import fold

MIN_YEAR = 1600
MAX_YEAR = 2199

# Shared with hijri.py: the digits read, the letters glued to numbers, the words skipped.
DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "0123456789" * 2)

# A time of day and zone after a numeric date; they are checked for shape and ignored.
_TIME = r"(?:[T\s]+\d{1,2}(?::?\d{2}){1,2}(?:[.,]\d+)?\s*(?:Z|[+-]\d{2}(?::?\d{2})?|UTC|GMT)?)?"
_YMD = re.compile(r"(\d{4})([-/])(\d{1,2})\2(\d{1,2})" + _TIME, re.IGNORECASE)
_DMY = re.compile(r"(\d{1,2})([-/.])(\d{1,2})\2(\d{4})" + _TIME, re.IGNORECASE)
# RFC 2822 (``Thu, 28 Jun 2018 01:43:43 +0400``) is what feeds and HTTP headers carry, so whole
# dumps use it; this is the month-name rule below, precompiled for that one shape.
_RFC2822 = re.compile(
    r"(?:[a-z]{3},\s*)?(\d{1,2})\s+([a-z]{3})\s+(\d{4})\s+\d{1,2}:\d{2}(?::\d{2})?"
    r"(?:\s*(?:[+-]\d{4}|gmt|utc|ut|z))?",
    re.IGNORECASE,
)

_MONTH_NAMES: dict[int, tuple[str, ...]] = {
    # English, full and abbreviated (RFC 2822 uses the abbreviations).
    1: ("january", "jan"),
    2: ("february", "feb"),
    3: ("march", "mar"),
    4: ("april", "apr"),
    5: ("may",),
    6: ("june", "jun"),
    7: ("july", "jul"),
    8: ("august", "aug"),
    9: ("september", "sept", "sep"),
    10: ("october", "oct"),
    11: ("november", "nov"),
    12: ("december", "dec"),
}
_ARABIC_MONTHS: dict[int, tuple[str, ...]] = {
    # Per month: Egypt, the Gulf and pan-Arab outlets (from English); the Levant and Iraq
    # (Syriac names); Tunisia and Algeria (from French); Morocco, where it differs. Spellings
    # with and without hamza, ة/ه and ى/ي are covered by fold(), so each is listed once.
    1: ("يناير", "كانون الثاني", "كانون ثاني", "جانفي"),
    2: ("فبراير", "شباط", "فيفري"),
    3: ("مارس", "آذار"),
    4: ("أبريل", "ابريل", "نيسان", "أفريل"),
    5: ("مايو", "أيار", "ماي"),
    6: ("يونيو", "يونيه", "حزيران", "جوان"),
    7: ("يوليو", "يوليه", "تموز", "جويلية", "يوليوز"),
    8: ("أغسطس", "آب", "أوت", "غشت"),
    9: ("سبتمبر", "أيلول", "شتنبر"),
    10: ("أكتوبر", "تشرين الأول", "تشرين أول"),
    11: ("نوفمبر", "تشرين الثاني", "تشرين ثاني", "نونبر"),
    12: ("ديسمبر", "كانون الأول", "كانون أول", "دجنبر"),
}
_MONTHS: dict[str, int] = {
    fold(name): month
    for table in (_MONTH_NAMES, _ARABIC_MONTHS)
    for month, names in table.items()
    for name in names
}
# Longest first, so that "كانون الثاني" wins over any shorter name inside it.
_MONTH = re.compile(
    r"(?<!\w)(?:"
    + "|".join(re.escape(n) for n in sorted(_MONTHS, key=len, reverse=True))
    + r")(?!\w)"
)

# fmt: off
IGNORED = frozenset(
    fold(word)
    for word in (
        # weekdays, English and Arabic, with and without the article
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
        "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
        "الأحد", "الاثنين", "الإثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت",
        "أحد", "اثنين", "إثنين", "ثلاثاء", "أربعاء", "خميس", "جمعة", "سبت", "يوم",
        # zones and times of day
        "gmt", "utc", "ut", "z", "am", "pm",
        "ص", "م", "صباحاً", "مساءً", "ظهراً", "الساعة",
        # fillers: "on", "the 21st of", "في 4 ديسمبر", "2025 ميلادي"
        "on", "at", "the", "of", "في", "بتاريخ", "ميلادي", "ميلادية",
    )
)
# fmt: on

_CLOCK = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?|[+-]\d{2}:?\d{2}\b")
_ORDINAL = re.compile(r"(?<=\d)(?:st|nd|rd|th)\b")
# "2025م": a letter glued to a number is a separate word.
GLUED = re.compile(r"(?<=\d)(?=[^\W\d_])|(?<=[^\W\d_])(?=\d)")
_PUNCT = re.compile(r"[,،/()\[\].\-]+")
_MONTH_MARK = "\x00"


def parse_gregorian(text: str | None) -> dt.date | None:
    """The date ``text`` states, or ``None`` if it is empty, unreadable or not a real date.

    >>> parse_gregorian("21/01/2017"), parse_gregorian("21st, October 2025 GMT")
    (datetime.date(2017, 1, 21), datetime.date(2025, 10, 21))
    >>> parse_gregorian("31/02/2017") is None
    True
    """
    if not text:
        return None
    text = text.strip() if text.isascii() else text.translate(DIGITS).strip()
    if m := _YMD.fullmatch(text):
        return _date(m[1], m[3], m[4])
    if m := _DMY.fullmatch(text):
        return _date(m[4], m[3], m[1])
    if (m := _RFC2822.fullmatch(text)) and (month := _MONTHS.get(m[2].lower())):
        return _date(m[3], month, m[1])
    return _named(text)


def _named(text: str) -> dt.date | None:
    text = _ORDINAL.sub("", _CLOCK.sub(" ", fold(text)))
    months = {_MONTHS[m] for m in _MONTH.findall(text)}
    if len(months) != 1:
        return None
    text = _PUNCT.sub(" ", GLUED.sub(" ", _MONTH.sub(f" {_MONTH_MARK} ", text)))
    shape: list[str] = []
    for token in text.split():
        if token in IGNORED:
            continue
        if token == _MONTH_MARK:
            if shape and shape[-1] == _MONTH_MARK:  # "ديسمبر/كانون الأول": one month, two names
                continue
        elif not (token.isascii() and token.isdigit()):
            return None
        shape.append(token)
    if len(shape) != 3:
        return None
    if shape[1] == _MONTH_MARK:
        day, year = shape[0], shape[2]  # 21 October 2025
    elif shape[0] == _MONTH_MARK:
        day, year = shape[1], shape[2]  # October 21, 2025
    else:
        return None
    if len(day) > 2:
        return None
    return _date(year, months.pop(), day)


def _date(year: str, month: str | int, day: str) -> dt.date | None:
    if len(year) != 4 or not MIN_YEAR <= int(year) <= MAX_YEAR:
        return None
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None

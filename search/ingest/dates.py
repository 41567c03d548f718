"""Publication dates as news dumps print them, Gregorian or Hijri -> ``datetime.date``, or ``None``.

>>> parse_date("2015-07-21 10:12:00"), parse_date("4 ديسمبر/كانون الأول ٢٠٢٥")
(datetime.date(2015, 7, 21), datetime.date(2025, 12, 4))
>>> parse_date("الخميس 21 شوال 1436هـ")
datetime.date(2015, 8, 6)
>>> parse_date("أمس") is None
True

Gregorian dates are read by ``gregorian.py`` (ISO 8601, day first, RFC 2822, English and Arabic
month names). Hijri dates are converted with the Umm al-Qura calendar by ``hijri.py``
(``7 شوال 1436``, ``١٤٣٦/١٠/٠٧ هـ``); a Hijri date printed with its Gregorian equivalent gives
the Gregorian one. Only a string the Gregorian rules refuse and that holds a four-digit number
in 1343-1500 (the calendar's years) is tried as Hijri, so Gregorian dates cost nothing more.
Neither reader guesses: a string that states no whole, real date gives ``None``, and
``date_problem`` says why a Hijri date was refused.
"""

from __future__ import annotations

import datetime as dt
import re

from search.ingest.gregorian import DIGITS, MAX_YEAR, MIN_YEAR, parse_gregorian
from search.ingest.hijri import hijri_problem, parse_hijri

__all__ = ["MAX_YEAR", "MIN_YEAR", "date_problem", "parse_date"]

# The years of the Umm al-Qura calendar (1343-1500 AH): only a string holding one can be a Hijri
# date, so the Gregorian strings that fail are not all handed to the Hijri reader.
_HIJRI_YEAR = re.compile(r"(?<!\d)(?:134[3-9]|13[5-9]\d|14\d\d|1500)(?!\d)")


def parse_date(text: str | None) -> dt.date | None:
    """The date ``text`` states, or ``None`` if it is empty, unreadable or not a real date.

    >>> parse_date("21/01/2017"), parse_date("1436/10/07 هـ")
    (datetime.date(2017, 1, 21), datetime.date(2015, 7, 23))
    >>> parse_date("31/02/2017") is None
    True
    """
    if not text:
        return None
    day = parse_gregorian(text)
    if day is None and _HIJRI_YEAR.search(text.translate(DIGITS)):
        return parse_hijri(text)
    return day


def date_problem(text: str | None) -> str | None:
    """Why ``parse_date`` gave no date for ``text``, when that can be said; else ``None``.

    So far that is a Hijri date outside the Umm al-Qura calendar or one that does not exist in
    it; a string that is not a date at all has nothing more to say about it.

    >>> date_problem("30 رمضان 1436هـ")
    'Hijri day 30 does not exist: رمضان 1436 has 29 days in Umm al-Qura'
    >>> date_problem("2015-07-21") is None, date_problem("yesterday") is None
    (True, True)
    """
    return hijri_problem(text) if text else None

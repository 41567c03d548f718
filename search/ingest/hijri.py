"""Hijri dates as Saudi and Gulf papers print them -> Gregorian ``datetime.date``.

>>> parse_hijri("الخميس 21 شوال 1436هـ"), parse_hijri("١٤٣٦/١٠/٢١ هـ")
(datetime.date(2015, 8, 6), datetime.date(2015, 8, 6))
>>> parse_hijri("23 شوال 1436هـ الموافق 6 أغسطس 2015م")  # the paper's own conversion wins
datetime.date(2015, 8, 6)
>>> hijri_period("رمضان 1436")
(datetime.date(2015, 6, 18), datetime.date(2015, 7, 16))
>>> hijri_problem("1 محرم 1300هـ")
'Hijri year 1300 is outside the Umm al-Qura calendar (1343-1500 AH)'

The calendar is Umm al-Qura, Saudi Arabia's official one, through ``hijridate``: it is what
Saudi and Gulf papers print, and its tables are computed, where the observed calendars of other
countries (and of a paper's own sighting) can differ by a day. It covers 1343-1500 AH
(1924-2077 CE); a year outside it is refused, with a reason (``hijri_problem``).

Forms read (digits ASCII, Arabic-Indic or Persian; weekdays, times and fillers skipped as
``search.ingest.gregorian`` skips them):

- Numeric, day first or year first, separated by ``/``, ``-`` or ``.`` with optional spaces:
  ``7/10/1436``, ``2 / 6 / 1436هـ``, ``1436/10/07``, ``1436-10-07 هـ``.
- Month names (see ``_MONTH_NAMES``; hamza, alef maqsura and teh marbuta spellings through
  ``fold``): ``7 شوال 1436``, ``الخميس 23 ذي القعدة 1436هـ``.
- A marker after the year, apart or glued: ``هـ``, ``ه``, ``ھ`` (Urdu heh), ``هجري``,
  ``هجرية``, ``للهجرة``, and ``h``/``H``, the way to type one on a command line.

A four-digit year in 1343-1500 is Hijri with or without a marker (``7/10/1436``, ``1436-09``,
``1436``): no Arabic paper is dated 1343-1500 CE, and ``search.ingest.gregorian`` refuses Gregorian
years before 1600. With a marker or a month name, a year outside the calendar is a problem.

A date printed with its Gregorian equivalent (``... 1436هـ الموافق 6 أغسطس 2015م``, joined by
``الموافق``, ``الموافق لـ``, ``-``, ``/`` or in parentheses) gives the Gregorian one: that is
the paper's conversion, which follows its sighting of the moon.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple

from hijridate import Gregorian, Hijri

from search.ingest.fold import fold

# The same digits, glued letters and skipped words as Gregorian dates.
from search.ingest.gregorian import DIGITS, GLUED, IGNORED, parse_gregorian

MIN_YEAR = 1343
MAX_YEAR = 1500

_MONTH_NAMES: dict[int, tuple[str, ...]] = {
    # The first name is Umm al-Qura's, used by format_hijri; hamza, ى/ي and ة/ه variants are
    # covered by fold(), spaces inside a name are optional (ذوالحجة).
    1: ("محرم", "المحرم"),
    2: ("صفر",),
    3: ("ربيع الأول", "ربيع أول"),
    4: ("ربيع الآخر", "ربيع الثاني", "ربيع ثاني"),
    5: ("جمادى الأولى", "جمادى الأول"),
    6: ("جمادى الآخرة", "جمادى الثانية", "جمادى الثاني"),
    7: ("رجب",),
    8: ("شعبان",),
    9: ("رمضان",),
    10: ("شوال",),
    11: ("ذو القعدة", "ذي القعدة"),
    12: ("ذو الحجة", "ذي الحجة"),
}
_MONTHS: dict[str, int] = {
    fold(name).replace(" ", ""): month for month, names in _MONTH_NAMES.items() for name in names
}
_LETTER = r"[^\W\d_]"
_NAME = (
    rf"(?<!{_LETTER})(?:"
    + "|".join(
        r"\s*".join(map(re.escape, fold(name).split()))
        for names in _MONTH_NAMES.values()
        for name in sorted(names, key=len, reverse=True)  # جمادى الأولى before جمادى الأول
    )
    + rf")(?!{_LETTER})"
)
# One date or period; ``finditer`` tries the alternatives in order at each position.
_HIJRI = re.compile(
    r"(?<!\d)(?:"
    r"(?P<y1>\d{4})\s*(?P<s1>[-/.])\s*(?P<m1>\d{1,2})(?:\s*(?P=s1)\s*(?P<d1>\d{1,2}))?"
    r"|(?P<d2>\d{1,2})\s*(?P<s2>[-/.])\s*(?P<m2>\d{1,2})\s*(?P=s2)\s*(?P<y2>\d{4})"
    r"|(?P<m3>\d{1,2})\s*[-/.]\s*(?P<y3>\d{4})"
    rf"|(?:(?P<d4>\d{{1,2}})\s*[-/]?\s*)?(?P<name>{_NAME})\s*[-/,،]?\s*(?P<y4>\d{{4}})"
    r"|(?P<y5>\d{4})"
    rf")(?!\d)(?:\s*(?P<marker>للهجره|هجريه|هجري|ه|h)\.?(?!{_LETTER}))?"
)
_NORMAL = {**DIGITS, ord("ھ"): ord("ه")}
# Besides the skipped words: "الموافق لـ" joins two dates, "شهر رمضان" names a month.
_SKIPPED = IGNORED | {fold(word) for word in ("الموافق", "لـ", "شهر")}
_BRACKETS = re.compile(r"[()\[\]،,]")
_TIME = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?")


class _Reading(NamedTuple):
    year: int
    month: int | None  # None for a year
    day: int | None  # None for a month or a year
    beside: dt.date | None  # the Gregorian date printed with it


def parse_hijri(text: str) -> dt.date | None:
    """The Gregorian day a Hijri date ``text`` states, or ``None`` (see ``hijri_problem``).

    >>> parse_hijri("30 رمضان 1436"), parse_hijri("29 رمضان 1436")  # Umm al-Qura: 29 days
    (None, datetime.date(2015, 7, 16))
    """
    reading = _read(text)
    if reading is None or reading.month is None or reading.day is None or _problem(reading):
        return None
    return reading.beside or _gregorian(reading.year, reading.month, reading.day)


def hijri_problem(text: str) -> str | None:
    """Why ``text``, clearly a Hijri date, month or year, cannot be read; else ``None``.

    For the reader of a rejected date: a year outside the calendar, or a month or day that
    does not exist in it. A string that is not Hijri at all has no problem here.

    >>> hijri_problem("30/13/1436هـ"), hijri_problem("2015-07-21")
    ('Hijri month 13 does not exist', None)
    """
    reading = _read(text)
    return None if reading is None else _problem(reading)


def hijri_period(text: str) -> tuple[dt.date, dt.date] | None:
    """The first and last Gregorian days of a Hijri month or year ``text``, else ``None``.

    >>> hijri_period("1436-09h") == hijri_period("رمضان 1436هـ")
    True
    >>> hijri_period("1436h")
    (datetime.date(2014, 10, 25), datetime.date(2015, 10, 13))
    """
    reading = _read(text)
    if reading is None or reading.day is not None or reading.beside or _problem(reading):
        return None
    first, last = reading.month or 1, reading.month or 12
    return _gregorian(reading.year, first, 1), _gregorian(
        reading.year, last, Hijri(reading.year, last, 1).month_length()
    )


def format_hijri(day: dt.date) -> str | None:
    """``day`` as papers print its Umm al-Qura date, or ``None`` outside 1924-08-01..2077-11-16.

    ``None`` rather than an empty string, so that a caller cannot print a blank date unawares.

    >>> format_hijri(dt.date(2015, 8, 6)), format_hijri(dt.date(1900, 1, 1))
    ('21 شوال 1436 هـ', None)
    """
    try:
        hijri = Gregorian(day.year, day.month, day.day).to_hijri()
    except OverflowError:
        return None
    return f"{hijri.day} {_MONTH_NAMES[hijri.month][0]} {hijri.year} هـ"


def _read(text: str) -> _Reading | None:
    """The one Hijri date, month or year in ``text``, unchecked; ``None`` unless the rest of
    ``text`` is skipped words or the Gregorian date printed with it."""
    text = fold(text.translate(_NORMAL))
    found = [m for m in _HIJRI.finditer(text) if _is_hijri(m)]
    if len(found) != 1:
        return None
    [m] = found
    rest = _TIME.sub(" ", text[: m.start()] + " " + text[m.end() :])
    words = [
        word
        for word in GLUED.sub(" ", _BRACKETS.sub(" ", rest)).split()
        if word not in _SKIPPED and word.strip("-/.")
    ]
    beside = parse_gregorian(" ".join(words)) if words else None
    if words and beside is None:
        return None
    year, month, day = _numbers(m)
    return _Reading(year, month, day, beside)


def _is_hijri(m: re.Match[str]) -> bool:
    return bool(m["marker"] or m["name"]) or MIN_YEAR <= _numbers(m)[0] <= MAX_YEAR


def _numbers(m: re.Match[str]) -> tuple[int, int | None, int | None]:
    year = int(m["y1"] or m["y2"] or m["y3"] or m["y4"] or m["y5"])
    if m["name"]:
        month: str | int | None = _MONTHS["".join(m["name"].split())]
    else:
        month = m["m1"] or m["m2"] or m["m3"]
    day = m["d1"] or m["d2"] or m["d4"]
    return year, None if month is None else int(month), None if day is None else int(day)


def _problem(reading: _Reading) -> str | None:
    """What does not exist in ``reading``; beside a Gregorian date, which is the one read,
    only the shape of the Hijri date is checked."""
    year, month, day, beside = reading
    if beside is None and not MIN_YEAR <= year <= MAX_YEAR:
        return f"Hijri year {year} is outside the Umm al-Qura calendar ({MIN_YEAR}-{MAX_YEAR} AH)"
    if month is not None and not 1 <= month <= 12:
        return f"Hijri month {month} does not exist"
    if day is None or month is None:
        return None
    if beside is not None:
        return None if 1 <= day <= 30 else f"Hijri day {day} does not exist (months have 29 or 30)"
    days = Hijri(year, month, 1).month_length()
    if not 1 <= day <= days:
        name = _MONTH_NAMES[month][0]
        return f"Hijri day {day} does not exist: {name} {year} has {days} days in Umm al-Qura"
    return None


def _gregorian(year: int, month: int, day: int) -> dt.date:
    gregorian = Hijri(year, month, day).to_gregorian()
    return dt.date(gregorian.year, gregorian.month, gregorian.day)

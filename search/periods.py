"""The dates a search is filtered by: ``since`` and ``until``, each a day or a period.

A date is read in the forms indexing reads (``search.ingest.dates``), so that a date copied
from a dump works as a filter: ``2015-08-01``, ``1/8/2015`` (day first), ``1 أغسطس 2015``. A
partial date is a period: a month (``2015-08``, ``08/2015``, ``أغسطس 2015``, ``August 2015``)
or a year (``2015``), from its first day through its last.

Hijri dates too, as papers in the Gulf print them and as ``search.ingest.hijri`` reads them:
``1436-09-01هـ``, ``1/9/1436هـ``, and periods, ``رمضان 1436``, ``1436-09هـ``, ``1436هـ``. ``h``
stands for ``هـ`` where Arabic is awkward to type (``1436-09h``).

A date that cannot be read is a ``QueryError`` about its option, whose fix lists the forms.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from .errors import QueryError
from .ingest.dates import date_problem, parse_date
from .ingest.hijri import hijri_period

__all__ = ["DATE_FORMS", "as_date", "date_range"]

End = Literal["since", "until"]

_YEAR = re.compile(r"\d{4}")
_YEAR_MONTH = re.compile(r"(\d{4})[-/.](\d{1,2})")
_MONTH_YEAR = re.compile(r"(\d{1,2})[-/.](\d{4})")
DATE_FORMS = (
    "Write a day (YYYY-MM-DD, DD/MM/YYYY, 1 أغسطس 2015), a month (YYYY-MM, أغسطس 2015) "
    "or a year (YYYY); a Hijri (Umm al-Qura, 1343-1500) day (1436-09-01h, 1/9/1436هـ, "
    "1 رمضان 1436), month (1436-09h, رمضان 1436) or year (1436h, 1436هـ)"
)
"""The forms a date may take, the fix of a date that cannot be read."""


def as_date(value: str | dt.date | None, option: End) -> dt.date | None:
    """The first day ``value`` covers for ``since``, its last for ``until``.

    >>> as_date("2015-08", "since"), as_date("2015-08", "until")
    (datetime.date(2015, 8, 1), datetime.date(2015, 8, 31))
    >>> as_date("٢٠١٥", "until"), as_date("1/8/2015", "until")
    (datetime.date(2015, 12, 31), datetime.date(2015, 8, 1))
    >>> as_date("1436-10-01h", "since"), as_date("رمضان 1436", "until")
    (datetime.date(2015, 7, 17), datetime.date(2015, 7, 16))
    >>> as_date("2015-13", "since")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    search.errors.QueryError: since: '2015-13' is not a date
    Write a day (YYYY-MM-DD, ...
    """
    if value is None or isinstance(value, dt.date):
        return value
    text = value.strip()
    day = parse_date(text)
    if day is not None:
        return day
    if period := hijri_period(text):
        return period[0] if option == "since" else period[1]
    if problem := date_problem(text):
        raise _not_a_date(option, value, f": {problem}")
    # A partial date is completed to its first day and read by the same parser, which checks
    # the year's range and the month as it does for dumps.
    if _YEAR.fullmatch(text):
        first, months = parse_date(f"{text}-01-01"), 12
    elif m := _YEAR_MONTH.fullmatch(text):
        first, months = parse_date(f"{m[1]}-{m[2]}-01"), 1
    elif m := _MONTH_YEAR.fullmatch(text):
        first, months = parse_date(f"{m[2]}-{m[1]}-01"), 1
    else:
        first, months = parse_date(f"1 {text}"), 1  # a month's name and a year
    if first is None:
        raise _not_a_date(option, value)
    if option == "since":
        return first
    end = first.month + months  # the first month after the period, 13 for January next year
    return dt.date(first.year + (end - 1) // 12, (end - 1) % 12 + 1, 1) - dt.timedelta(days=1)


def date_range(
    since: str | dt.date | None, until: str | dt.date | None
) -> tuple[dt.date | None, dt.date | None]:
    """The first and last day of a search's dates (None: no bound); a ``QueryError`` when a
    date cannot be read or the range is empty.

    >>> date_range("2015", "2015-08")
    (datetime.date(2015, 1, 1), datetime.date(2015, 8, 31))
    >>> date_range("2015-09", "2015-08")
    Traceback (most recent call last):
    ...
    search.errors.QueryError: since 2015-09-01 is after until 2015-08-31
    Swap the two dates
    """
    first, last = as_date(since, "since"), as_date(until, "until")
    if first and last and first > last:
        raise QueryError(
            f"since {first.isoformat()} is after until {last.isoformat()}",
            "Swap the two dates",
            option="since",
            value=since,
            also=("until",),
            said=("dates_reversed", {"since": first.isoformat(), "until": last.isoformat()}),
        )
    return first, last


def _not_a_date(option: End, value: str, why: str = "") -> QueryError:
    said = ("not_a_date", {"value": value, "why": _why(why)})
    return QueryError(
        f"{option}: '{value}' is not a date{why}", DATE_FORMS, option=option, value=value, said=said
    )


# The problems ``date_problem`` says (``search.ingest.hijri``), each a key of the Arabic texts.
_PROBLEMS = {
    "hijri_year": re.compile(
        r": Hijri year (?P<year>\d+) is outside .*\((?P<low>\d+)-(?P<high>\d+)"
    ),
    "hijri_month": re.compile(r": Hijri month (?P<month>\d+) does not exist$"),
    "hijri_day_30": re.compile(r": Hijri day (?P<day>\d+) does not exist \(months have"),
    "hijri_day": re.compile(
        r": Hijri day (?P<day>\d+) does not exist: (?P<month>.+) has (?P<days>\d+)"
    ),
}


def _why(why: str) -> tuple[str, dict[str, object]]:
    """What is wrong with a date as the Arabic texts say it (``no_problem``: nothing more)."""
    for key, problem in _PROBLEMS.items():
        if found := problem.match(why):
            return key, dict(found.groupdict())
    return "no_problem", {}

"""Hijri dates: the forms Saudi and Gulf papers print, Umm al-Qura conversions, refusals, and
that Gregorian dates read as before."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from search.ingest.dates import MAX_YEAR, MIN_YEAR, date_problem, parse_date
from search.ingest.hijri import format_hijri, hijri_period, hijri_problem, parse_hijri

D = dt.date

# Expected values are Umm al-Qura dates, checked against ICU's islamic-umalqura calendar (an
# independent table) from 1420 AH, when the calendar took its present rule; the reconstructions
# of earlier years differ by a day, and there the anchor is the historical date. The anchors
# are days every Saudi reader knows.
PRINTED = [
    # anchors: 1 Ramadan 1436 (Thursday), Eid al-Fitr 1436 (Friday), 1 Muharram 1437, and 1445
    ("الخميس 1 رمضان 1436هـ", D(2015, 6, 18)),
    ("الجمعة 1 شوال 1436 هـ", D(2015, 7, 17)),
    ("الأربعاء 1 محرم 1437هـ", D(2015, 10, 14)),
    ("1 المحرم 1437 هـ", D(2015, 10, 14)),
    ("الاثنين 1 رمضان 1445هـ", D(2024, 3, 11)),
    ("الأربعاء 1 شوال 1445هـ", D(2024, 4, 10)),
    ("الأحد 10 ذو الحجة 1445هـ", D(2024, 6, 16)),  # Eid al-Adha 1445
    ("الأحد 1 محرم 1446هـ", D(2024, 7, 7)),
    ("الثلاثاء 1 محرم 1400هـ", D(1979, 11, 20)),  # the Grand Mosque seizure
    # numeric, day first: with هـ or ه, spaces around the slashes, glued or apart
    ("2 / 6 / 1436هـ", D(2015, 3, 22)),
    ("7/10/1436هـ", D(2015, 7, 23)),
    ("21/10/1436 هـ", D(2015, 8, 6)),
    ("21-10-1436هـ", D(2015, 8, 6)),
    ("21.10.1436 ه", D(2015, 8, 6)),
    ("7/10/1436", D(2015, 7, 23)),  # no marker: the year is Hijri
    # numeric, year first (Al-Madina, Al-Yaum), and the ISO-like form
    ("الخميس 1436/10/21هـ", D(2015, 8, 6)),
    ("1436/10/07", D(2015, 7, 23)),
    ("1436-10-07 هـ", D(2015, 7, 23)),
    ("1436/1/1 هـ", D(2014, 10, 25)),
    # Arabic-Indic and Persian digits, Urdu heh, the words for "Hijri"
    ("١٤٣٦/١٠/٧ هـ", D(2015, 7, 23)),
    ("٢١ شوال ١٤٣٦هـ", D(2015, 8, 6)),
    ("۲۱/۱۰/۱۴۳۶ ه", D(2015, 8, 6)),
    ("21 شوال 1436ھ", D(2015, 8, 6)),
    ("21 شوال 1436 هجرية", D(2015, 8, 6)),
    ("1436/10/21 هجري", D(2015, 8, 6)),
    ("الأربعاء 1 محرم 1437 للهجرة", D(2015, 10, 14)),
    # month names and their spellings
    ("7 شوال 1436", D(2015, 7, 23)),
    ("الخميس 21 شوال 1436هـ", D(2015, 8, 6)),
    ("15 صفر 1436هـ", D(2014, 12, 7)),
    ("12 ربيع الأول 1436هـ", D(2015, 1, 3)),
    ("3 ربيع الاول 1436هـ", D(2014, 12, 25)),
    ("5 ربيع الآخر 1436هـ", D(2015, 1, 25)),
    ("5 ربيع الثاني 1436هـ", D(2015, 1, 25)),
    ("5 ربيع ثاني 1436", D(2015, 1, 25)),
    ("الثلاثاء 5 جمادى الأولى 1436هـ", D(2015, 2, 24)),
    ("5 جمادى الاولى 1436 هـ", D(2015, 2, 24)),
    ("5 جمادى الآخرة 1436هـ", D(2015, 3, 25)),
    ("5 جمادى الثانية 1436هـ", D(2015, 3, 25)),
    ("السبت 27 رجب 1436هـ", D(2015, 5, 16)),
    ("15 شعبان 1436هـ", D(2015, 6, 2)),
    ("5 ذو القعدة 1436هـ", D(2015, 8, 20)),
    ("5 ذي القعدة 1436 هـ", D(2015, 8, 20)),
    ("9 ذي الحجة 1436هـ", D(2015, 9, 22)),
    ("23-شوال-1436هـ", D(2015, 8, 8)),
    ("يوم الخميس، 21 شوال 1436هـ - 10:30 ص", D(2015, 8, 6)),
    # printed with the Gregorian date: that one is the answer
    ("الخميس 21 شوال 1436هـ الموافق 6 أغسطس 2015م", D(2015, 8, 6)),
    ("الخميس 21 شوال 1436 هـ - 6 أغسطس 2015 م", D(2015, 8, 6)),
    ("21 شوال 1436هـ (6 أغسطس 2015م)", D(2015, 8, 6)),
    ("21 شوال 1436هـ الموافق لـ 6 أغسطس 2015م", D(2015, 8, 6)),
    ("21/10/1436هـ الموافق 06/08/2015م", D(2015, 8, 6)),
    ("1436/10/21هـ - 2015/08/06م", D(2015, 8, 6)),
    ("6 أغسطس 2015م الموافق 21 شوال 1436هـ", D(2015, 8, 6)),
    # Eid al-Adha 1436: the Supreme Court's sighting put it a day after Umm al-Qura's date
    ("الخميس 10 ذو الحجة 1436هـ الموافق 24 سبتمبر 2015م", D(2015, 9, 24)),
    ("10 ذو الحجة 1436هـ", D(2015, 9, 23)),
]


@pytest.mark.parametrize(("text", "expected"), PRINTED)
def test_printed_forms(text: str, expected: dt.date) -> None:
    assert parse_hijri(text) == expected
    assert parse_date(text) == expected
    assert hijri_problem(text) is None


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("1 محرم 1300هـ", "Hijri year 1300 is outside the Umm al-Qura calendar (1343-1500 AH)"),
        ("1 شوال 1501هـ", "Hijri year 1501 is outside the Umm al-Qura calendar (1343-1500 AH)"),
        ("1/1/1342 هـ", "Hijri year 1342 is outside the Umm al-Qura calendar (1343-1500 AH)"),
        ("30/13/1436هـ", "Hijri month 13 does not exist"),
        ("30 رمضان 1436هـ", "Hijri day 30 does not exist: رمضان 1436 has 29 days in Umm al-Qura"),
        ("31/10/1436", "Hijri day 31 does not exist: شوال 1436 has 30 days in Umm al-Qura"),
        ("21/13/1436هـ الموافق 6/8/2015", "Hijri month 13 does not exist"),
    ],
)
def test_refused_with_a_reason(text: str, problem: str) -> None:
    assert parse_hijri(text) is None
    assert parse_date(text) is None
    assert hijri_problem(text) == date_problem(text) == problem


@pytest.mark.parametrize(
    "text",
    [
        "21 شوال",  # no year
        "21 شوال 36هـ",  # two-digit year
        "شوال 1436",  # a month, not a day
        "1436هـ",
        "1436/10/21 - 1436/10/22",  # two Hijri dates
        "21 شوال 1436هـ - العدد 17209",  # the other words are not a Gregorian date
        "21 شوال 1436هـ الموافق 32 أغسطس 2015م",
        "1/1/1300",  # not Hijri without a marker, and not a Gregorian year either
    ],
)
def test_refused_quietly(text: str) -> None:
    assert parse_hijri(text) is None
    assert parse_date(text) is None
    assert hijri_problem(text) is None


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("رمضان 1436", D(2015, 6, 18), D(2015, 7, 16)),
        ("رمضان 1436هـ", D(2015, 6, 18), D(2015, 7, 16)),
        ("شهر رمضان 1436 هـ", D(2015, 6, 18), D(2015, 7, 16)),
        ("1436-09h", D(2015, 6, 18), D(2015, 7, 16)),
        ("1436-09هـ", D(2015, 6, 18), D(2015, 7, 16)),
        ("9/1436هـ", D(2015, 6, 18), D(2015, 7, 16)),
        ("ذو الحجة 1436", D(2015, 9, 14), D(2015, 10, 13)),
        ("1436h", D(2014, 10, 25), D(2015, 10, 13)),
        ("1436هـ", D(2014, 10, 25), D(2015, 10, 13)),
        ("1436H", D(2014, 10, 25), D(2015, 10, 13)),
        ("ذو الحجة 1500هـ", D(2077, 10, 18), D(2077, 11, 16)),
    ],
)
def test_periods(text: str, first: dt.date, last: dt.date) -> None:
    assert hijri_period(text) == (first, last)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("1300h", "Hijri year 1300 is outside the Umm al-Qura calendar (1343-1500 AH)"),
        ("محرم 1501", "Hijri year 1501 is outside the Umm al-Qura calendar (1343-1500 AH)"),
        ("1436-13h", "Hijri month 13 does not exist"),
    ],
)
def test_period_refused_with_a_reason(text: str, problem: str) -> None:
    assert hijri_period(text) is None
    assert hijri_problem(text) == problem


def test_a_day_is_not_a_period() -> None:
    assert hijri_period("1 رمضان 1436هـ") is None
    assert hijri_period("1436-09-01h") is None


def test_format() -> None:
    assert format_hijri(D(2015, 8, 6)) == "21 شوال 1436 هـ"
    assert format_hijri(D(2024, 3, 11)) == "1 رمضان 1445 هـ"
    assert format_hijri(D(1924, 8, 1)) == "1 محرم 1343 هـ"
    assert format_hijri(D(2077, 11, 16)) == "30 ذو الحجة 1500 هـ"
    assert format_hijri(D(1924, 7, 31)) is None
    assert format_hijri(D(2077, 11, 17)) is None


@given(st.dates(min_value=D(1924, 8, 1), max_value=D(2077, 11, 16)))
def test_format_reads_back(day: dt.date) -> None:
    printed = format_hijri(day)
    assert printed is not None
    assert parse_hijri(printed) == day


@given(st.dates(min_value=D(MIN_YEAR, 1, 1), max_value=D(MAX_YEAR, 12, 31)))
def test_gregorian_dates_read_as_before(day: dt.date) -> None:
    for form in (
        day.isoformat(),
        f"{day:%Y-%m-%d %H:%M:%S}",
        f"{day.day}/{day.month}/{day.year}",
        f"{day:%d/%m/%Y}",
    ):
        assert parse_date(form) == day, form
        assert parse_hijri(form) is None, form
        assert date_problem(form) is None, form


@given(st.text())
def test_never_raises(text: str) -> None:
    parsed = parse_hijri(text)
    assert parsed is None or type(parsed) is dt.date
    problem = hijri_problem(text)
    assert problem is None or problem.startswith("Hijri ")
    period = hijri_period(text)
    assert period is None or period[0] <= period[1]

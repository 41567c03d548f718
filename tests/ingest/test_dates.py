"""parse_date: every form found in the real dumps, the Arabic month families, and refusals."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from search.ingest.dates import MAX_YEAR, MIN_YEAR, parse_date

D = dt.date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # SaudiNewsNet (crawl timestamps)
        ("2015-07-21 00:00:00", D(2015, 7, 21)),
        ("2015-07-21 10:12:00", D(2015, 7, 21)),
        # ANT v1.1: ISO with zone, a few without the time's colons, and day-first
        ("2017-01-20T21:43:00+01:00", D(2017, 1, 20)),
        ("2017-01-22T185600", D(2017, 1, 22)),
        ("21/01/2017", D(2017, 1, 21)),
        ("17/05/2015", D(2015, 5, 17)),
        # ANT v2.1: RFC 2822
        ("Thu, 28 Jun 2018 01:43:43 GMT", D(2018, 6, 28)),
        ("Sun, 18 Feb 2018 21:35:43 +0400", D(2018, 2, 18)),
        # the scraped page
        ("21st, October 2025 GMT", D(2025, 10, 21)),
        # other ISO and numeric forms
        ("2016-11-03T09:30:00Z", D(2016, 11, 3)),
        ("2016-11-03T09:30:00.123+03:00", D(2016, 11, 3)),
        ("2016-11-03", D(2016, 11, 3)),
        ("2015/07/21", D(2015, 7, 21)),
        ("21-01-2017", D(2017, 1, 21)),
        ("1/2/2017", D(2017, 2, 1)),
        ("21.01.2017", D(2017, 1, 21)),
        ("21/01/2017 14:05", D(2017, 1, 21)),
        ("  2015-07-21  ", D(2015, 7, 21)),
        # English month names
        ("October 21, 2025", D(2025, 10, 21)),
        ("21 Oct 2025", D(2025, 10, 21)),
        ("Tuesday, 21 October 2025", D(2025, 10, 21)),
        ("the 2nd of March 2020", D(2020, 3, 2)),
        ("Sept 9, 2019 at 10:00 pm", D(2019, 9, 9)),
        # Arabic month names, combined and with weekdays, times, markers
        ("4 ديسمبر/كانون الأول 2025", D(2025, 12, 4)),
        ("الخميس 4 ديسمبر/كانون الأول 2025", D(2025, 12, 4)),
        ("4 ديسمبر (كانون الأول) 2025", D(2025, 12, 4)),
        ("الخميس 4 ديسمبر 2025", D(2025, 12, 4)),
        ("يوم الخميس، 4 ديسمبر 2025 - 10:30 ص", D(2025, 12, 4)),
        ("4 ديسمبر 2025م", D(2025, 12, 4)),
        ("21 أكتوبر 2025", D(2025, 10, 21)),
        ("21 اكتوبر 2025", D(2025, 10, 21)),
        ("21 تشرين الأول 2025", D(2025, 10, 21)),
        ("21 تشرين الاول 2025", D(2025, 10, 21)),
        ("10 يناير/كانون الثاني 2016", D(2016, 1, 10)),
        ("الإثنين 3 أيار 2019", D(2019, 5, 3)),
        ("18 جانفي 2017", D(2017, 1, 18)),
        # Arabic-Indic and Persian digits
        ("٤ ديسمبر ٢٠٢٥", D(2025, 12, 4)),
        ("٢٠١٥-٠٧-٢١ ١٠:١٢:٠٠", D(2015, 7, 21)),
        ("۲۱/۰۱/۲۰۱۷", D(2017, 1, 21)),
    ],
)
def test_parses(text: str, expected: dt.date) -> None:
    assert parse_date(text) == expected


EGYPT_GULF = ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر",
              "أكتوبر", "نوفمبر", "ديسمبر"]  # fmt: skip
LEVANT_IRAQ = ["كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب", "أيلول",
               "تشرين الأول", "تشرين الثاني", "كانون الأول"]  # fmt: skip
TUNISIA_ALGERIA = ["جانفي", "فيفري", "مارس", "أفريل", "ماي", "جوان", "جويلية", "أوت", "سبتمبر",
                   "أكتوبر", "نوفمبر", "ديسمبر"]  # fmt: skip
MOROCCO = ["يناير", "فبراير", "مارس", "أبريل", "ماي", "يونيو", "يوليوز", "غشت", "شتنبر", "أكتوبر",
           "نونبر", "دجنبر"]  # fmt: skip
WITHOUT_HAMZA = ["يناير", "فبراير", "مارس", "ابريل", "مايو", "يونيه", "يوليه", "اغسطس", "ايلول",
                 "اكتوبر", "تشرين الثانى", "كانون الاول"]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "month"),
    [
        (name, month)
        for family in (EGYPT_GULF, LEVANT_IRAQ, TUNISIA_ALGERIA, MOROCCO, WITHOUT_HAMZA)
        for month, name in enumerate(family, 1)
    ],
)
def test_arabic_month_names(name: str, month: int) -> None:
    assert parse_date(f"5 {name} 2016") == D(2016, month, 5)


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        "   ",
        "4 ديسمبر",  # no year
        "October 2025",  # no day
        "October 21",  # no year
        "21 Oct 25",  # two-digit year: which century?
        "21/01/17",
        "31/02/2017",  # no such day
        "2015-02-30",
        "2015-13-01",
        "0000-00-00 00:00:00",
        "10/21/2025",  # month first: there is no month 21
        "4 ديسمبر/يناير 2025",  # two names that disagree
        "21 October 2025 - 22 October 2025",  # two dates
        "منذ 3 ساعات",  # "3 hours ago"
        "yesterday",
        "2015-07-21 garbage",
        "21 Octobre 2025",  # not a name we know
        "2025 4 ديسمبر",
    ],
)
def test_refuses(text: str | None) -> None:
    assert parse_date(text) is None


dates = st.dates(min_value=D(MIN_YEAR, 1, 1), max_value=D(MAX_YEAR, 12, 31))


@given(dates)
def test_round_trips_every_form(day: dt.date) -> None:
    forms = [
        day.isoformat(),
        f"{day:%Y-%m-%d %H:%M:%S}",
        f"{day.day}/{day.month}/{day.year}",
        f"{day:%d/%m/%Y}",
        f"{day:%a, %d %b %Y} 01:43:43 +0400",
        f"{day:%B} {day.day}, {day.year}",
        f"{day.day} {EGYPT_GULF[day.month - 1]}/{LEVANT_IRAQ[day.month - 1]} {day.year}",
        f"{day.day} {TUNISIA_ALGERIA[day.month - 1]} {day.year}",
    ]
    for form in forms:
        assert parse_date(form) == day, form


@given(st.text())
def test_never_raises(text: str) -> None:
    # None, or a real date within the years it accepts (never a guess outside them)
    parsed = parse_date(text)
    assert parsed is None or (type(parsed) is dt.date and MIN_YEAR <= parsed.year <= MAX_YEAR)


NUMERIC_FORMS = [
    "{d}/{m}/{y}",
    "{d:02d}/{m:02d}/{y}",
    "{d}-{m}-{y}",
    "{d:02d}.{m:02d}.{y}",
    "{y}-{m:02d}-{d:02d}",
    "{y}/{m:02d}/{d:02d}",
    "{y}-{m:02d}-{d:02d} 10:12:00",
]


@given(
    st.integers(0, 40),
    st.integers(0, 14),
    st.integers(MIN_YEAR - 99, MAX_YEAR + 100),  # 1500 and below are Hijri years
    st.sampled_from(NUMERIC_FORMS),
)
def test_numeric_dates_are_read_exactly_or_refused(
    day: int, month: int, year: int, form: str
) -> None:
    # Day 0 or 31/02, month 13, a year out of range: refused, never shifted into a real date.
    try:
        expected = dt.date(year, month, day) if MIN_YEAR <= year <= MAX_YEAR else None
    except ValueError:
        expected = None
    assert parse_date(form.format(d=day, m=month, y=year)) == expected

"""--since/--until with Hijri dates and periods select what their Gregorian equivalents select,
through the API and the command line; a Hijri date that does not exist is a usage error."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from search import QueryError, Searcher
from search.cli import main
from tests.conftest import MakeIndex

pytestmark = pytest.mark.usefixtures("engine")

# Around the end of Ramadan 1436 (29 days: 18 June - 16 July 2015) and Shawwal 1436 (30 days:
# 17 July - 15 August 2015), two dated as Gulf papers print them.
DATES = {
    "ramadan-1": "2015-06-18",
    "ramadan-29": "الخميس 29 رمضان 1436هـ",  # 2015-07-16
    "shawwal-1": "2015-07-17",
    "shawwal-2": "2/10/1436هـ",  # 2015-07-18
    "shawwal-30": "2015-08-15",
    "dhulqadah-1": "2015-08-16",
}


@pytest.fixture
def index(make_index: MakeIndex) -> Path:
    return make_index(
        {
            "id": id,
            "title": f"أسعار النفط {n}",
            "body": "تراجعت أسعار النفط في الأسواق العالمية.",
            "date": date,
        }
        for n, (id, date) in enumerate(DATES.items())
    )


def found(searcher: Searcher, since: str | None = None, until: str | None = None) -> set[str]:
    return {hit.id for hit in searcher.search("النفط", limit=100, since=since, until=until)}


def test_hijri_dates_filter_as_their_gregorian_days(index: Path) -> None:
    with Searcher(index) as searcher:
        since = found(searcher, since="1436-10-01h")
        assert since == found(searcher, since="2015-07-17")
        assert since == {"shawwal-1", "shawwal-2", "shawwal-30", "dhulqadah-1"}
        for spelling in ("1436-10-01هـ", "1/10/1436هـ", "1 شوال 1436"):
            assert found(searcher, since=spelling) == since, spelling

        until = found(searcher, until="رمضان 1436")
        assert until == found(searcher, until="2015-07-16")
        assert until == {"ramadan-1", "ramadan-29"}
        assert found(searcher, until="رمضان 1436هـ") == found(searcher, until="1436-09h") == until


def test_hijri_periods(index: Path) -> None:
    with Searcher(index) as searcher:
        shawwal = {"shawwal-1", "shawwal-2", "shawwal-30"}
        assert found(searcher, since="شوال 1436", until="شوال 1436") == shawwal
        assert found(searcher, since="2015-07-17", until="2015-08-15") == shawwal
        assert found(searcher, since="1436h", until="1436هـ") == set(DATES)
        assert found(searcher, since="1437h") == set()


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("1300h", "Hijri year 1300 is outside the Umm al-Qura calendar (1343-1500 AH)"),
        ("30 رمضان 1436", "Hijri day 30 does not exist: رمضان 1436 has 29 days in Umm al-Qura"),
        ("1436-13h", "Hijri month 13 does not exist"),
    ],
)
def test_impossible_hijri_date_is_a_query_error(index: Path, value: str, problem: str) -> None:
    with Searcher(index) as searcher, pytest.raises(QueryError) as error:
        searcher.search("النفط", since=value)
    assert error.value.message == f"since: '{value}' is not a date: {problem}"
    assert (error.value.option, error.value.value) == ("since", value)
    assert "1436-09-01h" in error.value.fix and "YYYY-MM-DD" in error.value.fix


def test_cli_takes_hijri_dates(index: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(
        main, ["search", "النفط", "--index", str(index), "--since", "1436-10-01h", "--json"]
    )
    assert result.exit_code == 0, result.output
    assert '"shawwal-1"' in result.stdout and '"ramadan-29"' not in result.stdout


def test_cli_bad_hijri_date_is_a_usage_error(index: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(
        main, ["search", "النفط", "--index", str(index), "--since", "1436-13-01h"]
    )
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "--since: '1436-13-01h' is not a date: Hijri month 13 does not exist" in result.stderr
    assert "1436-09h" in result.stderr  # the fix lists the Hijri spellings
    assert "Traceback" not in result.stderr

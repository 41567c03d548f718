"""A search that found nothing under filters says what it finds without each of them: the
API's ``without_filters``, and ``bahth search``'s line of options to drop."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from search import Article, Indexer, Searcher, SearchOptions, without_filters
from search.cli import main

pytestmark = pytest.mark.usefixtures("engine")

OIL = "النفط"


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("relaxing") / "index"
    articles = [
        Article(
            id=f"a{n}",
            title=f"أسعار النفط اليوم {n}",
            body="تراجعت أسعار النفط في الأسواق العالمية وسط ضعف الطلب.",
            date=dt.date(2015 + n % 3, 1 + n % 12, 1),
            source=("okaz", "alriyadh", "alwatan")[n % 3],
            category=("economy", "energy")[n % 2],
        )
        for n in range(30)
    ]
    Indexer(path, workers=1).add_articles(articles)
    return path


CASES = [
    SearchOptions(source="okaz", since="2016-01", until="2016-12"),  # okaz is 2015 only
    SearchOptions(source="okaz", category="energy", since="2017"),
    SearchOptions(source="alwatan", exact=True, since="2015", until="2015"),
]


@pytest.mark.parametrize("options", CASES)
def test_each_count_is_the_search_without_that_filter(index: Path, options: SearchOptions) -> None:
    with Searcher(index) as searcher:
        assert searcher.search(OIL, **options.arguments()).total == 0
        relaxed = without_filters(searcher, OIL, options)
        in_force = [
            n for n in ("since", "until", "source", "category", "exact") if getattr(options, n)
        ]
        assert [r.dropped for r in relaxed] == [*in_force, "all"]
        for r in relaxed:
            assert (
                r.options.page == 1
                and r.total == searcher.search(OIL, **r.options.arguments()).total
            )
            kept = {n for n in in_force if getattr(r.options, n)}
            assert kept == (set() if r.dropped == "all" else set(in_force) - {r.dropped})
        assert relaxed[-1].total == searcher.search(OIL).total > 0


def test_nothing_to_relax_without_filters_or_with_results(index: Path) -> None:
    with Searcher(index) as searcher:
        assert without_filters(searcher, "زيلينسكي", SearchOptions()) == []
        one = SearchOptions(source="okaz")
        [alone] = without_filters(searcher, "زيلينسكي", one)  # one filter: no "all" line
        assert (alone.dropped, alone.value, alone.total) == ("source", "okaz", 0)
        assert dataclasses.replace(alone.options, source="okaz") == one


def test_the_command_names_the_options_to_drop(index: Path) -> None:
    arguments = ["search", OIL, "--index", str(index), "--source", "okaz", "--since", "2016-01"]
    result = CliRunner().invoke(main, [*arguments, "--until", "2016-12"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"No results for '{OIL}'."
    with Searcher(index) as searcher:
        options = SearchOptions(source="okaz", since="2016-01", until="2016-12")
        totals = [r.total for r in without_filters(searcher, OIL, options)]
    assert lines[1] == (
        f"Without --since 2016-01: {totals[0]} results; without --until 2016-12: {totals[1]}; "
        f"without --source okaz: {totals[2]}; without any filter: {totals[3]}."
    )
    document = CliRunner().invoke(main, [*arguments, "--until", "2016-12", "--json"]).stdout
    assert "Without" not in document  # text only: JSON has the filters as given

"""source: and category: typed in a query filter exactly as the options do."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from search import QueryError, Searcher
from search.cli import main

pytestmark = pytest.mark.usefixtures("engine")

QUERIES = ["بوتين", "روسيا", "النفط", "الحكومة", "المياه", "الرئيس", "غزة", "الاقتصاد"]


def field(name: str, value: str) -> str:
    return f'{name}:"{value}"' if " " in value else f"{name}:{value}"


def answer(searcher: Searcher, query: str, **options: object) -> tuple[object, ...]:
    results = searcher.search(query, limit=50, **options)  # type: ignore[arg-type]
    hits = [(h.id, h.score, h.partial) for h in results.hits]
    return results.total, results.total_all_words, hits


@pytest.mark.parametrize("name", ["source", "category"])
def test_a_field_in_the_query_gives_what_the_option_gives(
    seeds_searcher: Searcher, name: str
) -> None:
    stats = seeds_searcher.stats()
    values = [label for label, _ in (stats.sources if name == "source" else stats.categories)]
    assert len(values) >= 3
    checked = 0
    for value in values:
        for query in QUERIES:
            typed = answer(seeds_searcher, f"{query} {field(name, value)}")
            assert typed == answer(seeds_searcher, query, **{name: value}), (query, value)
            checked += bool(typed[0])
    assert checked >= 5  # the invariant held on queries that found something


def test_a_field_alone_lists_its_articles_newest_first(seeds_searcher: Searcher) -> None:
    stats = seeds_searcher.stats()
    for label, articles in stats.sources:
        results = seeds_searcher.search(field("source", label), limit=50)
        assert results.total == articles
        assert {h.source for h in results.hits} == {label}
        days = [h.date for h in results.hits if h.date]
        assert days == sorted(days, reverse=True)  # every score ties: newest first
    alone = seeds_searcher.search("source:skynews -بوتين", limit=50)
    with_putin = seeds_searcher.search("بوتين", source="skynews", limit=50)
    assert alone.total == dict(stats.sources)["skynews"] - with_putin.total


def test_a_field_inside_or_or_twice_stays_part_of_the_query(seeds_searcher: Searcher) -> None:
    either = seeds_searcher.search("source:skynews OR source:bbc", limit=50)
    assert {h.source for h in either.hits} == {"skynews", "bbc"}
    assert seeds_searcher.search("source:skynews source:bbc", match="all").total == 0


def test_unknown_and_conflicting_fields_are_query_errors(seeds_searcher: Searcher) -> None:
    with pytest.raises(QueryError, match="source:nowhere in the query is not a source") as error:
        seeds_searcher.search("بوتين source:nowhere")
    assert "skynews" in error.value.fix and error.value.option is None
    with pytest.raises(QueryError, match="source 'bbc' conflicts with source:skynews") as error:
        seeds_searcher.search("بوتين source:skynews", source="bbc")
    assert error.value.option == "source"
    same = seeds_searcher.search("بوتين source:skynews", source="SkyNews")
    assert same.total == seeds_searcher.search("بوتين", source="skynews").total


def test_the_command_filters_by_a_typed_field(seeds_index: Path) -> None:
    runner = CliRunner()

    def ids(*args: str) -> list[str]:
        result = runner.invoke(main, ["search", *args, "--index", str(seeds_index), "--json"])
        assert result.exit_code == 0, result.output
        return [hit["id"] for hit in json.loads(result.stdout)["hits"]]

    assert ids("بوتين source:skynews") == ids("بوتين", "--source", "skynews")
    refused = runner.invoke(main, ["search", "بوتين source:nowhere", "--index", str(seeds_index)])
    assert refused.exit_code == 2
    assert "source:nowhere in the query is not a source of this index" in refused.stderr

"""source:, category:, since: and until: typed in a query filter exactly as the options do, in
the API, the command and the web page."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from search import QueryError, Searcher
from search.cli import main
from search.filters import lift_filters, split_filters, written
from search.options import SearchOptions
from search.periods import DATE_FORMS
from search.query import parse
from search.web import create_app
from search.web.params import encode
from tests.web.conftest import build_oil_index, parse_html

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


# --- since: and until: -------------------------------------------------------------------------

# The seeds run from 2024-08 to 2025-10: Gregorian and Hijri days, months and years, and a
# period written as a phrase.
DATES = [
    ("2025", None),
    (None, "2024-12"),
    ("2024-12-15", "2025-02-28"),
    ("01/2025", "1/3/2025"),
    ("1446h", None),
    (None, "رجب 1446"),
    ("1446-06-01هـ", "1446-08h"),
]


@pytest.mark.parametrize(("since", "until"), DATES)
def test_a_date_in_the_query_gives_what_the_option_gives(
    seeds_searcher: Searcher, since: str | None, until: str | None
) -> None:
    typed = " ".join(
        written(name, value) for name, value in (("since", since), ("until", until)) if value
    )
    checked = 0
    for query in QUERIES:
        options = {"since": since, "until": until}
        wanted = answer(seeds_searcher, query, **options)
        assert answer(seeds_searcher, f"{query} {typed}") == wanted, (query, typed)
        assert answer(seeds_searcher, f"{typed} {query}") == wanted  # anywhere at the top
        checked += bool(wanted[0])
    assert checked >= 2
    scanned = [h.id for h in seeds_searcher.scan(f"بوتين {typed}")]
    assert scanned == [h.id for h in seeds_searcher.scan("بوتين", since=since, until=until)]


def test_dates_alone_list_the_articles_of_their_period(seeds_searcher: Searcher) -> None:
    results = seeds_searcher.search("since:2025-01 until:2025-03", limit=50)
    days = [h.date for h in results.hits]
    assert results.total == len(days) >= 3
    assert all(d and dt.date(2025, 1, 1) <= d <= dt.date(2025, 3, 31) for d in days)
    by_source = sum(
        seeds_searcher.search(written("source", label), since="2025-01", until="2025-03").total
        for label, _ in seeds_searcher.stats().sources
    )
    assert by_source == results.total


def test_a_field_and_an_option_together(seeds_searcher: Searcher) -> None:
    # The field narrows what the other option leaves; the same day in two spellings agrees.
    both = answer(seeds_searcher, "بوتين since:2025", until="2025-02")
    assert both == answer(seeds_searcher, "بوتين", since="2025", until="2025-02")
    assert answer(seeds_searcher, "بوتين since:2025-01", since="2025-01-01") == answer(
        seeds_searcher, "بوتين", since="2025-01"
    )
    assert answer(seeds_searcher, "بوتين until:2025", until="2025-12-31") == answer(
        seeds_searcher, "بوتين", until="2025"
    )


@pytest.mark.parametrize(
    ("query", "options", "message", "option"),
    [
        ("بوتين since:2015-13", {}, "since:2015-13 in the query is not a date", None),
        ('بوتين until:"31 فبراير 2025"', {}, 'until:"31 فبراير 2025" in the query is not', None),
        ("بوتين since:2025*", {}, "since:2025* in the query is not a date", None),
        ("بوتين since:2025", {"since": "2024"}, "since '2024' conflicts with since:2025", "since"),
        ("بوتين until:2025-01", {"until": "2025"}, "until '2025' conflicts with", "until"),
        ("بوتين since:2025 until:2024", {}, "since 2025-01-01 is after until 2024-12-31", None),
        ("بوتين since:2025", {"until": "2024"}, "since 2025-01-01 is after until", None),
        ("بوتين since:2024 since:2025", {}, "since: is given 2 times in the query", None),
        ("بوتين OR since:2025", {}, "since:2025 in the query is negated or inside OR", None),
        ("بوتين -until:2025", {}, "until:2025 in the query is negated or inside OR", None),
        ("بوتين NOT (روسيا until:2025)", {}, "until:2025 in the query is negated or", None),
    ],
)
def test_a_wrong_date_field_is_a_query_error_about_the_query(
    seeds_searcher: Searcher,
    query: str,
    options: dict[str, str],
    message: str,
    option: str | None,
) -> None:
    with pytest.raises(QueryError) as error:
        seeds_searcher.search(query, **options)  # type: ignore[arg-type]
    assert error.value.message.startswith(message), error.value.message
    assert error.value.option == option and error.value.fix
    if "not a date" in message:
        assert error.value.fix == DATE_FORMS  # the forms, as for --since
    with pytest.raises(QueryError, match=re.escape(message)):
        list(seeds_searcher.scan(query, **options))  # type: ignore[arg-type]


def test_the_command_filters_by_a_typed_date(seeds_index: Path) -> None:
    runner = CliRunner()

    def ids(*args: str) -> list[str]:
        result = runner.invoke(main, ["search", *args, "--index", str(seeds_index), "--json"])
        assert result.exit_code == 0, result.output
        document = json.loads(result.stdout)
        return [document["query"], *(hit["id"] for hit in document["hits"])]

    typed = ids("بوتين since:2025 until:1446h")
    assert typed[0] == "بوتين since:2025 until:1446h"  # the JSON says the query as typed
    assert typed[1:] == ids("بوتين", "--since", "2025", "--until", "1446h")[1:]
    assert len(typed) > 1
    refused = runner.invoke(main, ["search", "بوتين since:2015-13", "--index", str(seeds_index)])
    assert refused.exit_code == 2
    assert "since:2015-13 in the query is not a date" in refused.stderr
    clash = ["search", "بوتين since:2025", "--since", "2024", "--index", str(seeds_index)]
    refused = runner.invoke(main, clash)
    assert refused.exit_code == 2
    assert "--since '2024' conflicts with since:2025 in the query" in refused.stderr


# --- taking the fields out of the text, for the web page's form ---------------------------------


@pytest.mark.parametrize(
    ("query", "text", "values"),
    [
        ("النفط since:2015-08 until:2015-09", "النفط", {"since": "2015-08", "until": "2015-09"}),
        ('since:"رمضان 1436" النفط', "النفط", {"since": "رمضان 1436"}),
        ("Source:okaz النفط -الغاز", "النفط -الغاز", {"source": "okaz"}),
        ('"سوق النفط" category:energy (أوبك OR الغاز)', '"سوق النفط" (أوبك OR الغاز)',
         {"category": "energy"}),
        # a source: in a group stays, the one at the top is taken out
        ("source:okaz (النفط OR source:alwatan)", "(النفط OR source:alwatan)", {"source": "okaz"}),
        # nothing left to search but exclusions and filters: the query as it is
        ("source:okaz -النفط", "source:okaz -النفط", {}),
        ("since:2015", "since:2015", {}),
        ("النفط OR source:okaz", "النفط OR source:okaz", {}),
        ("النفط (", "النفط (", {}),
    ],
)  # fmt: skip
def test_split_filters_leaves_the_same_search(
    query: str, text: str, values: dict[str, str]
) -> None:
    assert split_filters(query) == (text, values)
    if values:
        assert lift_filters(parse(text))[0] == lift_filters(parse(query))[0]


@pytest.fixture(scope="module")
def oil_client(tmp_path_factory: pytest.TempPathFactory, engine: str) -> Iterator[TestClient]:
    with TestClient(create_app(build_oil_index(tmp_path_factory.mktemp("oil")))) as client:
        yield client


def test_the_page_shows_the_typed_filters_as_its_own(oil_client: TestClient) -> None:
    def shown(params: dict[str, str]) -> tuple[dict[str, str], list[str], list[str], list[str]]:
        response = oil_client.get("/search", params=params)
        assert response.status_code == 200, response.text
        root = parse_html(response.text)
        fields = {i.attrs.get("name", ""): i.attrs.get("value", "") for i in root.find_all("input")}
        for select in root.find_all("select"):
            chosen = [o for o in select.find_all("option") if "selected" in o.attrs]
            fields[select.attrs["name"]] = chosen[0].attrs["value"] if chosen else ""
        chips = [chip.attrs["href"] for chip in root.find_all("a", "chip")]
        links = [a.attrs.get("href", "") for a in root.find_all("a")]
        return fields, chips, [x for x in links if x.startswith("/article/")], links

    fields, chips, hits, links = shown({"q": "النفط since:2015-03 source:okaz"})
    assert (fields["q"], fields["since"], fields["source"]) == ("النفط", "2015-03", "okaz")
    # A chip for each, whose link drops it and keeps the other.
    assert sorted(chips) == sorted(
        [f"/search?{encode('النفط', SearchOptions(source='okaz'))}",
         f"/search?{encode('النفط', SearchOptions(since='2015-03'))}"]
    )  # fmt: skip
    assert hits and hits == shown({"q": "النفط", "since": "2015-03", "source": "okaz"})[2]
    # Each link of the page (chips, facets, pages) searches within the filters, with no clash
    # between a field and an option.
    for href in links:
        if href.startswith("/search?"):
            assert oil_client.get(href).status_code == 200, href
    # A query of filters and exclusions alone stays as typed, and still filters.
    fields, chips, hits, _ = shown({"q": "source:okaz -أوبك"})
    assert fields["q"] == "source:okaz -أوبك" and fields["source"] == "" and hits and not chips


def test_the_api_filters_by_typed_fields_and_says_the_query_as_typed(
    oil_client: TestClient,
) -> None:
    typed = oil_client.get("/api/search", params={"q": "النفط since:2015-06 until:2015-08"}).json()
    given = oil_client.get(
        "/api/search", params={"q": "النفط", "since": "2015-06", "until": "2015-08"}
    ).json()
    assert typed["query"] == "النفط since:2015-06 until:2015-08"
    assert typed["total"] == given["total"] > 0
    assert [h["id"] for h in typed["hits"]] == [h["id"] for h in given["hits"]]
    refused = oil_client.get("/api/search", params={"q": "النفط since:2015-13"})
    assert refused.status_code == 400
    assert "since:2015-13 in the query is not a date" in refused.json()["error"]["message"]
    page = oil_client.get("/search", params={"q": "النفط since:2015-13", "lang": "en"})
    assert page.status_code == 400 and "since:2015-13 in the query is not a date" in page.text

"""The timeline on a real index: the results page's chart (each bar a link that, followed,
counts what the bar shows; its table the facets' figures, gaps included) and ``bahth search
--timeline``'s text bars and JSON series, the same figures."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from search import Article, Indexer
from search.cli import main
from search.web import create_app
from search.web.guards import SECURITY_HEADERS
from tests.web.conftest import Element, parse_html

pytestmark = pytest.mark.usefixtures("engine")

QUAKE, STRONG, VOLCANO, UNDATED = "زلزال", "قوي", "بركان", "مجهول"
# (date, source, words): زلزال in January, March and June 2015 (none in between), some قوي too;
# بركان over five years (years, with empty ones); one undated زلزال, which no bar counts.
PLANTED: list[tuple[dt.date | None, str, str]] = [
    (dt.date(2015, 1, 3), "alpha", f"{QUAKE} {STRONG}"),
    (dt.date(2015, 1, 17), "beta", QUAKE),
    (dt.date(2015, 1, 30), "alpha", QUAKE),
    (dt.date(2015, 3, 9), "beta", f"{QUAKE} {STRONG}"),
    (dt.date(2015, 3, 21), "alpha", QUAKE),
    (dt.date(2015, 6, 2), "<b>evil</b>", QUAKE),
    (None, "alpha", f"{QUAKE} {UNDATED}"),
    (dt.date(2011, 5, 1), "alpha", VOLCANO),
    (dt.date(2013, 2, 10), "beta", VOLCANO),
    (dt.date(2013, 2, 11), "alpha", f"{VOLCANO} {STRONG}"),
    (dt.date(2016, 9, 30), "beta", VOLCANO),
]
FILLER = ("سجلت", "المراصد", "هزة", "في", "المنطقة", "صباح", "اليوم", "وقالت", "السلطات")


def planted() -> list[Article]:
    articles = []
    for n, (date, source, words) in enumerate(PLANTED):
        filler = " ".join(FILLER[(n + i) % len(FILLER)] for i in range(6))  # no two alike
        articles.append(
            Article(
                id=f"t-{n:02d}",
                title=f"خبر رقم {n}",
                body=f"{filler} {words} {n}.",
                date=date,
                source=source,
                category="science",
            )
        )
    return articles


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("timeline") / "index"
    Indexer(path, workers=1).add_articles(planted())
    return path


@pytest.fixture(scope="module")
def client(index: Path) -> Iterator[TestClient]:
    with TestClient(create_app(index)) as test_client:
        yield test_client


def page(client: TestClient, url: str) -> Element:
    response = client.get(url)
    assert response.status_code == 200, response.text[-2000:]
    return parse_html(response.text)


def api(client: TestClient, query_string: str) -> dict[str, object]:
    response = client.get(f"/api/search?{query_string}&facets=1")
    assert response.status_code == 200, response.text
    document: dict[str, object] = response.json()
    return document


def month_facet(document: dict[str, object]) -> dict[str, int]:
    facets = document["facets"]
    assert isinstance(facets, dict)
    return {entry["value"]: entry["count"] for entry in facets["month"]}


def chart_bars(root: Element) -> list[tuple[str, int, str | None]]:
    """The chart's bars in date order: (period, count, the link or None for an empty one)."""
    [svg] = root.find_all("svg", "timeline-chart")
    bars = []
    for element in svg.children:
        if element.tag in ("a", "rect") and element.attrs.get("class") != "target":
            tip = element.find("title").text  # "2015-01: 3"
            period, _, count = tip.partition(": ")
            href = element.attrs["href"] if element.tag == "a" else None
            bars.append((period, int(count.replace(",", "")), href))
    return bars


def table_rows(root: Element) -> list[tuple[str, int]]:
    table = root.find("details", "timeline-table").find("table")
    rows = table.find("tbody").find_all("tr")
    return [
        (row.find("th").text.strip(), int(row.find("td").text.replace(",", ""))) for row in rows
    ]


def months(first: str, last: str) -> list[str]:
    year, month = map(int, first.split("-"))
    found = []
    while f"{year:04d}-{month:02d}" <= last:
        found.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


# --- the page -------------------------------------------------------------------------------------

SEARCHES = [
    f"q={QUAKE}",  # months, with two gaps
    f"q={QUAKE}+{STRONG}",  # the bars count the articles with all the words
    f"q={VOLCANO}",  # over 36 months: years
    f"q={QUAKE}&since=2015-01-15&until=2015-05",  # the first bar cut by the filter, May empty
    f"q={QUAKE}&source=%3Cb%3Eevil%3C%2Fb%3E",  # a filter kept, its value escaped
]


@pytest.mark.parametrize("search", SEARCHES)
def test_the_chart_and_its_table_are_the_facets_with_the_gaps_filled(
    client: TestClient, search: str
) -> None:
    root = page(client, f"/search?{search}&lang=ar")
    facet = month_facet(api(client, search))
    bars = chart_bars(root)
    assert [(period, count) for period, count, _ in bars] == table_rows(root)
    assert sum(count for _, count, _ in bars) == sum(facet.values())  # every dated match, once
    shown = [period for period, _, _ in bars]
    if len(shown[0]) == 4:  # years
        first, last = min(facet)[:4], max(facet)[:4]
        assert shown == [str(year) for year in range(int(first), int(last) + 1)]
        for period, count, _ in bars:
            assert count == sum(c for m, c in facet.items() if m.startswith(period))
    else:
        assert shown[0] <= min(facet) and shown[-1] >= max(facet)
        assert shown == months(shown[0], shown[-1])
        assert {p: c for p, c, _ in bars if c} == facet
    for _, count, href in bars:
        assert (href is None) == (count == 0)  # an empty period links nowhere


def test_the_months_show_the_gaps_and_the_undated_article_is_in_no_bar(
    client: TestClient,
) -> None:
    root = page(client, f"/search?q={QUAKE}")
    assert table_rows(root) == [
        ("2015-01", 3), ("2015-02", 0), ("2015-03", 2), ("2015-04", 0), ("2015-05", 0),
        ("2015-06", 1),
    ]  # fmt: skip
    assert api(client, f"q={QUAKE}")["total"] == 7  # 6 dated, 1 not
    volcano = table_rows(page(client, f"/search?q={VOLCANO}"))
    assert volcano == [("2011", 1), ("2012", 0), ("2013", 2), ("2014", 0), ("2015", 0), ("2016", 1)]


@pytest.mark.parametrize("search", SEARCHES)
def test_following_a_bar_counts_what_the_bar_shows(client: TestClient, search: str) -> None:
    asked = parse_qs(search)
    for period, count, href in chart_bars(page(client, f"/search?{search}")):
        if href is None:
            continue
        url = urlsplit(href)
        followed = parse_qs(url.query)
        assert followed["q"] == asked["q"] and followed.get("source") == asked.get("source")
        assert followed["since"][0] in (period, *asked.get("since", []))
        assert followed["until"][0] in (period, *asked.get("until", []))
        document = api(client, url.query)
        assert document["total_all_words"] == count, (period, href)
        assert sum(month_facet(document).values()) == count
        there = table_rows(page(client, href))  # the page it leads to draws the same count
        assert sum(c for _, c in there) == count


def test_a_filter_cutting_a_period_is_kept_in_its_link(client: TestClient) -> None:
    bars = chart_bars(page(client, f"/search?q={QUAKE}&since=2015-01-15&until=2015-05"))
    assert [(p, c) for p, c, _ in bars] == [
        ("2015-01", 2), ("2015-02", 0), ("2015-03", 2), ("2015-04", 0), ("2015-05", 0)
    ]  # fmt: skip
    first = parse_qs(urlsplit(bars[0][2] or "").query)
    assert (first["since"], first["until"]) == (["2015-01-15"], ["2015-01"])


def test_the_chart_is_an_accessible_image_the_page_policy_allows(client: TestClient) -> None:
    response = client.get(f"/search?q={QUAKE}&source=%3Cb%3Eevil%3C%2Fb%3E")
    policy = response.headers["content-security-policy"]
    assert policy == SECURITY_HEADERS["content-security-policy"] and "script-src" not in policy
    figure = parse_html(response.text).find("figure", "timeline")
    [svg] = figure.find_all("svg")
    assert svg.attrs["role"] == "img" and svg.attrs["width"] == "100%"
    assert svg.attrs["aria-labelledby"] == svg.find("title").attrs["id"]
    assert svg.find("title").text.strip()
    chart = response.text[response.text.index("<svg") : response.text.index("</svg>")]
    assert "<b>" not in chart and "style=" not in chart and "<script" not in chart
    assert figure.find("details", "timeline-table").find("table").find_all("th", None)


def test_no_dated_match_draws_no_chart(client: TestClient) -> None:
    root = page(client, f"/search?q={UNDATED}")
    assert not root.find_all("figure", "timeline")


# --- the command ---------------------------------------------------------------------------------


def bahth(*args: str | Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result.exit_code, result.output


@pytest.mark.parametrize("search", SEARCHES)
def test_the_command_prints_the_pages_figures(client: TestClient, index: Path, search: str) -> None:
    asked = {k: v[0] for k, v in parse_qs(search).items()}
    options = [f"--{name}={value}" for name, value in asked.items() if name != "q"]
    rows = table_rows(page(client, f"/search?{search}"))
    code, out = bahth("search", asked["q"], "--index", index, "--timeline", *options)
    assert code == 0, out
    heading = "Matches a year:" if len(rows[0][0]) == 4 else "Matches a month:"
    lines = out.split(heading + "\n", 1)[1].splitlines()
    assert [(line.split()[0], int(line.split()[-1])) for line in lines] == rows
    assert "Months:" not in out and "Sources:" not in out  # no facets unless asked

    code, out = bahth("search", asked["q"], "--index", index, "--timeline", "--json", *options)
    assert code == 0, out
    document = json.loads(out)
    series = document["timeline"]["series"]
    assert [(bar["period"], bar["count"]) for bar in series] == rows
    assert document["timeline"]["total"] == sum(count for _, count in rows)
    assert document["facets"] is None
    assert list(document)[-2:] == ["timeline", "hits"]


def test_the_command_with_facets_prints_the_timeline_once(index: Path) -> None:
    code, out = bahth("search", QUAKE, "--index", index, "--timeline", "--facets")
    assert code == 0, out
    assert "Sources:" in out and "Months:" not in out and out.count("Matches a month:") == 1
    code, out = bahth("search", QUAKE, "--index", index, "--timeline", "--json", "--all")
    assert code == 0, out
    assert json.loads(out)["timeline"]["total"] == 6


def test_the_timeline_is_not_for_csv_or_html(index: Path) -> None:
    for output in ("--csv", "--html"):
        code, out = bahth("search", QUAKE, "--index", index, "--timeline", output)
        assert code == 2 and f"not for {output}" in out

"""A page past the deepest hit a search pages to is refused with the real figures: the last page
when the page is past it, the limit only when the search has more hits than pages reach; through
the API, the command, the web page and the JSON API alike."""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from search import QueryError, Searcher
from search.cli import main
from search.options import MAX_DEPTH, page_error, past_depth
from search.web import create_app
from tests.web.conftest import build_oil_index

pytestmark = pytest.mark.usefixtures("engine")

OIL = "النفط"


def refused(searcher: Searcher, query: str = OIL, **options: object) -> QueryError:
    with pytest.raises(QueryError) as error:
        searcher.search(query, **options)  # type: ignore[arg-type]
    assert error.value.option == "page" and error.value.value == options["page"]
    return error.value


@pytest.mark.parametrize(("page", "limit"), [(2_000, 10), (11, 1_000), (10_001, 1), (1_001, 10)])
def test_a_page_past_the_last_says_the_last(
    seeds_searcher: Searcher, page: int, limit: int
) -> None:
    total = seeds_searcher.search(OIL).total
    last = math.ceil(total / limit)
    error = refused(seeds_searcher, page=page, limit=limit)
    assert error.message == (
        f"page {page:,} is past the last page, {last} ({total} results, {limit:,} a page)"
    )
    assert error.fix == f"Ask for page {last} or before"
    assert seeds_searcher.search(OIL, page=last, limit=limit).hits  # which is there


def test_the_figures_count_what_the_pages_list(seeds_searcher: Searcher) -> None:
    # One hit per story: pages count stories. All the words: only full matches.
    stories = seeds_searcher.search("بوتين", collapse=True).stories
    assert stories
    error = refused(seeds_searcher, "بوتين", page=5_000, collapse=True)
    assert error.message.endswith(f"({stories} stories, 10 a page)")
    words = seeds_searcher.search("بوتين المفاوضات", match="all").total
    assert words < seeds_searcher.search("بوتين المفاوضات").total  # auto fills with partials
    error = refused(seeds_searcher, "بوتين المفاوضات", page=5_000, match="all")
    assert f"({words} results, 10 a page)" in error.message
    error = refused(seeds_searcher, "بوتين", page=5_000, since="2099")
    assert error.message == "page 5,000 is past the last page, 1 (no results)"
    error = refused(seeds_searcher, "بوتين", page=10**40)
    assert error.message.startswith("page: a page number of about 41 digits is past the last")


def test_a_page_within_the_deepest_is_still_empty_with_the_totals(
    seeds_searcher: Searcher,
) -> None:
    results = seeds_searcher.search(OIL, page=MAX_DEPTH // 10)
    assert results.hits == [] and results.total == seeds_searcher.search(OIL).total
    assert not past_depth(MAX_DEPTH // 10, 10) and past_depth(MAX_DEPTH // 10 + 1, 10)


@pytest.mark.parametrize(
    ("page", "limit", "listed", "message"),
    [
        (2_000, 10, 1_001, "page 2,000 is past the last page, 101 (1,001 results, 10 a page)"),
        (2, 10_000, 1, "page 2 is past the last page, 1 (1 result, 10,000 a page)"),
        # More hits than pages reach: the limit is what stops the page, said with the figures.
        (1_001, 10, 72_716, "page 1,001 of 10 hits goes past hit 10,000, the deepest a search "
         "pages to; it has 72,716 results"),
        (9_000, 10, 72_716, "page 9,000 of 10 hits goes past hit 10,000"),
        # Page 3,334 of 3 holds hit 10,000, the last; it reaches past it all the same.
        (3_334, 3, 10_000, "page 3,334 of 3 hits goes past hit 10,000"),
        (3_335, 3, 10_000, "page 3,335 is past the last page, 3,334 (10,000 results, 3 a page)"),
    ],
)  # fmt: skip
def test_page_error_says_which_limit_stops_a_page(
    page: int, limit: int, listed: int, message: str
) -> None:
    assert page_error(page, limit, listed).message.startswith(message)


def test_the_command_says_the_last_page(seeds_index: Path, seeds_searcher: Searcher) -> None:
    total = seeds_searcher.search(OIL).total
    runner = CliRunner()
    result = runner.invoke(main, ["search", OIL, "--page", "2000", "--index", str(seeds_index)])
    assert result.exit_code == 2, result.output
    assert f"--page 2,000 is past the last page, 1 ({total} results, 10 a page)" in result.stderr
    assert "Ask for page 1 or before" in result.stderr
    asked = ["search", OIL, "--page", "500", "--json", "--index", str(seeds_index)]
    within = runner.invoke(main, asked)
    assert within.exit_code == 0 and '"hits": []' in within.stdout  # within the deepest


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory, engine: str) -> Iterator[TestClient]:
    with TestClient(create_app(build_oil_index(tmp_path_factory.mktemp("oil")))) as client:
        yield client


def test_the_page_and_the_json_api_say_the_last_page(client: TestClient) -> None:
    total = client.get("/api/search", params={"q": OIL}).json()["total"]
    said = f"page 2,000 is past the last page, {math.ceil(total / 10)} ({total} results, 10 a page)"
    response = client.get("/search", params={"q": OIL, "page": "2000", "lang": "en"})
    assert response.status_code == 400 and said in response.text
    assert "goes past hit" not in response.text
    error = client.get("/api/search", params={"q": OIL, "page": "2000"}).json()["error"]
    assert error["message"] == said and error["parameter"] == "page"
    within = client.get("/api/search", params={"q": OIL, "page": "900"}).json()
    assert within["hits"] == [] and within["total"] == total

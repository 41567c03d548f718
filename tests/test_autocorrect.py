"""Autocorrect (issue 25): when the corrected query finds clearly more than the typed one, the
search runs it and says so, in the API, the CLI's text, JSON and HTML, and the web page; the
query as typed stays one option (``autocorrect=False``, ``--no-autocorrect``,
``autocorrect=0``) away. On both engines, over indexes of articles written here."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from click.testing import CliRunner

from search import Article, Indexer, Searcher
from search.cli import main

pytestmark = pytest.mark.usefixtures("engine")

EMIRATES = "أعلنت وزارة الصحة في الإمارات اليوم عن حملة جديدة للتطعيم في المدارس"


def corpus() -> list[Article]:
    """110 articles on the Emirates' ministry of health, and 3 on "the matter" (الأمر), which
    the slip الامرات finds through its stem (امر) though no article writes it."""
    articles = [
        Article(id=f"uae-{i}", title=f"حملة التطعيم رقم {i}", body=EMIRATES) for i in range(110)
    ]
    articles += [
        Article(id=f"matter-{i}", title="رأي", body="قال الكاتب إن الأمر يتعلق بالاقتصاد")
        for i in range(3)
    ]
    return articles


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory, engine: str) -> Path:
    path = tmp_path_factory.mktemp(f"autocorrect-{engine}") / "index"
    assert Indexer(path).add_articles(corpus()).added == 113
    return path


@pytest.fixture(scope="module")
def searcher(index: Path) -> Iterator[Searcher]:
    with Searcher(index) as searcher:
        yield searcher


# --- the API ---------------------------------------------------------------------------------


def test_a_transposition_is_corrected_and_searched(searcher: Searcher) -> None:
    results = searcher.search("وزراة الصحة")
    assert (results.query, results.corrected_from) == ("وزارة الصحة", "وزراة الصحة")
    assert results.suggestion is None
    assert results.total_all_words == 110


def test_the_typed_query_that_finds_a_few_unrelated_articles_is_corrected(
    searcher: Searcher,
) -> None:
    typed = searcher.search("الامرات", autocorrect=False)
    assert {hit.id for hit in typed} == {f"matter-{i}" for i in range(3)}  # through امر
    assert typed.suggestion == "الإمارات" and typed.corrected_from is None
    results = searcher.search("الامرات")
    assert (results.query, results.corrected_from, results.total) == ("الإمارات", "الامرات", 110)
    assert all(hit.id.startswith("uae-") for hit in results)


def test_a_correction_that_finds_nothing_more_is_only_offered(searcher: Searcher) -> None:
    # With a word no article holds, the corrected query finds no article with all its words.
    results = searcher.search("الامرات زيمبابوي")
    assert (results.query, results.corrected_from) == ("الامرات زيمبابوي", None)
    assert results.suggestion == "الإمارات زيمبابوي"


def test_a_query_without_slips_runs_as_typed(searcher: Searcher) -> None:
    results = searcher.search("الإمارات")
    assert (results.query, results.corrected_from, results.suggestion) == ("الإمارات", None, None)
    assert results.to_dict()["corrected_from"] is None


def test_the_filters_and_pages_apply_to_the_corrected_query(searcher: Searcher) -> None:
    results = searcher.search("الامرات", limit=5, page=2, sort="date")
    assert results.corrected_from == "الامرات"
    assert (results.page, results.limit, len(results)) == (2, 5, 5)


# --- the command -----------------------------------------------------------------------------


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout


def test_the_command_says_which_query_ran_and_offers_the_typed_one(index: Path) -> None:
    code, out = run("search", "الامرات", "--index", str(index))
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("110 results")
    assert lines[1] == "Showing results for الإمارات; search instead for الامرات"


def test_no_autocorrect_keeps_the_typed_query(index: Path) -> None:
    code, out = run("search", "الامرات", "--no-autocorrect", "--index", str(index))
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("3 results")
    assert lines[1] == "Did you mean: الإمارات"


def test_json_says_which_query_ran(index: Path) -> None:
    code, out = run("search", "وزراة", "--json", "--index", str(index))
    assert code == 0
    document = json.loads(out)
    assert document["query"] == "وزارة"
    assert document["corrected_from"] == "وزراة"
    assert document["suggestion"] is None and document["total"] == 110
    code, out = run("search", "وزراة", "--json", "--no-autocorrect", "--index", str(index))
    document = json.loads(out)
    assert (document["query"], document["corrected_from"]) == ("وزراة", None)
    assert document["suggestion"] == "وزارة"


def test_all_lists_the_corrected_querys_matches(index: Path) -> None:
    code, out = run("search", "الامرات", "--all", "--csv", "--index", str(index))
    assert code == 0
    assert len(out.splitlines()) == 1 + 110


def test_html_says_which_query_ran(index: Path) -> None:
    code, out = run("search", "الامرات", "--html", "--index", str(index))
    assert code == 0
    assert (
        '<p class="suggestion corrected">النتائج لـ «<bdi><strong>الإمارات</strong></bdi>»؛ '
        "ابحث بدلًا من ذلك عن «<bdi>الامرات</bdi>»</p>"
    ) in out


# --- the web page ----------------------------------------------------------------------------


def test_the_page_shows_the_corrected_results_and_links_back_to_the_typed_query(
    index: Path,
) -> None:
    pytest.importorskip("starlette")
    from starlette.testclient import TestClient

    from search.web import create_app

    with TestClient(create_app(index)) as client:
        page = client.get(f"/search?q={quote('الامرات')}").text
        [banner] = re.findall(r'<p class="suggestion corrected">.*?</p>', page, re.S)
        assert "النتائج لـ «<bdi><strong>الإمارات</strong></bdi>»" in banner
        [back] = re.findall(r'href="([^"]+)"', banner)
        assert "autocorrect=0" in back
        assert page.count('class="hit') >= 10
        typed = client.get(back.replace("&amp;", "&")).text
        assert "suggestion corrected" not in typed
        assert re.search(r'<p class="suggestion">[^<]*<a href="[^"]*"><bdi><strong>الإمارات', typed)
        document = client.get(f"/api/search?q={quote('الامرات')}").json()
        assert (document["query"], document["corrected_from"]) == ("الإمارات", "الامرات")
        document = client.get(f"/api/search?q={quote('الامرات')}&autocorrect=0").json()
        assert (document["query"], document["corrected_from"]) == ("الامرات", None)

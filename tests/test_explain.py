"""``--explain``: a hit's score taken apart (``search.explain``).

The invariant: on every engine, for every kind of query (words, phrases, prefixes, groups,
exclusions, partial matches, exact forms, filters), each hit's parts add up to the score it
was ranked by; and each part names forms the article really holds.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from search import Searcher, analyze
from search.cli import main
from search.web.app import create_app

pytestmark = pytest.mark.usefixtures("engine")

QUERIES = [
    "بوتين",
    "روسيا أوكرانيا",
    "الرئيس الروسي",
    '"الرئيس الروسي"',
    "اقتصا*",
    "(روسيا OR الصين) النفط",
    "روسيا -أوكرانيا",
    "السعودية الرياض المملكة",
    "title:روسيا الحرب",
    "روسيا source:aljazeera",
]
MODES = [{}, {"match": "any"}, {"match": "all"}, {"stemming": False}, {"collapse": True}]


@pytest.mark.parametrize("query", QUERIES)
def test_the_parts_add_up_to_the_score(seeds_searcher: Searcher, query: str) -> None:
    explained = 0
    for mode in MODES:
        results = seeds_searcher.search(query, limit=30, explain=True, **mode)  # type: ignore[arg-type]
        for hit in results:
            why = hit.explanation
            assert why is not None
            assert why.score == pytest.approx(hit.score, abs=1e-3), (mode, hit.id, why)
            assert sum(p.score for p in why.parts) == pytest.approx(why.score)
            # A full match matches every part of the query; a partial one, fewer.
            assert (len(why.matched) < len(why.clauses)) == hit.partial or mode.get("match")
            assert {p.clause for p in why.parts} <= set(why.matched)
            explained += 1
    assert explained


def test_each_part_names_the_forms_it_matched(seeds_searcher: Searcher) -> None:
    results = seeds_searcher.search("روسيا", limit=50, explain=True)
    assert len(results) > 2
    forms: set[str] = set()
    for hit in results:
        article = seeds_searcher.get(hit.id)
        assert article is not None and hit.explanation is not None
        [clause] = hit.explanation.clauses
        assert clause == "روسيا"
        for part in hit.explanation.parts:
            assert part.score > 0 and part.forms, part
            for form in part.forms:
                assert form in f"{article.title} {article.body} {' '.join(article.keywords)}"
                [token] = analyze(form)
                # A stem part matches forms with its stem; a form part, that form as written.
                assert part.term == (token.term if part.kind == "stem" else token.norm)
            forms.update(part.forms)
    assert {"روسيا", "وروسيا"} <= forms  # the clitic form, through the stem


def test_an_article_that_does_not_match_is_explained_as_such(seeds_searcher: Searcher) -> None:
    [hit] = seeds_searcher.search("بوتين", limit=1).hits
    why = seeds_searcher.explain("بوتين", hit.id)
    assert why is not None and why.score == pytest.approx(hit.score, abs=1e-3)
    other = seeds_searcher.search("السعودية -بوتين", limit=1).hits[0]
    nothing = seeds_searcher.explain("بوتين", other.id)
    assert nothing is not None
    assert (nothing.matched, nothing.parts, nothing.score) == ((), (), 0)
    assert seeds_searcher.explain("بوتين", "no-such-article") is None


def test_the_command_prints_and_writes_the_parts(seeds_index: Path) -> None:
    runner = CliRunner()
    base = ["search", "--index", str(seeds_index), "روسيا النفط", "-n", "3", "--explain"]
    text = runner.invoke(main, base)
    assert text.exit_code == 0, text.output
    assert "matches روسيا, النفط (2 of 2 parts of the query)" in text.output
    assert "stem روس in title and body" in text.output
    found = runner.invoke(main, [*base, "--json"])
    assert found.exit_code == 0, found.output
    hits = json.loads(found.output)["hits"]
    assert hits and all("explanation" in hit for hit in hits)
    for hit in hits:
        parts = hit["explanation"]["parts"]
        assert sum(p["score"] for p in parts) == pytest.approx(hit["score"], abs=1e-3)
    plain = runner.invoke(main, [*base[:-1], "--json"])
    assert "explanation" not in json.loads(plain.output)["hits"][0]


def test_the_page_shows_the_parts_in_its_language(seeds_index: Path) -> None:
    from starlette.testclient import TestClient

    with TestClient(create_app(seeds_index)) as client:
        page = client.get("/search", params={"q": "روسيا", "explain": "1"}).text
        assert page.count('<details class="why">') >= 2
        assert "لماذا هذا الترتيب؟" in page and "<td>جذع <bdi>روس</bdi>" in page
        english = client.get("/search", params={"q": "روسيا", "explain": "1", "lang": "en"})
        assert "Why this rank?" in english.text and "<td>stem <bdi>روس</bdi>" in english.text
        assert '<details class="why">' not in client.get("/search", params={"q": "روسيا"}).text
        hit = client.get("/api/search", params={"q": "روسيا", "limit": "1"}).json()["hits"][0]
        article = client.get(f"/article/{hit['id']}", params={"q": "روسيا", "explain": "1"})
        assert '<details class="why">' in article.text and "+" in article.text

"""Exact-form search: ``bahth search --exact`` and ``Searcher.search(stemming=False)``.

Exact matching compares normalized forms (diacritics, tatweel, hamza and ta-marbuta folded)
without stemming, so روسيا finds روسيا and رُوسِيَا but not وروسيا, لروسيا or الروسية. Each
article of the corpus below holds روسيا in one form only (``bare`` holds both روسيا and
وروسيا, to see which one a highlight marks).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from search import Indexer, Results, Searcher, analyze
from search.cli import main
from tests.conftest import jsonl

pytestmark = pytest.mark.usefixtures("engine")

RUSSIA = [
    {
        "id": "bare",
        "title": "وفد من روسيا يصل إلى القاهرة",
        "body": "وصل وفد من روسيا إلى القاهرة أمس، وقال رئيس الوفد إن التعاون بين مصر وروسيا "
        "يتوسع.",
        "date": "2025-01-01",
    },
    {
        "id": "clitic",
        "title": "وفود تصل إلى بكين",
        "body": "وصلت وفود من الصين وروسيا إلى بكين لبحث التعاون التجاري.",
        "date": "2025-01-02",
    },
    {
        "id": "adjective",
        "title": "بيان للخارجية الروسية",
        "body": "أعلنت الخارجية الروسية أن الوزير سيزور بكين الأسبوع المقبل.",
        "date": "2025-01-03",
    },
    {
        "id": "diacritized",
        "title": "المفاوضات مستمرة",
        "body": "قالت رُوسِيَا إن المفاوضات مع الوفد الأوروبي مستمرة.",
        "date": "2025-01-04",
    },
    {
        "id": "keyword",
        "title": "قمة اقتصادية في الرياض",
        "body": "انعقدت قمة اقتصادية في الرياض بمشاركة وفود عربية.",
        "date": "2025-01-05",
        "keywords": ["روسيا", "الغاز"],
    },
    {
        "id": "unrelated",
        "title": "المنتخب يتأهل إلى النهائي",
        "body": "تأهل المنتخب الوطني إلى المباراة النهائية بعد فوزه على منافسه.",
        "date": "2025-01-06",
    },
]
# Articles holding a form of روسيا (stem روس) in their title, body or keywords.
ANY_FORM = {"bare", "clitic", "adjective", "diacritized", "keyword"}


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory, engine: str) -> Path:
    directory = tmp_path_factory.mktemp("exact")
    dump = directory / "russia.jsonl"
    dump.write_text(jsonl(RUSSIA), encoding="utf-8")
    report = Indexer(directory / "index").add_files([dump])
    assert (report.added, report.rejected) == (len(RUSSIA), 0)
    return directory / "index"


@pytest.fixture(scope="module")
def searcher(index: Path) -> Searcher:
    with Searcher(index) as searcher:
        yield searcher


def ids(results: Results) -> set[str]:
    return {hit.id for hit in results}


def marks(results: Results) -> dict[str, list[str]]:
    """Each hit's marked words: the snippet's, then the title's."""
    return {
        hit.id: [hit.snippet[a:b] for a, b in hit.highlights]
        + [hit.title[a:b] for a, b in hit.title_highlights]
        for hit in results
    }


def test_premise_the_forms_share_one_term_and_differ_as_written() -> None:
    # What the stemmed half of these tests rests on (README: روسيا finds وروسيا and لروسيا).
    forms = ["روسيا", "وروسيا", "لروسيا", "بروسيا", "الروسية", "الروسي"]
    tokens = [token for form in forms for token in analyze(form)]
    assert len({token.term for token in tokens}) == 1, [(t.text, t.term) for t in tokens]
    assert len({token.norm for token in tokens}) == len(forms)
    assert [token.norm for token in analyze("رُوسِيَا روسيـــا")] == ["روسيا", "روسيا"]


# --- the API: Searcher.search(stemming=False) --------------------------------------------------


@pytest.mark.parametrize(
    ("query", "exact"),
    [
        ("روسيا", {"bare", "diacritized", "keyword"}),
        ("رُوسيا", {"bare", "diacritized", "keyword"}),  # diacritics are folded on both sides
        ("روسيـــا", {"bare", "diacritized", "keyword"}),  # and tatweel
        ("وروسيا", {"bare", "clitic"}),
        ("الروسية", {"adjective"}),
        ("الروسيه", {"adjective"}),  # ta marbuta folded
    ],
)
def test_exact_finds_only_the_form_asked_for_and_stemming_finds_all(
    searcher: Searcher, query: str, exact: set[str]
) -> None:
    found = searcher.search(query, stemming=False, limit=20)
    assert ids(found) == exact
    assert found.total == len(exact)
    assert not any(hit.partial for hit in found)
    assert found.unknown == []
    stemmed = searcher.search(query, limit=20)
    assert ids(stemmed) == ANY_FORM
    assert stemmed.total == len(ANY_FORM)


def test_stemming_true_is_the_default(searcher: Searcher) -> None:
    default = searcher.search("روسيا", limit=20)
    explicit = searcher.search("روسيا", stemming=True, limit=20)
    assert [(h.id, h.score) for h in default] == [(h.id, h.score) for h in explicit]
    assert len(default.hits) == len(ANY_FORM)


def test_exact_highlights_mark_only_the_exact_forms(searcher: Searcher) -> None:
    assert marks(searcher.search("روسيا", stemming=False)) == {
        "bare": ["روسيا", "روسيا"],  # the body's روسيا (not its وروسيا), the title's روسيا
        "diacritized": ["رُوسِيَا"],
        "keyword": [],  # found by its keyword: nothing to mark in the body
    }
    assert marks(searcher.search("وروسيا", stemming=False)) == {
        "bare": ["وروسيا"],
        "clitic": ["وروسيا"],
    }


def test_stemmed_highlights_mark_every_form(searcher: Searcher) -> None:
    found = marks(searcher.search("روسيا", limit=20))
    assert found["bare"] == ["روسيا", "وروسيا", "روسيا"]
    assert found["clitic"] == ["وروسيا"]
    assert found["adjective"] == ["الروسية", "الروسية"]
    assert found["diacritized"] == ["رُوسِيَا"]


def test_exact_ranks_a_title_match_first_and_sorts_by_date(searcher: Searcher) -> None:
    by_relevance = searcher.search("روسيا", stemming=False)
    # The title's match first. A body's match against a keyword's is how the engine's BM25
    # normalizes lengths (per field, one article's keywords weigh against an average near
    # zero; Xapian's, per article): not asserted.
    assert [hit.id for hit in by_relevance][:1] == ["bare"]
    assert ids(by_relevance) == {"bare", "diacritized", "keyword"}
    assert by_relevance.hits[0].score > by_relevance.hits[1].score
    by_date = searcher.search("روسيا", stemming=False, sort="date")
    assert [hit.id for hit in by_date] == ["keyword", "diacritized", "bare"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ('"الصين وروسيا"', {"clitic"}),
        ('"الصين روسيا"', set()),  # the phrase's forms, not their stems
        ('"وفد من روسيا"', {"bare"}),  # من is a stopword: the phrase spans it
        ('"الخارجية الروسية"', {"adjective"}),
    ],
)
def test_phrases_are_exact_with_or_without_stemming(
    searcher: Searcher, query: str, expected: set[str]
) -> None:
    exact = searcher.search(query, stemming=False)
    stemmed = searcher.search(query)
    assert ids(exact) == ids(stemmed) == expected
    assert marks(exact) == marks(stemmed)


def test_exact_phrase_marks_the_phrase_forms_only(searcher: Searcher) -> None:
    # The body also holds الوفد and وروسيا: other forms of the phrase's words, not marked.
    assert marks(searcher.search('"وفد من روسيا"', stemming=False)) == {
        "bare": ["وفد", "روسيا", "وفد", "روسيا"]
    }


@pytest.mark.parametrize(
    ("query", "exact", "marked"),
    [
        ("روسي*", {"bare", "diacritized", "keyword"}, {"روسيا", "رُوسِيَا"}),
        ("وروس*", {"bare", "clitic"}, {"وروسيا"}),
        ("الروس*", {"adjective"}, {"الروسية"}),
    ],
)
def test_exact_prefix_expands_to_forms_written_with_it(
    searcher: Searcher, query: str, exact: set[str], marked: set[str]
) -> None:
    found = searcher.search(query, stemming=False, limit=20)
    assert ids(found) == exact
    assert {word for words in marks(found).values() for word in words} == marked
    # with stemming, the forms' stems bring in every form of روسيا
    assert ids(searcher.search(query, limit=20)) == ANY_FORM


def test_exact_field(searcher: Searcher) -> None:
    assert ids(searcher.search("title:روسيا", stemming=False)) == {"bare"}
    assert ids(searcher.search("title:روسيا")) == {"bare", "adjective"}
    assert ids(searcher.search("body:وروسيا", stemming=False)) == {"bare", "clitic"}


def test_exact_exclusion_removes_only_the_exact_form(searcher: Searcher) -> None:
    # clitic (وروسيا) and adjective (الروسية) mention بكين; neither holds روسيا as written.
    exact = searcher.search("بكين -روسيا", stemming=False)
    assert (ids(exact), exact.total) == ({"clitic", "adjective"}, 2)
    # with stemming, -روسيا excludes every form
    stemmed = searcher.search("بكين -روسيا")
    assert (stemmed.hits, stemmed.total) == ([], 0)
    assert ids(searcher.search("بكين -الروسية", stemming=False)) == {"clitic"}


def test_exact_word_missing_as_written_is_reported_unknown(searcher: Searcher) -> None:
    for word in ("بروسيا", "الروسي"):  # not in the corpus as written; their stem روس is
        exact = searcher.search(word, stemming=False)
        assert (exact.total, exact.hits, exact.unknown) == (0, [], [word])
        stemmed = searcher.search(word, limit=20)
        assert stemmed.unknown == []
        assert ids(stemmed) == ANY_FORM


def test_exact_unknown_word_beside_a_known_one(searcher: Searcher) -> None:
    found = searcher.search("روسيا بروسيا", stemming=False)
    assert found.unknown == ["بروسيا"]
    assert ids(found) == {"bare", "diacritized", "keyword"}
    assert all(hit.partial for hit in found)  # none has both words
    assert searcher.search("روسيا بروسيا", stemming=False, match="all").total == 0


def test_exact_partial_fill_and_match_any(searcher: Searcher) -> None:
    auto = searcher.search("روسيا القاهرة", stemming=False)
    # The full match first, then the partial ones (in the engine's order: see above).
    assert [(hit.id, hit.partial) for hit in auto][:1] == [("bare", False)]
    assert {(hit.id, hit.partial) for hit in auto.hits[1:]} == {
        ("diacritized", True),
        ("keyword", True),
    }
    assert auto.total == 3
    assert ids(searcher.search("روسيا القاهرة", stemming=False, match="all")) == {"bare"}
    anyword = searcher.search("روسيا OR بكين", stemming=False, match="any")
    assert ids(anyword) == {"bare", "diacritized", "clitic", "adjective", "keyword"}


def test_exact_finds_a_word_that_is_only_in_the_keywords(searcher: Searcher) -> None:
    assert ids(searcher.search("الغاز")) == {"keyword"}  # holds with stemming
    found = searcher.search("الغاز", stemming=False)
    assert (ids(found), found.unknown) == ({"keyword"}, [])
    assert ids(searcher.search("روسيا", stemming=False)) == {"bare", "diacritized", "keyword"}


# --- the CLI: bahth search --exact -------------------------------------------------------------


def bahth(index: Path, *args: str) -> Result:
    result = CliRunner().invoke(
        main, ["search", *args, "--index", str(index)], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    return result


def search_json(index: Path, *args: str) -> dict[str, object]:
    return json.loads(bahth(index, *args, "--json", "-n", "20").stdout)


def json_marks(document: dict[str, object]) -> dict[str, list[str]]:
    return {
        hit["id"]: [hit["snippet"][a:b] for a, b in hit["highlights"]]
        for hit in document["hits"]  # type: ignore[union-attr]
    }


@pytest.mark.parametrize(
    "query",
    ["روسيا", "وروسيا", "الروسية", "روسي*", '"الصين وروسيا"', "title:روسيا", "روسيا القاهرة"],
)
def test_cli_exact_is_the_api_without_stemming(index: Path, searcher: Searcher, query: str) -> None:
    document = search_json(index, query, "--exact")
    api = searcher.search(query, stemming=False, limit=20)
    assert document["hits"]
    assert [hit["id"] for hit in document["hits"]] == [hit.id for hit in api]
    assert [hit["partial"] for hit in document["hits"]] == [hit.partial for hit in api]
    assert document["total"] == api.total
    assert json_marks(document) == {h.id: [h.snippet[a:b] for a, b in h.highlights] for h in api}


def test_cli_exact_finds_and_marks_only_the_exact_form(index: Path) -> None:
    exact = search_json(index, "روسيا", "--exact")
    assert json_marks(exact) == {"bare": ["روسيا"], "diacritized": ["رُوسِيَا"], "keyword": []}
    assert exact["total"] == 3
    stemmed = search_json(index, "روسيا")
    assert {hit["id"] for hit in stemmed["hits"]} == ANY_FORM
    assert json_marks(stemmed)["bare"] == ["روسيا", "وروسيا"]


def test_cli_exact_text_and_html_marks(index: Path) -> None:
    text = bahth(index, "روسيا", "--exact").stdout
    assert "وفد من [روسيا] إلى القاهرة" in text
    assert "بين مصر وروسيا يتوسع" in text  # in the listing, not marked
    assert "[وروسيا]" not in text and "[الروسية]" not in text
    assert "[وروسيا]" in bahth(index, "روسيا").stdout
    page = bahth(index, "روسيا", "--exact", "--html").stdout
    assert "<mark>روسيا</mark>" in page and "<mark>رُوسِيَا</mark>" in page
    assert "<mark>وروسيا</mark>" not in page and "مصر وروسيا" in page


def test_cli_exact_prefix_and_phrase(index: Path) -> None:
    prefix = search_json(index, "وروس*", "--exact")
    assert json_marks(prefix) == {"bare": ["وروسيا"], "clitic": ["وروسيا"]}
    phrase = search_json(index, '"الصين روسيا"', "--exact")
    assert (phrase["total"], phrase["hits"]) == (0, [])
    assert [hit["id"] for hit in search_json(index, '"الصين وروسيا"', "--exact")["hits"]] == [
        "clitic"
    ]


def test_cli_exact_reports_a_word_missing_as_written(index: Path) -> None:
    result = bahth(index, "بروسيا", "--exact")
    # the result line on stdout with the results (README: Output), then what the search finds
    # without the filter that stood in its way
    document = search_json(index, "بروسيا", "--exact")
    assert (document["total"], document["hits"]) == (0, [])
    stemmed = search_json(index, "بروسيا")["total"]
    assert result.stdout == (
        f"No results for 'بروسيا'. Not in the index: بروسيا.\nWithout --exact: {stemmed} results.\n"
    )
    # without --exact its stem finds every form, and nothing is reported
    stemmed = bahth(index, "بروسيا")
    assert "not in the index" not in stemmed.stdout.lower() and stemmed.stderr == ""
    assert stemmed.stdout.count("id: ") == len(ANY_FORM)


def test_cli_exact_names_the_unknown_word_beside_hits(index: Path) -> None:
    result = bahth(index, "روسيا بروسيا", "--exact")
    assert "not in the index: بروسيا" in result.stdout.split("\n")[0]  # the result line
    assert result.stdout.count("partial match") == 3  # bare, diacritized, keyword

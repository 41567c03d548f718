"""Did you mean through the API and the CLI, on both engines: suggestions on indexes of
articles written here, the vocabulary kept by indexing runs, the text, JSON and HTML output."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from search import Article, Indexer, Searcher
from search.cli import main
from tests.conftest import WriteJsonl

pytestmark = pytest.mark.usefixtures("engine")

COMMON = "أعلنت وزارة الصحة في الرياض اليوم عن حملة جديدة للتطعيم في المدارس"


def corpus() -> list[Article]:
    """110 articles on the ministry of health in Riyadh, a slip of Riyadh written once, and a
    rare name one slip from Riyadh in two articles."""
    articles = [
        Article(id=f"common-{i}", title=f"حملة التطعيم رقم {i}", body=COMMON) for i in range(110)
    ]
    articles.append(Article(id="typo", title="خبر محلي", body="وصل الوفد إلى الرياظ مساء أمس"))
    articles += [
        Article(id=f"name-{i}", title="لقاء", body="قال الكاتب خالد الرياش في حديثه")
        for i in range(2)
    ]
    return articles


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory, engine: str) -> Path:
    path = tmp_path_factory.mktemp(f"spelling-{engine}") / "index"
    report = Indexer(path).add_articles(corpus())
    assert report.added == 113
    return path


@pytest.fixture(scope="module")
def searcher(index: Path) -> Iterator[Searcher]:
    with Searcher(index) as searcher:
        yield searcher


def test_a_misspelled_word_gets_the_corrected_query(searcher: Searcher) -> None:
    results = searcher.search("الرياص", autocorrect=False)
    assert results.total == 0
    assert results.suggestion == "الرياض"
    # which, finding articles where the word as typed finds none, runs in its place
    corrected = searcher.search("الرياص")
    assert (corrected.query, corrected.corrected_from) == ("الرياض", "الرياص")
    assert corrected.total == 110


def test_common_words_get_no_suggestion(searcher: Searcher) -> None:
    results = searcher.search("وزارة الصحة")
    assert results.total == 110
    assert results.suggestion is None
    assert results.to_dict()["suggestion"] is None


def test_a_clitic_bearing_misspelling_keeps_its_clitics(searcher: Searcher) -> None:
    assert searcher.search("والرياص").suggestion == "والرياض"


def test_the_rest_of_the_query_stays_as_written(searcher: Searcher) -> None:
    # The misspelled word of a phrase is corrected inside its quotes; ة is written as the
    # archive writes it (normalized, the corrected word is الصحه).
    results = searcher.search('"وزارة الصخة" OR title:حملة -الرياص')
    assert results.suggestion == '"وزارة الصحة" OR title:حملة -الرياض'


def test_without_autocorrect_the_suggestion_is_offered_not_searched(searcher: Searcher) -> None:
    results = searcher.search("وزارة الرياص", match="all", autocorrect=False)
    assert (results.total, results.suggestion) == (0, "وزارة الرياض")
    assert searcher.search(results.suggestion, match="all").total == 110


def test_a_rare_correct_name_is_not_corrected(searcher: Searcher) -> None:
    results = searcher.search("الرياش")
    assert results.total == 2
    assert results.suggestion is None


def test_a_word_written_once_is_left_alone_beside_one_not_far_more_common(
    searcher: Searcher,
) -> None:
    # الرياظ is a slip of الرياض, but 110 articles to 1 is no proof: RATIO asks for 1,000.
    results = searcher.search("الرياظ")
    assert (results.total, results.suggestion) == (1, None)


def test_the_vocabulary_follows_incremental_runs(tmp_path: Path) -> None:
    index = tmp_path / "index"
    Indexer(index).add_articles(corpus()[:5])
    with Searcher(index) as searcher:
        assert searcher.search("القدص", autocorrect=False).suggestion is None
    news = [Article(id=f"q-{i}", title="القدس", body="أخبار القدس اليوم") for i in range(3)]
    Indexer(index).add_articles(news)
    with Searcher(index) as searcher:
        assert searcher.search("القدص", autocorrect=False).suggestion == "القدس"
    [generation] = index.glob("gen-*")
    assert len(list(generation.glob("spelling.*.marisa"))) == 1  # the older one is gone
    Indexer(index).delete([a.id for a in news])
    with Searcher(index) as searcher:
        assert searcher.search("القدص", autocorrect=False).suggestion is None


def test_a_rebuild_publishes_its_vocabulary_with_it(
    tmp_path: Path, write_jsonl: WriteJsonl
) -> None:
    index = tmp_path / "index"
    Indexer(index).add_articles(corpus()[:5])
    records = [{"id": f"q-{i}", "title": "القدس", "body": "أخبار القدس"} for i in range(3)]
    Indexer(index).rebuild([write_jsonl(records)])
    [generation] = index.glob("gen-*")  # the old one is gone, the new one has its own
    assert generation.name == "gen-000002"
    assert list(generation.glob("spelling.*.marisa"))
    with Searcher(index) as searcher:
        assert searcher.search("القدص", autocorrect=False).suggestion == "القدس"


def test_an_index_without_a_vocabulary_searches_without_suggestions(tmp_path: Path) -> None:
    index = tmp_path / "index"
    Indexer(index).add_articles(corpus()[:5])
    [generation] = index.glob("gen-*")
    for path in generation.glob("spelling.*"):
        path.unlink()
    with Searcher(index) as searcher:
        results = searcher.search("الرياص")
    assert (results.total, results.suggestion, results.corrected_from) == (0, None, None)


# --- through the CLI -------------------------------------------------------------------------


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout


def test_text_output_offers_the_corrected_query_after_the_result_line(index: Path) -> None:
    code, out = run(
        "search", "وزارة", "الرياص", "--all-words", "--no-autocorrect", "--index", str(index)
    )
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("No results for")
    assert lines[1] == "Did you mean: وزارة الرياض"


def test_json_carries_the_suggestion(index: Path) -> None:
    code, out = run("search", "الرياص", "--json", "--no-autocorrect", "--index", str(index))
    assert code == 0
    assert json.loads(out)["suggestion"] == "الرياض"
    code, out = run("search", "الرياض", "--json", "--all", "--index", str(index))
    assert json.loads(out)["suggestion"] is None


def test_html_offers_the_corrected_query_escaped(index: Path) -> None:
    code, out = run("search", "الرياص", "--html", "--no-autocorrect", "--index", str(index))
    assert code == 0
    assert '<p class="suggestion">هل تقصد: <bdi><strong>الرياض</strong></bdi>؟</p>' in out


def test_no_line_when_there_is_nothing_to_suggest(index: Path) -> None:
    code, out = run("search", "الرياض", "--index", str(index))
    assert code == 0
    assert "Did you mean" not in out

"""The bahth command through click's CliRunner: outputs per format, exit codes, messages on
stderr and results on stdout (docs/STYLE.md §4); and the installed console script."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from search import Indexer, Searcher, analyze, layout
from search.cli import main
from tests.conftest import SEEDS, MakeIndex, WriteJsonl

pytestmark = pytest.mark.usefixtures("engine")

SUMMARY = re.compile(
    r"^(?P<index>.+) \((?P<generation>gen-\d{6})\): (?P<read>[\d,]+) read, "
    r"(?P<added>[\d,]+) added, (?P<updated>[\d,]+) updated, "
    r"(?P<unchanged>[\d,]+) unchanged, (?P<rejected>[\d,]+) rejected"
    # the rate has two decimals below 10 articles/s (a slow or busy machine)
    r".* in [\d.]+ s \((?:[\d,]+|\d\.\d\d) articles/s\)$"
)

NEWS = [
    {
        "id": "c1",
        "title": "بوتين يستقبل وفداً صينياً في الكرملين",
        "body": "استقبل الرئيس الروسي فلاديمير بوتين وفداً صينياً في الكرملين لبحث التعاون.",
        "date": "2025-03-01",
        "source": "alwatan",
        "category": "politics",
        "url": "https://example.org/alwatan/c1",
    },
    {
        "id": "c2",
        "title": "الحكومة تقر مشروع الموازنة العامة",
        "body": "أقرت الحكومة مشروع الموازنة العامة للعام المقبل وأحالته إلى البرلمان.",
        "date": "2025-03-02",
        "source": "bbc",
        "category": "economy",
    },
    {
        "id": "c3",
        "title": "المنتخب يتأهل إلى نهائي البطولة",
        "body": "تأهل المنتخب الوطني إلى المباراة النهائية بعد فوزه على منافسه.",
        "date": "2025-03-03",
        "source": "hespress",
        "category": "sport",
    },
]
BAD = ['{"id": "x1", "title": "خبر بلا نهاية', '["بوتين"]']


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def bahth(runner: CliRunner, *args: str | Path, ok: bool = True, **kwargs: object) -> Result:
    """Run ``bahth ARGS``; on success paths let unexpected exceptions propagate."""
    return runner.invoke(main, [str(a) for a in args], catch_exceptions=not ok, **kwargs)


def assert_usage_error(result: Result) -> None:
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)  # handled by click, not a crash
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert result.stderr.count("Error: ") == 1


@pytest.fixture
def news_index(tmp_path: Path, write_jsonl: WriteJsonl) -> Path:
    """NEWS written to tmp_path/news.jsonl and indexed through the API."""
    index = tmp_path / "index"
    assert Indexer(index).add_files([write_jsonl(NEWS, "news.jsonl")]).added == len(NEWS)
    return index


def search_json(runner: CliRunner, index: Path, *args: str) -> dict[str, object]:
    result = bahth(runner, "search", *args, "--index", index, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def hit_ids(document: dict[str, object]) -> list[str]:
    return [hit["id"] for hit in document["hits"]]  # type: ignore[index,union-attr]


# --- index -------------------------------------------------------------------------------------


def test_index_prints_one_line_with_counts_and_rate(
    tmp_path: Path, write_jsonl: WriteJsonl, runner: CliRunner
) -> None:
    dump = write_jsonl([*NEWS, *BAD])
    index = tmp_path / "index"
    result = bahth(runner, "index", dump, "--index", index)
    assert result.exit_code == 0  # records were rejected, and reported: the job was done
    [line] = result.stdout.splitlines()
    found = SUMMARY.match(line)
    assert found, line
    assert found.group("index") == str(index)
    assert found.group("generation") == "gen-000001"
    counts = [found.group(k) for k in ("read", "added", "updated", "unchanged", "rejected")]
    assert counts == ["5", "3", "0", "0", "2"]


def test_index_prints_rejects_as_file_and_line_on_stderr(
    tmp_path: Path, write_jsonl: WriteJsonl, runner: CliRunner
) -> None:
    dump = write_jsonl([NEWS[0], BAD[0], NEWS[1], BAD[1]])
    index = tmp_path / "index"
    result = bahth(runner, "index", dump, "--index", index)
    assert result.exit_code == 0
    assert f"{dump}:2: invalid JSON" in result.stderr
    assert f"{dump}:4: an array, not a JSON object" in result.stderr
    run_file = index / os.readlink(index / "rejects.jsonl")  # the run's own, rejects.jsonl links to
    assert f"rejected records are in {run_file}" in result.stderr
    [line] = result.stdout.splitlines()  # messages stay off stdout
    assert SUMMARY.match(line).group("rejected") == "2"
    assert len((index / "rejects.jsonl").read_text("utf-8").splitlines()) == 2


def test_index_again_reports_unchanged(news_index: Path, tmp_path: Path, runner: CliRunner) -> None:
    result = bahth(runner, "index", tmp_path / "news.jsonl", "--index", news_index)
    assert result.exit_code == 0
    found = SUMMARY.match(result.stdout.strip())
    assert found and (found.group("added"), found.group("unchanged")) == ("0", "3")


def test_index_delete_missing(news_index: Path, write_jsonl: WriteJsonl, runner: CliRunner) -> None:
    snapshot = write_jsonl(NEWS[:1], "snapshot.jsonl")
    result = bahth(runner, "index", snapshot, "--index", news_index, "--delete-missing")
    assert result.exit_code == 0
    assert "2 deleted" in result.stdout
    assert bahth(runner, "show", "c2", "--index", news_index, ok=False).exit_code == 1


def test_index_field_mapping(tmp_path: Path, write_jsonl: WriteJsonl, runner: CliRunner) -> None:
    renamed = [
        {"headline": n["title"], "text": n["body"], "id": n["id"], "date": n["date"]} for n in NEWS
    ]
    dump = write_jsonl(renamed, "renamed.jsonl")
    index = tmp_path / "index"
    args = ["index", dump, "--index", index, "--field", "title=headline", "--field", "body=text"]
    result = bahth(runner, *args)
    assert result.exit_code == 0, result.output
    assert SUMMARY.match(result.stdout.strip()).group("added") == "3"
    document = search_json(runner, index, "title:الكرملين")
    assert hit_ids(document) == ["c1"]


def test_index_without_field_mapping_rejects_records_without_title_and_body(
    tmp_path: Path, write_jsonl: WriteJsonl, runner: CliRunner
) -> None:
    # "onwan" is not in the alias table: with no title and no body, nothing can be read.
    dump = write_jsonl([{"onwan": n["title"], "id": n["id"]} for n in NEWS], "renamed.jsonl")
    result = bahth(runner, "index", dump, "--index", tmp_path / "index", ok=False)
    assert result.exit_code == 1  # nothing at all could be read
    assert SUMMARY.match(result.stdout.strip()).group("rejected") == "3"
    assert f"{dump}:1: empty title and body" in result.stderr


def test_index_finds_fields_under_the_names_dumps_use(
    tmp_path: Path, write_jsonl: WriteJsonl, runner: CliRunner
) -> None:
    renamed = [
        {"headline": n["title"], "content": n["body"], "id": n["id"], "published": n["date"]}
        for n in NEWS
    ]
    index = tmp_path / "index"
    result = bahth(runner, "index", write_jsonl(renamed, "renamed.jsonl"), "--index", index)
    assert SUMMARY.match(result.stdout.strip()).group("added") == "3"
    assert "fields: title ← headline, body ← content, date ← published" in result.stderr
    # a word of the body alone finds its article, and the dates filter
    assert hit_ids(search_json(runner, index, "لبحث")) == ["c1"]
    words = "الكرملين الحكومة المنتخب"
    since = search_json(runner, index, words, "--match", "any", "--since", "2025-03-02")
    assert sorted(hit_ids(since)) == ["c2", "c3"]


@pytest.mark.parametrize("pair", ["title", "title=", "=headline"])
def test_malformed_field_mapping_is_a_usage_error(
    tmp_path: Path, write_jsonl: WriteJsonl, runner: CliRunner, pair: str
) -> None:
    dump = write_jsonl(NEWS)
    result = bahth(runner, "index", dump, "--index", tmp_path / "i", "--field", pair, ok=False)
    assert_usage_error(result)
    assert "OURS=THEIRS" in result.stderr


def test_index_format_option(tmp_path: Path, write_jsonl: WriteJsonl, runner: CliRunner) -> None:
    # A .txt file is read as one scraped page; --format jsonl reads its lines as articles.
    dump = write_jsonl(NEWS, "news.txt")
    as_page = bahth(runner, "index", dump, "--index", tmp_path / "pages")
    assert SUMMARY.match(as_page.stdout.strip()).group("added") == "1"
    as_jsonl = bahth(runner, "index", dump, "--index", tmp_path / "jsonl", "--format", "jsonl")
    assert as_jsonl.exit_code == 0
    assert SUMMARY.match(as_jsonl.stdout.strip()).group("added") == "3"
    bad = bahth(runner, "index", dump, "--index", tmp_path / "x", "--format", "xml", ok=False)
    assert_usage_error(bad)


def test_index_missing_dump_is_a_usage_error(tmp_path: Path, runner: CliRunner) -> None:
    result = bahth(runner, "index", tmp_path / "nope.jsonl", "--index", tmp_path / "i", ok=False)
    assert_usage_error(result)


def test_index_locked_by_another_writer(
    news_index: Path, tmp_path: Path, runner: CliRunner
) -> None:
    with layout.write_lock(news_index):
        result = bahth(runner, "index", tmp_path / "news.jsonl", "--index", news_index, ok=False)
    assert result.exit_code == 1
    assert f"PID {os.getpid()}" in result.stderr
    assert "--wait" in result.stderr
    assert result.stdout == ""


# --- search ------------------------------------------------------------------------------------


def test_search_text_marks_words_with_brackets_when_not_a_tty(
    seeds_index: Path, seeds_searcher: Searcher, runner: CliRunner
) -> None:
    result = bahth(runner, "search", "بوتين", "--index", seeds_index, "-n", "3")
    assert result.exit_code == 0
    out = result.stdout
    assert "\x1b[" not in out  # no colour codes
    assert "[بوتين]" in out
    assert re.findall(r"^(\d+)\. ", out, re.MULTILINE) == ["1", "2", "3"]
    expected = [hit.id for hit in seeds_searcher.search("بوتين", limit=3)]
    assert re.findall(r"id: (\S+)$", out, re.MULTILINE) == expected
    # the result line belongs with the results, as ripgrep's --stats: first on stdout
    assert out.splitlines()[0].startswith("9 results (1-3 shown) in ")
    assert result.stderr == ""


def test_search_json(seeds_index: Path, seeds_searcher: Searcher, runner: CliRunner) -> None:
    result = bahth(runner, "search", "بوتين المفاوضات", "--index", seeds_index, "--json")
    assert result.exit_code == 0
    assert result.stderr == ""
    assert "بوتين" in result.stdout and "\\u" not in result.stdout  # UTF-8, not escapes
    document = json.loads(result.stdout)
    assert set(document) == {
        *("query", "total", "total_all_words", "took_ms", "hits"),
        *("page", "limit", "unknown", "stopwords"),
        *("facets", "stories", "stories_all_words", "stories_estimated"),
        *("page", "limit", "unknown", "stopwords", "suggestion", "missing_shards"),
        *("corrected_from", "variants"),
    }
    assert (document["facets"], document["stories"], document["stories_all_words"]) == (
        None,
        None,
        None,
    )
    assert document["stories_estimated"] is False
    keys = {"id", "title", "date", "source", "category", "url", "score", "partial", "snippet"}
    keys |= {"duplicates", "source_name", "category_name"}
    wanted = {token.term for token in analyze("بوتين المفاوضات")}
    assert document["hits"]
    assert {hit["partial"] for hit in document["hits"]} == {False, True}
    for hit in document["hits"]:
        assert set(hit) == keys | {"highlights"}
        assert re.fullmatch(r"\d{4}-\d\d-\d\d", hit["date"])
        # each span is one whole word of the query; a full match shows both, a partial one
        marked = set()
        for start, end in hit["highlights"]:
            [token] = analyze(hit["snippet"][start:end])
            assert token.text == hit["snippet"][start:end] and token.term in wanted, token
            marked.add(token.term)
        assert marked == wanted if not hit["partial"] else len(marked) == 1, hit
    api = seeds_searcher.search("بوتين المفاوضات")
    assert hit_ids(document) == [hit.id for hit in api]
    assert [hit["highlights"] for hit in document["hits"]] == [
        [list(span) for span in hit.highlights] for hit in api
    ]
    assert document["total"] == api.total


def test_search_html_escapes_text_and_marks_with_mark(
    make_index: MakeIndex, runner: CliRunner
) -> None:
    record = {
        "id": "h1",
        "title": 'بوتين <script>alert("x")</script> & شركاه',
        "body": "قال بوتين إن <b>الأسعار</b> سترتفع & إن الحكومة ستتدخل.",
        "date": "2025-01-01",
        "url": 'https://example.org/a?x=1&y="2"',
    }
    index = make_index([record])
    result = bahth(runner, "search", "بوتين", "--index", index, "--html")
    assert result.exit_code == 0
    out = result.stdout
    assert "<mark>بوتين</mark>" in out
    assert "<script>" not in out and "<b>" not in out
    assert html.escape("<script>") in out and "&amp; شركاه" in out
    assert 'href="https://example.org/a?x=1&amp;y=&quot;2&quot;"' in out
    tags = set(re.findall(r"</?([a-zA-Z0-9]+)", out))
    page = {"html", "head", "meta", "title", "style", "body", "h1", "h2", "ol", "li", "p"}
    assert tags <= page | {"a", "mark", "bdi", "time", "code", "span", "strong"}


def test_search_json_and_html_together_is_a_usage_error(
    seeds_index: Path, runner: CliRunner
) -> None:
    result = bahth(runner, "search", "بوتين", "--index", seeds_index, "--json", "--html", ok=False)
    assert_usage_error(result)


def test_search_all_words(seeds_index: Path, runner: CliRunner) -> None:
    auto = search_json(runner, seeds_index, "بوتين المفاوضات", "-n", "30")
    all_words = search_json(runner, seeds_index, "بوتين المفاوضات", "-n", "30", "--all-words")
    match_all = search_json(runner, seeds_index, "بوتين المفاوضات", "-n", "30", "--match", "all")
    assert all_words == {**match_all, "took_ms": all_words["took_ms"]}
    # auto fills with partial matches; --all-words keeps only the full ones, in the same order
    assert any(hit["partial"] for hit in auto["hits"])
    assert all_words["hits"] and not any(hit["partial"] for hit in all_words["hits"])
    assert hit_ids(all_words) == [h["id"] for h in auto["hits"] if not h["partial"]]
    assert all_words["total"] == len(all_words["hits"]) < auto["total"]
    text = bahth(runner, "search", "بوتين المفاوضات", "--index", seeds_index, "--all-words")
    assert "partial match" not in text.stdout
    assert text.stdout.count("id: ") == len(all_words["hits"])
    filled = bahth(runner, "search", "بوتين المفاوضات", "--index", seeds_index, "-n", "30")
    assert "partial match" in filled.stdout


def test_search_match_any(seeds_index: Path, seeds_searcher: Searcher, runner: CliRunner) -> None:
    document = search_json(runner, seeds_index, "بوتين المفاوضات", "--match", "any", "-n", "30")
    api = seeds_searcher.search("بوتين المفاوضات", match="any", limit=30)
    assert hit_ids(document) == [hit.id for hit in api]
    assert any(hit["partial"] for hit in document["hits"])


def test_search_since_until_source(seeds_index: Path, runner: CliRunner) -> None:
    document = search_json(runner, seeds_index, "بوتين", "--since", "2025-01-01", "-n", "50")
    assert document["hits"] and all(hit["date"] >= "2025-01-01" for hit in document["hits"])
    document = search_json(runner, seeds_index, "بوتين", "--until", "2024-12-19", "-n", "50")
    assert document["hits"] and all(hit["date"] <= "2024-12-19" for hit in document["hits"])
    assert "seed-001" in hit_ids(document)  # dated 2024-12-19: until is inclusive
    document = search_json(runner, seeds_index, "بوتين", "--source", "skynews")
    assert {hit["source"] for hit in document["hits"]} == {"skynews"}


def test_search_bad_date_is_a_usage_error(seeds_index: Path, runner: CliRunner) -> None:
    result = bahth(runner, "search", "بوتين", "--index", seeds_index, "--since", "أمس", ok=False)
    assert_usage_error(result)
    assert "YYYY-MM-DD" in result.stderr


def test_search_sort_date(seeds_index: Path, runner: CliRunner) -> None:
    document = search_json(runner, seeds_index, "بوتين", "--sort", "date", "-n", "50")
    dates = [hit["date"] for hit in document["hits"]]
    assert len(dates) > 3 and dates == sorted(dates, reverse=True)


def test_search_limit_and_page(seeds_index: Path, runner: CliRunner) -> None:
    everything = hit_ids(search_json(runner, seeds_index, "بوتين", "-n", "50"))
    assert hit_ids(search_json(runner, seeds_index, "بوتين", "-n", "2")) == everything[:2]
    page = search_json(runner, seeds_index, "بوتين", "-n", "2", "--page", "3")
    assert hit_ids(page) == everything[4:6]
    text = bahth(runner, "search", "بوتين", "--index", seeds_index, "-n", "2", "--page", "3")
    assert re.findall(r"^(\d+)\. ", text.stdout, re.MULTILINE) == ["5", "6"]
    assert "(5-6 shown)" in text.stdout.splitlines()[0]


def test_search_page_past_the_end(seeds_index: Path, runner: CliRunner) -> None:
    result = bahth(runner, "search", "بوتين", "--index", seeds_index, "--page", "50")
    assert result.exit_code == 0
    # the result line, and only it, says so, and claims no range of hits shown (such as
    # "(491-490 shown)")
    [line] = result.stdout.splitlines()
    assert "shown" not in line
    document = search_json(runner, seeds_index, "بوتين", "--page", "50")
    assert document["hits"] == []
    assert f"(page 50 is past the last, {-(-document['total'] // 10)})" in line, line
    assert document["total"] == search_json(runner, seeds_index, "بوتين")["total"] > 0


def test_search_without_hits_exits_0_and_names_unknown_words(
    seeds_index: Path, runner: CliRunner
) -> None:
    result = bahth(runner, "search", "زرافة", "--index", seeds_index)
    assert result.exit_code == 0
    [line] = result.stdout.splitlines()
    assert "No results" in line and "زرافة" in line
    document = search_json(runner, seeds_index, "زرافة")
    assert (document["query"], document["total"], document["hits"]) == ("زرافة", 0, [])


@pytest.mark.parametrize(
    "query",
    [
        *("بوتين (روسيا", '"وزير الخارجية', "بوتين OR", "nofield:x", "-بوتين", "", "   ", "في"),
        "ا*",
        "(-بوتين -روسيا) -قطر",
    ],
)
def test_malformed_query_exits_2_without_traceback(
    seeds_index: Path, runner: CliRunner, query: str
) -> None:
    result = bahth(runner, "search", query, "--index", seeds_index, ok=False)
    assert_usage_error(result)


def test_malformed_query_message_has_the_position(seeds_index: Path, runner: CliRunner) -> None:
    result = bahth(runner, "search", "بوتين (روسيا", "--index", seeds_index, ok=False)
    assert "Error: '(' at position 7 is never closed" in result.stderr


# --- show, stats, analyze ----------------------------------------------------------------------


def test_show_text_and_json(news_index: Path, runner: CliRunner) -> None:
    text = bahth(runner, "show", "c1", "--index", news_index)
    assert text.exit_code == 0
    lines = text.stdout.splitlines()
    assert lines[0] == NEWS[0]["title"]
    assert "alwatan · 2025-03-01 · politics" in lines
    assert "id: c1" in lines and NEWS[0]["url"] in lines
    assert NEWS[0]["body"] in text.stdout

    as_json = bahth(runner, "show", "c1", "--index", news_index, "--json")
    document = json.loads(as_json.stdout)
    assert set(document) == {
        "id",
        "title",
        "date",
        "date_text",
        "source",
        "category",
        "source_name",  # the names of search.labels, after their keys
        "category_name",
        "url",
        "keywords",
        "body",
        "copies",
    }
    expected = {k: NEWS[0][k] for k in ("id", "title", "body", "date", "source", "category", "url")}
    assert {k: document[k] for k in expected} == expected
    assert (document["date_text"], document["keywords"]) == ("2025-03-01", [])


def test_show_unknown_id_exits_1(news_index: Path, runner: CliRunner) -> None:
    result = bahth(runner, "show", "no-such-id", "--index", news_index, ok=False)
    assert result.exit_code == 1
    assert "no-such-id" in result.stderr
    assert result.stdout == ""


def test_stats_text_and_json(seeds_index: Path, runner: CliRunner) -> None:
    seeds = [
        json.loads(line) for line in (SEEDS / "articles.jsonl").read_text("utf-8").splitlines()
    ]
    sources = Counter(record["source"] for record in seeds)
    # 26 JSONL articles and the scraped page; the earliest is seed-019 (09/06/2024), the
    # latest seed-013 (20/11/2025)
    text = bahth(runner, "stats", "--index", seeds_index)
    assert text.exit_code == 0
    # The seeds hold no near-copies: 27 stories.
    assert re.search(r"^articles:\s+27 in 27 stories ", text.stdout, re.MULTILINE)
    assert re.search(r"^dates:\s+2024-06-09 to 2025-11-20$", text.stdout, re.MULTILINE)

    document = json.loads(bahth(runner, "stats", "--index", seeds_index, "--json").stdout)
    assert set(document) == {
        "articles",
        "stories",
        "first_date",
        "last_date",
        "sources",
        "categories",
        "size_bytes",
        "generation",
        "engine",
        "built",
        "updated",
        "dumps",
        "shards",
    }
    assert document["articles"] == document["stories"] == 27
    assert document["shards"] == []  # one index in one place
    assert (document["first_date"], document["last_date"]) == ("2024-06-09", "2025-11-20")
    counted = {s["name"]: s["articles"] for s in document["sources"]}
    assert {name: counted[name] for name in sources} == dict(sources)
    assert sum(counted.values()) == 27
    categories = Counter(record["category"] for record in seeds)
    assert {c["name"]: c["articles"] for c in document["categories"]} == dict(categories)
    assert document["generation"] == "gen-000001"
    assert document["dumps"] == [str(SEEDS)]


def test_analyze_issue_example(runner: CliRunner) -> None:
    text = "وقال المتحدثُ باسم الكرملين إنّ المفاوضاتِ مستمرّة"
    result = bahth(runner, "analyze", text, "--json")
    assert result.exit_code == 0
    tokens = json.loads(result.stdout)
    assert [t["text"] for t in tokens] == text.split()
    for token in tokens:
        assert text[token["start"] : token["end"]] == token["text"]
        assert set(token) == {"text", "start", "end", "norm", "term"}
    by_text = {t["text"]: t for t in tokens}
    assert by_text["إنّ"]["term"] is None
    assert by_text["المفاوضاتِ"] == {
        "text": "المفاوضاتِ",
        "start": 32,
        "end": 42,
        "norm": "المفاوضات",
        "term": "مفاوض",
    }
    table = bahth(runner, "analyze", text)
    assert re.search(r"28-31\s+إنّ\s+ان\s+\(stopword\)", table.stdout)


# --- delete, rebuild ---------------------------------------------------------------------------


def test_delete(news_index: Path, runner: CliRunner) -> None:
    result = bahth(runner, "delete", "c1", "no-such-id", "--index", news_index)
    assert result.exit_code == 0
    assert result.stdout.strip() == f"1 of 2 articles deleted from {news_index}"
    assert bahth(runner, "show", "c1", "--index", news_index, ok=False).exit_code == 1
    assert bahth(runner, "show", "c2", "--index", news_index).exit_code == 0


def test_rebuild_switches_to_a_new_generation(
    news_index: Path, write_jsonl: WriteJsonl, runner: CliRunner
) -> None:
    dump = write_jsonl(NEWS[2:], "sport.jsonl")
    result = bahth(runner, "rebuild", dump, "--index", news_index)
    assert result.exit_code == 0
    found = SUMMARY.match(result.stdout.strip())
    assert found and (found.group("generation"), found.group("added")) == ("gen-000002", "1")
    assert layout.current(news_index) == news_index / "gen-000002"
    assert hit_ids(search_json(runner, news_index, "المنتخب")) == ["c3"]
    assert bahth(runner, "show", "c1", "--index", news_index, ok=False).exit_code == 1


# --- where the index is, and when there is none ------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["search", "بوتين"],
        ["search", "بوتين", "--json"],
        ["show", "c1"],
        ["stats"],
        ["delete", "c1"],
    ],
)
def test_missing_index_exits_1_and_says_how_to_build_one(
    tmp_path: Path, runner: CliRunner, args: list[str]
) -> None:
    result = bahth(runner, *args, "--index", tmp_path / "nowhere", ok=False)
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    assert "bahth index" in result.stderr
    assert result.stderr.startswith(f"Error: No index at {tmp_path / 'nowhere'}")
    assert result.stdout == ""


def test_bahth_index_env_var_is_used_without_index_option(
    news_index: Path, runner: CliRunner
) -> None:
    env = {"BAHTH_INDEX": str(news_index)}
    result = bahth(runner, "search", "الكرملين", "--json", env=env)
    assert result.exit_code == 0
    assert hit_ids(json.loads(result.stdout)) == ["c1"]
    assert json.loads(bahth(runner, "stats", "--json", env=env).stdout)["articles"] == 3
    # --index wins over the variable
    other = bahth(runner, "stats", "--index", news_index.parent / "nowhere", env=env, ok=False)
    assert other.exit_code == 1


# --- the installed console script --------------------------------------------------------------


def _console_script() -> str:
    beside = Path(sys.executable).with_name("bahth")
    found = str(beside) if beside.exists() else shutil.which("bahth")
    if found is None:
        pytest.fail("the bahth console script is not installed (pip install -e .)")
    return found


def test_console_script_help_and_search(seeds_index: Path) -> None:
    script = _console_script()
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("BAHTH_INDEX", None)
    shown = subprocess.run([script, "--help"], capture_output=True, text=True, env=env, check=False)
    assert shown.returncode == 0, shown.stderr
    assert "Usage: bahth" in shown.stdout
    for command in ("index", "rebuild", "delete", "search", "show", "stats", "analyze"):
        assert command in shown.stdout

    found = subprocess.run(
        [script, "search", "بوتين", "--index", str(seeds_index), "--json", "-n", "2"],
        capture_output=True,
        encoding="utf-8",
        env=env,
        check=False,
    )
    assert found.returncode == 0, found.stderr
    document = json.loads(found.stdout)
    assert document["query"] == "بوتين" and len(document["hits"]) == 2

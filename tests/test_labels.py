"""Display names of sources and categories (search.labels, bahth labels): the shipped table,
an index's own names (set, unset, import), kept across rebuilds, and in JSON output."""

from __future__ import annotations

import gzip
import json
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from search import IndexDamaged, Indexer, Labels, Searcher, render
from search.cli import main
from search.engine.contract import keyword_key
from search.labels import LABELS_FILE, _read_tsv
from tests.conftest import MakeIndex, WriteJsonl

# The source and category keys of the shared corpora, as ../shared/data/README.md lists them
# (ANT v1.1's source is written "Jawhara FM"; v2.1's "BBC" and "CNN" in capitals).
SHARED_SOURCES = (
    "alriyadh", "aljazirah", "alyaum", "aleqtisadiya", "aawsat", "okaz", "alwatan", "almadina",
    "alweeam", "3alyoum", "sabq", "was", "arreyadi", "arriyadiyah",
    "skynews", "alarabia", "france24", "BBC", "CNN", "Jawhara FM",
)  # fmt: skip
SHARED_CATEGORIES = (
    "localNews", "sport", "internationalNews", "society", "politic", "diverse", "economy",
    "culture", "technology", "middleEast",
)  # fmt: skip
CORPORA = (
    "antcorpus_v1.1/ant_v1.1_jawharafm.jsonl.gz",
    "antcorpus_multisource_v2.1/ant_v2.1_multisource.jsonl.gz",
    "saudinewsnet/saudinewsnet.jsonl.gz",
)


def _article(number: int, source: str, category: str | None) -> dict[str, object]:
    return {
        "id": f"a{number}",
        "title": f"خبر رقم {number} عن الاقتصاد",
        "body": "ارتفعت أسعار النفط في الأسواق العالمية اليوم بعد قرار أوبك.",
        "date": f"2015-08-{number % 28 + 1:02d}",
        "source": source,
        "category": category,
    }


SAMPLE = [
    _article(n, source, SHARED_CATEGORIES[n % len(SHARED_CATEGORIES)])
    for n, source in enumerate(SHARED_SOURCES)
]


@pytest.fixture
def index(make_index: MakeIndex) -> Path:
    """An index of one article per shared source key, with every shared category."""
    return make_index([*SAMPLE, _article(99, "mypaper", "weird")])


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


# --- the shipped table ---------------------------------------------------------------------


def test_shipped_table_reads_without_problems_and_names_each_key_once() -> None:
    path = Path(__file__).parent.parent / "search" / "data" / "labels.tsv"
    entries, problems = _read_tsv(str(path), path.read_text(encoding="utf-8").splitlines())
    assert problems == []
    folded = [(field, keyword_key(key)) for field, key, _ in entries]
    assert len(folded) == len(set(folded)), "a key is named twice"
    for field, key, names in entries:
        assert set(names) == {"ar", "en"}, (field, key)
        assert any("\u0600" <= c <= "\u06ff" for c in names["ar"]), (field, key)


def test_a_sample_with_the_shared_keys_is_named_by_the_shipped_table(index: Path) -> None:
    with Searcher(index) as searcher:
        stats, labels = searcher.stats(), searcher.labels
    sources = {key for key, _ in stats.sources}
    categories = {key for key, _ in stats.categories}
    assert sources == {*SHARED_SOURCES, "mypaper"}
    assert categories == {*SHARED_CATEGORIES, "weird"}
    unnamed = [
        (field, key)
        for field, keys in (("source", sources), ("category", categories))
        for key in keys
        if labels.label(field, key).origin != "shipped"
    ]
    assert sorted(unnamed) == [("category", "weird"), ("source", "mypaper")]
    assert labels.name("source", "aljazirah") == "الجزيرة"
    assert labels.name("source", "3alyoum", "en") == "Ain Alyoum"
    assert labels.name("category", "internationalNews") == "أخبار دولية"


@pytest.mark.slow  # reads every article of the shared corpora
def test_every_key_of_the_shared_corpora_has_a_shipped_name(shared_data: Path) -> None:
    keys: set[tuple[str, str]] = set()
    for name in CORPORA:
        with gzip.open(shared_data / name, "rt", encoding="utf-8") as lines:
            for line in lines:
                record = json.loads(line)
                for field in ("source", "category"):
                    if record[field] is not None:
                        keys.add((field, record[field]))
    assert len(keys) == len(SHARED_SOURCES) + len(SHARED_CATEGORIES)
    shipped = Labels.shipped()
    assert [k for k in sorted(keys) if shipped.label(*k).origin != "shipped"] == []


def test_a_key_is_matched_as_a_filter_matches_it_and_unknown_keys_show_as_they_are() -> None:
    shipped = Labels.shipped()
    assert shipped.name("source", "bbc") == shipped.name("source", "BBC") == "بي بي سي عربي"
    assert shipped.name("source", "jawhara  fm", "en") == "Jawhara FM"
    assert shipped.name("source", "no-such-paper", "en") == "no-such-paper"
    assert shipped.name("category", "aljazirah") == "aljazirah"  # a source, not a category
    assert shipped.label("source", "no-such-paper").origin is None


# --- an index's own names --------------------------------------------------------------------


def test_set_list_and_unset_through_the_command(index: Path) -> None:
    result = run("labels", "set", "source", "mypaper", "صحيفتي", "--index", str(index))
    assert result.exit_code == 0, result.output
    assert "mypaper: صحيفتي (ar); was mypaper" in result.stdout
    english = ("source", "MyPaper", "My Paper", "--lang", "en")
    result = run("labels", "set", *english, "--index", str(index))
    assert result.exit_code == 0, result.output

    listed = run("labels", "list", "--field", "source", "--index", str(index))
    assert listed.exit_code == 0, listed.output
    rows = {line.split()[1]: line for line in listed.stdout.splitlines()}
    # Each key as the index spells it, whatever the spelling its name was set with.
    assert set(rows) == set(SHARED_SOURCES) - {"Jawhara FM"} | {"Jawhara", "mypaper"}
    assert rows["mypaper"].split()[-1] == "index" and "صحيفتي" in rows["mypaper"]
    assert "My Paper" in rows["mypaper"]
    assert rows["aljazirah"].split()[-1] == "shipped"

    document = json.loads(run("labels", "list", "--json", "--index", str(index)).stdout)
    mine = [row for row in document["labels"] if row["key"] == "mypaper"]
    assert mine == [
        {"field": "source", "key": "mypaper", "ar": "صحيفتي", "en": "My Paper",
         "from": "index", "in_index": True}
    ]  # fmt: skip
    weird = next(row for row in document["labels"] if row["key"] == "weird")
    assert (weird["ar"], weird["from"]) == ("weird", None)

    result = run("labels", "unset", "source", "mypaper", "--lang", "en", "--index", str(index))
    assert result.exit_code == 0, result.output
    assert Labels.of(index).name("source", "mypaper", "en") == "صحيفتي"  # the other language's
    assert run("labels", "unset", "source", "mypaper", "--index", str(index)).exit_code == 0
    assert Labels.of(index).name("source", "mypaper") == "mypaper"
    again = run("labels", "unset", "source", "mypaper", "--index", str(index))
    assert again.exit_code == 1
    assert "no name of its own for source 'mypaper'" in again.output


def test_an_index_name_goes_before_the_shipped_one_per_language(index: Path) -> None:
    Labels.set(index, "source", "aljazirah", "جريدة الجزيرة")
    labels = Labels.of(index)
    assert labels.name("source", "aljazirah") == "جريدة الجزيرة"
    assert labels.name("source", "aljazirah", "en") == "Al-Jazirah"  # shipped, in English
    assert labels.label("source", "aljazirah").origin == "index"
    assert Labels.unset(index, "source", "aljazirah")
    assert Labels.of(index).name("source", "aljazirah") == "الجزيرة"


def test_a_key_the_index_lacks_is_kept_with_a_note(index: Path) -> None:
    result = run("labels", "set", "source", "alhayat", "الحياة", "--index", str(index))
    assert result.exit_code == 0, result.output
    assert "the index has no source 'alhayat' (yet)" in result.stderr
    listed = run("labels", "list", "--index", str(index)).stdout
    assert any(
        line.split()[1] == "alhayat" and line.endswith("index (not in the index)")
        for line in listed.splitlines()
    )


def test_a_wrong_name_is_a_usage_error_and_changes_nothing(index: Path) -> None:
    result = run("labels", "set", "source", "mypaper", "سطر\nآخر", "--index", str(index))
    assert result.exit_code == 2
    assert "line break" in result.stderr
    assert not (index / LABELS_FILE).exists()
    assert run("labels", "set", "author", "x", "y", "--index", str(index)).exit_code == 2


def test_a_missing_index_says_how_to_build_one(tmp_path: Path) -> None:
    for args in (("list",), ("set", "source", "okaz", "عكاظ"), ("unset", "source", "okaz")):
        result = run("labels", *args, "--index", str(tmp_path / "none"))
        assert result.exit_code == 1, args
        assert "No index at" in result.stderr and "bahth index DUMP" in result.stderr, args
    assert not (tmp_path / "none").exists()


def test_names_survive_a_rebuild_and_a_running_searcher_sees_new_ones(
    make_index: MakeIndex, write_jsonl: WriteJsonl
) -> None:
    index = make_index(SAMPLE)
    with Searcher(index) as searcher:
        assert searcher.labels.name("source", "okaz") == "عكاظ"
        Labels.set(index, "source", "okaz", "صحيفة عكاظ")
        assert searcher.labels.name("source", "okaz") == "صحيفة عكاظ"
        before = searcher.generation.name
    report = Indexer(index).rebuild([write_jsonl(SAMPLE, "again.jsonl")])
    assert report.generation != before
    with Searcher(index) as searcher:
        assert searcher.generation.name == report.generation
        assert searcher.labels.name("source", "okaz") == "صحيفة عكاظ"


def test_names_set_at_once_are_all_kept(index: Path) -> None:
    def name(number: int) -> None:
        Labels.set(index, "source", f"paper{number}", f"صحيفة {number}")

    threads = [threading.Thread(target=name, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    labels = Labels.of(index)
    assert [labels.name("source", f"paper{n}") for n in range(8)] == [
        f"صحيفة {n}" for n in range(8)
    ]


def test_a_damaged_labels_file_is_named(index: Path) -> None:
    (index / LABELS_FILE).write_text('{"version": 1, "source": {"okaz": 3}}', encoding="utf-8")
    with pytest.raises(IndexDamaged, match=r"labels\.json is damaged"):
        Labels.of(index)
    result = run("labels", "list", "--index", str(index))
    assert result.exit_code == 1 and "labels.json is damaged" in result.stderr


# --- importing a labels file -------------------------------------------------------------------


def test_import_tsv_names_each_wrong_line_and_sets_the_rest(index: Path, tmp_path: Path) -> None:
    names = tmp_path / "names.tsv"
    names.write_text(
        "field\tkey\tar\ten\n"  # a header
        "# a comment\n"
        "source\tmypaper\tصحيفتي\tMy Paper\n"
        "source\tokaz\n"  # line 4: too few columns
        "author\tx\ty\n"  # line 5: not a field
        "category\tweird\tغريب\n"
        "\n"
        "source\tsabq\t\t\n"  # line 8: no name
        "category\tsport\t\tSports\n",
        encoding="utf-8",
    )
    result = run("labels", "import", str(names), "--index", str(index))
    assert result.exit_code == 0, result.output
    problems = result.stderr.splitlines()
    assert [p.split(": ")[0] for p in problems] == [f"{names}:4", f"{names}:5", f"{names}:8"]
    assert "not 3 to 5" in problems[0] and "'author' is not a field" in problems[1]
    assert result.stdout.strip() == f"{names}: 4 names of 3 keys set; 3 left out"
    labels = Labels.of(index)
    assert labels.name("source", "mypaper", "en") == "My Paper"
    assert labels.name("category", "weird") == "غريب"
    assert labels.name("category", "sport", "en") == "Sports"
    assert labels.name("category", "sport") == "رياضة"  # the shipped Arabic name stays


def test_import_json_object_and_json_lines(index: Path, tmp_path: Path) -> None:
    document = tmp_path / "names.json"
    document.write_text(
        json.dumps(
            {"source": {"mypaper": "صحيفتي", "okaz": {"ar": "عكاظ اليوم", "en": "Okaz"}, "x": 5},
             "author": {}},
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )  # fmt: skip
    result = run("labels", "import", str(document), "--index", str(index))
    assert result.exit_code == 0, result.output
    assert len(result.stderr.splitlines()) == 2
    assert f"{document}: source 'x'" in result.stderr
    assert Labels.of(index).name("source", "okaz") == "عكاظ اليوم"

    lines = tmp_path / "names.jsonl"
    lines.write_text(
        '{"field": "source", "key": "sabq", "ar": "صحيفة سبق"}\n'
        "{not json\n"
        '{"field": "source", "key": "was", "name": "واس"}\n',
        encoding="utf-8",
    )
    result = run("labels", "import", str(lines), "--index", str(index))
    assert result.exit_code == 0, result.output
    assert [p.split(": ")[0] for p in result.stderr.splitlines()] == [f"{lines}:2", f"{lines}:3"]
    assert Labels.of(index).name("source", "sabq") == "صحيفة سبق"


def test_import_of_a_file_with_no_name_fails(index: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty.tsv"
    empty.write_text("# nothing\nsource\n", encoding="utf-8")
    result = run("labels", "import", str(empty), "--index", str(index))
    assert result.exit_code == 1
    assert f"{empty}:2:" in result.stderr and "no name could be read" in result.stderr
    assert not (index / LABELS_FILE).exists()


# --- JSON output -------------------------------------------------------------------------------


def test_json_carries_names_beside_the_keys(index: Path) -> None:
    with Searcher(index) as searcher:
        results = searcher.search("النفط", source="okaz", limit=5)
        article = searcher.get(results.hits[0].id)
        labels = searcher.labels
    [hit] = json.loads(render.to_json(results, labels=labels))["hits"]
    members = list(hit)
    assert members[members.index("source") : members.index("source") + 4] == [
        "source", "source_name", "category", "category_name",
    ]  # fmt: skip
    assert (hit["source"], hit["source_name"]) == ("okaz", "عكاظ")
    assert "source_name" not in json.loads(render.to_json(results))["hits"][0]
    assert article is not None
    shown = render.article_dict(article, labels=labels, lang="en")
    assert (shown["source"], shown["source_name"]) == ("okaz", "Okaz")

"""Spelling variants of names mined from the archive (``search.spelling.variants``).

The corpus: one city written ميونخ by one paper and ميونيخ by another, among the same words;
and two look-alike names one letter apart, سانتوس (a footballer) and سنتوس (a drug maker),
among different words. The first pair is mined and searched together, the second is not.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from search import Indexer, Searcher, layout
from search.cli import main
from search.engine import EngineReader
from search.generation import VARIANTS, Generation
from search.spelling import variants
from search.spelling.variants import (
    MIN_ARTICLES,
    REMINE_GROWTH,
    Variant,
    Variants,
    mine,
    same_family,
)
from tests.conftest import MakeIndex, WriteJsonl

pytestmark = pytest.mark.usefixtures("engine")

CITY = [
    "عقد مؤتمر {0} للأمن دورته السنوية في المدينة الألمانية بحضور وزراء الخارجية والدفاع.",
    "فاز فريق بايرن {0} على منافسه في الدوري الألماني وعزز صدارته للترتيب العام.",
    "شهدت مدينة {0} الألمانية معرضا دوليا للسيارات الكهربائية زاره آلاف الزوار.",
]
SANTOS = "سجل اللاعب سانتوس هدفا رائعا في المباراة وقاد فريقه إلى الفوز في الدوري البرازيلي."
SENTOS = "أعلنت شركة سنتوس للأدوية ارتفاع أرباحها الفصلية بعد طرح دواء جديد في الصيدليات."


def _articles(prefix: str, count: int, text: str, source: str) -> list[dict[str, object]]:
    return [
        {
            "id": f"{prefix}-{n}",
            "title": text.split(" في ")[0],
            "body": f"{text} وقال مراسل الصحيفة إن الخبر رقم {n} نشر صباح اليوم.",
            "date": f"2024-03-{n % 28 + 1:02d}",
            "source": source,
        }
        for n in range(count)
    ]


def corpus(count: int = MIN_ARTICLES + 4) -> list[dict[str, object]]:
    records: list[dict[str, object]] = []
    for spelling, source in (("ميونخ", "alriyadh"), ("ميونيخ", "aawsat")):
        for n in range(count):
            text = CITY[n % len(CITY)].format(spelling)
            records += _articles(f"{spelling}-{n}", 1, text, source)
    records += _articles("santos", count, SANTOS, "alriyadh")
    records += _articles("sentos", count, SENTOS, "aawsat")
    return records


@pytest.fixture
def index(make_index: MakeIndex) -> Path:
    return make_index(corpus())


def test_spellings_of_one_name_are_mined_and_look_alikes_are_not(index: Path) -> None:
    found = Variants.read(layout.current(index))
    assert found is not None and found.articles == len(corpus())
    assert [(v.term, v.form) for v in found.of("ميونخ")] == [("ميونيخ", "ميونيخ")]
    assert [v.term for v in found.of("ميونيخ")] == ["ميونخ"]
    assert found.of("سانتوس") == [] and found.of("سنتوس") == []


def test_a_search_finds_the_other_spelling_below_the_one_typed(index: Path) -> None:
    with Searcher(index) as searcher:
        both = searcher.search("ميونخ", limit=100)
        typed = searcher.search("ميونخ", limit=100, variants=False)
    assert both.variants == {"ميونخ": ["ميونيخ"]} and typed.variants == {}
    assert typed.total == MIN_ARTICLES + 4 and both.total == 2 * typed.total
    ranked = [hit.id.split("-")[0] for hit in both]
    assert ranked == ["ميونخ"] * typed.total + ["ميونيخ"] * typed.total
    other = both.hits[-1]
    assert [other.snippet[a:b] for a, b in other.highlights] == ["ميونيخ"]  # marked too
    with Searcher(index) as searcher:
        look_alike = searcher.search("سانتوس", limit=100)
    assert look_alike.variants == {} and {h.id.split("-")[0] for h in look_alike} == {"santos"}


def test_the_command_says_which_spellings_it_added(index: Path) -> None:
    runner = CliRunner()
    base = ["search", "--index", str(index), "ميونيخ", "-n", "1"]
    text = runner.invoke(main, base)
    assert text.exit_code == 0, text.output
    assert "Also searched: ميونخ for ميونيخ (--no-variants: only as typed)" in text.output
    plain = runner.invoke(main, [*base, "--no-variants"])
    assert "Also searched" not in plain.output
    document = json.loads(runner.invoke(main, [*base, "--json"]).output)
    assert document["variants"] == {"ميونيخ": ["ميونخ"]} and document["total"] == 48


def test_an_explanation_names_the_other_spelling(index: Path) -> None:
    with Searcher(index) as searcher:
        results = searcher.search("ميونخ", limit=100, explain=True)
    last = results.hits[-1]
    assert last.explanation is not None
    [part] = last.explanation.parts
    assert (part.kind, part.term, part.forms) == ("variant", "ميونيخ", ("ميونيخ",))
    assert part.score == pytest.approx(last.score, abs=1e-3)


def test_mining_through_a_fresh_reader_every_term_finds_the_same_pairs(
    index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    side = Generation(layout.current(index))
    opened: list[EngineReader] = []

    def reopen() -> EngineReader:
        opened.append(side.engine.open_reader(side.location))
        return opened[-1]

    reader = side.engine.open_reader(side.location)
    try:
        alone = mine(reader)
        monkeypatch.setattr(variants, "READER_TERMS", 1)
        fresh = mine(reader, reopen=reopen)
    finally:
        reader.close()
    assert fresh == alone and any(term == "ميونخ" for term, _ in fresh)
    assert len(opened) > 1  # one a term


@pytest.mark.parametrize("child_fails", [False, True])
def test_mining_in_two_processes_finds_the_same_pairs(
    index: Path, monkeypatch: pytest.MonkeyPatch, child_fails: bool
) -> None:
    side = Generation(layout.current(index))
    if not getattr(side.engine, "FORK_READERS", False):
        pytest.skip("the engine's readers are not opened in forked processes")
    parent = os.getpid()
    opened: list[EngineReader] = []

    def reopen() -> EngineReader:
        if os.getpid() != parent and child_fails:
            raise RuntimeError("the forked process fails")
        opened.append(side.engine.open_reader(side.location))
        return opened[-1]

    reader = side.engine.open_reader(side.location)
    try:
        monkeypatch.setattr(variants, "READER_TERMS", 1)
        alone = mine(reader, reopen=reopen)
        terms = len(opened)  # one reader a term
        opened.clear()
        monkeypatch.setattr(variants, "FORKED_TERMS", 1)
        forked = mine(reader, reopen=reopen, forked=True)
    finally:
        reader.close()
    assert forked == alone and any(term == "ميونخ" for term, _ in forked)
    # This process read its half of the terms, or all when the other process failed.
    assert len(opened) == (terms if child_fails else terms - terms // 2) and terms > 1


def test_a_small_run_carries_the_variants_forward_and_a_large_one_mines_again(
    index: Path, write_jsonl: WriteJsonl
) -> None:
    side = Generation(layout.current(index))
    before = side.in_force(VARIANTS)
    assert before is not None
    one = _articles("other", 1, "خبر قصير عن الطقس في المدينة اليوم.", "alriyadh")
    Indexer(index).add_files([write_jsonl(one, "one.jsonl")])
    after = side.in_force(VARIANTS)
    assert after is not None and after != before  # under the new commit, same pairs
    assert Variants.parse(after.read_text("utf-8")).articles == len(corpus())
    grown = int(len(corpus()) * REMINE_GROWTH) + 1
    more = _articles("more", grown, "خبر آخر عن الطقس في المدينة اليوم.", "aawsat")
    Indexer(index).add_files([write_jsonl(more, "more.jsonl")])
    mined = Variants.read(layout.current(index))
    assert mined is not None and mined.articles == len(corpus()) + 1 + grown
    assert [v.term for v in mined.of("ميونخ")] == ["ميونيخ"]


def test_the_page_names_the_spellings_with_a_link_without_them(index: Path) -> None:
    from starlette.testclient import TestClient

    from search.web.app import create_app

    with TestClient(create_app(index)) as client:
        page = client.get("/search", params={"q": "ميونخ"}).text
        assert "بحثنا أيضًا عن تهجئات أخرى للأسماء" in page and "variants=0" in page
        without = client.get("/search", params={"q": "ميونخ", "variants": "0"}).text
        assert "بحثنا أيضًا" not in without


@pytest.mark.parametrize(
    ("a", "b", "family"),
    [
        ("اندلع", "اندلاع", True),  # a verb and its verbal noun
        ("تحلق", "تحليق", True),
        ("مقطع", "مقاطع", True),  # a singular and its broken plural
        ("كوكب", "كواكب", True),
        ("قالب", "قوالب", True),
        ("طالب", "طلاب", True),
        ("سقطت", "اسقطت", True),  # a verb of form I and of form IV
        ("ميونخ", "ميونيخ", False),  # names
        ("بوينج", "بوينغ", False),
        ("فرانسوا", "فرنسوا", False),
        ("كلاشنكوف", "كلاشينكوف", False),
    ],
)
def test_words_of_one_family_are_not_taken_for_spellings(a: str, b: str, family: bool) -> None:
    assert same_family(a, b) is family


def test_a_damaged_variants_file_is_read_for_what_it_holds() -> None:
    text = Variants([("ميونخ", Variant("ميونيخ", "ميونيخ", 0.9))], 48).to_text()
    damaged = text + "a line cut sho\n\t\t\n" + "بوتن\tبوتين\tبوتين\tnan\n"
    read = Variants.parse(damaged)
    assert (read.articles, [(t, v.term) for t, v in read.pairs()]) == (48, [("ميونخ", "ميونيخ")])
    assert Variants.parse("").articles == 0 and len(Variants.parse("")) == 0

"""Stories: near-copies found at index time, collapsed at search time, kept right by every
kind of run. Planted copies in a generated corpus, through the API and the CLI, on both
engines."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from search import Article, Indexer, Searcher, layout, story_segments
from search.cli import main
from search.file_arrays import FileArray
from search.generation import STORIES
from search.render.common import counts, stories_count
from search.render.page import totals_html
from search.stories import Stories
from search.story_segments import SortedKeys
from search.story_signatures import (
    PERMUTATIONS,
    THRESHOLD,
    band_keys,
    body_words,
    shingles,
    signature,
    similarity,
)

pytestmark = pytest.mark.usefixtures("engine")

# Real words from news sentences, sampled into bodies that share no run of five words.
_NEWS = """
أعلنت وزارة الصحة اليوم عن تسجيل حالات جديدة في عدة مناطق وأكدت أن الوضع مستقر وقال
المتحدث الرسمي إن الفرق الميدانية تعمل على مدار الساعة لمتابعة المخالطين وتقديم الرعاية
للمرضى في المستشفيات الحكومية والخاصة كما دعت المواطنين والمقيمين إلى الالتزام بالإجراءات
الاحترازية وارتداء الكمامات في الأماكن العامة وتجنب التجمعات العائلية الكبيرة خلال فترة
الأعياد وأشار التقرير إلى ارتفاع عدد المتعافين وانخفاض نسبة الإشغال في أقسام العناية المركزة
بينما واصلت الهيئة العامة للإحصاء نشر البيانات الأسبوعية عن أسعار السلع والخدمات في الأسواق
المحلية وقال وزير المالية إن الميزانية تشهد تحسنا ملحوظا بفضل ارتفاع أسعار النفط في الأسواق
العالمية وزيادة الإيرادات غير النفطية مع استمرار الإنفاق على مشروعات البنية التحتية والإسكان
"""
WORDS = _NEWS.split()
FOOTER = (
    "للاشتراك في النشرة البريدية اليومية أرسل رسالة إلى الرقم المخصص وتابعونا على حساباتنا في "
    "مواقع التواصل الاجتماعي لمعرفة آخر الأخبار العاجلة والتقارير الخاصة من مراسلينا في "
    "المناطق جميع الحقوق محفوظة للصحيفة ولا يجوز النقل دون إذن مكتوب من إدارة التحرير"
)


def _body(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words))


def _edited(rng: random.Random, body: str, changes: int) -> str:
    words = body.split()
    for at in rng.sample(range(len(words)), changes):
        words[at] = rng.choice(WORDS)
    return " ".join(words)


def planted() -> list[Article]:
    """A wire story and its copies, two stories sharing only a footer, and other articles."""
    rng = random.Random(3)
    wire = _body(rng, 150)
    lead = " ".join(wire.split()[:30])
    bodies = {
        "wire": wire,
        "exact": wire,  # another paper, word for word
        "edited": _edited(rng, wire, 4) + " وأضاف أن التحقيقات مستمرة",
        "new-lead": _body(rng, 30) + " " + wire[len(lead) + 1 :],  # its own first paragraph
        "footer-a": _body(rng, 60) + " " + FOOTER,
        "footer-b": _body(rng, 60) + " " + FOOTER,
    }
    articles = [
        Article(id=name, title=f"خبر {name}", body=body, source=source, date=None)
        for (name, body), source in zip(
            bodies.items(), ["spa", "okaz", "alriyadh", "alwatan", "sabq", "sabq"], strict=True
        )
    ]
    articles += [
        Article(id=f"other-{n}", title="خبر آخر", body=_body(rng, 80), source="okaz")
        for n in range(40)
    ]
    return articles


WIRE_COPIES = {"wire", "exact", "edited", "new-lead"}


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory, engine: str) -> Path:
    path = tmp_path_factory.mktemp(f"stories-{engine}") / "index"
    Indexer(path, workers=1).add_articles(planted())
    return path


@pytest.fixture
def searcher(index: Path) -> Iterator[Searcher]:
    with Searcher(index) as opened:
        yield opened


# --- the module ------------------------------------------------------------------------------


def test_signatures_estimate_the_shingle_jaccard() -> None:
    rng = random.Random(5)
    for _ in range(20):
        a = _body(rng, 120)
        b = _edited(rng, a, rng.randint(0, 30))
        words, edited = body_words(a), body_words(b)
        one, other = set(shingles(words).tolist()), set(shingles(edited).tolist())
        exact = len(one & other) / len(one | other)
        sa, sb = signature(words), signature(edited)
        assert sa is not None and sb is not None
        assert abs(similarity(sa, sb) - exact) < 0.25, exact


def test_short_bodies_get_no_signature_and_stay_alone() -> None:
    stories = Stories.empty()
    words = body_words("تفاصيل الخبر لاحقا")
    assert signature(words) is None
    assert stories.assign("a", signature(words)) != stories.assign("b", signature(words))


def test_the_planted_copies_are_similar_and_the_footers_are_not() -> None:
    bodies = {a.id: body_words(a.body) for a in planted()}
    wire = signature(bodies["wire"])
    for name in ("exact", "edited", "new-lead"):
        assert similarity(wire, signature(bodies[name])) >= THRESHOLD, name
    assert similarity(signature(bodies["footer-a"]), signature(bodies["footer-b"])) < THRESHOLD


def test_a_batch_gets_the_stories_one_by_one_would() -> None:
    rng = random.Random(8)
    bodies: list[str] = []
    for _ in range(3000):  # enough for the pending keys to be merged into the sorted array
        copy = bodies and rng.random() < 0.2
        bodies.append(_edited(rng, rng.choice(bodies), 1) if copy else _body(rng, 40))
    found = [signature(body_words(body)) for body in bodies]
    found += [None, found[5]]  # too short to compare; the same id again, below
    ids = [f"a{n}" for n in range(len(bodies))] + ["short", "a7"]
    one_by_one = Stories.empty()
    expected = [one_by_one.assign(i, v) for i, v in zip(ids, found, strict=True)]
    batched = Stories.empty()
    got: list[int] = []
    start = 0
    while start < len(ids):
        size = rng.choice([rng.randint(1, 300), 1500])  # larger than the arrays held: grown
        batch = list(zip(ids[start : start + size], found[start : start + size], strict=True))
        got += batched.assign_all([(i, None if v is None else v.tobytes()) for i, v in batch])
        start += size
    assert got == expected
    assert len(set(expected)) < len(expected) - 300  # many copies joined stories


def _reference(steps: list[tuple[str, np.ndarray | None] | str]) -> list[int]:
    """The stories of the articles of ``steps`` (an id and its signature; a bare id: that
    article deleted) by brute force: every earlier article alive that shares any band key is
    a candidate, and the most similar one (the earliest among equals) gives its story if it
    passes the threshold."""
    articles = [step for step in steps if not isinstance(step, str)]
    count = len(articles)
    values = np.array([_ZEROS if v is None else v for _, v in articles])
    keys = band_keys(values)
    comparable = np.array([v is not None for _, v in articles])
    alive = np.zeros(count, dtype=bool)
    row_of: dict[str, int] = {}
    stories = np.zeros(count, dtype=np.int64)
    next_story = 1
    row = 0
    for step in steps:
        if isinstance(step, str):
            alive[row_of.pop(step)] = False
            continue
        article_id, value = step
        if article_id in row_of:
            alive[row_of[article_id]] = False
        story = 0
        if value is not None:
            shared = np.isin(keys[:row], keys[row]).any(axis=1) & alive[:row] & comparable[:row]
            candidates = np.flatnonzero(shared)
            if len(candidates):
                similar = np.count_nonzero(values[candidates] == value, axis=1)
                best = int(np.argmax(similar))  # the first of the greatest: the earliest
                if similar[best] >= THRESHOLD * PERMUTATIONS:
                    story = int(stories[candidates[best]])
        if not story:
            story, next_story = next_story, next_story + 1
        stories[row] = story
        alive[row] = True
        row_of[article_id] = row
        row += 1
    return stories.tolist()


_ZEROS = np.zeros(PERMUTATIONS, dtype=np.uint16)


def _random_signatures(rng: np.random.Generator, count: int) -> list[np.ndarray | None]:
    """Random signatures, a third of them near-copies of an earlier one (some above the
    threshold, some below), some from few values (many chance band collisions), a few None."""
    made: list[np.ndarray | None] = []
    for _ in range(count):
        kind = rng.random()
        earlier = [s for s in made[-300:] if s is not None]
        if kind < 0.35 and earlier:
            copy = earlier[rng.integers(len(earlier))].copy()
            changed = rng.choice(PERMUTATIONS, rng.integers(0, 48), replace=False)
            copy[changed] = rng.integers(0, 2**16, len(changed))
            made.append(copy)
        elif kind < 0.5:
            made.append(rng.integers(1, 5, PERMUTATIONS).astype(np.uint16))
        elif kind < 0.53:
            made.append(None)
        else:
            made.append(rng.integers(0, 2**16, PERMUTATIONS).astype(np.uint16))
    return made


@pytest.mark.parametrize(
    ("spill", "reads"), [(False, "whole"), (True, "whole"), (False, "file"), (True, "mixed")]
)
def test_stories_written_over_many_commits_are_those_of_brute_force(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spill: bool, reads: str
) -> None:
    """Over commits of every size (segments written, merged, compacted and opened again, the
    run's pending keys merged into sorted runs every 16 articles, runs and segments with and
    without a directory), articles indexed again and deleted: the stories and the candidates
    of brute force. ``spill``: a run's articles go to temporary segments every 37, merged as
    a binary counter too, and merges write their band keys in pieces of a few key ranges.
    ``reads``: the segments' arrays are small enough to be read whole when opened ("whole"),
    or are read from their files where they are looked up ("file"), through the mapping
    after a few reads ("mixed", where a look-up reads 2 keys of a range at once, not 16, and
    searches the rest)."""
    monkeypatch.setattr(Stories, "_PENDING", 16)
    monkeypatch.setattr(SortedKeys, "DIRECTORY_FROM", 2000)  # the larger ones have one
    if reads != "whole":
        monkeypatch.setattr(story_segments, "_READ_WHOLE", 0)
        monkeypatch.setattr(story_segments, "MAPPED_AFTER", 1e9 if reads == "file" else 0.05)
    if reads == "mixed":
        monkeypatch.setattr(SortedKeys, "_WINDOW", 2)
    if spill:
        monkeypatch.setattr(Stories, "_SPILL", 37)
        monkeypatch.setattr(story_segments, "_PIECE_KEYS", 700)
        monkeypatch.setattr(story_segments, "_PIECE_ROWS", 9)
    rng = np.random.default_rng(11)
    made = _random_signatures(rng, 1500)
    ids = [f"a{n}" for n in range(len(made))]
    ids[700:760] = [f"a{n}" for n in range(40, 100)]  # indexed again: the earlier rows go
    steps: list[tuple[str, np.ndarray | None] | str] = []
    alive: list[str] = []
    stories = Stories.empty()
    got: list[int] = []
    start = commit = most_held = 0
    while start < len(made):
        size = int(rng.choice([1, 1, 2, 5, 40, 300]))
        batch = list(zip(ids[start : start + size], made[start : start + size], strict=True))
        got += stories.assign_all(batch)
        steps += batch
        alive = [i for i in alive if i not in dict(batch)] + [i for i, _ in batch]
        if rng.random() < 0.3:  # deletes, some of them of most of an early commit
            for gone in rng.choice(alive, min(len(alive), int(rng.integers(1, 60))), False):
                stories.remove(str(gone))
                steps.append(str(gone))
                alive.remove(str(gone))
        commit += 1
        stories.write(tmp_path, commit)
        if rng.random() < 0.5:  # read again, as the next run does
            stories = Stories.load(tmp_path / STORIES.name(commit))
        most_held = max(most_held, len(stories._held))
        start += size
    assert got == _reference(steps)
    assert len(set(got)) < len(got) - 200  # many copies joined stories
    assert 3 < most_held <= 2 * commit.bit_length()  # merged, a binary counter's many
    in_files = [isinstance(segment.keys.keys, FileArray) for segment in stories._held]
    assert any(in_files) == (reads != "whole")
    # The candidates themselves, for signatures held and new ones.
    by_id = dict(step for step in steps if not isinstance(step, str))
    held = [by_id[i] for i in alive if by_id[i] is not None]
    held_keys = band_keys(np.array(held))
    for probe in [s for s in made[::7] + _random_signatures(rng, 100) if s is not None]:
        keys = band_keys(probe[np.newaxis])[0]
        found = [
            segment.signatures[segment.candidates(segment.keys.locate(keys))]
            for segment in stories._held
        ]
        expected = np.array(held)[np.isin(held_keys, keys).any(axis=1)]
        assert sorted(map(bytes, np.concatenate(found))) == sorted(map(bytes, expected))


def test_the_stories_file_of_an_older_bahth_is_read_and_replaced(tmp_path: Path) -> None:
    rng = np.random.default_rng(5)
    made = _random_signatures(rng, 400)
    articles = [(f"a{n}", value) for n, value in enumerate(made)]
    before = Stories.empty()
    stories = before.assign_all(articles[:300])
    rows = range(300)
    whole = tmp_path / "stories.000003.npz"
    np.savez(  # what Bahth wrote before segments: every article, one file
        whole,
        ids=np.array([articles[n][0] for n in rows], dtype=str),
        signatures=np.array([_ZEROS if articles[n][1] is None else articles[n][1] for n in rows]),
        stories=np.array(stories, dtype=np.int64),
        next_story=np.array([max(stories) + 1], dtype=np.int64),
        version=np.array([1], dtype=np.int64),
    )
    read = Stories._read_whole(whole)
    read.remove("a7")
    later = read.assign_all(articles[300:])
    assert stories + later == _reference([*articles[:300], "a7", *articles[300:]])
    read.write(tmp_path, 4)  # the older file's articles go into the commit's segment
    again = Stories.load(tmp_path / STORIES.name(4))
    assert [len(segment.stories) for segment in again._held] == [399]


# --- the index -------------------------------------------------------------------------------


def test_copies_share_a_story_and_different_stories_do_not(searcher: Searcher) -> None:
    for name in WIRE_COPIES:
        assert set(searcher.copies(name)) == WIRE_COPIES - {name}, name
    assert searcher.copies("footer-a") == searcher.copies("footer-b") == []
    assert searcher.copies("no-such-id") == []
    stats = searcher.stats()
    assert (stats.articles, stats.stories) == (46, 46 - 3)


def test_stories_are_counted_alike_in_one_pass_and_in_ranges(
    searcher: Searcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past the buckets one tantivy aggregation takes, stories are counted in ranges of story
    numbers; fewer matches than that, in one pass: the counts agree (ranges of 4 here)."""
    queries = ["وزارة", "الصحة", "وزارة OR الصحة"]
    counted = [searcher.search(text, limit=1, collapse=True).stories for text in queries]
    if searcher.stats().engine == "tantivy":
        monkeypatch.setattr("search.engine.tantivy.reading._STORY_RANGE", 4)
    walked = [searcher.search(text, limit=1, collapse=True).stories for text in queries]
    assert counted == walked and all(n and n > 4 for n in counted), counted


def test_many_stories_are_estimated_in_one_pass_and_said_to_be(
    searcher: Searcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past the stories that must be exact, tantivy estimates (one pass, HyperLogLog: exact
    on so few); every engine's count line says "about" past that many stories."""
    queries = ["وزارة", "الصحة", "وزارة OR الصحة"]
    exact = [searcher.search(text, limit=1, collapse=True).stories for text in queries]
    if searcher.stats().engine == "tantivy":
        monkeypatch.setattr("search.engine.tantivy.reading._STORY_RANGE", 4)
        monkeypatch.setattr("search.engine.tantivy.reading._ESTIMATED_FROM", 5)
    assert [searcher.search(text, limit=1, collapse=True).stories for text in queries] == exact
    monkeypatch.setattr("search.engine.contract.STORIES_EXACT_TO", 5)
    results = searcher.search("وزارة", limit=1, collapse=True)
    assert results.stories_estimated and results.to_dict()["stories_estimated"]
    assert f"(about {results.stories:,} stories)" in counts(results)
    assert "نحو" in totals_html(results, "ar")
    monkeypatch.undo()
    assert stories_count(48_928) == " (about 48,900 stories)"
    assert stories_count(20_000) == " (20,000 stories)"


def test_collapse_gives_one_hit_per_story_with_its_copies(searcher: Searcher) -> None:
    word = "وزارة"  # in the wire story, and in many others
    flat = searcher.search(word, limit=100)
    collapsed = searcher.search(word, limit=100, collapse=True)
    assert {hit.id for hit in flat} >= WIRE_COPIES
    wire_hits = [hit for hit in collapsed if hit.id in WIRE_COPIES]
    assert len(wire_hits) == 1
    [best] = wire_hits
    assert set(best.duplicates) == WIRE_COPIES - {best.id}
    assert best.id == next(hit.id for hit in flat if hit.id in WIRE_COPIES)
    assert len(collapsed.hits) == len(flat.hits) - 3
    assert (collapsed.stories, collapsed.total) == (flat.total - 3, flat.total)
    assert all(not hit.duplicates for hit in collapsed if hit is not best)
    assert flat.stories is None and all(not hit.duplicates for hit in flat)


def test_duplicates_are_only_the_copies_that_pass_the_filters(searcher: Searcher) -> None:
    collapsed = searcher.search("وزارة", limit=100, collapse=True, source="okaz")
    [hit] = [h for h in collapsed if h.id in WIRE_COPIES]
    assert hit.id == "exact" and hit.duplicates == []


def test_facets_count_sources_of_all_matches(searcher: Searcher) -> None:
    results = searcher.search("وزارة", limit=1, facets=True)
    assert results.facets is not None
    counted = dict(results.facets["source"])
    every = list(searcher.scan("وزارة"))
    assert sum(counted.values()) == len(every) == results.total > 1
    assert counted["spa"] == 1
    assert results.facets["month"] == []  # the planted articles are undated


# --- runs that change the index ----------------------------------------------------------------


def test_incremental_runs_join_stories_and_deletes_keep_them(tmp_path: Path) -> None:
    articles = {a.id: a for a in planted()}
    index = tmp_path / "index"
    indexer = Indexer(index, workers=1)
    indexer.add_articles([a for name, a in articles.items() if name != "new-lead"])
    indexer.add_articles([articles["new-lead"]])  # a later dump brings another copy
    with Searcher(index) as searcher:
        assert set(searcher.copies("new-lead")) == WIRE_COPIES - {"new-lead"}
    indexer.delete(["wire"])  # the first copy, whose story the others joined
    with Searcher(index) as searcher:
        assert set(searcher.copies("exact")) == {"edited", "new-lead"}
        assert searcher.stats().stories == 45 - 2  # the wire story's three copies count once
    # An edit that makes the article another story takes it out of its old one.
    rewritten = Article(id="edited", title="خبر", body=_body(random.Random(9), 120))
    indexer.add_articles([rewritten])
    with Searcher(index) as searcher:
        assert searcher.copies("edited") == []
        assert set(searcher.copies("exact")) == {"new-lead"}


def test_a_rebuild_finds_the_same_stories(tmp_path: Path) -> None:
    index = tmp_path / "index"
    dump = tmp_path / "dump.jsonl"
    dump.write_text(
        "".join(
            json.dumps({"id": a.id, "title": a.title, "body": a.body, "source": a.source}) + "\n"
            for a in planted()
        ),
        encoding="utf-8",
    )
    indexer = Indexer(index, workers=1)
    indexer.add_files([dump])
    with Searcher(index) as searcher:
        before = {a.id: frozenset(searcher.copies(a.id)) for a in planted()}
    indexer.rebuild([dump])
    with Searcher(index) as searcher:
        assert {a.id: frozenset(searcher.copies(a.id)) for a in planted()} == before


# --- the CLI ---------------------------------------------------------------------------------


def _bahth(*args: str | Path) -> str:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_cli_collapse_and_facets(index: Path) -> None:
    text = _bahth("search", "وزارة", "--index", index, "-n", "50", "--collapse", "--facets")
    assert "+3 copies: " in text
    shown = json.loads(
        _bahth("search", "وزارة", "--index", index, "-n", "50", "--collapse", "--json")
    )
    assert text.count("id: ") == len(shown["hits"])
    assert "stories)" in text.splitlines()[0]
    assert "Sources: okaz " in text

    document = json.loads(
        _bahth("search", "وزارة", "--index", index, "-n", "50", "--collapse", "--facets", "--json")
    )
    [wire] = [hit for hit in document["hits"] if hit["id"] in WIRE_COPIES]
    assert set(wire["duplicates"]) == WIRE_COPIES - {wire["id"]}
    assert document["stories"] == document["total"] - 3
    sources = {entry["value"]: entry["count"] for entry in document["facets"]["source"]}
    assert sum(sources.values()) == document["total"]
    assert list(document["facets"]) == ["source", "category", "month"]


def test_cli_show_lists_the_copies_and_stats_the_stories(index: Path) -> None:
    shown = _bahth("show", "wire", "--index", index)
    assert "Copies of this story (3): " in shown
    document = json.loads(_bahth("show", "wire", "--index", index, "--json"))
    assert set(document["copies"]) == WIRE_COPIES - {"wire"}
    stats = json.loads(_bahth("stats", "--index", index, "--json"))
    assert (stats["articles"], stats["stories"]) == (46, 43)


def test_cli_refuses_collapse_with_all(index: Path) -> None:
    result = CliRunner().invoke(main, ["search", "وزارة", "--index", str(index), "--all",
                                       "--collapse"])  # fmt: skip
    assert result.exit_code == 2
    assert "--collapse" in result.stderr


def test_a_run_that_fails_at_its_commit_leaves_the_stories_as_they_were(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    articles = {a.id: a for a in planted()}
    index = tmp_path / "index"
    indexer = Indexer(index, workers=1)
    indexer.add_articles([a for name, a in articles.items() if name != "new-lead"])

    def fail(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    # The stories are written under the commit's number, then the metadata fails.
    monkeypatch.setattr(layout, "write_meta", fail)
    with pytest.raises(OSError, match="disk full"):
        indexer.add_articles([articles["new-lead"]])
    monkeypatch.undo()
    with Searcher(index) as searcher:
        assert set(searcher.copies("wire")) == {"exact", "edited"}
        assert searcher.get("new-lead") is None
    indexer.add_articles([articles["new-lead"]])
    with Searcher(index) as searcher:
        assert set(searcher.copies("wire")) == {"exact", "edited", "new-lead"}
    [generation] = [p for p in index.iterdir() if p.name.startswith("gen-")]
    assert len(list(generation.glob("stories.*.json"))) == 1  # the older ones are removed


def test_a_huge_body_is_compared_by_its_first_words() -> None:
    words = [*body_words(_body(random.Random(4), 3000)), "ا" * 5_000_000]
    assert signature(words) is not None
    assert signature(["ا" * 1_000_000] * 20) is None  # no word: nothing to compare
    assert similarity(signature(words), signature(words[:2500])) == 1.0

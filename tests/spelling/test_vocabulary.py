"""The vocabulary kept by changes (``search.spelling.vocabulary``), on real indexes of small
generated Arabic articles: after runs that say which words they touched, a search reads what a
full count of the committed index gives; deletes are carried as documented."""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Iterable
from pathlib import Path

import pytest

from search import Article, Indexer, layout
from search.engine.core.documents import prepare
from search.generation import VOCABULARY, Generation
from search.spelling import vocabulary
from search.spelling.vocabulary import CHANGES, Vocabulary, count_words
from search.stories import Stories

pytestmark = pytest.mark.usefixtures("engine")


@pytest.fixture(autouse=True)
def changes_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    """Changes kept as changes: an index this small changes most of its words in a run, past
    the share at which they would be merged (the tests of merges lower it)."""
    monkeypatch.setattr(vocabulary, "MERGE_SHARE", 10.0)


WORDS = [
    "الحكومة",
    "الوزير",
    "الرياض",
    "القاهرة",
    "الاقتصاد",
    "المدارس",
    "الصحة",
    "الانتخابات",
    "البرلمان",
    "الشركة",
    "النفط",
    "الأسعار",
    "المطار",
    "الجامعة",
    "الطلاب",
    "المستشفى",
    "الأمطار",
    "الطرق",
    "الزراعة",
    "المياه",
]


def articles(prefix: str, n: int, seed: int, extra: str = "") -> list[Article]:
    """``n`` articles of a few of ``WORDS`` each (and ``extra``, when given)."""
    rng = random.Random(seed)
    return [
        Article(
            id=f"{prefix}-{i}",
            title=" ".join(rng.sample(WORDS, 2)),
            body=" ".join([*rng.sample(WORDS, 6), extra]),
        )
        for i in range(n)
    ]


def touched(added: Iterable[Article]) -> set[str]:
    """The words of the exact fields of ``added``, from the analysis a writer makes."""
    return {
        word
        for article in added
        for name, text in prepare(article).texts
        if name.endswith("_exact")
        for word in text.split()
    }


def built(tmp_path: Path, n: int = 12) -> Path:
    """A generation after one indexing run (a full count)."""
    index = tmp_path / "index"
    Indexer(index, workers=1).add_articles(articles("a", n, seed=1))
    return layout.require_current(index)


def commit(
    generation: Path, add: Iterable[Article] = (), delete: Iterable[str] = ()
) -> tuple[set[str], int]:
    """One real commit of the engine, replacing ``add`` by id and deleting ``delete``, with
    no vocabulary written for it: the words it touched, and the commit before it."""
    side = Generation(generation)
    since = side.committed()
    writer = side.engine.open_writer(side.location, 1, Stories.read(generation))
    added = list(add)
    try:
        for article in added:
            writer.replace(article, article.content_hash())
        for article_id in delete:
            writer.delete(article_id)
        writer.commit(lambda number: None)
    except BaseException:
        writer.cancel()
        raise
    return touched(added), since


def full_count(generation: Path) -> dict[str, int]:
    side = Generation(generation)
    reader = side.engine.open_reader(side.location)
    try:
        return count_words(reader)
    finally:
        reader.close()


def read(generation: Path) -> dict[str, int]:
    found = Vocabulary.read(generation)
    assert found is not None
    return dict(found.items())


def kinds(generation: Path) -> list[str]:
    """The vocabulary files on disk, by kind, in number order."""
    paths = sorted(generation.glob("spelling.*"), key=lambda p: p.name.split(".")[1])
    return [p.suffix for p in paths]


def test_runs_that_add_keep_what_a_full_count_gives(tmp_path: Path) -> None:
    generation = built(tmp_path)
    # New words (one article: left out; two: kept), and more articles for known ones.
    runs = [
        articles("b", 1, seed=2, extra="بنغازي"),
        articles("c", 1, seed=3, extra="بنغازي طرابلس"),
        articles("d", 3, seed=4, extra="طرابلس"),
    ]
    for run in runs:
        words, since = commit(generation, run)
        vocabulary.refresh(generation, words, since)
        assert kinds(generation)[-1] == ".changes"
        assert read(generation) == full_count(generation)
    found = Vocabulary.read(generation)
    assert found is not None
    assert (found.get("بنغازي"), found.get("طرابلس"), found.get("بيروت")) == (2, 4, 0)
    assert len(found) == len(read(generation))
    Generation(generation).remove_superseded()
    assert kinds(generation) == [".marisa", ".changes"]  # one base, the last changes


def test_indexing_runs_say_their_words_and_keep_what_a_full_count_gives(tmp_path: Path) -> None:
    """Through the indexer: the writer's own list of the words it touched (titles, bodies and
    keywords), on every engine."""
    index = tmp_path / "index"
    indexer = Indexer(index, workers=1)
    indexer.add_articles(articles("a", 12, seed=1))
    generation = layout.require_current(index)
    for prefix, seed, extra in (("b", 2, "بنغازي"), ("c", 3, "بنغازي طرابلس"), ("d", 4, "")):
        added = articles(prefix, 2, seed=seed, extra=extra)
        added[0] = dataclasses.replace(added[0], title="مصراتة " + added[0].title)
        added[1] = dataclasses.replace(added[1], keywords=("مصراتة", "الزاوية"))
        indexer.add_articles(added)
        assert kinds(generation)[-1] == ".changes"  # the changes, not a full count
        assert read(generation) == full_count(generation)
    found = Vocabulary.read(generation)
    assert found is not None
    # the field that holds a word most: مصراتة is in 3 titles and 3 keywords
    assert (found.get("مصراته"), found.get("الزاويه"), found.get("بنغازي")) == (3, 3, 4)


def test_an_update_differs_from_a_full_count_only_in_words_its_old_version_dropped(
    tmp_path: Path,
) -> None:
    generation = built(tmp_path)
    old = articles("a", 3, seed=1)  # the stored versions of a-0, a-1, a-2
    new = articles("a", 3, seed=4, extra="طرابلس")
    words, since = commit(generation, new)
    vocabulary.refresh(generation, words, since)
    kept, full = read(generation), full_count(generation)
    dropped = touched(old) - words
    # What the updated versions hold is counted as a full count does; a word only the old
    # versions held may keep a higher count (xapian forgets a replaced version at once,
    # tantivy and whoosh when a merge drops it).
    assert {w for w in kept.keys() | full.keys() if kept.get(w) != full.get(w)} <= dropped
    assert all(kept[w] >= full.get(w, 0) for w in dropped if w in kept)
    assert kept["طرابلس"] == full["طرابلس"] == 3


def test_a_run_that_touched_nothing_keeps_the_vocabulary_in_force(tmp_path: Path) -> None:
    generation = built(tmp_path)
    before = read(generation)
    _, since = commit(generation, delete=["a-0"])
    vocabulary.refresh(generation, set(), since)
    assert read(generation) == before
    assert kinds(generation) == [".marisa", ".changes"]  # the vocabulary of this commit


def test_words_of_deleted_articles_keep_their_counts_until_a_full_count(tmp_path: Path) -> None:
    generation = built(tmp_path)
    words, since = commit(generation, articles("b", 2, seed=2, extra="بنغازي"))
    vocabulary.refresh(generation, words, since)
    assert read(generation)["بنغازي"] == 2
    _, since = commit(generation, delete=["b-0", "b-1"])
    vocabulary.refresh(generation, set(), since)
    assert read(generation)["بنغازي"] == 2  # the documented difference: stale, on the high side
    commit(generation, articles("c", 1, seed=3))
    vocabulary.refresh(generation)  # a run that cannot say what it touched: a full count
    assert read(generation) == full_count(generation)
    assert kinds(generation)[-1] == ".marisa"


def test_changes_past_their_share_are_merged_into_a_new_base(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    generation = built(tmp_path, n=40)
    monkeypatch.setattr(vocabulary, "MERGE_SHARE", 0.0)  # every change is past it
    words, since = commit(generation, articles("b", 2, seed=2, extra="بنغازي"))
    vocabulary.refresh(generation, words, since)
    assert kinds(generation)[-1] == ".marisa"
    assert read(generation) == full_count(generation)
    # A merge keeps the last full count's articles, by which a later one is decided.
    base = Generation(generation).in_force(VOCABULARY)
    assert base is not None and vocabulary._Held.of(Generation(generation)) is not None
    assert vocabulary._record(vocabulary._mapped(base), "#articles") == 40


def test_a_merge_after_growth_counts_every_word_afresh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    generation = built(tmp_path, n=10)
    monkeypatch.setattr(vocabulary, "MERGE_SHARE", 0.0)
    words, since = commit(generation, articles("b", 2, seed=2))  # 10 → 12 articles: 20 %
    vocabulary.refresh(generation, words, since)
    base = Generation(generation).in_force(VOCABULARY)
    assert base is not None
    assert vocabulary._record(vocabulary._mapped(base), "#articles") == 12
    assert read(generation) == full_count(generation)


def test_changes_over_an_older_base_are_not_read(tmp_path: Path) -> None:
    generation = built(tmp_path)
    words, since = commit(generation, articles("b", 2, seed=2, extra="بنغازي"))
    vocabulary.refresh(generation, words, since)
    changes = Generation(generation).in_force(CHANGES)
    assert changes is not None
    commit(generation, articles("c", 1, seed=3))
    vocabulary.refresh(generation)  # a new base; the changes of the old one are stale
    assert read(generation) == full_count(generation)  # not read, though still on disk
    Generation(generation).remove_superseded()
    assert not changes.exists()  # out of force: removed
    assert read(generation) == full_count(generation)


def test_a_base_of_an_older_bahth_is_counted_afresh(tmp_path: Path) -> None:
    generation = built(tmp_path)
    side = Generation(generation)
    base = side.in_force(VOCABULARY)
    assert base is not None
    old = {w: n for w, n in read(generation).items()}  # written without its count of articles
    side.write(VOCABULARY, side.committed(), lambda out: out.write(Vocabulary(old)._trie.tobytes()))
    words, since = commit(generation, articles("b", 1, seed=2))
    vocabulary.refresh(generation, words, since)
    assert kinds(generation)[-1] == ".marisa"
    assert read(generation) == full_count(generation)


def test_after_a_run_that_wrote_no_vocabulary_every_word_is_counted(tmp_path: Path) -> None:
    generation = built(tmp_path)
    commit(generation, articles("b", 2, seed=2, extra="بنغازي"))  # killed before its vocabulary
    words, since = commit(generation, articles("c", 1, seed=3))
    vocabulary.refresh(generation, words, since)  # its words alone would miss بنغازي
    assert kinds(generation)[-1] == ".marisa"
    assert read(generation) == full_count(generation)
    assert read(generation)["بنغازي"] == 2

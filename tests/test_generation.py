"""A generation's side files on real indexes and real commits of both engines: written under a
commit's number, in force by one rule, removed once superseded (``search.generation``)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from search import Article, Indexer, layout
from search.generation import METADATA, STORIES, STORY_SEGMENTS, VOCABULARY, Generation, SideFile
from search.run import after_commit, prepare_commit
from search.seen import id_key
from search.spelling import Vocabulary
from search.stories import Stories

pytestmark = pytest.mark.usefixtures("engine")

NOTES = SideFile("notes", "txt", legacy="notes.txt")  # a kind of our own, for the rule


def article(n: int) -> Article:
    return Article(
        id=f"a-{n}",
        title=f"وزير الخارجية يزور القاهرة {n}",
        body=f"بحث وزير الخارجية في القاهرة اليوم العلاقات الثنائية والتعاون الاقتصادي {n}",
    )


def built(tmp_path: Path) -> Generation:
    """A generation after one indexing run: its metadata, stories and vocabulary written."""
    index = tmp_path / "index"
    Indexer(index, workers=1).add_articles([article(n) for n in range(3)])
    return Generation(layout.require_current(index))


def commit(
    generation: Generation, prepare: Callable[[int], None], n: int, stories: Stories | None = None
) -> None:
    """One real commit of the engine, adding one article, with ``prepare`` as its callback."""
    stories = Stories.read(generation.path) if stories is None else stories
    writer = generation.engine.open_writer(generation.location, 1, stories)
    try:
        added = article(n)
        writer.add(added, added.content_hash())
        writer.commit(prepare)
    except BaseException:
        writer.cancel()
        raise


def text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def names(generation: Generation, kind: SideFile) -> list[str]:
    return sorted(p.name for p in generation.path.iterdir() if kind.pattern.match(p.name))


def story_ids(generation: Generation) -> set[int]:
    """The id keys of the articles the stories in force hold."""
    return set(Stories.read(generation.path).held()[0].tolist())


def keys(*ids: str) -> set[int]:
    return {id_key(i) for i in ids}


def test_the_file_in_force_is_the_highest_numbered_at_most_the_last_commit(
    tmp_path: Path,
) -> None:
    generation = built(tmp_path)
    last = generation.committed()
    assert last >= 1
    assert generation.in_force(NOTES) is None
    assert generation.read(NOTES, text) is None

    (generation.path / "notes.txt").write_text("legacy", encoding="utf-8")
    generation.write(NOTES, last + 1, "a commit that never became visible")
    assert generation.read(NOTES, text) == "legacy"  # no numbered file up to the last commit
    generation.write(NOTES, last - 1, "an earlier commit")
    assert generation.read(NOTES, text) == "an earlier commit"
    assert generation.number_in_force(NOTES) == last - 1
    generation.write(NOTES, last, "the last commit")
    assert generation.in_force(NOTES) == generation.path / f"notes.{last:06d}.txt"
    assert generation.read(NOTES, text) == "the last commit"
    assert generation.in_force(NOTES, last - 1) == generation.file(NOTES, last - 1)


def test_every_kind_is_in_force_after_a_run_and_nothing_else_is_left(tmp_path: Path) -> None:
    generation = built(tmp_path)
    last = generation.committed()
    meta = layout.read_meta(generation.path)
    assert meta["commit"] <= last
    assert names(generation, METADATA) == [METADATA.name(meta["commit"])]
    assert names(generation, STORIES) == [STORIES.name(meta["commit"])]
    assert names(generation, VOCABULARY) == [VOCABULARY.name(last)]
    vocabulary = Vocabulary.read(generation.path)
    assert vocabulary is not None and vocabulary.get("القاهره") == 3  # normalized: ة → ه
    assert story_ids(generation) == keys("a-0", "a-1", "a-2")


def test_a_side_file_written_by_a_commit_whose_prepare_raises_is_not_in_force(
    tmp_path: Path,
) -> None:
    generation = built(tmp_path)
    before = generation.committed()
    meta = layout.read_meta(generation.path)
    numbers: list[int] = []

    def failing(number: int) -> None:
        numbers.append(number)
        generation.write(METADATA, number, '{"written": "by a commit that failed"}')
        generation.write(STORIES, number, "not even stories")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        commit(generation, failing, 10)
    [number] = numbers
    assert number > before == generation.committed()
    assert generation.file(STORIES, number).exists()  # on disk, numbered above every commit
    assert layout.read_meta(generation.path) == meta
    assert generation.in_force(STORIES) == generation.file(STORIES, meta["commit"])

    # The next commit writes metadata but no stories: the failed commit's stories must not
    # come into force with it (whoosh gives it the number the failed commit had).
    commit(generation, prepare_commit(generation.path, {"run": "next"}, None), 11)
    after_commit(generation.path)
    assert layout.read_meta(generation.path)["run"] == "next"
    assert generation.in_force(STORIES) == generation.file(STORIES, meta["commit"])
    assert story_ids(generation) == keys("a-0", "a-1", "a-2")
    assert names(generation, STORIES) == [STORIES.name(meta["commit"])]


def test_superseded_files_are_removed_once_the_commit_is_visible(tmp_path: Path) -> None:
    generation = built(tmp_path)
    old = layout.read_meta(generation.path)["commit"]
    stories = Stories.read(generation.path)
    stories.remove("a-0")
    commit(generation, prepare_commit(generation.path, {"run": "second"}, stories), 20, stories)
    new = layout.read_meta(generation.path)["commit"]
    assert new > old
    # Visible, not yet cleaned: both commits' files are on disk, the new ones in force.
    assert names(generation, METADATA) == [METADATA.name(old), METADATA.name(new)]
    assert names(generation, STORIES) == [STORIES.name(old), STORIES.name(new)]
    assert story_ids(generation) == keys("a-1", "a-2", "a-20")

    after_commit(generation.path)
    last = generation.committed()
    assert names(generation, METADATA) == [METADATA.name(new)]
    assert names(generation, STORIES) == [STORIES.name(new)]
    assert names(generation, VOCABULARY) == [VOCABULARY.name(last)]
    vocabulary = Vocabulary.read(generation.path)
    assert vocabulary is not None and vocabulary.get("القاهره") == 4
    # The second commit removed a-0, a third of the first commit's segment: the removed rows
    # are dropped in a segment of its own that replaced the first's (compacted).
    assert names(generation, STORY_SEGMENTS) == [STORY_SEGMENTS.name(new)]

    # Two commits of one article each: the first adds a segment beside the larger one, the
    # second merges it (no larger) into its own, and once visible, it is removed.
    numbers = []
    for n in (21, 22):
        stories = Stories.read(generation.path)
        commit(generation, prepare_commit(generation.path, {"run": n}, stories), n, stories)
        numbers.append(layout.read_meta(generation.path)["commit"])
        after_commit(generation.path)
        assert names(generation, STORY_SEGMENTS) == [
            STORY_SEGMENTS.name(new),
            STORY_SEGMENTS.name(numbers[-1]),
        ]
    assert story_ids(generation) == keys("a-1", "a-2", "a-20", "a-21", "a-22")


def test_the_stories_file_of_an_older_bahth_is_removed_once_segments_are_in_force(
    tmp_path: Path,
) -> None:
    generation = built(tmp_path)
    held = Stories.read(generation.path)
    [manifest] = names(generation, STORIES)
    whole = generation.path / manifest.replace(".json", ".npz")
    np.savez(  # what Bahth wrote before segments, in place of the manifest and segment
        whole,
        ids=np.array(["a-0", "a-1", "a-2"]),
        signatures=held.held()[1],
        stories=np.array([1, 2, 3], dtype=np.int64),
        next_story=np.array([4], dtype=np.int64),
        version=np.array([1], dtype=np.int64),
    )
    for name in [manifest, *names(generation, STORY_SEGMENTS)]:
        (generation.path / name).unlink()
    assert story_ids(generation) == keys("a-0", "a-1", "a-2")
    generation.remove_superseded()
    assert whole.exists()  # still the one in force
    stories = Stories.read(generation.path)
    commit(generation, prepare_commit(generation.path, {"run": "next"}, stories), 7, stories)
    after_commit(generation.path)
    assert not whole.exists()
    assert story_ids(generation) == keys("a-0", "a-1", "a-2", "a-7")


def test_the_legacy_metadata_is_kept_until_a_numbered_file_is_in_force(tmp_path: Path) -> None:
    generation = built(tmp_path)
    meta = layout.read_meta(generation.path)
    legacy = generation.path / layout.META
    generation.file(METADATA, meta["commit"]).rename(legacy)
    generation.write(METADATA, generation.committed() + 1, "{}")  # a commit that never was
    generation.remove_superseded()
    assert sorted(p.name for p in generation.path.glob("bahth*.json")) == [layout.META]
    assert layout.read_meta(generation.path) == meta

    layout.write_meta(generation.path, {**meta, "updated": "now"})  # replaces the one in force
    assert layout.read_meta(generation.path)["commit"] == generation.committed()
    generation.remove_superseded()
    assert names(generation, METADATA) == [METADATA.name(generation.committed())]
    assert not legacy.exists()


@pytest.mark.parametrize("kind", ["metadata", "vocabulary"])
def test_a_file_removed_by_a_commit_while_it_is_read_is_looked_for_again(
    tmp_path: Path, kind: str
) -> None:
    generation = built(tmp_path)
    side, load = {
        "metadata": (METADATA, lambda path: json.loads(text(path))),
        "vocabulary": (VOCABULARY, Vocabulary.mapped),
    }[kind]
    first = generation.in_force(side)
    assert first is not None
    loaded: list[Path] = []

    def load_after_a_commit(path: Path) -> object:
        # Between finding the file in force and reading it, another writer commits and
        # removes it: the reader must not give up, nor take an older one.
        if not loaded:
            commit(generation, prepare_commit(generation.path, {"run": "meanwhile"}, None), 30)
            after_commit(generation.path)
        loaded.append(path)
        return load(path)

    found = generation.read(side, load_after_a_commit)
    assert found is not None
    assert loaded[0] == first and not first.exists()
    assert loaded[1] == generation.in_force(side) != first
    if kind == "metadata":
        assert found == layout.read_meta(generation.path)
        assert layout.read_meta(generation.path)["run"] == "meanwhile"

"""Stories: articles whose bodies are near-copies of each other (wire stories, republications).

Each article gets a story number at index time, from its body's MinHash signature
(``search.story_signatures``: two bodies are near-copies when their shingles' Jaccard
similarity is at least ``THRESHOLD``).

A new article joins the story of its most similar earlier article that passes the threshold,
or starts a story of its own: stories are never merged afterwards, so a story number, once
written into the engine's document, stays right when other articles are added or deleted.
``Stories`` holds what the next indexing run needs (every article's signature and story); each
commit that changes it adds a segment of what changed to the index generation
(``search.story_segments``), so that a small run reads and writes little, whatever the size of
the archive.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from . import story_segments as segments
from .errors import IndexIncompatible
from .generation import STORIES, STORY_SEGMENTS, WHOLE_STORIES, Generation
from .seen import id_key
from .story_segments import Segment, SortedKeys
from .story_signatures import BANDS, PERMUTATIONS, THRESHOLD, VERSION, band_keys


class Stories:
    """Every indexed article's signature and story number, with an LSH index over them.

    ``assign`` gives a new article its story; ``remove`` forgets a deleted or replaced one.

    The articles of earlier runs are in segments on disk (``search.story_segments``): a run
    reads the band keys and ids it looks up (a large run, their files' pages through a
    mapping: ``search.file_arrays``). The run's latest articles are
    in memory: their band keys in a few sorted runs, and those of the articles assigned since
    the last merge in a dictionary, made a run of their own every ``_PENDING`` (see
    ``_merge``). Every ``_SPILL`` articles they go to a temporary segment, a file with no name
    beside the index (``spill_to``), looked up through its mapping: the run's memory follows its
    batch, not its size (a million articles held about 600 MB here, the file's pages being
    the system's to drop). ``write`` merges them into the segments as the commit's.
    """

    _PENDING = 1024
    _SPILL = 1 << 16

    def __init__(
        self, held: Sequence[Segment] = (), next_story: int = 1, spill_to: Path | None = None
    ) -> None:
        self._held = list(held)  # oldest first, their kills applied
        self._next = next_story
        self.spill_to = spill_to  # None: the system's temporary directory
        # The run's earlier articles, oldest first, in temporary segments (``_spill``).
        self._spilled: list[Segment] = []
        self._kills: list[tuple[int, int]] = []  # (segment, row) of the held rows removed
        self.changed = False
        self._start_run()

    def _start_run(self) -> None:
        """No article of the run's own in memory."""
        # The run's own articles, by row.
        self._ids = np.zeros(0, dtype=np.uint64)  # id keys (``search.seen.id_key``)
        self._row: dict[int, int] = {}  # id key → row, for those alive
        self._signatures = np.zeros((0, PERMUTATIONS), dtype=np.uint16)
        self._stories = np.zeros(0, dtype=np.int64)
        self._alive = np.zeros(0, dtype=bool)
        self._count = 0
        # Sorted runs of band keys, largest (oldest) first, none empty.
        self._runs: list[SortedKeys] = []
        # Band key → the first row holding it since the last merge, and the others (rare) in
        # _pending_more: a list a key would be a container for the garbage collector to scan,
        # twenty-one of them an article, which took half of the time of assigning a story.
        self._pending: dict[int, int] = {}
        self._pending_more: dict[int, list[int]] = {}
        self._pending_rows: list[int] = []

    @classmethod
    def empty(cls) -> Stories:
        return cls()

    def _merge(self, rows: np.ndarray, keys: np.ndarray) -> None:
        """Add the band keys of ``rows`` as a new sorted run, merged into the last run while
        that one is no larger (a binary counter): each key is copied about log₂(n / _PENDING)
        times in all and there are as many runs at most. Inserting every batch into one
        array instead copied the whole array each time, quadratic in the articles of a build
        (97 s of a million's, see docs/stories.md)."""
        order = np.argsort(keys.ravel(), kind="stable")
        rows = np.repeat(rows, BANDS)[order].astype(np.int32)
        run = SortedKeys(keys.ravel()[order], rows)
        while self._runs and len(self._runs[-1].keys) <= len(run.keys):
            run = self._runs.pop().union(run)  # a key's rows in any order: they are sorted later
        self._runs.append(run)

    def _merge_pending(self) -> None:
        """Move the band keys of the articles assigned since the last merge into the runs."""
        if self._pending_rows:
            rows = np.array(self._pending_rows)
            self._merge(rows, band_keys(self._signatures[rows]))
            self._pending, self._pending_more, self._pending_rows = {}, {}, []

    def _one_run(self) -> SortedKeys:
        """The band keys of the run's own articles, in one sorted run."""
        self._merge_pending()
        while len(self._runs) > 1:
            last = self._runs.pop()
            self._runs.append(self._runs.pop().union(last))
        empty = np.zeros(0, dtype=np.uint32)
        return self._runs[0] if self._runs else SortedKeys(empty, empty.astype(np.int32))

    def _candidates(
        self, keys: np.ndarray, located: list[tuple[np.ndarray, np.ndarray]]
    ) -> np.ndarray:
        """The rows of the run's own articles alive that share a band key with ``keys`` (one
        signature's), ``located`` in the runs."""
        found = []
        for run, at in zip(self._runs, located, strict=True):
            found.append(run.rows_of(at))
        for key in keys.tolist():
            if key in self._pending:
                rows = [self._pending[key], *self._pending_more.get(key, ())]
                found.append(np.array(rows, dtype=np.int32))
        if not found:
            return np.zeros(0, dtype=np.int32)
        unique = np.unique(np.concatenate(found))
        return unique[self._alive[unique]]

    def _grow(self, needed: int) -> None:
        size = max(1024, needed, len(self._stories) * 3 // 2)
        self._signatures = np.resize(self._signatures, (size, PERMUTATIONS))
        for name in ("_ids", "_stories", "_alive"):
            setattr(self, name, np.resize(getattr(self, name), size))

    def assign(self, article_id: str, values: np.ndarray | None) -> int:
        """The story of an article with this ``signature`` (None: too short to compare); an
        earlier version of it is forgotten first."""
        return self.assign_all([(article_id, values)])[0]

    def assign_all(self, articles: Sequence[tuple[str, np.ndarray | bytes | None]]) -> list[int]:
        """``assign`` of each article in turn, the same stories as one call each. What can be
        is done for the batch at once: the band keys, and which articles share one with an
        article held (most share none, and need no more than a new story number)."""
        stories: list[int] = []
        start = 0
        while start < len(articles):
            if self._count >= self._SPILL:
                self._spill()
            end = start + self._SPILL - self._count
            stories += self._assign_all(articles[start:end])
            start = end
        return stories

    def _assign_all(self, articles: Sequence[tuple[str, np.ndarray | bytes | None]]) -> list[int]:
        """``assign_all`` of articles that fit in memory before the next ``_spill``."""
        count = len(articles)
        if self._count + count > len(self._stories):
            self._grow(self._count + count)
        first = self._count
        comparable = np.array([values is not None for _, values in articles], dtype=bool)
        signatures = np.zeros((count, PERMUTATIONS), dtype=np.uint16)
        if comparable.any():
            signatures[comparable] = [
                np.frombuffer(values, dtype=np.uint16) if isinstance(values, bytes) else values
                for _, values in articles
                if values is not None
            ]
        self._signatures[first : first + count] = signatures  # zeros: too short to compare
        keys = band_keys(signatures)
        stories: list[int] = []
        start = 0
        while start < count:
            # Up to the next merge at most, which moves the pending keys into the runs: the
            # runs are searched for the whole stretch at once.
            end = min(count, start + self._PENDING - len(self._pending_rows))
            part = slice(start, end)
            stories += self._assign_stretch(
                articles[part], keys[part], signatures[part], comparable[part], first + start
            )
            if len(self._pending_rows) >= self._PENDING:
                self._merge_pending()
            start = end
        self.changed = True
        return stories

    def _assign_stretch(
        self,
        articles: Sequence[tuple[str, np.ndarray | bytes | None]],
        keys: np.ndarray,
        signatures: np.ndarray,
        comparable: np.ndarray,
        first: int,
    ) -> list[int]:
        """``assign_all`` of articles whose rows start at ``first``, with no merge among them."""
        located = [run.locate(keys) for run in self._runs]
        located_held = [segment.keys.locate(keys) for segment in self._held + self._spilled]
        held = np.zeros(len(articles), dtype=bool)
        for starts, ends in located + located_held:
            held |= (ends > starts).any(axis=1)
        held &= comparable
        stories = []
        pending = self._pending
        for n, (article_id, values) in enumerate(articles):
            row = first + n
            key = id_key(article_id)
            self._forget(key)
            story = 0
            if values is not None:
                row_keys = keys[n].tolist()
                if held[n] or any(key in pending for key in row_keys):
                    story = self._best_story(
                        keys[n],
                        signatures[n],
                        [(starts[n], ends[n]) for starts, ends in located],
                        [(starts[n], ends[n]) for starts, ends in located_held],
                    )
                for band in row_keys:
                    if pending.setdefault(band, row) != row:
                        self._pending_more.setdefault(band, []).append(row)
                self._pending_rows.append(row)
            if not story:
                story, self._next = self._next, self._next + 1
            self._stories[row] = story
            self._alive[row] = True
            self._ids[row] = key
            self._row[key] = row
            self._count += 1
            stories.append(story)
        return stories

    def _best_story(
        self,
        keys: np.ndarray,
        values: np.ndarray,
        located: list[tuple[np.ndarray, np.ndarray]],
        located_held: list[tuple[np.ndarray, np.ndarray]],
    ) -> int:
        """The story of the most similar candidate that passes the threshold, or 0: the
        earliest assigned among equals (segments are oldest first, their rows in order)."""
        best, story = THRESHOLD * PERMUTATIONS - 1, 0
        for segment, at in zip(self._held + self._spilled, located_held, strict=True):
            rows = segment.candidates(at)
            if len(rows):
                similar = np.count_nonzero(segment.signatures[rows] == values, axis=1)
                top = int(np.argmax(similar))
                if similar[top] > best:
                    best, story = similar[top], int(segment.stories[rows[top]])
        rows = self._candidates(keys, located)
        if len(rows):
            similar = np.count_nonzero(self._signatures[rows] == values, axis=1)
            top = int(np.argmax(similar))
            if similar[top] > best:
                story = int(self._stories[rows[top]])
        return story

    def remove(self, article_id: str) -> None:
        """Forget an article (deleted, or about to be assigned again)."""
        self._forget(id_key(article_id))

    def _forget(self, key: int) -> None:
        row = self._row.pop(key, None)
        if row is not None:
            self._alive[row] = False
            self.changed = True
            return
        for segment in reversed(self._spilled):  # the run's: merged at the commit, no kill
            row = segment.find(key)
            if row is not None:
                segment.alive[row] = False
                self.changed = True
                return
        for segment in reversed(self._held):
            row = segment.find(key)
            if row is not None:
                segment.alive[row] = False
                self._kills.append((segment.number, row))
                self.changed = True
                return

    def held(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The id keys, signatures and stories of the articles of earlier runs, in the order
        they were assigned (for benchmarks and checks: it reads every segment whole)."""
        alive = [segment.alive for segment in self._held]
        return (
            np.concatenate([s.row_ids()[a] for s, a in zip(self._held, alive, strict=True)]),
            np.concatenate([s.signatures[a] for s, a in zip(self._held, alive, strict=True)]),
            np.concatenate([s.stories[a] for s, a in zip(self._held, alive, strict=True)]),
        )

    def _own(self, number: int, kills: list[tuple[int, int]]) -> Segment:
        """The run's own articles in memory as a segment numbered ``number``, with ``kills``."""
        rows = slice(0, self._count)
        keys = self._one_run()
        part = segments.made(
            number,
            self._ids[rows],
            self._signatures[rows],
            self._stories[rows],
            keys.keys[:],
            keys.rows[:],
            np.array(kills, dtype=np.int64),
        )
        part.alive = self._alive[rows].copy()
        return part

    def _spill(self) -> None:
        """Move the run's articles in memory to a temporary segment, merged with the newest
        such segments while they are no larger (a binary counter, as the committed ones)."""
        own = self._own(-1, [])
        start, size = len(self._spilled), int(own.alive.sum())
        while start and len(self._spilled[start - 1].stories) <= size:
            start -= 1
            size += int(self._spilled[start].alive.sum())
        with tempfile.TemporaryFile(dir=self.spill_to) as file:
            segments.write_merged([*self._spilled[start:], own], set(), file, VERSION)
            file.flush()
            # Looked up through its mapping at once: the rest of the run searches it for each
            # of its articles.
            self._spilled[start:] = [segments.opened(-1, None, file, VERSION, map_after=0)]
        self._start_run()

    def write(self, generation: Path, commit: int) -> None:
        """Write the stories under ``commit``, in its ``prepare`` (``search.generation``): the
        run's articles and removals as a segment, merged with the newest segments
        (``story_segments.merge_from``). They are then held as the segments written."""
        run = [*self._spilled, self._own(commit, self._kills)]
        start = segments.merge_from(self._held, sum(int(part.alive.sum()) for part in run))
        kept = self._held[:start]
        outside = {segment.number for segment in kept}
        parts = [*self._held[start:], *run]
        side = Generation(generation)
        if any(segments.merged_size(parts, outside)):
            side.write(
                STORY_SEGMENTS,
                commit,
                lambda out: segments.write_merged(parts, outside, out, VERSION),
            )
            # Held from the file from now on, as the next run holds it.
            kept.append(segments.read(commit, side.file(STORY_SEGMENTS, commit), VERSION))
        numbers = [segment.number for segment in kept]
        side.write(STORIES, commit, segments.manifest(self._next, numbers, VERSION))
        self._held, self._spilled, self._kills = kept, [], []
        self.changed = False
        self._start_run()

    @classmethod
    def read(cls, generation: Path) -> Stories:
        """The stories as of the generation's last commit (none yet in a new generation)."""
        side = Generation(generation)
        found = side.read(STORIES, cls.load)
        if found is None:
            found = side.read(WHOLE_STORIES, cls._read_whole)
        found = cls.empty() if found is None else found
        found.spill_to = generation
        return found

    @classmethod
    def load(cls, manifest: Path) -> Stories:
        """The stories a manifest (``stories.<commit>.json``) names, from the segments beside it."""
        next_story, held = segments.read_manifest(manifest, VERSION)
        return cls(held, next_story)

    @classmethod
    def _read_whole(cls, path: Path) -> Stories:
        """The one stories file of an older Bahth, every article's: held as a segment that
        the next commit rewrites as a file."""
        with np.load(path, allow_pickle=False) as data:
            if "version" not in data or int(data["version"][0]) != VERSION:
                raise IndexIncompatible(f"{path} holds stories of another version of Bahth")
            signatures = data["signatures"]
            comparable = np.flatnonzero(signatures.any(axis=1))
            whole = segments.made(
                -1,
                np.array([id_key(str(i)) for i in data["ids"]], dtype=np.uint64),
                signatures,
                data["stories"],
                band_keys(signatures[comparable]).ravel(),
                np.repeat(comparable, BANDS),
                np.zeros((0, 2), dtype=np.int64),
            )
            return cls([whole], int(data["next_story"][0]))

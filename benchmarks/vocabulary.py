"""What keeping the did-you-mean vocabulary costs an indexing run (issue 24, item 3).

    python -m benchmarks.vocabulary --index DIR --add FILE [FILE ...]
                                    [--mode full|changes|both] [--workdir DIR]

For each mode, on a fresh copy of the index at ``--index`` (never written itself): the
vocabulary in force is brought to the current format first (a full count, untimed, so that
the timed run has a base to change), then the articles of each ``--add`` file are indexed in
turn (a run each, ``Indexer.add_files``) and each run's vocabulary step is timed, with the
peak of the process's resident memory above what it held before the step (sampled every 5 ms):

* ``full``: every term of the exact fields counted (``refresh`` told nothing: what every run
  did before the vocabulary kept changes);
* ``changes``: ``refresh`` given the words of the exact fields of the added articles, as a run
  that collects them from its analysis would (here the articles are analysed once more,
  untimed).

Then, for ``changes``, checks that the vocabulary a search reads equals a full count of the
committed index (``count_words``) and says how many words differ. Prints a line per run.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Collection
from pathlib import Path

from search import Indexer, layout
from search.article import Article
from search.engine.core.documents import prepare
from search.generation import Generation
from search.ingest import read_dump
from search.spelling import vocabulary

_PAGE = 4096


def rss_mb() -> float:
    """This process's resident memory now, in MB."""
    return int(Path("/proc/self/statm").read_text().split()[1]) * _PAGE / 2**20


class Peak:
    """Wall time of a block, and the peak of RSS above its start, sampled every 5 ms."""

    def __enter__(self) -> Peak:
        self.start_mb = self.peak_mb = rss_mb()
        self._running = True
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        self._t0 = time.perf_counter()
        return self

    def _sample(self) -> None:
        while self._running:
            self.peak_mb = max(self.peak_mb, rss_mb())
            time.sleep(0.005)

    def __exit__(self, *_: object) -> None:
        self.seconds = time.perf_counter() - self._t0
        self._running = False
        self._thread.join()
        self.peak_mb = max(self.peak_mb, rss_mb())

    @property
    def added_mb(self) -> float:
        return self.peak_mb - self.start_mb


def touched_words(dump: Path) -> set[str]:
    """The words of the exact fields of the dump's articles, as their analysis gives them."""
    words: set[str] = set()
    for record in read_dump([dump]):
        if isinstance(record, Article):
            for name, text in prepare(record).texts:
                if name.endswith("_exact"):
                    words.update(text.split())
    return words


def run(index: Path, dumps: list[Path], mode: str, workdir: Path) -> list[str]:
    """Index each of ``dumps`` in turn into a copy of ``index``, timing the vocabulary step
    of each run in ``mode``; a line per run."""
    copy = workdir / f"index-{mode}"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(index, copy, symlinks=True)
    generation = layout.require_current(copy)
    side = Generation(generation)
    if vocabulary._Held.of(side) is None:  # a base of the current format to change
        for path in [*generation.glob("spelling.*.marisa"), *generation.glob("spelling.*.changes")]:
            path.unlink()
        vocabulary.refresh(generation)
    lines = [_timed(copy, dump, mode) for dump in dumps]
    shutil.rmtree(copy, ignore_errors=True)
    return lines


def _timed(copy: Path, dump: Path, mode: str) -> str:
    generation = layout.require_current(copy)
    side = Generation(generation)
    words: Collection[str] | None = touched_words(dump) if mode == "changes" else None
    since = side.committed()  # the commit before the run's
    real = vocabulary.refresh
    timed: list[Peak] = []

    def refresh(
        generation: Path, touched: Collection[str] | None = None, _: int | None = None
    ) -> None:
        with Peak() as peak:
            real(generation, words, since)
        timed.append(peak)

    vocabulary.refresh = refresh  # type: ignore[assignment]  # what after_commit calls
    try:
        t0 = time.perf_counter()
        report = Indexer(copy).add_files([dump])
        run_seconds = time.perf_counter() - t0
    finally:
        vocabulary.refresh = real  # type: ignore[assignment]
    [peak] = timed
    files = sorted(p.name.split(".", 2)[2] for p in generation.glob("spelling.*"))
    line = (
        f"{mode:8} +{report.added:,} articles: vocabulary {peak.seconds:.2f} s, "
        f"+{peak.added_mb:.0f} MB peak; run {run_seconds:.1f} s; "
        f"touched {len(words or ()):,} words; files {files}"
    )
    if mode == "changes":
        reader = side.engine.open_reader(side.location)
        try:
            full = vocabulary.count_words(reader)
        finally:
            reader.close()
        read = vocabulary.Vocabulary.read(generation)
        kept = dict(read.items()) if read is not None else {}
        differ = {w for w in full.keys() | kept.keys() if full.get(w, 0) != kept.get(w, 0)}
        line += f"; differs from a full count in {len(differ):,} words"
    return line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.vocabulary", description=__doc__)
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--add", type=Path, nargs="+", required=True)
    parser.add_argument("--mode", choices=("full", "changes", "both"), default="both")
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args(argv)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bahth-vocabulary-"))
    workdir.mkdir(parents=True, exist_ok=True)
    for mode in ("full", "changes") if args.mode == "both" else (args.mode,):
        for line in run(args.index, args.add, mode, workdir):
            print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

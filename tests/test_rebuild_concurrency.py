"""Rebuilds while others search, and two writers at once: real threads, processes and locks.

Each generation built here has its own article count, and every article has COMMON_WORD in its
title, so a search's total says which generation answered it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import pytest

from search import Indexer, Searcher, layout

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("engine")]

WORDS = (  # noqa: SIM905 -- an Arabic word list reads best as one string
    "الحكومة الوزير البرلمان المدينة الشركة السوق الاقتصاد المنتخب الجامعة "
    "المستشفى الطاقة المياه المطار الميناء المحكمة المؤتمر الاتفاق الموازنة "
    "الأسعار الاستثمار"
).split()
COMMON_WORD = "النفط"
# One dump per generation: gen-000001 from the first, each rebuild from the next.
SIZES = (120, 150, 180, 210)


def write_dump(path: Path, count: int) -> Path:
    lines = []
    for n in range(count):
        words = [WORDS[(n * 7 + k * 3) % len(WORDS)] for k in range(40)]
        record = {
            "id": f"g{n:04d}",
            "title": f"{COMMON_WORD} {WORDS[n % len(WORDS)]} {WORDS[(n * 5) % len(WORDS)]}",
            "body": " ".join(words),
            "date": f"2025-{1 + n % 12:02d}-{1 + n % 28:02d}",
        }
        lines.append(json.dumps(record, ensure_ascii=False) + "\n")
    path.write_text("".join(lines), encoding="utf-8")
    return path


@pytest.fixture
def dumps(tmp_path: Path) -> list[Path]:
    return [write_dump(tmp_path / f"dump-{size}.jsonl", size) for size in SIZES]


def total(searcher: Searcher) -> int:
    return searcher.search(COMMON_WORD, match="all", limit=5).total


# --- searches during rebuilds ------------------------------------------------------------------


@dataclass
class SearchLoop:
    """Searches in a thread until stopped: with one Searcher opened before the rebuilds and
    never refreshed, and with a fresh Searcher each round. Records totals and errors."""

    index: Path
    long_lived: list[int] = field(default_factory=list)
    fresh: list[int] = field(default_factory=list)
    errors: list[BaseException] = field(default_factory=list)
    rounds: int = 0  # rounds completed
    changed: threading.Condition = field(default_factory=threading.Condition)
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self, searcher: Searcher) -> None:
        while not self.stop.is_set():
            try:
                self.long_lived.append(total(searcher))
                with Searcher(self.index) as fresh:
                    self.fresh.append(total(fresh))
            except BaseException as error:
                self.errors.append(error)
                self.stop.set()
            finally:
                with self.changed:
                    self.rounds += 1
                    self.changed.notify_all()

    def wait_for_a_new_round(self) -> None:
        """Block until a round that starts after this call has completed (one round may be
        under way now, so two more must complete), or the loop has stopped."""
        with self.changed:
            target = self.rounds + 2
            done = self.changed.wait_for(
                lambda: self.rounds >= target or self.stop.is_set(), timeout=120
            )
        assert done, "the search thread stopped answering"


def test_searches_during_rebuilds_never_fail_and_see_one_whole_generation(
    tmp_path: Path, dumps: list[Path]
) -> None:
    index = tmp_path / "index"
    Indexer(index).add_files([dumps[0]])
    valid = set(SIZES)
    with Searcher(index) as long_lived:
        loop = SearchLoop(index)
        thread = threading.Thread(target=loop.run, args=(long_lived,))
        thread.start()
        try:
            loop.wait_for_a_new_round()
            for dump in dumps[1:]:
                Indexer(index).rebuild([dump])
                loop.wait_for_a_new_round()  # searches run during and after each switch
        finally:
            loop.stop.set()
            thread.join(timeout=120)
        assert not thread.is_alive()
        assert loop.errors == []

        # The long-lived Searcher kept its snapshot of the first generation throughout.
        assert set(loop.long_lived) == {SIZES[0]}
        # Fresh Searchers saw whole generations only, never going back to an older one.
        assert set(loop.fresh) <= valid
        assert loop.fresh == sorted(loop.fresh)
        assert loop.fresh[-1] == SIZES[-1]

        # The first generation is still on disk while the old Searcher reads it ...
        assert (index / "gen-000001").is_dir()
        assert total(long_lived) == SIZES[0]
        # ... and refresh() moves it to the live one.
        assert long_lived.refresh() is True
        assert long_lived.generation == layout.current(index)
        assert total(long_lived) == SIZES[-1]
    # Nobody reads the old generations any more: the next rebuild removes them all.
    report = Indexer(index).rebuild([dumps[-1]])
    assert [g.name for g in layout.generations(index)] == [report.generation]


_SEARCH_PROCESS = """
import sys
from search import Searcher
index, word = sys.argv[1], sys.argv[2]

def total(searcher):
    return searcher.search(word, match="all", limit=5).total

with Searcher(index) as long_lived:
    print(total(long_lived), total(long_lived), flush=True)  # ready
    for command in sys.stdin:  # one round of searches per line; ends when stdin closes
        with Searcher(index) as fresh:
            print(total(long_lived), total(fresh), flush=True)
"""


class SearchProcess:
    """A child process that searches (old Searcher, fresh Searcher) each time it is asked."""

    def __init__(self, index: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", _SEARCH_PROCESS, str(index), COMMON_WORD],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        )

    def ask(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write("search\n")
        self.process.stdin.flush()

    def answer(self) -> tuple[int, int]:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        assert line, self.finish()
        old, fresh = line.split()
        return int(old), int(fresh)

    def finish(self) -> str:
        _, stderr = self.process.communicate(timeout=120)
        return stderr


def test_another_process_searches_while_rebuilds_switch_generations(
    tmp_path: Path, dumps: list[Path]
) -> None:
    index = tmp_path / "index"
    Indexer(index).add_files([dumps[0]])
    searcher = SearchProcess(index)
    answers: list[tuple[int, int]] = []
    try:
        answers.append(searcher.answer())  # its long-lived Searcher is open
        for dump in dumps[1:]:
            # The child searches while the rebuild runs (it was asked just before) ...
            searcher.ask()
            report = Indexer(index).rebuild([dump])
            answers.append(searcher.answer())
            # ... and right after the switch.
            searcher.ask()
            answers.append(searcher.answer())
            assert layout.current(index) == index / report.generation
    finally:
        stderr = searcher.finish()
    assert searcher.process.returncode == 0, stderr
    assert [old for old, _ in answers] == [SIZES[0]] * len(answers)
    fresh = [new for _, new in answers]
    assert set(fresh) <= set(SIZES) and fresh == sorted(fresh)
    assert fresh[2::2] == list(SIZES[1:])  # after each switch, a new Searcher sees it
    # the child is gone: the generations it held are removed by the next rebuild
    report = Indexer(index).rebuild([dumps[-1]])
    assert [g.name for g in layout.generations(index)] == [report.generation]


# --- two writers -------------------------------------------------------------------------------


def bahth_command(*args: str | Path) -> list[str]:
    """The installed console script beside this Python, else the same entry point via -c."""
    script = Path(sys.executable).with_name("bahth")
    if script.exists():
        return [str(script), *map(str, args)]
    entry = "import sys; from search.cli import main; sys.argv[0] = 'bahth'; main()"
    return [sys.executable, "-c", entry, *map(str, args)]


def _env() -> dict[str, str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "NO_COLOR": "1"}
    env.pop("BAHTH_INDEX", None)
    return env


class FirstWriter:
    """``bahth index FIFO``: it takes the write lock, then blocks reading the FIFO until the
    test feeds it, so the test decides when it finishes (no timing involved)."""

    def __init__(self, index: Path, fifo: Path, content: Path) -> None:
        self.index = index
        self.fifo = fifo
        self.content = content
        self.process: subprocess.Popen[str] | None = None
        self.feed: IO[str] | None = None

    def start(self) -> int:
        """Start it; returns once it holds the write lock (it opened the FIFO after taking
        the lock), with its PID."""
        os.mkfifo(self.fifo)
        self.process = subprocess.Popen(
            bahth_command("index", self.fifo, "--index", self.index, "-q"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=_env(),
        )
        opened: list[IO[str]] = []
        opener = threading.Thread(
            target=lambda: opened.append(open(self.fifo, "w", encoding="utf-8")),  # noqa: SIM115
            daemon=True,
        )
        opener.start()
        opener.join(timeout=120)
        assert opened, "the first writer never opened its dump"
        self.feed = opened[0]
        return self.process.pid

    def finish(self) -> subprocess.CompletedProcess[str]:
        """Feed it its dump and wait for it to end."""
        assert self.process is not None and self.feed is not None
        self.feed.write(self.content.read_text(encoding="utf-8"))
        self.feed.close()
        stdout, stderr = self.process.communicate(timeout=120)
        return subprocess.CompletedProcess(
            self.process.args, self.process.returncode, stdout, stderr
        )

    def abandon(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.communicate()


@pytest.fixture
def first_writer(tmp_path: Path, dumps: list[Path]) -> Iterator[FirstWriter]:
    writer = FirstWriter(tmp_path / "index", tmp_path / "feed.jsonl", dumps[1])
    Indexer(writer.index).add_files([dumps[0]])
    try:
        yield writer
    finally:
        writer.abandon()


def wait_until(condition: Callable[[], bool], timeout: float = 120) -> None:
    """Poll ``condition`` (a state the kernel shows, which nothing can wait on directly)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def _blocked_on_a_lock(pid: int) -> bool:
    """Whether ``pid`` waits for a file lock (a "->" line of /proc/locks)."""
    with open("/proc/locks", encoding="ascii") as locks:
        return any("->" in line and line.split()[5] == str(pid) for line in locks)


def test_second_writer_is_refused_naming_the_writing_pid(
    first_writer: FirstWriter, dumps: list[Path]
) -> None:
    pid = first_writer.start()
    second = subprocess.run(
        bahth_command("index", dumps[2], "--index", first_writer.index, "-q"),
        capture_output=True,
        text=True,
        env=_env(),
        timeout=120,
        check=False,
    )
    assert second.returncode == 1, second.stderr
    assert f"is being written by PID {pid}" in second.stderr
    assert "--wait" in second.stderr  # says what to do
    assert "Traceback" not in second.stderr
    assert second.stdout == ""

    done = first_writer.finish()  # the first writer was not disturbed
    assert done.returncode == 0, done.stderr
    with Searcher(first_writer.index) as searcher:
        assert total(searcher) == SIZES[1]
        assert searcher.stats().articles == SIZES[1]


def test_second_writer_with_wait_runs_after_the_first(
    first_writer: FirstWriter, dumps: list[Path]
) -> None:
    first_writer.start()
    second = subprocess.Popen(
        bahth_command("index", dumps[2], "--index", first_writer.index, "-q", "--wait"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
    )
    try:
        if os.path.exists("/proc/locks"):  # make sure it is queued before the first ends
            wait_until(lambda: _blocked_on_a_lock(second.pid) or second.poll() is not None)
            assert second.poll() is None, second.communicate()
        done = first_writer.finish()
        assert done.returncode == 0, done.stderr
        stdout, stderr = second.communicate(timeout=120)
    finally:
        if second.poll() is None:
            second.kill()
            second.communicate()
    assert second.returncode == 0, stderr
    # It ran after the first had committed: the first writer's articles were already there.
    assert f"{SIZES[1]} unchanged" in stdout
    assert f"{SIZES[2] - SIZES[1]} added" in stdout
    with Searcher(first_writer.index) as searcher:
        assert total(searcher) == SIZES[2]

"""No orphans, no lock held by the dead: indexing runs with analysis workers, killed.

``bahth index`` and ``bahth rebuild`` run with ``--workers 2`` (whoosh: processes it forks;
tantivy: analysis processes it starts as commands) on a dump big enough to keep the workers
busy, and are killed with SIGKILL at a random moment, drawn per seed from a slice of one full
run (measured first, per engine). Then: every process of the run ends (found by a marker in
their environment, which every child inherits, whatever its process group or session), no
traceback reached the terminal (the run's stderr, which its children share), the lock is free
and the next writer starts without ``--wait``, the index holds the articles it held or the
new ones, and a rerun indexes every article. A few kills run in the slow tier (CI); the many
more of the issue's "Done when" in the long one (``-m long``).

Then what an older Bahth left behind: a writer killed while a child it forked still holds its
lock (and waits forever on a pipe). A later writer ends the child when it is provably the dead
writer's and runs, with ``--wait`` too; when the holder is not provably left behind (its writer
is alive and let go of the lock), the writer is refused, naming the process to end, and
``--wait`` does not wait for it.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import random
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pytest

from search import Indexer, Searcher, layout
from search.run import HASH_BATCH
from tests.test_crash_safety import (
    COMMON_WORD,
    NEW_WORD,
    _env,
    article,
    bahth_command,
    copy_index,
    dump_a,
    dump_b,
    run_bahth,
    write_dump,
)
from tests.test_rebuild_concurrency import _blocked_on_a_lock, wait_until

pytestmark = [
    pytest.mark.slow,
    pytest.mark.usefixtures("engine"),
    pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs Linux's /proc"),
]

MARK = "BAHTH_TEST_RUN"  # in the environment of a run and of every process it starts
EXTRA = 900  # articles added to dump B (600): enough for the workers to be busy a while
INDEX_KILLS = 13  # seeds of `bahth index`, one slice of the run each
REBUILD_KILLS = 11
QUICK_INDEX = (6, 10)  # the seeds of the default run: workers running (either engine)
QUICK_REBUILD = (6,)


def dump_big() -> list[dict[str, str]]:
    """Dump B (30 of A's articles changed, 300 added) with EXTRA more articles added."""
    rng = random.Random(4)
    extra = [article(n, rng, NEW_WORD) for n in range(10_000, 10_000 + EXTRA)]
    return [*dump_b(), *extra]


def contents(index: Path) -> dict[str, str]:
    """Every article's id and title (a changed article's title changes too)."""
    with Searcher(index) as searcher:
        return {hit.id: hit.title for hit in searcher.scan(COMMON_WORD, match="all")}


@dataclass
class Prepared:
    template: Path  # an index of dump A
    dump: Path  # dump_big
    old: dict[str, str]  # the template's contents
    new: dict[str, str]  # the contents of an index of the dump
    seconds: dict[str, float]  # one full run of each command, from start to end


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory, engine: str) -> Prepared:
    root = tmp_path_factory.mktemp("orphans")
    template = root / "template"
    Indexer(template).add_files([write_dump(root / "a.jsonl", dump_a())])
    dump = write_dump(root / "big.jsonl", dump_big())
    seconds = {}
    new: dict[str, str] = {}
    for command in ("index", "rebuild"):
        index = copy_index(template, root / f"calibrate-{command}")
        run = Run([command, dump, "--index", index, "-q", "--workers", "2"], root / command)
        seconds[command] = run.finish()
        assert run.returncode == 0, run.stderr()
        new = contents(index)
    assert set(new) == {r["id"] for r in dump_big()}  # A's articles are all in it
    return Prepared(template, dump, contents(template), new, seconds)


# --- a run, its processes and its terminal ----------------------------------------------------


def _state(pid: str) -> str | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    return stat[stat.rindex(")") + 2 :].split()[0]


def processes_with(token: str) -> list[int]:
    """The live processes (not zombies) whose environment holds ``MARK=token``."""
    marker = f"{MARK}={token}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        if marker in environ.split(b"\0") and _state(entry.name) not in (None, "Z", "X"):
            found.append(int(entry.name))
    return found


class Run:
    """``bahth ARGS`` in a session of its own, its environment marked, its stderr (and its
    children's) in a file: a pipe would keep a reader waiting for as long as an orphan has
    it open."""

    def __init__(self, args: list[str | Path], directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.token = uuid.uuid4().hex
        self.errors = directory / "stderr.txt"
        with open(self.errors, "w", encoding="utf-8") as stderr:
            self.process = subprocess.Popen(
                bahth_command(*args),
                stdout=subprocess.DEVNULL,
                stderr=stderr,
                env={**_env(), MARK: self.token},
                start_new_session=True,
            )
        self.started = time.monotonic()

    @property
    def returncode(self) -> int | None:
        return self.process.returncode

    def finish(self) -> float:
        """Wait for the run to end; how long it ran."""
        self.process.wait(timeout=600)
        return time.monotonic() - self.started

    def kill_after(self, delay: float) -> bool:
        """SIGKILL the run after ``delay`` seconds unless it ends first; whether it did."""
        try:
            self.process.wait(timeout=delay)
            return True
        except subprocess.TimeoutExpired:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()
            # It may have ended by itself between the timeout and the signal (then none is
            # sent): a run that exited 0 finished.
            return self.process.returncode == 0

    def processes(self) -> list[int]:
        return processes_with(self.token)

    def stderr(self) -> str:
        return self.errors.read_text(encoding="utf-8", errors="replace")


def assert_quiet(stderr: str, where: str) -> None:
    """Nothing but Bahth's own notes on the terminal."""
    for sign in ("Traceback", "Error", "Fatal Python error", "Exception"):
        assert sign not in stderr, f"{where}\n{stderr}"


def assert_lock_free(index: Path) -> None:
    """Nobody holds the write lock: it can be taken without waiting."""
    with open(index / layout.WRITE_LOCK, "a+", encoding="utf-8") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)  # BlockingIOError if held
    assert layout.writer_pid(index) is None


def kill_delay(full: float, seed: int, seeds: int) -> float:
    """A delay in the seed's own slice of [0.1, 1.0] x the full run."""
    low, high = 0.1, 1.0
    return (low + (high - low) * (seed + random.Random(seed).random()) / seeds) * full


# --- killed runs -------------------------------------------------------------------------------


def kill_and_rerun(prepared: Prepared, tmp_path: Path, command: str, seed: int) -> None:
    seeds = INDEX_KILLS if command == "index" else REBUILD_KILLS
    index = copy_index(prepared.template, tmp_path / "index")
    args: list[str | Path] = [command, prepared.dump, "--index", index, "-q", "--workers", "2"]
    delay = kill_delay(prepared.seconds[command], seed, seeds)
    where = f"{command}, seed {seed}: killed after {delay:.2f} s of {prepared.seconds[command]:.2f}"

    run = Run(args, tmp_path / "killed")
    finished = run.kill_after(delay)
    left = run.processes()  # the moment the writer is dead and reaped
    # They end without anyone's help: a worker left waiting on its pipe would never end.
    wait_until(lambda: not run.processes(), timeout=60)
    assert_quiet(run.stderr(), f"{where}; left at the kill: {left}")
    assert finished or run.returncode == -signal.SIGKILL, where
    assert_lock_free(index)

    # The index holds what it held, or (the commit made) the new articles; never a mix.
    after = contents(index)
    assert after in (prepared.old, prepared.new), where
    if finished:
        assert after == prepared.new, where

    # The next writer starts at once (no --wait) and does the job.
    rerun = run_bahth(*args)
    assert rerun.returncode == 0, f"{where}\n{rerun.stderr}"
    assert_quiet(rerun.stderr, where)
    assert contents(index) == prepared.new, where
    if command == "rebuild":
        assert layout.generations(index) == [layout.current(index)], where


@pytest.mark.parametrize("seed", QUICK_INDEX)
def test_a_killed_index_run_leaves_no_process_no_lock_no_traceback(
    prepared: Prepared, tmp_path: Path, seed: int
) -> None:
    kill_and_rerun(prepared, tmp_path, "index", seed)


@pytest.mark.parametrize("seed", QUICK_REBUILD)
def test_a_killed_rebuild_leaves_no_process_no_lock_no_traceback(
    prepared: Prepared, tmp_path: Path, seed: int
) -> None:
    kill_and_rerun(prepared, tmp_path, "rebuild", seed)


@pytest.mark.long
@pytest.mark.parametrize(
    ("command", "seed"),
    [
        *(("index", s) for s in range(INDEX_KILLS) if s not in QUICK_INDEX),
        *(("rebuild", s) for s in range(REBUILD_KILLS) if s not in QUICK_REBUILD),
    ],
)
def test_many_killed_runs_leave_no_process_no_lock_no_traceback(
    prepared: Prepared, tmp_path: Path, command: str, seed: int
) -> None:
    kill_and_rerun(prepared, tmp_path, command, seed)


# --- what the workers hold ---------------------------------------------------------------------


def open_files(pid: int) -> set[str]:
    """The paths ``pid`` has open (none once it is gone)."""
    found = set()
    try:
        descriptors = list(Path(f"/proc/{pid}/fd").iterdir())
    except OSError:
        return found
    for fd in descriptors:
        try:
            found.add(os.readlink(fd))
        except OSError:
            continue
    return found


FED = HASH_BATCH + 200


def test_workers_hold_no_lock_of_the_index(prepared: Prepared, tmp_path: Path) -> None:
    index = copy_index(prepared.template, tmp_path / "index")
    locks = {
        str(index / layout.WRITE_LOCK),
        *(str(p) for p in (index / "gen-000001").glob("*WRITELOCK*")),  # whoosh's own
    }
    fifo = tmp_path / "feed.jsonl"
    os.mkfifo(fifo)
    run = Run(["index", fifo, "--index", index, "-q", "--workers", "2"], tmp_path / "run")
    lines = prepared.dump.read_text(encoding="utf-8").splitlines(keepends=True)

    def workers_started_without_locks() -> bool:
        # A worker forked a moment ago has every descriptor of its writer until it runs: the
        # state to reach is both workers running, neither holding a lock (else: timed out).
        workers = [pid for pid in run.processes() if pid != run.process.pid]
        return len(workers) >= 2 and not any(open_files(pid) & locks for pid in workers)

    with open_for_writing(fifo, run) as feed:
        # Enough for the indexer to hand a batch (HASH_BATCH) to the engine, which starts its
        # workers with it; they wait for more then.
        feed.write("".join(lines[:FED]))
        feed.flush()
        wait_until(lambda: workers_started_without_locks() or run.process.poll() is not None)
        assert run.process.poll() is None, run.stderr()
        assert str(index / layout.WRITE_LOCK) in open_files(run.process.pid)
        feed.write("".join(lines[FED:]))
    run.finish()
    assert run.returncode == 0, run.stderr()
    assert contents(index) == prepared.new


# A writer (Bahth's lock, taken as every Bahth writer takes it) that forks a child of its own,
# not one of Bahth's workers: the child lives on, waiting on a pipe, after the writer is killed.
_FORKING_WRITER = """
import os, sys
from pathlib import Path
from search import layout
with layout.write_lock(Path(sys.argv[1])):
    if os.fork() == 0:
        print(os.getpid(), flush=True)  # it runs: what happens to it at its fork has happened
        os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
        os.read(os.pipe()[0], 1)
        os._exit(0)
    sys.stdin.read()
"""


def test_a_child_forked_by_a_writer_does_not_keep_its_lock(
    prepared: Prepared, tmp_path: Path
) -> None:
    index = copy_index(prepared.template, tmp_path / "index")
    writer = subprocess.Popen(
        [sys.executable, "-c", _FORKING_WRITER, str(index)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])},
    )
    assert writer.stdout is not None
    child = int(writer.stdout.readline())
    try:
        assert str(index / layout.WRITE_LOCK) not in open_files(child)
        writer.kill()
        writer.wait()
        assert alive(child)  # nobody ended it ...
        assert_lock_free(index)  # ... and the lock died with the writer all the same
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(child, signal.SIGKILL)
        writer.communicate()


def open_for_writing(fifo: Path, run: Run) -> IO[str]:
    """Open ``fifo`` for writing; this blocks until the run opens it for reading."""
    opened: list[IO[str]] = []
    opener = threading.Thread(
        target=lambda: opened.append(open(fifo, "w", encoding="utf-8")),  # noqa: SIM115
        daemon=True,
    )
    opener.start()
    opener.join(timeout=120)
    if not opened:
        run.process.kill()
        pytest.fail(f"bahth never opened its dump: {run.stderr()}")
    return opened[0]


# --- a lock held for a dead writer, as an older Bahth left it ---------------------------------

# A writer as Bahth wrote them before workers let go of the lock: it takes the lock, writes its
# PID, and forks a worker that keeps every descriptor (the lock's too) and waits on a pipe it
# holds both ends of, as whoosh's workers wait on their job queue: nothing will ever come.
# With "let-go", the writer then closes its own descriptor of the lock and lives on.
_OLD_WRITER = """
import fcntl, os, sys
path, mode = sys.argv[1], sys.argv[2]
lock = open(path, "a+")
fcntl.flock(lock, fcntl.LOCK_EX)
lock.seek(0); lock.truncate(); lock.write(f"{os.getpid()}\\n"); lock.flush()
read, write = os.pipe()
worker = os.fork()
if worker == 0:
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)  # the test reads the writer's output to its end
    os.read(read, 1)
    os._exit(0)
if mode == "let-go":
    lock.close()
print(worker, flush=True)
sys.stdin.read()
"""


class OldWriter:
    """``_OLD_WRITER`` on an index: ``process`` the writer, ``worker`` the PID of its worker."""

    def __init__(self, index: Path, mode: str) -> None:
        self.index = index
        self.process = subprocess.Popen(
            [sys.executable, "-c", _OLD_WRITER, str(index / layout.WRITE_LOCK), mode],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            start_new_session=True,  # a session it leads, as a command run from a shell
        )
        assert self.process.stdout is not None
        self.worker = int(self.process.stdout.readline())

    def end(self) -> None:
        for pid in (self.worker, self.process.pid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.process.communicate()


@pytest.fixture(params=["keep", "let-go"])
def old_writer(
    request: pytest.FixtureRequest, prepared: Prepared, tmp_path: Path
) -> Iterator[OldWriter]:
    """An index locked by an old writer and its worker; with "let-go", the writer let go
    of its own descriptor of the lock (it lives on)."""
    writer = OldWriter(copy_index(prepared.template, tmp_path / "index"), request.param)
    yield writer
    writer.end()


def alive(pid: int) -> bool:
    return _state(str(pid)) not in (None, "Z", "X")


@pytest.mark.parametrize("wait", [False, True])
@pytest.mark.parametrize("old_writer", ["keep"], indirect=True)
def test_a_dead_writers_orphan_holding_the_lock_is_ended_and_the_run_goes_on(
    prepared: Prepared, old_writer: OldWriter, wait: bool
) -> None:
    index, writer = old_writer.index, old_writer
    writer.process.kill()
    writer.process.wait()
    assert alive(writer.worker)  # the orphan, holding the dead writer's lock
    with open(index / layout.WRITE_LOCK, encoding="utf-8") as lock, pytest.raises(BlockingIOError):
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)

    args: list[str | Path] = ["index", prepared.dump, "--index", index, "-q"]
    args += ["--wait"] if wait else []
    run = run_bahth(*args)
    assert run.returncode == 0, run.stderr
    assert f"PID {writer.process.pid}" in run.stderr and "died" in run.stderr
    assert_quiet(run.stderr, "")
    assert not alive(writer.worker)
    assert contents(index) == prepared.new
    assert_lock_free(index)


@pytest.mark.parametrize("old_writer", ["keep"], indirect=True)
def test_a_writer_waiting_behind_one_that_dies_leaving_an_orphan_goes_on(
    prepared: Prepared, old_writer: OldWriter
) -> None:
    index, writer = old_writer.index, old_writer
    waiting = Run(["index", prepared.dump, "--index", index, "-q", "--wait"], index.parent / "w")
    try:
        wait_until(
            lambda: _blocked_on_a_lock(waiting.process.pid) or waiting.process.poll() is not None
        )
        assert waiting.process.poll() is None, waiting.stderr()  # queued behind the writer
        writer.process.kill()  # dies; its orphan keeps the lock
        writer.process.wait()
        waiting.finish()
    finally:
        if waiting.process.poll() is None:
            waiting.process.kill()
    assert waiting.returncode == 0, waiting.stderr()
    assert not alive(writer.worker)
    assert contents(index) == prepared.new


@pytest.mark.parametrize("wait", [False, True])
@pytest.mark.parametrize("old_writer", ["let-go"], indirect=True)
def test_a_lock_held_by_a_process_not_provably_left_behind_is_named_not_taken(
    prepared: Prepared, old_writer: OldWriter, wait: bool
) -> None:
    index, writer = old_writer.index, old_writer
    args: list[str | Path] = ["index", prepared.dump, "--index", index, "-q"]
    args += ["--wait"] if wait else []
    run = run_bahth(*args)
    assert run.returncode == 1, run.stderr
    assert f"PID {writer.worker}" in run.stderr, run.stderr
    assert f"kill {writer.worker}" in run.stderr, run.stderr
    assert "Traceback" not in run.stderr
    assert alive(writer.worker) and alive(writer.process.pid)  # nobody was ended
    assert contents(index) == prepared.old

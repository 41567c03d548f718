"""Crash safety: ``bahth index`` and ``bahth rebuild`` killed with SIGKILL at random moments.

Real processes and a real disk. An index is built from dump A; dump B is A with some articles
changed and more added. ``bahth index B`` (or ``bahth rebuild B``) runs as a child process and
is killed after a delay drawn, per seed, from a slice of the time one full run takes (measured
first, in this module), so that the seeds together cover start-up, reading and analysing,
writing and the commit. After each kill the index must open and answer with either the old
content or the new, whole; a rerun of the same command must finish the job without being
blocked by the dead writer's lock. Dump C is B with duplicate ids (drafts before the final
versions, repeats): killed, its run leaves the old state or the new one, metadata included,
after exactly one commit. Random moments rarely fall in the few milliseconds around the commit
itself, so runs are also killed right before and right after whoosh renames its table of
contents into place (a hook on that rename, in the child process). Last, a rebuild interrupted
half way (Ctrl-C at a moment the test controls, through a FIFO dump) must leave the live index
as it was, and say so.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pytest

from search import Indexer, Searcher, layout
from search.engine import engine_of
from tests.conftest import committed, interruptible

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("engine")]

# --- generated news ----------------------------------------------------------------------------

# Real news words; none of them is, or stems to, NEW_WORD or CHANGED_WORD.
WORDS = (  # noqa: SIM905 -- an Arabic word list reads best as one string
    "الحكومة الوزير الرئيس البرلمان المدينة الشركة السوق النفط الاقتصاد المنتخب "
    "المباراة الجامعة الطلاب المستشفى الصحة التعليم الطاقة المياه الزراعة المطار "
    "الميناء الشرطة المحكمة القرار الاجتماع المؤتمر الاتفاق المشروع الموازنة "
    "الأسعار الصادرات الاستثمار البنك العملة المواطنين الوزارة المنطقة العاصمة "
    "الحدود المفاوضات الانتخابات أعلن قال أكد افتتح ناقش وقع أطلق استقبل زار ارتفع "
    "انخفض شهد قرر طالب دعا حذر"
).split()
SOURCES = ("alriyadh", "aljazirah", "okaz", "alwatan", "sabq")
COMMON_WORD = "خبر"  # in every article's title
NEW_WORD = "زلزال"  # only in the articles B adds
CHANGED_WORD = "بركان"  # only in the new version of the articles B changes
DRAFT_WORD = "مسودة"  # only in versions that C supersedes within the dump

OLD_COUNT = 300  # articles in A
CHANGED = 30  # articles of A that B changes
ADDED = 300  # articles B adds
NEW_COUNT = OLD_COUNT + ADDED


def article(number: int, rng: random.Random, marker: str = "") -> dict[str, str]:
    words = [rng.choice(WORDS) for _ in range(rng.randint(30, 60))]
    return {
        "id": f"n{number:05d}",
        "title": " ".join([COMMON_WORD, *(rng.choice(WORDS) for _ in range(5)), marker]).strip(),
        "body": " ".join(words),
        "date": f"2024-{1 + number % 12:02d}-{1 + number % 28:02d}",
        "source": SOURCES[number % len(SOURCES)],
    }


def dump_a() -> list[dict[str, str]]:
    rng = random.Random(1)
    return [article(n, rng) for n in range(OLD_COUNT)]


def dump_b() -> list[dict[str, str]]:
    rng = random.Random(2)
    changed = [article(n, rng, CHANGED_WORD) for n in range(CHANGED)]
    added = [article(n, rng, NEW_WORD) for n in range(OLD_COUNT, NEW_COUNT)]
    return [*changed, *dump_a()[CHANGED:], *added]


DRAFTED_CHANGED = range(CHANGED)  # changed by B: a draft, then B's version
DRAFTED_UNCHANGED = range(200, 210)  # a draft, then A's version again
DRAFTED_ADDED = range(OLD_COUNT, OLD_COUNT + 50)  # added by B: a draft, then B's version
REPEATED = range(100, 130)  # A's version twice
DUPLICATES = len(DRAFTED_CHANGED) + len(DRAFTED_UNCHANGED) + len(DRAFTED_ADDED) + len(REPEATED)


def dump_c() -> list[dict[str, str]]:
    """B's content, with duplicate ids: whoever reads it to the end has B's index."""
    rng = random.Random(3)
    drafts = {n: article(n, rng, DRAFT_WORD) for n in (*DRAFTED_CHANGED, *DRAFTED_UNCHANGED)}
    added_drafts = [article(n, rng, DRAFT_WORD) for n in DRAFTED_ADDED]
    b = dump_b()
    repeats = [b[n] for n in REPEATED]
    return [*drafts.values(), *b[:OLD_COUNT], *added_drafts, *repeats, *b[OLD_COUNT:]]


SNAPSHOT_DROPS = range(250, 300)  # A's articles a full snapshot of C leaves out


def dump_snapshot() -> list[dict[str, str]]:
    """C without the articles of SNAPSHOT_DROPS, for ``--delete-missing``."""
    dropped = {f"n{n:05d}" for n in SNAPSHOT_DROPS}
    return [r for r in dump_c() if r["id"] not in dropped]


def last_versions(records: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    return {r["id"]: r for r in records}


def write_dump(path: Path, records: list[dict[str, str]]) -> Path:
    lines = (json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    path.write_text("".join(lines), encoding="utf-8")
    return path


# --- running bahth as a process ----------------------------------------------------------------


def bahth_command(*args: str | Path) -> list[str]:
    """The installed console script beside this Python, else the same entry point via -c."""
    script = Path(sys.executable).with_name("bahth")
    prefix = [str(script)] if script.exists() else [sys.executable, "-c", _ENTRY_POINT]
    return [*prefix, *map(str, args)]


_ENTRY_POINT = "import sys; from search.cli import main; sys.argv[0] = 'bahth'; main()"


def _env() -> dict[str, str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "NO_COLOR": "1"}
    env.pop("BAHTH_INDEX", None)
    return env


def run_bahth(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        bahth_command(*args), capture_output=True, text=True, env=_env(), timeout=300, check=False
    )


SUMMARY = re.compile(
    r"\((?P<generation>gen-\d{6})\): (?P<read>[\d,]+) read, (?P<added>[\d,]+) added, "
    r"(?P<updated>[\d,]+) updated, (?P<unchanged>[\d,]+) unchanged, (?P<rejected>[\d,]+) rejected"
)


def summary_counts(stdout: str) -> dict[str, int | str]:
    found = SUMMARY.search(stdout)
    assert found, stdout
    return {
        k: v if k == "generation" else int(v.replace(",", "")) for k, v in found.groupdict().items()
    }


@dataclass
class Killed:
    pid: int
    delay: float
    finished: bool  # the run ended on its own before the delay
    lock_holder: str  # what write.lock said right after the kill


def run_and_kill(args: list[str | Path], delay: float, index: Path) -> Killed:
    """Start ``bahth ARGS`` and SIGKILL it after ``delay`` seconds (unless it ends first)."""
    process = subprocess.Popen(
        bahth_command(*args),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
    )
    try:
        _, stderr = process.communicate(timeout=delay)
        finished = True
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
        _, stderr = process.communicate()
        finished = False
    assert process.returncode in (0, -signal.SIGKILL), stderr
    lock = index / layout.WRITE_LOCK
    holder = lock.read_text(encoding="utf-8").strip() if lock.exists() else ""
    return Killed(process.pid, delay, finished, holder)


SEEDS = 5  # kills per command


def kill_delay(full_run: float, seed: int, salt: int) -> float:
    """A delay drawn from the seed's own slice of [0.1, 1.05] x the full run: the seeds
    together cover start-up, reading and analysing, the commit (whoosh writes its segment
    then, the last third or so of a run) and the end (the last slice reaches past it)."""
    low, high = 0.1, 1.05
    width = (high - low) / SEEDS
    return (low + width * (seed + random.Random(salt + seed).random())) * full_run


# --- the indexes -------------------------------------------------------------------------------


@dataclass
class Prepared:
    template: Path  # an index of dump A, copied for each test
    a: Path  # dump A
    dump: Path  # dump B
    duplicates: Path  # dump C
    snapshot: Path  # dump C without SNAPSHOT_DROPS
    index_seconds: float  # one full `bahth index B` over A
    rebuild_seconds: float  # one full `bahth rebuild B` over A
    duplicates_seconds: float  # one full `bahth index C` over A


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory, engine: str) -> Prepared:
    root = tmp_path_factory.mktemp("crash")
    template = root / "template"
    a = write_dump(root / "a.jsonl", dump_a())
    report = Indexer(template).add_files([a])
    assert report.added == OLD_COUNT, report
    dump = write_dump(root / "b.jsonl", dump_b())
    duplicates = write_dump(root / "c.jsonl", dump_c())
    snapshot = write_dump(root / "snapshot.jsonl", dump_snapshot())
    timings = []
    for command, source in (("index", dump), ("rebuild", dump), ("index", duplicates)):
        index = copy_index(template, root / f"calibrate-{command}-{source.stem}")
        started = time.perf_counter()
        done = run_bahth(command, source, "--index", index, "-q")
        timings.append(time.perf_counter() - started)
        assert done.returncode == 0, done.stderr
        assert_new_content(index)
    return Prepared(template, a, dump, duplicates, snapshot, *timings)


def copy_index(template: Path, index: Path) -> Path:
    shutil.copytree(template, index)
    return index


def counts(index: Path) -> tuple[int, int, int]:
    """(articles, articles with NEW_WORD, articles with CHANGED_WORD); searching must work."""
    with Searcher(index) as searcher:
        articles = searcher.stats().articles
        assert searcher.search(COMMON_WORD, match="all", limit=1).total == articles
        new = searcher.search(NEW_WORD, match="all").total
        changed = searcher.search(CHANGED_WORD, match="all").total
    return articles, new, changed


OLD = (OLD_COUNT, 0, 0)
NEW = (NEW_COUNT, ADDED, CHANGED)


def assert_new_content(index: Path) -> None:
    assert counts(index) == NEW


def files_of(generation: Path) -> dict[str, bytes]:
    """A generation's files and their bytes (readers.lock is a lock, not content)."""
    return {
        p.name: p.read_bytes()
        for p in sorted(generation.iterdir())
        if p.is_file() and p.name != layout.READERS_LOCK
    }


# --- bahth index, killed -----------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(SEEDS))
def test_killed_index_leaves_old_or_new_content_and_a_rerun_finishes(
    prepared: Prepared, tmp_path: Path, seed: int
) -> None:
    index = copy_index(prepared.template, tmp_path / "index")
    delay = kill_delay(prepared.index_seconds, seed, salt=0)
    killed = run_and_kill(["index", prepared.dump, "--index", index, "-q"], delay, index)
    where = f"seed {seed}: killed after {delay:.2f} s of a {prepared.index_seconds:.2f} s run"

    # The index opens, answers, and holds the old content or the new, never a mix.
    after_kill = counts(index)
    assert after_kill in (OLD, NEW), where
    assert layout.current(index) == index / "gen-000001", where
    if killed.finished:
        assert after_kill == NEW, where

    # The same command again is not blocked by the dead writer and finishes the job.
    rerun = run_bahth("index", prepared.dump, "--index", index, "-q")
    assert rerun.returncode == 0, f"{where}\n{rerun.stderr}"
    assert "Traceback" not in rerun.stderr
    done = summary_counts(rerun.stdout)
    if after_kill == OLD:  # nothing was committed: the rerun does it all
        assert (done["added"], done["updated"]) == (ADDED, CHANGED), where
    else:  # everything was committed: the rerun has nothing left to do
        assert (done["added"], done["updated"], done["unchanged"]) == (0, 0, NEW_COUNT), where
    if killed.lock_holder == str(killed.pid):  # it died holding the lock
        assert f"PID {killed.pid}" in rerun.stderr and "died" in rerun.stderr, where
    assert_new_content(index)


def test_a_writer_that_died_holding_the_lock_is_noted_and_does_not_block(
    prepared: Prepared, tmp_path: Path
) -> None:
    index = copy_index(prepared.template, tmp_path / "index")
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD_LOCK, str(index)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None
    assert holder.stdout.readline() == "locked\n"  # it holds the lock now
    holder.kill()
    holder.communicate()
    assert (index / layout.WRITE_LOCK).read_text(encoding="utf-8").strip() == str(holder.pid)

    rerun = run_bahth("index", prepared.dump, "--index", index, "-q")
    assert rerun.returncode == 0, rerun.stderr
    assert f"PID {holder.pid}" in rerun.stderr
    assert "died" in rerun.stderr
    assert_new_content(index)
    # the lock is released and no PID is left behind to be taken for a dead writer
    assert (index / layout.WRITE_LOCK).read_text(encoding="utf-8").strip() == ""


_HOLD_LOCK = """
import sys
from pathlib import Path
from typing import IO
from search import layout
with layout.write_lock(Path(sys.argv[1])):
    print("locked", flush=True)
    sys.stdin.read()
"""


# --- bahth index of a dump with duplicate ids, killed ------------------------------------------


def state(index: Path) -> tuple[tuple[int, int, int], list[str]]:
    """(counts, dumps in the metadata), checking that the metadata is the engine's last
    commit's and that no superseded version is searchable. whoosh numbers the metadata as its
    commit; tantivy's commit numbers (opstamps) count operations too, so its metadata has a
    number at most the commit's."""
    generation = layout.current(index)
    assert generation is not None
    meta = layout.read_meta(generation)
    if engine_of(generation).NAME == "whoosh":
        assert meta["commit"] == committed(generation)
    else:
        assert meta["commit"] <= committed(generation)
    with Searcher(index) as searcher:
        assert searcher.search(DRAFT_WORD, match="all").total == 0
    return counts(index), meta["dumps"]


def assert_last_versions(index: Path, records: list[dict[str, str]]) -> None:
    """Every id the dump holds more than once has its last version in the index."""
    ids = [r["id"] for r in records]
    duplicated = {i for i in ids if ids.count(i) > 1}
    final = last_versions(records)
    with Searcher(index) as searcher:
        for article_id in sorted(duplicated):
            stored = searcher.get(article_id)
            assert stored is not None, article_id
            assert (stored.title, stored.body) == (
                final[article_id]["title"],
                final[article_id]["body"],
            ), article_id


@pytest.mark.parametrize("seed", range(SEEDS))
def test_killed_index_of_a_dump_with_duplicate_ids_is_old_or_new_with_its_metadata(
    prepared: Prepared, tmp_path: Path, seed: int
) -> None:
    index = copy_index(prepared.template, tmp_path / "index")
    delay = kill_delay(prepared.duplicates_seconds, seed, salt=200)
    dump = prepared.duplicates
    killed = run_and_kill(["index", dump, "--index", index, "-q"], delay, index)
    where = f"seed {seed}: killed after {delay:.2f} s of a {prepared.duplicates_seconds:.2f} s run"

    # The old state or the new one, metadata included.
    old = (OLD, [str(prepared.a)])
    new = (NEW, [str(prepared.a), str(dump)])
    after_kill = state(index)
    assert after_kill in (old, new), where
    if killed.finished:
        assert after_kill == new, where

    rerun = run_bahth("index", dump, "--index", index, "-q")
    assert rerun.returncode == 0, f"{where}\n{rerun.stderr}"
    assert f"{DUPLICATES} duplicate ids" in rerun.stdout, where
    done = summary_counts(rerun.stdout)
    if after_kill == old:
        assert (done["added"], done["updated"]) == (ADDED, CHANGED), where
    else:  # each id is counted by its last version, which the index holds
        assert (done["added"], done["updated"], done["unchanged"]) == (0, 0, NEW_COUNT), where
    assert state(index) == new, where
    assert_last_versions(index, dump_c())


# --- killed right before or after the commit ---------------------------------------------------

# `bahth ARGS` with a SIGKILL right before or right after the engine's commit: whoosh renaming
# a table of contents into place (the commit of an update; a new generation has one more, made
# empty), tantivy's commit call, which renames its meta.json into place, or Xapian's commit of
# a transaction (its one database here).
_KILL_AT_COMMIT = """
import os, signal, sys
moment = sys.argv.pop(1)
def kill():
    os.kill(os.getpid(), signal.SIGKILL)
if os.environ.get("BAHTH_ENGINE") == "tantivy":
    from search.engine.tantivy import writing
    class Killing:
        def __init__(self, writer):
            self.writer = writer
        def __getattr__(self, name):
            return getattr(self.writer, name)
        def commit(self):
            if moment == "before":
                kill()
            self.writer.commit()
            kill()
    open_writer = writing.TantivyWriter.__init__
    def killing_writer(self, *args):
        open_writer(self, *args)
        self._writer = Killing(self._writer)
    writing.TantivyWriter.__init__ = killing_writer
elif os.environ.get("BAHTH_ENGINE") == "xapian":
    # A Xapian shard's commit is its transaction's (the writer's shard threads call it).
    import xapian
    commit_transaction = xapian.WritableDatabase.commit_transaction
    def killing_commit(self):
        if moment == "before":
            kill()
        commit_transaction(self)
        kill()
    xapian.WritableDatabase.commit_transaction = killing_commit
else:
    from whoosh.filedb.filestore import FileStorage
    rename = FileStorage.rename_file
    def rename_file(self, old, new, safe=False):
        commit = new.startswith("_MAIN_") and new.endswith(".toc")
        if commit and moment == "before":
            kill()
        rename(self, old, new, safe)
        if commit and moment == "after":
            kill()
    FileStorage.rename_file = rename_file
from search.cli import main
sys.argv[0] = "bahth"
main()
"""

DELETED = [f"n{n:05d}" for n in range(40, 50)]


@pytest.mark.parametrize("moment", ["before", "after"])
@pytest.mark.parametrize("command", ["duplicates", "delete-missing", "delete"])
def test_killed_at_the_commit_the_metadata_goes_with_the_content(
    prepared: Prepared, tmp_path: Path, command: str, moment: str
) -> None:
    index = copy_index(prepared.template, tmp_path / "index")
    a = str(prepared.a)
    if command == "duplicates":
        args: list[str | Path] = ["index", prepared.duplicates, "--index", index, "-q"]
        new = (NEW, [a, str(prepared.duplicates)])
    elif command == "delete-missing":
        args = ["index", prepared.snapshot, "--delete-missing", "--index", index, "-q"]
        new = ((NEW_COUNT - len(SNAPSHOT_DROPS), ADDED, CHANGED), [a, str(prepared.snapshot)])
    else:
        args = ["delete", *DELETED, "--index", index]
        new = ((OLD_COUNT - len(DELETED), 0, 0), [a])
    generation = index / "gen-000001"

    killer = [sys.executable, "-c", _KILL_AT_COMMIT, moment, *map(str, args)]
    killed = subprocess.run(killer, capture_output=True, text=True, env=_env(), check=False)
    assert killed.returncode == -signal.SIGKILL, killed.stderr  # it reached the commit

    written = sorted(p.name for p in generation.iterdir() if layout.META_FILE.match(p.name))
    if moment == "before":
        # The run's metadata is on disk, for a commit that never happened: it is not read.
        assert len(written) == 2
        assert state(index) == (OLD, [a])
    else:
        assert state(index) == new

    rerun = subprocess.run(bahth_command(*args), capture_output=True, text=True, env=_env())
    assert rerun.returncode == 0, rerun.stderr
    assert state(index) == new
    if command != "delete":
        assert_last_versions(index, dump_c())
    # only the metadata of the last commit is left
    assert [p.name for p in generation.iterdir() if layout.META_FILE.match(p.name)] == [
        f"bahth.{layout.read_meta(generation)['commit']:06d}.json"
    ]


# --- bahth rebuild, killed ---------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(SEEDS))
def test_killed_rebuild_leaves_the_live_generation_untouched_and_a_rerun_succeeds(
    prepared: Prepared, tmp_path: Path, seed: int
) -> None:
    index = copy_index(prepared.template, tmp_path / "index")
    live = index / "gen-000001"
    before = files_of(live)
    delay = kill_delay(prepared.rebuild_seconds, seed, salt=100)
    killed = run_and_kill(["rebuild", prepared.dump, "--index", index, "-q"], delay, index)
    where = f"seed {seed}: killed after {delay:.2f} s of a {prepared.rebuild_seconds:.2f} s run"

    pointer = (index / layout.POINTER).read_text(encoding="utf-8").strip()
    if pointer == live.name:  # killed before the switch: the live generation is as it was
        assert not killed.finished, where
        assert files_of(live) == before, where
        assert counts(index) == OLD, where
    else:  # killed after the switch: the new generation is complete
        assert pointer == "gen-000002", where
        assert counts(index) == NEW, where

    rerun = run_bahth("rebuild", prepared.dump, "--index", index, "-q")
    assert rerun.returncode == 0, f"{where}\n{rerun.stderr}"
    assert "Traceback" not in rerun.stderr
    done = summary_counts(rerun.stdout)
    assert done["added"] == NEW_COUNT, where
    current = layout.current(index)
    assert current is not None and current.name == done["generation"], where
    assert current.name > pointer, where
    assert_new_content(index)
    # the old generation and any half-built one are gone; nobody reads them
    assert layout.generations(index) == [current], where


# --- bahth rebuild, interrupted ----------------------------------------------------------------


def interrupt_rebuild(prepared: Prepared, tmp_path: Path) -> tuple[Path, dict[str, bytes], str]:
    """``bahth rebuild FIFO`` fed half of dump B, then Ctrl-C (SIGINT): a rebuild failing half
    way, at a moment the test chooses. Returns the index, its live files before, and stderr."""
    index = copy_index(prepared.template, tmp_path / "index")
    before = files_of(index / "gen-000001")
    fifo = tmp_path / "feed.jsonl"
    os.mkfifo(fifo)
    process = subprocess.Popen(
        bahth_command("rebuild", fifo, "--index", index, "-q"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
        preexec_fn=interruptible,
    )
    try:
        # Opening the FIFO returns once the rebuild opened it: it holds the lock and reads.
        with open_when_read(fifo, process) as feed:
            lines = prepared.dump.read_text(encoding="utf-8").splitlines(keepends=True)
            feed.write("".join(lines[: len(lines) // 2]))
            feed.flush()
            process.send_signal(signal.SIGINT)
            stdout, stderr = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 1, stderr
    assert stdout == ""
    return index, before, stderr


def open_when_read(fifo: Path, process: subprocess.Popen[str]) -> IO[str]:
    """Open ``fifo`` for writing; this blocks until ``process`` opens it for reading."""
    opened: list[IO[str]] = []
    opener = threading.Thread(
        target=lambda: opened.append(open(fifo, "w", encoding="utf-8")),  # noqa: SIM115
        daemon=True,
    )
    opener.start()
    opener.join(timeout=120)
    if not opened:
        process.kill()
        pytest.fail(f"bahth never opened its dump: {process.communicate()[1]}")
    return opened[0]


def test_interrupted_rebuild_leaves_the_live_index_untouched(
    prepared: Prepared, tmp_path: Path
) -> None:
    index, before, stderr = interrupt_rebuild(prepared, tmp_path)
    assert "Aborted!" in stderr and "Traceback" not in stderr
    assert (index / layout.POINTER).read_text(encoding="utf-8").strip() == "gen-000001"
    assert files_of(index / "gen-000001") == before
    assert layout.generations(index) == [index / "gen-000001"]  # the half-built one is gone
    assert (index / layout.WRITE_LOCK).read_text(encoding="utf-8").strip() == ""
    assert counts(index) == OLD
    rerun = run_bahth("rebuild", prepared.dump, "--index", index, "-q")
    assert rerun.returncode == 0, rerun.stderr
    assert_new_content(index)


def test_interrupted_rebuild_says_the_live_index_is_untouched(
    prepared: Prepared, tmp_path: Path
) -> None:
    _, _, stderr = interrupt_rebuild(prepared, tmp_path)
    # The issue: "A rebuild that fails half-way leaves the live index untouched and says so."
    assert re.search(r"untouched|unchanged|as it was|intact|gen-000001", stderr), stderr

"""What the disk refuses, said in the user's terms: a full disk, a read-only file system,
permissions, and damaged files of the index. Each names the path and what to do, exits 1
without a traceback, never suggests a rebuild, and leaves the previous index as it was; a
read-only index can still be searched.

Real refusals wherever the machine allows them: a small tmpfs for a full disk and a
read-only bind mount (both need root and mount permission; skipped without), and file modes
for permissions (as root, through a child process without the capabilities that let root
ignore them).
"""

from __future__ import annotations

import errno
import gc
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from search import IndexDamaged, Indexer, Searcher, StorageError, layout
from search.cli import main
from search.storage import storage_error
from tests.conftest import SEEDS, WriteJsonl

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("engine")]

WORD = "بوتين"  # in 9 of the seeds


def bahth(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def assert_refused(result: Result, *phrases: str) -> None:
    """Exit 1, one ``Error:`` naming the phrases on stderr, no traceback, no rebuild."""
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception  # said, not crashed
    assert "Traceback" not in result.output
    assert result.stderr.startswith("Error: "), result.stderr
    for phrase in phrases:
        assert phrase in result.stderr, (phrase, result.stderr)
    assert "bahth rebuild" not in result.stderr


def answers(index: Path) -> tuple[int, list[str]]:
    """The total and the ids of a search: what must not change when a run fails."""
    with Searcher(index) as searcher:
        results = searcher.search(WORD, limit=50)
        return results.total, [hit.id for hit in results]


def news(prefix: str, count: int) -> list[dict[str, str]]:
    """``count`` generated articles (about 1 KB each), none with ``WORD``."""
    words = "الحكومة الوزير البرلمان المدينة الشركة السوق الاقتصاد الطاقة المياه".split()  # noqa: SIM905
    return [
        {
            "id": f"{prefix}{n}",
            "title": f"{words[n % 9]} {words[(n * 7) % 9]} {n}",
            "body": " ".join(words[(n + k) % 9] for k in range(120)),
        }
        for n in range(count)
    ]


def seeds_index(index: Path) -> Path:
    assert Indexer(index).add_files([SEEDS / "articles.jsonl"]).added == 26
    return index


# --- mounts ------------------------------------------------------------------------------------


def _mount(*args: str) -> None:
    if shutil.which("mount") is None:
        pytest.skip("no mount command")
    done = subprocess.run(["mount", *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"mounting is not permitted here: {done.stderr.strip()}")


def _unmount(path: Path) -> None:
    subprocess.run(["umount", "-l", str(path)], capture_output=True, check=False)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """An 8 MB tmpfs: a disk that fills up."""
    disk = tmp_path / "disk"
    disk.mkdir()
    _mount("-t", "tmpfs", "-o", "size=8m", "tmpfs", str(disk))
    yield disk
    _unmount(disk)


def fill(disk: Path, leave: int = 0) -> Path:
    """Fill ``disk`` with one file, leaving ``leave`` bytes free; returns the file."""
    filler = disk / "filler"
    stat = os.statvfs(disk)
    size = max(stat.f_bavail * stat.f_frsize - leave, 0)
    with open(filler, "wb") as out:
        try:
            out.write(b"\0" * size)
            out.flush()
        except OSError as error:  # the file system's own overhead: full is full
            assert error.errno == errno.ENOSPC
    return filler


@pytest.fixture
def read_only(tmp_path: Path) -> Iterator[Path]:
    """``tmp_path/ro``: a read-only bind mount of ``tmp_path/rw``, where the test puts its
    index before the mount is made read-only (mounted on first use: ``read_only.parent``)."""
    source, view = tmp_path / "rw", tmp_path / "ro"
    source.mkdir()
    view.mkdir()
    yield view
    _unmount(view)


def make_read_only(view: Path) -> None:
    _mount("--bind", str(view.parent / "rw"), str(view))
    _mount("-o", "remount,bind,ro", str(view))
    with pytest.raises(OSError) as refused:
        (view / "probe").touch()
    assert refused.value.errno == errno.EROFS


# --- a full disk -------------------------------------------------------------------------------
# Each run is a process of its own, as bahth is: whoosh's writer keeps its lock, and files it
# cannot flush, until the process that failed is gone (see the report of issue 26).


def test_disk_full_index_says_so_and_keeps_the_previous_index(
    small_disk: Path, write_jsonl: WriteJsonl
) -> None:
    index = seeds_index(small_disk / "index")
    before = answers(index)
    dump = write_jsonl(news("full", 400))
    filler = fill(small_disk, leave=16 * 1024)

    done = bahth_process("index", dump, "--index", index, "-q", privileged=True)

    assert_process_refused(done, f"No space left on device at {index}.", f"df -h {index}")
    assert f"the live index at {index} (gen-000001) is untouched" in done.stderr
    assert answers(index) == before
    assert layout.current(index) == index / "gen-000001"
    # freeing space is the whole fix
    filler.unlink()
    again = bahth_process("index", dump, "--index", index, "-q", privileged=True)
    assert again.returncode == 0, again.stderr
    assert answers(index)[0] == before[0]  # the generated articles do not hold the word
    with Searcher(index) as searcher:
        assert searcher.stats().articles == 26 + 400


def test_disk_full_rebuild_keeps_the_live_index_and_leaves_no_generation(
    small_disk: Path, write_jsonl: WriteJsonl
) -> None:
    index = seeds_index(small_disk / "index")
    before = answers(index)
    fill(small_disk, leave=16 * 1024)

    dump = write_jsonl(news("full", 400))
    done = bahth_process("rebuild", dump, "--index", index, "-q", privileged=True)

    assert_process_refused(done, f"No space left on device at {index}.")
    assert answers(index) == before
    assert [g.name for g in layout.generations(index)] == ["gen-000001"]


def test_disk_full_delete_deletes_nothing(small_disk: Path) -> None:
    index = seeds_index(small_disk / "index")
    before = answers(index)
    fill(small_disk)

    done = bahth_process("delete", "seed-001", "--index", index, privileged=True)

    assert_process_refused(done, "No space left on device", "Nothing was deleted.")
    assert answers(index) == before


_API_RUN = """
import json, sys
from search import Indexer, StorageError
try:
    Indexer(sys.argv[1]).add_files([sys.argv[2]])
except StorageError as error:
    print(json.dumps({"code": error.code, "path": error.path, "text": str(error)}))
"""


def test_disk_full_through_the_api_is_a_storage_error(
    small_disk: Path, write_jsonl: WriteJsonl
) -> None:
    index = seeds_index(small_disk / "index")
    fill(small_disk, leave=16 * 1024)
    dump = write_jsonl(news("full", 400))
    done = subprocess.run(
        [sys.executable, "-c", _API_RUN, str(index), str(dump)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    raised = json.loads(done.stdout)
    assert (raised["code"], raised["path"]) == (errno.ENOSPC, str(index))
    assert "No space left on device" in raised["text"]


def test_disk_full_at_the_commit_is_a_storage_error_anywhere(
    tmp_path: Path, write_jsonl: WriteJsonl, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Where no tmpfs can be mounted: the disk fills as the commit writes its metadata.
    index = seeds_index(tmp_path / "index")
    before = answers(index)

    def full(path: Path, content: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    monkeypatch.setattr("search.generation.write_atomically", full)
    result = bahth("index", write_jsonl(news("full", 5)), "--index", index, "-q")
    monkeypatch.undo()

    assert_refused(result, f"No space left on device at {index}.")
    assert answers(index) == before


def test_tantivys_dead_indexing_thread_is_said_as_a_storage_error() -> None:
    # tantivy's words when an indexing thread died on an I/O error: no errno to tell which
    killed = ValueError(
        "An error occurred in a thread: 'An index writer was killed.. A worker thread "
        "encountered an error (io::Error most likely) or panicked.'"
    )
    found = storage_error(killed, Path("indexes/news"), writing=True)
    assert found is not None
    assert "most likely no space left on device" in found.message
    assert "df -h indexes/news" in found.fix
    rust = ValueError("An IO error occurred: 'No space left on device (os error 28)'")
    found = storage_error(rust, Path("indexes/news"), writing=True)
    assert found is not None and found.code == errno.ENOSPC
    assert storage_error(ValueError("no"), Path("x"), writing=True) is None


# --- a read-only file system -------------------------------------------------------------------


def shadows() -> set[str]:
    """The directories through which tantivy reads a read-only index, left in the temp dir."""
    return {p for p in os.listdir(tempfile.gettempdir()) if p.startswith("bahth-read-only-")}


def test_a_read_only_index_is_searched_as_it_is(read_only: Path) -> None:
    index = seeds_index(read_only.parent / "rw" / "index")
    before = answers(index)
    document = json.loads(bahth("search", WORD, "--index", index, "--json").stdout)
    left = shadows()
    make_read_only(read_only)
    view = read_only / "index"

    assert answers(view) == before
    result = bahth("search", WORD, "--index", view, "--json")
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    assert [h["id"] for h in found["hits"]] == [h["id"] for h in document["hits"]]
    assert found["total"] == document["total"]
    for command in (["show", "seed-001"], ["stats"]):
        assert bahth(*command, "--index", view).exit_code == 0
    assert shadows() == left  # what tantivy needed to open it is gone with the searcher


@pytest.mark.parametrize(
    "command",
    [["index", str(SEEDS / "articles.jsonl"), "-q"], ["rebuild", str(SEEDS), "-q"]],
    ids=["index", "rebuild"],
)
def test_writing_a_read_only_index_says_so(read_only: Path, command: list[str]) -> None:
    seeds_index(read_only.parent / "rw" / "index")
    make_read_only(read_only)
    view = read_only / "index"
    before = answers(view)

    result = bahth(*command, "--index", view)

    assert_refused(result, f"{view} is on a read-only file system", "--index DIR")
    assert answers(view) == before


def test_deleting_from_a_read_only_index_says_so(read_only: Path) -> None:
    seeds_index(read_only.parent / "rw" / "index")
    make_read_only(read_only)
    result = bahth("delete", "seed-001", "--index", read_only / "index")
    assert_refused(result, "read-only file system", "Nothing was deleted.")


# --- permissions -------------------------------------------------------------------------------


def bahth_process(*args: str | Path, privileged: bool = False) -> subprocess.CompletedProcess[str]:
    """``bahth ARGS`` in a child process that file modes bind (unless ``privileged``). Root
    ignores them (its CAP_DAC_OVERRIDE): its child runs without capabilities (setpriv), as an
    ordinary user does."""
    command = [sys.executable, "-c", "from search.cli import main; main()", *map(str, args)]
    if os.geteuid() == 0 and not privileged:
        if shutil.which("setpriv") is None:
            pytest.skip("root, and no setpriv to run bahth without root's capabilities")
        command = ["setpriv", "--inh-caps=-all", "--bounding-set=-all", *command]
    return subprocess.run(command, capture_output=True, text=True, check=False, timeout=300)


def assert_process_refused(done: subprocess.CompletedProcess[str], *phrases: str) -> None:
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("Error: "), done.stderr
    for phrase in phrases:
        assert phrase in done.stderr, (phrase, done.stderr)
    assert "bahth rebuild" not in done.stderr


def modes(root: Path, *, write: bool) -> None:
    """Give or take write permission on ``root`` and everything in it."""
    for path in [root, *root.rglob("*")]:
        if path.is_symlink():
            continue
        mode = path.stat().st_mode
        path.chmod(mode | 0o200 if write else mode & ~0o222)


@pytest.fixture
def unwritable(tmp_path: Path) -> Iterator[Path]:
    """The seeds index, every directory and file of it without write permission (the write
    lock and tantivy's lock files removed, so that a writer would have to create them);
    ``answers.json`` beside it holds its answers to ``WORD``."""
    index = seeds_index(tmp_path / "index")
    total, ids = answers(index)
    (tmp_path / "answers.json").write_text(json.dumps([total, ids]), encoding="utf-8")
    (index / layout.WRITE_LOCK).unlink()
    for lock in index.glob("gen-*/.tantivy-*.lock"):
        lock.unlink()
    modes(index, write=False)
    yield index
    modes(index, write=True)


def test_an_index_this_user_cannot_write_is_searched_as_it_is(unwritable: Path) -> None:
    done = bahth_process("search", WORD, "--index", unwritable, "--json", "-n", "50")
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    total, ids = json.loads((unwritable.parent / "answers.json").read_text(encoding="utf-8"))
    assert (found["total"], [hit["id"] for hit in found["hits"]]) == (total, ids)


def test_indexing_into_an_index_this_user_cannot_write_says_so(unwritable: Path) -> None:
    done = bahth_process("index", SEEDS / "articles.jsonl", "--index", unwritable, "-q")
    assert_process_refused(
        done, f"{unwritable} is not writable by this user (permission denied)", "ls -ld"
    )
    done = bahth_process("delete", "seed-001", "--index", unwritable)
    assert_process_refused(done, "is not writable by this user", "Nothing was deleted.")


def test_an_unreadable_metadata_file_is_named(tmp_path: Path) -> None:
    index = seeds_index(tmp_path / "index")
    [meta] = (index / "gen-000001").glob("bahth.*.json")
    meta.chmod(0)
    try:
        done = bahth_process("search", WORD, "--index", index)
    finally:
        meta.chmod(0o644)
    assert_process_refused(done, f"{meta} is not readable by this user (permission denied)")


# --- damaged files -----------------------------------------------------------------------------


@pytest.mark.parametrize("cut", [0, 40], ids=["emptied", "truncated"])
def test_a_truncated_metadata_file_is_named_and_never_rebuilt(tmp_path: Path, cut: int) -> None:
    index = seeds_index(tmp_path / "index")
    before = answers(index)
    [meta] = (index / "gen-000001").glob("bahth.*.json")
    saved = meta.read_bytes()
    meta.write_bytes(saved[:cut])

    for command in (["search", WORD], ["stats"], ["index", SEEDS / "articles.jsonl", "-q"]):
        result = bahth(*command, "--index", index)
        assert_refused(result, f"The metadata file {meta} is damaged", "from a backup")
    with pytest.raises(IndexDamaged, match="is damaged"):
        Searcher(index)
    with pytest.raises(IndexDamaged):
        Indexer(index).add_files([SEEDS / "articles.jsonl"])

    meta.write_bytes(saved)  # restoring the file is the whole fix: nothing else was touched
    assert answers(index) == before


def test_a_current_naming_no_generation_is_damaged_not_an_empty_index(tmp_path: Path) -> None:
    index = seeds_index(tmp_path / "index")
    (index / layout.POINTER).write_text("gen-000009\n", encoding="utf-8")

    result = bahth("search", WORD, "--index", index)
    assert_refused(result, f"{index / layout.POINTER} is damaged", "echo gen-000001 >")
    # a run does not take it for a new index, which would delete the old generation
    result = bahth("index", SEEDS / "articles.jsonl", "--index", index, "-q")
    assert_refused(result, "is damaged")
    assert [g.name for g in layout.generations(index)] == ["gen-000001"]


# whoosh leaves the files it could not flush to the garbage collector, which warns as it closes
# them: the point here is the lock.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.filterwarnings("ignore::ResourceWarning")
@pytest.mark.parametrize("leave_kb", [16, 256])  # 256: the disk fills as whoosh closes its files
def test_after_a_full_disk_the_same_process_can_write_again(
    small_disk: Path, write_jsonl: WriteJsonl, leave_kb: int
) -> None:
    # A web app or a notebook retries in the process that failed: the failed run must have let
    # go of every lock (whoosh released its own only after closing its files, which failed).
    index = seeds_index(small_disk / "index")
    filler = fill(small_disk, leave=leave_kb * 1024)
    dump = write_jsonl(news("full", 400))
    try:
        Indexer(index).add_files([dump])
    except StorageError as error:  # the disk filled (tantivy may fit in 256 KB)
        assert "No space left on device" in error.message
    filler.unlink()
    report = Indexer(index).add_files([dump])
    assert report.added + report.unchanged == 400
    gc.collect()  # whoosh's unflushed files are closed here, not in a later test

"""Where an index lives on disk: generations, the ``CURRENT`` pointer, metadata and locks.

    indexes/news/
      CURRENT          names the live generation ("gen-000002"); replaced atomically
      gen-000002/      the engine's files and bahth.000007.json: how and from what it was
                       built, as of the engine's commit 7; stories.000007.npz: what the
                       next run needs to give new articles their stories (search.stories)
      gen-000001/      the previous generation, removed once no reader holds it
      write.lock       held (flock) by the one process writing; holds its PID
      rejects.jsonl    the records the last indexing run could not read

A rebuild writes a new generation beside the live one and then replaces ``CURRENT`` with
``os.replace``, which is atomic on POSIX: a reader sees the old index or the new one, never a
mix. Readers hold a shared lock on their generation's ``readers.lock`` so that a generation is
only deleted when nobody searches it. Locks are ``flock``s: the kernel drops them when a process
dies, so a killed writer never leaves the index locked.

Within a generation, the engine's commit (whoosh renames its table of contents into place,
tantivy its meta.json) is the one atomic step of an indexing run, and the metadata must change
with it, not before or after. So each commit has its own metadata file, written before the
commit becomes visible and numbered above every earlier commit and at most this one (the
engine's ``committed`` numbers only grow); ``read_meta`` reads the file with the highest number
up to the engine's last commit. A run killed before its commit leaves a file numbered above
every commit, which nothing reads and the next run overwrites.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from .arabic import ANALYSIS_VERSION
from .engine import engine_of, load
from .errors import IndexIncompatible, IndexLocked, IndexNotFound

if TYPE_CHECKING:
    from .stories import Stories

POINTER = "CURRENT"
META = "bahth.json"  # the metadata of indexes built before it was kept per commit
META_FILE = re.compile(r"^bahth\.(\d+)\.json$")
STORIES_FILE = re.compile(r"^stories\.(\d+)\.npz$")
WRITE_LOCK = "write.lock"
READERS_LOCK = "readers.lock"
REJECTS = "rejects.jsonl"
PREFIX = "gen-"


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomically(path: Path, content: str | Callable[[IO[bytes]], None]) -> None:
    """Write ``path`` so that a reader (or a crash) sees the old content or the new, whole.
    ``content`` is a text, or a function that writes the bytes to a file."""
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(temp, "wb") as out:
        if isinstance(content, str):
            out.write(content.encode("utf-8"))
        else:
            content(out)
        out.flush()
        os.fsync(out.fileno())
    os.replace(temp, path)
    _fsync_dir(path.parent)


def current(index: Path) -> Path | None:
    """The live generation directory, or None when ``index`` holds no index yet."""
    try:
        name = (index / POINTER).read_text(encoding="utf-8").strip()
    except (FileNotFoundError, NotADirectoryError):
        return None
    generation = index / name
    return generation if name.startswith(PREFIX) and generation.is_dir() else None


def require_current(index: Path) -> Path:
    """The live generation, or ``IndexNotFound`` saying where it looked and what to do.

    The message names the absolute path, since a relative one (the default
    ``indexes/default``) depends on the directory the command was run from; and when the first
    build of the index is under way, it says so instead of asking for one.
    """
    generation = current(index)
    if generation is None:
        where = Path(os.path.abspath(index))
        builder = writer_pid(index)
        if builder is not None:
            raise IndexNotFound(
                f"No index at {where} yet: it is being built (PID {builder}).",
                "Try again once that run is done.",
            )
        raise IndexNotFound(
            f"No index at {where}.",
            f"Build one with: bahth index DUMP... --index {index}\n"
            "Or point at an existing index with --index DIR or the BAHTH_INDEX variable.",
        )
    return generation


def check_versions(index: Path, meta: dict[str, Any]) -> None:
    """Raise ``IndexIncompatible`` unless ``meta`` (see ``read_meta``) is this Bahth's analysis
    and its engine's schema; the message names each version that differs, the index's and this
    one's."""
    schema_version = load(meta.get("engine", "whoosh")).SCHEMA_VERSION
    differences = [
        f"{what} {meta.get(key, 'unknown')} (this Bahth: {ours})"
        for what, key, ours in (
            ("analysis", "analysis", ANALYSIS_VERSION),
            ("schema", "schema", schema_version),
        )
        if meta.get(key) != ours
    ]
    if differences:
        raise IndexIncompatible(
            f"The index at {index} was built with {' and '.join(differences)}.",
            f"Rebuild it with: bahth rebuild DUMP... --index {index}",
        )


def generations(index: Path) -> list[Path]:
    """All generation directories, oldest first."""
    if not index.is_dir():
        return []
    return sorted(p for p in index.iterdir() if p.name.startswith(PREFIX) and p.is_dir())


def new_generation(index: Path) -> Path:
    """Create and return an empty directory for the next generation."""
    index.mkdir(parents=True, exist_ok=True)
    numbers = [int(p.name[len(PREFIX) :]) for p in generations(index) if p.name[4:].isdigit()]
    generation = index / f"{PREFIX}{max(numbers, default=0) + 1:06d}"
    generation.mkdir()
    # Readers never create this file (see hold_live_generation): it exists from the start.
    (generation / READERS_LOCK).touch()
    return generation


def publish(index: Path, generation: Path) -> None:
    """Make ``generation`` the live one, atomically."""
    write_atomically(index / POINTER, generation.name + "\n")


def _meta_path(generation: Path, commit: int) -> Path:
    return generation / f"bahth.{commit:06d}.json"


def numbered(generation: Path, pattern: re.Pattern[str], commit: int) -> list[int]:
    """The numbers of the generation's files named by ``pattern`` (its group 1: a commit's
    number) up to ``commit``, highest first: the files of commits that are visible."""
    numbers = (pattern.match(p.name) for p in generation.iterdir())
    return sorted((n for m in numbers if m and (n := int(m[1])) <= commit), reverse=True)


def _meta_numbers(generation: Path, commit: int) -> list[int]:
    """The numbers of the metadata files up to ``commit``, highest first."""
    return numbered(generation, META_FILE, commit)


def _stories_path(generation: Path, commit: int) -> Path:
    return generation / f"stories.{commit:06d}.npz"


def read_stories(generation: Path) -> Stories:
    """The stories as of the generation's last commit (none yet in a new generation).

    Read by the same rule as the metadata: a run that changes the stories writes them under
    its commit's number before the commit is visible.
    """
    # Imported here: stories need numpy, which a search (that never reads them) need not load.
    from .stories import Stories

    numbers = numbered(generation, STORIES_FILE, engine_of(generation).committed(generation))
    return Stories.load(_stories_path(generation, numbers[0])) if numbers else Stories.empty()


def write_stories(generation: Path, stories: Stories, *, commit: int) -> None:
    """Write ``stories`` for a commit (see ``write_meta``)."""
    write_atomically(_stories_path(generation, commit), stories.save)


def read_meta(generation: Path) -> dict[str, Any]:
    """The metadata of the generation's last commit (``{}`` when it has none)."""
    committed = engine_of(generation).committed
    while True:
        commit = committed(generation)
        numbers = _meta_numbers(generation, commit)
        path = _meta_path(generation, numbers[0]) if numbers else generation / META
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            if committed(generation) == commit:
                return {}
            # a commit landed meanwhile and removed the file we looked for


def write_meta(generation: Path, meta: dict[str, Any], *, commit: int | None = None) -> None:
    """Write ``meta`` as the metadata of a commit.

    Call it with the number ``EngineWriter.commit`` passes to its ``prepare``, before that
    commit becomes visible; without a number it replaces the metadata of the last commit.
    """
    if commit is None:
        last = engine_of(generation).committed(generation)
        commit = next(iter(_meta_numbers(generation, last)), last)
    text = json.dumps({**meta, "commit": commit}, ensure_ascii=False, indent=2) + "\n"
    write_atomically(_meta_path(generation, commit), text)


def remove_old_meta(generation: Path) -> None:
    """Delete the metadata and stories of other commits than the last, once that one is
    visible (the stories of the last commit that changed them)."""
    committed = engine_of(generation).committed(generation)
    numbers = _meta_numbers(generation, committed)
    if not numbers:
        return  # the last commit's metadata is still the file of an older version of Bahth
    stories = numbered(generation, STORIES_FILE, committed)[:1]
    keep = {
        _meta_path(generation, numbers[0]).name,
        *(_stories_path(generation, n).name for n in stories),
    }
    for path in generation.iterdir():
        old = path.name == META or META_FILE.match(path.name) or STORIES_FILE.match(path.name)
        if old and path.name not in keep:
            path.unlink(missing_ok=True)


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def hold_live_generation(index: Path) -> tuple[Path, IO[str]]:
    """The live generation, and a shared lock that keeps it on disk while the file is open.

    A rebuild may switch ``CURRENT`` and delete the old generation between our reading the
    pointer and taking the lock: the lock file is then gone, or unlinked under us once the
    deleter lets go, and we start again from the new pointer.
    """
    while True:
        generation = require_current(index)
        lock = generation / READERS_LOCK
        try:
            handle = open(lock, encoding="utf-8")  # noqa: SIM115
        except FileNotFoundError:
            if current(index) != generation:
                continue  # switched under us
            # A live generation is never deleted, so creating its lock file is safe here.
            handle = open(lock, "a+", encoding="utf-8")  # noqa: SIM115
        fcntl.flock(handle, fcntl.LOCK_SH)
        if os.fstat(handle.fileno()).st_nlink:
            return generation, handle
        handle.close()


def remove_unused(index: Path) -> list[str]:
    """Delete generations that are neither live nor held by a reader; returns their names."""
    live = current(index)
    removed = []
    for generation in generations(index):
        if generation == live:
            continue
        lock_path = generation / READERS_LOCK
        with open(lock_path, "a+", encoding="utf-8") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue  # a searcher still reads it; a later run removes it
            shutil.rmtree(generation)
            removed.append(generation.name)
    return removed


def writer_pid(index: Path) -> int | None:
    """The PID of the process writing ``index`` now, or None.

    ``write_lock`` writes its holder's PID into the lock file and empties it on release; a
    writer killed with the lock leaves its PID behind, so a PID counts only while it runs.
    The lock itself is not tried: even a brief shared lock would turn away a writer starting
    at that moment.
    """
    try:
        text = (index / WRITE_LOCK).read_text(encoding="utf-8").strip()
    except (FileNotFoundError, NotADirectoryError):
        return None
    return int(text) if text.isdigit() and _pid_alive(int(text)) else None


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextlib.contextmanager
def write_lock(index: Path, *, wait: bool = False) -> Iterator[int | None]:
    """Hold the index's write lock; yields the PID of a writer that died holding it, if any.

    A second writer gets ``IndexLocked`` naming the PID that writes (or, with ``wait``, blocks
    until it is done).
    """
    index.mkdir(parents=True, exist_ok=True)
    with open(index / WRITE_LOCK, "a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            raise IndexLocked(
                f"{index} is being written by PID {holder}.",
                "Wait for it to finish, or pass --wait to queue behind it.",
            ) from None
        handle.seek(0)
        previous = handle.read().strip()
        stale = int(previous) if previous.isdigit() and not _pid_alive(int(previous)) else None
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        try:
            yield stale
        finally:
            handle.seek(0)
            handle.truncate()
            handle.flush()

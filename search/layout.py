"""Where an index lives on disk: generations, the ``CURRENT`` pointer, metadata and locks.

    indexes/news/
      CURRENT          names the live generation ("gen-000002"); replaced atomically
      gen-000002/      the engine's files, and side files numbered by commit
                       (search.generation): bahth.000007.json, how and from what it
                       was built, as of the engine's commit 7
      gen-000001/      the previous generation, removed once no reader holds it
      write.lock       held (flock) by the one process writing; holds its PID
      rejects/         the records each indexing run could not read (search.rejects);
      rejects.jsonl    a link to the latest run's

A rebuild writes a new generation beside the live one and then replaces ``CURRENT`` with
``os.replace``, which is atomic on POSIX: a reader sees the old index or the new one, never a
mix. Readers hold a shared lock on their generation's ``readers.lock`` so that a generation is
only deleted when nobody searches it: by the last reader to let go of a replaced generation
(``release_generation``), else by the next indexing run (``remove_unused``). Locks are
``flock``s: the kernel drops them when a process dies, and the processes a writer forks neither
keep its lock nor outlive it, so a killed writer never leaves the index locked (``locking``; a
lock an older Bahth's orphans hold is taken back).

Within a generation, the metadata of each commit is a side file written under the commit's
number, before the commit becomes visible, and read by the rule of ``search.generation``: the
file with the highest number up to the engine's last commit.

What the disk refuses is said in the user's terms: ``storage_errors`` turns an ``OSError`` of a
full disk, a read-only file system or a permission (or an engine's message naming one) into a
``StorageError`` naming the path; a ``CURRENT`` or metadata file that cannot be read as Bahth
wrote it is ``IndexDamaged``, naming the file, never a reason to rebuild.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import fcntl
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from . import locking
from .arabic import ANALYSIS_VERSION
from .engine import create, load
from .errors import (
    BahthError,
    IndexDamaged,
    IndexIncompatible,
    IndexNotFound,
)
from .generation import LEGACY_METADATA, METADATA, Generation, write_atomically
from .storage import refused

POINTER = "CURRENT"
META = LEGACY_METADATA
META_FILE = METADATA.pattern  # a metadata file's name; its group 1 is its commit's number
WRITE_LOCK = "write.lock"
READERS_LOCK = "readers.lock"
REJECTS = "rejects.jsonl"
PREFIX = "gen-"
REMOVING = ".removing-"  # a generation being deleted: .removing-gen-000001.<PID>


def _pointer(index: Path) -> str | None:
    """The generation ``CURRENT`` names (None: no ``CURRENT``, so no index yet)."""
    path = index / POINTER
    try:
        return path.read_text(encoding="utf-8", errors="replace").strip()
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as error:
        raise refused(error, path, writing=False) from error


def current(index: Path) -> Path | None:
    """The live generation directory, or None when ``index`` holds no index yet.

    A ``CURRENT`` that names no generation of the index raises ``IndexDamaged``: treating it
    as "no index" would let the next run start a new index and delete the old generations.
    """
    name = _pointer(index)
    while name is not None:
        generation = index / name
        if name.startswith(PREFIX) and os.sep not in name and generation.is_dir():
            return generation
        # A rebuild may have switched CURRENT and removed the generation it named a moment
        # ago: only a pointer that still names nothing is damaged.
        again = _pointer(index)
        if again == name:
            raise _damaged_pointer(index, name)
        name = again
    return None


def _damaged_pointer(index: Path, name: str) -> IndexDamaged:
    path = index / POINTER
    named = f"names {name!r}, which is not a generation of this index" if name else "is empty"
    found = generations(index)
    if not found:
        fix = (
            f"No generation is left in {index}. Restore the index from a backup, or delete "
            f"{path} and index the dumps again: bahth index DUMP... --index {index}"
        )
    else:
        # The newest generation with a commit: a newer one may be a rebuild that never
        # finished.
        complete = [g for g in found if _has_commit(g)] or found
        fix = (
            f"Write the name of the generation to search into it (here: "
            f"{', '.join(g.name for g in found)}), e.g.: echo {complete[-1].name} > {path}"
        )
    return IndexDamaged(f"{path} is damaged: it {named}.", fix)


def _has_commit(generation: Path) -> bool:
    """Whether ``generation`` has a commit with Bahth's metadata (a finished run)."""
    try:
        return Generation(generation).in_force(METADATA) is not None
    except (BahthError, OSError):
        return False


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
                said=("index_being_built", {"where": str(where), "pid": builder}),
            )
        raise IndexNotFound(
            f"No index at {where}.",
            f"Build one with: bahth index DUMP... --index {index}\n"
            "Or point at an existing index with --index DIR or the BAHTH_INDEX variable.",
            said=("no_index_at", {"where": str(where), "index": str(index)}),
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


def new_generation(index: Path, engine: str, address: tuple[str, ...] = ()) -> Path:
    """Create the next generation directory, holding an empty index of ``engine`` (at
    ``address`` for an engine that keeps it elsewhere: ``Location``)."""
    index.mkdir(parents=True, exist_ok=True)
    numbers = [int(p.name[len(PREFIX) :]) for p in generations(index) if p.name[4:].isdigit()]
    generation = index / f"{PREFIX}{max(numbers, default=0) + 1:06d}"
    generation.mkdir()
    try:
        # Readers never create this file (see hold_live_generation): it exists from the start.
        (generation / READERS_LOCK).touch()
        create(generation, engine, address)
    except BaseException:
        # A full disk, say: leave no empty generation behind (the space is short).
        shutil.rmtree(generation, ignore_errors=True)
        raise
    return generation


def publish(index: Path, generation: Path) -> None:
    """Make ``generation`` the live one, atomically."""
    write_atomically(index / POINTER, generation.name + "\n")


def read_meta(generation: Path) -> dict[str, Any]:
    """The metadata of the generation's last commit (``{}`` when it has none).

    A file that is not the JSON object Bahth wrote (truncated, emptied, overwritten) raises
    ``IndexDamaged`` naming it; one the system will not let us read, ``StorageError``.
    """
    meta = Generation(generation).read(METADATA, lambda path: _parse_meta(path, path.read_bytes()))
    return {} if meta is None else meta


def _parse_meta(path: Path, data: bytes) -> dict[str, Any]:
    """The metadata in ``data``, read from ``path``; ``IndexDamaged`` if it is not a JSON
    object."""
    try:
        meta = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as error:
        problem = f"not UTF-8 text (byte {error.start})"
    except json.JSONDecodeError as error:
        problem = "empty" if not data.strip() else f"not valid JSON: {error}"
    else:
        if isinstance(meta, dict):
            return meta
        problem = f"JSON, but not an object ({type(meta).__name__})"
    raise IndexDamaged(
        f"The metadata file {path} is damaged ({problem}): without it Bahth cannot tell "
        "which engine, schema and analysis built the index.",
        "Restore that file from a backup of the index; the articles themselves are untouched.",
    )


def write_meta(generation: Path, meta: dict[str, Any], *, commit: int | None = None) -> None:
    """Write ``meta`` as the metadata of a commit.

    Call it with the number ``EngineWriter.commit`` passes to its ``prepare``, before that
    commit becomes visible; without a number it replaces the metadata of the last commit.
    """
    side = Generation(generation)
    number = side.number_in_force(METADATA) if commit is None else commit
    text = json.dumps({**meta, "commit": number}, ensure_ascii=False, indent=2) + "\n"
    side.write(METADATA, number, text)


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
            try:
                handle = open(lock, encoding="utf-8")  # noqa: SIM115
            except FileNotFoundError:
                if current(index) != generation:
                    continue  # switched under us
                # A live generation is never deleted, so creating its lock file is safe here.
                handle = open(lock, "a+", encoding="utf-8")  # noqa: SIM115
        except OSError as error:
            if error.errno not in (errno.EROFS, errno.EACCES, errno.EPERM):
                raise
            # A read-only index must still be searchable. On a read-only file system no
            # rebuild can delete the generation either; where only permissions stop us, the
            # reader goes unprotected, as the lock is not ours to take.
            return generation, open(os.devnull, encoding="utf-8")
        fcntl.flock(handle, fcntl.LOCK_SH)
        if os.fstat(handle.fileno()).st_nlink:
            return generation, handle
        handle.close()


def release_generation(index: Path, generation: Path, lock: IO[str]) -> bool:
    """Let go of ``lock``, a reader's hold on ``generation`` (``hold_live_generation``), and
    delete the generation if a rebuild has replaced it and no other reader holds it: the last
    reader of a replaced generation removes it, at once rather than at the next indexing run.
    Returns whether it did. Deleting is housekeeping: what stops it (a read-only index, a
    damaged ``CURRENT``) leaves the generation to the next run's ``remove_unused``."""
    lock.close()
    try:
        live = current(index)
        # Only a generation older than the live one: a reader never deletes a newer one (a
        # rebuild's, under way), nor any while CURRENT is missing (an index being replaced).
        if live is None or generation.name >= live.name:
            return False
        return remove_generation(index, generation)
    except (OSError, BahthError):
        return False


def remove_generation(index: Path, generation: Path) -> bool:
    """Delete ``generation`` unless it is live or a reader holds it; returns whether it did.

    Readers, writers and other removers may act at the same moment, in this process or
    others. A reader that holds the generation keeps it: its shared lock turns away our
    exclusive one. A reader about to hold it (it read ``CURRENT`` before the switch) finds
    its lock file gone, or unlinked once we let go, and reads ``CURRENT`` again
    (``hold_live_generation``). The directory is first renamed out of the index, which is
    atomic: of two removers (the last reader and a writer's ``remove_unused``), one renames
    it and deletes it, and the other finds it gone; and no one sees a half-deleted
    generation under its name.
    """
    if current(index) in (None, generation):
        return False  # live, or no CURRENT to say which is: keep it
    try:
        handle = open(generation / READERS_LOCK, "a+", encoding="utf-8")  # noqa: SIM115
    except (FileNotFoundError, NotADirectoryError):
        return False  # another remover renamed it away
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False  # a reader still reads it; it removes it when it lets go
        # Unlinked: another remover got here first. Live: CURRENT was pointed back at it.
        if not os.fstat(handle.fileno()).st_nlink or current(index) in (None, generation):
            return False
        doomed = index / f"{REMOVING}{generation.name}.{os.getpid()}"
        try:
            os.rename(generation, doomed)
        except FileNotFoundError:
            return False
        # Unlinked first, so that a reader waiting for it sees at once that it is gone.
        (doomed / READERS_LOCK).unlink(missing_ok=True)
        shutil.rmtree(doomed)
    return True


def remove_unused(index: Path) -> list[str]:
    """Delete generations that are neither live nor held by a reader, and what removals
    that were killed or failed left; returns the generations' names. The caller holds the
    write lock: no generation is being built beside the live one."""
    removed = [g.name for g in generations(index) if remove_generation(index, g)]
    for leftover in index.glob(f"{REMOVING}*"):
        pid = leftover.name.rsplit(".", 1)[-1]
        if not (pid.isdigit() and _pid_alive(int(pid))):
            shutil.rmtree(leftover, ignore_errors=True)
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
    # A zombie (killed, not yet reaped by its parent) counts as dead: it holds nothing.
    return locking.alive(pid)


@contextlib.contextmanager
def write_lock(index: Path, *, wait: bool = False) -> Iterator[int | None]:
    """Hold the index's write lock; yields the PID of a writer that died holding it, if any.

    A second writer gets ``IndexLocked`` naming the PID that writes (or, with ``wait``, waits
    until it is done). A lock that a dead writer's children still hold is taken back when
    they are provably its own, left behind; else ``IndexLocked`` names them (``locking``).
    Children forked while the lock is held do not keep it (``locking.keep_from_children``):
    it dies with this process.
    """
    index.mkdir(parents=True, exist_ok=True)
    with open(index / WRITE_LOCK, "a+", encoding="utf-8") as handle:
        locking.keep_from_children(handle.fileno())  # from before it is locked: no child has it
        try:
            locking.acquire(handle, index, wait=wait)
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
        finally:
            locking.forget(handle.fileno())

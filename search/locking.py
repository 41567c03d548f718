"""Taking an index's write lock, and taking it back from a writer that died.

The lock is an ``flock`` on ``write.lock``, which the kernel drops when the last descriptor of
the open file that took it is closed: a killed writer's lock dies with it, unless another
process still has that open file. A child forked by the writer has it, as it has every
descriptor of its parent: the analysing workers of a Bahth before this one, orphaned by a
``kill -9``, held the lock of their dead writer for good. Bahth's writers now keep it from their
children (``keep_from_children``: a child lets go of it as it is forked), and their workers die
with them (``search.engine.lifetime``); but a lock may still be held by what an older Bahth, or
anything else, left behind. So when the lock is taken, ``acquire`` finds out by whom (on Linux:
``/proc/locks`` names the process that took a lock, ``/proc/PID/fdinfo`` which processes hold
it):

- the writer that took it still holds it: a second writer is refused naming it, or waits for
  it (``wait``);
- that writer is dead, and the processes holding its lock are provably its own, left behind
  (adopted by init, or in the process group or session it led): they are ended and the lock
  taken; the run says which writer died;
- otherwise it is refused, naming the processes and the command that ends them. A wait ends
  there too: nobody waits for the dead.

Why not another kind of lock: a POSIX record lock (``fcntl.lockf``) is not inherited by fork
children, but any ``close`` of the file by its holder, even of another descriptor (a reader of
the PID), releases it; an OFD lock (``F_OFD_SETLK``) belongs to the open file, which children
share, as ``flock``'s does. And workers started with ``spawn`` would import the caller's main
module again (a script without a ``__main__`` guard would run twice).
"""

from __future__ import annotations

import fcntl
import functools
import os
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from .errors import IndexLocked

WATCH_SECONDS = 0.5
"""How often a writer waiting for the lock looks whether the writer it waits for is alive."""

END_SECONDS = 10.0
"""How long the processes a dead writer left behind may take to die once ended."""

_PROC = Path("/proc")


# --- keeping the lock from forked children ------------------------------------------------------

_kept: set[int] = set()  # the descriptors of the locks this process holds
_registered = False


def keep_from_children(fd: int) -> None:
    """Let every child forked from now on let go of ``fd`` (a lock this process holds) as it
    is forked, before it runs anything: the lock then dies with this process alone."""
    global _registered
    if not _registered:  # at first use: importing Bahth changes nothing in the process
        os.register_at_fork(after_in_child=_let_go)
        _registered = True
    _kept.add(fd)


def forget(fd: int) -> None:
    """``fd`` is no longer a lock to keep from children (call it before closing it)."""
    _kept.discard(fd)


def _let_go() -> None:
    # The number stays open, on /dev/null, so that the parent's file object, should the child
    # ever close it, closes nothing the child opened itself.
    null = os.open(os.devnull, os.O_RDONLY)
    for fd in _kept:
        os.dup2(null, fd, inheritable=False)
    os.close(null)
    _kept.clear()


# --- who holds a lock ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Process:
    """A running process as ``/proc`` shows it."""

    pid: int
    ppid: int
    pgid: int
    sid: int
    command: str

    def __str__(self) -> str:
        return f"PID {self.pid} ({self.command})" if self.command else f"PID {self.pid}"


def process(pid: int) -> Process | None:
    """The process ``pid``, or None when it is gone or a zombie (dead, not yet reaped: it holds
    nothing any more)."""
    try:
        stat = (_PROC / str(pid) / "stat").read_text(encoding="utf-8", errors="replace")
        argv = (_PROC / str(pid) / "cmdline").read_bytes().split(b"\0")
    except OSError:
        return None
    # "pid (comm) state ppid pgrp session ...": comm may hold spaces and parentheses
    fields = stat[stat.rindex(")") + 2 :].split()
    if fields[0] in ("Z", "X"):
        return None
    command = " ".join(" ".join(os.fsdecode(a) for a in argv).split())  # on one line
    command = command if len(command) <= 80 else command[:79] + "…"
    return Process(pid, int(fields[1]), int(fields[2]), int(fields[3]), command)


def alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie does not); where ``/proc`` cannot tell, whether a
    signal can reach it."""
    if _PROC.joinpath("self", "stat").exists():
        return process(pid) is not None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def lock_taker(path: Path) -> int | None:
    """The PID that took the ``flock`` held on ``path`` (it may be dead: the lock lives on in
    whoever shares its open file); 0 when ``/proc/locks`` cannot name it (there is none, or
    the process is of another PID namespace); None when the lock is not held."""
    try:
        found = os.stat(path)
        with open(_PROC / "locks", encoding="ascii", errors="replace") as locks:
            lines = locks.readlines()
    except OSError:
        return 0
    device = f"{os.major(found.st_dev):02x}:{os.minor(found.st_dev):02x}:{found.st_ino}"
    for line in lines:
        # "1: FLOCK  ADVISORY  WRITE 32415 fe:00:2180372 0 EOF" (a waiter's line has "->")
        fields = line.split()
        if len(fields) > 5 and fields[1] == "FLOCK" and fields[5] == device:
            return max(int(fields[4]), 0)
    return None


def holds(pid: int, path: Path) -> bool | None:
    """Whether ``pid`` has ``path`` open with the ``flock`` on it; None when we may not look
    (another user's process, or no ``/proc``)."""
    try:
        found = os.stat(path)
        descriptors = os.listdir(_PROC / str(pid) / "fd")
    except PermissionError:
        return None
    except OSError:
        return False if _PROC.joinpath("self", "fd").exists() else None
    for fd in descriptors:
        try:
            opened = os.stat(_PROC / str(pid) / "fd" / fd)
            if (opened.st_dev, opened.st_ino) != (found.st_dev, found.st_ino):
                continue
            info = (_PROC / str(pid) / "fdinfo" / fd).read_text(encoding="ascii", errors="replace")
        except OSError:
            continue
        if any(line.startswith("lock:") and "FLOCK" in line for line in info.splitlines()):
            return True
    return False


def holders(path: Path) -> list[Process]:
    """The processes holding the ``flock`` on ``path`` (of those we may look into), by PID."""
    try:
        pids = sorted(int(p.name) for p in _PROC.iterdir() if p.name.isdigit())
    except OSError:
        return []
    found = (process(pid) for pid in pids if pid != os.getpid() and holds(pid, path))
    return [p for p in found if p is not None]


def left_behind(holder: Process, writer: int, holding: set[int]) -> bool:
    """Whether ``holder``, holding the lock the dead ``writer`` took, is provably a process
    the writer left behind: orphaned (adopted by init), in the process group or session the
    writer led, or the child of another such holder."""
    return holder.ppid == 1 or writer in (holder.pgid, holder.sid) or holder.ppid in holding


# --- taking the lock ----------------------------------------------------------------------------


def acquire(handle: IO[str], index: Path, *, wait: bool = False) -> None:
    """Take the exclusive ``flock`` on ``handle``, the index's open ``write.lock``: now, after
    the writer holding it is done (``wait``), or after ending what a dead writer left holding
    it. ``IndexLocked`` says which writer holds it, or what holds it for a dead one."""
    path = Path(handle.name)
    waiter: _Waiter | None = None
    while not _take(handle):
        if waiter is not None and waiter.taken:
            return
        writer = _writer(handle, path)
        if writer is None:
            time.sleep(0.01)  # let go of a moment ago: take it
            continue
        if writer.holding:
            if not wait:
                raise IndexLocked(
                    f"{index} is being written by PID {writer.pid or 'unknown'}.",
                    "Wait for it to finish, or pass --wait to queue behind it.",
                )
            waiter = waiter or _Waiter(handle)
            if waiter.wait_while(functools.partial(_still_holding, writer.pid, path)):
                return
            continue  # the writer is gone: did its lock go with it?
        _end_left_behind(index, path, writer.pid)


@dataclass(frozen=True, slots=True)
class _Writer:
    pid: int  # 0: not known yet (it has not written its PID into the file)
    holding: bool  # it still holds the lock it took


def _writer(handle: IO[str], path: Path) -> _Writer | None:
    """The writer that took the lock and whether it still holds it; None when nothing holds
    the lock now. Without ``/proc/locks``, the writer is the PID it wrote into the file,
    holding the lock while it runs."""
    taker = lock_taker(path)
    if taker is None:
        return None
    if taker:
        return _Writer(taker, _still_holding(taker, path))
    recorded = _recorded(handle)
    if recorded is None or alive(recorded):
        return _Writer(recorded or 0, True)
    # A writer that took the lock a moment ago writes its PID over the dead one's at once.
    time.sleep(WATCH_SECONDS)
    again = _recorded(handle)
    return _Writer(again or 0, again != recorded and (again is None or alive(again)))


def _still_holding(writer: int, path: Path) -> bool:
    if not writer:
        return True  # nothing to watch: wait as long as it takes
    if not _PROC.joinpath("locks").exists():
        return alive(writer)
    return alive(writer) and holds(writer, path) is not False


def _take(handle: IO[str]) -> bool:
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _recorded(handle: IO[str]) -> int | None:
    """The PID written into the lock file by the writer that holds it (``layout``)."""
    handle.seek(0)
    text = handle.read().strip()
    return int(text) if text.isdigit() else None


def _end_left_behind(index: Path, path: Path, writer: int) -> None:
    """End the processes that hold the lock ``writer`` took, and no longer holds, if they are
    provably what it left behind when it died; else raise ``IndexLocked`` saying what to end."""
    found = holders(path)
    dead = not alive(writer)
    if not found:
        raise IndexLocked(
            f"{index} is locked, but not by the writer that locked it, PID {writer}"
            f"{', which died' if dead else ''}: processes Bahth may not look into hold its lock.",
            f"Find them with: fuser -v {path} (or lsof {path}), end them, and run the "
            "command again.",
        )
    holding = {p.pid for p in found}
    if not dead or not all(left_behind(p, writer, holding) for p in found):
        named = ", ".join(map(str, found))
        took = f"writer PID {writer}, which died" if dead else f"PID {writer}, which let go of it"
        raise IndexLocked(
            f"{index} is locked by {named}, holding the lock of {took}.",
            f"End {'it' if len(found) == 1 else 'them'} with: kill "
            f"{' '.join(map(str, sorted(holding)))}; then run the command again.",
        )
    for held in found:
        try:
            os.kill(held.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass  # gone already
        except PermissionError as error:
            raise IndexLocked(
                f"{index} is locked by {held}, left behind by writer PID {writer}, which "
                "died; Bahth may not end it.",
                f"End it with: sudo kill {held.pid}; then run the command again.",
            ) from error
    deadline = time.monotonic() + END_SECONDS
    while any(alive(p.pid) for p in found):
        if time.monotonic() > deadline:
            raise IndexLocked(
                f"{index} is locked by processes left behind by writer PID {writer}, which "
                "died; they were ended but have not exited.",
                f"Check them with: fuser -v {path}; then run the command again.",
            )
        time.sleep(0.05)


class _Waiter:
    """Waits for the lock in a thread of its own, blocked in ``flock`` (the kernel queues it,
    and ``/proc/locks`` shows it waiting), while the caller watches whether the writer it
    waits for is still alive: blocked itself, it could not stop waiting for a dead writer's
    orphans. If the caller gives up, the thread stays blocked until the lock is free, and
    then lets go of it with the file it took it on, already closed."""

    def __init__(self, handle: IO[str]) -> None:
        self._taken = threading.Event()
        fd = handle.fileno()

        def take() -> None:
            fcntl.flock(fd, fcntl.LOCK_EX)
            self._taken.set()

        threading.Thread(target=take, name="write-lock-wait", daemon=True).start()

    @property
    def taken(self) -> bool:
        return self._taken.is_set()

    def wait_while(self, held: Callable[[], bool]) -> bool:
        """Wait for the lock while ``held()``: True once it is taken, False when not held."""
        while not self._taken.wait(WATCH_SECONDS):
            if not held():
                return self._taken.is_set()
        return True

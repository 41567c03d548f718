"""Processes an engine starts for an indexing run end with the run, quietly.

A run analyses articles in processes of its own: whoosh's forked workers, ``pool``'s
``analysis_process`` commands. Killed with ``kill -9``, the run cannot end them, so they must
notice by themselves: a worker left behind waits forever on a pipe nobody writes, and a forked
one keeps open whatever its parent had open. So a worker calls ``die_with_parent`` first:

- on Linux, ``prctl(PR_SET_PDEATHSIG, SIGKILL)``: the kernel kills it when the thread that
  started it ends (the thread, not the process: writers start their workers from the thread
  that indexes, which waits for them before it returns);
- everywhere, a thread watching ``os.getppid()``, which changes when the parent dies (the
  orphan is adopted by init or a subreaper), ends it within ``WATCH_SECONDS``;
- a parent that died before the worker got that far is noticed at once.

A worker whose parent is gone leaves with ``exit_quietly``: status ``ORPHANED``, nothing on
the terminal (a traceback there would be about a run the user already knows was killed).
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time
from typing import NoReturn

ORPHANED = 3
"""The exit status of a worker that ended because its parent was gone."""

WATCH_SECONDS = 0.5
"""How often a worker checks that its parent is alive where the kernel cannot tell it."""

_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def die_with_parent(parent: int) -> None:
    """Make this worker end when ``parent`` (the PID that started it) ends. Call it first."""
    _ask_the_kernel()
    if not parent_alive(parent):  # it died before the kernel was asked
        exit_quietly()
    watch = threading.Thread(target=_watch, args=(parent,), name="parent-watch", daemon=True)
    watch.start()


def parent_alive(parent: int) -> bool:
    """Whether ``parent`` still is this process's parent (an orphan is adopted by another)."""
    return os.getppid() == parent


def exit_quietly() -> NoReturn:
    """End this worker now: status ``ORPHANED``, no traceback, no cleanup (what it was doing
    is no longer wanted; the next run removes the files it leaves)."""
    os._exit(ORPHANED)


def drop_inherited(fd: int) -> None:
    """Let go of a descriptor inherited by ``fork`` (a lock the parent holds), keeping its
    number open on ``/dev/null``: code that later closes the parent's file object then closes
    nothing else this process opened."""
    null = os.open(os.devnull, os.O_RDONLY)
    try:
        os.dup2(null, fd, inheritable=False)
    finally:
        os.close(null)


def _ask_the_kernel() -> None:
    if not sys.platform.startswith("linux"):
        return  # the watch alone
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):  # a libc without prctl (musl has it; be safe)
        return
    prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    prctl.restype = ctypes.c_int
    prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def _watch(parent: int) -> None:
    while parent_alive(parent):
        time.sleep(WATCH_SECONDS)
    exit_quietly()

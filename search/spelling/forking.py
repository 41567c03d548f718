"""Work done in a forked process while this one does other work: the spelling files are
counted after a commit, when the writing processes are gone and a core is free.

Only for engines whose readers a forked process may open (``Engine.FORK_READERS``, an
optional flag: whoosh, pure Python, sets it; an engine with threads of its own does not).
The result is the same either way: if the process fails, this one does its work.
"""

from __future__ import annotations

import os
import pickle
import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from ..engine.core import lifetime

T = TypeVar("T")


def may_fork(engine: Any) -> bool:
    """Whether work on ``engine``'s index may be done in forked processes: the engine allows
    it, and this process runs no other thread (a script's, a server's), which could hold a
    lock at the fork that the forked process would then wait for, and this one with it."""
    return bool(getattr(engine, "FORK_READERS", False)) and threading.active_count() == 1


class Forked(Generic[T]):
    """``work()`` run in a forked process from now on; ``result()`` waits for it."""

    def __init__(self, work: Callable[[], T]) -> None:
        self._work = work
        self._source, sink = os.pipe()
        parent = os.getpid()
        self._child = os.fork()
        if self._child == 0:  # pragma: no cover (a forked process: its coverage is not kept)
            status = 1
            try:
                lifetime.die_with_parent(parent)  # a killed run leaves none of them working
                os.close(self._source)
                with os.fdopen(sink, "wb") as out:
                    pickle.dump(work(), out, pickle.HIGHEST_PROTOCOL)
                status = 0
            finally:
                os._exit(status)  # nothing of the parent's (exit handlers, buffers) runs twice
        os.close(sink)

    def result(self) -> T:
        """What ``work()`` returned in the forked process; if it failed, ``work()`` here."""
        received = b""
        try:
            with os.fdopen(self._source, "rb") as found:
                received = found.read()
        finally:
            _, status = os.waitpid(self._child, 0)
        if status == 0 and received:
            done: T = pickle.loads(received)
            return done
        return self._work()

    def cancel(self) -> None:
        """Stop waiting for it (this process failed): the process, writing to no reader,
        ends."""
        os.close(self._source)
        os.waitpid(self._child, 0)

"""A lock that many may hold together or one alone: a ``Searcher``'s searches share its engine
reader, and a refresh or close waits for them and holds it alone."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager


class SharedLock:
    """``shared()`` is held by any number of threads at once, ``exclusive()`` by one thread
    with no sharer. A thread waiting for ``exclusive`` goes before threads asking to share
    after it, so a steady stream of searches cannot keep a refresh waiting for ever.

    The exclusive side is reentrant for its holder, which may also take ``shared`` inside it
    (``refresh`` closes and reopens; a close inside a search's ``shared`` would deadlock and
    is not allowed).
    """

    def __init__(self) -> None:
        self._state = threading.Condition()
        self._sharers = 0
        self._owner: int | None = None
        self._depth = 0
        self._waiting = 0

    @contextmanager
    def shared(self) -> Iterator[None]:
        me = threading.get_ident()
        with self._state:
            if self._owner == me:  # inside its own exclusive section
                self._depth += 1
                mine = True
            else:
                self._state.wait_for(lambda: self._owner is None and not self._waiting)
                self._sharers += 1
                mine = False
        try:
            yield
        finally:
            with self._state:
                if mine:
                    self._depth -= 1
                else:
                    self._sharers -= 1
                    if not self._sharers:
                        self._state.notify_all()

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        me = threading.get_ident()
        with self._state:
            if self._owner == me:
                self._depth += 1
            else:
                self._waiting += 1
                try:
                    self._state.wait_for(lambda: self._owner is None and not self._sharers)
                finally:
                    self._waiting -= 1
                self._owner, self._depth = me, 1
        try:
            yield
        finally:
            with self._state:
                self._depth -= 1
                if not self._depth:
                    self._owner = None
                    self._state.notify_all()

"""The one ``Searcher`` a server shares between its requests, kept on the live index.

A request asks for the searcher; at most once every ``interval`` seconds that also checks the
index (``Searcher.refresh``: is another generation live, or a newer commit?), so a server sees
a new indexing run or a rebuild about a second after it lands, and a busy server does not read
the index's metadata on every request. One request checks at a time; the others meanwhile
search the snapshot they have. Moving to a rebuild's generation lets go of the old one, and
the request that moved deletes it when no other reader (another process's ``Searcher``)
holds it (``Searcher.refresh``): a rebuild's old generation is gone one request later,
instead of staying on disk until the server stops or the next indexing run.

If the index cannot be opened any more (deleted, or rebuilt by an incompatible version of
Bahth), requests get that error (the server answers 503) until a later check opens it again.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

from ..errors import BahthError
from ..results import IndexStats
from ..searcher import Searcher


class LiveSearcher:
    """Opens ``open_searcher(path)`` now (raising its error, such as ``IndexNotFound``) and
    keeps it on the live generation and commit; ``close()`` when done. ``open_searcher`` is
    ``Searcher`` with any options it takes (a cluster's ``timeout``, ``allow_partial``)."""

    def __init__(
        self,
        path: Path,
        *,
        interval: float = 1.0,
        open_searcher: Callable[[Path], Searcher] = Searcher,
    ) -> None:
        self.path = path
        self.interval = interval
        self._open_searcher = open_searcher
        self._searcher: Searcher | None = open_searcher(path)
        self._error: BahthError | None = None
        self._stats: IndexStats | None = None
        self._checked = time.monotonic()
        self._checking = threading.Lock()

    def get(self) -> Searcher:
        """The searcher, refreshed if the last check is ``interval`` old; else the error that
        keeps the index from being opened."""
        if time.monotonic() - self._checked >= self.interval and self._checking.acquire(
            blocking=False
        ):
            try:
                self._check()
            finally:
                self._checked = time.monotonic()
                self._checking.release()
        searcher, error = self._searcher, self._error
        if searcher is None:
            assert error is not None
            raise error
        return searcher

    def _check(self) -> None:
        try:
            if self._searcher is None:
                self._searcher = self._open_searcher(self.path)
            elif not self._searcher.refresh():
                return
        except BahthError as error:
            # refresh() closed the old snapshot before it failed to open the new one.
            self._searcher, self._error = None, error
            return
        self._error, self._stats = None, None

    def stats(self) -> IndexStats:
        """``Searcher.stats()`` of the snapshot being searched, computed once per snapshot."""
        searcher = self.get()
        stats = self._stats
        if stats is None or stats.generation != searcher.generation.name:
            stats = self._stats = searcher.stats()
        return stats

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()

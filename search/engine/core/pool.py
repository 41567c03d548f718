"""Analysis in other processes, so that Bahth's Python analysis keeps an engine's indexing
threads fed (tantivy's, or any engine's that indexes outside the GIL).

Each process is ``python -m search.engine.core.analysis_process``: it reads batches of
articles (pickled) on stdin and writes what ``prepare_all`` makes of them on stdout, in order.
They are started as plain commands, not by ``multiprocessing``: that would import the caller's main
module again in every process (a script without a ``__main__`` guard would run again, a script
read from stdin would fail), or fork a process in which an engine's threads run.

The processes run in a session of their own: a terminal's Ctrl-C reaches the parent alone,
which cancels the run and ends them. They are given the parent's PID, and end with it
(``lifetime``): a killed run leaves none behind. Started with ``exec``, they inherit none of the
parent's descriptors (Python opens them close-on-exec), the index's locks included.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from collections import deque
from pathlib import Path
from typing import IO

from ...article import Article
from .documents import Prepared, Unprepared

# Batches a process may hold beyond the one it works on: enough to keep it busy, few enough
# that memory stays small.
AHEAD = 2


class AnalysisPool:
    """``processes`` analysis processes; ``submit`` batches, then take their results in the
    same order with ``next_result``."""

    def __init__(self, processes: int) -> None:
        command = [sys.executable, "-m", f"{__package__}.analysis_process", str(os.getpid())]
        # The processes import this copy of Bahth, wherever the caller found it.
        root = str(Path(__file__).resolve().parents[3])
        path = os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))
        self._processes = [
            subprocess.Popen(
                command,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                start_new_session=True,
                env={**os.environ, "PYTHONPATH": path},
            )
            for _ in range(processes)
        ]
        self._submitted = 0
        self._pending: deque[subprocess.Popen[bytes]] = deque()

    @property
    def full(self) -> bool:
        """True when every process has its share of batches: take a result first."""
        return len(self._pending) >= (AHEAD + 1) * len(self._processes)

    @property
    def pending(self) -> int:
        return len(self._pending)

    def submit(self, articles: list[Article]) -> None:
        process = self._processes[self._submitted % len(self._processes)]
        self._submitted += 1
        stdin: IO[bytes] = process.stdin  # type: ignore[assignment]
        pickle.dump(articles, stdin, protocol=pickle.HIGHEST_PROTOCOL)
        stdin.flush()
        self._pending.append(process)

    def next_result(self) -> list[Prepared | Unprepared]:
        """The result of the oldest batch not taken yet, an entry an article."""
        process = self._pending.popleft()
        try:
            return pickle.load(process.stdout)  # type: ignore[arg-type]
        except EOFError:
            raise RuntimeError(
                f"an analysis process ended (exit code {process.wait()}); see its error above"
            ) from None

    def close(self) -> None:
        """End the processes (at once: what they hold is no longer wanted)."""
        for process in self._processes:
            process.kill()
        for process in self._processes:
            process.wait()
            for pipe in (process.stdin, process.stdout):
                if pipe is not None:
                    pipe.close()
        self._pending.clear()

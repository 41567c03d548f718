"""One analysis process of ``analyzing.AnalysisPool``: batches of articles in on stdin,
``prepare_all``'s results out on stdout, in order, until stdin closes. The package never
imports this module: it is what ``python -m`` runs, with the PID of the process that started
it as its argument.

It ends with that process (``lifetime.die_with_parent``): killed, a run leaves no analysis
process behind, and none prints a traceback about it. A batch cut short (the parent died
writing it) ends the input; a result nobody reads (the parent died, or closed the pipe to end
the run) ends the process, quietly.
"""

from __future__ import annotations

import os
import pickle
import queue
import sys
import threading
from collections.abc import Iterator
from typing import IO

from ...article import Article
from . import lifetime
from .documents import prepare_all


def _batches(stream: IO[bytes]) -> Iterator[list[Article]]:
    while True:
        try:
            yield pickle.load(stream)
        except EOFError:
            return


def main() -> None:
    """Serve batches from stdin until it closes. A thread reads stdin while results are
    written, so that the parent is never blocked writing a batch while this process is
    blocked writing a result."""
    parent = int(sys.argv[1]) if len(sys.argv) > 1 else os.getppid()
    lifetime.die_with_parent(parent)
    batches: queue.Queue[list[Article] | None] = queue.Queue()

    def read() -> None:
        try:
            for batch in _batches(sys.stdin.buffer):
                batches.put(batch)
        except (pickle.UnpicklingError, OSError, ValueError):
            pass  # a batch cut short: its writer died mid-way, and nothing more will come
        finally:
            batches.put(None)

    threading.Thread(target=read, daemon=True).start()
    out = sys.stdout.buffer
    try:
        while (batch := batches.get()) is not None:
            pickle.dump(prepare_all(batch), out, protocol=pickle.HIGHEST_PROTOCOL)
            out.flush()
    except BrokenPipeError:  # nobody reads the results any more
        lifetime.exit_quietly()
    # Not the interpreter's shutdown: the reading thread may be inside stdin's buffer, whose
    # lock the shutdown would wait for and then abort on. Everything is written.
    os._exit(0)


if __name__ == "__main__":
    main()

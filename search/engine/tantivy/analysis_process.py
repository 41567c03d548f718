"""One analysis process of ``analyzing.AnalysisPool``: batches of articles in on stdin,
``prepare_all``'s results out on stdout, in order, until stdin closes. The package never
imports this module: it is what ``python -m`` runs."""

from __future__ import annotations

import pickle
import queue
import sys
import threading
from collections.abc import Iterator
from typing import IO

from ...article import Article
from .schema import prepare_all


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
    batches: queue.Queue[list[Article] | None] = queue.Queue()

    def read() -> None:
        for batch in _batches(sys.stdin.buffer):
            batches.put(batch)
        batches.put(None)

    threading.Thread(target=read, daemon=True).start()
    out = sys.stdout.buffer
    while (batch := batches.get()) is not None:
        pickle.dump(prepare_all(batch), out, protocol=pickle.HIGHEST_PROTOCOL)
        out.flush()


if __name__ == "__main__":
    main()

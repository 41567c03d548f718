"""The whoosh engine (pure Python): the only package that imports whoosh.

analysis.py   whoosh Tokenizer and Filter over search.arabic
schema.py     the fields, SCHEMA_VERSION
writing.py    create and open indexes; IndexWriter (add, delete, commit, cancel)
reading.py    WhooshReader: neutral queries → whoosh queries, ranking, stored articles
"""

from __future__ import annotations

import os

from .reading import WhooshReader as open_reader
from .schema import SCHEMA_VERSION
from .writing import IndexWriter, committed
from .writing import create_index as create

NAME = "whoosh"

# Analyzing in several processes pays from dumps of this size (SaudiNewsNet: about 1.7x faster
# with 2 processes on 2 cores); below, starting processes costs more than it saves.
MULTIPROCESS_BYTES = 16 * 1024 * 1024
MAX_AUTO_WORKERS = 4


def default_workers(dump_bytes: int) -> int:
    """Processes for a run over dumps of ``dump_bytes``: one per core (up to 4) from 16 MB."""
    if dump_bytes < MULTIPROCESS_BYTES:
        return 1
    return min(MAX_AUTO_WORKERS, os.cpu_count() or 1)


def open_writer(directory: os.PathLike[str], workers: int) -> IndexWriter:
    """A writer analyzing in ``workers`` processes (whoosh's multiprocess writer)."""
    return IndexWriter(directory, procs=workers)  # type: ignore[arg-type]


__all__ = [
    "NAME",
    "SCHEMA_VERSION",
    "committed",
    "create",
    "default_workers",
    "open_reader",
    "open_writer",
]

"""The whoosh engine (pure Python): the only package that imports whoosh.

analysis.py   whoosh Tokenizer and Filter over search.arabic
schema.py     the fields, SCHEMA_VERSION
writing.py    create and open indexes; IndexWriter (add, delete, commit, cancel)
reading.py    WhooshReader: neutral queries → whoosh queries, ranking, stored articles
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from .reading import WhooshReader as open_reader
from .schema import SCHEMA_VERSION
from .writing import IndexWriter, committed
from .writing import create_index as create

if TYPE_CHECKING:
    from ...stories import Stories

NAME = "whoosh"


def open_writer(directory: os.PathLike[str], workers: int, stories: Stories) -> IndexWriter:
    """A writer analyzing in ``workers`` processes (whoosh's multiprocess writer)."""
    return IndexWriter(directory, stories, procs=workers)  # type: ignore[arg-type]


__all__ = [
    "NAME",
    "SCHEMA_VERSION",
    "committed",
    "create",
    "open_reader",
    "open_writer",
]

"""The tantivy engine (Rust, through tantivy-py): the only package that imports tantivy.

schema.py     the fields, SCHEMA_VERSION, articles as tantivy documents
writing.py    create indexes; TantivyWriter (add, delete, commit, cancel)
reading.py    TantivyReader: neutral queries → tantivy queries, ranking, stored articles
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .reading import TantivyReader as open_reader
from .schema import SCHEMA_VERSION
from .writing import TantivyWriter, committed, create

if TYPE_CHECKING:
    from ...stories import Stories

NAME = "tantivy"


def open_writer(directory: Path, workers: int, stories: Stories) -> TantivyWriter:
    """A writer with ``workers`` indexing threads."""
    return TantivyWriter(directory, workers, stories)


__all__ = [
    "NAME",
    "SCHEMA_VERSION",
    "committed",
    "create",
    "open_reader",
    "open_writer",
]

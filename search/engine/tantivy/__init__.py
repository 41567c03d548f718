"""The tantivy engine (Rust, through tantivy-py): the only package that imports tantivy.

schema.py     the fields, SCHEMA_VERSION, prepared articles as tantivy documents
writing.py    create indexes; TantivyWriter (add, delete, commit, cancel)
reading.py    TantivyReader: neutral queries → tantivy queries, ranking, stored articles

The index lives in the generation's directory (``Location.directory``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..contract import DEFAULT_REACH, Reach
from . import writing
from .reading import TantivyReader
from .schema import SCHEMA_VERSION as SCHEMA_VERSION  # the contract's name
from .writing import TantivyWriter

if TYPE_CHECKING:
    from ...stories import Stories
    from ..contract import Location

NAME = "tantivy"
# tantivy's searcher is shared by threads, and searches release the GIL
THREAD_SAFE = True


def create(location: Location) -> None:
    writing.create(location.directory)


def committed(location: Location) -> int:
    return writing.committed(location.directory)


def open_reader(location: Location, reach: Reach = DEFAULT_REACH) -> TantivyReader:
    # Its index is all local: nothing to reach.
    return TantivyReader(location.directory)


def open_writer(location: Location, workers: int, stories: Stories) -> TantivyWriter:
    """A writer with ``workers`` indexing threads."""
    return TantivyWriter(location.directory, workers, stories)

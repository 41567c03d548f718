"""The whoosh engine (pure Python): the only package that imports whoosh.

analysis.py   whoosh Tokenizer and Filter over search.arabic
schema.py     the fields, SCHEMA_VERSION
writing.py    create and open indexes; IndexWriter (add, delete, commit, cancel)
reading.py    WhooshReader: neutral queries → whoosh queries, ranking, stored articles

The index lives in the generation's directory (``Location.directory``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..contract import DEFAULT_REACH, Reach
from . import writing
from .reading import WhooshReader
from .schema import SCHEMA_VERSION as SCHEMA_VERSION  # the contract's name
from .writing import IndexWriter

if TYPE_CHECKING:
    from ...stories import Stories
    from ..contract import Location

NAME = "whoosh"
# whoosh's readers keep file positions that concurrent reads would move under each other
THREAD_SAFE = False
# A process forked from one using whoosh (pure Python, no threads of its own) may open readers
# of its own: the spelling variants are mined in two processes (``spelling.variants``).
FORK_READERS = True


def create(location: Location) -> None:
    writing.create_index(location.directory)


def committed(location: Location) -> int:
    return writing.committed(location.directory)


def open_reader(location: Location, reach: Reach = DEFAULT_REACH) -> WhooshReader:
    # Its index is all local: nothing to reach.
    return WhooshReader(location.directory)


def open_writer(location: Location, workers: int, stories: Stories) -> IndexWriter:
    """A writer analyzing in ``workers`` processes (whoosh's multiprocess writer)."""
    return IndexWriter(location.directory, stories, procs=workers)

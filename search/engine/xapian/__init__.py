"""The Xapian engine: one database, or shards (local or served by ``xapian-tcpsrv``) searched
as one with global statistics. The only package that imports xapian (the
``xapian-bindings-binary`` wheel, installed by the ``xapian`` extra).

schema.py     prefixes and value slots, SCHEMA_VERSION, prepared articles as documents
shards.py     opening the shards (``search.engine.cluster`` says where they are)
writing.py    create indexes; XapianWriter (a thread and a transaction per shard)
reading.py    XapianReader: neutral queries → Xapian queries over every shard at once
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..contract import DEFAULT_REACH, Reach
from . import writing
from .reading import XapianReader
from .schema import SCHEMA_VERSION as SCHEMA_VERSION  # the contract's name
from .writing import XapianWriter

if TYPE_CHECKING:
    from ...stories import Stories
    from ..contract import Location

NAME = "xapian"
# Its index may be shards (search.engine.cluster): --shards, --cluster.
SHARDS = True
# A Xapian database object is not to be used by two threads at once.
THREAD_SAFE = False


def create(location: Location) -> None:
    writing.create(location)


def committed(location: Location) -> int:
    return writing.committed(location)


def open_reader(location: Location, reach: Reach = DEFAULT_REACH) -> XapianReader:
    return XapianReader(location, reach)


def open_writer(location: Location, workers: int, stories: Stories) -> XapianWriter:
    """A writer analysing in ``workers`` processes, writing each shard in a thread."""
    return XapianWriter(location, workers, stories)

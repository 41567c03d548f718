"""The engines that store and search articles, behind one contract (``contract``).

Bahth's analysis, query compiler (``compiling``) and ranking (``ranking``) are the same for
every engine; an engine package stores articles and answers the neutral queries:

    contract.py   what an engine must do: query nodes, EngineReader, EngineWriter
    registry.py   the engines by name: built in, from entry points, registered
    cluster.py    where an index's shards are (--shards, --cluster); which shard holds an id
    core/         what every engine uses: prepared documents, analysis processes, feeding
    compiling.py  query trees → neutral queries; the ranking weights
    ranking.py    pages in Bahth's order from any engine: ties, partial-match fill
    testing.py    the conformance suite any engine passes
    whoosh/       whoosh (pure Python): the default
    tantivy/      tantivy (Rust, through tantivy-py): 10-20x faster
    xapian/       Xapian (C++): one database, or shards on several machines searched as one

A generation's engine is chosen when it is created and named in its ``ENGINE`` file; readers
and later runs open whatever engine built it (a generation without the file is whoosh's, as
every index was before there was a choice).
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import IndexIncompatible
from .contract import (
    Engine,
    EngineHit,
    EngineReader,
    EngineWriter,
    FacetCounts,
    Filter,
    Location,
)
from .registry import DEFAULT as DEFAULT_ENGINE
from .registry import UnknownEngine, known, load, names

ENGINE_FILE = "ENGINE"
ENGINE_VARIABLE = "BAHTH_ENGINE"

__all__ = [
    "DEFAULT_ENGINE",
    "Engine",
    "EngineHit",
    "EngineReader",
    "EngineWriter",
    "FacetCounts",
    "Filter",
    "Location",
    "UnknownEngine",
    "chosen_engine",
    "create",
    "engine_of",
    "load",
    "location_of",
    "names",
]


def chosen_engine(name: str | None) -> str:
    """``name``, else the ``BAHTH_ENGINE`` variable, else the default; checked."""
    name = name or os.environ.get(ENGINE_VARIABLE) or DEFAULT_ENGINE
    if not known(name):
        raise UnknownEngine(name)
    return name


def _engine_file(generation: Path) -> list[str]:
    """The lines of a generation's ``ENGINE`` file: the engine's name, then its address."""
    try:
        lines = (generation / ENGINE_FILE).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return ["whoosh"]
    return [line.strip() for line in lines if line.strip()] or ["whoosh"]


def engine_of(generation: Path) -> Engine:
    """The engine that built ``generation``."""
    name = _engine_file(generation)[0]
    if not known(name):
        raise IndexIncompatible(
            f"{generation} was built with the engine {name!r}, which this Bahth does not have.",
        )
    return load(name)


def location_of(generation: Path) -> Location:
    """Where ``generation``'s engine keeps its index (``Location``)."""
    return Location(generation, tuple(_engine_file(generation)[1:]))


def create(generation: Path, name: str, address: tuple[str, ...] = ()) -> Engine:
    """Create an empty index of engine ``name`` for the new directory ``generation``, at
    ``address`` when the engine lives elsewhere; both are recorded in its ``ENGINE`` file."""
    engine = load(name)
    engine.create(Location(generation, address))
    text = "".join(f"{line}\n" for line in (name, *address))
    (generation / ENGINE_FILE).write_text(text, encoding="utf-8")
    return engine

"""The engines that store and search articles, behind one contract (``contract``).

Bahth's analysis, query compiler (``compiling``) and ranking (``ranking``) are the same for
every engine; an engine package stores articles and answers the neutral queries:

    contract.py   what an engine must do: query nodes, EngineReader, EngineWriter
    compiling.py  query trees → neutral queries; the ranking weights
    ranking.py    pages in Bahth's order from any engine: ties, partial-match fill
    whoosh/       whoosh (pure Python): the default
    tantivy/      tantivy (Rust, through tantivy-py): 10-20x faster

A generation's engine is chosen when it is created and named in its ``ENGINE`` file; readers
and later runs open whatever engine built it (a generation without the file is whoosh's, as
every index was before there was a choice).
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from typing import cast

from ..errors import IndexIncompatible
from .contract import Engine, EngineHit, EngineReader, EngineWriter, FacetCounts, Filter

ENGINES = ("whoosh", "tantivy")
DEFAULT_ENGINE = "whoosh"
ENGINE_FILE = "ENGINE"
ENGINE_VARIABLE = "BAHTH_ENGINE"

__all__ = [
    "DEFAULT_ENGINE",
    "ENGINES",
    "Engine",
    "EngineHit",
    "EngineReader",
    "EngineWriter",
    "FacetCounts",
    "Filter",
    "chosen_engine",
    "create",
    "engine_of",
    "load",
]


def load(name: str) -> Engine:
    """The engine package ``name``, imported on first use (each costs start-up time)."""
    if name not in ENGINES:
        raise ValueError(f"unknown engine {name!r}: choose one of {', '.join(ENGINES)}")
    return cast(Engine, importlib.import_module(f"{__name__}.{name}"))


def chosen_engine(name: str | None) -> str:
    """``name``, else the ``BAHTH_ENGINE`` variable, else the default; checked."""
    name = name or os.environ.get(ENGINE_VARIABLE) or DEFAULT_ENGINE
    if name not in ENGINES:
        raise ValueError(f"unknown engine {name!r}: choose one of {', '.join(ENGINES)}")
    return name


def engine_of(generation: Path) -> Engine:
    """The engine that built ``generation``."""
    try:
        name = (generation / ENGINE_FILE).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        name = "whoosh"
    if name not in ENGINES:
        raise IndexIncompatible(
            f"{generation} was built with the engine {name!r}, which this Bahth does not have.",
        )
    return load(name)


def create(generation: Path, name: str) -> Engine:
    """Create an empty index of engine ``name`` in the new directory ``generation``."""
    engine = load(name)
    engine.create(generation)
    (generation / ENGINE_FILE).write_text(name + "\n", encoding="utf-8")
    return engine

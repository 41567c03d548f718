"""Bahth: full-text search for Arabic news archives.

The public API is what this module exports (``__all__``); the ``bahth`` command is a thin shell
over it.

>>> from search import Indexer, Searcher
>>> report = Indexer("indexes/news").add_files(["dump.jsonl.gz"])  # doctest: +SKIP
>>> with Searcher("indexes/news") as searcher:  # doctest: +SKIP
...     for hit in searcher.search("الحرب في أوكرانيا", limit=10):
...         print(hit.title, hit.snippet, hit.highlights)
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from . import render
    from .arabic import AnalyzedToken, analyze, normalize, stem, tokenize
    from .article import Article
    from .engine import registry as engines
    from .errors import (
        BahthError,
        IndexDamaged,
        IndexIncompatible,
        IndexLocked,
        IndexNotFound,
        InputError,
        QueryError,
        ShardUnavailable,
        StorageError,
    )
    from .indexer import Indexer
    from .ingest import Note, Progress, Reject
    from .labels import Labels
    from .options import SearchOptions
    from .rejects import RejectsRun, read_rejects
    from .relaxing import Relaxed, without_filters
    from .report import IndexReport
    from .results import Hit, IndexStats, Results
    from .searcher import Searcher

# Where each public name lives. They are imported on first use (PEP 562): ``bahth --help``
# or a search must not pay for the indexer, the dump readers or whoosh's writer, and importing
# everything up front was half of the command's start-up time.
_HOMES = {
    "AnalyzedToken": ".arabic",
    "Article": ".article",
    "BahthError": ".errors",
    "Hit": ".results",
    "IndexDamaged": ".errors",
    "IndexIncompatible": ".errors",
    "IndexLocked": ".errors",
    "IndexNotFound": ".errors",
    "IndexReport": ".report",
    "IndexStats": ".results",
    "Indexer": ".indexer",
    "InputError": ".errors",
    "Labels": ".labels",
    "Note": ".ingest",
    "Progress": ".ingest",
    "QueryError": ".errors",
    "Reject": ".ingest",
    "RejectsRun": ".rejects",
    "Relaxed": ".relaxing",
    "Results": ".results",
    "SearchOptions": ".options",
    "Searcher": ".searcher",
    "ShardUnavailable": ".errors",
    "StorageError": ".errors",
    "analyze": ".arabic",
    "engines": ".engine.registry",
    "normalize": ".arabic",
    "read_rejects": ".rejects",
    "render": ".render",
    "stem": ".arabic",
    "tokenize": ".arabic",
    "without_filters": ".relaxing",
}


_MODULES = {"engines", "render"}  # exported as modules, not as a name inside them


def __getattr__(name: str) -> Any:
    """Import a public name from its module on first use and keep it here."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module = importlib.import_module(home, __name__)
    value = module if name in _MODULES else getattr(module, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """The module's attributes, with the public names not imported yet."""
    return sorted({*globals(), *__all__})


__all__ = [
    "AnalyzedToken",
    "Article",
    "BahthError",
    "Hit",
    "IndexDamaged",
    "IndexIncompatible",
    "IndexLocked",
    "IndexNotFound",
    "IndexReport",
    "IndexStats",
    "Indexer",
    "InputError",
    "Labels",
    "Note",
    "Progress",
    "QueryError",
    "Reject",
    "RejectsRun",
    "Relaxed",
    "Results",
    "SearchOptions",
    "Searcher",
    "ShardUnavailable",
    "StorageError",
    "analyze",
    "engines",
    "normalize",
    "read_rejects",
    "render",
    "stem",
    "tokenize",
    "without_filters",
]

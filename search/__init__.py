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

from . import render
from .arabic import AnalyzedToken, analyze, normalize, stem, tokenize
from .article import Article
from .errors import (
    BahthError,
    IndexIncompatible,
    IndexLocked,
    IndexNotFound,
    InputError,
    QueryError,
)
from .indexer import Indexer, IndexReport
from .ingest import Note, Progress, Reject
from .results import Hit, IndexStats, Results
from .searcher import Searcher

__all__ = [
    "AnalyzedToken",
    "Article",
    "BahthError",
    "Hit",
    "IndexIncompatible",
    "IndexLocked",
    "IndexNotFound",
    "IndexReport",
    "IndexStats",
    "Indexer",
    "InputError",
    "Note",
    "Progress",
    "QueryError",
    "Reject",
    "Results",
    "Searcher",
    "analyze",
    "normalize",
    "render",
    "stem",
    "tokenize",
]

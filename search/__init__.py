"""Bahth: full-text search for Arabic news archives.

The public API is what this module exports (``__all__``); the ``bahth`` command is a thin shell
over it.
"""

from __future__ import annotations

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

__all__ = [
    "AnalyzedToken",
    "Article",
    "BahthError",
    "IndexIncompatible",
    "IndexLocked",
    "IndexNotFound",
    "InputError",
    "QueryError",
    "analyze",
    "normalize",
    "stem",
    "tokenize",
]

"""The only package that imports whoosh: analyzer adapters, schema, writing and searching.

Everything whoosh-specific stays here so that another engine could replace it; the rest of Bahth
speaks in ``Article``, query trees (``search.query``) and plain values, and whoosh errors are
turned into Bahth errors at this boundary.

    analysis.py   whoosh Tokenizer and Filter over search.arabic
    schema.py     the fields, SCHEMA_VERSION
    writing.py    create and open indexes; IndexWriter (add, delete, commit, cancel)
    compiling.py  query trees → whoosh queries; the ranking weights
    searching.py  EngineSearcher: run queries, read stored articles and statistics
"""

from __future__ import annotations

from .analysis import ArabicTermFilter, ArabicTokenizer, arabic_analyzer
from .compiling import (
    CompiledQuery,
    any_of,
    combine,
    compile_query,
    coordinated,
    filters,
    matched_clauses,
)
from .schema import SCHEMA_VERSION, keyword_key, schema
from .searching import EngineHit, EngineResults, EngineSearcher
from .writing import IndexWriter, create_index, open_index

__all__ = [
    "SCHEMA_VERSION",
    "ArabicTermFilter",
    "ArabicTokenizer",
    "CompiledQuery",
    "EngineHit",
    "EngineResults",
    "EngineSearcher",
    "IndexWriter",
    "any_of",
    "arabic_analyzer",
    "combine",
    "compile_query",
    "coordinated",
    "create_index",
    "filters",
    "keyword_key",
    "matched_clauses",
    "open_index",
    "schema",
]

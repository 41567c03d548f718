"""When a suggested query runs in place of the typed one (``Searcher.search(autocorrect=True)``):
when it finds clearly more articles that hold its words as written."""

from __future__ import annotations

from ..engine import EngineReader, Filter
from ..engine.compiling import compile_query
from ..filters import lift_filters
from ..query import parse

AUTOCORRECT_RATIO = 10
"""The corrected query runs in place of the typed one when it finds this many times as many
articles with all its words (or some, where the typed one finds none)."""


def finds_clearly_more(
    engine: EngineReader, corrected: str, typed: str, filter_: Filter | None
) -> bool:
    """Whether ``corrected`` finds clearly more articles with all its words than ``typed``
    (``AUTOCORRECT_RATIO``), both counted in the forms written, not by stems (a misspelled
    word's stems find other words), within the search's filters."""
    found = []
    for text in (corrected, typed):
        tree, fields = lift_filters(parse(text))
        compiled = compile_query(engine, tree, exact_only=True, filtered=bool(fields))
        found.append(engine.count(compiled.query, filter_))
    return found[0] > 0 and found[0] >= AUTOCORRECT_RATIO * found[1]

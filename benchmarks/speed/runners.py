"""One way to run a benchmark query per engine: Bahth's ``Searcher`` or a peer's interface.

Bahth runs every query as a user types it (phrases quoted, ``word*``, ``since``/``until``,
``sort="date"``) through ``Searcher.search``, which returns hits with their snippets, and with
its default ``match="auto"``. Peers get the same words: ``peer.search(..., match="all")`` (every
word required, which is what Bahth returns first) or ``peer.phrase``. They have no prefix
queries, no dates and no date sort, so those categories are "n/a" for them, not approximated.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from benchmarks.speed.queryset import Query

if TYPE_CHECKING:
    from search import Results, Searcher

PEER_UNSUPPORTED = {
    "prefix": "no prefix queries in the peer interface",
    "date": "peers do not index dates",
    "sorted": "peers do not index dates",
}


class Runner(Protocol):
    """Runs benchmark queries on one open index."""

    label: str

    def unsupported(self, category: str) -> str | None:
        """Why this engine cannot run ``category`` ("n/a"), or None."""
        ...

    def run(self, query: Query) -> int:
        """Run ``query`` for the top ``k`` hits; returns how many came back."""
        ...

    def close(self) -> None: ...


def search_bahth(searcher: Searcher, query: Query, k: int) -> Results:
    """``query`` through ``Searcher.search``, as a user would run it (top ``k``, with snippets)."""
    return searcher.search(
        query.text,
        limit=k,
        since=query.since,
        until=query.until,
        sort="date" if query.sort == "date" else "relevance",
    )


class BahthRunner:
    """Queries through the public API, end to end: parse, search, stored fields, snippets."""

    def __init__(self, label: str, path: Path, k: int) -> None:
        from search import Searcher

        self.label = label
        self.k = k
        self.searcher = Searcher(path)

    def unsupported(self, category: str) -> str | None:
        return None

    def run(self, query: Query) -> int:
        return len(search_bahth(self.searcher, query, self.k).hits)

    def close(self) -> None:
        self.searcher.close()


class PeerRunner:
    """Queries through the peer interface of ``benchmarks.peers`` (top ``k`` ids only)."""

    def __init__(self, label: str, engine: str, path: Path, k: int) -> None:
        from benchmarks.peers import get_peer

        self.label = label
        self.k = k
        self.peer = get_peer(engine)
        self.peer.open(path)

    def unsupported(self, category: str) -> str | None:
        if category == "phrase" and not self.peer.supports_phrase:
            return "no phrase queries"
        return PEER_UNSUPPORTED.get(category)

    def run(self, query: Query) -> int:
        if query.category == "phrase":
            return len(self.peer.phrase(query.text.strip('"'), self.k))
        return len(self.peer.search(query.text, self.k, match="all"))

    def close(self) -> None:
        self.peer.close()

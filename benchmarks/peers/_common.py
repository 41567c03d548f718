"""Shared types and helpers for the peer engines (stdlib only, so importing never fails)."""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from pathlib import Path
from typing import Literal, NotRequired, TypedDict

#: How the words of a keyword query combine: every word must match ("all", AND) or any may
#: ("any", OR).
Match = Literal["all", "any"]

#: Every peer boosts the title by this factor over the body (whoosh and tantivy as a per-field query
#: boost, Lucene by repeating the title in its single field; see lucene_peer.py for why).
TITLE_BOOST = 2.0

DATA_DIR = Path(__file__).resolve().parent / "data"
#: benchmarks/.cache, which .gitignore excludes: downloads such as the Anserini jar.
CACHE_DIR = Path(__file__).resolve().parents[1] / ".cache"
#: The Anserini fat jar that lucene_peer runs and fetch_anserini downloads.
JAR_NAME = "anserini-2.3.0-fatjar.jar"


def default_jar() -> Path:
    """Where `python -m benchmarks.peers.fetch_anserini` puts the jar."""
    return CACHE_DIR / JAR_NAME


class Doc(TypedDict):
    """One input article, the same dict for every peer."""

    id: str
    title: str
    body: str
    date: dt.date | None  # accepted for a uniform input; no peer indexes it (text search only)


class BuildStats(TypedDict):
    """What `Peer.build` measured."""

    seconds: float  # wall time from the first document to a committed, searchable index
    docs: int  # documents the engine holds afterwards (Anserini drops docs whose text is empty)
    bytes_on_disk: int  # size of the index directory, all files
    open_seconds: (
        float  # opening the searcher after the build (JVM start for Lucene), not in seconds
    )
    engine_seconds: NotRequired[float]  # peer-specific part of `seconds`, e.g. Lucene's indexer run


class PeerError(RuntimeError):
    """A peer failed in a way the caller should report (bad workdir, engine subprocess failed)."""


def prepare_workdir(workdir: Path) -> Path:
    """Create `workdir` if needed and return it resolved; refuse a non-empty one.

    Peers never delete anything they did not create, so an old index must be removed by the caller.
    """
    workdir = Path(workdir).resolve()
    if workdir.exists() and any(workdir.iterdir()):
        raise PeerError(f"{workdir} is not empty: give each peer build a fresh directory")
    workdir.mkdir(parents=True, exist_ok=True)
    return workdir


def dir_bytes(path: Path) -> int:
    """Total size of the regular files under `path`."""
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file())


# Characters that whoosh's and tantivy's query parsers treat as syntax. Queries given to peers are
# plain keyword strings, so these are replaced by spaces instead of being interpreted.
_SYNTAX = re.compile(r"""["'():+\-*?~^\[\]{}\\/!<>=]""")
# Upper-case operators in both parsers; Arabic queries never contain them, Latin ones might.
_OPERATORS = frozenset({"AND", "OR", "NOT", "TO", "IN"})


def keywords(query: str) -> list[str]:
    """Split a plain keyword query into words, dropping query-parser syntax and operators."""
    return [w for w in _SYNTAX.sub(" ", query).split() if w not in _OPERATORS]


@cache
def arabic_stopwords() -> tuple[str, ...]:
    """Lucene's default Arabic stop list (119 words), read from data/arabic_stopwords.txt."""
    lines = (DATA_DIR / "arabic_stopwords.txt").read_text(encoding="utf-8").splitlines()
    return tuple(w.strip() for w in lines if w.strip() and not w.startswith("#"))

"""What a run measured, as plain dataclasses (``dataclasses.asdict`` gives the JSON file)."""

from __future__ import annotations

from dataclasses import dataclass, field

from benchmarks.core.engines import BAHTH_ENGINES
from benchmarks.speed.stats import Summary


def is_bahth(label: str) -> bool:
    """Whether a build or query label (``bahth-whoosh p2``) names one of Bahth's engines."""
    return label.split()[0] in BAHTH_ENGINES


@dataclass
class Build:
    """One engine's indexing at one worker count; ``skipped``/``failed`` say why no figures."""

    label: str
    engine: str
    procs: int
    describe: str | None = None
    seconds: float | None = None
    docs: int | None = None  # documents the index holds (Lucene drops empty ones)
    bytes_on_disk: int | None = None
    rss_mb: float | None = None  # peak RSS of the process that indexed
    rss_children_mb: float | None = None  # largest child: whoosh workers, Lucene's JVM
    articles_per_s: float | None = None  # input articles over wall seconds
    mb_per_s: float | None = None  # raw title + body text over wall seconds
    size_ratio: float | None = None  # index bytes over raw text bytes
    skipped: str | None = None
    failed: str | None = None

    @property
    def ok(self) -> bool:
        return self.seconds is not None


@dataclass
class Latency:
    """One category on one engine: a summary of the timed queries, or ``na`` (why not run)."""

    summary: Summary | None = None
    no_hits: int = 0  # queries that returned nothing (a sanity check, not a speed figure)
    errors: list[str] = field(default_factory=list)
    samples: list[float] = field(default_factory=list)  # ms, in query-file order
    na: str | None = None


@dataclass
class Snippets:
    """``make_snippet`` time per query (all its hits) and per hit, over queries with hits."""

    per_query: Summary
    per_hit: Summary
    by_category: dict[str, Summary]


@dataclass
class Step:
    """Everything measured at one ``--scale`` factor."""

    scale: int
    articles: int
    raw_bytes: int
    per_corpus: dict[str, int]
    full_corpus: bool  # all three corpora, no --limit, scale 1: what the targets are set for
    builds: list[Build] = field(default_factory=list)
    queries: dict[str, dict[str, Latency]] = field(default_factory=dict)  # label → category →
    snippets: Snippets | None = None
    query_failures: dict[str, str] = field(default_factory=dict)  # label → error

    def build(self, label: str) -> Build | None:
        return next((b for b in self.builds if b.label == label), None)

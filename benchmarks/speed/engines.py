"""Which indexes a run builds: each Bahth engine at each ``--procs``, each peer at each
``--peer-procs``."""

from __future__ import annotations

from dataclasses import dataclass

from benchmarks.core.engines import BAHTH_ENGINES


@dataclass(frozen=True)
class EngineRun:
    """One engine at one worker count: one index to build (and maybe query)."""

    engine: str  # a name of benchmarks.core.engines.ENGINES
    procs: int

    @property
    def label(self) -> str:
        """How tables name this build: ``bahth-whoosh p2``."""
        return f"{self.engine} p{self.procs}"

    @property
    def is_bahth(self) -> bool:
        """Whether this is one of Bahth's engines (the subject) rather than a peer."""
        return self.engine in BAHTH_ENGINES


def plan(
    bahth: list[str], bahth_procs: list[int], peers: list[str], peer_procs: list[int]
) -> list[EngineRun]:
    """Bahth's engines first (the subject), then the peers, in the order given."""
    runs = [EngineRun(engine, p) for engine in bahth for p in bahth_procs]
    runs += [EngineRun(peer, p) for peer in peers for p in peer_procs]
    return runs


def queried(runs: list[EngineRun], query_procs: int) -> list[EngineRun]:
    """The index of each engine whose queries are timed: built with ``query_procs`` workers
    if there is one, else the first built (query speed depends on the index's segments)."""
    chosen: dict[str, EngineRun] = {}
    for run in runs:
        if run.engine not in chosen or run.procs == query_procs:
            chosen[run.engine] = run
    return list(chosen.values())

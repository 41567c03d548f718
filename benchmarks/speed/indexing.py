"""Indexing figures: each engine built in its own child process (``benchmarks.core.build``).

The child reports its figures; here they become throughput (articles/s and MB/s of raw
title + body text, over the same input for every engine), peak RSS and size on disk.
"""

from __future__ import annotations

from pathlib import Path

from benchmarks.core.build import build_in_child
from benchmarks.core.corpora import Prepared
from benchmarks.speed.engines import EngineRun
from benchmarks.speed.results import Build


def index_dir(workdir: Path, run: EngineRun) -> Path:
    """Where ``run``'s index lives under the step's work directory."""
    return workdir / f"{run.engine}-p{run.procs}"


def build(run: EngineRun, corpus: Prepared, workdir: Path) -> Build:
    """Build ``run``'s index in a child process and return its figures (or why there are none)."""
    result = Build(run.label, run.engine, run.procs)
    built = build_in_child(run.engine, corpus.path, index_dir(workdir, run), run.procs)
    if not built.ok:
        result.failed = built.failed
        return result
    figures = built.figures
    result.describe = figures["describe"]
    result.seconds = figures["seconds"]
    result.docs = figures["docs"]
    result.bytes_on_disk = figures["bytes_on_disk"]
    result.rss_mb = figures["rss_mb"]
    result.rss_children_mb = figures["rss_children_mb"]
    result.articles_per_s = corpus.articles / figures["seconds"]
    result.mb_per_s = corpus.raw_bytes / 1e6 / figures["seconds"]
    result.size_ratio = figures["bytes_on_disk"] / corpus.raw_bytes
    return result

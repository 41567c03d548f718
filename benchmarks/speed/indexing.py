"""Indexing figures: each engine built in its own child process (``build.py``).

The child prints its figures as JSON; here they become throughput (articles/s and MB/s of raw
title + body text, over the same input for every engine), peak RSS and size on disk.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from benchmarks.speed.corpora import REPO_ROOT, Prepared
from benchmarks.speed.engines import EngineRun
from benchmarks.speed.results import Build

STDERR_TAIL = 15


def index_dir(workdir: Path, run: EngineRun) -> Path:
    """Where ``run``'s index lives under the step's work directory."""
    return workdir / f"{run.engine}-p{run.procs}"


def build(run: EngineRun, corpus: Prepared, workdir: Path, limitmb: int) -> Build:
    """Build ``run``'s index in a child process and return its figures (or why there are none)."""
    result = Build(run.label, run.engine, run.procs)
    command = [
        sys.executable,
        "-m",
        "benchmarks.speed.build",
        "--engine",
        run.engine,
        "--procs",
        str(run.procs),
        "--limitmb",
        str(limitmb),
        "--corpus",
        str(corpus.path),
        "--workdir",
        str(index_dir(workdir, run)),
    ]
    done = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, check=False)
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        tail = "\n".join(done.stderr.strip().splitlines()[-STDERR_TAIL:])
        result.failed = f"exit {done.returncode}: {tail}"
        return result
    figures = json.loads(lines[-1])
    if "skipped" in figures:
        result.skipped = figures["skipped"]
        return result
    result.describe = figures.get("describe")
    result.seconds = figures["seconds"]
    result.docs = figures["docs"]
    result.bytes_on_disk = figures["bytes_on_disk"]
    result.rss_mb = figures["rss_mb"]
    result.rss_children_mb = figures["rss_children_mb"]
    result.articles_per_s = corpus.articles / figures["seconds"]
    result.mb_per_s = corpus.raw_bytes / 1e6 / figures["seconds"]
    result.size_ratio = figures["bytes_on_disk"] / corpus.raw_bytes
    return result

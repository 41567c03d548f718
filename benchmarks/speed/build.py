"""Build one engine's index in this process and print what it cost, as one JSON line.

    python -m benchmarks.speed.build --engine bahth --procs 2 --corpus corpus.jsonl --workdir DIR

The benchmark runs this once per engine in a fresh interpreter (``indexing.py``), so each
engine's peak RSS is its own: nothing another engine allocated, imported or cached is counted.
``rss_children_mb`` is the largest child process waited for: whoosh's indexing workers with
``procs`` > 1, the Java indexer for Lucene.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

from benchmarks.speed.corpora import peer_docs

BAHTH = "bahth"
DEFAULT_LIMITMB = 256  # Indexer's default, and the peers' 256 MB buffers


def build_bahth(corpus: Path, workdir: Path, procs: int, limitmb: int) -> dict[str, object]:
    """Index the prepared corpus file with Bahth's public API."""
    from search import Indexer, Searcher

    start = time.perf_counter()
    report = Indexer(workdir, procs=procs, limitmb=limitmb).add_files([corpus])
    seconds = time.perf_counter() - start
    with Searcher(workdir) as searcher:
        stats = searcher.stats()
    return {
        "seconds": seconds,
        "docs": stats.articles,
        "read": report.read,
        "rejected": report.rejected,
        "bytes_on_disk": stats.size_bytes,
    }


def build_peer(name: str, corpus: Path, workdir: Path, procs: int) -> dict[str, object]:
    """Index the prepared corpus file with a peer; a missing engine gives ``skipped``."""
    from benchmarks.peers import get_peer

    peer = get_peer(name)
    if reason := peer.unavailable():
        return {"skipped": reason}
    stats = peer.build(peer_docs(corpus), workdir, procs=procs)
    peer.close()
    return {"describe": peer.describe(), **stats}


def _peak_rss_mb() -> float:
    """This process's peak RSS since it started: ``VmHWM``, the high-water mark of its memory.

    Not ``ru_maxrss``: Linux carries that across ``exec`` from the process that spawned us
    (``subprocess`` uses vfork), so every child would report at least its parent's peak.
    """
    try:
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def _children_rss_mb() -> float:
    # The largest child waited for. Its ru_maxrss starts from this process's RSS at the time
    # it was spawned (see above), which is what whoosh's forked workers share with us anyway.
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    """Build, then print one JSON line with the figures and this process's peak RSS."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.speed.build", description=__doc__)
    parser.add_argument("--engine", required=True, help=f"{BAHTH} or a peer name")
    parser.add_argument("--procs", type=int, default=1)
    parser.add_argument("--limitmb", type=int, default=DEFAULT_LIMITMB)
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--workdir", type=Path, required=True)
    args = parser.parse_args(argv)
    if args.engine == BAHTH:
        result = build_bahth(args.corpus, args.workdir, args.procs, args.limitmb)
    else:
        result = build_peer(args.engine, args.corpus, args.workdir, args.procs)
    result["rss_mb"] = _peak_rss_mb()
    result["rss_children_mb"] = _children_rss_mb()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())

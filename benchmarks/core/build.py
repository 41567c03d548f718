"""Build one engine's index in a fresh interpreter and report what it cost.

    python -m benchmarks.core.build --engine bahth-whoosh --workers 2 --corpus FILE --index DIR
                                    [--rebuild]

Harnesses call ``build_in_child``, which runs this module once per build, so each build's peak
RSS is its own: nothing another engine allocated, imported or cached is counted. The child
prints its figures as one JSON line: the engine's build figures, ``rss_mb`` (its own peak,
``benchmarks.core.rss``) and ``rss_children_mb`` (the largest child it waited for: whoosh's
indexing workers, the Java indexer of Lucene). Building into an index that exists already is
Bahth's update by id (an unchanged re-index); ``--rebuild`` is Bahth's ``Indexer.rebuild``.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.core.corpora import REPO_ROOT
from benchmarks.core.engines import ENGINES, BahthEngine, make_engine
from benchmarks.core.rss import children_peak_rss_mb, peak_rss_mb

STDERR_TAIL = 15  # lines of a failed child's stderr worth reporting


@dataclass
class Built:
    """What one build in a child process measured, or why there is nothing (``failed``)."""

    figures: dict[str, Any] = field(default_factory=dict)
    failed: str | None = None

    @property
    def ok(self) -> bool:
        """True when the build ran and its figures are here."""
        return self.failed is None


def build_in_child(
    engine: str,
    corpus: Path,
    index: Path,
    workers: int | None,
    *,
    rebuild: bool = False,
    root: Path = REPO_ROOT,
) -> Built:
    """Build (or, with ``rebuild``, rebuild) ``engine``'s index of ``corpus`` in a child process.

    ``root``: the checkout whose code builds it (the child runs there, and imports ``search``
    from there before the installed one): another revision's work tree, for a baseline.
    """
    command = [sys.executable, "-m", "benchmarks.core.build", "--engine", engine]
    command += ["--corpus", str(corpus), "--index", str(index)]
    if workers is not None:
        command += ["--workers", str(workers)]
    if rebuild:
        command.append("--rebuild")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(command, cwd=root, capture_output=True, text=True, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        tail = "\n".join(done.stderr.strip().splitlines()[-STDERR_TAIL:])
        return Built(failed=f"exit {done.returncode}: {tail}")
    figures = json.loads(lines[-1])
    # The CPU time of the child and every process it waited for (tantivy's analysis processes,
    # whoosh's workers): on a busy machine it moves far less than the wall time.
    figures["cpu_seconds"] = sum(
        getattr(after, f) - getattr(before, f) for f in ("ru_utime", "ru_stime")
    )
    return Built(figures=figures)


def main(argv: list[str] | None = None) -> int:
    """Build, then print one JSON line with the figures and this process's peak RSS."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.core.build", description=__doc__)
    parser.add_argument("--engine", required=True, choices=list(ENGINES))
    parser.add_argument("--workers", type=int, help="(default: the engine's own choice)")
    parser.add_argument("--corpus", type=Path, required=True, help="a JSON Lines corpus file")
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--rebuild", action="store_true", help="Bahth only: Indexer.rebuild")
    args = parser.parse_args(argv)
    engine = make_engine(args.engine)
    if args.rebuild:
        if not isinstance(engine, BahthEngine):
            parser.error("--rebuild is for Bahth's engines only")
        figures = engine.rebuild(args.corpus, args.index, args.workers)
    else:
        figures = engine.build(args.corpus, args.index, args.workers)
    figures["describe"] = engine.describe()
    figures["rss_mb"] = peak_rss_mb()
    figures["rss_children_mb"] = children_peak_rss_mb()
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())

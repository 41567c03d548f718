"""Time and peak memory of indexing, re-indexing an unchanged dump, and rebuilding.

    python -m benchmarks.rebuild [--corpus snn all] [--engines bahth-whoosh bahth-tantivy]
                                 [--procs N] [--limit N] [--scale N]

For each corpus (by default SaudiNewsNet, 31k articles, and all three, 72k) the corpora are
prepared into one file (``benchmarks.core.corpora``), and for each of Bahth's engines each step
runs in a fresh child process (``benchmarks.core.build``), through the public API:

1. ``Indexer.add_files`` into an empty index (the first run);
2. ``Indexer.add_files`` again: every article is unchanged (issue 6: well under 20% of 1);
3. ``Indexer.rebuild``: a complete new generation, then the switch;
4. with ``--scale N`` (N >= 2): ``Indexer.add_files`` of the corpus N times over with new ids,
   into an empty index: its peak memory should be about that of step 1, since records stream
   and the writer spills to disk.

Peak RSS is the child's own high-water mark (``VmHWM``, see ``benchmarks.core.rss``); child RSS
is the largest process it waited for (whoosh's analysis workers when ``--procs`` > 1).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from benchmarks.core import cli, corpora, machine
from benchmarks.core.build import build_in_child
from benchmarks.core.engines import BAHTH_ENGINES, make_engine
from benchmarks.core.tables import Table, as_text
from benchmarks.peers._common import dir_bytes


@dataclass
class Step:
    """One measured step of one engine."""

    name: str
    seconds: float
    rss_mb: float  # the indexing process's peak
    children_mb: float  # its largest child
    summary: str  # the indexer's summary (counts and rate)


def run_step(
    name: str, engine: str, corpus: Path, index: Path, workers: int | None, *, rebuild: bool
) -> Step:
    """Run one step in a child process; exit with its error if it fails."""
    built = build_in_child(engine, corpus, index, workers, rebuild=rebuild)
    if not built.ok:
        sys.exit(f"{engine}, {name}: {built.failed}")
    figures = built.figures
    step = Step(
        name, figures["seconds"], figures["rss_mb"], figures["rss_children_mb"], figures["summary"]
    )
    cli.progress(f"  {engine}, {name}: {step.seconds:.1f} s, {step.rss_mb:,.0f} MB; {step.summary}")
    return step


def measure(
    engine: str,
    prepared: corpora.Prepared,
    scaled: corpora.Prepared | None,
    work: Path,
    args: argparse.Namespace,
) -> tuple[list[Step], int]:
    """Every step of one engine on one prepared corpus; also the index's size on disk."""
    index = work / f"{engine}-index"
    steps = [
        run_step(name, engine, prepared.path, index, args.procs, rebuild=rebuild)
        for name, rebuild in (
            ("first index", False),
            ("re-index, unchanged", False),
            ("rebuild", True),
        )
    ]
    size = dir_bytes(index)
    if scaled is not None:
        name = f"first index, x{args.scale} ({scaled.articles:,} articles)"
        target = work / f"{engine}-scaled-index"
        steps.append(run_step(name, engine, scaled.path, target, args.procs, rebuild=False))
    return steps, size


def steps_table(choice: str, articles: int, engine: str, steps: list[Step], size: int) -> Table:
    """One engine's steps on one corpus."""
    first = steps[0].seconds
    rows = [
        [
            step.name,
            f"{step.seconds:.1f} s",
            f"{step.seconds / first:.1%}",
            f"{step.rss_mb:,.0f} MB",
            f"{step.children_mb:,.0f} MB",
        ]
        for step in steps
    ]
    return Table(
        f"{engine} on {choice} ({articles:,} articles)",
        ["step", "time", "vs first", "peak RSS", "child RSS"],
        rows,
        f"index size on disk: {size / 1e6:,.0f} MB",
    )


def summary_table(reindexed: list[tuple[str, str, int, list[Step]]]) -> Table:
    """The unchanged re-index beside the first index, per engine and corpus."""
    rows = [
        [
            engine,
            choice,
            f"{articles:,}",
            f"{steps[0].seconds:.1f} s",
            f"{steps[1].seconds:.1f} s",
            f"{steps[1].rss_mb:,.0f} MB",
            f"{steps[0].rss_mb:,.0f} MB",
        ]
        for engine, choice, articles, steps in reindexed
    ]
    header = ["engine", "corpus", "articles", "first index", "re-index"]
    header += ["re-index peak RSS", "first index peak RSS"]
    return Table("Unchanged re-index, per engine and corpus", header, rows, left=2)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command line options."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.rebuild",
        description=__doc__.split("\n\n")[0],
        epilog="Full runs take minutes per step (SaudiNewsNet: about 3-6 min for a first index). "
        "Example of a quick trial: python -m benchmarks.rebuild --corpus snn --limit 2000",
    )
    cli.add_data(parser)
    parser.add_argument(
        "--corpus",
        nargs="+",
        choices=corpora.CHOICES,
        default=["snn", "all"],
        help="corpora to measure, each on its own (default: snn all: 31k and 72k articles)",
    )
    cli.add_limit(parser)
    parser.add_argument(
        "--engines",
        nargs="+",
        choices=BAHTH_ENGINES,
        default=list(BAHTH_ENGINES),
        help="Bahth's engines to measure (default: all)",
    )
    parser.add_argument(
        "--procs",
        type=int,
        default=None,
        help="Bahth's indexing workers (default: Bahth's own choice)",
    )
    parser.add_argument(
        "--scale",
        type=int,
        default=0,
        metavar="N",
        help="also index the corpus N times over (N >= 2) with new ids, for peak memory",
    )
    parser.add_argument(
        "--work",
        type=Path,
        default=None,
        help="where indexes go (default: a temporary directory, removed after)",
    )
    args = parser.parse_args(argv)
    if args.scale == 1 or args.scale < 0:
        parser.error("--scale must be 0 (off) or at least 2")
    return args


def main(argv: list[str] | None = None) -> int:
    """Measure every engine on every corpus; print one table per engine and corpus."""
    args = parse_args(argv)
    if problem := cli.check_corpus(args.data, args.corpus):
        cli.progress(problem)
        return 1
    info = machine.describe()
    cli.progress(machine.one_line(info))
    engines = []
    for name in args.engines:
        if reason := make_engine(name).unavailable():
            print(f"{name}: skipped: {reason}")
        else:
            engines.append(name)
    work = args.work or Path(tempfile.mkdtemp(prefix="bahth-rebuild-"))
    reindexed: list[tuple[str, str, int, list[Step]]] = []
    try:
        for choice in args.corpus:
            corpus_dir = work / choice
            if corpus_dir.exists():
                shutil.rmtree(corpus_dir)  # ours, from an earlier run with --work
            corpus_dir.mkdir(parents=True)
            prepared = corpora.prepare(
                args.data, choice, corpus_dir / "corpus.jsonl", limit=args.limit
            )
            scaled = None
            if args.scale:
                out = corpus_dir / f"corpus-x{args.scale}.jsonl"
                scaled = corpora.prepare(args.data, choice, out, limit=args.limit, scale=args.scale)
            for engine in engines:
                steps, size = measure(engine, prepared, scaled, corpus_dir, args)
                print(as_text(steps_table(choice, prepared.articles, engine, steps, size)) + "\n")
                reindexed.append((engine, choice, prepared.articles, steps))
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    if reindexed:
        print(as_text(summary_table(reindexed)))
    print(f"\nworkers: {args.procs or 'Bahth default'}; cores: {os.cpu_count()}")
    print("peak RSS: the indexing process's own high-water mark (VmHWM); child RSS: the largest")
    print("process it waited for (whoosh's analysis workers).")
    return 0


if __name__ == "__main__":
    sys.exit(main())

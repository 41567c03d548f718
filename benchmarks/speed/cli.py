"""``python -m benchmarks.speed``: index and query Bahth and its peers on the news corpora.

For each ``--scale`` step: prepare the corpus file, build every engine's index in its own child
process, time the query set on one index per engine, time the snippets, then print the tables,
write the JSON file and (unless ``--no-docs``) rewrite ``docs/benchmarks.md``.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

from benchmarks.core import cli, corpora, machine
from benchmarks.core.cli import positive_ints, progress
from benchmarks.core.engines import BAHTH_ENGINES, PEERS, BahthEngine, make_engine
from benchmarks.core.tables import as_text
from benchmarks.speed import (
    docs_page,
    engines,
    indexing,
    latency,
    queryset,
    report,
    snippet_time,
    tables,
    targets,
)
from benchmarks.speed.queryset import Query
from benchmarks.speed.results import Build, Step

DEFAULT_RESULTS = corpora.REPO_ROOT / "benchmarks" / "results"
DEFAULT_DOCS = corpora.REPO_ROOT / "docs" / "benchmarks.md"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command line options."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.speed",
        description="Indexing and query speed of Bahth beside plain whoosh, tantivy and Lucene, "
        "on the news corpora of ../shared/data. Prints tables, writes "
        "benchmarks/results/speed-*.json and docs/benchmarks.md.",
        epilog="Examples: python -m benchmarks.speed --corpus snn --limit 2000 --no-docs  |  "
        "python -m benchmarks.speed --corpus all  |  python -m benchmarks.speed --scale 1,2,5",
    )
    add = parser.add_argument
    cli.add_data(parser)
    cli.add_corpus(parser, "all")
    cli.add_limit(parser)
    add(
        "--scale",
        type=positive_ints,
        default=[1],
        metavar="N[,N...]",
        help="repeat the corpus N times with new ids; several values run one step each and "
        "print how cost grows (default: 1)",
    )
    add(
        "--procs",
        type=positive_ints,
        default=[1, 2],
        metavar="N[,N...]",
        help="Bahth's indexing workers, one build each (default: 1,2)",
    )
    add(
        "--bahth",
        nargs="*",
        choices=BAHTH_ENGINES,
        default=list(BAHTH_ENGINES),
        help="Bahth's engines to run; none with an empty list (default: all)",
    )
    add(
        "--peers",
        nargs="*",
        choices=PEERS,
        default=list(PEERS),
        help="peers to run; none with an empty list (default: all)",
    )
    add(
        "--peer-procs",
        type=positive_ints,
        default=[1],
        metavar="N[,N...]",
        help="peer indexing workers (default: 1)",
    )
    add(
        "--query-procs",
        type=int,
        default=1,
        help="time queries on the index built with this many workers (default: %(default)s)",
    )
    add(
        "--queries",
        type=Path,
        default=queryset.DEFAULT_QUERIES,
        help="query file (default: benchmarks/queries/queries.tsv)",
    )
    add("--per-category", type=int, default=250, help="queries per category (default: %(default)s)")
    add(
        "--warmup",
        type=int,
        default=25,
        help="untimed queries per category before timing it (default: %(default)s)",
    )
    add("--k", type=int, default=10, help="hits per query (default: %(default)s)")
    add("--no-queries", action="store_true", help="indexing figures only")
    add(
        "--workdir",
        type=Path,
        help="build here and keep the indexes (default: a temporary directory, removed afterwards)",
    )
    add(
        "--results",
        type=Path,
        default=DEFAULT_RESULTS,
        help="directory for the JSON file (default: benchmarks/results)",
    )
    add(
        "--docs",
        type=Path,
        default=DEFAULT_DOCS,
        help="page to rewrite (default: docs/benchmarks.md)",
    )
    add("--no-docs", action="store_true", help="leave docs/benchmarks.md alone (trial runs)")
    return parser.parse_args(argv)


def _build_all(
    step: Step,
    runs: list[engines.EngineRun],
    prepared: corpora.Prepared,
    step_dir: Path,
) -> None:
    unavailable = {name: make_engine(name).unavailable() for name in {r.engine for r in runs}}
    for run in runs:
        if reason := unavailable[run.engine]:
            step.builds.append(Build(run.label, run.engine, run.procs, skipped=reason))
            progress(f"  {run.label}: skipped: {reason}")
            continue
        progress(f"  indexing {run.label} ...")
        built = indexing.build(run, prepared, step_dir)
        step.builds.append(built)
        if built.ok:
            progress(f"    {built.seconds:.1f} s, {built.articles_per_s:,.0f} articles/s")
        else:
            progress(f"    {built.skipped or built.failed}")


def _query_all(
    step: Step,
    runs: list[engines.EngineRun],
    queries: dict[str, list[Query]],
    step_dir: Path,
    args: argparse.Namespace,
) -> None:
    built = [r for r in runs if (b := step.build(r.label)) is not None and b.ok]
    for run in engines.queried(built, args.query_procs):
        path = indexing.index_dir(step_dir, run)
        progress(f"  querying {run.label} ...")
        try:
            _query_one(step, run, path, queries, args)
        except Exception as error:  # one engine failing must not lose the others' figures
            step.query_failures[run.label] = f"{type(error).__name__}: {error}"
            progress(f"    failed: {step.query_failures[run.label]}")


def _query_one(
    step: Step,
    run: engines.EngineRun,
    path: Path,
    queries: dict[str, list[Query]],
    args: argparse.Namespace,
) -> None:
    engine = make_engine(run.engine)
    engine.open(path)
    try:
        step.queries[run.label] = latency.time_all(engine, queries, args.warmup, args.k)
        # Snippets are made from stored text, whatever the engine: timed once, on the first.
        if isinstance(engine, BahthEngine) and step.snippets is None:
            progress(f"  timing snippets on {run.label} ...")
            step.snippets = snippet_time.time_snippets(engine.searcher, queries, args.k)
    finally:
        engine.close()


def run_step(
    args: argparse.Namespace, scale: int, workdir: Path, queries: dict[str, list[Query]]
) -> Step:
    """Everything for one scale factor, in ``workdir/scale-N`` (removed unless kept)."""
    step_dir = workdir / f"scale-{scale}"
    if step_dir.exists():
        shutil.rmtree(step_dir)  # our own directory from an earlier run with --workdir
    step_dir.mkdir(parents=True)
    progress(f"scale ×{scale}: preparing {args.corpus} ...")
    prepared = corpora.prepare(
        args.data, args.corpus, step_dir / "corpus.jsonl", limit=args.limit, scale=scale
    )
    step = Step(
        scale=scale,
        articles=prepared.articles,
        raw_bytes=prepared.raw_bytes,
        per_corpus=prepared.per_corpus,
        full_corpus=args.corpus == "all" and args.limit is None and scale == 1,
    )
    runs = engines.plan(args.bahth, args.procs, args.peers, args.peer_procs)
    _build_all(step, runs, prepared, step_dir)
    if queries:
        _query_all(step, runs, queries, step_dir, args)
    if args.workdir is None:
        shutil.rmtree(step_dir, ignore_errors=True)
    return step


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; exit 1 when the corpus or the query file is missing."""
    args = parse_args(argv)
    if problem := cli.check_corpus(args.data, [args.corpus]):
        progress(problem)
        return 1
    queries: dict[str, list[Query]] = {}
    if not args.no_queries:
        if not args.queries.is_file():
            progress(
                f"Error: no query file at {args.queries}. "
                "Write it with: python -m benchmarks.speed.make_queries"
            )
            return 1
        chosen = queryset.select(
            queryset.load(args.queries), corpora.names(args.corpus), args.per_category
        )
        queries = {c: qs for c, qs in chosen.items() if qs}
    info = machine.describe()
    progress(machine.one_line(info))
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bahth-speed-"))
    try:
        steps = [run_step(args, scale, workdir, queries) for scale in args.scale]
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    info["load_end"] = machine.load_average()
    info["revision_end"] = machine.code_revision()
    if info["revision_end"] != info["revision_start"]:
        progress(
            f"Warning: search/ changed during the run ({info['revision_start']} → "
            f"{info['revision_end']}); figures may mix the two versions."
        )
    verdicts = [targets.check(step) for step in steps]
    for step, step_verdicts in zip(steps, verdicts, strict=True):
        print(f"\n##### {args.corpus}, scale ×{step.scale}: {step.articles:,} articles\n")
        for table in tables.for_step(step, step_verdicts):
            print(as_text(table) + "\n")
    if growth := tables.growth(steps):
        print(as_text(growth))
    saved = report.write_json(args, info, steps, verdicts)
    progress(f"results: {saved}")
    if not args.no_docs:
        existing = args.docs.read_text(encoding="utf-8") if args.docs.exists() else ""
        generated = docs_page.render(args, info, steps, verdicts)
        args.docs.write_text(docs_page.page(generated, existing), encoding="utf-8")
        progress(f"rewrote {args.docs}")
    return 0

"""``python -m benchmarks.relevance``: ranking quality of Bahth and its peers on judged data.

One run builds every system's index for every set (or reuses cached ones), runs every query,
scores the rankings with ranx, prints the tables, writes the JSON results and rewrites
docs/relevance.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import shutil
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path
from typing import Any

from benchmarks.core import cli, machine
from benchmarks.core.corpora import DEFAULT_DATA, REPO_ROOT
from benchmarks.core.engines import Engine, make_engine
from benchmarks.relevance import ablation, report
from benchmarks.relevance.metrics import (
    METRICS,
    STAT_TESTS,
    first_relevant_rank,
    ranx_unavailable,
    score_set,
)
from benchmarks.relevance.sets import SET_NAMES, EvalSet, load_set
from benchmarks.relevance.systems import (
    BASELINE,
    DEFAULT_SYSTEMS,
    SYSTEMS,
    Built,
    Run,
    collection_digest,
    ensure_index,
    run_queries,
)

CACHE_ROOT = REPO_ROOT / "benchmarks" / ".cache" / "relevance"
RESULTS_DIR = REPO_ROOT / "benchmarks" / "results"
DOC = REPO_ROOT / "docs" / "relevance.md"
K = 100  # retrieved per query: Recall@100 needs the top 100
WARMUP = 20  # untimed queries per system before timing (Lucene's JIT is slow at first)
EXAMPLES = 10
LUCENE = "lucene-arabic"


def _news_docs(value: str) -> int | None:
    if value == "all":
        return None
    number = int(value)
    if number < 0:
        raise argparse.ArgumentTypeError("must be 0 or more, or 'all'")
    return number


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.relevance",
        description=(
            "Measure ranking quality (MRR@10, Recall@10, Recall@100, nDCG@10) of Bahth and peer "
            "engines on judged Arabic data, side by side in one run, with paired significance "
            "tests against Bahth's default mode. Prints a table, writes "
            "benchmarks/results/relevance-DATE.json and rewrites docs/relevance.md."
        ),
        epilog=(
            "Example: python -m benchmarks.relevance --cache --sets arcd quran news names "
            "hard --news-docs 20000. The names and hard sets search the news set's collection "
            "(its indexes, built once). Peers need the benchmarks extra (pip install -e "
            "'.[benchmarks]') and, for lucene-arabic, python -m benchmarks.peers.fetch_anserini; "
            "a peer that cannot run is skipped with the reason."
        ),
    )
    cli.add_data(parser)
    parser.add_argument(
        "--sets",
        nargs="+",
        choices=SET_NAMES,
        default=list(SET_NAMES),
        help="judged sets to run (default: all)",
    )
    parser.add_argument(
        "--systems",
        nargs="+",
        choices=list(SYSTEMS),
        default=list(DEFAULT_SYSTEMS),
        help=f"systems to compare (default: {' '.join(DEFAULT_SYSTEMS)})",
    )
    parser.add_argument(
        "--sample",
        type=int,
        default=500,
        help="news known-item targets, one query each (default: %(default)s)",
    )
    parser.add_argument(
        "--news-docs",
        type=_news_docs,
        default=20_000,
        metavar="N",
        help=(
            "news distractors: N other articles besides the targets, or 'all' for the whole "
            "de-duplicated pool (about 70,000) (default: 20000)"
        ),
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=13,
        help="seed of the news draw, the query generator and the randomization test "
        "(default: %(default)s)",
    )
    parser.add_argument(
        "--procs", type=int, default=2, help="indexing workers per engine (default: %(default)s)"
    )
    parser.add_argument(
        "--cache",
        action="store_true",
        help=(
            "keep built indexes under benchmarks/.cache/relevance and reuse them, keyed by "
            "engine (Bahth: its engine and ANALYSIS_VERSION, rebuilt when the index no longer "
            "opens; peers: engine version and "
            "settings) and a digest of the collection; without it indexes go to a temporary "
            "directory that is removed"
        ),
    )
    parser.add_argument(
        "--stat-test",
        choices=STAT_TESTS,
        default="fisher",
        help="paired test against bahth-default: fisher (randomization) or student (t-test) "
        "(default: %(default)s)",
    )
    parser.add_argument(
        "--permutations",
        type=int,
        default=10_000,
        help="permutations of the randomization test (default: %(default)s)",
    )
    parser.add_argument(
        "--json",
        type=Path,
        help="where to write the results (default: benchmarks/results/relevance-DATE.json)",
    )
    parser.add_argument("--no-doc", action="store_true", help="do not rewrite docs/relevance.md")
    return parser.parse_args(argv)


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _shown_path(path: Path, outside: str | None = None) -> str:
    """``path`` relative to the repository when it is inside it (or beside it, ``../``).

    Otherwise ``outside`` when given: what the report and docs say instead of a machine path.
    """
    resolved = path.resolve()
    for base, prefix in ((REPO_ROOT, ""), (REPO_ROOT.parent, "../")):
        if resolved.is_relative_to(base):
            return prefix + str(resolved.relative_to(base))
    return outside or str(path)


def _command(args: argparse.Namespace) -> str:
    parts = ["python -m benchmarks.relevance"]
    if args.data.resolve() != DEFAULT_DATA.resolve():
        parts.append(f"--data {_shown_path(args.data, 'DATA')}")
    if args.sets != list(SET_NAMES):
        parts.append("--sets " + " ".join(args.sets))
    if args.systems != list(DEFAULT_SYSTEMS):
        parts.append("--systems " + " ".join(args.systems))
    news_docs = "all" if args.news_docs is None else args.news_docs
    parts += [f"--sample {args.sample}", f"--news-docs {news_docs}", f"--seed {args.seed}"]
    parts.append(f"--procs {args.procs}")
    if args.cache:
        parts.append("--cache")
    if args.stat_test != "fisher":
        parts.append(f"--stat-test {args.stat_test}")
    return " ".join(parts)


def build_all(
    engines: dict[str, Engine], sets: list[EvalSet], root: Path, procs: int
) -> tuple[dict[str, dict[str, Built]], dict[str, str]]:
    """Every engine's index for every set. In-process JVM engines go last: the others fork
    worker processes, and forking a process that runs a JVM is asking for a hang."""
    built: dict[str, dict[str, Built]] = {s.name: {} for s in sets}
    failed: dict[str, str] = {}
    digests = {s.name: collection_digest(s.docs) for s in sets}
    for engine in sorted(engines.values(), key=lambda e: e.uses_jvm):
        by_collection: dict[str, Built] = {}  # sets of one collection search one index
        for eval_set in sets:
            if (shared := by_collection.get(eval_set.index_name)) is not None:
                built[eval_set.name][engine.name] = shared
                continue
            _log(f"[build] {eval_set.name} / {engine.name} ({len(eval_set.docs):,} docs)")
            try:
                done = ensure_index(
                    engine, eval_set.docs, root, eval_set.index_name, digests[eval_set.name], procs
                )
            except Exception as error:
                if engine.is_bahth:
                    raise  # Bahth failing is a bug to see, not a peer to skip
                failed[engine.name] = f"build failed on {eval_set.name}: {error}"
                _log(f"[build] {engine.name} skipped: {error}")
                break
            state = "cached" if done.cached else f"{done.stats['seconds']:.1f} s"
            _log(f"[build] {eval_set.name} / {engine.name}: {state}")
            built[eval_set.name][engine.name] = by_collection[eval_set.index_name] = done
    return built, failed


def search_all(
    engines: dict[str, Engine],
    systems: list[str],
    eval_set: EvalSet,
    built: dict[str, Built],
) -> dict[str, Run]:
    """Every system's ranking for every query of one set."""
    runs: dict[str, Run] = {}
    for engine_name, engine in engines.items():
        if engine_name not in built:
            continue
        mine = [s for s in systems if SYSTEMS[s].engine == engine_name]
        engine.open(built[engine_name].index)
        try:
            for name in mine:
                started = time.perf_counter()
                run = run_queries(engine, SYSTEMS[name], eval_set.queries, K, WARMUP)
                runs[name] = run
                _log(
                    f"[search] {eval_set.name} / {name}: {len(eval_set.queries)} queries in "
                    f"{time.perf_counter() - started:.1f} s"
                )
        finally:
            engine.close()
    return {s: runs[s] for s in systems if s in runs}  # table order = --systems order


def head_to_head(
    eval_set: EvalSet, runs: dict[str, Run]
) -> tuple[dict[str, int], list[dict[str, Any]]] | None:
    """Bahth default vs Lucene per query: tallies and the worst losses for Bahth."""
    if BASELINE not in runs or LUCENE not in runs:
        return None
    tally = {"bahth_better": 0, "lucene_better": 0, "same": 0}
    losses = []
    for qid, relevant in eval_set.qrels.items():
        ours = first_relevant_rank(runs[BASELINE].ranked[qid], relevant)
        theirs = first_relevant_rank(runs[LUCENE].ranked[qid], relevant)
        ours_rr = 1 / ours if ours else 0.0
        theirs_rr = 1 / theirs if theirs else 0.0
        if ours_rr > theirs_rr:
            tally["bahth_better"] += 1
        elif ours_rr < theirs_rr:
            tally["lucene_better"] += 1
            loss = {"qid": qid, "query": eval_set.queries[qid], "bahth": ours, "lucene": theirs}
            if qid in eval_set.details:
                loss["words"] = eval_set.details[qid]["words"]
            losses.append((theirs_rr - ours_rr, loss))
        else:
            tally["same"] += 1
    losses.sort(key=lambda item: -item[0])  # stable: ties keep query order
    return tally, [loss for _, loss in losses[:EXAMPLES]]


def by_kind(eval_set: EvalSet, per_query: dict[str, dict[str, list[float]]]) -> dict[str, Any]:
    """News only: MRR@10 per system over the queries containing each kind of change."""
    qids = list(eval_set.qrels)
    kinds: dict[str, list[int]] = {}
    for i, qid in enumerate(qids):
        present = {
            rule.split(":")[0] for _, _, rules in eval_set.details[qid]["words"] for rule in rules
        }
        for kind in present:
            kinds.setdefault(kind, []).append(i)
    out = {}
    for kind in sorted(kinds):
        rows = kinds[kind]
        out[kind] = {
            "queries": len(rows),
            "mrr@10": {
                s: sum(per_query[s]["mrr@10"][i] for i in rows) / len(rows) for s in per_query
            },
        }
    return out


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not args.data.is_dir():
        print(
            f"Error: no data directory at {args.data}. Pass the shared data with --data DIR.",
            file=sys.stderr,
        )
        return 1
    if problem := ranx_unavailable():
        print(f"Error: {problem}", file=sys.stderr)
        return 1
    started = time.perf_counter()
    # Before anything runs: others may commit to search/ meanwhile.
    git_state = {"commit": machine.head(), "search_dirty": machine.search_modified()}
    engines: dict[str, Engine] = {}
    skipped: dict[str, str] = {}
    for name in args.systems:
        engine_name = SYSTEMS[name].engine
        if engine_name not in engines and engine_name not in skipped:
            engine = make_engine(engine_name)
            if reason := engine.unavailable():
                skipped[engine_name] = reason
                _log(f"[skip] {engine_name}: {reason}")
            else:
                engines[engine_name] = engine
    systems = [s for s in args.systems if SYSTEMS[s].engine in engines]
    sets = []
    for name in args.sets:
        _log(f"[data] loading {name}")
        sets.append(
            load_set(
                name, args.data, sample=args.sample, distractors=args.news_docs, seed=args.seed
            )
        )
    scratch = None
    if args.cache:
        root = CACHE_ROOT
    else:
        root = scratch = Path(tempfile.mkdtemp(prefix="bahth-relevance-"))
    try:
        built, failed = build_all(engines, sets, root, args.procs)
        for engine_name, reason in failed.items():
            skipped[engine_name] = reason
            del engines[engine_name]
        systems = [s for s in systems if SYSTEMS[s].engine in engines]
        results = _results(args, engines, systems, skipped, git_state)
        for eval_set in sets:
            runs = search_all(engines, systems, eval_set, built[eval_set.name])
            results["sets"][eval_set.name] = _score(args, eval_set, runs, built[eval_set.name])
    finally:
        for engine in engines.values():
            engine.close()
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
    results["seconds"] = time.perf_counter() - started
    checks = report.check_targets(results)
    results["targets"] = checks
    print(report.text_table(results))
    print(report.text_targets(checks))
    print(report.text_losses(results))
    print(report.text_timings(results))
    json_path = args.json or RESULTS_DIR / f"relevance-{results['date']}.json"
    report.write_json(results, json_path)
    _log(f"\n[done] {results['seconds']:.0f} s; results in {_shown_path(json_path)}")
    if not args.no_doc:
        report.write_markdown(results, checks, DOC)
        _log(f"[done] rewrote {_shown_path(DOC)}")
    return 0


def _results(
    args: argparse.Namespace,
    engines: dict[str, Engine],
    systems: list[str],
    skipped: dict[str, str],
    git_state: dict[str, Any],
) -> dict[str, Any]:
    from search.arabic import ANALYSIS_VERSION

    return {
        "date": dt.date.today().isoformat(),
        "command": _command(args),
        "settings": {
            "data": _shown_path(args.data, "a directory outside the repository"),
            "sets": args.sets,
            "systems": systems,
            "requested_systems": args.systems,
            "sample": args.sample,
            "news_docs": "all" if args.news_docs is None else args.news_docs,
            "seed": args.seed,
            "procs": args.procs,
            "k": K,
            "warmup": WARMUP,
            "metrics": list(METRICS),
            "stat_test": args.stat_test,
            "permutations": args.permutations,
            "baseline": BASELINE,
            "cache": args.cache,
        },
        "versions": {
            "python": platform.python_version(),
            "bahth": version("bahth"),
            "analysis_version": ANALYSIS_VERSION,
            "ranx": version("ranx"),
            **git_state,
            "engines": {name: engine.describe() for name, engine in engines.items()},
        },
        "skipped": {
            system: skipped[SYSTEMS[system].engine]
            for system in args.systems
            if SYSTEMS[system].engine in skipped
        },
        "sets": {},
    }


def _score(
    args: argparse.Namespace, eval_set: EvalSet, runs: dict[str, Run], built: dict[str, Built]
) -> dict[str, Any]:
    _log(f"[score] {eval_set.name}")
    scores = score_set(
        eval_set.qrels,
        {name: run.ranked for name, run in runs.items()},
        BASELINE,
        stat_test=args.stat_test,
        permutations=args.permutations,
        seed=args.seed,
    )
    result: dict[str, Any] = {
        "info": eval_set.info,
        "systems": {
            name: {
                "means": scores.means[name],
                "p_vs_baseline": scores.p_values.get(name, {}),
                "query_seconds": run.seconds,
                "median_ms": run.median_ms,
                "refused_queries": run.refused,
            }
            for name, run in runs.items()
        },
        "build": {engine: {**b.stats, "cached": b.cached} for engine, b in built.items()},
        "ranks": {
            qid: {
                name: first_relevant_rank(run.ranked[qid], relevant) for name, run in runs.items()
            }
            for qid, relevant in eval_set.qrels.items()
        },
        "queries": eval_set.queries,
    }
    result["ablation"] = ablation.compare(
        scores.per_query, permutations=args.permutations, seed=args.seed
    )
    if eval_set.details:
        result["details"] = eval_set.details
        result["by_kind"] = by_kind(eval_set, scores.per_query)
    if (compared := head_to_head(eval_set, runs)) is not None:
        result["head_to_head"], examples = compared
        result["losses"] = {"examples": examples}
    return result


if __name__ == "__main__":
    sys.exit(main())

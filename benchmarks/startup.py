"""Start-up time of the ``bahth`` command: ``--help`` and a first search on a 5,000-article index.

    python -m benchmarks.startup [--engines bahth-whoosh bahth-tantivy] [--runs 10]
                                 [--index DIR] [--against TREE] [--data ../shared/data]

Builds (or reuses, when ``--index DIR`` already holds them) an index of the first 5,000 records
of SaudiNewsNet for each engine of ``--engines``, in ``DIR/<engine>`` (``benchmarks.core.build``),
then runs each command ``--runs`` times as a fresh subprocess, the way a user runs it, and
prints the median and fastest wall time and the median CPU time (user + system) of the runs.

``--against TREE`` times another checkout's ``search`` too (a worktree of an older commit:
``git worktree add /tmp/base HEAD``), alternating with this one run by run on the same index,
so that both columns see the same load: on a busy machine wall times move with the other
processes, CPU times much less. It ends with the modules that ``python -X importtime`` charges
most to ``bahth search``'s imports in this tree (cumulative, so a package counts what it pulls
in).

Without the shared corpora it prints why and exits 0: it is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.core import cli, corpora
from benchmarks.core.build import build_in_child
from benchmarks.core.corpora import REPO_ROOT as ROOT
from benchmarks.core.engines import BAHTH_ENGINES

ARTICLES = 5000
# The command is run through the interpreter running this benchmark, with the tree's
# ``search`` first on the path, so the figures are those of a working tree, with or without an
# installed ``bahth`` script on PATH.
BAHTH = [sys.executable, "-c", "import sys; from search.cli import main; sys.exit(main())"]
HELP = ("bahth --help", ["--help"])
SEARCHES: list[tuple[str, list[str]]] = [
    ('bahth search "وزارة الصحة"', ["search", "وزارة الصحة"]),
    ('bahth search "ولي العهد" --json', ["search", "ولي العهد", "--json"]),
]
TOP_IMPORTS = 12


def build_index(index: Path, data: Path, engine: str) -> None:
    """Index the first ``ARTICLES`` records of SaudiNewsNet into ``index`` with ``engine``."""
    with tempfile.TemporaryDirectory() as scratch:
        sample = corpora.prepare(data, "snn", Path(scratch) / "sample.jsonl", limit=ARTICLES)
        cli.progress(f"building a {ARTICLES:,}-article {engine} index in {index} ...")
        built = build_in_child(engine, sample.path, index, None)
        if not built.ok:
            sys.exit(f"building the index failed: {built.failed}")


def environment(tree: Path, index: Path | None) -> dict[str, str]:
    """The variables of a run of ``tree``'s ``bahth`` on ``index``."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    # The .pyc files are written by the unmeasured first run, so the figures are those of the
    # hundredth start, not the first after an install (which compiles every module): an
    # environment that turns bytecode caching off would measure compiling.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("BAHTH_INDEX", None)
    if index is not None:
        env["BAHTH_INDEX"] = str(index)
    return env


def one_run(tree: Path, arguments: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds (the child's user + system) of one fresh ``bahth arguments``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([*BAHTH, *arguments], check=True, cwd=tree, env=env, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def timed(
    trees: list[Path], arguments: list[str], index: Path | None, runs: int
) -> list[list[tuple[float, float]]]:
    """``runs`` (wall, CPU) pairs per tree, the trees taking turns run by run."""
    envs = [environment(tree, index) for tree in trees]
    for tree, env in zip(trees, envs, strict=True):
        one_run(tree, arguments, env)  # unmeasured: writes the .pyc files, warms the page cache
    times: list[list[tuple[float, float]]] = [[] for _ in trees]
    for _ in range(runs):
        for tree, env, found in zip(trees, envs, times, strict=True):
            found.append(one_run(tree, arguments, env))
    return times


def import_offenders(index: Path, count: int) -> list[tuple[int, str]]:
    """``(cumulative µs, module)`` of the costliest imports of ``search.cli`` and its command.

    ``-X importtime`` reports every import once, with what it pulled in; the search command's
    own imports (inside the command, once start-up is lazy) are included by running it.
    """
    completed = subprocess.run(
        [sys.executable, "-X", "importtime", *BAHTH[1:], "search", "وزارة الصحة"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=environment(ROOT, index),
        check=True,
    )
    rows = []
    for line in completed.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _, cumulative, name = (part.strip() for part in line[len("import time:") :].split("|"))
        rows.append((int(cumulative), name))
    return sorted(rows, reverse=True)[:count]


def main() -> None:
    """Build or reuse the indexes, time the commands and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--index", type=Path, help="directory of the indexes to use or build (default: temp)"
    )
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument(
        "--engines",
        nargs="+",
        choices=BAHTH_ENGINES,
        default=list(BAHTH_ENGINES),
        help="Bahth's engines to time a search of (default: all)",
    )
    parser.add_argument(
        "--against", type=Path, help="another checkout to time in the same run (a baseline)"
    )
    cli.add_data(parser)
    args = parser.parse_args()
    trees = [ROOT] + ([args.against.resolve()] if args.against else [])

    with tempfile.TemporaryDirectory() as scratch:
        parent = (args.index or Path(scratch)).resolve()
        indexes = {engine: parent / engine for engine in args.engines}
        for engine, index in indexes.items():
            if not (index / "CURRENT").exists():
                if problem := cli.check_corpus(args.data, ["snn"]):
                    print(f"skipped: {problem}")
                    return
                build_index(index, args.data, engine)

        names = ["this tree", *(str(tree) for tree in trees[1:])]
        print(f"median and fastest wall, median CPU (user + system), {args.runs} runs:")
        print(f"{'command':<46}" + "".join(f" | {name[-28:]:>28}" for name in names))
        rows = [("", HELP[0], HELP[1], None)] + [
            (engine, label, arguments, index)
            for engine, index in indexes.items()
            for label, arguments in SEARCHES
        ]
        for engine, label, arguments, index in rows:
            cells = []
            for found in timed(trees, arguments, index, args.runs):
                walls, cpus = [w for w, _ in found], [c for _, c in found]
                cells.append(
                    f"{statistics.median(walls):.3f} {min(walls):.3f} {statistics.median(cpus):.3f}"
                )
            name = f"{label} ({engine})" if engine else label
            print(f"{name:<46}" + "".join(f" | {cell:>28}" for cell in cells))
        for engine, index in indexes.items():
            print(f"\nimport time of bahth search ({engine}), top {TOP_IMPORTS} (cumulative):")
            for micros, module in import_offenders(index, TOP_IMPORTS):
                print(f"  {micros / 1000:>8.1f} ms  {module}")


if __name__ == "__main__":
    main()

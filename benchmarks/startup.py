"""Start-up time of the ``bahth`` command: ``--help`` and a first search on a 5,000-article index.

    python -m benchmarks.startup [--index DIR] [--runs 5] [--data ../shared/data]
                                 [--engine bahth-whoosh]

Builds (or reuses, when ``--index`` already holds one) an index of the first 5,000 records of
SaudiNewsNet with ``--engine`` (``benchmarks.core.build``), then runs each command
``--runs`` times as a fresh subprocess, the way a user runs it, and prints the median and the
fastest wall time. It ends with the modules that ``python -X importtime`` charges most to
``bahth search``'s imports (cumulative microseconds, so a package counts what it pulls in).

Without the shared corpora it prints why and exits 0: it is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import os
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
# The command is run through the interpreter running this benchmark, so the figures are those
# of the working tree, with or without an installed ``bahth`` script on PATH.
BAHTH = [sys.executable, "-c", "import sys; from search.cli import main; sys.exit(main())"]
COMMANDS: list[tuple[str, list[str]]] = [
    ("bahth --help", ["--help"]),
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


def wall_times(arguments: list[str], runs: int, env: dict[str, str]) -> list[float]:
    """Wall seconds of ``runs`` fresh runs of ``bahth arguments``; a failing run is an error."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(
            [*BAHTH, *arguments], check=True, cwd=ROOT, env=env, stdout=subprocess.DEVNULL
        )
        times.append(time.perf_counter() - started)
    return times


def import_offenders(env: dict[str, str], count: int) -> list[tuple[int, str]]:
    """``(cumulative µs, module)`` of the costliest imports of ``search.cli`` and its command.

    ``-X importtime`` reports every import once, with what it pulled in; the search command's
    own imports (inside the command, once start-up is lazy) are included by running it.
    """
    completed = subprocess.run(
        [sys.executable, "-X", "importtime", *BAHTH[1:], "search", "وزارة الصحة"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
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
    """Build or reuse the index, time the commands and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", type=Path, help="index to use or build (default: a temp dir)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--engine",
        choices=BAHTH_ENGINES,
        default=BAHTH_ENGINES[0],
        help="Bahth's engine for the index it builds (default: %(default)s)",
    )
    cli.add_data(parser)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        index = (args.index or Path(scratch) / "index").resolve()
        if not (index / "CURRENT").exists():
            if problem := cli.check_corpus(args.data, ["snn"]):
                print(f"skipped: {problem}")
                return
            build_index(index, args.data, args.engine)
        env = {**os.environ, "BAHTH_INDEX": str(index), "PYTHONPATH": str(ROOT)}
        # One unmeasured run warms the page cache and writes the .pyc files, so the figures are
        # those of the hundredth start, not the first after an install (which compiles every
        # module): an environment that turns bytecode caching off would measure compiling.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        wall_times(["search", "وزارة الصحة"], 1, env)

        print(f"{'command':<36} {'median s':>9} {'min s':>7}   ({args.runs} runs, wall)")
        for label, arguments in COMMANDS:
            times = wall_times(arguments, args.runs, env)
            print(f"{label:<36} {statistics.median(times):>9.3f} {min(times):>7.3f}")
        print(f"\nimport time of bahth search, top {TOP_IMPORTS} (cumulative):")
        for micros, name in import_offenders(env, TOP_IMPORTS):
            print(f"  {micros / 1000:>8.1f} ms  {name}")


if __name__ == "__main__":
    main()

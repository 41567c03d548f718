"""Time and peak memory of indexing, re-indexing an unchanged dump, and rebuilding.

    python -m benchmarks.rebuild [--corpus saudinewsnet|all] [--procs N] [--scale N]

Each step runs the ``bahth`` command as a child process, as a user would:

1. ``bahth index DUMPS`` into an empty index (the first run);
2. ``bahth index DUMPS`` again: every article is unchanged (issue 6: well under 20% of 1);
3. ``bahth rebuild DUMPS``: a complete new generation, then the switch;
4. with ``--scale N`` (N >= 2): ``bahth index`` of a temporary dump holding the corpora N times
   over with new ids, into an empty index: its peak memory should be about that of step 1,
   since records stream and the writer spills to disk.

Peak memory is reported two ways: the largest single process (``ru_maxrss`` of the child, from
``os.wait4``, which also covers the analysis processes it waited for), and the whole process
tree (the sum of the RSS of the command and its descendants, sampled from /proc every 0.1 s;
it differs from the first only with several processes, see ``--procs``).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPORA = {
    "saudinewsnet": ["saudinewsnet/saudinewsnet.jsonl.gz"],
    "all": [
        "saudinewsnet/saudinewsnet.jsonl.gz",
        "antcorpus_v1.1/ant_v1.1_jawharafm.jsonl.gz",
        "antcorpus_multisource_v2.1/ant_v2.1_multisource.jsonl.gz",
    ],
}
SAMPLE_SECONDS = 0.1
PAGE = os.sysconf("SC_PAGE_SIZE")
SUMMARY = re.compile(r"\((gen-\d+)\): (.*)$", re.M)


@dataclass
class Step:
    name: str
    seconds: float
    max_rss: int  # bytes, the largest single process
    tree_rss: int  # bytes, the largest sampled sum over the process tree
    summary: str  # the command's summary line (counts and rate)


def bahth_command() -> list[str]:
    script = Path(sys.executable).with_name("bahth")
    if script.exists():
        return [str(script)]
    entry = "import sys; from search.cli import main; sys.argv[0] = 'bahth'; main()"
    return [sys.executable, "-c", entry]


def _children() -> dict[int, list[int]]:
    """Parent PID -> child PIDs, for every process in /proc."""
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", encoding="ascii", errors="replace") as stat:
                fields = stat.read().rpartition(")")[2].split()
        except OSError:  # ended meanwhile
            continue
        tree.setdefault(int(fields[1]), []).append(int(entry.name))
    return tree


def _tree_rss(pid: int) -> int:
    """RSS in bytes of ``pid`` and all its descendants, now."""
    tree = _children()
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        pending.extend(tree.get(current, []))
        try:
            with open(f"/proc/{current}/statm", encoding="ascii") as statm:
                total += int(statm.read().split()[1]) * PAGE
        except OSError:
            continue
    return total


def run_step(name: str, args: list[str], log: Path) -> Step:
    """Run ``bahth ARGS`` and measure it; stdout and stderr go to ``log``."""
    with open(log, "w", encoding="utf-8") as out:
        started = time.perf_counter()
        pid = os.posix_spawn(
            (command := [*bahth_command(), *args])[0],
            command,
            {**os.environ, "NO_COLOR": "1"},
            file_actions=[
                (os.POSIX_SPAWN_DUP2, out.fileno(), 1),
                (os.POSIX_SPAWN_DUP2, out.fileno(), 2),
            ],
        )
        tree_rss = 0
        while True:
            done, status, usage = os.wait4(pid, os.WNOHANG)
            if done:
                break
            tree_rss = max(tree_rss, _tree_rss(pid))
            time.sleep(SAMPLE_SECONDS)
        seconds = time.perf_counter() - started
    text = log.read_text(encoding="utf-8")
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit(f"{name}: bahth {' '.join(args)} exited with {code}:\n{text}")
    found = SUMMARY.search(text)
    max_rss = usage.ru_maxrss * 1024  # kilobytes on Linux
    return Step(name, seconds, max_rss, max(tree_rss, max_rss), found.group(2) if found else "")


def write_scaled(sources: list[Path], copies: int, target: Path) -> int:
    """The records of ``sources``, ``copies`` times over, each copy with new ids; returns the
    number of records written."""
    count = 0
    with gzip.open(target, "wt", encoding="utf-8", compresslevel=1) as out:
        for copy in range(1, copies + 1):
            for source in sources:
                with gzip.open(source, "rt", encoding="utf-8") as lines:
                    for line in lines:
                        record = json.loads(line)
                        record["id"] = f"x{copy}-{record.get('id') or count}"
                        out.write(json.dumps(record, ensure_ascii=False) + "\n")
                        count += 1
    return count


def _mb(size: int) -> str:
    return f"{size / 1e6:,.0f} MB"


def _dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.rebuild",
        description=__doc__.split("\n\n")[0],
        epilog="Runs take minutes each on the full corpora (SaudiNewsNet: about 3-6 min for "
        "a first index).",
    )
    parser.add_argument(
        "--data",
        type=Path,
        default=ROOT.parent / "shared" / "data",
        help="the shared corpora (default: ../shared/data beside the project)",
    )
    parser.add_argument("--corpus", choices=sorted(CORPORA), default="saudinewsnet")
    parser.add_argument(
        "--procs",
        type=int,
        default=None,
        help="passed to bahth --procs (default: bahth's own choice)",
    )
    parser.add_argument(
        "--scale",
        type=int,
        default=0,
        metavar="N",
        help="also index the corpora N times over (N >= 2) with new ids, for peak memory",
    )
    parser.add_argument(
        "--work",
        type=Path,
        default=None,
        help="where indexes and logs go (default: a temporary directory, removed after)",
    )
    args = parser.parse_args()
    if args.scale == 1 or args.scale < 0:
        parser.error("--scale must be 0 (off) or at least 2")
    dumps = [args.data / name for name in CORPORA[args.corpus]]
    missing = [str(d) for d in dumps if not d.is_file()]
    if missing:
        parser.error(f"corpus files not found: {', '.join(missing)} (see --data)")

    work = args.work or Path(tempfile.mkdtemp(prefix="bahth-rebuild-"))
    work.mkdir(parents=True, exist_ok=True)
    options = ["-q"] + (["--procs", str(args.procs)] if args.procs else [])
    paths = [str(d) for d in dumps]
    index = work / "index"
    steps: list[Step] = []
    try:
        for name, command in (
            ("first index", "index"),
            ("re-index, unchanged", "index"),
            ("rebuild", "rebuild"),
        ):
            log = work / f"{len(steps) + 1}-{command}.log"
            steps.append(run_step(name, [command, *paths, "--index", str(index), *options], log))
            print(f"{name}: {steps[-1].seconds:.1f} s  {steps[-1].summary}", file=sys.stderr)
        index_size = _dir_size(index)
        if args.scale:
            scaled = work / f"scaled-x{args.scale}.jsonl.gz"
            records = write_scaled(dumps, args.scale, scaled)
            log = work / "4-index-scaled.log"
            name = f"first index, x{args.scale} ({records:,} articles)"
            command = ["index", str(scaled), "--index", str(work / "scaled-index"), *options]
            steps.append(run_step(name, command, log))
            print(f"{name}: {steps[-1].seconds:.1f} s  {steps[-1].summary}", file=sys.stderr)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)

    first = steps[0].seconds
    print(f"corpus: {args.corpus} ({', '.join(CORPORA[args.corpus])})")
    print(f"procs: {args.procs or 'bahth default'}; cores: {os.cpu_count()}")
    print(f"index size on disk: {_mb(index_size)}")
    print()
    header = f"{'step':<40} {'time':>9} {'vs first':>9} {'peak RSS':>10} {'tree RSS':>10}"
    print(header)
    print("-" * len(header))
    for step in steps:
        ratio = f"{step.seconds / first:.1%}"
        print(
            f"{step.name:<40} {step.seconds:>7.1f} s {ratio:>9} "
            f"{_mb(step.max_rss):>10} {_mb(step.tree_rss):>10}"
        )
    print()
    print("peak RSS: the largest single process (ru_maxrss); tree RSS: the largest sampled")
    print("sum over the command and its analysis processes.")


if __name__ == "__main__":
    main()

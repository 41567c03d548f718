"""What the stories cost a small indexing run on a large archive (issue 24).

    python -m benchmarks.story_updates [--held 1000000] [--revision 1ea71c0] [--runs 5]

Stories alone, no index: ``--held`` synthetic signatures (``benchmarks.stories``' generator:
a few percent near-copies of a recent one) are assigned and written as one commit, the first
build's. Then runs one after the other, each in a fresh process as ``bahth index`` would be:
read the stories, assign the new articles (the generator's next ones) or remove one, write
them under the next commit (flushed to disk, as Bahth does). Each code (this checkout, and
``--revision``'s ``search/stories.py``: before segments, one npz rewritten whole) in its own
directory; the same stories are checked.
Printed per code and kind of run: the median seconds (wall, CPU) and the peak RSS of the
runs, with the first build's for scale.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

from benchmarks.core.corpora import REPO_ROOT
from benchmarks.core.machine import describe, one_line
from benchmarks.stories import FEED, stories_module, synthetic_signatures

BEFORE = "1ea71c0"  # the last revision that rewrote every article's stories in each run
KINDS = {"+1 article": 1, "+1,000 articles": 1_000, "delete 1 article": 0}


def _feed(stories: Any, ids: list[str], signatures: np.ndarray) -> list[int]:
    found: list[int] = []
    for start in range(0, len(ids), FEED):
        batch = range(start, min(start + FEED, len(ids)))
        found += stories.assign_all(
            [(ids[n], signatures[n].tobytes() if signatures[n].any() else None) for n in batch]
        )
    return found


def _whole(module: ModuleType) -> bool:
    """Whether ``module`` keeps the stories in one file rewritten whole (before segments)."""
    return hasattr(module.Stories, "save")


def _read(module: ModuleType, where: Path, commit: int) -> Any:
    if _whole(module):
        return module.Stories.load(where / f"stories.{commit:06d}.npz")
    return module.Stories.load(where / f"stories.{commit:06d}.json")


def _write(module: ModuleType, stories: Any, where: Path, commit: int) -> None:
    if _whole(module):
        with open(where / f"stories.{commit:06d}.npz", "wb") as out:
            stories.save(out)
            out.flush()
            os.fsync(out.fileno())
        (where / f"stories.{commit - 1:06d}.npz").unlink(missing_ok=True)
    else:
        stories.write(where, commit)


def child(args: argparse.Namespace) -> None:
    """One run of one code: the first build, or a run of ``--add`` articles from ``--first``
    (none: delete one). The signatures are mapped from the parent's file, so that the
    process's peak RSS is the stories' work and what it reads."""
    module = stories_module(args.revision)
    signatures = np.load(args.signatures, mmap_mode="r")
    new = range(args.first, args.first + args.add)
    started, cpu = time.perf_counter(), time.process_time()
    if args.commit == 1:
        stories = module.Stories.empty()
    else:
        stories = _read(module, args.where, args.commit - 1)
        if not args.add:
            stories.remove(f"s{args.commit}")
    found = _feed(stories, [f"s{n}" for n in new], np.asarray(signatures[new.start : new.stop]))
    _write(module, stories, args.where, args.commit)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    seconds = time.perf_counter() - started
    print(json.dumps({"s": seconds, "cpu": time.process_time() - cpu, "mb": peak, "found": found}))


def run(
    revision: str | None, where: Path, signatures: Path, first: int, add: int, commit: int
) -> dict:
    command = [sys.executable, "-m", "benchmarks.story_updates", "--child", "--where", str(where)]
    command += ["--signatures", str(signatures), "--first", str(first), "--add", str(add)]
    command += ["--commit", str(commit)] + (["--revision", revision] if revision else [])
    done = subprocess.run(command, cwd=REPO_ROOT, check=True, capture_output=True, text=True)
    result: dict = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--held", type=int, default=1_000_000, help="articles already indexed")
    parser.add_argument("--revision", help=f"the code to compare with (default {BEFORE})")
    parser.add_argument("--runs", type=int, default=5, help="runs of each kind, one by one")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--where", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--signatures", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--first", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--add", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--commit", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    baseline = args.revision or BEFORE
    print(f"# Stories in a small run: {args.held:,} articles held\n\n{one_line(describe())}\n")
    print("| code | run | wall s (median) | CPU s | peak RSS MB (most) |")
    print("|---|---|--:|--:|--:|")
    found: dict[str, list[list[int]]] = {}
    with tempfile.TemporaryDirectory(prefix="bahth-story-updates-") as temp:
        signatures = Path(temp) / "signatures.npy"
        np.save(signatures, synthetic_signatures(args.held + args.runs * sum(KINDS.values()))[1])
        for revision in (None, baseline):
            code = revision or "this checkout"
            where = Path(temp) / (revision or "checkout")
            where.mkdir()
            first = run(revision, where, signatures, 0, args.held, 1)
            print(f"| {code} | first build | {first['s']:.1f} | {first['cpu']:.1f} | "
                  f"{first['mb']:.0f} |")  # fmt: skip
            found[code] = [first["found"]]
            commit, start = 1, args.held
            for kind, add in KINDS.items():
                runs = []
                for _ in range(args.runs):
                    commit += 1
                    runs.append(run(revision, where, signatures, start, add, commit))
                    found[code].append(runs[-1]["found"])
                    start += add
                wall = statistics.median(r["s"] for r in runs)
                cpu = statistics.median(r["cpu"] for r in runs)
                peak = max(r["mb"] for r in runs)
                print(f"| {code} | {kind} | {wall:.2f} | {cpu:.2f} | {peak:.0f} |")
    same = found["this checkout"] == found[baseline]
    print(f"\nthe same stories in every run: {'yes' if same else 'NO'}")


if __name__ == "__main__":
    main()

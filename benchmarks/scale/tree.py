"""Run a command and sample the RSS of its whole process tree while it runs (Linux ``/proc``).

A build's memory is not only its main process: tantivy's analysis processes and whoosh's
workers hold their own. ``VmHWM`` read inside a process (``benchmarks.core.rss``) sees one
process; this sampler sums the resident set of the command and every descendant a few times a
second and keeps the largest sum. Pages shared by forked processes are counted once per
process, so the sum is an upper bound of what the tree needs; a peak shorter than the sampling
interval can be missed.
"""

from __future__ import annotations

import os
import resource
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

INTERVAL = 0.2  # seconds between samples
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


@dataclass
class Finished:
    """What a sampled command did: its exit code, output, wall and CPU time, peak tree RSS."""

    returncode: int
    stdout: str
    stderr: str
    seconds: float
    cpu_seconds: float
    tree_peak_mb: float


def _children() -> dict[int, list[int]]:
    """Every process's children, by parent pid."""
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # gone since the listing
        # The command name (field 2) may hold spaces and parentheses: split after its last ")".
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(parent, []).append(int(entry.name))
    return tree


def tree_rss_mb(root: int) -> float:
    """The summed RSS of ``root`` and its descendants now, in MB (0 when it has gone)."""
    children = _children()
    pending, total = [root], 0
    while pending:
        pid = pending.pop()
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * _PAGE
        except (OSError, IndexError, ValueError):
            continue
        pending.extend(children.get(pid, []))
    return total / 2**20


def run_sampled(command: list[str], cwd: Path) -> Finished:
    """Run ``command`` in ``cwd`` to the end, sampling its tree's RSS every ``INTERVAL``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    peak = 0.0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss_mb(process.pid))
            done.wait(INTERVAL)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = process.communicate()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = sum(getattr(after, f) - getattr(before, f) for f in ("ru_utime", "ru_stime"))
    return Finished(process.returncode, stdout, stderr, seconds, cpu, peak)

"""What a run happened on: cores, CPU model, RAM, Python, load, date, and the code's revision.

Timings only mean something next to this. The load average is recorded because the figures
on a shared machine move with whatever else runs on it; the revision (at start and at end)
because ``search/`` may change under a long run, and a run that straddles two versions says so.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import subprocess
from pathlib import Path

from benchmarks.core.corpora import REPO_ROOT


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _ram_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 2**20  # kB → GiB
    except OSError:
        pass
    return None


def load_average() -> list[float] | None:
    """1, 5 and 15 minute load averages, or None where the OS does not say."""
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


def _git(*args: str) -> str:
    done = subprocess.run(
        ["git", *args], cwd=REPO_ROOT, capture_output=True, text=True, check=False
    )
    return done.stdout.strip() if done.returncode == 0 else ""


def code_revision() -> str:
    """The last commit that changed ``search/``, flagged when it has uncommitted changes.

    Only ``search/`` decides Bahth's figures; commits elsewhere (tests, docs) do not count.
    """
    commit = _git("log", "-1", "--format=%h", "--", "search") or "unknown"
    return f"{commit} (search/ modified)" if search_modified() else commit


def search_modified() -> bool:
    """Whether ``search/`` differs from the last commit (others edit the checkout meanwhile)."""
    return bool(_git("status", "--porcelain", "--", "search"))


def head() -> str:
    """The checked-out commit, short."""
    return _git("rev-parse", "--short", "HEAD") or "unknown"


def describe() -> dict[str, object]:
    """What to print and record about this machine and moment."""
    ram = _ram_gib()
    return {
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "nproc": os.cpu_count(),
        "usable_cpus": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "cpu": _cpu_model(),
        "ram_gib": round(ram, 1) if ram is not None else None,
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "os": f"{platform.system()} {platform.release()}",
        "load_start": load_average(),
        "head": head(),
        "revision_start": code_revision(),
    }


def one_line(info: dict[str, object]) -> str:
    """The machine in one line, for report headers."""
    return (
        f"{info['nproc']} cores ({info['cpu']}), {info['ram_gib']} GiB RAM, "
        f"Python {info['python']}, load {info['load_start']} at start, {info['date']}, "
        f"search/ at {info['revision_start']}"
    )

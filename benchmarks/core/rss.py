"""Peak RSS of a process, measured from inside it.

A benchmark runs each measured job in a fresh interpreter (``benchmarks.core.build``), which
reads its own high-water mark when the job is done: ``VmHWM`` in ``/proc/self/status``.

Not the parent's ``ru_maxrss`` of the child (``os.wait4``, ``RUSAGE_CHILDREN`` of a spawned
command): Linux carries ``ru_maxrss`` across ``exec`` from the process that spawned the child
(``subprocess`` and ``posix_spawn`` use vfork), so every child would report at least its parent's
peak. ``VmHWM`` belongs to the address space, which ``exec`` replaces, so it starts from zero.
"""

from __future__ import annotations

import resource
from pathlib import Path


def peak_rss_mb() -> float:
    """This process's peak RSS since it started, in MB (``VmHWM``; ``ru_maxrss`` without /proc)."""
    try:
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def children_peak_rss_mb() -> float:
    """The peak RSS of the largest child this process has waited for, in MB.

    Whoosh's indexing workers (forked: their figure includes the pages they share with this
    process) or Lucene's Java indexer (spawned: at least this process's peak when it was
    spawned, see above); 0 when there was none.
    """
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # kB on Linux

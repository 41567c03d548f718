"""Latency summaries: nearest-rank percentiles and throughput over one list of timings."""

from __future__ import annotations

import math
from dataclasses import dataclass


def percentile(sorted_ms: list[float], p: float) -> float:
    """The nearest-rank ``p``-th percentile of an ascending list (a value that was measured)."""
    if not sorted_ms:
        return math.nan
    rank = max(1, math.ceil(p / 100 * len(sorted_ms)))
    return sorted_ms[rank - 1]


@dataclass(frozen=True)
class Summary:
    """p50/p95/p99/mean/max in ms, and queries per second for one client back to back."""

    n: int
    p50: float
    p95: float
    p99: float
    mean: float
    max: float
    qps: float

    @classmethod
    def of(cls, ms: list[float]) -> Summary:
        ordered = sorted(ms)
        total_s = sum(ordered) / 1000
        return cls(
            n=len(ordered),
            p50=percentile(ordered, 50),
            p95=percentile(ordered, 95),
            p99=percentile(ordered, 99),
            mean=total_s * 1000 / len(ordered) if ordered else math.nan,
            max=ordered[-1] if ordered else math.nan,
            qps=len(ordered) / total_s if total_s else math.nan,
        )

"""Scores and significance through ranx: MRR@10, Recall@10, Recall@100, nDCG@10, paired tests.

Rankings are handed to ranx as scores that only encode rank (``k - position``), so ranx sees
exactly the order each engine returned, whatever its score scale or ties. A query a system
answered with nothing counts as zero on every metric.

Significance: each system is compared with the baseline (Bahth default) on the per-query
scores of the same queries: a paired randomization test (``fisher``, ``paired_p``: sign flips
of the per-query differences) or ranx's paired Student t-test (``student``). The p-values are
not corrected for the number of comparisons. ranx's own randomization test compares float means
with no tolerance: two systems that differ on one query of 500 came out p = 0.0.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

METRICS = ("mrr@10", "recall@10", "recall@100", "ndcg@10")
STAT_TESTS = ("fisher", "student")


def _ranx() -> Any:
    # numba (under ranx) warns about an internal uint64 → int64 cast on every first call;
    # the cast is ranx's own and harmless for our ids, so the warning is noise in the report.
    warnings.filterwarnings("ignore", message="unsafe cast from uint64 to int64")
    import ranx

    return ranx


def ranx_unavailable() -> str | None:
    """Why metrics cannot be computed, or None."""
    try:
        _ranx()
    except ImportError:
        return "ranx is not installed: pip install -e '.[benchmarks]'"
    return None


def _run(ranked: Mapping[str, Sequence[str]], name: str) -> Any:
    ranx = _ranx()
    scores: dict[str, dict[str, float]] = {}
    for qid, docs in ranked.items():
        unique = list(dict.fromkeys(docs))  # an engine listing a doc twice keeps its best rank
        scores[qid] = {doc: float(len(unique) - i) for i, doc in enumerate(unique)}
    return ranx.Run(scores, name=name)


@dataclass
class SetScores:
    """Mean scores per system, and p-values of each system against the baseline."""

    means: dict[str, dict[str, float]]  # system → metric → mean over queries
    p_values: dict[str, dict[str, float]]  # system (not the baseline) → metric → p
    per_query: dict[str, dict[str, list[float]]]  # system → metric → score per query (qid order)


def score_set(
    qrels: Mapping[str, Mapping[str, int]],
    runs: Mapping[str, Mapping[str, Sequence[str]]],
    baseline: str | None,
    *,
    stat_test: str = "fisher",
    permutations: int = 10_000,
    seed: int = 42,
) -> SetScores:
    """Score every run on ``qrels`` and test each against ``baseline`` (if it ran)."""
    ranx = _ranx()
    qids = list(qrels)
    judged = ranx.Qrels({q: dict(qrels[q]) for q in qids})
    ranx_runs = {
        name: _run({q: ranked.get(q, []) for q in qids}, name) for name, ranked in runs.items()
    }
    means: dict[str, dict[str, float]] = {}
    per_query: dict[str, dict[str, list[float]]] = {}
    for name, run in ranx_runs.items():
        mean = ranx.evaluate(judged, run, list(METRICS), save_results_in_run=True)
        # The run keeps each query's score by query id: no reliance on ranx's query order.
        per_query[name] = {m: [float(run.scores[m][q]) for q in qids] for m in METRICS}
        means[name] = {m: float(mean[m]) for m in METRICS}
    p_values: dict[str, dict[str, float]] = {}
    if baseline in ranx_runs:
        for name, run in ranx_runs.items():
            if name == baseline:
                continue
            if stat_test == "fisher":
                base = per_query[baseline]
                p_values[name] = {
                    m: paired_p(base[m], per_query[name][m], permutations, seed) for m in METRICS
                }
                continue
            report = ranx.compare(
                judged,
                [ranx_runs[baseline], run],
                list(METRICS),
                stat_test=stat_test,
                n_permutations=permutations,
                random_seed=seed,
                rounding_digits=6,  # for the p-values too; scores are rounded when shown
            )
            compared = report.to_dict()[baseline]["comparisons"][name]
            p_values[name] = {m: float(compared[m]) for m in METRICS}
    return SetScores(means=means, p_values=p_values, per_query=per_query)


def paired_p(a: Sequence[float], b: Sequence[float], permutations: int, seed: int) -> float:
    """Two-sided p of a paired randomization test on the mean of ``b - a``: the share of
    random sign flips of the per-query differences whose sum is at least as far from zero.

    >>> paired_p([0.5, 1.0, 1.0], [0.5, 1.0, 1.0], 1000, 1)
    1.0
    >>> paired_p([0.0] * 12, [1.0] * 12, 10_000, 1) < 0.001
    True
    """
    diffs = np.asarray(b, dtype=float) - np.asarray(a, dtype=float)
    diffs = diffs[np.abs(diffs) > 1e-12]
    if not len(diffs):
        return 1.0
    observed = abs(float(diffs.sum()))
    rng = np.random.default_rng(seed)
    extreme = 0
    for done in range(0, permutations, 1000):
        signs = rng.choice((-1.0, 1.0), size=(min(1000, permutations - done), len(diffs)))
        extreme += int(np.count_nonzero(np.abs(signs @ diffs) >= observed - 1e-9))
    return (extreme + 1) / (permutations + 1)


def first_relevant_rank(ranked: Sequence[str], relevant: Mapping[str, int]) -> int | None:
    """1-based rank of the first relevant document in ``ranked``, or None if none is there."""
    for position, doc in enumerate(ranked, start=1):
        if relevant.get(doc, 0) > 0:
            return position
    return None

"""The speed targets of issue 5, checked against one step's figures.

They are set for a 2-core machine and the full 72k-article corpus (``--corpus all``, no
``--limit``, ``--scale 1``). A smaller run is still checked, and the verdict says on how many
articles; the whole-corpus time is then projected from the measured rate.
"""

from __future__ import annotations

from dataclasses import dataclass

from benchmarks.speed.queryset import WORD_CATEGORIES
from benchmarks.speed.results import Build, Step, is_bahth
from benchmarks.speed.stats import Summary

FULL_CORPUS_ARTICLES = 72_716  # ant1 10,161 + ant2 31,525 + snn 31,030
INDEX_SPEEDUP = 2.0  # Bahth's best articles/s over plain whoosh's, in the same run
WHOLE_CORPUS_S = 240.0
WORD_P50_MS, WORD_P95_MS = 15.0, 100.0
PHRASE_P95_MS = 250.0
SNIPPETS_P95_MS = 20.0  # make_snippet for the 10 hits of a query, at p95 over queries
PLAIN_WHOOSH = "whoosh-standard"


@dataclass(frozen=True)
class Verdict:
    """One target: what it asks, what was measured, and met / missed / not measured."""

    target: str
    measured: str
    status: str


def _status(ok: bool) -> str:
    return "met" if ok else "missed"


def _best_bahth(step: Step) -> Build | None:
    builds = [b for b in step.builds if is_bahth(b.label) and b.ok]
    return max(builds, key=lambda b: b.articles_per_s or 0.0, default=None)


def _indexing(step: Step, where: str) -> list[Verdict]:
    best = _best_bahth(step)
    whoosh = next((b for b in step.builds if b.engine == PLAIN_WHOOSH and b.ok), None)
    if best is None or best.articles_per_s is None or best.seconds is None:
        return [Verdict("indexing", "Bahth did not build", "not measured")]
    verdicts = []
    speedup = f"indexing ≥ {INDEX_SPEEDUP:g}× plain whoosh (articles/s, same run)"
    if whoosh and whoosh.articles_per_s:
        ratio = best.articles_per_s / whoosh.articles_per_s
        measured = f"{ratio:.2f}× ({best.label} vs {whoosh.label}){where}"
        verdicts.append(Verdict(speedup, measured, _status(ratio >= INDEX_SPEEDUP)))
    else:
        verdicts.append(Verdict(speedup, f"{PLAIN_WHOOSH} not run", "not measured"))
    whole = f"whole corpus < {WHOLE_CORPUS_S / 60:g} min"
    if step.full_corpus:
        measured = f"{best.seconds:.0f} s ({best.label})"
        verdicts.append(Verdict(whole, measured, _status(best.seconds < WHOLE_CORPUS_S)))
    else:
        projected = FULL_CORPUS_ARTICLES / best.articles_per_s
        measured = (
            f"not the full corpus: {FULL_CORPUS_ARTICLES:,} articles at the rate measured "
            f"on {step.articles:,} would take {projected:.0f} s ({best.label})"
        )
        status = "projected " + _status(projected < WHOLE_CORPUS_S)
        verdicts.append(Verdict(whole, measured, status))
    return verdicts


def _queries(step: Step, where: str) -> list[Verdict]:
    bahth = next((cats for label, cats in step.queries.items() if is_bahth(label)), {})
    verdicts = []
    word_ms = [ms for c in WORD_CATEGORIES if c in bahth for ms in bahth[c].samples]
    if word_ms:
        s = Summary.of(word_ms)
        verdicts.append(
            Verdict(
                f"1-4 word queries p50 ≤ {WORD_P50_MS:g} ms and p95 ≤ {WORD_P95_MS:g} ms",
                f"p50 {s.p50:.1f} ms, p95 {s.p95:.1f} ms over {s.n} queries "
                f"({', '.join(WORD_CATEGORIES)}){where}",
                _status(s.p50 <= WORD_P50_MS and s.p95 <= WORD_P95_MS),
            )
        )
    phrase = bahth.get("phrase")
    if phrase and phrase.summary:
        p95 = phrase.summary.p95
        verdicts.append(
            Verdict(
                f"phrase queries p95 ≤ {PHRASE_P95_MS:g} ms",
                f"p95 {p95:.1f} ms over {phrase.summary.n} queries{where}",
                _status(p95 <= PHRASE_P95_MS),
            )
        )
    if step.snippets and step.snippets.per_query.n:
        s = step.snippets.per_query
        verdicts.append(
            Verdict(
                f"snippets for 10 hits ≤ {SNIPPETS_P95_MS:g} ms (p95 over queries)",
                f"p50 {s.p50:.1f} ms, p95 {s.p95:.1f} ms over {s.n} queries{where}",
                _status(s.p95 <= SNIPPETS_P95_MS),
            )
        )
    return verdicts


def check(step: Step) -> list[Verdict]:
    """Every target's verdict for one step."""
    where = "" if step.full_corpus else f" (on {step.articles:,} articles)"
    return _indexing(step, where) + _queries(step, where)

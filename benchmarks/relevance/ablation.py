"""What each part of Bahth's ranking adds: its full system against the same with one part off.

A part is an ablation system of ``systems.BAHTH_MODES`` (``no-variants``, ``no-roots``), run on
each Bahth engine beside that engine's ``default``. On every set the difference of MRR@10 from
the full system of the same engine is tested with a paired randomization test (sign flips of
the per-query differences), so that a part's effect is not read off noise. Proximity is listed
too: measured and rejected (docs/relevance-tuning.md), so no system of the run has it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from benchmarks.relevance.metrics import paired_p
from benchmarks.relevance.systems import BAHTH_PREFIXES

METRIC = "mrr@10"
FULL = "default"
# (the mode that has the part off, what the row says)
PARTS: tuple[tuple[str, str], ...] = (
    ("no-variants", "without spelling variants of names"),
    ("no-roots", "without the root fallback"),
)
ENGINE_LABELS = {"bahth-whoosh": "whoosh", "bahth-tantivy": "tantivy", "bahth-xapian": "xapian"}
ALPHA = 0.05
REJECTED = (
    "with proximity (a bonus for query words close together): rejected, not in Bahth; "
    "see [relevance-tuning.md](relevance-tuning.md#proximity-issue-27)"
)


def compare(
    per_query: Mapping[str, Mapping[str, Sequence[float]]], *, permutations: int, seed: int
) -> dict[str, dict[str, Any]]:
    """Each ablation system that ran, against its engine's full system: MRR@10 of both, the
    difference and its p."""
    out: dict[str, dict[str, Any]] = {}
    for prefix in BAHTH_PREFIXES.values():
        full = f"{prefix}-{FULL}"
        if full not in per_query:
            continue
        for mode, _ in PARTS:
            ablated = f"{prefix}-{mode}"
            if ablated not in per_query:
                continue
            a, b = per_query[full][METRIC], per_query[ablated][METRIC]
            out[ablated] = {
                "full": full,
                "full_mrr@10": sum(a) / len(a),
                "mrr@10": sum(b) / len(b),
                "delta": (sum(b) - sum(a)) / len(a),
                "p": paired_p(a, b, permutations, seed),
                "better": sum(y > x for x, y in zip(a, b, strict=True)),
                "worse": sum(y < x for x, y in zip(a, b, strict=True)),
            }
    return out


def _columns(results: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(set, engine, prefix) of every set × Bahth engine whose full system ran."""
    columns = []
    for name, result in results["sets"].items():
        for engine, prefix in BAHTH_PREFIXES.items():
            if f"{prefix}-{FULL}" in result["systems"]:
                columns.append((name, engine, prefix))
    return columns


def markdown(results: dict[str, Any]) -> list[str]:
    """The section "What each part adds" of docs/relevance.md (nothing when no part ran)."""
    columns = _columns(results)
    ran = {s for r in results["sets"].values() for s in r.get("ablation", {})}
    if not columns or not ran:
        return []
    head = " | ".join(f"{name} {ENGINE_LABELS[engine]}" for name, engine, _ in columns)
    out = [
        "## What each part adds",
        "",
        "MRR@10 of Bahth's default system on each engine, and of the same system with one part "
        "turned off (in brackets: the difference from the full system; `*`: significant, "
        f"p < {ALPHA}, paired randomization test of the two systems' per-query scores, "
        f"{results['settings']['permutations']:,} sign flips). A negative difference is what "
        "the part adds. The root fallback has no switch in the API: the benchmark turns it "
        "off on the open `Searcher` (`benchmarks/relevance/systems.py`, `root_fallback_off`). "
        "`names` is the set that shows spelling variants, `hard` the forms a light stemmer "
        "misses (see The sets).",
        "",
        f"| system | {head} |",
        "|---|" + "---:|" * len(columns),
    ]
    full_cells = []
    for name, _, prefix in columns:
        row = results["sets"][name]["systems"][f"{prefix}-{FULL}"]
        full_cells.append(f"{row['means'][METRIC]:.3f}")
    out.append("| full (`default`) | " + " | ".join(full_cells) + " |")
    for mode, label in PARTS:
        cells = []
        for name, _, prefix in columns:
            found = results["sets"][name].get("ablation", {}).get(f"{prefix}-{mode}")
            if found is None:
                cells.append("not run")
                continue
            star = "*" if found["p"] < ALPHA else ""
            delta = round(found["delta"], 3) + 0.0  # no "-0.000" for a change below 0.0005
            cells.append(f"{found[METRIC]:.3f} ({delta:+.3f}{star})")
        out.append(f"| {label} (`{mode}`) | " + " | ".join(cells) + " |")
    out.append(f"| {REJECTED} | " + " | ".join("-" for _ in columns) + " |")
    out += ["", *_moved(results, columns), ""]
    return out


def _moved(results: dict[str, Any], columns: list[tuple[str, str, str]]) -> list[str]:
    """How many queries each part moves, per set and engine (where it moved any)."""
    lines = []
    for mode, _ in PARTS:
        parts = []
        for name, engine, prefix in columns:
            found = results["sets"][name].get("ablation", {}).get(f"{prefix}-{mode}")
            if found and (found["better"] or found["worse"]):
                parts.append(
                    f"{name} {ENGINE_LABELS[engine]} {found['worse']} worse / "
                    f"{found['better']} better"
                )
        if parts:
            lines.append(f"Queries `{mode}` ranks worse / better than the full system: "
                         + "; ".join(parts) + ".")  # fmt: skip
        else:
            lines.append(f"`{mode}` ranks no query of any set differently from the full system.")
    return [" ".join(lines)] if lines else []

"""The report's tables, built once and rendered as plain text (stdout) or Markdown (docs)
by ``benchmarks.core.tables``.

Ratios are always "Bahth ÷ peer" of the same figure in the same run: for throughput above 1
means Bahth is faster, for latency and size above 1 means Bahth is slower or bigger.
"""

from __future__ import annotations

import math

from benchmarks.core.tables import Table
from benchmarks.speed.queryset import CATEGORIES
from benchmarks.speed.results import Build, Latency, Step, is_bahth
from benchmarks.speed.targets import Verdict


def _num(value: float | None, digits: int = 1) -> str:
    if value is None or math.isnan(value):
        return "–"
    return f"{value:,.{digits}f}"


def _ratio(a: float | None, b: float | None) -> str:
    if not a or not b or math.isnan(a) or math.isnan(b):
        return "–"
    return f"{a / b:.2f}×"


def indexing(step: Step) -> Table:
    """Throughput, memory and size of every build."""
    rows = []
    for b in step.builds:
        if not b.ok:
            rows.append([b.label, *["–"] * 7, "skipped" if b.skipped else "FAILED"])
            continue
        rows.append(
            [
                b.label,
                _num(b.seconds),
                _num(b.articles_per_s, 0),
                _num(b.mb_per_s, 2),
                _num(b.rss_mb, 0),
                _num(b.rss_children_mb, 0),
                _num((b.bytes_on_disk or 0) / 1e6),
                _num(b.size_ratio, 2),
                f"{b.docs:,}",
            ]
        )
    return Table(
        f"Indexing {step.articles:,} articles, {step.raw_bytes / 1e6:.1f} MB of title + body text",
        [
            "engine",
            "seconds",
            "articles/s",
            "MB/s",
            "RSS MB",
            "child RSS MB",
            "index MB",
            "index ÷ raw",
            "docs",
        ],
        rows,
        "RSS: peak of the process that indexed; child: its largest child (whoosh workers with "
        "workers > 1, Lucene's Java indexer).",
    )


def _bahth_builds(step: Step) -> list[Build]:
    return [b for b in step.builds if is_bahth(b.label) and b.ok]


def indexing_ratios(step: Step) -> Table:
    """Bahth's throughput and index size over each peer's."""
    bahth = _bahth_builds(step)
    header = ["peer"] + [f"{b.label} speed ÷ peer" for b in bahth]
    header += [f"{b.label} size ÷ peer" for b in bahth]
    rows = []
    for peer in (b for b in step.builds if not is_bahth(b.label) and b.ok):
        row = [peer.label]
        row += [_ratio(b.articles_per_s, peer.articles_per_s) for b in bahth]
        row += [_ratio(b.bytes_on_disk, peer.bytes_on_disk) for b in bahth]
        rows.append(row)
    return Table("Indexing, Bahth ÷ peer", header, rows, "speed above 1×: Bahth faster")


def _cell(latency: Latency | None) -> str:
    if latency is None:
        return "–"
    if latency.na:
        return "n/a"
    s = latency.summary
    if s is None or not s.n:
        return "–"
    return f"{s.p50:.1f} / {s.p95:.1f} / {s.p99:.1f}"


def latency(step: Step) -> Table:
    """p50 / p95 / p99 ms per category and engine."""
    labels = list(step.queries)
    rows = [
        [category, *(_cell(step.queries[label].get(category)) for label in labels)]
        for category in CATEGORIES
    ]
    counts = {len(q.samples) for cats in step.queries.values() for q in cats.values() if q.samples}
    per = "/".join(str(n) for n in sorted(counts)) or "0"
    return Table(
        f"Query latency, ms p50 / p95 / p99 (top 10, {per} queries per category)",
        ["category", *labels],
        rows,
        "Bahth: Searcher.search end to end, snippets included, match=auto. Peers: top-10 ids, "
        "match=all. n/a: the peer has no such query.",
    )


def _qps(latency: Latency | None) -> str:
    if latency is None or latency.na or latency.summary is None:
        return "n/a" if latency is not None and latency.na else "–"
    return _num(latency.summary.qps, 0)


def throughput(step: Step) -> Table:
    """Queries per second (one client, back to back) and how many queries found nothing."""
    labels = list(step.queries)
    rows = []
    for category in CATEGORIES:
        row = [category]
        for label in labels:
            q = step.queries[label].get(category)
            empty = f" ({q.no_hits})" if q is not None and q.summary and q.no_hits else ""
            errors = f" [{len(q.errors)} errors]" if q is not None and q.errors else ""
            row.append(_qps(q) + empty + errors)
        rows.append(row)
    return Table(
        "Queries per second (in parentheses: queries with no hits)", ["category", *labels], rows
    )


def latency_ratios(step: Step) -> Table:
    """Bahth's p50 and p95 over each peer's, per category."""
    bahth = next((label for label in step.queries if is_bahth(label)), None)
    peers = [label for label in step.queries if not is_bahth(label)]
    rows = []
    for category in CATEGORIES:
        row = [category]
        ours = step.queries[bahth].get(category) if bahth else None
        for peer in peers:
            theirs = step.queries[peer].get(category)
            if ours is None or theirs is None or ours.summary is None or theirs.summary is None:
                row.append("n/a")
                continue
            p50 = _ratio(ours.summary.p50, theirs.summary.p50)
            p95 = _ratio(ours.summary.p95, theirs.summary.p95)
            row.append(f"{p50} / {p95}")
        rows.append(row)
    return Table(
        f"Query latency, {bahth} ÷ peer (p50 / p95)",
        ["category", *peers],
        rows,
        "above 1×: Bahth slower. Bahth also builds 10 snippets per query; peers return ids only.",
    )


def snippets(step: Step) -> Table | None:
    """make_snippet time per query and per hit."""
    if step.snippets is None:
        return None
    rows = []
    for name, s in [
        ("per query (all hits)", step.snippets.per_query),
        ("per hit", step.snippets.per_hit),
        *step.snippets.by_category.items(),
    ]:
        rows.append(
            [name, str(s.n), _num(s.p50, 2), _num(s.p95, 2), _num(s.p99, 2), _num(s.max, 2)]
        )
    return Table(
        "Snippets: make_snippet for a query's hits (up to 10), ms",
        ["", "queries", "p50", "p95", "p99", "max"],
        rows,
        "Rows by category are per query. End-to-end search with snippets: see the latency table.",
    )


def targets(verdicts: list[Verdict]) -> Table:
    """The issue's targets, met or missed."""
    return Table(
        "Targets (2-core machine, full 72k corpus)",
        ["target", "measured", "status"],
        [[v.target, v.measured, v.status] for v in verdicts],
        left=3,
    )


def skipped(step: Step) -> Table | None:
    """Engines that did not run, and why."""
    rows = [[b.label, b.skipped or b.failed or ""] for b in step.builds if not b.ok]
    rows += [[label, f"queries failed: {error}"] for label, error in step.query_failures.items()]
    return Table("Not run", ["engine", "reason"], rows, left=2) if rows else None


def growth(steps: list[Step]) -> Table | None:
    """How cost grows with the corpus: one row per --scale step."""
    if len(steps) < 2:
        return None
    labels = list(dict.fromkeys(b.label for s in steps for b in s.builds if b.ok))
    header = ["scale", "articles"] + [f"{label} art/s" for label in labels]
    header += ["bahth index MB", "bahth single p50/p95", "bahth phrase p50/p95"]
    rows = []
    for s in steps:
        row = [f"×{s.scale}", f"{s.articles:,}"]
        row += [_num(b.articles_per_s, 0) if (b := s.build(label)) else "–" for label in labels]
        bahth = _bahth_builds(s)
        row.append(_num((bahth[0].bytes_on_disk or 0) / 1e6) if bahth else "–")
        cats = next((c for label, c in s.queries.items() if is_bahth(label)), {})
        for category in ("single", "phrase"):
            q = cats.get(category)
            row.append(f"{q.summary.p50:.1f} / {q.summary.p95:.1f}" if q and q.summary else "–")
        rows.append(row)
    return Table("Growth with corpus size (--scale)", header, rows)


def for_step(step: Step, verdicts: list[Verdict]) -> list[Table]:
    """All the tables of one step, in report order."""
    tables = [indexing(step), indexing_ratios(step)]
    if step.queries:
        tables += [latency(step), throughput(step), latency_ratios(step)]
    tables += [snippets(step), targets(verdicts), skipped(step)]
    return [t for t in tables if t is not None]

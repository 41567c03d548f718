"""The scale benchmark (issue 24): how indexing, updates and queries grow with the archive.

    python -m benchmarks.scale --articles 72000,290000[,1000000] [--engine tantivy]
                               [--workdir DIR] [--seed 24] [--per-kind 30] [--keep]
    python -m benchmarks.scale --from-json DIR/results.json [--markdown] [--project 1000000]

For each size, in one run and one size at a time: generate that many distinct articles
(``benchmarks.scale.generate``) plus 1,001 newer ones, then, each step in a fresh interpreter
(``benchmarks.scale.job``) with the RSS of its whole process tree sampled
(``benchmarks.scale.tree``):

1. first build (wall, CPU, articles/s overall and by tenth of the run, peak RSS of the main
   process and of the tree, index size on disk);
2. the same file again: an unchanged re-index;
3. +1,000 and then +1 new articles (new ids, the newest month);
4. a delete of one article;
5. the query mix: frequent, rare, multi-word, phrase and prefix queries of
   ``benchmarks/queries/queries.tsv``, each in the default mode, with ``facets=True`` and with
   ``collapse=True``, limit 10, after a warm-up pass: p50, p95 and max ms.

The table gives each figure per size and the growth exponent between consecutive sizes,
log(ratio of the figure) / log(ratio of the sizes): 1 is linear, 0 flat. Generated data and
indexes go to ``--workdir`` (default: a new temporary directory), never into the repository;
``results.json`` there is rewritten after every step, so a run cut short keeps what it measured;
sizes measured by an earlier run in the same workdir (same engine and seed) stay in it.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from benchmarks.core.corpora import DEFAULT_DATA, REPO_ROOT, missing
from benchmarks.core.machine import load_average
from benchmarks.core.tables import Table, as_markdown, as_text
from benchmarks.scale.job import KINDS, MODES
from benchmarks.scale.tree import Finished, run_sampled

UPDATE = 1_000  # articles of the larger update batch
TENTHS = 10


def _sizes(text: str) -> list[int]:
    sizes = sorted({int(part.replace("_", "")) for part in text.split(",") if part.strip()})
    if not sizes or sizes[0] < 100:
        raise argparse.ArgumentTypeError("sizes are comma-separated article counts, each >= 100")
    return sizes


def _step(command: list[str]) -> dict[str, Any]:
    """Run one job (a module of this package) and return its figures with the tree's."""
    done: Finished = run_sampled([sys.executable, "-m", *command], REPO_ROOT)
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        tail = "\n".join(done.stderr.strip().splitlines()[-15:])
        raise RuntimeError(f"{' '.join(command[:2])} failed (exit {done.returncode}):\n{tail}")
    figures: dict[str, Any] = json.loads(lines[-1])
    figures.update(wall=done.seconds, cpu=done.cpu_seconds, tree_mb=done.tree_peak_mb)
    return figures


def measure_size(
    size: int, work: Path, engine: str, seed: int, per_kind: int, data: Path, save: Any
) -> dict[str, Any]:
    """Every step at one size; ``save(result)`` is called after each."""
    base, more, one = work / "articles.jsonl", work / "plus1000.jsonl", work / "plus1.jsonl"
    index = work / "index"
    result: dict[str, Any] = {"size": size, "load_before": load_average()}
    print(f"[{size:,}] generating", file=sys.stderr, flush=True)
    generation = ["benchmarks.scale.generate", "--articles", str(size), "--seed", str(seed)]
    generation += ["--out", str(base), "--then", str(more), str(one), "--extra", str(UPDATE), "1"]
    result["generate"] = _step([*generation, "--data", str(data)])
    result["corpus_bytes"] = base.stat().st_size
    with base.open(encoding="utf-8") as lines:
        first_id = json.loads(next(lines))["id"]
    steps = [
        ("build", ["add", "--corpus", str(base)]),
        ("reindex", ["add", "--corpus", str(base)]),
        ("plus1000", ["add", "--corpus", str(more)]),
        ("plus1", ["add", "--corpus", str(one)]),
        ("delete1", ["delete", "--id", first_id]),
        ("query", ["query", "--per-kind", str(per_kind)]),
    ]
    for name, arguments in steps:
        print(f"[{size:,}] {name}", file=sys.stderr, flush=True)
        command = ["benchmarks.scale.job", *arguments, "--index", str(index), "--engine", engine]
        result[name] = _step(command)
        save(result)
    result["load_after"] = load_average()
    save(result)
    return result


def rates_by_tenth(build: dict[str, Any], articles: int) -> list[float]:
    """Articles read per second in each tenth of the articles: the time each tenth was reached,
    interpolated between progress samples (all were read when the commit started)."""
    samples = [(0.0, 0), *map(tuple, build.get("progress", []))]
    if build.get("committing_at") is not None:
        samples.append((build["committing_at"], articles))
    times = []
    for tenth in range(TENTHS + 1):
        goal = articles * tenth / TENTHS
        for (t0, n0), (t1, n1) in itertools.pairwise(samples):
            if n0 <= goal <= n1 and n1 > n0:
                times.append(t0 + (t1 - t0) * (goal - n0) / (n1 - n0))
                break
    if len(times) < TENTHS + 1:
        return []
    return [articles / TENTHS / (b - a) if b > a else 0.0 for a, b in itertools.pairwise(times)]


def _figures(result: dict[str, Any]) -> dict[str, tuple[float, str] | None]:
    """Row label → (value for the exponent, cell text), for one size."""
    rows: dict[str, tuple[float, str] | None] = {}

    def put(label: str, value: float | None, text: str | None = None) -> None:
        rows[label] = None if value is None else (value, text or f"{value:,.1f}")

    size = result["size"]
    build = result.get("build")
    put("articles", size, f"{size:,}")
    put("corpus file MB", result.get("corpus_bytes", 0) / 2**20)
    loads: list[list[float]] = [
        x for x in (result.get("load_before"), result.get("load_after")) if x
    ]
    if len(loads) == 2:  # the machine is shared: how busy it was belongs next to the times
        rows["load average (1 min), before → after"] = (
            0.0,
            " → ".join(f"{x[0]:.1f}" for x in loads),
        )
    if build:
        put("first build wall s", build["wall"])
        put("first build CPU s", build["cpu"])
        put("first build articles/s", size / build["wall"], f"{size / build['wall']:,.0f}")
        rates = rates_by_tenth(build, size)
        if rates:
            put("articles/s, first tenth read", rates[0], f"{rates[0]:,.0f}")
            put("articles/s, last tenth read", rates[-1], f"{rates[-1]:,.0f}")
        if build.get("committing_at") is not None:
            put("build commit s", build["seconds"] - build["committing_at"])
        put("build peak RSS main MB", build["rss_mb"], f"{build['rss_mb']:,.0f}")
        put("build peak RSS tree MB", build["tree_mb"], f"{build['tree_mb']:,.0f}")
        put(
            "index on disk MB",
            build["bytes_on_disk"] / 2**20,
            f"{build['bytes_on_disk'] / 2**20:,.0f}",
        )
    for key, label in (("reindex", "unchanged re-index"), ("plus1000", "+1,000 articles"),
                       ("plus1", "+1 article"), ("delete1", "delete 1 article")):  # fmt: skip
        if step := result.get(key):
            put(f"{label} s", step["wall"], f"{step['wall']:,.2f}")
            put(f"{label} CPU s", step["cpu"], f"{step['cpu']:,.2f}")
            put(f"{label} peak RSS tree MB", step["tree_mb"], f"{step['tree_mb']:,.0f}")
    if query := result.get("query"):
        put("searcher open s", query["open_seconds"], f"{query['open_seconds']:.2f}")
        put("searcher peak RSS MB", query["rss_mb"], f"{query['rss_mb']:,.0f}")
        for mode in MODES:
            for kind in KINDS:
                if times := query["queries"].get(f"{mode}/{kind}"):
                    text = f"{times['p50']:.0f} / {times['p95']:.0f} / {times['max']:.0f}"
                    put(f"{mode} {kind} p50/p95/max ms", times["p95"], text)
    return rows


def _short(size: int) -> str:
    if size >= 1_000_000 and size % 100_000 == 0:
        return f"{size / 1_000_000:g}M"
    return f"{size / 1000:g}k" if size >= 1000 else str(size)


def _number(value: float) -> str:
    return f"{value:,.0f}" if value >= 10 else f"{value:.2f}"


def table(results: list[dict[str, Any]], project: list[int] | None = None) -> Table:
    """Each figure per size, the growth exponent between consecutive sizes and, for each size
    of ``project``, the figure extrapolated from the largest size with the last exponent."""
    per_size = [_figures(r) for r in results]
    sizes = [r["size"] for r in results]
    project = project if len(sizes) >= 2 and project else []
    labels = list(dict.fromkeys(label for figures in per_size for label in figures))
    header = ["figure", *(f"{s:,}" for s in sizes)]
    header += [f"exp {_short(a)}→{_short(b)}" for a, b in itertools.pairwise(sizes)]
    header += [f"≈{s:,} (extrapolated)" for s in project]
    rows = []
    for label in labels:
        cells = [f[label] if f.get(label) else None for f in per_size]
        row = [label, *(c[1] if c else "–" for c in cells)]
        exponent = None
        for (a, low), (b, high) in itertools.pairwise(zip(sizes, cells, strict=True)):
            exponent = None
            if low and high and low[0] > 0 and high[0] > 0 and label != "articles":
                exponent = math.log(high[0] / low[0]) / math.log(b / a)
            row.append("" if exponent is None else f"{exponent:.2f}")
        last = cells[-1]
        for size in project:
            if label == "articles":
                row.append(f"{size:,}")
            elif exponent is None or last is None:
                row.append("")
            else:
                row.append(_number(last[0] * (size / sizes[-1]) ** exponent))
        rows.append(row)
    note = (
        "Exponent: log(figure ratio) / log(size ratio); 1 linear, 0 flat (for query rows, of "
        "the p95). Tree RSS: the summed RSS of the step's process and its descendants, sampled "
        "every 0.2 s."
    )
    if project:
        note += " Extrapolated: the largest size's figure times (size ratio) ** last exponent."
    return Table("Scale benchmark (issue 24)", header, rows, note=note)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark (or re-render a saved run) and print the table."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.scale",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--articles", type=_sizes, default=[72_000, 290_000])
    parser.add_argument("--engine", default="tantivy")
    parser.add_argument("--workdir", type=Path, help="(default: a new temporary directory)")
    parser.add_argument("--seed", type=int, default=24)
    parser.add_argument("--per-kind", type=int, default=30, help="queries per kind (default 30)")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--keep", action="store_true", help="keep each size's files and index")
    parser.add_argument("--from-json", type=Path, help="print the table of a saved run")
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument(
        "--project", type=_sizes, help="sizes to extrapolate the last exponents to (e.g. 1000000)"
    )
    args = parser.parse_args(argv)
    render = as_markdown if args.markdown else as_text
    if args.from_json:
        loaded = json.loads(args.from_json.read_text(encoding="utf-8"))
        print(render(table(loaded["results"], args.project)))
        return 0
    if gone := missing(args.data, "all"):
        parser.error(f"corpora not found: {', '.join(map(str, gone))}")
    work = args.workdir or Path(tempfile.mkdtemp(prefix="bahth-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    out = work / "results.json"
    saved: dict[str, Any] = {"engine": args.engine, "seed": args.seed, "results": []}
    if out.exists():  # other sizes measured earlier in this workdir stay in the table
        earlier = json.loads(out.read_text(encoding="utf-8"))
        if (earlier.get("engine"), earlier.get("seed")) == (args.engine, args.seed):
            saved["results"] = earlier["results"]

    def save(result: dict[str, Any]) -> None:
        others = [r for r in saved["results"] if r["size"] != result["size"]]
        saved["results"] = sorted([*others, result], key=lambda r: r["size"])
        out.write_text(json.dumps(saved, indent=1), encoding="utf-8")

    for size in args.articles:
        folder = work / f"n{size}"
        if folder.exists():
            shutil.rmtree(folder)  # a size is always measured from nothing
        folder.mkdir()
        measure_size(size, folder, args.engine, args.seed, args.per_kind, args.data, save)
        if not args.keep:
            shutil.rmtree(folder)
        print(render(table(saved["results"], args.project)), flush=True)
    print(f"figures: {out}", file=sys.stderr)
    return 0

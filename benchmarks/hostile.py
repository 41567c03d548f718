"""Hostile inputs through ``bahth index``: each a counted reject or a clean index, in memory
that follows the records, not the input.

    python -m benchmarks.hostile [--quick] [--engines whoosh,tantivy] [--baseline-cap-mb 32]
                                 [--cache benchmarks/.cache/hostile] [--json FILE]

Writes each input of issue 26 (kept in ``--cache``, git-ignored; ``--quick`` scales the big ones
down ten times): a JSON array with an element nested 100,000 deep between two good records, and
1,000 and 30,000 deep; a CSV whose quote never closes, followed by 50 MB; one valid JSON line
of 200 MB between two good ones (read with the default limit, then with ``--max-record-mb
300``); a 200 MB line that is not JSON; a gzip of 1 GiB of newlines; lone surrogates escaped
in JSON; a raw NUL byte in a line; an escaped ``\\u0000``. Then runs ``bahth index INPUT --index
FRESH --engine E -q`` on each, for each engine, in a fresh interpreter (``--run``: Bahth's own
command-line entry point, which then prints its figures), and the same for a baseline of good
records of the same size on disk (at most ``--baseline-cap-mb``: indexing good records holds a
batch, whatever the dump's size, so a larger baseline says no more and takes minutes).

Per input and engine: the exit code, the articles indexed and records rejected (from the
summary line), the reasons (from stderr, the path left out), whether a traceback reached
stderr, wall seconds, and peak RSS: ``tree``, the largest sum of the RSS of the process and
its descendants (the analysis processes), sampled every 50 ms from /proc, and ``main``, the
indexing process's own ``VmHWM`` (see ``benchmarks.core.rss``). A process tree above
``--kill-above-mb`` is killed and reported so. Never commit the inputs.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from benchmarks.core import cli, machine
from benchmarks.core.corpora import REPO_ROOT
from benchmarks.core.rss import children_peak_rss_mb, peak_rss_mb
from benchmarks.core.tables import Table, as_markdown, as_text

MB = 2**20
VERSION = 2  # of the inputs: a cache written by another version is written again
DEFAULT_CACHE = REPO_ROOT / "benchmarks" / ".cache" / "hostile"
SAMPLE_SECONDS = 0.05
PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
WORDS = (  # noqa: SIM905 -- an Arabic word list reads best as one string
    "الحكومة الوزير البرلمان المدينة الشركة السوق الاقتصاد النفط الجامعة المستشفى الطاقة "
    "المياه المطار الميناء المحكمة المؤتمر الاتفاق الموازنة الأسعار الاستثمار أعلن قال أكد "
    "افتتح ناقش وقع أطلق استقبل زار ارتفع انخفض شهد قرر طالب دعا حذر"
).split()
SUMMARY = re.compile(r"([\d,]+) read, .*?([\d,]+) rejected")
# What bahth prints about a record: "rejected: PATH:LINE: REASON", "note: PATH:LINE: MESSAGE".
PROBLEM = re.compile(r"^(rejected|note): .*?:\d+: (.*)$")


def good(n: int, rng: random.Random, words: int = 400) -> str:
    """A good record, as a JSON line: about 4 KB, its id ``good-n``."""
    body = " ".join(rng.choice(WORDS) for _ in range(words))
    title = " ".join(rng.choice(WORDS) for _ in range(6))
    record = {"id": f"good-{n}", "title": title, "body": body, "date": "2025-11-02"}
    return json.dumps(record, ensure_ascii=False) + "\n"


def _text(out: IO[str], size: int, rng: random.Random, end: str = " ") -> None:
    """``size`` bytes (about) of Arabic words, written a megabyte at a time, no newline."""
    chunk = " ".join(rng.choice(WORDS) for _ in range(120_000))[: MB // 2] + end
    written = 0
    while written < size:
        out.write(chunk)
        written += len(chunk.encode())


def deep_array(depth: int) -> Callable[[Path, float], None]:
    def write(path: Path, scale: float) -> None:
        rng = random.Random(depth)
        element = "[" * depth + "]" * depth
        path.write_text(
            f"[{good(1, rng).strip()},\n{element},\n{good(2, rng).strip()}]\n", encoding="utf-8"
        )

    return write


def open_quote(path: Path, scale: float) -> None:
    rng = random.Random(1)
    with open(path, "w", encoding="utf-8") as out:
        out.write("id,title,body\n")
        out.write(f"good-1,{' '.join(WORDS[:5])},{' '.join(WORDS[5:40])}\n")
        out.write('open,"عنوان لا يغلق اقتباسه,نص\n')
        _text(out, int(50 * MB * scale), rng, end="\n")  # lines, no quote: it never closes


def long_line(json_record: bool) -> Callable[[Path, float], None]:
    def write(path: Path, scale: float) -> None:
        rng = random.Random(2)
        with open(path, "w", encoding="utf-8") as out:
            out.write(good(1, rng))
            if json_record:
                out.write('{"id": "huge", "title": "سجل من مئتي ميغابايت", "body": "')
            _text(out, int(200 * MB * scale), rng)
            out.write('"}\n' if json_record else "\n")
            out.write(good(2, rng))

    return write


def newlines(path: Path, scale: float) -> None:
    rng = random.Random(3)
    with gzip.open(path, "wb", compresslevel=9) as out:
        out.write(good(1, rng).encode())
        block = b"\n" * (16 * MB)
        for _ in range(int(64 * scale) or 1):  # 64 blocks of 16 MiB: 1 GiB
            out.write(block)
        out.write(good(2, rng).encode())


def small(hostile: str) -> Callable[[Path, float], None]:
    def write(path: Path, scale: float) -> None:
        rng = random.Random(4)
        lines = [good(1, rng), good(2, rng), good(3, rng), hostile + "\n", good(4, rng)]
        path.write_bytes("".join(lines).encode("utf-8"))

    return write


SURROGATES = (
    '{"id": "surrogates", "title": "عنوان مقطوع \\ud83d", "body": "نص فيه \\udfff ونصف زوج '
    '\\ud800 وزوج كامل \\ud83d\\ude00"}'
)
RAW_NUL = '{"id": "nul", "title": "عنوان فيه\x00صفر", "body": "نص"}'
ESCAPED_NUL = '{"id": "escaped-nul", "title": "قبل\\u0000بعد", "body": "نص فيه \\u0000"}'

# name -> (file, writer, extra options of bahth index)
INPUTS: dict[str, tuple[str, Callable[[Path, float], None], list[str]]] = {
    "JSON array, element 100,000 deep": ("deep-100000.json", deep_array(100_000), []),
    "JSON array, element 1,000 deep": ("deep-1000.json", deep_array(1_000), []),
    "JSON array, element 30,000 deep": ("deep-30000.json", deep_array(30_000), []),
    "CSV quote never closed + 50 MB": ("open-quote.csv", open_quote, []),
    "one 200 MB JSON line": ("line-200mb.jsonl", long_line(True), []),
    "one 200 MB JSON line, --max-record-mb 300": (
        "line-200mb.jsonl", long_line(True), ["--max-record-mb", "300"]
    ),
    "one 200 MB line, not JSON": ("text-200mb.jsonl", long_line(False), []),
    "gzip of 1 GiB of newlines": ("newlines.jsonl.gz", newlines, []),
    "lone surrogates (JSON escapes)": ("surrogates.jsonl", small(SURROGATES), []),
    "a raw NUL byte in a line": ("raw-nul.jsonl", small(RAW_NUL), []),
    "an escaped \\u0000": ("escaped-nul.jsonl", small(ESCAPED_NUL), []),
}  # fmt: skip


def prepared(cache: Path, scale: float) -> dict[str, Path]:
    """The input files, written unless the cache holds them for this version and scale."""
    folder = cache / f"v{VERSION}-x{scale:g}"
    folder.mkdir(parents=True, exist_ok=True)
    paths: dict[str, Path] = {}
    for name, (file, write, _) in INPUTS.items():
        path = folder / file
        done = path.with_name(path.name + ".done")
        if not done.exists():
            cli.progress(f"writing {file} ...")
            write(path, scale)
            done.touch()
        paths[name] = path
    return paths


def baseline(cache: Path, size: int) -> Path:
    """A JSON Lines dump of good records of about ``size`` bytes (at least one record)."""
    path = cache / f"v{VERSION}-baseline" / f"good-{size}.jsonl"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        rng = random.Random(size)
        with open(path.with_suffix(".part"), "w", encoding="utf-8") as out:
            written, n = 0, 0
            while written < size or not n:
                line = good(n, rng)
                out.write(line)
                written, n = written + len(line.encode()), n + 1
        path.with_suffix(".part").rename(path)
    return path


# --- one run, in a fresh interpreter -----------------------------------------------------------


def run_here(args: list[str]) -> int:
    """``bahth ARGS`` in this process (the ``--run`` child), then its figures as a JSON line."""
    from search.cli import main as bahth

    code, crashed = 0, False
    try:
        bahth.main(args=args, prog_name="bahth")
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else 0 if done.code is None else 1
    except Exception:  # what a user would see: a traceback, and exit 1
        traceback.print_exc()
        code, crashed = 1, True
    figures = {"exit": code, "main_mb": peak_rss_mb(), "child_mb": children_peak_rss_mb()}
    print(json.dumps({**figures, "crashed": crashed}), flush=True)
    return code


def _tree_rss_mb(root: int) -> float:
    """The RSS of ``root`` and its descendants now, in MB (from /proc)."""
    parents: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat", encoding="ascii", errors="replace") as stat:
                    ppid = int(stat.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            parents.setdefault(ppid, []).append(int(name))
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        stack.extend(parents.get(pid, []))
        try:
            with open(f"/proc/{pid}/statm", encoding="ascii") as statm:
                total += int(statm.read().split()[1])
        except (OSError, ValueError, IndexError):
            continue
    return total * PAGE / MB


def run_child(path: Path, engine: str, options: list[str], kill_mb: float) -> dict[str, Any]:
    """``bahth index PATH`` into a fresh index, in a child interpreter, measured."""
    with tempfile.TemporaryDirectory(prefix="bahth-hostile-") as folder:
        args = ["index", str(path), "--index", str(Path(folder, "index")), "--engine", engine]
        command = [sys.executable, "-m", "benchmarks.hostile", "--run", "--", *args, *options, "-q"]
        started = time.perf_counter()
        child = subprocess.Popen(  # its own group: a kill takes the analysis processes too
            command, cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            start_new_session=True,
        )  # fmt: skip
        output: dict[str, bytes] = {}
        readers = [
            threading.Thread(target=lambda s=s: output.__setitem__(s, getattr(child, s).read()))
            for s in ("stdout", "stderr")
        ]
        for reader in readers:
            reader.start()
        tree, killed = 0.0, False
        while child.poll() is None:
            tree = max(tree, _tree_rss_mb(child.pid))
            if tree > kill_mb and not killed:
                os.killpg(child.pid, signal.SIGKILL)
                killed = True
            time.sleep(SAMPLE_SECONDS)
        seconds = time.perf_counter() - started
        for reader in readers:
            reader.join()
    return outcome(child.returncode, output, seconds, tree, killed)


def outcome(
    code: int, output: dict[str, bytes], seconds: float, tree: float, killed: bool
) -> dict[str, Any]:
    """What a run did, from its exit code, its output and its measures."""
    out = output.get("stdout", b"").decode("utf-8", "replace").strip().splitlines()
    err = output.get("stderr", b"").decode("utf-8", "replace")
    try:
        figures = json.loads(out[-1]) if out else {}
    except ValueError:
        figures = {}
    counts = SUMMARY.search("\n".join(out))
    read, rejected = (int(g.replace(",", "")) for g in counts.groups()) if counts else (0, 0)
    problems = (PROBLEM.match(line) for line in err.splitlines())
    reasons = [("" if p[1] == "rejected" else "note: ") + p[2] for p in problems if p]
    errors = [line for line in err.splitlines() if line.startswith("Error:")]
    main_mb = float(figures.get("main_mb", 0.0))
    return {
        "exit": "killed" if killed else code, "articles": read - rejected, "rejected": rejected,
        "reasons": reasons, "errors": errors, "traceback": "Traceback (most recent" in err,
        "seconds": seconds, "tree_mb": max(tree, main_mb), "main_mb": main_mb,
        "child_mb": figures.get("child_mb"),
    }  # fmt: skip


# --- tables ------------------------------------------------------------------------------------


def _mb(size: int) -> str:
    return f"{size / MB:,.1f} MB" if size >= MB / 10 else f"{size / 1024:,.1f} KB"


def results_table(results: list[dict[str, Any]]) -> Table:
    rows = []
    for r in results:
        base = r["baseline"]
        rows.append([
            r["input"], r["engine"], _mb(r["bytes"]), str(r["exit"]), f"{r['articles']:,}",
            f"{r['rejected']:,}", "yes" if r["traceback"] else "no", f"{r['seconds']:.1f}",
            f"{r['tree_mb']:,.0f}", f"{r['main_mb']:,.0f}", _mb(base["bytes"]),
            f"{base['articles']:,}", f"{base['seconds']:.1f}", f"{base['tree_mb']:,.0f}",
        ])  # fmt: skip
    header = ["input", "engine", "on disk", "exit", "articles", "rejected", "traceback"]
    header += ["wall s", "tree MB", "main MB", "baseline", "its articles", "its s", "its tree MB"]
    note = (
        "tree MB: peak RSS of bahth index and its analysis processes (sampled); main MB: the "
        "indexing process's own peak (VmHWM); baseline: good records of the same size on disk "
        "(capped), indexed in the same run"
    )
    return Table("bahth index on hostile inputs", header, rows, note, left=2)


def reasons_table(results: list[dict[str, Any]]) -> Table:
    by_input: dict[str, list[dict[str, Any]]] = {}
    for r in results:
        by_input.setdefault(r["input"], []).append(r)
    rows = []
    for name, runs in by_input.items():
        said = {tuple(r["reasons"] + r["errors"]) for r in runs}
        shown = "; ".join(runs[0]["reasons"] + runs[0]["errors"]) or "(none)"
        same = "yes" if len(said) == 1 else "NO"
        rows.append([name, shown, same])
    header = ["input", "rejects and errors (stderr, the path left out)", "engines agree"]
    return Table("What each input gave", header, rows, left=2)


def main(argv: list[str] | None = None) -> int:
    """Write the inputs, run bahth index on each and on its baseline, print the tables."""
    raw = list(sys.argv[1:] if argv is None else argv)
    if raw[:1] == ["--run"]:  # the child's job: bahth, then its figures
        return run_here(raw[2:] if raw[1:2] == ["--"] else raw[1:])
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.hostile", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--quick", action="store_true", help="the big inputs ten times smaller")
    parser.add_argument("--engines", default="whoosh,tantivy", help="comma-separated")
    parser.add_argument("--only", help="run the inputs whose name holds this text")
    parser.add_argument("--baseline-cap-mb", type=float, default=32.0)
    parser.add_argument("--kill-above-mb", type=float, default=12_000.0)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="where inputs are kept")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(raw)
    scale = 0.1 if args.quick else 1.0
    info = machine.describe()
    cli.progress(machine.one_line(info))
    paths = prepared(args.cache, scale)
    baselines: dict[tuple[int, str], dict[str, Any]] = {}
    results: list[dict[str, Any]] = []
    for name, (_, _, options) in INPUTS.items():
        if args.only and args.only not in name:
            continue
        path = paths[name]
        size = path.stat().st_size
        for engine in args.engines.split(","):
            figures = run_child(path, engine, options, args.kill_above_mb)
            base_size = int(min(size, args.baseline_cap_mb * MB))
            if (base_size, engine) not in baselines:
                base = baseline(args.cache, base_size)
                baselines[base_size, engine] = {
                    **run_child(base, engine, [], args.kill_above_mb),
                    "bytes": base.stat().st_size,
                }
            figures.update(
                input=name, engine=engine, bytes=size, baseline=baselines[base_size, engine]
            )
            cli.progress(
                f"  {name} [{engine}]: exit {figures['exit']}, {figures['articles']} articles, "
                f"{figures['rejected']} rejected, {figures['seconds']:.1f} s, "
                f"{figures['tree_mb']:.0f} MB"
            )
            results.append(figures)
    info.update(load_end=machine.load_average(), revision_end=machine.code_revision())
    print(machine.one_line(info) + f"; load {info['load_end']} at end\n")
    for table in (results_table(results), reasons_table(results)):
        print(as_text(table) + "\n")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        report = {"machine": info, "scale": scale, "results": results}
        args.json.write_text(json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8")
        markdown = "\n\n".join(
            as_markdown(t) for t in (results_table(results), reasons_table(results))
        )
        args.json.with_suffix(".md").write_text(markdown + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

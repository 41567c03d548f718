"""Xapian shards (issue 23): one database, local shards and loopback shards, against tantivy.

    python -m benchmarks.shards [--articles N] [--configs tantivy xapian ...] [--workers 2]
                                [--per-category 50] [--queries FILE] [--data ../shared/data]
                                [--work DIR] [--markdown]

Indexes the three shared news corpora (interleaved, ``benchmarks.core.corpora``; the first
``--articles`` only when given) once per configuration, one after the other:

tantivy         the baseline, ``Indexer(engine="tantivy")``
xapian          one local Xapian database
xapian-2        2 local shards (``shards=2``: a thread writes each)
xapian-tcp-2    2 shards served by ``bahth shard serve --writable`` (xapian-tcpsrv) on
xapian-tcp-4    127.0.0.1, listed in a cluster file (``cluster=FILE``): 2 or 4 servers

Each build runs in a child process of its own session, so the peak RSS of its process tree
(the indexer and its analysis processes, summed, sampled from /proc every 0.1 s) is its own;
each server is started in a session of its own too (xapian-tcpsrv forks a process per
connection) and its group is sampled the same way, while indexing and while searching. The
queries are ``--per-category`` of each category of the speed benchmark's query file, run as a
user types them, 10 hits with snippets, after ``--warmup`` untimed ones.

Every xapian configuration must answer every query as the single database does: the same
total and the same top 10 ids, scores equal to 6 decimals; the disagreements are counted.
"Overlap" is the mean over queries (with hits on either side) of the share of the top 10 that
xapian and tantivy have in common. Progress goes to stderr, the table to stdout.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.core import cli, corpora, machine
from benchmarks.core.corpora import REPO_ROOT
from benchmarks.core.rss import peak_rss_mb
from benchmarks.core.tables import Table, as_markdown, as_text
from benchmarks.peers._common import dir_bytes
from benchmarks.speed import queryset
from benchmarks.speed.stats import Summary

# The command runs through this interpreter with the tree's ``search`` first on the path, as
# benchmarks.startup does, so an installed ``bahth`` of another version is not what is measured.
BAHTH = [sys.executable, "-c", "import sys; from search.cli import main; sys.exit(main())"]
SAMPLE_SECONDS = 0.1
SERVER_START_SECONDS = 20.0
SCORE_DIGITS = 6
MB = 1024 * 1024


@dataclass(frozen=True)
class Config:
    """One way to build the index: an engine, and for xapian its shards."""

    name: str
    engine: str
    shards: int = 1
    remote: bool = False

    @property
    def label(self) -> str:
        if self.engine == "tantivy":
            return "tantivy (baseline)"
        if self.shards == 1:
            return "xapian, 1 local db"
        return f"xapian, {self.shards} {'loopback' if self.remote else 'local'} shards"


CONFIGS = {
    c.name: c
    for c in (
        Config("tantivy", "tantivy"),
        Config("xapian", "xapian"),
        Config("xapian-2", "xapian", 2),
        Config("xapian-tcp-2", "xapian", 2, remote=True),
        Config("xapian-tcp-4", "xapian", 4, remote=True),
    )
}
REFERENCE = "xapian"  # the configuration the other xapian ones must agree with

# total, top 10 as (id, score, date): the date is what a date-sorted search orders by
Answer = tuple[int, list[tuple[str, float, str]]]


@dataclass
class Outcome:
    """What one configuration measured."""

    config: Config
    seconds: float = 0.0
    articles: int = 0
    size_bytes: int = 0
    tree_peak_mb: float = 0.0
    indexer_hwm_mb: float = 0.0
    servers: list[tuple[float, float]] = field(default_factory=list)  # MB: indexing, searching
    latency: Summary | None = None
    answers: list[Answer] = field(default_factory=list)
    failed: str | None = None


class TreeSampler(threading.Thread):
    """Samples the RSS of process trees (a process and its descendants, found by parent id
    in /proc: Bahth's analysis processes run in sessions of their own, xapian-tcpsrv forks a
    process per connection), and keeps each tree's peak since it was last taken."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self._peaks: dict[int, float] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._page = os.sysconf("SC_PAGE_SIZE")

    def watch(self, root: int) -> None:
        with self._lock:
            self._peaks[root] = 0.0

    def take(self, root: int) -> float:
        """The tree's peak RSS in MB since ``watch`` or the last ``take`` (sampled once more
        now, so a short phase is not missed)."""
        self._sample()
        with self._lock:
            peak = self._peaks.get(root, 0.0)
            self._peaks[root] = 0.0
        return peak

    def stop(self) -> None:
        self._stop.set()

    def run(self) -> None:
        while not self._stop.wait(SAMPLE_SECONDS):
            self._sample()

    def _sample(self) -> None:
        with self._lock:
            roots = list(self._peaks)
        if not roots:
            return
        children: dict[int, list[int]] = {}
        for entry in os.scandir("/proc"):
            if entry.name.isdigit():
                try:
                    # After the command name (which may hold spaces): state ppid ...
                    stat = Path(entry.path, "stat").read_text()
                    parent = int(stat.rsplit(")", 1)[1].split()[1])
                except (OSError, IndexError, ValueError):
                    continue  # the process ended meanwhile
                children.setdefault(parent, []).append(int(entry.name))
        totals = {}
        for root in roots:
            pages, stack = 0, [root]
            while stack:
                pid = stack.pop()
                stack.extend(children.get(pid, ()))
                try:
                    pages += int(Path(f"/proc/{pid}/statm").read_text().split()[1])
                except (OSError, IndexError, ValueError):
                    continue
            totals[root] = pages * self._page / MB
        with self._lock:
            for root, rss in totals.items():
                if root in self._peaks:
                    self._peaks[root] = max(self._peaks[root], rss)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(directory: Path, log: Path) -> tuple[subprocess.Popen[Any], int]:
    """``bahth shard serve DIRECTORY --writable`` on a free port, once it accepts connections."""
    port = free_port()
    command = [*BAHTH, "shard", "serve", str(directory), "--port", str(port), "--writable"]
    with log.open("ab") as sink:
        server = subprocess.Popen(
            command, cwd=REPO_ROOT, stdout=sink, stderr=sink, start_new_session=True
        )
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server of {directory} exited: see {log}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return server, port
        except OSError:
            time.sleep(0.1)
    stop_group(server)
    raise RuntimeError(f"the server of {directory} did not listen within {SERVER_START_SECONDS}s")


def stop_group(process: subprocess.Popen[Any]) -> None:
    """End a process and everything in its group (xapian-tcpsrv's per-connection children)."""
    with contextlib.suppress(ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=5)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # what is left: the leader, or its children
    process.wait()


def build(
    config: Config,
    corpus: Path,
    index: Path,
    cluster: Path | None,
    workers: int,
    sampler: TreeSampler,
) -> dict[str, Any]:
    """Build in a child process of its own group; its figures, and its tree's peak RSS."""
    command = [sys.executable, "-m", "benchmarks.shards", "child", "--engine", config.engine]
    command += ["--corpus", str(corpus), "--index", str(index), "--workers", str(workers)]
    if cluster is not None:
        command += ["--cluster", str(cluster)]
    elif config.shards > 1:
        command += ["--shards", str(config.shards)]
    child = subprocess.Popen(
        command,
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    sampler.watch(child.pid)
    try:
        out, err = child.communicate()
    finally:
        stop_group(child)  # nothing of a failed build keeps running
    lines = out.strip().splitlines()
    if child.returncode != 0 or not lines:
        code = child.returncode
        how = f"killed by {signal.Signals(-code).name}" if code < 0 else f"exit {code}"
        raise RuntimeError(f"{how}: {err.strip()[-2000:]}")
    figures: dict[str, Any] = json.loads(lines[-1])
    figures["tree_peak_mb"] = sampler.take(child.pid)
    return figures


def child_main(argv: list[str]) -> None:
    """The build child: index, then print one JSON line with what it took."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.shards child")
    parser.add_argument("--engine", required=True)
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--workers", type=int, required=True)
    parser.add_argument("--shards", type=int)
    parser.add_argument("--cluster", type=Path)
    args = parser.parse_args(argv)
    from search import Indexer

    indexer = Indexer(
        args.index,
        engine=args.engine,
        workers=args.workers,
        shards=args.shards,
        cluster=args.cluster,
    )
    started = time.perf_counter()
    report = indexer.add_files([args.corpus])
    seconds = time.perf_counter() - started
    figures = {"seconds": seconds, "articles": report.added + report.updated}
    print(json.dumps({**figures, "rejected": report.rejected, "hwm_mb": peak_rss_mb()}))


def ask(searcher: Any, query: queryset.Query) -> Answer:
    results = searcher.search(query.text, limit=10, **query.search_options)
    return results.total, [(hit.id, hit.score, str(hit.date)) for hit in results.hits]


def run_queries(
    index: Path, queries: list[queryset.Query], warmup: int
) -> tuple[Summary, list[Answer]]:
    """Each query once, timed end to end with its 10 snippets, after ``warmup`` untimed."""
    from search import Searcher

    with Searcher(index) as searcher:
        for query in queries[:warmup]:
            ask(searcher, query)
        times, answers = [], []
        for query in queries:
            started = time.perf_counter()
            answers.append(ask(searcher, query))
            times.append((time.perf_counter() - started) * 1000)
    return Summary.of(times), answers


def measure(
    config: Config,
    args: argparse.Namespace,
    corpus: Path,
    work: Path,
    queries: list[queryset.Query],
    sampler: TreeSampler,
) -> Outcome:
    """Build, size, search and stop one configuration (its servers included)."""
    outcome = Outcome(config)
    home = work / config.name
    home.mkdir(parents=True)
    servers: list[tuple[subprocess.Popen[Any], Path]] = []
    cluster = None
    try:
        if config.remote:
            ports = []
            for n in range(1, config.shards + 1):
                server, port = start_server(home / f"server-{n}", home / "servers.log")
                servers.append((server, home / f"server-{n}"))
                sampler.watch(server.pid)
                ports.append(port)
            cluster = home / "cluster.txt"
            cluster.write_text("".join(f"tcp://127.0.0.1:{p}\n" for p in ports))
        cli.progress(f"[{config.name}] indexing ...")
        figures = build(config, corpus, home / "index", cluster, args.workers, sampler)
        outcome.seconds, outcome.articles = figures["seconds"], figures["articles"]
        outcome.tree_peak_mb, outcome.indexer_hwm_mb = figures["tree_peak_mb"], figures["hwm_mb"]
        indexing = [sampler.take(server.pid) for server, _ in servers]
        outcome.size_bytes = dir_bytes(home / "index") + sum(dir_bytes(d) for _, d in servers)
        cli.progress(
            f"[{config.name}] {outcome.articles:,} articles in {outcome.seconds:.1f} s; "
            f"{len(queries)} queries ..."
        )
        outcome.latency, outcome.answers = run_queries(home / "index", queries, args.warmup)
        outcome.servers = [
            (peak, sampler.take(server.pid))
            for peak, (server, _) in zip(indexing, servers, strict=True)
        ]
    except Exception as error:  # reported in the table; the other configurations still run
        outcome.failed = f"{type(error).__name__}: {error}"
        cli.progress(f"[{config.name}] failed: {outcome.failed}")
    finally:
        for server, _ in servers:
            stop_group(server)
    return outcome


def disagreements(answers: list[Answer], reference: list[Answer]) -> dict[str, int]:
    """How many queries differ from the reference: in total, in top-10 ids, in top-10 ids
    beyond the order of ties, in scores (to ``SCORE_DIGITS`` decimals)."""
    found = dict.fromkeys(("totals", "ids", "beyond_ties", "scores"), 0)
    for (total, top), (ref_total, ref_top) in zip(answers, reference, strict=True):
        found["totals"] += total != ref_total
        if [hit[0] for hit in top] != [hit[0] for hit in ref_top]:
            found["ids"] += 1
            found["beyond_ties"] += not tie_order_only(top, ref_top)
        found["scores"] += len(top) != len(ref_top) or any(
            round(a[1], SCORE_DIGITS) != round(b[1], SCORE_DIGITS)
            for a, b in zip(top, ref_top, strict=False)
        )
    return found


def tie_order_only(top: list[tuple[str, float, str]], ref: list[tuple[str, float, str]]) -> bool:
    """Whether two top 10s differ only among hits that tie (same score and date): the same
    ids under each (score, date), except under the last hit's, which the cut may split."""

    def groups(hits: list[tuple[str, float, str]]) -> dict[tuple[float, str], set[str]]:
        grouped: dict[tuple[float, str], set[str]] = {}
        for hit_id, score, date in hits:
            grouped.setdefault((round(score, SCORE_DIGITS), date), set()).add(hit_id)
        return grouped

    if len(top) != len(ref) or not ref:
        return False
    mine, theirs = groups(top), groups(ref)
    cut = (round(ref[-1][1], SCORE_DIGITS), ref[-1][2])
    if {k: len(v) for k, v in mine.items()} != {k: len(v) for k, v in theirs.items()}:
        return False
    return all(ids == theirs[key] for key, ids in mine.items() if key != cut)


def overlap(answers: list[Answer], other: list[Answer]) -> float:
    """Mean share of the top 10 in common, over queries with hits on either side."""
    shares = []
    for (_, top), (_, their) in zip(answers, other, strict=True):
        mine, theirs = {hit[0] for hit in top}, {hit[0] for hit in their}
        if mine or theirs:
            shares.append(len(mine & theirs) / max(len(mine), len(theirs)))
    return sum(shares) / len(shares) if shares else float("nan")


def table(outcomes: list[Outcome], queries: int) -> Table:
    base = next((o for o in outcomes if o.config.engine == "tantivy" and not o.failed), None)
    ref = next((o for o in outcomes if o.config.name == REFERENCE and not o.failed), None)
    rows = []
    for o in outcomes:
        if o.failed or o.latency is None:
            rows.append([o.config.label, "failed", *[""] * 10])
            continue
        rate = o.articles / o.seconds
        ratio = f"{rate / (base.articles / base.seconds):.2f}x" if base else "n/a"
        agree = "n/a"
        if o.config.engine == "xapian" and ref is not None and o is not ref:
            found = disagreements(o.answers, ref.answers)
            agree = (
                f"{found['totals']} / {found['ids']} ({found['beyond_ties']}) / {found['scores']}"
            )
        elif o is ref:
            agree = "(reference)"
        shared = "n/a"
        if o.config.engine == "xapian" and base is not None:
            shared = f"{overlap(o.answers, base.answers):.3f}"
        servers = " / ".join(f"{max(pair):.0f}" for pair in o.servers) or "-"
        size, tree, hwm = (
            f"{mb:,.0f}" for mb in (o.size_bytes / MB, o.tree_peak_mb, o.indexer_hwm_mb)
        )
        speed = [f"{o.seconds:.1f}", f"{rate:,.0f}", ratio, size]
        latency = [f"{o.latency.p50:.1f}", f"{o.latency.p95:.1f}"]
        rows.append([o.config.label, *speed, *latency, tree, hwm, servers, agree, shared])
    header = ["configuration", "index s", "articles/s", "vs tantivy", "size MB", "p50 ms"]
    header += ["p95 ms", "build tree peak MB", "indexer HWM MB", "server peaks MB"]
    header += ["diffs: totals / ids (beyond ties) / scores", "top-10 overlap vs tantivy"]
    note = (
        f"{queries} queries, 10 hits with snippets each. Build tree: the indexing process and "
        "its analysis processes, RSS summed, sampled every 0.1 s; indexer HWM: the indexing "
        "process's own VmHWM. Server peaks: each xapian-tcpsrv with its per-connection "
        "processes, the higher of its indexing and searching peaks. Diffs: queries whose "
        f"total / top-10 ids / scores (to {SCORE_DIGITS} decimals) differ from the 1-db index; "
        "beyond ties: ids that differ other than in the order of hits with equal score and "
        "date (or at the cut of the top 10 inside such a tie)."
    )
    return Table("Xapian shards against tantivy", header, rows, note)


def main() -> None:
    if sys.argv[1:2] == ["child"]:
        child_main(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, help="the first N articles only")
    parser.add_argument(
        "--configs",
        nargs="+",
        choices=list(CONFIGS),
        default=list(CONFIGS),
        help="configurations to run, in this order (default: all)",
    )
    parser.add_argument("--workers", type=int, default=2, help="analysis processes (default 2)")
    parser.add_argument("--per-category", type=int, default=50, help="queries per category")
    parser.add_argument("--warmup", type=int, default=20, help="untimed queries first")
    parser.add_argument("--queries", type=Path, default=queryset.DEFAULT_QUERIES)
    parser.add_argument("--work", type=Path, help="where to build (default: a temp directory)")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown too")
    parser.add_argument(
        "--answers", type=Path, help="write every configuration's answers here (JSON)"
    )
    cli.add_data(parser)
    args = parser.parse_args()
    if problem := cli.check_corpus(args.data, ["all"]):
        sys.exit(problem)
    selected = queryset.select(
        queryset.load(args.queries), list(corpora.CORPORA), args.per_category
    )
    queries = [q for category in selected.values() for q in category]
    info = machine.describe()
    sampler = TreeSampler()
    sampler.start()
    with tempfile.TemporaryDirectory(dir=args.work) as scratch:
        work = Path(scratch)
        prepared = corpora.prepare(args.data, "all", work / "corpus.jsonl", limit=args.articles)
        cli.progress(f"{prepared.articles:,} articles prepared in {work}")
        outcomes = [
            measure(CONFIGS[name], args, prepared.path, work, queries, sampler)
            for name in args.configs
        ]
    sampler.stop()
    if args.answers:
        answers = {o.config.name: o.answers for o in outcomes}
        texts = [[q.category, q.text, q.search_options] for q in queries]
        args.answers.write_text(json.dumps({"queries": texts, "answers": answers}))
    print(f"python -m benchmarks.shards {shlex.join(sys.argv[1:])}")
    print(f"machine: {machine.one_line(info)}; search/ at end {machine.code_revision()}")
    print(f"{prepared.articles:,} articles ({prepared.per_corpus}), workers {args.workers}")
    result = table(outcomes, len(queries))
    print(as_text(result))
    for o in outcomes:
        for n, (indexing, searching) in enumerate(o.servers, 1):
            print(
                f"  {o.config.name} server {n}: {indexing:.0f} MB indexing, "
                f"{searching:.0f} MB searching"
            )
        if o.failed:
            print(f"  {o.config.name} failed: {o.failed}")
    if args.markdown:
        print()
        print(as_markdown(result))


if __name__ == "__main__":
    main()

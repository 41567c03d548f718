"""``bahth serve`` under load: concurrent clients on the JSON API over SaudiNewsNet.

    python -m benchmarks.load [--indexes DIR] [--engines bahth-whoosh bahth-tantivy]
                              [--clients 8] [--requests 2000] [--data ../shared/data]

For each of Bahth's engines, builds (or reuses, when ``--indexes DIR/<engine>`` already holds
one) an index of SaudiNewsNet with ``benchmarks.core.build``, starts ``bahth serve`` on it as a
child process on a free loopback port, and sends ``--requests`` ``/api/search`` requests from
``--clients`` threads at once, each thread on its own keep-alive connection. The queries are the
speed benchmark's SaudiNewsNet queries (``benchmarks/queries/queries.tsv``: every category, with
their date ranges and date order as URL parameters), in file order, repeated if need be; a
client takes the next one when its last answer is in. A few requests first are not measured
(the first searches load the stemmer's lexicon).

Prints, per engine: requests, errors (anything but 200 with a JSON document; goal 0), p50, p95
and p99 latency seen by the clients (ms, connection included), requests per second over the
whole run, and the server's peak RSS. The clients share the machine with the server, as a
newsroom's browsers would not: on 2 cores, they take part of what the server could use.

Without the shared corpora it prints why and exits 0: it is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from benchmarks.core import cli, corpora, machine, tables
from benchmarks.core.build import build_in_child
from benchmarks.core.corpora import REPO_ROOT
from benchmarks.core.engines import BAHTH_ENGINES
from benchmarks.speed import queryset

BAHTH = [sys.executable, "-c", "import sys; from search.cli import main; sys.exit(main())"]
WARM_UP = 16
_URL = re.compile(r"at (http://\S+/)$")


def build_index(index: Path, data: Path, engine: str) -> None:
    """Index SaudiNewsNet into ``index`` with ``engine``, in a child process."""
    with tempfile.TemporaryDirectory() as scratch:
        prepared = corpora.prepare(data, "snn", Path(scratch) / "snn.jsonl")
        cli.progress(f"building a {prepared.articles:,}-article {engine} index in {index} ...")
        built = build_in_child(engine, prepared.path, index, None)
        if not built.ok:
            sys.exit(f"building the index failed: {built.failed}")
        cli.progress(f"  built in {built.figures['seconds']:.0f} s")


def api_paths(path: Path, count: int) -> list[str]:
    """``count`` ``/api/search`` paths: the SaudiNewsNet queries with their options."""
    queries = [q for q in queryset.load(path) if q.corpus == "snn"]
    paths = []
    for query in itertools.islice(itertools.cycle(queries), count):
        options = {k: v for k, v in query.search_options.items() if v and v != "relevance"}
        paths.append("/api/search?" + urlencode({"q": query.text, **options}))
    return paths


def start_server(index: Path) -> tuple[subprocess.Popen[str], str]:
    """``bahth serve`` on a free port: the process and its URL, once it listens."""
    server = subprocess.Popen(
        [*BAHTH, "serve", "--index", str(index), "--port", "0"],
        cwd=REPO_ROOT,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert server.stderr is not None
    line = server.stderr.readline()
    found = _URL.search(line.strip())
    if not found:
        server.kill()
        sys.exit(f"bahth serve did not start: {line}{server.stderr.read()}")
    # Read what it says from now on (errors, tracebacks), so that a full pipe never stalls it.
    threading.Thread(target=lambda: sys.stderr.writelines(server.stderr), daemon=True).start()
    return server, found[1]


def peak_rss_mb(pid: int) -> float | None:
    """A live process's peak RSS (VmHWM), where /proc has it."""
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="utf-8")
    except OSError:
        return None
    found = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
    return int(found[1]) / 1024 if found else None


class Clients:
    """Threads that each keep one connection to the server and time each request on it."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.local = threading.local()

    def get(self, path: str) -> tuple[float, str | None]:
        """(seconds, None) for a 200 with a JSON document; else (seconds, what went wrong)."""
        started = time.perf_counter()
        try:
            connection = getattr(self.local, "connection", None)
            if connection is None:
                connection = self.local.connection = http.client.HTTPConnection(
                    self.host, self.port, timeout=120
                )
            connection.request("GET", path)
            response = connection.getresponse()
            body = response.read()
            problem = None if response.status == 200 else f"HTTP {response.status}"
            if problem is None:
                json.loads(body)
        except (OSError, http.client.HTTPException, ValueError) as error:
            self.local.connection = None
            problem = type(error).__name__
        return time.perf_counter() - started, problem


def percentile(values: list[float], share: float) -> float:
    """The value below which ``share`` of ``values`` fall (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def run(index: Path, paths: list[str], clients: int) -> dict[str, object]:
    """Serve ``index`` and send ``paths`` from ``clients`` threads; the figures."""
    server, url = start_server(index)
    try:
        pool = Clients(url)
        for path in paths[:WARM_UP]:
            pool.get(path)
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=clients) as executor:
            answers = list(executor.map(pool.get, paths))
        wall = time.perf_counter() - started
        rss = peak_rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=60)
    times = [seconds * 1000 for seconds, _ in answers]
    errors = Counter(problem for _, problem in answers if problem)
    return {
        "requests": len(paths),
        "errors": sum(errors.values()),
        "error_kinds": dict(errors),
        "p50_ms": percentile(times, 0.50),
        "p95_ms": percentile(times, 0.95),
        "p99_ms": percentile(times, 0.99),
        "requests_per_s": len(paths) / wall,
        "server_rss_mb": rss,
    }


def main() -> None:
    """Build or reuse each engine's index, load its server, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--indexes", type=Path, help="keep the indexes in DIR/<engine> (default: a temp dir)"
    )
    parser.add_argument("--engines", nargs="+", choices=BAHTH_ENGINES, default=BAHTH_ENGINES)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--queries", type=Path, default=queryset.DEFAULT_QUERIES)
    cli.add_data(parser)
    args = parser.parse_args()
    info = machine.describe()
    paths = api_paths(args.queries, args.requests)
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        for engine in args.engines:
            index = ((args.indexes or Path(scratch)) / engine).resolve()
            if not (index / "CURRENT").exists():
                if problem := cli.check_corpus(args.data, ["snn"]):
                    print(f"skipped: {problem}")
                    return
                build_index(index, args.data, engine)
            cli.progress(f"{engine}: {len(paths):,} requests from {args.clients} clients ...")
            figures = run(index, paths, args.clients)
            kinds = figures["error_kinds"]
            rss = figures["server_rss_mb"]
            rows.append(
                [
                    engine,
                    f"{figures['requests']:,}",
                    f"{figures['errors']}" + (f" {kinds}" if kinds else ""),
                    f"{figures['p50_ms']:.1f}",
                    f"{figures['p95_ms']:.1f}",
                    f"{figures['p99_ms']:.1f}",
                    f"{figures['requests_per_s']:.1f}",
                    f"{rss:.0f}" if isinstance(rss, float) else "?",
                ]
            )
    table = tables.Table(
        title=f"bahth serve, /api/search on SaudiNewsNet, {args.clients} concurrent clients",
        header=["engine", "requests", "errors", "p50 ms", "p95 ms", "p99 ms", "req/s", "RSS MB"],
        rows=rows,
        note=machine.one_line(info),
    )
    print(tables.as_text(table))
    print()
    print(tables.as_markdown(table))


if __name__ == "__main__":
    main()

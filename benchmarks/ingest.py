"""Reading speed and peak memory of the dump readers, per format, as the dump grows.

    python -m benchmarks.ingest [--sizes 64,256,1024] [--quick] [--data ../shared/data]
                                [--cache benchmarks/.cache/ingest] [--json FILE]

For each size (MB of title + body text, MB = 2**20 bytes; ``--quick``: 16,64) the shared
corpora's records (interleaved, repeated with new ids ``<id>~k`` as needed) are streamed once
into five dumps of the same articles, kept in ``--cache`` for later runs:

- ``jsonl``: JSON Lines, our oldest reader: the baseline;
- ``sgml``: one Arabic Gigaword SGML file (``benchmarks.upstream.gigaword_docs``);
- ``parquet``: one Parquet file, row groups of 5,000 rows (pyarrow's ``ParquetWriter``, a row
  group at a time);
- ``zip-jsonl``: a zip holding the JSON Lines as one deflated member;
- ``zip-array``: a zip holding one JSON array of SaudiNewsNet's upstream records (``content``,
  ``date_extracted``, no id), as SaudiNewsNet publishes them.

Each dump is then read whole by ``search.ingest.read_dump`` in a fresh interpreter
(``python -m benchmarks.ingest --read FILE``), after its bytes were read once into the page
cache, so the figures are the reader's (parsing, not the disk), and its peak RSS is its own
(``VmHWM``, see ``benchmarks.core.rss``). Rates are per wall second; speed and RSS ratios are
against JSON Lines of the same size. The point is the last table: peak RSS from the smallest
size to the largest should stay flat, not grow with the file. Never commit the dumps.
"""

from __future__ import annotations

import argparse
import itertools
import json
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from benchmarks.core import cli, machine
from benchmarks.core.corpora import KEPT_FIELDS, REPO_ROOT, interleaved
from benchmarks.core.rss import peak_rss_mb
from benchmarks.core.tables import Table, as_text
from benchmarks.upstream import gigaword_docs

MB = 2**20
FILES = {
    "jsonl": "dump.jsonl",
    "sgml": "dump.sgml",
    "parquet": "dump.parquet",
    "zip-jsonl": "dump-jsonl.zip",
    "zip-array": "dump-array.zip",
}
ROW_GROUP = 5_000
VERSION = 1  # of what write_dumps writes: a cached size written by another version is rewritten
DEFAULT_CACHE = REPO_ROOT / "benchmarks" / ".cache" / "ingest"


def records(data: Path) -> Iterator[dict[str, Any]]:
    """The shared corpora interleaved (``KEPT_FIELDS``), over and over, copy k with ids ``~k``."""
    for copy in itertools.count():
        for _, record in interleaved(data, "all"):
            if not ((record.get("title") or "").strip() or (record.get("body") or "").strip()):
                continue  # every reader rejects these few alike: leave them out
            kept = {key: record.get(key) for key in KEPT_FIELDS}
            if copy:
                kept["id"] = f"{kept['id']}~{copy}"
            yield kept


def snn_shape(record: dict[str, Any]) -> dict[str, Any]:
    """A record as SaudiNewsNet's upstream JSON holds it (no id: ours is made from the url)."""
    return {
        "source": record["source"], "url": record["url"], "date_extracted": record["date"],
        "title": record["title"], "author": None, "content": record["body"],
    }  # fmt: skip


def write_dumps(data: Path, target: int, folder: Path) -> dict[str, Any]:
    """Write the five dumps of at least ``target`` bytes of text into ``folder``, streaming;
    the manifest (articles, text bytes) is written last, so a cut-off run is not reused."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder.mkdir(parents=True, exist_ok=True)
    schema = pa.schema([(key, pa.string()) for key in KEPT_FIELDS])
    articles = text = 0
    current: list[dict[str, Any]] = []  # the record gigaword_docs is writing

    def taken() -> Iterator[dict[str, Any]]:
        nonlocal articles, text
        for record in records(data):
            if text >= target:
                return
            current[:] = [record]
            articles += 1
            text += len((record["title"] or "").encode()) + len((record["body"] or "").encode())
            yield record

    rows: list[dict[str, Any]] = []
    with (
        open(folder / FILES["jsonl"], "w", encoding="utf-8") as jsonl,
        open(folder / FILES["sgml"], "w", encoding="utf-8") as sgml,
        pq.ParquetWriter(folder / FILES["parquet"], schema) as parquet,
        zipfile.ZipFile(folder / FILES["zip-jsonl"], "w", zipfile.ZIP_DEFLATED) as zip_lines,
        zip_lines.open("dump.jsonl", "w", force_zip64=True) as member,
        zipfile.ZipFile(folder / FILES["zip-array"], "w", zipfile.ZIP_DEFLATED) as zip_array,
        zip_array.open("2015-07-21.json", "w", force_zip64=True) as array,
    ):
        array.write(b"[\n")
        for doc in gigaword_docs(taken()):
            record = current[0]
            line = json.dumps(record, ensure_ascii=False) + "\n"
            jsonl.write(line)
            member.write(line.encode())
            sgml.write(doc)
            element = json.dumps(snn_shape(record), ensure_ascii=False, indent=1)
            array.write(((",\n" if articles > 1 else "") + element).encode())
            rows.append(record)
            if len(rows) == ROW_GROUP:
                parquet.write_table(pa.Table.from_pylist(rows, schema), ROW_GROUP)
                rows.clear()
        if rows:
            parquet.write_table(pa.Table.from_pylist(rows, schema), ROW_GROUP)
        array.write(b"\n]\n")
    manifest = {"version": VERSION, "target": target, "articles": articles, "text_bytes": text}
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return manifest


def dumps_of(data: Path, size_mb: int, cache: Path) -> dict[str, Any]:
    """The manifest of the dumps of ``size_mb``, written unless the cache holds them."""
    folder = cache / f"{size_mb}mb"
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        if manifest["version"] == VERSION and manifest["target"] == size_mb * MB:
            return dict(manifest)
    except (OSError, ValueError, KeyError):
        pass
    (folder / "manifest.json").unlink(missing_ok=True)
    cli.progress(f"writing {size_mb} MB of text in {len(FILES)} formats ...")
    started = time.perf_counter()
    manifest = write_dumps(data, size_mb * MB, folder)
    cli.progress(f"  {manifest['articles']:,} articles in {time.perf_counter() - started:.0f} s")
    return manifest


def read_all(path: Path) -> dict[str, Any]:
    """In this process: read ``path`` whole with ``read_dump``, count and time it."""
    from search.article import Article
    from search.ingest import Reject, read_dump

    base = peak_rss_mb()
    counts = {"articles": 0, "rejects": 0, "notes": 0}
    wall, cpu = time.perf_counter(), time.process_time()
    for record in read_dump([path]):
        kind = type(record)
        counts["articles" if kind is Article else "rejects" if kind is Reject else "notes"] += 1
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {**counts, "seconds": wall, "cpu_seconds": cpu, "rss_mb": peak_rss_mb(), "base_mb": base}


def read_in_child(path: Path) -> dict[str, Any]:
    """``read_all`` in a fresh interpreter, after the file's bytes are in the page cache."""
    with open(path, "rb") as warm:
        while warm.read(8 * MB):
            pass
    command = [sys.executable, "-m", "benchmarks.ingest", "--read", str(path)]
    done = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"reading {path.name} failed:\n{done.stderr[-3000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def figures_table(results: list[dict[str, Any]]) -> Table:
    """Every format at every size, with its ratios to JSON Lines of the same size."""
    base = {r["size_mb"]: r for r in results if r["format"] == "jsonl"}
    rows = []
    for r in results:
        jsonl = base[r["size_mb"]]
        text_mb = r["text_bytes"] / MB
        rows.append([
            f"{r['size_mb']:,} MB", r["format"], f"{r['articles']:,}",
            f"{r['disk_bytes'] / MB:,.0f}", f"{text_mb:,.0f}", f"{r['seconds']:.1f}",
            f"{r['cpu_seconds']:.1f}",
            f"{r['articles'] / r['seconds']:,.0f}", f"{text_mb / r['seconds']:.1f}",
            f"{r['rss_mb']:.0f}", f"{jsonl['seconds'] / r['seconds']:.2f}x",
            f"{r['rss_mb'] / jsonl['rss_mb']:.2f}x",
        ])  # fmt: skip
    header = ["size", "format", "articles", "MB on disk", "MB text", "wall s", "CPU s"]
    header += ["articles/s", "MB/s", "peak RSS MB", "speed vs JSONL", "RSS vs JSONL"]
    note = "MB/s: MB of title + body text per wall second; speed vs JSONL > 1: faster"
    return Table("Reading each dump whole with read_dump", header, rows, note, left=2)


def growth_table(results: list[dict[str, Any]]) -> Table:
    """Peak RSS at the smallest and the largest size, per format, beside the file's growth."""
    sizes = sorted({r["size_mb"] for r in results})
    at = {(r["format"], r["size_mb"]): r for r in results}
    rows = []
    for name in FILES:
        small, large = at[name, sizes[0]], at[name, sizes[-1]]
        rows.append([
            name, f"{small['rss_mb']:.0f}", f"{large['rss_mb']:.0f}",
            f"{round(large['rss_mb'] - small['rss_mb']):+d}",
            f"{large['rss_mb'] / small['rss_mb']:.2f}x",
            f"{large['disk_bytes'] / small['disk_bytes']:.1f}x",
        ])  # fmt: skip
    header = ["format", f"RSS MB at {sizes[0]:,}", f"at {sizes[-1]:,}", "growth MB"]
    header += ["RSS ratio", "file ratio"]
    return Table(f"Peak RSS from {sizes[0]:,} MB to {sizes[-1]:,} MB of text", header, rows)


def check_counts(results: list[dict[str, Any]]) -> str:
    """Whether every format gave every article written, and nothing else, at each size."""
    wrong = [
        f"{r['format']} at {r['size_mb']} MB: {r['articles']:,} articles of {r['written']:,}, "
        f"{r['rejects']} rejects"
        for r in results
        if r["articles"] != r["written"] or r["rejects"]
    ]
    if wrong:
        return "counts DISAGREE: " + "; ".join(wrong)
    per_size = ", ".join(f"{r['written']:,}" for r in results if r["format"] == "jsonl")
    return f"counts agree: every format read every article written ({per_size}), no rejects"


def main(argv: list[str] | None = None) -> int:
    """Write the dumps, read each in a child process, print the tables."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.ingest", description=__doc__.split("\n\n")[0]
    )
    cli.add_data(parser)
    parser.add_argument(
        "--sizes", type=cli.positive_ints, default=[64, 256, 1024], help="MB of text"
    )
    parser.add_argument("--quick", action="store_true", help="sizes 16,64")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="where dumps are kept")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--read", type=Path, help=argparse.SUPPRESS)  # the child's job
    args = parser.parse_args(argv)
    if args.read:
        print(json.dumps(read_all(args.read)))
        return 0
    if problem := cli.check_corpus(args.data, ["all"]):
        cli.progress(problem)
        return 1
    sizes = sorted(set([16, 64] if args.quick else args.sizes))
    info = machine.describe()
    cli.progress(machine.one_line(info))
    results: list[dict[str, Any]] = []
    for size in sizes:
        manifest = dumps_of(args.data, size, args.cache)
        for name, file in FILES.items():
            path = args.cache / f"{size}mb" / file
            figures = read_in_child(path)
            figures.update(format=name, size_mb=size, disk_bytes=path.stat().st_size)
            figures.update(written=manifest["articles"], text_bytes=manifest["text_bytes"])
            cli.progress(
                f"  {size} MB {name}: {figures['seconds']:.1f} s, {figures['rss_mb']:.0f} MB"
            )
            results.append(figures)
    info.update(load_end=machine.load_average(), revision_end=machine.code_revision())
    changed = info["revision_end"] != info["revision_start"]
    moved = f"; search/ at {info['revision_end']} at end" if changed else ""
    print(machine.one_line(info) + f"; load {info['load_end']} at end{moved}\n")
    print(as_text(figures_table(results)) + "\n")
    if len(sizes) > 1:
        print(as_text(growth_table(results)) + "\n")
    counts = check_counts(results)
    print(counts)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        report = {"machine": info, "sizes_mb": sizes, "counts": counts, "results": results}
        args.json.write_text(json.dumps(report, indent=1), encoding="utf-8")
    return 0 if counts.startswith("counts agree") else 1


if __name__ == "__main__":
    sys.exit(main())

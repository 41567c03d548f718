"""The shared corpora back in the shapes their authors publish them, to index as a user would.

The files in ``../shared/data`` were converted to our JSONL by hand; real archives come as
SaudiNewsNet's ``dataset/YYYY-MM-DD.zip`` (one JSON array per zip, keys ``source, url,
date_extracted, title, author, content``), ANT's one-``<DOC>``-per-``.txt`` tree, the Arabic
Gigaword's monthly SGML files, or Parquet shards. This writes those shapes from the shared
records, so that ``bahth index`` is tried on them with no flags (issue: dumps as published).

    python -m benchmarks.upstream snn-zips /tmp/snn          # dataset/2015-07-21.zip ...
    python -m benchmarks.upstream ant-sgml /tmp/ant           # culture/JA-culture-1-....txt
    python -m benchmarks.upstream gigaword /tmp/giga --limit 5000   # afp_arb_201507 SGML
    python -m benchmarks.upstream parquet /tmp/snn.parquet    # one Parquet file (pyarrow)

Never commit what it writes: the corpora keep their own (partly non-commercial) licenses.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

from benchmarks.core.corpora import CORPORA, DEFAULT_DATA, read_records

# SaudiNewsNet's upstream keys, in their order.
SNN_KEYS = ("source", "url", "date_extracted", "title", "author", "content")


def snn_records(data: Path = DEFAULT_DATA) -> Iterator[dict[str, Any]]:
    """SaudiNewsNet's records as upstream holds them (keys ``SNN_KEYS``), with the zip each
    came from (``_zip``), in the shared file's order (the upstream order)."""
    for record in read_records(data / CORPORA["snn"]):
        upstream = {
            "source": record["source"],
            "url": record["url"],
            "date_extracted": record["date"],
            "title": record["title"],
            "author": record.get("author"),
            "content": record["body"],
        }
        yield {**upstream, "_zip": record["file"].split(":")[0]}


def write_snn_zips(out: Path, data: Path = DEFAULT_DATA, limit: int | None = None) -> int:
    """``out/dataset/YYYY-MM-DD.zip``, each one ``YYYY-MM-DD.json`` array, as upstream."""
    by_zip: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for record in islice(snn_records(data), limit):
        by_zip[record.pop("_zip")].append(record)
    for name, records in sorted(by_zip.items()):
        path = out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        member = Path(name).with_suffix(".json").name
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(member, json.dumps(records, ensure_ascii=False, indent=1))
    return sum(len(r) for r in by_zip.values())


def ant_doc(record: dict[str, Any]) -> str:
    """One ANT ``<DOC>`` as the corpus writes it (tags on their own lines)."""
    return (
        f"<DOC>\n<DOCNO>{record['id']}</DOCNO>\n<URL>{record.get('url') or ''}</URL> \n"
        f"<SRC>{record.get('source') or ''}</SRC>\n<CAT>{record.get('category') or ''}</CAT>\n"
        f"<TITLE>{record['title']}</TITLE>\n<TIME>{record.get('date') or ''}</TIME>\n"
        f"<ABSTRACT>\n{record.get('abstract') or ''}\n</ABSTRACT>\n"
        f"<TEXT>\n{record['body']}\n</TEXT>\n</DOC>"
    )


def write_ant(out: Path, data: Path = DEFAULT_DATA, limit: int | None = None) -> int:
    """``out/<category>/<id>.txt``, one ANT v1.1 ``<DOC>`` per file, as upstream."""
    count = 0
    for record in islice(read_records(data / CORPORA["ant1"]), limit):
        path = out / (record.get("category") or "none") / f"{_safe(record['id'])}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(ant_doc(record), encoding="utf-8")
        count += 1
    return count


def gigaword_doc(record: dict[str, Any], doc_id: str) -> str:
    """One Arabic Gigaword ``<DOC>``: escaped text, a paragraph per ``<P>``."""
    paragraphs = [p.strip() for p in record["body"].split("\n") if p.strip()]
    text = "".join(f"<P>\n{html.escape(p, quote=False)}\n</P>\n" for p in paragraphs)
    return (
        f'<DOC id="{doc_id}" type="story" >\n<HEADLINE>\n'
        f"{html.escape(record['title'], quote=False)}\n</HEADLINE>\n<TEXT>\n{text}</TEXT>\n</DOC>\n"
    )


def gigaword_docs(records: Iterable[dict[str, Any]], agency: str = "AFP") -> Iterator[str]:
    """``<DOC>``s with Gigaword ids (``AFP_ARB_20150721.0001``) from records with ISO dates."""
    numbers: dict[str, int] = defaultdict(int)
    for record in records:
        day = re.sub(r"\D", "", str(record.get("date") or ""))[:8] or "20000101"
        numbers[day] += 1
        yield gigaword_doc(record, f"{agency}_ARB_{day}.{numbers[day]:04d}")


def write_gigaword(out: Path, data: Path = DEFAULT_DATA, limit: int | None = None) -> int:
    """``out/afp_arb/afp_arb_YYYYMM`` files of SaudiNewsNet's articles as Gigaword SGML."""
    count = 0
    files: dict[str, Any] = {}
    records = islice(read_records(data / CORPORA["snn"]), limit)
    for doc in gigaword_docs(records):
        month = doc[len('<DOC id="AFP_ARB_') :][:6]  # the id's YYYYMM
        if month not in files:
            path = out / "afp_arb" / f"afp_arb_{month}"
            path.parent.mkdir(parents=True, exist_ok=True)
            files[month] = path.open("w", encoding="utf-8")
        files[month].write(doc)
        count += 1
    for file in files.values():
        file.close()
    return count


def write_parquet(out: Path, data: Path = DEFAULT_DATA, limit: int | None = None) -> int:
    """One Parquet file of SaudiNewsNet's upstream records (row groups of 5,000)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = [{k: r[k] for k in SNN_KEYS} for r in islice(snn_records(data), limit)]
    out.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.Table.from_pylist(rows), out, row_group_size=5000)
    return len(rows)


def _safe(name: str) -> str:
    return re.sub(r"[^\w.-]", "_", name)


WRITERS = {
    "snn-zips": write_snn_zips,
    "ant-sgml": write_ant,
    "gigaword": write_gigaword,
    "parquet": write_parquet,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("shape", choices=WRITERS)
    parser.add_argument("out", type=Path)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args()
    count = WRITERS[args.shape](args.out, args.data, args.limit)
    print(f"{count:,} articles written to {args.out} as {args.shape}")


if __name__ == "__main__":
    main()

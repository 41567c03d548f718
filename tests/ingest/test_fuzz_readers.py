"""The reader fuzz test: random and hostile records through every reader give only
``Article``, ``Reject`` and ``Note``, never an exception; no article carries a lone surrogate
(every text of it encodes as UTF-8, as the engines, the rejects file and a terminal need); and
memory stays under a budget (tracemalloc), with a small record limit so that its paths run.

Records are JSON values of any shape (deep ones too), with field names ours and not, holding
lone surrogates, NUL and other controls, bidi marks, quotes, backslashes, brackets, SGML tags
and entities, and fields past the limit; they are written as JSON Lines, a JSON array (cut
short or with garbage, sometimes), CSV, TSV, TREC/SGML, a scraped page, members of a zip and
Parquet, plain or gzipped. The slow tier tries a few hundred examples in all; ``-m long``
runs thousands.
"""

from __future__ import annotations

import csv
import gzip
import io
import itertools
import json
import tempfile
import tracemalloc
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from search.article import Article
from search.ingest import Note, Reject, read_dump
from search.ingest.fields import FieldMap
from search.ingest.jsonarray import read_json_array

pytestmark = pytest.mark.slow  # hypothesis through every reader: tens of seconds in all

LIMIT = 4 * 1024  # the record limit of the runs: fields past it are common in the examples
# Peak Python memory of reading one example (inputs are at most a few MB): the limit and its
# copies, a zip member's 1 MiB buffer, the interpreter's caches. An unbounded reader passes it
# by far on the deep values (the JSON array reader took gigabytes for a 200 KB file once);
# test_limits.py measures the readers on inputs of tens of megabytes.
BUDGET = 8 * 1024 * 1024
MAX_RECORDS = 20_000  # far more than any example holds

_HEALTH = [HealthCheck.too_slow, HealthCheck.data_too_large]
# Without the explain phase: it traces the test's lines, and its allocations would count.
_PHASES = [Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink]
FAST = settings(max_examples=60, deadline=None, suppress_health_check=_HEALTH, phases=_PHASES)
SLOW = settings(max_examples=1_500, deadline=None, suppress_health_check=_HEALTH, phases=_PHASES)

ATOMS = [
    *("\x00", "\ud800", "\udfff", "\udbff\udc00", "😀", "\x1b[31m", "\x7f", "\x85", "\u202e"),
    *("\u2066", "\ufeff", "\ufffd", '"', '""', "'", "\\", "\\u0000", "\\ud800", "\n", "\r"),
    *("\r\n", "\t", " ", ",", ";", "<DOC>", "</DOC>", "<DOC id=x>", "<DOC id='a b'>", "<TEXT>"),
    *("</TEXT>", "<P>", "<HEADLINE>", "<DATE>", "&amp;", "&#xD800;", "&#0;", "&#x110000;", "<"),
    *("[", "]", "{", "}", ":", "النفط", "عنوان", "تاريخ النشر: 2 / 6 / 1436هـ", "2015-07-21"),
    *("1e400", "-0", "NaN", "٢٠١٥/٠٧/٢١", "x" * 300, "ن" * 5_000),
]
TEXT = st.one_of(
    st.text(max_size=40),
    st.lists(st.sampled_from(ATOMS) | st.text(max_size=4), max_size=25).map("".join),
    st.text(st.characters(categories=["Cs", "Cc", "Cf", "Zl", "Zp"]), max_size=20),
)
NAMES = (
    st.sampled_from(
        [
            *("id", "title", "body", "date", "source", "category", "url", "keywords"),
            *("content", "headline", "tags", "published", "date_extracted", "Title", "BODY"),
            *("النص", "\ud800"),
        ]
    )
    | TEXT
)
SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | TEXT
JSON = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=12,
)
RECORDS = st.dictionaries(NAMES, JSON | TEXT | st.lists(TEXT, max_size=4), max_size=8)


@st.composite
def deep(draw: st.DrawFn) -> str:
    """JSON text nested hundreds or thousands of levels deep."""
    depth = draw(st.integers(90, 3_000))
    opening = draw(st.sampled_from(["[", '{"a":', '[{"title": "x", "b":']))
    closing = "".join("]" if c == "[" else "}" for c in reversed(opening) if c in "[{")
    return opening * depth + "1" + closing * depth


def json_text(value: object, ascii: bool) -> str:
    return json.dumps(value, ensure_ascii=ascii)


# A line or element: a record written as JSON, or hostile text as it is (at times repeated
# into megabytes: far past the limit).
ITEMS = st.lists(
    st.one_of(
        st.tuples(RECORDS, st.booleans()).map(lambda r: json_text(*r)),
        st.tuples(JSON, st.booleans()).map(lambda r: json_text(*r)),
        deep(),
        TEXT,
        st.tuples(TEXT, st.integers(1, 300)).map(lambda t: t[0] * t[1]),
    ),
    max_size=12,
)


def encoded(text: str) -> bytes:
    # Lone surrogates written as UTF-8 would write them (invalid UTF-8: "CESU"), as broken
    # exporters do; the reader replaces and counts them.
    return text.encode("utf-8", "surrogatepass")


def jsonl(items: list[str], newline: str) -> bytes:
    return encoded(newline.join(items) + newline)


def json_array(items: list[str], newline: str, cut: int | None) -> bytes:
    data = encoded("[" + ("," + newline).join(items) + "]")
    return data[:cut] if cut is not None else data


def delimited(rows: list[list[str]], delimiter: str, raw: list[str]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(["id", "title", "body"])
    for row in rows:
        writer.writerow(row)
    return encoded(out.getvalue() + "\n".join(raw))


def sgml(parts: list[str]) -> bytes:
    return encoded("".join(parts))


def zipped(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def read(name: str, data: bytes, compress: bool = False) -> list[object]:
    """Write ``data`` to a file named ``name`` and read it through ``read_dump``, checking
    every record and the memory it took."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, name + (".gz" if compress else ""))
        path.write_bytes(gzip.compress(data, 1) if compress else data)
        tracemalloc.start()
        try:
            # a reader that loops on its input gives records forever: stop it
            found = itertools.islice(read_dump(path, max_record_bytes=LIMIT), MAX_RECORDS)
            records = [check(record) for record in found]
            most = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert len(records) < MAX_RECORDS, records[-3:]
    assert most < BUDGET, f"{most:,} bytes at most, reading {len(data):,}"
    return records


def check(record: object) -> object:
    """``record`` is an article, a reject or a note, and every text in it is valid Unicode."""
    assert type(record) in (Article, Reject, Note), record
    if isinstance(record, Article):
        texts: list[str | None] = [record.id, record.title, record.body, *record.keywords]
        texts += [record.date_text, record.source, record.category, record.url, record.origin]
        for text in texts:
            assert text is None or type(text) is str
            if text is not None:
                text.encode("utf-8")  # raises on a lone surrogate
        assert record.title or record.body
    else:
        str(record).encode("utf-8")
        if isinstance(record, Reject) and record.raw is not None:
            record.raw.encode("utf-8")
    return record


NEWLINES = st.sampled_from(["\n", "\r\n", "\n\n", "\n \t\n"])


def jsonl_case(items: list[str], newline: str, compress: bool) -> None:
    read("dump.jsonl", jsonl(items, newline), compress)


def array_case(items: list[str], newline: str, cut: int | None, compress: bool) -> None:
    read("dump.json", json_array(items, newline, cut), compress)


def delimited_case(rows: list[list[str]], raw: list[str], delimiter: str, compress: bool) -> None:
    read("dump.csv" if delimiter == "," else "dump.tsv", delimited(rows, delimiter, raw), compress)


TAGS = st.sampled_from(
    [
        *("<DOC>", "</DOC>", "<DOC id=AFP_ARB_20010101.0001 type=story>", "<DOCNO>x</DOCNO>"),
        *("<TEXT>", "</TEXT>", "<P>", "</P>", "<HEADLINE>", "</HEADLINE>", "<DATE_TIME>", "\n"),
    ]
)
SGML_PARTS = st.lists(TAGS | TEXT, max_size=40)
ROWS = st.lists(st.lists(TEXT, min_size=1, max_size=4), max_size=8)


@FAST
@given(items=ITEMS, newline=NEWLINES, compress=st.booleans())
def test_json_lines(items: list[str], newline: str, compress: bool) -> None:
    jsonl_case(items, newline, compress)


@FAST
@given(items=ITEMS, newline=NEWLINES, cut=st.none() | st.integers(0, 5_000), gz=st.booleans())
def test_json_arrays(items: list[str], newline: str, cut: int | None, gz: bool) -> None:
    array_case(items, newline, cut, gz)


@FAST
@given(rows=ROWS, raw=st.lists(TEXT, max_size=4), delimiter=st.sampled_from([",", "\t"]))
def test_csv_and_tsv(rows: list[list[str]], raw: list[str], delimiter: str) -> None:
    delimited_case(rows, raw, delimiter, compress=False)


@FAST
@given(parts=SGML_PARTS, compress=st.booleans())
def test_sgml(parts: list[str], compress: bool) -> None:
    read("dump.sgml", sgml(parts), compress)


@FAST
@given(lines=st.lists(TEXT, max_size=20))
def test_pages(lines: list[str]) -> None:
    read("page.txt", encoded("\n".join(lines)))


@FAST
@given(items=ITEMS, rows=ROWS, parts=SGML_PARTS)
def test_zip_members(items: list[str], rows: list[list[str]], parts: list[str]) -> None:
    members = {
        "news/a.jsonl": jsonl(items, "\n"),
        "news/b.json": json_array(items, "\n", None),
        "news/c.csv": delimited(rows, ",", []),
        "news/d.sgml": sgml(parts),
        "news/e.jsonl.gz": gzip.compress(jsonl(items, "\n")),
    }
    read("dump.zip", zipped(members))


@FAST
@given(rows=st.lists(st.tuples(TEXT, TEXT, TEXT | st.none()), max_size=12))
def test_parquet(rows: list[tuple[str, str, str | None]]) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")

    def valid(text: str | None) -> str | None:  # Parquet strings are valid UTF-8
        return None if text is None else text.encode("utf-8", "replace").decode("utf-8")

    names = ["title", "body", "date"]
    columns = {name: [valid(row[i]) for row in rows] for i, name in enumerate(names)}
    schema = pa.schema([(name, pa.string()) for name in names])
    out = io.BytesIO()
    pq.write_table(pa.table(columns, schema=schema), out)
    read("dump.parquet", out.getvalue())


# --- the JSON array's scanner: where the pieces are cut changes nothing -----------------------


def pieces(data: bytes, sizes: list[int]) -> Iterator[tuple[int, bytes]]:
    start, turn = 0, 0
    while start < len(data):
        size = sizes[turn % len(sizes)]
        yield 1, data[start : start + size]
        start, turn = start + size, turn + 1


def outline(records: Iterator[Article | Reject]) -> list[tuple[str, str]]:
    return [(r.id, r.title) if isinstance(r, Article) else ("reject", r.reason) for r in records]


@FAST
@given(items=ITEMS, sizes=st.lists(st.integers(1, 9), min_size=1, max_size=5))
def test_an_array_reads_the_same_whatever_its_pieces(items: list[str], sizes: list[int]) -> None:
    data = json_array(items, "", None).decode("utf-8", "replace").encode("utf-8")
    whole = outline(read_json_array([(1, data)], "a.json", FieldMap()))
    assert outline(read_json_array(pieces(data, sizes), "a.json", FieldMap())) == whole


@FAST
@given(records=st.lists(RECORDS, max_size=8))
def test_an_array_of_records_reads_as_its_lines_do(records: list[dict[str, Any]]) -> None:
    """The same records as a JSON array and as JSON Lines give the same articles."""
    lines = [json_text(r, True) for r in records]
    as_lines = [r for r in read("a.jsonl", jsonl(lines, "\n")) if isinstance(r, Article)]
    as_array = [r for r in read("a.json", json_array(lines, "\n", None)) if isinstance(r, Article)]
    assert [(a.id, a.title, a.body) for a in as_array] == [
        (a.id, a.title, a.body) for a in as_lines
    ]


# --- the long tier -----------------------------------------------------------------------------


@pytest.mark.long
@SLOW
@given(
    items=ITEMS,
    rows=ROWS,
    raw=st.lists(TEXT, max_size=4),
    parts=SGML_PARTS,
    newline=NEWLINES,
    cut=st.none() | st.integers(0, 5_000),
    compress=st.booleans(),
)
def test_many_more_records_through_every_reader(
    items: list[str],
    rows: list[list[str]],
    raw: list[str],
    parts: list[str],
    newline: str,
    cut: int | None,
    compress: bool,
) -> None:
    jsonl_case(items, newline, compress)
    array_case(items, newline, cut, compress)
    delimited_case(rows, raw, ",", compress)
    delimited_case(rows, raw, "\t", compress)
    read("dump.sgml", sgml(parts), compress)
    read("page.txt", encoded(newline.join(raw)), compress)

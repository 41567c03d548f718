"""One stream of a dump (a file, or a member of an archive) -> its records, checked.

The format is the one asked for, else what the name says, else what the content shows
(``formats.sniff``): a ``.txt`` file holding ``<DOC>``s is TREC/SGML (the ANT corpus), not a
scraped page. After the records come the notes about the stream: invalid UTF-8, lone
surrogates replaced, no record at all, and the warnings of ``checks.DumpCheck`` (most articles
without a body or a date). Every reader keeps ``limits`` (see ``limits.py``).
"""

from __future__ import annotations

from collections.abc import Generator, Iterator

from search.article import Article, split_origin
from search.ingest.checks import DumpCheck
from search.ingest.dates import date_problem
from search.ingest.delimited import read_delimited
from search.ingest.fields import FieldMap
from search.ingest.formats import Format, Kind, binary, sniff
from search.ingest.jsonl import read_json_array, read_jsonl
from search.ingest.limits import Limits
from search.ingest.open import StreamBroken, TextFile
from search.ingest.pages import read_page
from search.ingest.parquet import read_parquet
from search.ingest.records import Note, Reject
from search.ingest.repair import Repairs
from search.ingest.sgml import read_sgml
from search.ingest.sources import ParquetSource, Source

_KEYED = ("jsonl", "csv", "tsv", "parquet")  # formats whose records name their fields
# What a name says that settles the format (a .txt may hold <DOC>s; a name without extension
# says nothing).
_BY_NAME: dict[Kind | None, Format] = {"jsonl": "jsonl", "csv": "csv", "tsv": "tsv", "sgml": "sgml"}
_BOM_AND_SPACE = b"\xef\xbb\xbf \t\r\n"


def read_source(
    source: Source,
    kind: Kind | None,
    format: Format | None,
    fallback: Format | None,
    fields: FieldMap,
    check: DumpCheck,
    limits: Limits | None = None,
) -> Generator[Article | Reject | Note, None, None]:
    """The records of ``source``, then its notes. ``kind`` is what its name says, ``format``
    what the caller asked for (None: choose), ``fallback`` the format of a stream whose content
    shows none (None: skip it, with a note). Closes ``source``."""
    count = 0  # articles and rejects
    repairs = Repairs()
    with source:
        try:
            chosen = _choose(source, kind, format, fallback, fields, limits or Limits(), repairs)
            if isinstance(chosen, Note | Reject):  # the stream is skipped, or not text
                yield chosen
                return
            format, records = chosen
            check.start(source.name, keyed=format in _KEYED)
            for record in records:
                count += 1
                yield record
                if type(record) is Article:
                    check.see(record)
                    if record.date is None and record.date_text:
                        yield _unparsed(source.name, record)
        except StreamBroken as e:
            count += 1
            yield Reject(source.name, e.line, e.reason)
        yield from check.end()
        if repairs.count:
            yield Note(
                source.name,
                repairs.first_line or 0,
                "repaired",
                f"{repairs.count} lone surrogate(s) (JSON escapes such as \\ud800) replaced "
                "with U+FFFD (the first on this line)",
                count=repairs.count,
            )
        if isinstance(source, TextFile) and source.replaced:
            yield Note(
                source.name,
                source.first_replaced_line or 0,
                "encoding",
                f"{source.replaced} invalid UTF-8 byte sequence(s) replaced with U+FFFD "
                f"(the first on this line)",
            )
        if not count:
            what = "the file is empty" if not source.size else "no records in it"
            yield Note(source.name, 0, "empty", f"{what}: nothing to index")


def _choose(
    source: Source,
    kind: Kind | None,
    format: Format | None,
    fallback: Format | None,
    fields: FieldMap,
    limits: Limits,
    repairs: Repairs,
) -> tuple[Format, Iterator[Article | Reject]] | Reject | Note:
    """The format of ``source`` and its records, or a ``Reject``/``Note`` saying why nothing
    of it is read."""
    name = source.name
    if isinstance(source, ParquetSource):
        if format not in (None, "parquet"):
            return Reject(name, 0, f"a Parquet file, not {format}")
        return "parquet", read_parquet(source.raw, name, fields, limits)
    head = source.head()
    what = binary(head)
    if what:
        where = f"its {source.compression} data is" if source.compression else "it is"
        return Reject(name, 0, f"not a text dump: {where} {what}")
    if format == "parquet":
        return Reject(name, 0, "not a Parquet file (it does not start with PAR1)")
    if format is None and kind in _BY_NAME:
        format = _BY_NAME[kind]
    if format in (None, "jsonl") and head.lstrip(_BOM_AND_SPACE)[:1] == b"[":
        pieces = source.pieces(limits=limits)
        return "jsonl", read_json_array(pieces, name, fields, limits, repairs)
    lines = source.lines(limits)
    if format is None:
        format, lines = sniff(lines, fields, "pages" if kind == "pages" else fallback)
        if kind == "pages" and format != "sgml":
            format = "pages"  # a .txt file is a page unless it holds <DOC>s
    if format is None:
        return Note(name, 0, "skipped", "skipped: its content is no dump format")
    if format == "jsonl":
        return format, read_jsonl(lines, name, fields, repairs)
    if format in ("csv", "tsv"):
        delimiter = "," if format == "csv" else "\t"
        return format, read_delimited(lines, name, fields, delimiter=delimiter, limits=limits)
    if format == "sgml":
        return format, read_sgml(lines, name, limits)
    return format, read_page(lines, name, limits)


def _unparsed(file: str, article: Article) -> Note:
    """The note about an article whose date could not be read, saying why when that is known
    (a Hijri year outside the calendar)."""
    problem = date_problem(article.date_text)
    why = f": {problem}" if problem else ""
    return Note(file, _line_of(article), "date", f"unparsed date {article.date_text!r}{why}")


def _line_of(article: Article) -> int:
    where = split_origin(article.origin)  # every reader sets it
    return where[1] if where else 0

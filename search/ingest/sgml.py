"""TREC/SGML dumps: ``<DOC>`` records, several to a file (Gigaword, TREC) or one (ANT).

Shapes read (they are SGML, not XML: entities, stray ``&``, unbalanced tags)::

    <DOC id="AFP_ARB_20010101.0001" type="story" >      Arabic Gigaword (LDC): each tag on
    <HEADLINE> ... </HEADLINE>  <DATELINE> ... </DATELINE>   its own line, text wrapped
    <TEXT> <P> ... </P> <P> ... </P> </TEXT> </DOC>          inside <P>

    <DOC><DOCNO>AFP_ARB.20000515.0001</DOCNO><DATE_TIME>2000-05-15 00:03:45</DATE_TIME>
    <BODY><HEADLINE>...</HEADLINE><TEXT>...</TEXT></BODY></DOC>        TREC (fields nested)

    <DOC> <DOCNO>JA-culture-1-20170120</DOCNO> <URL>..</URL> <SRC>..</SRC> <CAT>..</CAT>
    <TITLE>..</TITLE> <TIME>..</TIME> <ABSTRACT>..</ABSTRACT> <TEXT>..</TEXT> </DOC>    ANT

============  ==================================================================================
``id``        ``<DOC id=...>``, else ``<DOCNO>``/``<DOCID>``, else ``article_id(url, title, body)``
``title``     ``<HEADLINE>``/``<TITLE>``/``<HEAD>``/``<HL>``, the first in the DOC, spaces collapsed
``body``      ``<ABSTRACT>`` unless the text starts with it, ``<DATELINE>``, then ``<TEXT>``;
              paragraphs joined by ``"\\n"``. A ``<P>`` is one paragraph (its lines joined by a
              space); outside ``<P>`` each line is one (ANT writes a paragraph per line)
``date``      ``<DATE_TIME>``/``<DATE>``/``<TIME>`` by ``parse_date``, ``date_text`` as published;
              without one, or when it cannot be read, the first ``YYYYMMDD`` run of the id
              that is a real date
``source``    ``<SRC>``/``<SOURCE>``, else the wire of the id (``AFP_ARB_...`` -> ``afp``), else
              the wire of the file's name (``afp_arb_200101.gz`` -> ``afp``)
``category``  ``<CAT>``/``<CATEGORY>``, else ``<DOC type=...>`` (``story``, ``advis``: the
              LDC document type), else ``<DOCTYPE>``
``url``       ``<URL>``; ``origin`` is ``file:line`` of the ``<DOC`` tag; no keywords
============  ==================================================================================

Tolerance, because dumps are untrusted and a broken DOC must not cost the rest of the file:

- Text is trimmed and its runs of spaces collapsed, except in ids and urls (only trimmed).
- Tag names are case-insensitive, attributes may be quoted either way or not at all, and spaces
  inside tags are allowed; a tag must close on its line. Other tags in a field (``<br>``,
  ``<ANNOTATION>``) are dropped with a space. Text in a DOC outside every field (``<TRAILER>``)
  is dropped, unless the DOC has no ``<TEXT>``: then it is the text. A ``<P>`` outside any field
  starts the ``<TEXT>``.
- Entities (``&amp;``, ``&#1604;``) are decoded only when they end in ``;``: a stray ``&``, or
  ``AT&T`` or ``?a=1&copy=2``, stays as written (``html.unescape`` alone would make a ``©``).
- A field that never closes runs to the next field tag or the DOC's end, and is read.
- A ``Reject`` (its ``raw`` the DOC's first ``RAW_LIMIT`` characters) for: a DOC not closed
  before the next ``<DOC``, or before the end of the file; a DOC longer than
  ``Limits.record_bytes`` characters (16 MiB) without ``</DOC>`` (skipped up to its ``</DOC>``
  or the next ``<DOC``, so memory stays bounded); a DOC holding a line that
  ``TextFile.lines()`` did not read (a NUL byte; a ``SkippedLine``); a DOC with no title and
  no text; a DOC whose fields cannot be read (a ``ValueError``, ``OverflowError`` or
  ``RecursionError`` while making its article). A line not read outside any DOC is a reject
  of its own. Text outside every DOC that is not blank is one
  ``Reject`` per gap between DOCs, at its first line. Markup alone there (``<?xml ...?>``,
  a wrapper element) is ignored.

>>> doc = '''<DOC id="AFP_ARB_20010101.0001" type="story" >
... <HEADLINE>القمة العربية &amp; الاقتصاد</HEADLINE>
... <DATELINE>القاهرة 1-1 (اف ب) -</DATELINE>
... <TEXT><P>افتتحت القمة
... أعمالها اليوم.</P><P>وتستمر يومين.</P></TEXT>
... </DOC>'''
>>> article, = read_sgml(doc.splitlines(keepends=True), "afp.sgml")
>>> article.title, article.date, article.source, article.category, article.origin
('القمة العربية & الاقتصاد', datetime.date(2001, 1, 1), 'afp', 'story', 'afp.sgml:1')
>>> print(article.body)
القاهرة 1-1 (اف ب) -
افتتحت القمة أعمالها اليوم.
وتستمر يومين.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterable, Iterator

from search.article import Article, article_id
from search.ingest.dates import MAX_YEAR, MIN_YEAR, parse_date
from search.ingest.limits import MAX_RECORD_BYTES, Limits, SkippedLine, extra_lines, size_text
from search.ingest.records import DATA_ERRORS, Reject, unreadable

# The most text one DOC may hold by default before it is given up (``Limits.record_bytes``):
# far above any news article, low enough that a dump missing its </DOC> tags cannot take the
# machine's memory.
MAX_DOC_CHARS = MAX_RECORD_BYTES
# How much of a rejected DOC is kept in ``Reject.raw``: enough to recognise it.
RAW_LIMIT = 4096

# A tag must not contain < or >, so "a < b" and "<<" stay text; <!...> and <?...?> are markup.
_TAG = re.compile(r"<\s*(/?)\s*([A-Za-z][\w.:-]*)([^<>]*)>|<[!?][^<>]*>")
_ATTR = re.compile(r"""([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_ID_DATE = re.compile(r"(?<![0-9])([0-9]{4})([0-9]{2})([0-9]{2})(?![0-9])")
_WIRE = re.compile(r"(?:^|[^A-Za-z0-9])([A-Za-z]{3})_[A-Za-z]{3}[_.]?[0-9]")
_FIELDS = {
    "DOCNO": "id", "DOCID": "id", "HEADLINE": "title", "TITLE": "title", "HEAD": "title",
    "HL": "title", "DATELINE": "dateline", "TEXT": "text", "ABSTRACT": "abstract",
    "DATE_TIME": "date", "DATE": "date", "TIME": "date", "SRC": "source", "SOURCE": "source",
    "CAT": "category", "CATEGORY": "category", "URL": "url", "DOCTYPE": "doctype",
}  # fmt: skip
# Ids and urls are kept as written (trimmed): a no-break space inside a url is part of it.
_VERBATIM = frozenset({"id", "url"})


def read_sgml(
    lines: Iterable[str], file: str, limits: Limits | None = None
) -> Iterator[Article | Reject]:
    """Articles (or rejects) from the ``<DOC>`` records in ``lines``, numbered from 1."""
    limit = (limits or Limits()).record_bytes
    too_long = (
        f"runs past the limit of {size_text(limit)} a record (--max-record-mb) without "
        "</DOC>: skipped"
    )
    doc: _Doc | None = None
    stray: _Stray | None = None
    skipping = False  # after a DOC too long: up to its </DOC> or the next <DOC
    number = 0
    for line in lines:
        number += 1
        if not line and type(line) is SkippedLine:
            if doc is not None:
                doc.size += line.size
                doc.broken = doc.broken or line.reason
                if doc.size > limit:
                    yield doc.reject(file, too_long)
                    doc, skipping = None, True
            elif not skipping:
                yield Reject(file, number, line.reason, line.raw)
            continue
        if doc is not None:
            doc.at = 0
            doc.size += len(line)
            if doc.size > limit:
                yield doc.reject(file, too_long)
                doc, skipping = None, True
        pos = 0
        # Most lines of a dump are text: no need to look for tags in them.
        for match in _TAG.finditer(line) if "<" in line else ():
            text = line[pos : match.start()]
            pos = match.end()
            if doc is not None:
                doc.text(text)
            elif not skipping and text and not text.isspace():
                stray = stray or _Stray(number)
                stray.keep(number, line)
            name = match.group(2)
            if name is None:
                continue
            name, closing = name.upper(), bool(match.group(1))
            if name != "DOC":
                if doc is not None:
                    doc.tag(name, closing)
            elif closing:
                if doc is not None:
                    doc.keep(line[doc.at : match.end()])
                    yield doc.build(file)
                doc, skipping = None, False
            else:
                if stray is not None:
                    yield stray.reject(file)
                    stray = None
                if doc is not None:
                    doc.keep(line[doc.at : match.start()])
                    next_doc = f"is not closed before the next <DOC> at line {number}"
                    yield doc.reject(file, next_doc)
                doc = _Doc(number, match.group(3), match.start(), len(line) - match.start())
                skipping = False
        text = line[pos:]
        if doc is not None:
            doc.text(text)
            doc.end_line()
            doc.keep(line[doc.at :])
        elif not skipping and text and not text.isspace():
            stray = stray or _Stray(number)
            stray.keep(number, line)
        if line.isspace():  # a run of blank lines comes as one string
            number += extra_lines(line)
    if doc is not None:
        yield doc.reject(file, f"is not closed: the file ends at line {number}")
    if stray is not None:
        yield stray.reject(file)


class _Doc:
    """One DOC being read: its fields as lists of paragraphs, joined once when it ends."""

    def __init__(self, start: int, attrs: str, at: int, size: int) -> None:
        self.start = start
        self.attrs = {
            m.group(1).lower(): _clean(m.group(2) or m.group(3) or m.group(4) or "", True)
            for m in _ATTR.finditer(attrs)
        }
        self.fields: dict[str, list[str]] = {}
        # The open field: "loose" outside every field, "" in a repeated one (dropped).
        self.key = "loose"
        self.para: list[str] = []  # pieces of the paragraph being read
        self.in_p = False
        self.at = at  # where in the current line this DOC's text starts
        self.size = size
        self.raw: list[str] = []  # its first RAW_LIMIT characters, for a reject
        self.raw_size = 0
        self.broken = ""  # why a line of it was not read

    def keep(self, raw: str) -> None:
        if self.raw_size < RAW_LIMIT:
            self.raw.append(raw[: RAW_LIMIT - self.raw_size])
            self.raw_size += len(self.raw[-1])

    def text(self, text: str) -> None:
        if text:
            self.para.append(text)

    def tag(self, name: str, closing: bool) -> None:
        key = _FIELDS.get(name)
        if key is not None:
            self.flush()
            self.in_p = False
            repeated = key != "text" and bool(self.fields.get(key))
            self.key = "loose" if closing else "" if repeated else key
        elif name == "P":
            self.flush()
            if self.key == "loose" and not closing:
                self.key = "text"
            self.in_p = not closing
        else:
            self.para.append(" ")  # <br>, <ANNOTATION>: words on both sides must not glue

    def end_line(self) -> None:
        if self.in_p:
            self.para.append(" ")  # lines of one <P> are one paragraph
        else:
            self.flush()

    def flush(self) -> None:
        if self.para:
            paragraph = _clean("".join(self.para), self.key in _VERBATIM)
            self.para.clear()
            if paragraph and self.key:
                self.fields.setdefault(self.key, []).append(paragraph)

    def one(self, key: str) -> str | None:
        return " ".join(self.fields.get(key, ())) or None

    def reject(self, file: str, why: str) -> Reject:
        return Reject(file, self.start, f"<DOC> at line {self.start} {why}", "".join(self.raw))

    def build(self, file: str) -> Article | Reject:
        if self.broken:
            return self.reject(file, f"has a line that cannot be read: {self.broken}")
        try:
            return self._article(file)
        except DATA_ERRORS as error:
            return unreadable(file, self.start, error, "".join(self.raw))

    def _article(self, file: str) -> Article | Reject:
        self.flush()
        title = self.one("title") or ""
        # Text outside every field (<TRAILER>, <SLUG>) is not the article's, unless the DOC has
        # no <TEXT>: exports that put the text straight in the DOC.
        text = self.fields.get("text") or self.fields.get("loose", [])
        body: list[str] = []
        abstract = self.one("abstract")
        if abstract and not " ".join(text).startswith(abstract):
            body.append(abstract)  # else it would be lost: ANT abstracts are not always a lead
        dateline = self.one("dateline")
        if dateline:
            body.append(dateline)
        body += text
        if not title and not body:
            return Reject(file, self.start, "empty <DOC>: no title or text", "".join(self.raw))
        ident = self.attrs.get("id") or self.one("id")
        url = self.one("url")
        date_text = self.one("date")
        date = parse_date(date_text) if date_text else None
        if date is None and ident:
            # The id's date stands in for a date tag that cannot be read (TREC's US-style
            # 05/13/1994), whose text is kept as published.
            date, id_text = _id_date(ident)
            date_text = date_text or id_text
        name = file.replace("\\", "/").rpartition("/")[2]
        return Article(
            id=ident or article_id(url, title, "\n".join(body)),
            title=title,
            body="\n".join(body),
            date=date,
            date_text=date_text,
            source=self.one("source") or _wire(ident or "") or _wire(name),
            category=self.one("category") or self.attrs.get("type") or self.one("doctype"),
            url=url,
            origin=f"{file}:{self.start}",
        )


class _Stray:
    """Text between DOCs: kept for one reject per gap, so that nothing is dropped unseen."""

    def __init__(self, start: int) -> None:
        self.start = start
        self.last = 0
        self.raw: list[str] = []
        self.raw_size = 0

    def keep(self, number: int, line: str) -> None:
        if number != self.last and self.raw_size < RAW_LIMIT:
            self.raw.append(line)
            self.raw_size += len(line)
        self.last = number

    def reject(self, file: str) -> Reject:
        where = (
            f"line {self.start}" if self.last == self.start else f"lines {self.start}-{self.last}"
        )
        raw = "".join(self.raw)[:RAW_LIMIT]
        return Reject(file, self.start, f"text outside any <DOC> ({where})", raw)


def _clean(text: str, verbatim: bool = False) -> str:
    if "&" in text:
        text = _ENTITY.sub(lambda m: html.unescape(m.group()), text)
    return text.strip() if verbatim else " ".join(text.split())


def _id_date(ident: str) -> tuple[dt.date | None, str | None]:
    """The date an LDC or ANT id is named by (``AFP_ARB_20010101.0001``), if it has one."""
    for match in _ID_DATE.finditer(ident):
        year, month, day = (int(g) for g in match.groups())
        if MIN_YEAR <= year <= MAX_YEAR:
            try:
                return dt.date(year, month, day), match.group()
            except ValueError:  # 20011340: digits, not a date
                continue
    return None, None


def _wire(name: str) -> str | None:
    """The news agency of an LDC id or file name: ``AFP_ARB.2000...``, ``xin_arb_2001...``."""
    match = _WIRE.search(name)
    return match.group(1).lower() if match else None

"""What a run read, checked file by file: the dump fields that filled ours, and files whose
articles mostly came out without a body or without a readable date.

A dump whose body field has a name we do not know indexes as titles alone, and one whose dates
are written in an unknown form indexes with no dates; both runs would otherwise look like
successes. ``DumpCheck`` watches the articles of each file and turns such a file into a
warning ``Note`` that says what was lost and what to do (``--field body=NAME``, naming the
field that holds the longest text when there is one). The first such file is reported as soon
as it has been read; later ones are counted in a note at the end. Files of fewer than ``FEW``
articles (ANT and scraped pages hold one a file) are counted together and checked at the end.

>>> from search.ingest.fields import FieldMap, to_article
>>> fields = FieldMap()
>>> check = DumpCheck(fields)
>>> check.start("news.json", keyed=True)
>>> for n in range(FEW):
...     record = {"title": f"عنوان {n}", "matn": "نص طويل للخبر " * 10}
...     check.see(to_article(record, fields, "news.json", n + 1, ""))
>>> note, = check.end()
>>> note.kind, note.message.endswith("--field body=matn")
('title-only', True)
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from search.article import Article
from search.ingest.dates import parse_date
from search.ingest.fields import FIELDS, FieldMap
from search.ingest.records import Note, NoteKind

# A file is flagged when more than this share of its articles lack a body (or a readable date).
MOSTLY = 0.5
# The first records of each file leave samples of their unmapped fields, for suggestions.
SAMPLED = 50
# A field is suggested for the body when its longest value has at least this many characters.
BODY_LIKE = 80
# A file of fewer articles says little alone (ANT and scraped pages hold one a file): such
# files are counted together and checked at the end of the run.
FEW = 20
_SHOWN = 60  # characters of a sample value shown in a message


@dataclasses.dataclass
class _File:
    name: str
    keyed: bool  # records with named fields (JSON, CSV, Parquet): the names can be mapped
    articles: int = 0
    title_only: int = 0
    dated: int = 0  # articles with a date string
    unparsed: int = 0
    unparsed_sample: str | None = None
    files: int = 1

    def add(self, other: _File) -> None:
        """Count ``other``'s articles with this file's (files of a few articles each)."""
        self.files += other.files
        self.keyed = self.keyed and other.keyed
        self.articles += other.articles
        self.title_only += other.title_only
        self.dated += other.dated
        self.unparsed += other.unparsed
        self.unparsed_sample = self.unparsed_sample or other.unparsed_sample

    @property
    def named(self) -> str:
        if self.files == 1:
            return self.name
        return f"{self.files:,} files of fewer than {FEW} articles each (the first: {self.name})"


@dataclasses.dataclass
class _Flagged:
    """Files flagged for one reason after the first (which had its own note)."""

    files: int = 0
    articles: int = 0
    of: int = 0


class DumpCheck:
    """Counts, per file, the articles without a body and the dates that could not be read."""

    def __init__(self, fields: FieldMap) -> None:
        self.fields = fields
        self._file: _File | None = None
        self._few: _File | None = None  # the files of few articles, together
        self._later: dict[NoteKind, _Flagged] = {}  # kind -> files flagged after the first

    def start(self, name: str, *, keyed: bool) -> None:
        """A new file begins (``keyed``: its records name their fields)."""
        self._file = _File(name, keyed)
        self.fields.sampling = SAMPLED if keyed else 0
        self.fields.samples.clear()

    def see(self, article: Article) -> None:
        """Count ``article``, read from the current file."""
        file = self._file
        assert file is not None, "start() a file first"
        file.articles += 1
        if not article.body:
            file.title_only += 1
        if article.date_text:
            file.dated += 1
            if article.date is None:
                file.unparsed += 1
                if file.unparsed_sample is None:
                    file.unparsed_sample = article.date_text
        elif article.date is not None:  # a date read from a value, not a string
            file.dated += 1

    def end(self) -> list[Note]:
        """The warnings about the file just read: at most one title-only, one no-date."""
        file, self._file = self._file, None
        self.fields.sampling = 0
        if file is None or file.articles >= FEW:
            return self._check(file)
        if self._few is None:
            self._few = file
        else:
            self._few.add(file)
        return []

    def _check(self, file: _File | None) -> list[Note]:
        if file is None or not file.articles:
            return []
        notes = []
        if file.title_only > file.articles * MOSTLY:
            notes.extend(self._flag("title-only", file, file.title_only, file.articles))
        if file.dated and file.unparsed > file.dated * MOSTLY:
            notes.extend(self._flag("no-date", file, file.unparsed, file.dated))
        elif not file.dated and file.keyed and self._date_candidate():
            notes.extend(self._flag("no-date", file, file.articles, file.articles))
        return notes

    def notes(self) -> Iterator[Note]:
        """The notes of the whole run, after its last file: the files of few articles, later
        files flagged, fields used."""
        yield from self._check(self._few)
        for kind, later in self._later.items():
            if not later.files:  # only the first file was flagged: its note said it all
                continue
            what = "without a body" if kind == "title-only" else "without a readable date"
            yield Note(
                "",
                0,
                kind,
                f"and in {later.files:,} more file{'s' if later.files > 1 else ''}, "
                f"{later.articles:,} of {later.of:,} articles {what} (as above)",
            )
        dump = f" (the first record's fields: {', '.join(self.fields.keys)})"
        for ours, theirs in self.fields.unused():
            yield Note(
                "",
                0,
                "field",
                f"no record had a value for {theirs!r}, mapped to our {ours!r} (--field "
                f"{ours}={theirs}): its articles were read without {ours}"
                f"{dump if self.fields.keys else ''}",
            )
        summary = self.fields.summary()
        if summary:
            counts = tuple(
                (ours, theirs, count)
                for ours in FIELDS
                for (o, theirs), count in self.fields.used.most_common()
                if o == ours
            )
            yield Note("", 0, "fields", f"fields: {summary}", counts)

    def _flag(self, kind: NoteKind, file: _File, count: int, of: int) -> list[Note]:
        if kind in self._later:
            later = self._later[kind]
            later.files += 1
            later.articles += count
            later.of += of
            return []
        self._later[kind] = _Flagged()
        message = self._title_only(file) if kind == "title-only" else self._no_date(file)
        return [Note("", 0, kind, message)]

    def _title_only(self, file: _File) -> str:
        head = f"{file.title_only:,} of {file.articles:,} articles in {file.named} have a title "
        if not file.keyed:
            return head + "and no body text"
        names = self.fields.named("body")
        head += f"and no body: no field of theirs is one of the body's names ({names})"
        samples = {k: v for k, v in self.fields.samples.items() if v[0] >= BODY_LIKE}
        if samples:
            name = max(samples, key=lambda k: samples[k][0])
            return (
                f"{head}. The field {name!r} holds the longest text ({_show(samples[name][1])}): "
                f"--field body={name}"
            )
        fields = ", ".join(self.fields.keys) or "none"
        return f"{head}. Their fields: {fields}; name the body's: --field body=NAME"

    def _no_date(self, file: _File) -> str:
        candidate = self._date_candidate()
        fix = (
            f"The field {candidate!r} holds dates ({_show(self.fields.samples[candidate][1])}): "
            f"--field date={candidate}"
            if candidate
            else "If another field holds the date: --field date=NAME"
        )
        lost = "so --since, --until and --sort date pass them by"
        if not file.dated:
            names = self.fields.named("date")
            return (
                f"the {file.articles:,} articles of {file.named} have no date: no field of theirs "
                f"is one of the date's names ({names}), {lost}. {fix}"
            )
        used = sorted({t for (o, t) in self.fields.used if o == "date"})
        field = f" (field {', '.join(map(repr, used))})" if file.keyed and used else ""
        return (
            f"{file.unparsed:,} of {file.dated:,} dates in {file.named}{field} could not be read, "
            f"e.g. {_show(file.unparsed_sample or '')}: those articles are indexed without a date "
            f"(the text is kept), {lost}. {fix}"
        )

    def _date_candidate(self) -> str | None:
        """A sampled field, not mapped to ours, whose longest value reads as a date."""
        return next(
            (name for name, (_, text) in self.fields.samples.items() if parse_date(text)), None
        )


def _show(text: str) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= _SHOWN else text[:_SHOWN] + "…")

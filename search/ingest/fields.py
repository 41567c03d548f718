"""Turn one dump record (a JSON object, a CSV row, a Parquet row) into an ``Article``, or say why.

Dumps name their fields as their authors chose: SaudiNewsNet's bodies are ``content`` and its
dates ``date_extracted``, news-please writes ``maintext`` and ``date_publish``, a CSV export
has ``headline``. ``ALIASES`` lists, for each of our fields, the names dumps use for it; in each
record the first of them that holds a value fills our field. Names are compared without case,
spaces or hyphens (``Date Extracted`` is ``date_extracted``). ``fields={"body": "texte"}``
(``--field body=texte``) replaces the table for that field with the one name given.

>>> fields = FieldMap()
>>> record = {"headline": "عنوان", "content": "نص الخبر", "date_extracted": "2015-07-21 10:12:00"}
>>> article = to_article(record, fields, "news.json", 1, "")
>>> article.title, article.body, article.date
('عنوان', 'نص الخبر', datetime.date(2015, 7, 21))
>>> fields.summary()
'title ← headline, body ← content, date ← date_extracted'

Shared by the JSON, CSV/TSV and Parquet readers, so that all accept the same fields and types.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Mapping

from search.article import Article, article_id
from search.ingest.dates import parse_date
from search.ingest.records import DATA_ERRORS, Reject, unreadable

FIELDS = ("id", "title", "body", "date", "source", "category", "url", "keywords")

# Our field -> the names dumps use for it, most specific first (our own name leads). A name
# belongs to one field only. Gathered from the archives Arabic news comes in: SaudiNewsNet
# (content, date_extracted), news-please (maintext, date_publish, source_domain), NewsAPI
# (publishedAt, description), Hugging Face datasets (text, article, headline), TREC/ANT exports
# (docno, abstract), newsroom CMS exports (section, story, link) and Arabic column names.
ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "doc_id", "docid", "docno", "article_id", "news_id", "guid", "uuid", "_id"),
    "title": ("title", "headline", "heading", "head", "hl", "العنوان"),
    "body": (
        "body", "content", "text", "article", "maintext", "main_text", "story", "article_body",
        "articleBody", "full_text", "fulltext", "النص", "المحتوى", "المتن",
        # a lead or summary is less than the article, but more than a title alone
        "description", "summary", "abstract", "lead",
    ),
    "date": (
        "date", "date_extracted", "published", "date_publish", "date_published", "pub_date",
        "publish_date", "published_at", "publishedAt", "publication_date", "datetime",
        "date_time", "timestamp", "created_at", "created", "time", "التاريخ",
    ),
    "source": (
        "source", "site", "domain", "source_domain", "publisher", "outlet", "newspaper",
        "src", "المصدر", "الموقع",
    ),
    "category": ("category", "section", "topic", "tags", "categories", "cat", "القسم", "التصنيف"),
    "url": ("url", "link", "href", "source_url", "permalink", "الرابط"),
    "keywords": ("keywords", "key_words", "keyphrases", "الكلمات الدلالية", "كلمات دلالية"),
}  # fmt: skip

_KEYWORD_LISTS = re.compile(r"[,،;؛|]")
_SEPARATORS = re.compile(r"[\s\-]+")
# A dump with ever new key sets (hostile, or one object per shape) must not grow the cache.
_MAX_PLANS = 256
_SAMPLE = 200  # characters of a sampled value kept, to show and to try as a date
# Epoch timestamps (``timestamp: 1437465092``): seconds from 1973 on, milliseconds above this.
_EPOCH_SECONDS = (10**8, 10**11)
_EPOCH_MILLIS = (10**11, 10**14)


def field_key(name: str) -> str:
    """How dump field names are compared: without case, surrounding space or hyphens.

    >>> field_key(" Date-Extracted"), field_key("articleBody")
    ('date_extracted', 'articlebody')
    """
    return _SEPARATORS.sub("_", name.strip().casefold())


class FieldMap:
    """Which dump field fills each of ours, record by record, and how often each did.

    ``explicit`` (our name -> the dump's) replaces the alias table for the fields it names.
    ``used`` counts, per (our field, dump field), the articles it gave a value to; ``keys``
    holds the first record's field names, for messages. While ``sampling`` is above zero,
    records count it down and leave in ``samples`` the longest text of each field that filled
    none of ours (what a warning suggests mapping).
    """

    def __init__(self, explicit: Mapping[str, str] | None = None) -> None:
        self.explicit = dict(explicit or {})
        self.used: Counter[tuple[str, str]] = Counter()
        self.keys: list[str] = []
        self.sampling = 0
        self.samples: dict[str, tuple[int, str]] = {}  # name -> (longest length, its start)
        self._plans: dict[tuple[str, ...], dict[str, tuple[str, ...]]] = {}
        taken = set(self.explicit.values())
        self._aliases = {
            ours: tuple(field_key(a) for a in ALIASES[ours])
            for ours in FIELDS
            if ours not in self.explicit
        }
        self._taken = {field_key(t) for t in taken}

    @classmethod
    def of(cls, fields: Mapping[str, str] | None) -> FieldMap:
        """Check a ``fields`` mapping (our name -> dump's name) and make its ``FieldMap``.

        >>> FieldMap.of({"title": "headline"}).names("title")
        ('headline',)
        """
        if fields:
            unknown = sorted(set(fields) - set(FIELDS))
            if unknown:
                raise ValueError(
                    f"unknown field(s) {', '.join(unknown)}; known: {', '.join(FIELDS)}"
                )
            for ours, theirs in fields.items():
                if not isinstance(theirs, str) or not theirs:
                    raise ValueError(f"the dump's name for {ours!r} must be a non-empty string")
        return cls(fields)

    def names(self, ours: str) -> tuple[str, ...]:
        """The dump names that may fill our field ``ours``."""
        return (self.explicit[ours],) if ours in self.explicit else ALIASES[ours]

    def named(self, ours: str, shown: int = 6) -> str:
        """The first names that may fill ``ours``, for a message.

        >>> FieldMap().named("date", 3)
        'date, date_extracted, published, …'
        """
        names = self.names(ours)
        return ", ".join(names[:shown]) + (", …" if len(names) > shown else "")

    def plan(self, keys: Iterable[str]) -> dict[str, tuple[str, ...]]:
        """For a record with these field names: per field of ours, the names that may fill it,
        in order of preference (empty when none is there)."""
        key = tuple(keys)
        plan = self._plans.get(key)
        if plan is not None:
            return plan
        present = set(key)
        by_key: dict[str, str] = {}
        for name in key:
            by_key.setdefault(field_key(name), name)
        plan = {}
        for ours in FIELDS:
            if ours in self.explicit:
                theirs = self.explicit[ours]
                if theirs not in present:  # --field body=Matn finds "matn" too
                    theirs = by_key.get(field_key(theirs), "")
                plan[ours] = (theirs,) if theirs else ()
            else:
                plan[ours] = tuple(
                    by_key[a] for a in self._aliases[ours] if a in by_key and a not in self._taken
                )
        if len(self._plans) < _MAX_PLANS:
            self._plans[key] = plan
        return plan

    def sample(self, record: Mapping[str, object], used: Iterable[str]) -> None:
        """Keep the longest text (or date) of each of ``record``'s fields not in ``used``."""
        self.sampling -= 1
        taken = set(used)
        for name, value in record.items():
            if name in taken:
                continue
            if isinstance(value, dt.date):
                value = value.isoformat()
            if isinstance(value, str) and len(value) > self.samples.get(name, (0, ""))[0]:
                self.samples[name] = (len(value), value[:_SAMPLE])

    def unused(self) -> list[tuple[str, str]]:
        """Explicit mappings (``--field``) that gave no article a value."""
        found = {(o, field_key(t)) for o, t in self.used}
        return [(o, t) for o, t in self.explicit.items() if (o, field_key(t)) not in found]

    def summary(self) -> str:
        """The fields filled from a dump name other than ours, as ``body ← content``."""
        return mapping_line({(o, t): n for (o, t), n in self.used.most_common()})


def mapping_line(used: Mapping[tuple[str, str], int]) -> str:
    """``(ours, theirs) -> articles`` as ``body ← content, text``, in our fields' order, the
    names of each field most used first; fields filled only under our own name are left out.

    >>> mapping_line({("body", "content"): 9, ("body", "text"): 2, ("title", "Title"): 9})
    'body ← content, text'
    """
    names: dict[str, list[str]] = {}
    for (ours, theirs), _ in sorted(used.items(), key=lambda item: -item[1]):
        names.setdefault(ours, []).append(theirs)
    return ", ".join(
        f"{ours} ← {', '.join(names[ours])}"
        for ours in FIELDS
        if ours in names and any(field_key(t) != ours for t in names[ours])
    )


class _WrongType(Exception):
    pass


def split_keywords(text: str) -> tuple[str, ...]:
    """Split a keyword string on commas, semicolons or bars (Latin or Arabic) if it has any,
    else on whitespace. A space-separated list cannot tell ``الولايات المتحدة`` from two
    keywords, so then each word is a keyword: searching finds the same articles either way.

    >>> split_keywords("الولايات المتحدة، روسيا")
    ('الولايات المتحدة', 'روسيا')
    >>> split_keywords("روسيا  أوكرانيا")
    ('روسيا', 'أوكرانيا')
    """
    parts = _KEYWORD_LISTS.split(text) if _KEYWORD_LISTS.search(text) else text.split()
    return tuple(p for p in (part.strip() for part in parts) if p)


def to_article(
    record: Mapping[str, object], fields: FieldMap, file: str, line: int, raw: str
) -> Article | Reject:
    """Build an ``Article`` from ``record`` (field name -> value), or a ``Reject`` saying why.

    Values may be strings or missing/``None``, and, as JSON and Parquet hold them: a number
    for ``id``; a list of strings for ``body`` (paragraphs), ``keywords`` and ``category``
    (the first); an object with a ``name`` for ``source``/``category`` (NewsAPI); a date,
    datetime or epoch number for ``date``. Anything else, or a record with neither title nor
    body, gives a ``Reject`` carrying ``raw`` (without its final line ending), and so does a
    value that makes reading it raise one of ``DATA_ERRORS`` (``ValueError``, ...).
    """
    if not fields.keys:
        fields.keys.extend(record)
    found: dict[str, tuple[str, object]] = {}
    for ours, names in fields.plan(record).items():
        for name in names:
            value = record[name]
            # Inlined: this runs for every field of every record of a dump.
            if (
                value is None
                or value == ""
                or value == []
                or (type(value) is str and value.isspace())
            ):
                continue
            found[ours] = (name, value)
            break
    try:
        title = _text(found, "title").strip()
        body = _body(found).strip()
        if not title and not body:
            return Reject(file, line, "empty title and body", raw.rstrip("\r\n"))
        url = _optional(found, "url")
        date, date_text = _date(found)
        article = Article(
            id=_id(found) or article_id(url, title, body),
            title=title,
            body=body,
            date=date,
            date_text=date_text,
            source=_label(found, "source"),
            category=_label(found, "category"),
            url=url,
            keywords=_keywords(found),
            origin=f"{file}:{line}",
        )
    except _WrongType as e:
        return Reject(file, line, str(e), raw.rstrip("\r\n"))
    except DATA_ERRORS as e:  # one record's data must not end the run
        return unreadable(file, line, e, raw.rstrip("\r\n"))
    used = fields.used
    for ours, (name, _) in found.items():
        used[ours, name] += 1
    if fields.sampling > 0:
        fields.sample(record, (name for name, _ in found.values()))
    return article


def _describe(ours: str, theirs: str) -> str:
    return f"{ours!r}" if ours == theirs else f"{ours!r} (dump field {theirs!r})"


_TYPE_NAMES = {
    dict: "an object",
    list: "a list",
    bool: "a boolean",
    int: "a number",
    float: "a number",
}


def _type_name(value: object) -> str:
    return _TYPE_NAMES.get(type(value), f"a {type(value).__name__}")


def _wrong(found: dict[str, tuple[str, object]], ours: str, expected: str) -> _WrongType:
    name, value = found[ours]
    what = _type_name(value)
    if isinstance(value, list) and "list" in expected:
        odd = next((v for v in value if not isinstance(v, str)), None)
        what = f"a list holding {_type_name(odd)}"
    return _WrongType(f"{_describe(ours, name)} must be {expected}, not {what}")


def _text(found: dict[str, tuple[str, object]], ours: str) -> str:
    if ours not in found:
        return ""
    value = found[ours][1]
    if isinstance(value, str):
        return value
    raise _wrong(found, ours, "a string")


def _body(found: dict[str, tuple[str, object]]) -> str:
    value = found.get("body", ("", None))[1]
    if not isinstance(value, list):
        return _text(found, "body")
    if all(isinstance(p, str) for p in value):
        return "\n".join(p.strip() for p in value if p.strip())
    raise _wrong(found, "body", "a string or a list of strings")


def _optional(found: dict[str, tuple[str, object]], ours: str) -> str | None:
    return _text(found, ours).strip() or None


def _label(found: dict[str, tuple[str, object]], ours: str) -> str | None:
    """A source or category: a string, the ``name`` of an object, the first of a list."""
    value = found.get(ours, ("", None))[1]
    if isinstance(value, dict) and isinstance(value.get("name"), str):
        return value["name"].strip() or None
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return next((v.strip() for v in value if v.strip()), None)
    return _optional(found, ours)


def _id(found: dict[str, tuple[str, object]]) -> str | None:
    value = found.get("id", ("", None))[1]
    # bool is an int subclass, but True is no id.
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():  # pandas writes integer ids as 7.0
        return str(int(value))
    if value is None or isinstance(value, str):
        return _optional(found, "id")
    raise _wrong(found, "id", "a string or an integer")


def _date(found: dict[str, tuple[str, object]]) -> tuple[dt.date | None, str | None]:
    """The date and the date as published; Parquet and JSON may hold dates as values."""
    value = found.get("date", ("", None))[1]
    if isinstance(value, dt.datetime):  # the calendar date as written, zone or not
        return value.date(), value.isoformat()
    if isinstance(value, dt.date):
        return value, value.isoformat()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _epoch(value), str(value)
    text = _optional(found, "date")
    return parse_date(text), text


def _epoch(value: float) -> dt.date | None:
    """A Unix timestamp in seconds or milliseconds; a number of another size is no date."""
    if _EPOCH_MILLIS[0] <= value < _EPOCH_MILLIS[1]:
        value /= 1000
    elif not _EPOCH_SECONDS[0] <= value < _EPOCH_SECONDS[1]:
        return None
    return dt.datetime.fromtimestamp(value, tz=dt.UTC).date()


def _keywords(found: dict[str, tuple[str, object]]) -> tuple[str, ...]:
    value = found.get("keywords", ("", None))[1]
    if value is None:
        return ()
    if isinstance(value, str):
        return split_keywords(value)
    if isinstance(value, list) and all(isinstance(k, str) for k in value):
        return tuple(k for k in (k.strip() for k in value) if k)
    raise _wrong(found, "keywords", "a string or a list of strings")

"""Turn one dump record (a JSON object or a CSV row) into an ``Article``, or say why not.

Shared by the JSONL and CSV/TSV readers, so that both accept the same fields, the same types and
the same mapping from our field names to the dump's (``fields={"title": "headline"}``).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping

from search.article import Article, article_id
from search.ingest.dates import parse_date
from search.ingest.records import Reject

FIELDS = ("id", "title", "body", "date", "source", "category", "url", "keywords")

_KEYWORD_LISTS = re.compile(r"[,،;؛|]")


@dataclasses.dataclass(frozen=True, slots=True)
class FieldNames:
    """The dump's name for each of our fields (by default, the same name)."""

    id: str = "id"
    title: str = "title"
    body: str = "body"
    date: str = "date"
    source: str = "source"
    category: str = "category"
    url: str = "url"
    keywords: str = "keywords"

    @classmethod
    def of(cls, fields: Mapping[str, str] | None) -> FieldNames:
        """Check a ``fields`` mapping (our name -> dump's name) and fill in the defaults.

        >>> FieldNames.of({"title": "headline"}).title
        'headline'
        """
        if not fields:
            return cls()
        unknown = sorted(set(fields) - set(FIELDS))
        if unknown:
            raise ValueError(f"unknown field(s) {', '.join(unknown)}; known: {', '.join(FIELDS)}")
        for ours, theirs in fields.items():
            if not isinstance(theirs, str) or not theirs:
                raise ValueError(f"the dump's name for {ours!r} must be a non-empty string")
        return cls(**fields)


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
    get: Callable[[str], object], names: FieldNames, file: str, line: int, raw: str
) -> Article | Reject:
    """Build an ``Article`` from a record whose values ``get(dump_name)`` returns.

    Values may be strings or ``None`` (missing); JSON records may also give ints for ``id`` and a
    list of strings for ``keywords``. Anything else, or a record with neither title nor body,
    gives a ``Reject`` carrying ``raw`` (without its final line ending).
    """
    try:
        title = _text(get(names.title), "title", names.title).strip()
        body = _text(get(names.body), "body", names.body).strip()
        if not title and not body:
            return Reject(file, line, "empty title and body", raw.rstrip("\r\n"))
        url = _optional(get(names.url), "url", names.url)
        date_text = _optional(get(names.date), "date", names.date)
        return Article(
            id=_id(get(names.id), names.id) or article_id(url, title, body),
            title=title,
            body=body,
            date=parse_date(date_text),
            date_text=date_text,
            source=_optional(get(names.source), "source", names.source),
            category=_optional(get(names.category), "category", names.category),
            url=url,
            keywords=_keywords(get(names.keywords), names.keywords),
            origin=f"{file}:{line}",
        )
    except _WrongType as e:
        return Reject(file, line, str(e), raw.rstrip("\r\n"))


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


def _text(value: object, ours: str, theirs: str) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    raise _WrongType(f"{_describe(ours, theirs)} must be a string, not {_type_name(value)}")


def _optional(value: object, ours: str, theirs: str) -> str | None:
    return _text(value, ours, theirs).strip() or None


def _id(value: object, theirs: str) -> str | None:
    # bool is an int subclass, but True is no id.
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if value is None or isinstance(value, str):
        return _optional(value, "id", theirs)
    raise _WrongType(
        f"{_describe('id', theirs)} must be a string or an integer, not {_type_name(value)}"
    )


def _keywords(value: object, theirs: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return split_keywords(value)
    if isinstance(value, list):
        odd = [k for k in value if not isinstance(k, str)]
        if not odd:
            return tuple(k for k in (k.strip() for k in value) if k)
        value = f"a list holding {_type_name(odd[0])}"
    else:
        value = _type_name(value)
    raise _WrongType(
        f"{_describe('keywords', theirs)} must be a string or a list of strings, not {value}"
    )

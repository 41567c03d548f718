"""Scraped article pages saved as text: one article per ``.txt`` file.

The layout, as scrapers of Arabic news sites save it::

    مباحثات أميركية روسية تمهيداً لقمة ترامب وبوتين      <- title: the first line with text
    تاريخ النشر: 21st, October 2025 GMT                 <- metadata line (date)
    موسكو (وكالات)                                      <- dateline: kept, it is body text
    بحث وزيرا الخارجية ...                              <- body paragraphs
    ... في منطقة سامارا. أخبار ذات صلة                  <- a site widget glued to the text
    المصدر: صحيفة الاتحاد                               <- metadata lines (source, keywords)
    كلمات دلالية: الولايات المتحدة روسيا أوكرانيا
    إقرأ أيضاً:                                         <- everything from here on is
    ...                                                    other articles: dropped

Metadata lines are ``label: value`` with a label from ``_LABELS`` and a short value; they fill
the article's date, source, keywords and url and are not body text. Boilerplate stays out of
the body: from a "read also" or "related news" heading to the end of the page, a trailing
``أخبار ذات صلة`` glued to a paragraph, ``Related ...`` lines, and lines made only of
share/navigation words (``انتقل إلى اختصارات الوصول شارك محادثة``, ``none``). Keywords are split
as ``split_keywords`` says: on commas if any, else on spaces.

A page has no id of its own; it gets ``article_id(url, title, body)``: a hash of its url when
it states one, else of its text. So the id does not change when the file is renamed or moved,
and the same page saved twice gets one id.

A page is one record: one of more than ``Limits.record_bytes`` characters of text, or with a
line that ``TextFile.lines()`` did not read (a ``SkippedLine``: too long, a NUL byte), is a
``Reject`` and the rest of the file is not read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from search.article import Article, article_id
from search.ingest.dates import parse_date
from search.ingest.fields import split_keywords
from search.ingest.fold import fold
from search.ingest.limits import Limits, SkippedLine, extra_lines
from search.ingest.records import DATA_ERRORS, Reject, unreadable

_LABELS: dict[str, str] = {
    fold(label): field
    for field, labels in {
        "date": ("تاريخ النشر", "نشر في", "نشر بتاريخ"),
        "source": ("المصدر",),
        "keywords": ("كلمات دلالية", "الكلمات الدلالية", "كلمات مفتاحية", "الوسوم"),
        "url": ("الرابط", "رابط الخبر", "URL"),
    }.items()
    for label in labels
}
# A paragraph that happens to start with "المصدر:" is text, not metadata; real values are short.
_MAX_METADATA = 300

# Matched against fold(line): hamza, tanween and ة/ه variants are already gone.
_CUT = re.compile(r"اقرا\s+(?:ايضا|المزيد)\b|(?:اخبار|مواضيع|مقالات)\s+ذات\s+صله\W*$")
_GLUED_RELATED = re.compile(r"\s*[أا]خبار\s+ذات\s+صل[ةه]\s*$")
_RELATED = re.compile(r"related\b")
_SHARE_WORDS = (
    "انتقل إلى اختصارات الوصول", "انتقل إلى المحتوى", "شارك هذا المقال", "شارك المقال", "شارك",
    "مشاركة", "محادثة", "طباعة", "فيسبوك", "تويتر", "واتساب", "facebook", "twitter", "whatsapp",
    "share", "print", "none", "null", "undefined",
)  # fmt: skip
_SHARE_LINE = re.compile(
    r"(?:(?:" + "|".join(re.escape(fold(w)) for w in _SHARE_WORDS) + r")(?!\w)\W*)+"
)


def read_page(
    lines: Iterable[str], file: str, limits: Limits | None = None
) -> Iterator[Article | Reject]:
    """The one article of a scraped page, or a ``Reject`` if the page has no text.

    >>> page = ["عنوان الخبر\\n", "تاريخ النشر: 21/01/2017\\n", "نص الخبر. أخبار ذات صلة\\n"]
    >>> article, = read_page(page, "page.txt")
    >>> article.title, article.body, article.date
    ('عنوان الخبر', 'نص الخبر.', datetime.date(2017, 1, 21))
    """
    limits = limits or Limits()
    title: str | None = None
    title_line = 1
    body: list[str] = []
    meta: dict[str, str] = {}
    size = 0
    number = 0
    for line in lines:
        number += 1
        text = line.strip()
        if not text:
            if type(line) is SkippedLine:
                yield Reject(file, number, f"the page is not read: {line.reason}", line.raw)
                return
            number += extra_lines(line)
            continue
        size += len(text)
        if size > limits.record_bytes:
            yield Reject(file, 1, limits.too_large("the page"))
            return
        folded = fold(text)
        if _CUT.match(folded):
            break
        label, colon, value = text.partition(":")
        field = _LABELS.get(fold(label.strip())) if colon else None
        if field and len(value) <= _MAX_METADATA:
            meta.setdefault(field, value.strip())
            continue
        if _RELATED.match(folded) or _SHARE_LINE.fullmatch(folded):
            continue
        if title is None:
            title, title_line = text, number
            continue
        text = _GLUED_RELATED.sub("", text)
        if text:
            body.append(text)
    text = "\n".join(body)
    if not title:
        yield Reject(file, 1, "empty page: no title or text")
        return
    url = meta.get("url") or None
    date_text = meta.get("date") or None
    try:
        date = parse_date(date_text)
    except DATA_ERRORS as error:  # one page's date must not end the run
        yield unreadable(file, title_line, error)
        return
    yield Article(
        id=article_id(url, title, text),
        title=title,
        body=text,
        date=date,
        date_text=date_text,
        source=meta.get("source") or None,
        url=url,
        keywords=split_keywords(meta.get("keywords", "")),
        origin=f"{file}:{title_line}",
    )

"""read_page on scraped pages laid out like seeds/000_118605c9c8214d3a.txt."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from search.article import Article, article_id
from search.ingest.open import open_text
from search.ingest.pages import read_page
from search.ingest.records import Reject
from tests.conftest import SEEDS

Write = Callable[..., Path]

PAGE = """مباحثات أميركية روسية تمهيداً لقمة ترامب وبوتين
تاريخ النشر: 21st, October 2025 GMT
موسكو (وكالات)
بحث وزيرا الخارجية الروسي والأميركي هاتفياً، أمس، الترتيبات الخاصة بالقمة المرتقبة.
وأكدت أوكرانيا أنها ضربت منشأة للغاز ومصفاة نفط في منطقة سامارا. أخبار ذات صلة
المصدر: صحيفة الاتحاد
كلمات دلالية: الولايات المتحدة روسيا أوكرانيا
إقرأ أيضاً:
ألمانيا تحث الصين على استخدام نفوذها مع روسيا
المصدر: مقال آخر
Related أوكرانيا تؤكد سعيها لـ"سلام حقيقي" مع روسيا
انتقل إلى اختصارات الوصول شارك محادثة"""

BODY = (
    "موسكو (وكالات)\n"
    "بحث وزيرا الخارجية الروسي والأميركي هاتفياً، أمس، الترتيبات الخاصة بالقمة المرتقبة.\n"
    "وأكدت أوكرانيا أنها ضربت منشأة للغاز ومصفاة نفط في منطقة سامارا."
)


def read(path: Path) -> list[Article | Reject]:
    with open_text(path) as dump:
        return list(read_page(dump.lines(), path.name))


def read_one(write: Write, text: str) -> Article:
    (article,) = read(write("page.txt", text))
    assert isinstance(article, Article)
    return article


@pytest.mark.parametrize("name", ["page.txt", "page.txt.gz"])
def test_reads_a_scraped_page(write: Write, name: str) -> None:
    title = "مباحثات أميركية روسية تمهيداً لقمة ترامب وبوتين"
    assert read(write(name, PAGE)) == [
        Article(
            id=article_id(None, title, BODY),
            title=title,
            body=BODY,
            date=dt.date(2025, 10, 21),
            date_text="21st, October 2025 GMT",
            source="صحيفة الاتحاد",
            keywords=("الولايات", "المتحدة", "روسيا", "أوكرانيا"),
            origin=f"{name}:1",
        )
    ]


@pytest.mark.parametrize(
    "heading",
    ["إقرأ أيضاً:", "اقرأ أيضا", "اقرأ أيضًا:", "إقرأ ايضاً", "أقرأ أيضا:", "اقرا ايضا",
     "اقرأ أيضاً: عنوان مقال آخر", "أخبار ذات صلة", "مواضيع ذات صلة:"],
)  # fmt: skip
def test_everything_from_a_read_also_heading_is_dropped(write: Write, heading: str) -> None:
    article = read_one(write, f"عنوان\nنص الخبر\n{heading}\nمقال آخر\nالمصدر: غيره\n")
    assert (article.body, article.source) == ("نص الخبر", None)


def test_read_also_inside_a_sentence_is_text(write: Write) -> None:
    article = read_one(write, "عنوان\nقال إن على الناس أن يقرأوا أيضاً: اقرأ أيضا الكتب\n")
    assert article.body == "قال إن على الناس أن يقرأوا أيضاً: اقرأ أيضا الكتب"


def test_related_news_glued_to_a_paragraph_is_cut(write: Write) -> None:
    article = read_one(write, "عنوان\nفقرة أولى.\nفقرة أخيرة. اخبار ذات صله  \n")
    assert article.body == "فقرة أولى.\nفقرة أخيرة."


@pytest.mark.parametrize(
    "line",
    ["انتقل إلى اختصارات الوصول", "شارك", "شارك محادثة", "none", "None", "مشاركة: فيسبوك تويتر",
     "Related أوكرانيا تؤكد سعيها لـ\"سلام حقيقي\" مع روسيا"],
)  # fmt: skip
def test_navigation_and_share_lines_are_dropped(write: Write, line: str) -> None:
    assert read_one(write, f"عنوان\nفقرة.\n{line}\nفقرة ثانية.\n").body == "فقرة.\nفقرة ثانية."


@pytest.mark.parametrize(
    "line", ["شارك الرئيس في القمة", "لم يشارك أحد", "none of the above", "Relatedness matters"]
)
def test_sentences_using_share_words_are_text(write: Write, line: str) -> None:
    assert read_one(write, f"عنوان\n{line}\n").body == line


def test_boilerplate_before_the_title_is_skipped(write: Write) -> None:
    article = read_one(write, "\n\nانتقل إلى اختصارات الوصول\nعنوان\nنص\n")
    assert (article.title, article.body, article.origin) == ("عنوان", "نص", "page.txt:4")


def test_keywords_with_commas_keep_multiword_keywords(write: Write) -> None:
    article = read_one(write, "عنوان\nنص\nكلمات دلالية: الولايات المتحدة، روسيا, أوكرانيا\n")
    assert article.keywords == ("الولايات المتحدة", "روسيا", "أوكرانيا")


def test_metadata_labels_with_diacritics_and_a_url(write: Write) -> None:
    text = "عنوان\nنُشر في: الخميس 4 ديسمبر 2025\nالرابط: https://example.org/a\nنص\n"
    article = read_one(write, text)
    assert (article.date, article.url, article.body) == (
        dt.date(2025, 12, 4), "https://example.org/a", "نص")  # fmt: skip
    assert article.id == article_id("https://example.org/a", "عنوان", "نص")


def test_a_long_paragraph_starting_with_a_label_is_text(write: Write) -> None:
    paragraph = "المصدر: " + "قال مسؤول " * 40
    article = read_one(write, f"عنوان\n{paragraph}\n")
    assert (article.body, article.source) == (paragraph.strip(), None)


def test_an_unparsed_date_is_kept_as_text(write: Write) -> None:
    article = read_one(write, "عنوان\nتاريخ النشر: منذ ساعتين\nنص\n")
    assert (article.date, article.date_text) == (None, "منذ ساعتين")


def test_a_hijri_date_is_read(write: Write) -> None:
    article = read_one(write, "عنوان\nتاريخ النشر: 15 رمضان 1446 هـ\nنص\n")
    assert (article.date, article.date_text) == (dt.date(2025, 3, 15), "15 رمضان 1446 هـ")


def test_a_page_with_a_title_only(write: Write) -> None:
    article = read_one(write, "عنوان وحده\n")
    assert (article.title, article.body) == ("عنوان وحده", "")


@pytest.mark.parametrize("text", ["", "\n \n", "انتقل إلى اختصارات الوصول\nشارك\n"])
def test_an_empty_page_is_rejected(write: Write, text: str) -> None:
    assert read(write("page.txt", text)) == [Reject("page.txt", 1, "empty page: no title or text")]


def test_the_id_follows_the_text_not_the_file_name(write: Write) -> None:
    (a,) = read(write("a/page.txt", PAGE))
    (b,) = read(write("b/other.txt", PAGE))
    (c,) = read(write("c/page.txt", PAGE.replace("سامارا", "سمارا")))
    assert isinstance(a, Article) and isinstance(b, Article) and isinstance(c, Article)
    assert a.id == b.id != c.id


def test_the_seed_page() -> None:
    # seeds/ is part of the repository (the session's seeds index is built from it)
    (article,) = read(SEEDS / "000_118605c9c8214d3a.txt")
    assert isinstance(article, Article)
    assert article.title == "مباحثات أميركية روسية تمهيداً لقمة ترامب وبوتين"
    assert article.date_text == "21st, October 2025 GMT"
    assert article.date == dt.date(2025, 10, 21)
    assert article.source == "صحيفة الاتحاد"
    assert article.keywords == ("الولايات", "المتحدة", "روسيا", "أوكرانيا", "أميركا", "موسكو")
    assert article.body.startswith("موسكو (وكالات)\nبحث وزيرا الخارجية الروسي")
    assert article.body.endswith("ومصفاة نفط في منطقة سامارا.")
    for boilerplate in ("أخبار ذات صلة", "المصدر:", "كلمات دلالية", "إقرأ أيضاً", "Related",
                        "اختصارات الوصول", "ألمانيا تحث الصين"):  # fmt: skip
        assert boilerplate not in article.body

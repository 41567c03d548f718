"""Every string the web page and ``bahth search --html`` show, in Arabic and English.

One table, ``MESSAGES``: a key, its Arabic text (the default, for a reader of Arabic news) and
its English text. A page is in one language at a time: the web app takes ``?lang=en`` or the
browser's ``Accept-Language`` (``language``), ``bahth search --html --lang en`` the option.
The command's own messages on a terminal stay English, the terminal's convention.

A text may hold ``{name}`` fields, filled by ``message``; the HTML renderers escape every value
before it goes in (the table's own texts are trusted, and some hold markup such as ``<b>``).

>>> message("results_count", "en", count="1,024")
'Results: <strong>1,024</strong>'
>>> message("results_count", count="1,024")
'النتائج: <strong>1,024</strong>'
>>> language(None, "en-GB,en;q=0.9,ar;q=0.8"), language("ar", "en"), language(None, "fr, de")
('en', 'ar', 'ar')
"""

from __future__ import annotations

import re
from typing import Literal

Language = Literal["ar", "en"]
LANGUAGES: tuple[Language, ...] = ("ar", "en")
DEFAULT: Language = "ar"
DIRECTIONS = {"ar": "rtl", "en": "ltr"}
NAMES = {"ar": "العربية", "en": "English"}  # each language in itself, for the switch

MESSAGES: dict[str, tuple[str, str]] = {
    # The page around everything.
    "site": ("بحث", "Bahth"),
    "index_holds": ("في الفهرس {count} مقالًا", "The index holds {count} articles"),
    "index_dates": ("، من {first} إلى {last}", ", from {first} to {last}"),
    "json_api": ("واجهة JSON", "JSON API"),
    "other_language": ("اللغة", "Language"),
    # The search form.
    "search_words": ("كلمات البحث", "Words to search for"),
    "placeholder": ("ابحث في الأرشيف…", "Search the archive…"),
    "search": ("ابحث", "Search"),
    "search_options": ("خيارات البحث", "Search options"),
    "since": ("من تاريخ", "From"),
    "until": ("إلى تاريخ", "To"),
    "since_hint": (
        "يوم (2015-08-01 أو 1/8/2015) أو شهر (2015-08) أو سنة (2015)",
        "a day (2015-08-01 or 1/8/2015), a month (2015-08) or a year (2015)",
    ),
    "source": ("المصدر", "Source"),
    "every_source": ("كل المصادر", "All sources"),
    "category": ("التصنيف", "Category"),
    "every_category": ("كل التصنيفات", "All categories"),
    "sort": ("الترتيب", "Order"),
    "relevance": ("الأكثر صلة", "Most relevant"),
    "newest": ("الأحدث أولًا", "Newest first"),
    "match": ("المطابقة", "Matching"),
    "match_auto": ("كل الكلمات، ثم بعضها", "All words, then some"),
    "match_all": ("كل الكلمات فقط", "All words only"),
    "match_any": ("أي كلمة", "Any word"),
    "per_page": ("في الصفحة", "Per page"),
    "exact": (
        "الكلمة كما كُتبت فقط (دون سوابق ولواحق)",
        "Words as written only (no prefixes or suffixes)",
    ),
    "show_score": ("إظهار درجة الصلة", "Show relevance scores"),
    "hijri": ("التاريخ الهجري", "Hijri dates"),
    # The query language.
    "query_language": ("صيغة البحث", "Query language"),
    "help_words": (
        "مقالات فيها كل الكلمات؛ فإن قلّت تلتها مقالات فيها أكثرها",
        "articles with all the words; if they are few, then those with most of them",
    ),
    "help_phrase": (
        "الكلمات متتالية بهذا الترتيب وبصيغتها المكتوبة",
        "the words in a row, in this order, as written",
    ),
    "help_or": ("إحدى الكلمتين", "either word"),
    "help_not": ("استبعاد المقالات التي فيها الكلمة", "leave out the articles with the word"),
    "help_group": ("تجميع", "grouping"),
    "help_fields": (
        "في حقل واحد: العنوان، النص، المصدر، التصنيف",
        "in one field: title, body, source, category",
    ),
    "help_filters": (
        "تصفية بالمصدر أو التصنيف أو التاريخ، كخيارات البحث",
        "filter by source, category or date, as the search options do",
    ),
    "help_prefix": (
        "كلمات تبدأ بهذه الحروف (ثلاثة على الأقل)",
        "words starting with these letters (three at least)",
    ),
    "help_or_word": ("أو", "or"),
    "help_analysis": (
        "لا يغيّر النتيجةَ التشكيلُ ولا صور الهمزة والألف والياء والتاء المربوطة، ولا «ال» "
        "والحروف المتصلة (و ف ب ل ك) واللواحق: <code>روسيا</code> تجد «وروسيا» و«لروسيا».",
        "Diacritics, the forms of hamza, alef, ya and ta marbuta, the article ال, the attached "
        "letters (و ف ب ل ك) and suffixes do not change the results: <code>روسيا</code> finds "
        "«وروسيا» and «لروسيا».",
    ),
    "home_title": ("ابحث في أرشيف الأخبار", "Search the news archive"),
    # A page of results.
    "no_results": ("لا نتائج لـ «<bdi>{query}</bdi>».", "No results for «<bdi>{query}</bdi>»."),
    "results_count": ("النتائج: <strong>{count}</strong>", "Results: <strong>{count}</strong>"),
    "in_stories": ("(في <strong>{count}</strong> قصة)", "(in <strong>{count}</strong> stories)"),
    "in_stories_about": (
        "(في نحو <strong>{count}</strong> قصة)",
        "(in about <strong>{count}</strong> stories)",
    ),
    "all_words_count": (
        "فيها كل الكلمات: <strong>{count}</strong>",
        "With all the words: <strong>{count}</strong>",
    ),
    "some_words_count": (
        "وفيها بعضها: <strong>{count}</strong>",
        "with some of them: <strong>{count}</strong>",
    ),
    "shown_range": ("المعروض <bdi>{first}–{last}</bdi>", "showing <bdi>{first}–{last}</bdi>"),
    "past_last_page": (
        "الصفحة {page} بعد الأخيرة، وهي {last}",
        "page {page} is past the last, {last}",
    ),
    "listed_in": ("عُرضت كلها في {ms} ms", "all listed in {ms} ms"),
    "all_listed": ("كل النتائج، الأحدث أولًا", "every match, newest first"),
    "not_in_index": ("ليست في أي مقال:", "In no article:"),
    "partial_shards": (
        "نتائج ناقصة: لم يُجب من أجزاء الفهرس {shards}، فالأعداد والنتائج من الأجزاء الأخرى وحدها.",
        "Partial results: the index shards {shards} did not answer; counts and hits are from "
        "the other shards alone.",
    ),
    "stopwords": ("كلمات شائعة لم يُبحث عنها:", "Common words not searched for:"),
    "did_you_mean": ("هل تقصد: {suggestion}؟", "Did you mean: {suggestion}?"),
    "variants_searched": (
        "بحثنا أيضًا عن تهجئات أخرى للأسماء: {found}",
        "Also searched other spellings of names: {found}",
    ),
    "variant_of": ("{forms} مع {word}", "{forms} with {word}"),
    "only_as_typed": ("ابحث بالتهجئة المكتوبة وحدها", "search only as typed"),
    "showing_instead": (
        "النتائج لـ «{ran}»؛ ابحث بدلًا من ذلك عن «{typed}»",
        "Showing results for «{ran}»; search instead for «{typed}»",
    ),
    "sort_and_filter": ("الترتيب والتصفية", "Order and filters"),
    "remove": ("إزالة", "Remove"),
    "chip_since": ("من", "From"),
    "chip_until": ("إلى", "To"),
    "chip_source": ("المصدر", "Source"),
    "chip_category": ("التصنيف", "Category"),
    "chip_exact": ("الكلمة كما كُتبت", "Words as written"),
    "collapse": ("خبر واحد لكل قصة", "One article a story"),
    "collapse_hint": (
        "النسخ المتطابقة من الخبر نفسه تحت أفضلها",
        "copies of the same news under the best of them",
    ),
    "show_copies": ("إظهار كل النسخ", "Show every copy"),
    "facets": ("توزيع النتائج", "The results by"),
    "sources": ("المصادر", "Sources"),
    "categories": ("التصنيفات", "Categories"),
    "years": ("السنوات", "Years"),
    "months": ("الأشهر", "Months"),
    "timeline_months": ("عدد النتائج في كل شهر", "Results a month"),
    "timeline_years": ("عدد النتائج في كل سنة", "Results a year"),
    "timeline_figures": ("الأرقام", "The figures"),
    "year": ("السنة", "Year"),
    "month": ("الشهر", "Month"),
    "results": ("النتائج", "Results"),
    "more_values": ("و{count} غيرها", "{count} more"),
    "pages": ("الصفحات", "Pages"),
    "previous": ("السابق", "Previous"),
    "next": ("التالي", "Next"),
    # No results under filters.
    "filters_in_force": (
        "البحث مقصور على: {filters}. من دونها:",
        "The search is limited to: {filters}. Without them:",
    ),
    "without_filter": ("دون «{filter}»: {count} نتيجة", "without «{filter}»: {count} results"),
    "no_filter": ("أي تصفية", "any filter"),
    # A hit.
    "source_only": ("نتائج هذا المصدر وحده", "Results of this source alone"),
    "partial_hit": ("فيه بعض الكلمات", "has some of the words"),
    "score": ("الدرجة", "score"),
    "copy_one": ("+{count} نسخة من الخبر نفسه:", "+{count} copy of the same news:"),
    "copy_many": ("+{count} نسخ من الخبر نفسه:", "+{count} copies of the same news:"),
    "id": ("المعرّف:", "id:"),
    # Why a hit ranks where it does (explain=1).
    "why": ("لماذا هذا الترتيب؟", "Why this rank?"),
    "why_matched": (
        "يطابق {matched} من أجزاء البحث ({count} من {total})",
        "Matches {matched} ({count} of {total} parts of the query)",
    ),
    "why_none": ("لا يطابق أي جزء من البحث", "Matches no part of the query"),
    "why_columns": ("جزء البحث|ما طابق|الحقل|النقاط", "Part of the query|Matched|Field|Points"),
    "kind_stem": ("جذع", "stem"),
    "kind_variant": ("تهجئة أخرى", "other spelling"),
    "kind_same root": ("من الجذر نفسه", "same root"),
    "kind_form": ("صيغة", "form"),
    "kind_exact form": ("الصيغة كما كُتبت", "exact form"),
    "kind_phrase": ("عبارة", "phrase"),
    "kind_every article": ("كل المقالات", "every article"),
    "field_text": ("العنوان والنص", "title and body"),
    "field_title": ("العنوان", "title"),
    "field_body": ("النص", "body"),
    "field_title_exact": ("العنوان", "title"),
    "field_body_exact": ("النص", "body"),
    "field_keywords_exact": ("الكلمات الدلالية", "keywords"),
    "field_source": ("المصدر", "source"),
    "field_category": ("التصنيف", "category"),
    # An article.
    "original": ("المقال الأصلي", "The original article"),
    "dead_link": ("الرابط (غير قابل للفتح):", "Link (not opened):"),
    "keywords": ("كلمات دلالية:", "Keywords:"),
    "back": ("→ العودة إلى النتائج", "← Back to the results"),
    "copies_of": ("نسخ هذا الخبر في الأرشيف", "Copies of this news in the archive"),
    # Error pages.
    "error_request": ("خطأ في البحث", "Search error"),
    "error_query": ("خطأ في صيغة البحث", "Query error"),
    "error_index": ("الفهرس غير متاح", "The index is not available"),
    "error_article": ("لا مقال بهذا المعرّف", "No article with this id"),
    "error_not_found": ("الصفحة غير موجودة", "No such page"),
    "error_method": ("طلب غير مقبول", "Request not accepted"),
    "error_server": ("خطأ في الخادم", "Server error"),
}

# ``Accept-Language``: a list of ``tag;q=weight`` items.
_RANGE = re.compile(r"\s*([A-Za-z]{1,8})(?:-[A-Za-z0-9]{1,8})*\s*(?:;\s*q\s*=\s*([0-9.]+))?\s*")


def message(key: str, lang: str = DEFAULT, /, **values: object) -> str:
    """The text of ``key`` in ``lang`` (``ar`` or ``en``), its ``{fields}`` filled by
    ``values`` as given (escaping them is the caller's: a renderer of HTML passes them
    escaped). A key or a field that is not in the table is a ``KeyError``: a bug."""
    text = MESSAGES[key][LANGUAGES.index(lang) if lang in LANGUAGES else 0]
    return text.format(**values) if values else text


def language(asked: str | None, accept: str | None = None) -> Language:
    """The language of a page: ``asked`` (a ``lang`` parameter) if it is one of
    ``LANGUAGES``, else the first of them the browser's ``Accept-Language`` prefers, else
    Arabic."""
    if asked in LANGUAGES:
        return asked  # type: ignore[return-value]
    ranked: list[tuple[float, int, str]] = []
    for order, item in enumerate((accept or "")[:500].split(",")):
        found = _RANGE.fullmatch(item)
        if not found:
            continue
        try:
            weight = float(found.group(2) or 1)
        except ValueError:
            continue
        if weight <= 0:  # q=0: not acceptable
            continue
        ranked.append((-weight, order, found.group(1).lower()))
    for _, _, tag in sorted(ranked):
        if tag in LANGUAGES:
            return tag  # type: ignore[return-value]
    return DEFAULT

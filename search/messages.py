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


# The errors a page shows (``search.errors``), in Arabic: a key, the message and the fix (None:
# the error's class's). The English is the error's own, built where it is raised; so is the
# key and the values of the ``{fields}``, which go in as written (the user's query, a path),
# isolated from the Arabic around them, as does `code` (a command, an example query).
# ``{option}`` is the option at fault, ``{also}`` another, called by their labels on the form.
_DATE_FORMS = (
    "اكتب يومًا (`YYYY-MM-DD` أو `DD/MM/YYYY` أو `1 أغسطس 2015`) أو شهرًا (`YYYY-MM` أو "
    "`أغسطس 2015`) أو سنة (`YYYY`)؛ أو يومًا هجريًا بتقويم أم القرى (من `1343` إلى `1500`) "
    "(`1436-09-01h` أو `1/9/1436هـ` أو `1 رمضان 1436`) أو شهرًا هجريًا (`1436-09h` أو "
    "`رمضان 1436`) أو سنة هجرية (`1436h` أو `1436هـ`)"
)
_PAST_DEPTH_FIX = (
    "ضيّق البحث (بالتاريخ أو المصدر)، أو اعرض كل النتائج: `bahth search --all` أو `Searcher.scan`"
)
ERRORS: dict[str, tuple[str, str | None]] = {
    # What an error of each class says when its raise site says nothing more.
    "bahth_error": ("حدث خطأ في بحث.", "شغّل `bahth --help` لمعرفة طريقة الاستعمال."),
    "index_not_found": (
        "لا فهرس في المسار المعطى.",
        "ابنِ فهرسًا بالأمر `bahth index DUMP...`، أو أشر إلى فهرس موجود بـ `--index DIR` أو "
        "`BAHTH_INDEX=DIR`.",
    ),
    "index_incompatible": (
        "بُني الفهرس بإصدار آخر من تحليل بحث أو من مخطط محركه.",
        "أعد بناءه بالأمر `bahth rebuild DUMP... --index DIR`",
    ),
    "index_damaged": (
        "ملف من ملفات الفهرس تالف: لم يعد كما كتبه بحث.",
        "استعد الملف من نسخة احتياطية للفهرس.",
    ),
    "index_locked": (
        "عملية أخرى تكتب في الفهرس الآن.",
        "انتظر حتى تنتهي، أو أضف `--wait` لتنتظر دورها.",
    ),
    "shard_unavailable": (
        "لم يُجب جزء من أجزاء الفهرس.",
        "شغّل خادم ذلك الجزء (`bahth shard serve DIR --port PORT`)، أو ابحث بـ "
        "`--allow-partial` لتأتي نتائج الأجزاء الأخرى.",
    ),
    "storage_error": (
        "رفض النظام قراءة الفهرس أو الكتابة فيه.",
        "افحص القرص (`df -h`) وأذونات مجلد الفهرس (`ls -l`).",
    ),
    "input_error": ("تعذّرت قراءة ملف.", "تحقق من المسار ومن أن الملف قابل للقراءة (`ls -l`)."),
    "query_error": (
        "في البحث أو في أحد خياراته خطأ.",
        "انظر `bahth search --help` لصيغة البحث والخيارات.",
    ),
    "searcher_closed": ("أُغلق هذا الباحث.", "افتح باحثًا جديدًا (`Searcher(path)`) لتبحث من جديد."),
    # The index and the disk.
    "no_index_at": (
        "لا فهرس في {where}.",
        "ابنِ فهرسًا بالأمر `bahth index DUMP... --index {index}`، أو أشر إلى فهرس موجود بـ "
        "`--index DIR` أو بالمتغير `BAHTH_INDEX`.",
    ),
    "index_being_built": (
        "لا فهرس في {where} بعد: يُبنى الآن (رقم العملية {pid}).",
        "أعد المحاولة حين ينتهي بناؤه.",
    ),
    "shard_no_answer": ("لم يُجب جزء الفهرس {shard}: {reason}.", None),
    "the_index": ("الفهرس", None),
    "no_space": ("لم تبقَ مساحة على القرص.", "أفرغ مساحة على ذلك القرص ({df}) ثم أعد الأمر."),
    "no_space_at": (
        "لم تبقَ مساحة على القرص في {where}.",
        "أفرغ مساحة على ذلك القرص ({df}) ثم أعد الأمر.",
    ),
    "disk_quota": ("تجاوزت حصة القرص.", "أفرغ مساحة على ذلك القرص ({df}) ثم أعد الأمر."),
    "disk_quota_at": (
        "تجاوزت حصة القرص في {where}.",
        "أفرغ مساحة على ذلك القرص ({df}) ثم أعد الأمر.",
    ),
    "read_only": (
        "{where} على نظام ملفات للقراءة فقط: لا يستطيع بحث أن يكتب فيه.",
        "أعد تركيبه للقراءة والكتابة، أو اكتب الفهرس في مكان آخر (`--index DIR`)؛ ويمكن البحث "
        "فيه كما هو.",
    ),
    "permission_read": (
        "لا يستطيع هذا المستخدم قراءة {where} (الإذن مرفوض).",
        "افحص أذوناته ({ls}): على المستخدم الذي يشغّل `bahth` أن يستطيع قراءة مجلد الفهرس وكل "
        "ملف فيه.",
    ),
    "permission_write": (
        "لا يستطيع هذا المستخدم الكتابة في {where} (الإذن مرفوض).",
        "افحص أذوناته ({ls}): على المستخدم الذي يشغّل `bahth` أن يستطيع الكتابة في مجلد الفهرس "
        "وفي كل ملف فيه.",
    ),
    "permission_read_and_write": (
        "لا يستطيع هذا المستخدم قراءة {where} ولا الكتابة فيه (الإذن مرفوض).",
        "افحص أذوناته ({ls}): على المستخدم الذي يشغّل `bahth` أن يستطيع قراءة مجلد الفهرس وكل "
        "ملف فيه والكتابة فيها.",
    ),
    "disk_failing": (
        "أبلغ القرص عن خطأ في الإدخال والإخراج.",
        "قد يكون القرص أو نظام الملفات معطوبًا: افحصه (`dmesg` و`fsck`)، ثم أعد الأمر.",
    ),
    "disk_failing_at": (
        "أبلغ القرص عن خطأ في الإدخال والإخراج في {where}.",
        "قد يكون القرص أو نظام الملفات معطوبًا: افحصه (`dmesg` و`fsck`)، ثم أعد الأمر.",
    ),
    "system_refused": ("رفض النظام الطلب ({where}): {reason}.", None),
    # The query's syntax: {what} as typed (a parenthesis, an operator, a field), {position}.
    "unknown_field": ("حقل غير معروف {field} في الموضع {position}", "الحقول هي: {fields}"),
    "quote_open": ("علامة التنصيص في الموضع {position} لا تُغلق", None),
    "quotes_empty": ("علامتا التنصيص في الموضع {position} لا شيء بينهما", None),
    "no_word": ("الحقل {what} في الموضع {position} لا كلمة بعده", None),
    "close_unmatched": ("القوس {what} في الموضع {position} لا قوس قبله يفتحه", None),
    "open_unclosed": ("القوس {what} في الموضع {position} لا يُغلق", None),
    "empty_group": ("القوس {what} في الموضع {position} يُغلق مجموعة فارغة", None),
    "nothing_after": ("لا شيء بعد {what} في الموضع {position}", None),
    "nothing_before": ("لا شيء قبل {what} في الموضع {position}", None),
    "or_only_excludes": (
        "أحد طرفي {what} في الموضع {position} يستبعد كلمات فقط",
        "على كل طرف من طرفي `OR` أن يطلب كلمة: `روسيا OR (أوكرانيا -قطر)`",
    ),
    "not_not": (
        "{what} في الموضع {position} يستبعد كلمات مستبعدة أصلًا",
        "اكتب الكلمة دون `NOT` لتطلبها: `NOT NOT قطر` هي `قطر`",
    ),
    "too_deep": (
        "{what} في الموضع {position} متداخل أكثر مما ينبغي: لا يتداخل أكثر من {most} من "
        "المجموعات و`NOT`",
        "احذف بعض الأقواس: `(أ (ب ج))` يبحث عمّا يبحث عنه `أ ب ج`",
    ),
    "prefix_short": (
        "{what} في الموضع {position}: البحث بالبادئة يحتاج {least} حروف على الأقل قبل علامة "
        "`*` واحدة في آخر الكلمة",
        None,
    ),
    "surrogate": (
        "الحرف في الموضع {position} ليس نصًّا ({code}، نصف زوج بديل)",
        "مرّر البحث كما كُتب، لا مقتطعًا من نص بترميز `UTF-16`",
    ),
    # The query as a whole.
    "query_empty": ("البحث فارغ", "اكتب كلمة أو أكثر للبحث عنها"),
    "query_only_excludes": ("البحث يستبعد كلمات فقط", "أضف كلمة تبحث عنها، مثل `بوتين -روسيا`"),
    "query_not_str": (
        "البحث يجب أن يكون نصًّا (`str`)، لا {type}",
        "مرّر كلمات البحث نصًّا واحدًا: `search('بوتين روسيا')`",
    ),
    "query_too_long": (
        "طول البحث {length} حرفًا، والحد الأقصى {most}",
        "ابحث بكلمات أقل: الأسماء والأماكن والكلمات النادرة هي التي تجد المقالات",
    ),
    "query_too_long_web": ("طول البحث {length} حرفًا، والحد الأقصى {most}", "ابحث بكلمات أقل"),
    "query_too_many_words": (
        "في البحث {words} كلمة، والحد الأقصى {most}",
        "أبقِ الكلمات الأهم (الأسماء والأماكن والكلمات النادرة)، أو ابحث مرتين",
    ),
    "query_too_many_prefixes": (
        "في البحث {prefixes} بحثًا بالبادئة (`كلمة*`)، والحد الأقصى {most}",
        "اكتب بعض الكلمات كاملة: كل بادئة تبحث عن عشرات الكلمات",
    ),
    "only_stopwords": (
        "في البحث كلمات شائعة فقط ({words})، وهي غير مفهرسة",
        "أضف كلمة ذات معنى، كاسم علم أو اسم",
    ),
    "none": ("لا شيء", None),
    # Dates, typed as options or in the query; {why}: what is wrong, if it can be said.
    "not_a_date": ("«{option}»: «{value}» ليس تاريخًا{why}", _DATE_FORMS),
    "date_typed": ("{field} في البحث ليس تاريخًا{why}", _DATE_FORMS),
    "no_problem": ("", None),
    "hijri_year": ("، فالسنة الهجرية {year} خارج تقويم أم القرى ({low}–{high} هـ)", None),
    "hijri_month": ("، فلا شهر هجري رقمه {month}", None),
    "hijri_day_30": ("، فلا يوم هجري رقمه {day} (الشهر 29 يومًا أو 30)", None),
    "hijri_day": ("، فلا يوم {day} في {month}: أيامه {days} في تقويم أم القرى", None),
    "dates_reversed": ("بداية المدة {since} بعد نهايتها {until}", "بدّل التاريخين"),
    "date_field_twice": (
        "{field} مكرر في البحث {times} مرات",
        "اكتبه مرة واحدة: الشهر أو السنة مدة (`since:2015-08 until:2015-09`)",
    ),
    "date_field_nested": (
        "{field} في البحث منفي أو داخل `OR` أو أقواس، حيث لا معنى للتاريخ",
        "التاريخ يصفّي البحث كله: اكتبه مرة واحدة خارجها، مثل `(روسيا OR أوكرانيا) since:2015-08`",
    ),
    # Filters and options.
    "filter_conflict": ("«{option}» {value} يتعارض مع {field} في البحث", "اكتفِ بقيمة واحدة"),
    "keyword_unknown": (
        "«{option}» {value} غير موجود في هذا الفهرس",
        "قيم «{option}» في هذا الفهرس: {names}",
    ),
    "keyword_typed": (
        "{field} في البحث ليس من قيم «{of}» في هذا الفهرس",
        "قيم «{of}» في هذا الفهرس: {names}",
    ),
    "all_words_conflict": (
        "«{option}» يتعارض مع المطابقة {match}: فهو يعني أن تطابق كل الكلمات",
        "اترك أحدهما",
    ),
    "past_last_results": (
        "الصفحة {page} بعد الصفحة الأخيرة، وهي {last} (النتائج: {listed}، وفي الصفحة {limit})",
        "اطلب الصفحة {last} أو ما قبلها",
    ),
    "past_last_stories": (
        "الصفحة {page} بعد الصفحة الأخيرة، وهي {last} (القصص: {listed}، وفي الصفحة {limit})",
        "اطلب الصفحة {last} أو ما قبلها",
    ),
    "past_last_no_results": (
        "الصفحة {page} بعد الصفحة الأخيرة، وهي {last} (لا نتائج)",
        "اطلب الصفحة {last} أو ما قبلها",
    ),
    "past_last_no_stories": (
        "الصفحة {page} بعد الصفحة الأخيرة، وهي {last} (لا قصص)",
        "اطلب الصفحة {last} أو ما قبلها",
    ),
    "past_depth_results": (
        "الصفحة {page} ({limit} في كل صفحة) تتجاوز النتيجة {depth}، أبعد ما يبلغه تصفّح "
        "البحث؛ ونتائجه {listed}",
        _PAST_DEPTH_FIX,
    ),
    "past_depth_results_big": (
        "الصفحة {page} تتجاوز النتيجة {depth}، أبعد ما يبلغه تصفّح البحث؛ ونتائجه {listed}",
        _PAST_DEPTH_FIX,
    ),
    "past_depth_stories": (
        "الصفحة {page} ({limit} في كل صفحة) تتجاوز القصة {depth}، أبعد ما يبلغه تصفّح "
        "البحث؛ وقصصه {listed}",
        _PAST_DEPTH_FIX,
    ),
    "past_depth_stories_big": (
        "الصفحة {page} تتجاوز القصة {depth}، أبعد ما يبلغه تصفّح البحث؛ وقصصه {listed}",
        _PAST_DEPTH_FIX,
    ),
    "page_digits": ("ذات الرقم المؤلف من نحو {digits} خانة", None),
    "not_int": ("«{option}» يجب أن يكون عددًا صحيحًا (`int`)، لا {value}", None),
    "not_bool": ("«{option}» يجب أن يكون `True` أو `False`، لا {value}", None),
    "not_in": ("«{option}» يجب أن يكون أحد هذه: {choices}، لا {value}", None),
    "not_str": ("«{option}» يجب أن يكون نصًّا (`str`)، لا {type}", None),
    "not_date_type": (
        "«{option}» يجب أن يكون تاريخًا (نصًّا مثل `'2015-08-01'` أو `datetime.date`)، لا {type}",
        None,
    ),
    "not_between": ("«{option}» يجب أن يكون بين {low} و{high}، لا {value}", None),
    "not_at_least": ("«{option}» يجب أن يكون {low} أو أكثر، لا {value}", None),
    "not_between_limit": (
        "«{option}» يجب أن يكون بين {low} و{high}، لا {value}",
        "تصفّح مزيدًا من النتائج بالصفحات (`page=`)، أو اقرأ كل النتائج بـ `scan()`",
    ),
    "not_at_least_page": ("«{option}» يجب أن يكون {low} أو أكثر، لا {value}", "الصفحات تبدأ من 1"),
    "long_date": ("«{option}»: نص من {n} حرفًا ليس تاريخًا", None),
    "surrogate_in": ("«{option}»: الحرف في الموضع {position} ليس نصًّا ({code}، نصف زوج بديل)", None),
    # A page's parameters (search.web.params): {value} as sent.
    "not_yes_no": ("«{option}»: «{value}» ليست نعم أو لا", "اكتب `1` أو `0`"),
    "not_number": ("«{option}»: «{value}» ليس عددًا صحيحًا من رقم واحد إلى 18 رقمًا", None),
    "outside": ("«{option}»: {number} ليس بين {low} و{high}", None),
    "below": ("«{option}»: {number} أقل من {low}", None),
    "not_one_of": ("«{option}»: «{value}» ليست من هذه: {choices}", None),
    "value_too_long": ("«{option}»: قيمة من {length} حرفًا، والحد الأقصى {most}", None),
    # Options that have no label on the form.
    "option_page": ("الصفحة", None),
    "option_autocorrect": ("التصحيح التلقائي", None),
    "option_explain": ("شرح الترتيب", None),
    "option_variants": ("تهجئات الأسماء الأخرى", None),
}

# The label on the form of each option an error may name (``option_<name>`` in ERRORS else).
_OPTION_LABELS = {"limit": "per_page", "all_words": "match_all", "exact": "chip_exact"}


def option_label(option: str) -> str | None:
    """The Arabic name of an option of a search (``search.options.OPTIONS``) in an error: its
    label on the form; None for an option that has none."""
    key = _OPTION_LABELS.get(option, option)
    if key in MESSAGES:
        return MESSAGES[key][0]
    found = ERRORS.get("option_" + option)
    return found[0] if found else None

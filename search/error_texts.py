"""The errors the web page shows, in Arabic (``search.errors``): one table, ``ERRORS``, of a
key, the message and the fix; and ``option_label``, the Arabic name of an option an error
names. The English texts are the errors' own, written where they are raised
(``search.messages`` holds the page's other strings).
"""

from __future__ import annotations

from .messages import MESSAGES

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

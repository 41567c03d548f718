"""How well does the archive group words by root (``search.spelling.families``)?

    python -m benchmarks.families --index DIR

``FAMILIES`` below lists 40 roots of news vocabulary, each with words of its family as the
archive writes them (clitics, plurals, verbs and nouns of several patterns), and 7 words of
roots with a weak or hamza letter, which the patterns do not unify. Every word is analysed
(``analyze_word``) and given the root the index's families check (``Families.root_of``), or
the first reading of its pattern alone (``candidate_roots``, no corpus): over every pair of
words, precision is how many pairs given one root are of one family, recall how many pairs of
one family are given one root (a word with no root pairs with nothing). Figures only.
"""

from __future__ import annotations

import argparse
import itertools
from collections.abc import Callable
from pathlib import Path

from search import layout
from search.arabic import analyze_word
from search.arabic.root import candidate_roots
from search.spelling.families import Families

FAMILIES = {
    "كتب": "كتاب الكتب مكتبة كاتب مكتوب يكتبون الكتابة مكاتب",
    "علم": "المعلمون التعليم العلماء المعلم علمي يتعلم تعليمية",
    "درس": "بالمدرسة الدراسة المدارس دراسات المدرسين الدروس يدرس",
    "حكم": "الحكومات الحكم المحكمة محاكم الحاكم احكام",
    "فوض": "مفاوضات المفاوضين التفاوض تفويض المفوضية",
    "نخب": "انتخابات الناخبين المنتخب انتخاب",
    "قصد": "الاقتصاد الاقتصادية اقتصادي",
    "ثمر": "الاستثمار الاستثمارات المستثمرين مستثمر",
    "حفظ": "المحافظة المحافظات المحافظ حفاظ",
    "قبل": "استقبل استقبال المستقبل مقابل يستقبل",
    "عمل": "العمال العمل الاعمال معامل التعامل",
    "سلم": "السلام المسلمين مسلم استسلام",
    "نظم": "المنظمة المنظمات النظام تنظيم الانظمة",
    "شرك": "الشركة الشركات المشاركة المشاركين شريك اشتراك",
    "خرج": "الخارجية الخارج تخريج المخرج استخراج",
    "قدم": "تقديم التقدم القادم المتقدمة",
    "نقل": "النقل انتقال التنقل المنقولة",
    "صنع": "الصناعة المصانع مصنع تصنيع",
    "زرع": "الزراعة مزارع المزارعين",
    "جمع": "الاجتماع اجتماعات المجتمع الجامعة الجماعة مجموعة",
    "سجل": "التسجيل السجلات تسجيل",
    "دفع": "الدفاع المدافعين الدفع مدفوعات",
    "حرب": "الحرب الحروب المحاربين محاربة",
    "طلب": "الطلاب المطالب مطالبة طالب",
    "عرض": "المعرض المعارض العرض المعارضة استعراض",
    "شهد": "شهادة المشاهدين مشاهد الشهود",
    "رسل": "الرسالة الرسائل المراسل ارسال",
    "فتح": "الافتتاح المفتوح الفتح مفاتيح",
    "نفذ": "التنفيذ التنفيذية المنفذ",
    "خطط": "التخطيط الخطط مخطط",
    "سكن": "السكان الاسكان المساكن مسكن",
    "صحف": "الصحافة الصحفيين الصحيفة الصحف",
    "بحث": "البحث الباحثين الابحاث مباحثات",
    "شرع": "المشروع المشاريع التشريع الشريعة",
    "رقب": "المراقبة المراقبين الرقابة",
    "عدل": "العدالة التعديل تعديلات المعدل",
    "نتج": "الانتاج المنتجات المنتج",
    "كشف": "الكشف الاكتشاف كشوفات",
    "سرق": "السرقة المسروقات السارق",
    "هجم": "الهجوم الهجمات المهاجمين هاجم",
    # weak and hamza roots: one family, which the patterns do not unify
    "قول": "قال يقول المقال",
    "سال": "المسؤولين السؤال مسائل",
}


def pairs_agreement(key: Callable[[str], str | None]) -> tuple[float, float, int]:
    """Pairwise precision and recall of ``key`` (a word's root) against ``FAMILIES``."""
    words = [(w, root) for root, listed in FAMILIES.items() for w in listed.split()]
    keys = [key(analyze_word(w)[1] or "") for w, _ in words]
    same_key = same_family = both = 0
    for (a, ka), (b, kb) in itertools.combinations(zip(words, keys, strict=True), 2):
        given = ka is not None and ka == kb
        truly = a[1] == b[1]
        same_key += given
        same_family += truly
        both += given and truly
    return both / max(1, same_key), both / max(1, same_family), sum(k is None for k in keys)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--index", type=Path, required=True)
    args = parser.parse_args()
    generation = layout.current(args.index)
    families = Families.read(generation) if generation else None
    if families is None:
        raise SystemExit(f"{args.index} has no families yet: run bahth index on it once")
    words = sum(len(listed.split()) for listed in FAMILIES.values())
    print(f"# Word families: {len(FAMILIES)} roots, {words} words\n")
    print("| root of a word | pair precision | pair recall | words without a root |")
    print("|---|---:|---:|---:|")
    for name, key in (
        ("first reading of its pattern", lambda s: (candidate_roots(s) or [None])[0]),
        ("checked by the archive (families)", families.root_of),
    ):
        precision, recall, none = pairs_agreement(key)
        print(f"| {name} | {precision:.3f} | {recall:.3f} | {none} |")


if __name__ == "__main__":
    main()

"""analyze(): the whole chain, stopwords before stemming, and word families from real news."""

from __future__ import annotations

import itertools

import pytest

from search.arabic import analyze, analyze_word, is_stopword, normalize_light, stem
from search.arabic.stopwords import stopwords


def term(word: str) -> str | None:
    return analyze_word(word)[1]


def assert_tokens(text: str, expected: list[tuple[str, int, int, str | None]]) -> None:
    assert [(t.text, t.start, t.end, t.term) for t in analyze(text)] == expected


def test_issue_example() -> None:
    assert_tokens(
        "وقال المتحدثُ باسم الكرملين إنّ المفاوضاتِ مستمرّة",
        [
            ("وقال", 0, 4, "قال"),
            ("المتحدثُ", 5, 13, "متحدث"),
            ("باسم", 14, 18, "اسم"),
            ("الكرملين", 19, 27, "كرملين"),
            ("إنّ", 28, 31, None),
            ("المفاوضاتِ", 32, 42, "مفاوض"),
            ("مستمرّة", 43, 50, "مستمر"),
        ],
    )


def test_empty_and_blank() -> None:
    assert analyze("") == []
    assert analyze(" ـــ ، ") == []


def test_norm_field() -> None:
    [token] = analyze("المفاوضاتِ")
    assert token.norm == "المفاوضات"


@pytest.mark.parametrize(
    "word",
    [
        "الذين",
        "التي",
        "إلى",
        "على",
        "في",
        "من",
        "وفي",
        "وليس",
        "فهناك",
        "هؤلاء",
        "بأنه",
        "لدينا",
        "the",
        "of",
        "و",
        "ب",
    ],
)
def test_stopwords_are_dropped_before_stemming(word: str) -> None:
    assert term(word) is None


@pytest.mark.parametrize("word", ["علي", "ولي", "الحسن", "وزير", "قال"])
def test_content_words_that_look_like_stopwords_are_kept(word: str) -> None:
    assert term(word) is not None


def test_stopwords_load_from_the_installed_package() -> None:
    assert len(stopwords()) > 250
    assert is_stopword(normalize_light("الذين"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("بين 25 و30 بالمئة", ["25", "30", "ميه"]),
        ("1,700 و٢٬٥٠٠", ["1700", "2500"]),
        ("25.5 و106,78", ["25.5", "106,78"]),
    ],
)
def test_numbers(text: str, expected: list[str]) -> None:
    assert [t.term for t in analyze(text) if t.term] == expected


def test_urls_and_emails_are_kept_whole() -> None:
    text = "راسلونا على News@Example.org أو https://Example.org/A"
    terms = [t.term for t in analyze(text) if t.term]
    assert terms == ["راسلونا", "news@example.org", "https://example.org/a"]


# Word families from the news corpora: every form of a family must meet on one term.
FAMILIES = [
    ["حكومة", "الحكومة", "حكومات", "والحكومات", "بحكومته", "للحكومة", "حكومتها"],
    ["وزير", "الوزير", "للوزير", "والوزير", "ووزير", "وزيرا"],
    ["وزارة", "الوزارة", "للوزارة", "ووزارة", "بوزارة"],
    ["بوتين", "وبوتين", "لبوتين", "ببوتين"],
    ["روسيا", "وروسيا", "لروسيا", "بروسيا", "الروسية", "الروسي"],
    ["فلسطين", "الفلسطينيين", "فلسطيني", "الفلسطينية", "لفلسطين"],
    ["لبنان", "اللبنانية", "لبناني", "ولبنان", "اللبنانيين"],
    ["المفاوضات", "مفاوضات", "بالمفاوضات", "والمفاوضات", "المفاوضاتِ"],
    ["مدرسة", "المدرسة", "بالمدرسة", "للمدرسة"],
    ["الانتخابات", "انتخابات", "والانتخابات", "للانتخابات", "الانتخاب"],
    ["اقتصاد", "الاقتصاد", "الاقتصادية", "اقتصادي", "الاقتصاديين"],
    ["مستشفى", "المستشفى", "مستشفيات", "بالمستشفى"],
    ["أوكرانيا", "اوكرانيا", "الأوكرانية", "الأوكراني", "لأوكرانيا", "وأوكرانيا"],
    ["الصين", "الصينية", "الصيني", "بالصين", "والصين"],
    ["مصر", "المصرية", "المصري", "بمصر", "لمصر"],
    ["السعودية", "سعودي", "السعوديين", "للسعودية"],
    ["العراق", "عراقي", "العراقية", "بالعراق", "والعراق"],
    ["سوريا", "السورية", "سوري", "لسوريا"],
    ["ترامب", "وترامب", "لترامب"],
    ["شركة", "الشركة", "شركات", "الشركات", "للشركة", "بالشركة"],
    ["مسؤول", "المسؤولين", "مسؤولون", "المسؤول"],
    ["اتفاق", "الاتفاق", "اتفاقات", "للاتفاق", "بالاتفاق"],
    ["نفط", "النفط", "النفطية", "بالنفط"],
    ["أسعار", "الأسعار", "بأسعار", "وأسعار"],
    ["كتاب", "الكتاب", "كتابهم", "بكتاب"],
    ["المنتخب", "منتخب", "للمنتخب", "بالمنتخب", "منتخبات"],
    ["لاعب", "اللاعب", "لاعبين", "اللاعبين"],
    ["الولايات", "ولاية", "الولاية", "ولايات"],
    ["الحرب", "حرب", "بالحرب", "والحرب", "للحرب"],
    ["جامعة", "الجامعة", "بجامعة", "جامعات", "الجامعات"],
    ["مشروع", "المشروع", "مشروعات", "للمشروع"],
    ["الاتحاد", "اتحاد", "للاتحاد", "بالاتحاد", "والاتحاد"],
    ["موسكو", "لموسكو", "بموسكو", "وموسكو"],
    ["واشنطن", "لواشنطن", "بواشنطن"],
    ["فرنسا", "وفرنسا", "لفرنسا", "بفرنسا", "الفرنسي"],
    ["أمريكا", "الأمريكية", "أمريكي", "الأمريكيين"],
    ["الاجتماع", "اجتماع", "اجتماعات", "اجتماعاتهم", "بالاجتماع"],
    ["المفوضية", "مفوضية", "للمفوضية"],
]


@pytest.mark.parametrize("family", FAMILIES, ids=lambda f: f[0])
def test_family_meets_on_one_term(family: list[str]) -> None:
    terms = {word: term(word) for word in family}
    assert len(set(terms.values())) == 1, terms


# Unrelated words that stemmers are known to merge (see docs/analysis.md).
DISTINCT = [
    ("لبنان", "لبن"),
    ("وطن", "طن"),
    ("وزير", "زير"),
    ("بوتين", "وتين"),
    ("كتابهم", "تاب"),
    ("الحسن", "لحس"),
    ("البحرين", "بحر"),
    ("الغاز", "الألغاز"),
    ("كندا", "ندا"),
    ("بيته", "يته"),
    ("فلسطين", "لسطين"),
    ("علي", "عليه"),
]


@pytest.mark.parametrize(("a", "b"), DISTINCT)
def test_unrelated_words_do_not_collide(a: str, b: str) -> None:
    assert term(a) != term(b)


def test_families_do_not_collide_with_each_other() -> None:
    terms = {word: term(word) for family in FAMILIES for word in family}
    for f1, f2 in itertools.combinations(FAMILIES, 2):
        assert terms[f1[0]] != terms[f2[0]], (f1[0], f2[0])


def test_stem_is_memoized() -> None:
    stem.cache_clear()
    stem("والحكومات")
    stem("والحكومات")
    assert stem.cache_info().hits == 1

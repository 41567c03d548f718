"""stem(): Lucene's light10 vectors, each affix rule, the clitic guards, protected names."""

from __future__ import annotations

import pytest

from search.arabic import normalize, stem
from search.arabic.stem import protected_words, strip_prefixes


def check(word: str, expected: str) -> None:
    assert stem(normalize(word)) == normalize(expected), word


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        # Lucene TestArabicStemFilter (light10); ساهد is a made-up word, so these exercise the
        # rules for words the lexicon has never seen.
        ("الحسن", "حسن"),
        ("والحسن", "حسن"),
        ("بالحسن", "حسن"),
        ("كالحسن", "حسن"),
        ("فالحسن", "حسن"),
        ("للاخر", "اخر"),
        ("وحسن", "حسن"),
        ("زوجها", "زوج"),
        ("ساهدان", "ساهد"),
        ("ساهدات", "ساهد"),
        ("ساهدون", "ساهد"),
        ("ساهدين", "ساهد"),
        ("ساهديه", "ساهد"),
        ("ساهدية", "ساهد"),
        ("ساهده", "ساهد"),
        ("ساهدة", "ساهد"),
        ("ساهدي", "ساهد"),
        ("وساهدون", "ساهد"),
        ("ساهدهات", "ساهد"),
        ("الو", "الو"),
        ("English", "English"),
        ("", ""),
    ],
)
def test_lucene_light10_vectors(word: str, expected: str) -> None:
    check(word, expected)


@pytest.mark.parametrize(
    ("rule", "word", "expected"),
    [
        ("article", "الحكومة", "حكوم"),
        ("wa + article", "والحكومات", "حكوم"),
        ("bi + article", "بالمدرسة", "مدرس"),
        ("li + article (لل)", "للوزير", "وزير"),
        ("wa + bi + article", "وبالمدرسة", "مدرس"),
        ("wa + li", "ولروسيا", "روس"),
        ("bare wa on a verb", "وأضاف", "اضاف"),
        ("bare fa", "فقال", "قال"),
        ("bare bi", "بشكل", "شكل"),
        ("bare li", "لبوتين", "بوتين"),
        ("bare ka", "كمنظمة", "منظم"),
        ("possessive هم", "اجتماعاتهم", "اجتماع"),
        ("possessive ها with ta marbuta", "حكومتها", "حكوم"),
        ("possessive ه after a root ت", "بيته", "بيت"),
        ("possessive نا", "بلادنا", "بلاد"),
        ("possessive كم", "كتابكم", "كتاب"),
        ("accusative alef", "رسميا", "رسم"),
        ("plural ات", "انتخابات", "انتخاب"),
        ("plural ون", "المعلمون", "معلم"),
        ("plural ين", "والمعلمين", "معلم"),
        ("dual تين", "الدولتين", "دول"),
        ("nisba plural يين", "الاقتصاديين", "اقتصاد"),
        ("nisba feminine", "الاقتصادية", "اقتصاد"),
        ("root ه kept when the word has a plural in ات", "اتجاه", "اتجاه"),
        ("stems keep three letters", "قمة", "قمه"),
    ],
)
def test_affix_rules(rule: str, word: str, expected: str) -> None:
    assert stem(normalize(word)) == normalize(expected), rule


@pytest.mark.parametrize(
    "word",
    # The first letter belongs to the word: other stemmers strip it (Snowball: وزير → زير,
    # بوتين → وتين; Tashaphyne: كتابهم → تاب).
    [
        "وزير",
        "وطن",
        "بوتين",
        "فرنسا",
        "كتاب",
        "لبنان",
        "وكالة",
        "ولاية",
        "فريق",
        "بيان",
        "كندا",
        "واشنطن",
        "باريس",
        "بريطانيا",
        "ليبيا",
        "فيلم",
        "لاعب",
        "بنك",
        "بغداد",
        "كأس",
    ],
)
def test_letter_that_belongs_to_the_word_stays(word: str) -> None:
    assert strip_prefixes(normalize(word))[0] == normalize(word)[0]


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("التزام", "التزام"),  # the ال is part of the word: الالتزام exists
        ("الالتزام", "التزام"),
        ("إلغاء", "الغاء"),
        ("الإلغاء", "الغاء"),
        ("الغاز", "غاز"),  # gas, not the puzzles (الألغاز)
        ("ألمانيا", "المانيا"),  # protected name
    ],
)
def test_article_like_letters(word: str, expected: str) -> None:
    check(word, expected)


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("فلسطين", "فلسطين"),  # light10: فلسط
        ("الفلسطينيين", "فلسطين"),
        ("لبنان", "لبنان"),  # light10: لبن (milk)
        ("اللبنانية", "لبنان"),
        ("البحرين", "بحرين"),  # light10: بحر (sea)
        ("بوتين", "بوتين"),
        ("لبوتين", "بوتين"),
        ("الكرملين", "كرملين"),
        ("الصينية", "صين"),
        ("والصين", "صين"),
    ],
)
def test_protected_names(word: str, expected: str) -> None:
    check(word, expected)


def test_protected_list_loads_from_package() -> None:
    assert {"فلسطين", "لبنان", "بوتين"} <= protected_words()


def test_non_arabic_and_short_words_unchanged() -> None:
    assert stem("covid") == "covid"
    assert stem("2025") == "2025"
    assert stem("يد") == "يد"

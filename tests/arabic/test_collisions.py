"""Analysis collisions a reader notices at once (issue 10): names cut like inflections, one name
spelled two ways, and the data files that fix them (see docs/analysis.md)."""

from __future__ import annotations

import pytest

from search.arabic import analyze_word, normalize, stem
from search.arabic.stem import protected_words, spelling_folds, unfolded_stem, whole_words


def term(word: str) -> str | None:
    return analyze_word(word)[1]


# Names and loanwords whose last letters look like an inflection (or whose first letter looks like
# a preposition), beside the unrelated words the rules used to merge them with.
NAMES_APART = [
    ("كورونا", "كوريا"),  # كورون + ا then ون: an accusative alef never follows a plural ending
    ("كورونا", "الكوري"),
    ("روما", "الروم"),  # Rome / the Byzantines: روم، رومي are 10% of روما in the lexicon
    ("سلمان", "السلمية"),  # King Salman / peaceful: سلمين (the dual's partner) is never seen
    ("سلمان", "سلم"),
    ("عمران", "عمر"),
    ("عدنان", "عدن"),  # a name / Aden
    ("رمضان", "رمض"),
    ("عثمان", "عثم"),
    ("سليمان", "سليم"),
    ("أردوغان", "اردوغ"),
    ("طالبان", "طالب"),  # the Taliban / a student
    ("التأمين", "تام"),  # insurance / complete: protected by hand, the counts cannot tell
    ("بنزين", "بنز"),  # petrol / Benz
    ("ماكرون", "ماكر"),  # Macron / cunning
    ("كلينتون", "كلينت"),
    ("جونسون", "جونس"),
    ("الإنسان", "أنس"),  # man / Anas
    ("قانون", "قان"),
    ("مليون", "ملي"),
    ("فيفا", "فيف"),
    ("كوبا", "وبا"),  # Cuba: بكوبا shows its ك is no preposition
    ("بيونغ", "يونغ"),  # Pyongyang
    ("بوروسيا", "وروسيا"),  # Borussia (Dortmund)
    ("بوروسيا", "روسيا"),
    ("أوباما", "أوبام"),
    ("تويتر", "توتر"),  # Twitter / tension
    ("أنجيلا", "الإنجيل"),  # Angela / the Gospel: the base takes the article, so no nisba alef
    ("القضايا", "القضاة"),  # cases / judges: -ايا is a plural, not a country before its nisba
]


@pytest.mark.parametrize(("a", "b"), NAMES_APART)
def test_names_stay_apart_from_look_alikes(a: str, b: str) -> None:
    assert term(a) != term(b)


# A name that keeps its letters still meets its own inflections and derivatives.
NAME_FAMILIES = [
    ["برلمان", "البرلمان", "البرلمانية", "البرلماني", "برلمانات", "البرلمانيين", "للبرلمان"],
    ["إنسان", "الإنسان", "الإنسانية", "إنساني", "للإنسان"],
    ["تلفزيون", "التلفزيون", "التلفزيونية", "تلفزيوني", "بالتلفزيون"],
    ["قانون", "القانون", "القانونية", "قانوني", "قانونا", "بقانون"],
    ["سلمان", "لسلمان", "وسلمان"],
    ["تأمين", "التأمين", "التأمينات", "التأمينية", "بالتأمين"],
    ["كورونا", "بكورونا", "وكورونا", "لكورونا"],
    ["روما", "بروما", "وروما", "لروما"],
    ["كوريا", "الكورية", "الكوري", "كوري", "لكوريا"],
    ["كوبا", "بكوبا", "لكوبا", "الكوبية", "الكوبي"],
    ["أميركا", "الأميركية", "أميركي", "الأميركيين", "لأميركا"],
    ["أمريكا", "الأمريكية", "أمريكي", "الأمريكيين"],
    ["بريطانيا", "بريطانية", "البريطانية", "البريطاني"],  # country and adjective meet
    ["أوروبا", "الأوروبية", "أوروبي", "الأوروبيين", "لأوروبا"],
    ["سويسرا", "السويسرية", "السويسري"],
    ["فتحوا", "وفتحوا"],  # a verb's plural alef: not an accusative before a nisba
    ["ماكرون", "لماكرون", "وماكرون"],
    ["طالبان", "وطالبان", "لطالبان"],
]


@pytest.mark.parametrize("family", NAME_FAMILIES, ids=lambda f: f[0])
def test_name_families_meet(family: list[str]) -> None:
    terms = {word: term(word) for word in family}
    assert len(set(terms.values())) == 1, terms


# One foreign name, spelled differently by different outlets.
SPELLINGS_MEET = [
    ("أمريكا", "أميركا"),
    ("الأمريكية", "الأميركية"),
    ("أمريكي", "أميركي"),
    ("بوتين", "بوتن"),
    ("لبوتين", "لبوتن"),
    ("ترامب", "ترمب"),
    ("وترامب", "وترمب"),
    ("نتنياهو", "نتانياهو"),
    ("إنجلترا", "إنكلترا"),
    ("الإنجليزي", "الإنكليزي"),
    ("فيسبوك", "فايسبوك"),
    ("بريكست", "بريكسيت"),
    ("السيناتور", "السناتور"),
    ("السوفيتي", "السوفياتي"),
    ("الكيماوي", "الكيمياوي"),
    ("تشيلسي", "تشلسي"),
    ("زوكربيرغ", "زوكربرغ"),
    ("سكريبال", "سكريبل"),
    ("تيريزا", "تريزا"),
    ("بيتكوين", "بتكوين"),
    ("أنجيلا", "أنغيلا"),
    ("سوريا", "سورية"),  # ا/ة: both cut already
]


@pytest.mark.parametrize(("a", "b"), SPELLINGS_MEET)
def test_spellings_of_one_name_meet(a: str, b: str) -> None:
    assert term(a) == term(b)


# One edit apart as well, but different words: folds are measured, not applied by letter.
SPELLINGS_APART = [
    ("عدد", "عديد"),  # number / many: three-letter stems are never folded
    ("سلم", "سليم"),
    ("غرب", "جرب"),
    ("قال", "قايل"),
    ("ميركل", "أميركا"),  # the ميرك of Merkel is not folded: folds are whole stems
    ("ترامب", "ترام"),
    ("بوتين", "بوتان"),
]


@pytest.mark.parametrize(("a", "b"), SPELLINGS_APART)
def test_look_alike_spellings_stay_apart(a: str, b: str) -> None:
    assert term(a) != term(b)


# --- the data files --------------------------------------------------------------------------


def test_whole_words_are_normalized_and_known() -> None:
    words = whole_words()
    assert {"سلمان", "برلمان", "روما", "طالبان", "تلفزيون"} <= words
    for word in words:
        assert normalize(word) == word
        assert word not in protected_words()


@pytest.mark.slow
def test_whole_words_match_the_rule_on_the_shipped_lexicon() -> None:
    # names.txt is derived from lexicon.tsv.gz; a rule change without a rebuild fails here.
    from tools.build_lexicon import derive_whole_words

    assert {word for word, _, _ in derive_whole_words()} == whole_words()


def test_spelling_folds_are_one_step_and_keep_letters() -> None:
    folds = spelling_folds()
    assert folds["بوتن"] == "بوتين" and folds["ترمب"] == "ترامب"
    for variant, canonical in folds.items():
        assert canonical not in folds  # no chains: one lookup gives the final stem
        assert min(len(variant), len(canonical)) >= 4
        assert normalize(variant) == variant and normalize(canonical) == canonical


def test_folds_apply_to_stems_not_to_letters() -> None:
    # Only the whole stem is replaced: the ميرك inside ميركل stays.
    assert stem("ميركل") == "ميركل"
    assert unfolded_stem("بوتن") == "بوتن" and stem("بوتن") == "بوتين"

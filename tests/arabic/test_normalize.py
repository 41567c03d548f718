"""normalize(): one case per folding rule, Lucene's vectors, and the invariants."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from search.arabic import normalize, normalize_light


@pytest.mark.parametrize(
    ("rule", "text", "expected"),
    [
        # Lucene TestArabicNormalizationFilter, all of them (our rules are a superset)
        ("alef madda", "آجن", "اجن"),
        ("alef hamza above", "أحمد", "احمد"),
        ("alef hamza below", "إعاذ", "اعاذ"),
        ("alef maksura", "بنى", "بني"),
        ("teh marbuta", "فاطمة", "فاطمه"),
        ("tatweel", "روبرـــــت", "روبرت"),
        ("fatha", "مَبنا", "مبنا"),
        ("kasra", "علِي", "علي"),
        ("damma", "بُوات", "بوات"),
        ("fathatan", "ولداً", "ولدا"),
        ("kasratan", "ولدٍ", "ولد"),
        ("dammatan", "ولدٌ", "ولد"),
        ("sukun", "نلْسون", "نلسون"),
        ("shadda", "هتميّ", "هتمي"),
        # beyond Lucene
        ("alef wasla", "ٱلرحمن", "الرحمن"),
        ("dagger alef", "هٰذا", "هذا"),
        ("combining hamza above", "ا\u0654", "ا"),
        ("alef with high hamza (Kazakh, Uyghur)", "\u0675", "ا"),
        ("high hamza after a letter", "و\u0674", "و"),
        ("combining madda", "ا\u0653من", "امن"),
        ("waw hamza", "مؤتمر", "موتمر"),
        ("yeh hamza", "رئيس", "رييس"),
        ("bare hamza is kept", "سماء", "سماء"),
        ("quranic small high marks", "الصلوٰة\u06d6", "الصلوه"),
        ("quranic honorific", "محمد\u0610", "محمد"),
        ("farsi yeh", "ایران", "ايران"),
        ("yeh with vertical below", "ې", "ي"),
        ("keheh", "کتاب", "كتاب"),
        ("ae", "ە", "ه"),
        ("heh with yeh above", "ۀ", "ه"),
        ("presentation form lam-alef", "ﻻ", "لا"),
        ("presentation forms word", "ﺍﻟﺴﻼﻡ", "السلام"),
        ("arabic-indic digits", "٢٠٢٥", "2025"),
        ("eastern arabic-indic digits", "۱۴۰۳", "1403"),
        ("arabic decimal separator", "٣٫٥", "3.5"),
        ("zero-width non-joiner", "می\u200cخواهم", "ميخواهم"),
        ("rtl mark", "\u200fموسكو\u200f", "موسكو"),
        ("bidi embedding", "\u202bبكين\u202c", "بكين"),
        ("bidi isolate", "\u2067كييف\u2069", "كييف"),
        ("arabic letter mark", "\u061cنعم", "نعم"),
        ("byte order mark", "\ufeffخبر", "خبر"),
        ("latin casefold", "NATO Straße", "nato strasse"),
        ("empty", "", ""),
    ],
)
def test_rule(rule: str, text: str, expected: str) -> None:
    assert normalize(text) == expected, rule


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("المفاوضاتِ مستمرّة", "المفاوضات مستمره"),
        ("وأكّد بيسكوف أنّ موسكو", "واكد بيسكوف ان موسكو"),
        ("إنّ «أول شيء» هو المضي قدماً", "ان «اول شيء» هو المضي قدما"),
        ("مسؤولية مسئولية", "مسووليه مسيوليه"),
    ],
)
def test_real_sentences(text: str, expected: str) -> None:
    assert normalize(text) == expected


def test_light_form_keeps_ya_and_ta_marbuta() -> None:
    assert normalize_light("عَلى إلى مدرسة") == "على الى مدرسة"
    assert normalize("على") == normalize("علي")


@given(st.text())
def test_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


@given(st.text())
def test_light_idempotent(text: str) -> None:
    once = normalize_light(text)
    assert normalize_light(once) == once


@given(st.text(alphabet=st.characters(min_codepoint=0x0600, max_codepoint=0x06FF)))
def test_no_diacritics_or_tatweel_survive(text: str) -> None:
    folded = normalize(text)
    assert not any("\u064b" <= ch <= "\u065f" or ch == "\u0640" for ch in folded)

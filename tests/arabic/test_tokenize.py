"""tokenize(): offsets into the original text, what stays one token and what splits."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from search.arabic import analyze, tokenize


def surfaces(text: str) -> list[str]:
    return [t.text for t in tokenize(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("مَلكت أيمانكم", ["مَلكت", "أيمانكم"]),
        ("روبرـــت", ["روبرـــت"]),
        ("شدّد الوزيرُ", ["شدّد", "الوزيرُ"]),
        ("قال، ثم أضاف؛ لماذا؟ «نعم»…", ["قال", "ثم", "أضاف", "لماذا", "نعم"]),
        ("قال: \"نعم\" و'لا'", ["قال", "نعم", "و", "لا"]),
        ('بـ"ذا فويس"', ["بـ", "ذا", "فويس"]),
        ("#عاصي_الحلاني", ["عاصي", "الحلاني"]),
        ("1,700 كيلومتر و25.5% و٣٫٥", ["1,700", "كيلومتر", "و25.5", "و٣٫٥"]),
        ("عام 2018.", ["عام", "2018"]),
        ("F-16 وG20 كوفيد-19", ["F", "16", "وG20", "كوفيد", "19"]),
        ("Demain Dès l'Aube", ["Demain", "Dès", "l", "Aube"]),
        ("21/10/2025", ["21", "10", "2025"]),
        ("زوروا https://example.org/a?b=1. الآن", ["زوروا", "https://example.org/a?b=1", "الآن"]),
        ("(www.example.com)", ["www.example.com"]),
        ("راسلونا: news.desk@example.org، شكراً", ["راسلونا", "news.desk@example.org", "شكراً"]),
        ("\u200fموسكو\u200f", ["موسكو"]),
        ("می\u200cخواهم", ["می\u200cخواهم"]),
        ("", []),
        ("  ،،  ", []),
    ],
)
def test_tokens(text: str, expected: list[str]) -> None:
    assert surfaces(text) == expected


def test_kinds() -> None:
    kinds = [t.kind for t in tokenize("https://a.example/x a@b.example كلمة")]
    assert kinds == ["url", "email", "word"]


def test_offsets_on_original_text() -> None:
    text = "وقال المتحدثُ باسم الكرملين إنّ المفاوضاتِ مستمرّة"
    tokens = list(tokenize(text))
    assert [(t.start, t.end) for t in tokens][:2] == [(0, 4), (5, 13)]
    assert all(text[t.start : t.end] == t.text for t in tokens)


@given(st.text())
def test_offsets_slice_surface_and_increase(text: str) -> None:
    previous_end = 0
    for token in tokenize(text):
        assert text[token.start : token.end] == token.text
        assert previous_end <= token.start < token.end
        previous_end = token.end


@given(st.text(alphabet=st.characters(min_codepoint=0x0600, max_codepoint=0x06FF) | st.just(" ")))
def test_analyze_never_raises_and_keeps_offsets(text: str) -> None:
    for token in analyze(text):
        assert text[token.start : token.end] == token.text
        assert token.norm
        assert token.term is None or token.term

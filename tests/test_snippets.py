"""search.snippets: fragments around matches, and highlight offsets that land on surface words."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from search.arabic import AnalyzedToken, analyze, normalize
from search.query import Highlights
from search.snippets import ELLIPSIS, SEPARATOR, SNIPPET_CHARS, make_snippet, mark


def highlights(
    *words: str, phrases: tuple[str, ...] = (), prefixes: tuple[str, ...] = ()
) -> Highlights:
    """The Highlights a query of ``words``, ``"phrases"`` and ``prefix*`` asks for.

    Built the way the query compiler describes them: a word contributes its index terms and
    normalized forms, a quoted phrase its normalized forms, a prefix its normalized form, as a
    prefix of both (the stems of its expansions come in as words).
    """
    h = Highlights()
    for word in words:
        for t in analyze(word):
            if t.term is not None:
                h.terms.add(t.term)
                h.norms.add(t.norm)
    for phrase in phrases:
        h.norms.update(t.norm for t in analyze(phrase) if t.term is not None)
    for prefix in prefixes:
        norm = normalize(prefix)
        h.norm_prefixes.add(norm)
        h.term_prefixes.add(norm)
    return h


def matches(token: AnalyzedToken, h: Highlights) -> bool:
    """What the module's docstring promises: a token matches by term, by normalized form, or
    by starting with a prefix."""
    return (
        (token.term is not None and token.term in h.terms)
        or token.norm in h.norms
        or any(token.norm.startswith(p) for p in h.norm_prefixes)
        or (token.term is not None and any(token.term.startswith(p) for p in h.term_prefixes))
    )


def marked(snippet: str, spans: list[tuple[int, int]]) -> list[str]:
    return [snippet[a:b] for a, b in spans]


def assert_spans_are_matching_words(
    snippet: str, spans: list[tuple[int, int]], h: Highlights
) -> None:
    for a, b in spans:
        assert 0 <= a < b <= len(snippet)
        [token] = analyze(snippet[a:b])  # one whole word, nothing cut
        assert token.text == snippet[a:b]
        assert matches(token, h), (snippet[a:b], token)
    assert spans == sorted(spans)
    assert all(b1 <= a2 for (_, b1), (a2, _) in itertools.pairwise(spans))


# A news text long enough to need a fragment: nine sentences, one per line.
SENTENCES = [
    "عقدت الحكومة اجتماعها الأسبوعي في العاصمة لمناقشة مشروع الموازنة العامة للعام المقبل.",
    "وقال وزير المالية إن العجز سيتراجع بفضل زيادة الإيرادات الضريبية وترشيد الإنفاق.",
    "وأشار إلى أن أسعار النفط المرتفعة ساعدت على تحسين الوضع المالي خلال الأشهر الماضية.",
    "من جهتهم، انتقد نواب المعارضة غياب خطة واضحة لدعم الأسر محدودة الدخل.",
    "وطالبوا بزيادة المخصصات المرصودة للتعليم والصحة في المناطق الريفية البعيدة.",
    "ويتوقع خبراء اقتصاديون أن يواجه المشروع نقاشاً طويلاً داخل البرلمان قبل إقراره.",
    "وفي سياق متصل، أعلن البنك المركزي تثبيت أسعار الفائدة للمرة الثالثة على التوالي.",
    "وتأتي هذه الخطوة في ظل تباطؤ التضخم وتحسن سعر صرف العملة المحلية أمام الدولار.",
    "واختتم الوزير حديثه بالتأكيد على أن المفاوضاتِ مع المؤسسات الدولية مستمرّة",
]
LONG = "\n".join(SENTENCES)


def fragments(snippet: str) -> list[str]:
    """The pieces of the original text a snippet shows, without its ellipses."""
    body = snippet.removeprefix(ELLIPSIS + " ").removesuffix(" " + ELLIPSIS)
    return body.split(SEPARATOR)


def assert_cut_at_word_boundaries(text: str, snippet: str) -> None:
    flat = text.replace("\n", " ")
    for piece in fragments(snippet):
        start = flat.find(piece)
        assert start >= 0, piece
        end = start + len(piece)
        assert start == 0 or not flat[start - 1].isalnum(), flat[start - 1 : end]
        assert end == len(flat) or not flat[end].isalnum(), flat[start : end + 1]
        assert analyze(piece)[0].start == 0  # starts on a word, not on punctuation or space


# --- highlights land on the surface words ------------------------------------------------------


def test_query_word_marks_its_clitic_forms() -> None:
    text = "قال مسؤول إن روسيا ستشارك في القمة، ووصلت وفود إلى موسكو وروسيا، ونقلت لروسيا رسالة."
    snippet, spans = make_snippet(text, highlights("روسيا"))
    assert marked(snippet, spans) == ["روسيا", "وروسيا", "لروسيا"]
    assert marked(text, mark(text, highlights("روسيا"))) == ["روسيا", "وروسيا", "لروسيا"]


def test_definite_query_marks_indefinite_and_prefixed_forms() -> None:
    text = "بدأت مفاوضات جديدة أمس، وتمسك الوفد بالمفاوضات رغم تعثر المفاوضات السابقة."
    spans = mark(text, highlights("المفاوضات"))
    assert marked(text, spans) == ["مفاوضات", "بالمفاوضات", "المفاوضات"]


def test_diacritized_word_is_marked_whole() -> None:
    text = "وقال المتحدثُ باسم الكرملين إنّ المفاوضاتِ مستمرّة"
    snippet, spans = make_snippet(text, highlights("المفاوضات"))
    assert snippet == text
    assert marked(snippet, spans) == ["المفاوضاتِ"]
    assert spans == [(32, 42)]


def test_tatweel_and_shadda_stay_inside_the_mark() -> None:
    text = "أعلنت روسيـــا أن وفدها سيصل غداً، وأكد مسؤول أن روسيّا ترحب بالوساطة."
    assert marked(text, mark(text, highlights("روسيا"))) == ["روسيـــا", "روسيّا"]


def test_phrase_marks_exact_forms_only() -> None:
    text = "التقى وزير الخارجية نظيره، فيما غاب الوزير عن الجلسة ووزيرة الخارجية في سفر."
    spans = mark(text, highlights(phrases=("وزير الخارجية",)))
    assert marked(text, spans) == ["وزير", "الخارجية", "الخارجية"]


def test_prefix_marks_words_starting_with_it() -> None:
    text = "تراجع الاقتصاد العالمي، وقال خبراء اقتصاديون إن الاقتصادات الناشئة صامدة."
    spans = mark(text, highlights(prefixes=("اقتصا",)))
    assert marked(text, spans) == ["الاقتصاد", "اقتصاديون", "الاقتصادات"]


def test_stopwords_are_never_marked() -> None:
    text = "قال إن المفاوضات في جنيف ستستأنف في الربيع."
    assert marked(text, mark(text, highlights("في", "المفاوضات"))) == ["المفاوضات"]


def test_title_marks_are_offsets_into_the_title() -> None:
    title = "وسطاء يوجهون دعوة لبوتين وزيلينسكي إلى جولة مفاوضات جديدة"
    assert marked(title, mark(title, highlights("بوتين", "المفاوضات"))) == ["لبوتين", "مفاوضات"]


# --- fragments ---------------------------------------------------------------------------------


def test_short_text_is_the_whole_snippet() -> None:
    text = "أقرت الحكومة مشروع الموازنة العامة"
    snippet, spans = make_snippet(text, highlights("الموازنة"))
    assert snippet == text
    assert marked(snippet, spans) == ["الموازنة"]


@pytest.mark.parametrize(
    "word", ["الحكومة", "الإيرادات", "الدخل", "الفائدة", "الدولار", "المفاوضات"]
)
def test_fragment_is_about_200_chars_cut_at_word_boundaries(word: str) -> None:
    snippet, spans = make_snippet(LONG, highlights(word))
    assert len(LONG) > 3 * SNIPPET_CHARS
    assert SNIPPET_CHARS * 3 // 4 <= len(snippet) <= SNIPPET_CHARS + 2 * len(ELLIPSIS + " ")
    assert len(fragments(snippet)) == 1
    assert_cut_at_word_boundaries(LONG, snippet)
    assert [normalize(w) for w in marked(snippet, spans)] == [normalize(word)]


def test_fragment_in_the_middle_has_ellipses_on_both_sides() -> None:
    snippet, _ = make_snippet(LONG, highlights("اقتصاديون"))
    assert snippet.startswith(ELLIPSIS + " ")
    assert snippet.endswith(" " + ELLIPSIS)


def test_fragment_at_the_start_has_no_leading_ellipsis() -> None:
    snippet, spans = make_snippet(LONG, highlights("الحكومة"))
    assert snippet.startswith("عقدت الحكومة")
    assert snippet.endswith(" " + ELLIPSIS)
    assert spans == [(5, 12)]


def test_fragment_at_the_end_has_no_trailing_ellipsis() -> None:
    snippet, _ = make_snippet(LONG, highlights("المفاوضات"))
    assert snippet.startswith(ELLIPSIS + " ")
    assert snippet.endswith("مستمرّة")


def test_no_trailing_ellipsis_when_only_the_final_full_stop_is_left_out() -> None:
    # The fragment ends on the last word; all that remains of the text is its full stop, so
    # the snippet must not suggest that the article goes on.
    text = LONG + "."
    snippet, _ = make_snippet(text, highlights("المفاوضات"))
    assert not snippet.endswith(ELLIPSIS), snippet[-30:]


def test_two_fragments_when_query_words_are_far_apart() -> None:
    snippet, spans = make_snippet(LONG, highlights("الحكومة", "المفاوضات"))
    pieces = fragments(snippet)
    assert len(pieces) == 2
    assert SEPARATOR in snippet
    assert marked(snippet, spans) == ["الحكومة", "المفاوضاتِ"]
    assert len(snippet) <= SNIPPET_CHARS + 2 * len(SEPARATOR)
    assert_cut_at_word_boundaries(LONG, snippet)
    first, second = (LONG.replace("\n", " ").find(p) for p in pieces)
    assert first < second  # in text order


def test_one_fragment_when_query_words_are_close() -> None:
    snippet, spans = make_snippet(LONG, highlights("الحكومة", "الموازنة"))
    assert len(fragments(snippet)) == 1
    assert marked(snippet, spans) == ["الحكومة", "الموازنة"]


def test_no_match_gives_the_lead_of_the_text() -> None:
    snippet, spans = make_snippet(LONG, highlights("زرافة"))
    assert spans == []
    assert snippet.startswith("عقدت الحكومة اجتماعها")
    assert snippet.endswith(" " + ELLIPSIS)
    assert len(snippet) <= SNIPPET_CHARS + len(" " + ELLIPSIS)
    assert_cut_at_word_boundaries(LONG, snippet)


def test_no_match_in_a_short_text_gives_all_of_it() -> None:
    text = "أقرت الحكومة\nمشروع الموازنة"
    assert make_snippet(text, highlights("زرافة")) == ("أقرت الحكومة مشروع الموازنة", [])


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\n\n", "\t", "\u2028"])
def test_line_breaks_inside_a_fragment_become_spaces_without_moving_offsets(newline: str) -> None:
    text = newline.join(SENTENCES[:3])
    snippet, spans = make_snippet(text, highlights("الإيرادات", "النفط"))
    assert len(snippet.splitlines()) == 1 and "\t" not in snippet
    assert marked(snippet, spans) == ["الإيرادات", "النفط"]


def test_empty_text() -> None:
    assert make_snippet("", highlights("بوتين")) == ("", [])


# --- invariant: any text, any highlights -------------------------------------------------------

# Real news words, with clitics, diacritics, tatweel, hamza and ta-marbuta variants, numbers,
# stopwords and Latin, so that terms, norms and prefixes all get exercised.
VOCABULARY = [
    "روسيا", "وروسيا", "لروسيا", "روسيـــا", "الروسي", "بوتين", "لبوتين", "وبوتين",
    "المفاوضات", "المفاوضاتِ", "مفاوضات", "بالمفاوضات", "مستمرّة", "مستمره", "الكرملين",
    "أوكرانيا", "اوكرانيا", "الحكومة", "الحكومه", "الحكومات", "وزير", "الخارجية", "وزيرة",
    "إلى", "الى", "في", "من", "الذين", "على", "علي", "قال", "وقال", "المتحدثُ", "شدّد",
    "١٥٠٠", "1,700", "25.5", "NATO", "OPEC", "الاقتصاد", "اقتصاديون", "غزة", "القاهرة",
    "مستشفى", "مستشفي", "الصحة", "الصحه", "يُعَدّ", "الذكاء", "الاصطناعي",
]  # fmt: skip
SEPARATORS = [" ", " ", " ", "\n", "، ", ". ", " «", "» ", "\r\n", " - ", "؟ ", ": "]

words_text = st.lists(
    st.tuples(st.sampled_from(VOCABULARY), st.sampled_from(SEPARATORS)), max_size=120
).map(lambda pairs: "".join(w + s for w, s in pairs))
# Raw characters of the Arabic block (letters, harakat, tatweel, punctuation, digits), spaces.
chars_text = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x0600, max_codepoint=0x06FF), st.sampled_from(" \n.،")
    ),
    max_size=400,
)


@st.composite
def text_and_highlights(draw: st.DrawFn) -> tuple[str, Highlights]:
    text = draw(st.one_of(words_text, chars_text))
    own = [t.text for t in analyze(text)]
    pool = VOCABULARY + own
    words = draw(st.lists(st.sampled_from(pool), max_size=4))
    phrases = draw(st.lists(st.sampled_from(pool), max_size=2))
    prefixes = [
        p for p in draw(st.lists(st.sampled_from(pool), max_size=2)) if len(normalize(p)) >= 2
    ]
    cut = draw(st.integers(min_value=2, max_value=4))
    prefixes = [normalize(p)[:cut] for p in prefixes]
    return text, highlights(*words, phrases=tuple(phrases), prefixes=tuple(prefixes))


@given(text_and_highlights())
def test_every_span_slices_the_snippet_to_a_matching_word(case: tuple[str, Highlights]) -> None:
    text, h = case
    snippet, spans = make_snippet(text, h)
    assert_spans_are_matching_words(snippet, spans, h)
    # and nothing that matches inside the snippet is left unmarked
    expected = [(t.start, t.end) for t in analyze(snippet) if matches(t, h)]
    assert spans == expected


@given(text_and_highlights())
def test_mark_spans_slice_the_text_to_every_matching_word(case: tuple[str, Highlights]) -> None:
    text, h = case
    spans = mark(text, h)
    assert_spans_are_matching_words(text, spans, h)
    assert spans == [(t.start, t.end) for t in analyze(text) if matches(t, h)]


def test_a_letter_normalize_deletes_inside_a_word_does_not_hide_it() -> None:
    # The high hamza (U+0674) is deleted by normalize: ؠٴؠ is the word ؠؠ (found by hypothesis)
    h = Highlights(terms=set(), norms=set(), term_prefixes={"ؠؠ"}, norm_prefixes={"ؠؠ"})
    assert mark("ؠ\u0600ؠٴؠ", h) == [(2, 5)]
    assert mark("ولي\u0674 العهد", highlights("ولي")) == [(0, 4)]

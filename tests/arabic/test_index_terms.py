"""index_terms(): the indexing path gives exactly analyze()'s terms and norms, without stopwords."""

from __future__ import annotations

import gzip
import itertools
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from search import arabic
from search.arabic import analyze, index_terms


def expected(text: str) -> tuple[list[str], list[str]]:
    tokens = [t for t in analyze(text) if t.term is not None]
    return [t.term for t in tokens], [t.norm for t in tokens]


SENTENCES = [
    "",
    " ",
    " \n\t\u00a0\u2003 ",
    "وقال المتحدثُ باسم الكرملين إنّ المفاوضاتِ مستمرّة",
    "أعلنت وزارةُ الصحة السعودية، اليوم الأحد، تسجيلَ ١٬٧٠٠ إصابة جديدة بفيروس كوفيد-19",
    "وبلغ عدد الحجاج 1,700,000 حاج، بزيادة 25.5% عن العام الماضي و30 ألفاً عن توقعات الهيئة",
    "اشترت القوات الجوية 12 طائرة F-16 من طراز Block 70 بقيمة ٣٫٥ مليار دولار",
    "وللمرة الأولى منذ عام ٢٠١١ يلتقي الرئيسان في جنيف؛ فهل تنجح القمة؟",
    "قال ولي العهد: «إن المملكة ماضية في رؤية 2030»… وأضاف أن الاستثمارات ستتضاعف",
    "الاقتصـــاد الوطنـــي ينمو بنسبة ٤٪ والتضخم يتراجع إلى 2.1 بالمئة",
    "تابعونا على www.spa.gov.sa/ar أو عبر البريد info@spa.gov.sa للمزيد",
    "كتب المغرّد عبر #عاصي_الحلاني وَ#رؤية_2030 تعليقاً لاقى انتشاراً واسعاً",
    "وفي المقابل، أكّد وزيرُ الخارجيةِ الأمريكي أنّ واشنطن لن تتراجع عن العقوبات المفروضة",
    "بالمفاوضات والحوار وبالتعاون مع الأشقاء، وكذلك للمنظمات الدولية ولبوتين وترمب",
    "نقلت وكالة Reuters عن مصادر في OPEC+ أن الإنتاج سيرتفع بـ500 ألف برميل يومياً",
    "فاز الهلال على النصر 3-1 في الدوري، وسجّل سالم الدوسري هدفين في الدقيقتين 45+2 و90",
    "ارتفع مؤشر تاسي بـ ١٢٠ نقطة (1.2%) ليغلق عند 11,250.75 نقطة",
    "علي بن أبي طالب على الطريق إلى مكة التي هي في الذين آمنوا",
    "ﻻ تزال الأسعار مرتفعة في ﺍﻟﺴﻮﻕ، حسب بيانات 2024/2025",
    "زار الرئيس الفرنسي إيمانويل ماكرون الرياضَ في الـ 4 من ديسمبر/كانون الأول 2025",
    'وقال: "لن نسمح" - في إشارة إلى كوفيد-١٩ و(سارس-كوف-2) - مضيفاً أن الوضع مستقر',
    "الرقم و1,700 وب2025 ول3.5 وك٤٠ ف١٬٢٠٠ و,5 1,70 1,7000 12,345,678",
    "ـــ ـ ، . ! ؟ « » … - _ / \\ | ~",
    "Hello WORLD café naïve Ñandú ǰ",
    "\u200fالرياض\u200f \u200cوالمدينة\ufeff الشرقية\u00adالجديدة",
    "قرأ القرآنَ الكريمَ ﷺ وقال: ٱلْحَمْدُ لِلَّهِ رَبِّ ٱلْعَٰلَمِينَ",
    "سألت ماذا؟ لماذا؟ متى؟ هل؟ لن، لم، قد، إذا، إذ، حيث، بينما",
]


@pytest.mark.parametrize("text", SENTENCES)
def test_same_terms_and_norms_as_analyze(text: str) -> None:
    assert index_terms(text) == expected(text)


def test_again_from_the_memo() -> None:
    for text in SENTENCES:
        index_terms(text)
    for text in SENTENCES:
        assert index_terms(text) == expected(text)


def test_whole_text_at_once_and_after_the_memo_is_cleared() -> None:
    text = "\n".join(SENTENCES)
    assert index_terms(text) == expected(text)
    arabic._CHUNKS.clear()
    assert index_terms(text) == expected(text)


def test_stopwords_and_punctuation_leave_nothing() -> None:
    assert index_terms("في على إلى من عن ، . « »") == ([], [])


def test_the_memo_stays_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(arabic, "WORD_CACHE_SIZE", 8)
    arabic._CHUNKS.clear()
    for n in range(100):
        assert index_terms(f"الوزير{n} و{n} وزارة") == expected(f"الوزير{n} و{n} وزارة")
        assert len(arabic._CHUNKS) <= 8
    arabic._CHUNKS.clear()


ALPHABET = st.sampled_from(
    [
        *"ابتثجحخدذرسشصضطظعغفقكلمنهويءأإآؤئةى",  # letters
        *"وفبلك",  # clitics, weighted up
        "ال",
        *"\u064b\u064e\u064f\u0650\u0651\u0652\u0670",  # harakat, shadda, sukun, dagger alef
        "\u0640",  # tatweel
        *"0123456789٠١٢٣٤٥٦٧٨٩",
        *"abcXYZé",
        *".,٫٬-_/:;!?،؛؟«»()\"'…%+@#",
        "www.",
        "http://",
        *" \n\t\u00a0\u2003\u200c\u200f\ufeff",
    ]
)


@given(st.lists(ALPHABET, max_size=60).map("".join))
def test_property_random_strings(text: str) -> None:
    assert index_terms(text) == expected(text)


@given(st.text())
def test_property_any_text(text: str) -> None:
    assert index_terms(text) == expected(text)


SAMPLE = 2_000
CORPORA = (
    "saudinewsnet/saudinewsnet.jsonl.gz",
    "antcorpus_multisource_v2.1/ant_v2.1_multisource.jsonl.gz",
    "antcorpus_v1.1/ant_v1.1_jawharafm.jsonl.gz",
)


@pytest.mark.corpus
@pytest.mark.slow
def test_real_articles(shared_data: Path) -> None:
    # Every 10th article of the first ones of each corpus, ~2,000 in all.
    checked = 0
    for name in CORPORA:
        with gzip.open(shared_data / name, "rt", encoding="utf-8") as lines:
            for line in itertools.islice(lines, 0, 10 * SAMPLE // len(CORPORA), 10):
                record = json.loads(line)
                for text in (record.get("title") or "", record.get("body") or ""):
                    assert index_terms(text) == expected(text), (record.get("id"), text[:80])
                checked += 1
    assert checked >= SAMPLE - len(CORPORA)

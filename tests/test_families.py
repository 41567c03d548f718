"""Word families by root (``search.arabic.root``, ``search.spelling.families``): a rare form
still finds its family, at a low weight, and only when its own stem is rare."""

from __future__ import annotations

from pathlib import Path

import pytest

from search import Searcher, layout
from search.arabic.root import candidate_roots
from search.spelling.families import MIN_STEMS, RARE_ARTICLES, Families, group
from tests.conftest import MakeIndex

pytestmark = pytest.mark.usefixtures("engine")

# Stems of the root فوض (negotiating, mandating), of كتب, and one of a lone root.
TERMS = [
    ("مفاوض", 40),
    ("تفاوض", 30),
    ("تفويض", 12),
    ("مفوض", 9),
    ("كتاب", 50),
    ("مكتب", 20),
    ("كاتب", 15),
    ("مكتوب", 4),
    ("مزلقان", 3),
]


@pytest.mark.parametrize(
    ("stem", "root"),
    [
        ("مفاوض", "فوض"),
        ("تعليم", "علم"),
        ("يستقبل", "قبل"),
        ("انتخاب", "نخب"),
        ("مدارس", "درس"),
        ("استثمار", "ثمر"),
        ("فاوضناهم", "فوض"),  # a verb with its subject and object: the suffixes set aside
    ],
)
def test_a_stem_reads_as_its_root_by_its_pattern(stem: str, root: str) -> None:
    assert root in candidate_roots(stem)


def test_the_archive_chooses_among_readings_and_checks_each_root() -> None:
    families = Families(group(TERMS))
    assert families.root_of("مفاوض") == "فوض"  # not فاض: the archive's words share فوض
    assert [stem for stem, _ in families.family("تفويض")] == ["مفاوض", "تفاوض", "مفوض"]
    assert families.root_of("مكتوب") == "كتب"
    assert families.root_of("مزلقان") is None  # fewer than MIN_STEMS stems read its roots
    assert MIN_STEMS > 1


def test_a_families_file_reads_back_and_a_damaged_line_is_left_out() -> None:
    families = Families(group(TERMS), 80)
    again = Families.parse(families.to_text() + "جذر\tكلمة:x بلا\n")
    assert again.articles == 80 and again.family("مفاوض") == families.family("مفاوض")
    assert again.family("جذر") == []


BODIES = {
    "talks": "بدأت جولة جديدة من المفاوضات بين الوفدين في العاصمة، وقال المفاوضون إن التفاوض "
    "سيستمر أياما.",
    "mandate": "منح البرلمان الحكومة تفويضا بإدارة الملف، وقال المفوض إن التفويض محدود.",
    "books": "افتتح معرض الكتاب أبوابه، وقال الكاتب إن الكتاب ما زال يجد قراءه.",
}


@pytest.fixture
def index(make_index: MakeIndex) -> Path:
    records = [
        {"id": f"{name}-{n}", "title": f"خبر {n}", "body": body, "date": "2024-01-02"}
        for name, body in BODIES.items()
        for n in range(8)
    ]
    return make_index(records)


def test_a_rare_form_finds_its_family_below_the_word_itself(index: Path) -> None:
    assert Families.read(layout.current(index)) is not None
    with Searcher(index) as searcher:
        found = searcher.search("فاوضناهم", limit=50, explain=True)  # in no article
        assert found.unknown == ["فاوضناهم"]
        assert {hit.id.split("-")[0] for hit in found} == {"talks", "mandate"}
        for hit in found:
            assert hit.explanation is not None
            assert {part.kind for part in hit.explanation.parts} == {"same root"}
            assert hit.highlights  # the family's words are marked
        frequent = searcher.search("المفاوضات", limit=50)  # its own stem is held
        assert {hit.id.split("-")[0] for hit in frequent} == {"talks"}
        assert searcher.search("فاوضناهم", limit=50, stemming=False).total == 0
    assert RARE_ARTICLES <= 8  # the talks hold مفاوض 8 times

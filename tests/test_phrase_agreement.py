"""Both engines rank a phrase's articles alike: by BM25 of the phrase itself (``contract.Phrase``).

The articles are made of real news sentences so that a phrase and its words disagree: some use
ولي العهد (the crown prince) several times, others once but hold ولي (guardian) and العهد (era)
apart in other sentences. Ranked on the phrase, as tantivy does, the ones using it most come
first; ranked on each word's own frequency, as whoosh's own phrase query does, the others did.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from search import Article, Indexer, Searcher
from search.results import Results

ENGINES = ("whoosh", "tantivy")

CROWN_PRINCE = "واستقبل ولي العهد في قصره بالرياض وفدا من رجال الأعمال."
CABINET = "وعقد مجلس الوزراء جلسته الأسبوعية برئاسة خادم الحرمين الشريفين."
# Each phrase's words, each without the other.
APART = {
    CROWN_PRINCE: (
        "وأكد ولي أمر الطالب أن المدرسة لم تبلغه بالقرار.",
        "وقال إن العهد الجديد يفتح أبوابا واسعة للاستثمار.",
    ),
    CABINET: (
        "وناقش مجلس إدارة الشركة خطة التوسع في المنطقة الشرقية.",
        "وحضر اللقاء عدد من الوزراء والمسؤولين في الحكومة.",
    ),
}
FILLER = (
    "وأعلنت وزارة الصحة افتتاح مستشفى جديد في جدة.",
    "وتوقعت الأرصاد هطول أمطار غزيرة على منطقة عسير.",
    "وارتفع مؤشر سوق الأسهم السعودية في تعاملات اليوم.",
)
# (times the phrase's sentence, rounds of its words apart, filler sentences): articles that
# use the phrase often, or once among its words apart, or once among filler; and articles
# with only its words apart, or neither. Bodies stay under 40 terms, where both engines
# keep a field's exact length (longer ones are rounded, each engine its own way).
SHAPES = [(3, 0, 1), (2, 0, 1), (2, 0, 2), (1, 2, 0), (1, 1, 1), (1, 0, 1), (1, 0, 3)]
SHAPES += [(0, 2, 1), (0, 0, 2)]


def _articles() -> list[Article]:
    articles = []
    for name, phrase in (("crown", CROWN_PRINCE), ("cabinet", CABINET)):
        for number, (times, apart, filler) in enumerate(SHAPES):
            sentences = [phrase] * times + list(APART[phrase]) * apart + list(FILLER[:filler])
            articles.append(
                Article(id=f"{name}-{number}", title="أخبار المملكة", body=" ".join(sentences))
            )
    return articles


@pytest.fixture(scope="module")
def searchers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Searcher]]:
    root: Path = tmp_path_factory.mktemp("phrases")
    opened = {}
    for engine in ENGINES:
        Indexer(root / engine, engine=engine, workers=1).add_articles(_articles())
        opened[engine] = Searcher(root / engine)
    yield opened
    for searcher in opened.values():
        searcher.close()


def _places(results: Results) -> dict[str, int]:
    """Each hit's place, articles of equal score sharing one: ties may come in any order."""
    places: dict[str, int] = {}
    last = None
    for hit in results:
        score = round(hit.score, 3)
        if score != last:
            place, last = len(places), score
        places[hit.id] = place
    return places


@pytest.mark.parametrize("phrase", ['"ولي العهد"', '"مجلس الوزراء"', '"خادم الحرمين الشريفين"'])
def test_the_engines_rank_a_phrase_alike(searchers: dict[str, Searcher], phrase: str) -> None:
    """Where both engines' scores tell two articles apart, they put them in the same order."""
    whoosh, tantivy = (_places(searchers[e].search(phrase, limit=20)) for e in ENGINES)
    assert whoosh.keys() == tantivy.keys()
    for first in whoosh:
        for second in whoosh:
            ordered = (whoosh[first] - whoosh[second]) * (tantivy[first] - tantivy[second])
            assert ordered >= 0, (phrase, first, second, whoosh, tantivy)


def test_a_phrase_ranks_by_its_own_frequency(searchers: dict[str, Searcher]) -> None:
    """Articles using the phrase more rank first, however often the others hold its words
    apart."""
    for engine, searcher in searchers.items():
        found = [hit.id for hit in searcher.search('"ولي العهد"', limit=20)]
        assert found[:3] == ["crown-0", "crown-1", "crown-2"], engine
        assert set(found[3:]) == {"crown-3", "crown-4", "crown-5", "crown-6"}, engine

"""Both engines rank a phrase's articles alike: by BM25 of the phrase itself (``contract.Phrase``).

The articles are made of real news sentences so that a phrase and its words disagree: some use
ولي العهد (the crown prince) several times, others once but hold ولي (guardian) and العهد (era)
apart in other sentences. Ranked on the phrase, as tantivy does, the ones using it most come
first; ranked on each word's own frequency, as whoosh's own phrase query does, the others did.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path

import pytest

from search import Article, Indexer, Searcher
from search.engine import compiling
from search.engine import contract as q
from search.engine.contract import EngineReader
from search.engine.testing import EngineContract, terms_of
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


# --- sloppy phrases (the proximity bonus) -------------------------------------------------------

NEAR = ("مجلس", "الوزراء")  # (council, ministers): both indexed as written, normalized
FILLER_WORDS = ("ميزانية", "التعليم", "الصحة", "النقل", "الزراعة", "الطاقة", "المياه")
FILLER_WORDS += ("السياحة", "الإسكان", "التجارة")
LENGTH = 12  # every body this long, so scores differ by the pairs counted alone
# Where each article holds the two words (first's positions, second's positions).
PLACES = {
    "adjacent": ((3,), (4,)),
    "one-between": ((3,), (5,)),
    "four-between": ((2,), (7,)),
    "five-between": ((1,), (7,)),
    "swapped": ((5,), (4,)),
    "swapped-far": ((9,), (2,)),
    "twice": ((1, 7), (2, 9)),
    # crowded: counted 2 walking from the first word's positions, 3 from the second's
    "crowded": ((1, 3, 4), (2, 6, 7)),
    "first-only": ((2, 6), ()),
    "second-only": ((), (5,)),
}
# Articles holding the first word alone make the second the rarer: tantivy walks from it.
EXTRA_FIRSTS = 4


def _near_articles() -> tuple[Article, ...]:
    articles = []
    shapes = list(PLACES.items()) + [(f"first-{n}", ((n,), ())) for n in range(EXTRA_FIRSTS)]
    for name, (firsts, seconds) in shapes:
        words = [FILLER_WORDS[i % len(FILLER_WORDS)] for i in range(LENGTH)]
        for i in firsts:
            words[i] = NEAR[0]
        for i in seconds:
            words[i] = NEAR[1]
        articles.append(Article(id=name, title="أخبار", body=" ".join(words)))
    return tuple(articles)


def _readers(root: Path) -> dict[str, EngineReader]:
    readers = {}
    for engine in (*ENGINES, "xapian"):
        if engine == "xapian" and importlib.util.find_spec("xapian") is None:
            continue
        suite = EngineContract()
        suite.engine_name = engine
        (root / engine).mkdir()
        readers[engine] = suite.built(root / engine, _near_articles())
    return readers


@pytest.fixture(scope="module")
def readers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, EngineReader]]:
    opened = _readers(tmp_path_factory.mktemp("near"))
    yield opened
    for reader in opened.values():
        reader.close()


def _pairs(slop: int) -> dict[str, int]:
    """Each article's count of the two words near each other, as the contract defines it."""
    articles = _near_articles()
    norms = _near_norms()
    frequencies = [sum(n in terms_of(a, "body_exact") for a in articles) for n in norms]
    phrase = q.Phrase("body_exact", norms, slop=slop)
    rarer = int(frequencies[1] < frequencies[0])
    counts = {}
    for article in articles:
        found = terms_of(article, "body_exact")
        first, second = ([i for i, n in enumerate(found) if n == w] for w in norms)
        if pairs := phrase.near(first, second, rarer):
            counts[article.id] = pairs
    return counts


def _near_norms() -> tuple[str, ...]:
    return tuple(terms_of(Article(id="-", title="", body=" ".join(NEAR)), "body_exact"))


def _scores(reader: EngineReader, query: q.Query) -> dict[str, float]:
    hits = reader.top(query, 100, None, False)
    return dict(zip(reader.ids_of([h.ref for h in hits]), (h.score for h in hits), strict=True))


def test_the_near_words_hold_as_the_contract_counts_them() -> None:
    """The articles are built as their names say (a check of the test's own data)."""
    assert _pairs(1) == {"adjacent": 1, "one-between": 1, "twice": 2, "crowded": 2}
    assert _pairs(2) == {
        "adjacent": 1, "one-between": 1, "swapped": 1, "twice": 2, "crowded": 3,
    }  # fmt: skip
    assert set(_pairs(4)) == set(_pairs(2)) | {"four-between"}
    assert "five-between" not in _pairs(4) and "swapped-far" not in _pairs(6)


@pytest.mark.parametrize("slop", [1, 2, 4])
def test_every_engine_finds_the_words_near_each_other_alike(
    readers: dict[str, EngineReader], slop: int
) -> None:
    """The same articles match a sloppy phrase on every engine: those the contract counts."""
    words = _near_norms()
    wanted = set(_pairs(slop))
    for engine, reader in readers.items():
        found = _scores(reader, q.Phrase("body_exact", words, slop=slop))
        assert set(found) == wanted, (engine, slop)


@pytest.mark.parametrize("slop", [1, 2, 4])
def test_a_sloppy_phrase_scores_by_the_pairs_counted(
    readers: dict[str, EngineReader], slop: int
) -> None:
    """On whoosh and tantivy, articles of one length score alike for as many pairs and more
    for more: the count is the phrase's frequency, the crowded article's walked from the
    rarer word on both."""
    words = _near_norms()
    counts = _pairs(slop)
    for engine in ENGINES:
        found = _scores(readers[engine], q.Phrase("body_exact", words, 2.0, slop))
        by_count: dict[int, set[float]] = {}
        for article, pairs in counts.items():
            by_count.setdefault(pairs, set()).add(round(found[article], 3))
        assert all(len(scores) == 1 for scores in by_count.values()), (engine, by_count)
        ranked = [by_count[n].pop() for n in sorted(by_count)]
        assert ranked == sorted(set(ranked)), (engine, ranked)


def test_a_sloppy_phrase_has_two_different_words() -> None:
    with pytest.raises(ValueError, match="two different words"):
        q.Phrase("body_exact", ("a", "b", "c"), slop=2)
    with pytest.raises(ValueError, match="two different words"):
        q.Phrase("body_exact", ("a", "a"), slop=2)
    assert q.Phrase("body_exact", ("a", "b", "c")).slop == 0


@pytest.mark.parametrize("engine", ENGINES)
def test_query_words_near_each_other_rank_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engine: str
) -> None:
    """With a proximity weight, of articles holding both words as often, in bodies of one
    length, those holding them close rank first, adjacent or one word apart alike; without
    it they tie."""
    Indexer(tmp_path, engine=engine, workers=1).add_articles(_near_articles())
    query = " ".join(NEAR)
    close, apart = {"adjacent", "one-between", "swapped"}, {"five-between", "swapped-far"}
    with Searcher(tmp_path) as searcher:
        monkeypatch.setattr(compiling, "PROXIMITY_WEIGHT", 0.0)
        plain = {hit.id: round(hit.score, 3) for hit in searcher.search(query, limit=20)}
        assert len({plain[a] for a in close | apart}) == 1
        monkeypatch.setattr(compiling, "PROXIMITY_WEIGHT", 1.0)
        monkeypatch.setattr(compiling, "PROXIMITY_SLOP", 2)
        scores = {hit.id: round(hit.score, 3) for hit in searcher.search(query, limit=20)}
    assert len({scores[a] for a in close}) == 1
    assert min(scores[a] for a in close) > max(scores[a] for a in apart)
    assert {scores[a] for a in apart} == {plain[a] for a in apart}

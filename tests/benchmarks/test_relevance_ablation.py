"""The relevance harness's ablations and its two sets on the news collection (issue 27).

Made-up data only (no shared corpora): the hard forms on a small hand-made vocabulary, the
names generator on a few documents, the ablation comparison on made-up per-query scores, and
the root fallback switched off on a real three-article index.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.core.engines import BahthEngine
from benchmarks.peers import Doc
from benchmarks.relevance import ablation
from benchmarks.relevance.hardforms import bare_variants, seat_variants, suffix_variants
from benchmarks.relevance.knownitem import Vocabulary
from benchmarks.relevance.systems import SYSTEMS, root_fallback_off, run_queries
from benchmarks.variants import Judged
from benchmarks.variants.queries import name_queries


def _vocab(counts: dict[str, int]) -> Vocabulary:
    return Vocabulary(counts=counts, doc_freq={}, docs=1000)


def test_hard_forms_are_attested_and_light10_keeps_them() -> None:
    vocab = _vocab(
        {"أسلحتهم": 5, "أسلحتنا": 1, "بحكومة": 9, "لحكومة": 4, "للتحول": 50, "مسئول": 7,
         "مسوول": 3, "الحكومتهم": 9}
    )  # fmt: skip
    assert suffix_variants("أسلحة", vocab) == ["أسلحتهم"]  # ة → ت; نا seen once: not attested
    assert suffix_variants("الحكومة", vocab) == []  # no possessive after ال
    assert bare_variants("حكومة", vocab) == ["بحكومة", "لحكومة"]
    assert bare_variants("لتحول", vocab) == []  # للتحول reads as لل + تحول to light10
    assert seat_variants("مسؤول", vocab) == ["مسئول", "مسوول"]


def test_names_queries_spell_the_name_as_the_article_does_not() -> None:
    docs = {
        "a": ("ترمب يزور المكسيك لبحث الحدود", "قال ترمب"),
        "b": ("ترامب يلتقي رئيس المكسيك في الحدود", "قال ترامب"),
        "c": ("المكسيك تغلق الحدود", "لا اسم"),
    }
    words = {d: set(f"{t} {b}".split()) for d, (t, b) in docs.items()}

    def holding(form: str, absent: str | None) -> list[tuple[str, str]]:
        return [
            (d, docs[d][0]) for d in sorted(docs) if form in words[d] and absent not in words[d]
        ]

    def df(word: str) -> int:
        return sum(word in w for w in words.values())

    pair = Judged("ترامب", "ترمب", "variant", "vowel", "Trump")
    found = name_queries([pair], holding, df, lambda text: text, per_pair=2, seed=1)
    across = {(q.query, q.target) for q in found if q.across}
    assert across == {("ترامب المكسيك الحدود", "a"), ("ترمب المكسيك الحدود", "b")}
    assert {(q.typed, q.target) for q in found if not q.across} == {("ترامب", "b"), ("ترمب", "a")}


def test_each_part_is_compared_with_its_own_engines_full_system() -> None:
    full = [1.0, 0.5, 1.0, 0.0] * 10
    per_query = {
        "bahth-default": {"mrr@10": full},
        "bahth-no-roots": {"mrr@10": full},
        "bahth-tantivy-default": {"mrr@10": full},
        "bahth-tantivy-no-variants": {"mrr@10": [0.0, 0.5, 0.0, 0.0] * 10},
    }
    compared = ablation.compare(per_query, permutations=2000, seed=3)
    assert compared["bahth-no-roots"]["delta"] == 0 and compared["bahth-no-roots"]["p"] == 1
    lost = compared["bahth-tantivy-no-variants"]
    assert lost["full"] == "bahth-tantivy-default"
    assert lost["delta"] == pytest.approx(-0.5) and lost["worse"] == 20 and lost["p"] < 0.01
    results = {
        "settings": {"permutations": 2000},
        "sets": {
            "names": {
                "systems": {
                    name: {"means": {"mrr@10": sum(v["mrr@10"]) / 40}}
                    for name, v in per_query.items()
                },
                "ablation": compared,
            }
        },
    }
    section = "\n".join(ablation.markdown(results))
    assert "| system | names whoosh | names tantivy |" in section
    assert "| 0.125 (-0.500*) |" in section  # tantivy without variants
    assert "rejected" in section  # proximity's row


def test_no_roots_turns_the_fallback_off_for_its_queries_only(tmp_path: Path) -> None:
    assert SYSTEMS["bahth-no-roots"].engine == "bahth-whoosh"
    assert SYSTEMS["bahth-tantivy-no-roots"].engine == "bahth-tantivy"
    engine = BahthEngine("tantivy")
    docs = [
        Doc(id="1", title="مفاوضات السلام", body="بدأت المفاوضات بين الوفدين اليوم", date=None),
        Doc(id="2", title="تفويض الوزير", body="منح الرئيس الوزير تفويضا كاملا", date=None),
        Doc(id="3", title="كرة القدم", body="فاز الفريق بالمباراة", date=None),
    ]
    engine.build(docs, tmp_path / "index", 1)
    engine.open(tmp_path / "index")
    try:
        family = engine.searcher._family
        with root_fallback_off(engine):
            assert engine.searcher._family is None
        assert engine.searcher._family is family
        run = run_queries(engine, SYSTEMS["bahth-tantivy-no-roots"], {"q": "المفاوضات"}, 10, 0)
        assert run.ranked["q"][0] == "1"
        assert engine.searcher._family is family
    finally:
        engine.close()

"""The known-item query generator (benchmarks/relevance/knownitem.py), on a made-up article.

No shared data needed: the pool's statistics are a small hand-made vocabulary.
"""

from __future__ import annotations

import ast
import random
from pathlib import Path

import pytest

from benchmarks.relevance import knownitem
from benchmarks.relevance.knownitem import (
    Vocabulary,
    add_diacritics,
    clitic_variants,
    final_variants,
    fold,
    hamza_variants,
    make_query,
    query_rng,
    written_words,
)

TITLE = "الحكومة تعلن خطة جديدة لدعم المستشفيات"
BODY = (
    "أعلنت الحكومة اليوم خطة لدعم المستشفيات في المدينة. وقال وزير الصحة إن المستشفيات "
    "ستتلقى أجهزة حديثة، وإن الخطة تشمل تدريب الأطباء والممرضين في مستشفى المدينة."
)
STOPWORDS = {fold(w) for w in ("في", "إن", "وإن", "ان")}


def _vocabulary() -> Vocabulary:
    """Pool statistics: the article's words and their other forms, as a news pool has them."""
    counts = {
        "الحكومة": 900, "حكومة": 300, "والحكومة": 120, "بالحكومة": 60, "للحكومة": 80,
        "وحكومة": 10, "المستشفيات": 200, "مستشفيات": 150, "والمستشفيات": 40,
        "للمستشفيات": 30, "بالمستشفيات": 20, "أعلنت": 500, "اعلنت": 80, "وأعلنت": 90,
        "الخطة": 300, "خطة": 400, "والخطة": 30, "بالخطة": 12, "وزير": 5000, "زير": 4,
        "الوزير": 900, "ووزير": 300, "الأطباء": 200, "الاطباء": 60, "والأطباء": 40,
        "أطباء": 90, "اطباء": 20, "الممرضين": 40, "والممرضين": 30, "ممرضين": 15,
        "أجهزة": 150, "اجهزة": 50, "الأجهزة": 100, "بأجهزة": 20, "مستشفى": 400,
        "مستشفي": 20, "المستشفى": 600, "تدريب": 200, "التدريب": 150, "والتدريب": 20,
        "المدينة": 700, "مدينة": 400, "بالمدينة": 60, "جديدة": 900, "حديثة": 300,
    }  # fmt: skip
    keys = {knownitem.word_key(w) for w in counts}
    # Every key in 3 of 1,000 documents: distinctive, not unique, not frequent.
    return Vocabulary(counts=counts, doc_freq=dict.fromkeys(keys, 3), docs=1000)


def _query(seed: int) -> knownitem.KnownItemQuery | None:
    return make_query("doc-1", TITLE, BODY, _vocabulary(), query_rng(seed, "doc-1"), STOPWORDS)


def test_same_seed_same_query() -> None:
    assert _query(7) == _query(7)


@pytest.mark.parametrize("seed", range(40))
def test_variants_are_never_the_article_forms(seed: int) -> None:
    query = _query(seed)
    assert query is not None
    article = set(written_words(TITLE)) | set(written_words(BODY))
    assert knownitem.MIN_QUERY_WORDS <= len(query.words) <= knownitem.MAX_QUERY_WORDS
    for word in query.words:
        assert word.original in article
        [written] = written_words(word.variant)  # harakat removed, one word
        assert written not in article
        assert written != word.original


def test_seeds_give_different_queries() -> None:
    assert len({_query(seed) for seed in range(20)}) > 5


def test_single_letter_clitic_is_never_removed() -> None:
    # و of وزير is a root letter: زير is attested (4), yet never offered.
    assert "زير" not in clitic_variants("وزير", _vocabulary())
    assert "ووزير" in clitic_variants("وزير", _vocabulary())


def test_article_group_removed_when_attested() -> None:
    assert {"حكومة", "والحكومة", "بالحكومة", "للحكومة"} <= set(
        clitic_variants("الحكومة", _vocabulary())
    )


def test_unattested_forms_are_not_made() -> None:
    assert "والجديدة" not in clitic_variants("جديدة", _vocabulary())


def test_hamza_and_final_letter_variants() -> None:
    vocab = _vocabulary()
    assert hamza_variants("أعلنت", vocab) == ["اعلنت"]
    assert hamza_variants("اعلنت", vocab) == ["أعلنت"]  # the hamza spelling is 6x as common
    assert final_variants("الحكومة", vocab) == ["الحكومه"]
    assert final_variants("مستشفى", vocab) == ["مستشفي"]
    assert final_variants("مستشفي", vocab) == ["مستشفى"]
    assert final_variants("كتابه", vocab) == []  # كتابة unattested: a pronoun, not ة


def test_diacritics_only_add_marks() -> None:
    rng = random.Random(1)
    for word in ("المستشفيات", "خطة", "والحكومة"):
        marked = add_diacritics(word, rng)
        assert marked != word
        assert written_words(marked) == [word]


def test_generator_does_not_use_bahth_analysis() -> None:
    # Variants made with Bahth's own stemmer would test Bahth against itself.
    tree = ast.parse(Path(knownitem.__file__).read_text(encoding="utf-8"))
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    } | {
        (node.module or "").split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
    }
    assert "search" not in imported

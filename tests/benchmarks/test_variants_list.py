"""The judged variants list (benchmarks/variants/judged.tsv) is well formed.

No shared data needed: it checks the file itself, not the corpora it was read from.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from benchmarks.variants import RULES, Judged, load_judged
from search.arabic.normalize import normalize


@pytest.fixture(scope="module")
def rows() -> list[Judged]:
    return load_judged()


def test_enough_of_each_label(rows: list[Judged]) -> None:
    labels = Counter(r.label for r in rows)
    assert labels["variant"] >= 150
    assert labels["different"] >= 150


def test_no_pair_listed_twice(rows: list[Judged]) -> None:
    pairs = Counter(r.pair for r in rows)
    assert [sorted(p) for p, n in pairs.items() if n > 1] == []
    assert all(r.a != r.b for r in rows)


def test_forms_are_normalized_words(rows: list[Judged]) -> None:
    for r in rows:
        for form in (r.a, r.b):
            assert form == normalize(form) == form.strip(), (r.a, r.b)
            words = form.split(" ")
            assert all(words), (r.a, r.b)
            # only a split pair's second form is two words, and it is the first one cut in two
            assert len(words) == (2 if r.rule == "split" and form == r.b else 1), (r.a, r.b)
        if r.rule == "split":
            assert r.b.replace(" ", "") == r.a


def test_every_row_has_a_note(rows: list[Judged]) -> None:
    assert all(r.note.strip() for r in rows)
    assert {r.rule for r in rows} <= set(RULES)


def test_a_bad_label_names_its_line(tmp_path: Path) -> None:
    bad = tmp_path / "judged.tsv"
    bad.write_text("a\tb\tlabel\trule\tnote\nترامب\tترمب\tsame\tvowel\tTrump\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"judged.tsv:2: label 'same'"):
        load_judged(bad)

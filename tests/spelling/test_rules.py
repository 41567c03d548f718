"""search.spelling's rules without an index: the Arabic slips and their costs, and which
word is meant, on vocabularies written here."""

from __future__ import annotations

import pytest

from search.spelling import Vocabulary
from search.spelling.decide import candidates, correct
from search.spelling.edits import KEYBOARD, OTHER, SOUND, edits, substitution_cost

# --- the slips -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "meant", "cost"),
    [
        ("ظ", "ض", SOUND),  # the sound pairs, both ways
        ("ض", "ظ", SOUND),
        ("ز", "ذ", SOUND),
        ("س", "ث", SOUND),
        ("س", "ص", SOUND),
        ("ت", "ط", SOUND),
        ("ك", "ق", SOUND),
        ("ه", "ح", SOUND),
        ("ص", "ض", KEYBOARD),  # neighbouring keys: ض ص on the top row
        ("ش", "ض", KEYBOARD),  # ش is under ض
        ("م", "ض", OTHER),
    ],
)
def test_a_slip_costs_by_its_kind(typed: str, meant: str, cost: float) -> None:
    assert substitution_cost(typed, meant) == cost


def test_a_doubled_letter_is_the_cheapest_deletion() -> None:
    costs = dict(edits("الرياضض"))
    assert costs["الرياض"] == SOUND  # as cheap as a sound slip
    assert min(c for w, c in edits("الرياضك") if w == "الرياض") > costs["الرياض"]


def test_every_single_edit_is_generated() -> None:
    found = {w for w, _ in edits("قطر")}
    assert {"قط", "طقر", "قطار", "قظر", "قطرر"} <= found


# --- the decision, on a vocabulary -------------------------------------------------------------

WORDS = Vocabulary(
    {"الرياض": 4000, "الرياح": 300, "رياض": 900, "مفاوضاتهم": 40, "الرياش": 2, "سلمان": 50}
)


def test_an_absent_word_is_corrected_to_the_closest_common_word() -> None:
    assert correct("الرياص", 0, WORDS) == "الرياض"


def test_a_clitic_chain_is_set_aside_and_kept() -> None:
    # وبالرياض is not in the vocabulary: the rest after وب is corrected, and counts a share
    # of الرياض's articles.
    assert correct("وبالرياص", 0, WORDS) == "وبالرياض"
    assert candidates("وبالرياص", WORDS)["وبالرياض"][0] == pytest.approx(400)


def test_a_rare_correct_word_is_not_corrected_to_a_close_one_less_than_far_more_common() -> None:
    assert correct("الرياش", 2, Vocabulary({"الرياض": 150, "الرياش": 2})) is None


def test_a_rare_word_beside_a_far_more_common_close_word_is_corrected() -> None:
    assert correct("الرياظ", 1, WORDS) == "الرياض"


def test_a_form_never_written_but_made_of_clitics_and_a_known_word_is_left_alone() -> None:
    assert correct("وبمفاوضاتهم", 0, WORDS) is None


def test_a_word_the_search_finds_already_is_not_offered() -> None:
    # بوتن indexes as بوتين (a spelling fold): searching it finds بوتين already.
    words = Vocabulary({"بوتين": 4000})
    assert "بوتين" in candidates("بوتن", words)
    assert correct("بوتن", 0, words) is None

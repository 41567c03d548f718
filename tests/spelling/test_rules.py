"""search.spelling's rules without an index: the Arabic slips and their costs, and which
word is meant, on vocabularies written here."""

from __future__ import annotations

import pytest

from search.spelling import Vocabulary
from search.spelling.decide import CANDIDATE_SHARE, candidates, correct
from search.spelling.edits import (
    KEYBOARD,
    OTHER,
    SOUND,
    edits,
    keyboard_neighbours,
    slip_probability,
    substitution_cost,
)

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
    assert candidates("وبالرياص", WORDS)["وبالرياض"][0] == pytest.approx(4000 * CANDIDATE_SHARE)


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


def test_a_swap_the_archive_itself_writes_is_corrected_to_a_far_more_common_word() -> None:
    # وزراة (normalized وزراه): 30 of 72,716 articles write it; وزارة, 8,386.
    words = Vocabulary({"وزاره": 8386, "وزراه": 30, "وزراء": 1145})
    assert correct("وزراه", 30, words) == "وزاره"
    # Not a word the archive writes in 30 articles beside one only 100 times as common.
    assert correct("وزراه", 30, Vocabulary({"وزاره": 3000, "وزراه": 30})) is None


def test_a_never_written_form_of_a_doubled_letter_is_not_taken_for_clitics() -> None:
    # اللدول reads as ال + لدول (a word of 40 articles), but الدول is far more common.
    words = Vocabulary({"الدول": 5318, "لدول": 40})
    assert correct("اللدول", 0, words) == "الدول"
    assert correct("وبمفاوضاتهم", 0, WORDS) is None


# --- the noisy channel -------------------------------------------------------------------------


def test_a_neighbour_of_a_key_with_fewer_neighbours_is_the_likelier_slip() -> None:
    # ض has two neighbours (ص, ش), ي eleven: ص typed for ض is likelier than ب typed for ي.
    assert len(keyboard_neighbours()["ض"]) < len(keyboard_neighbours()["ي"])
    assert slip_probability("صرب", "ضرب") > slip_probability("ضرب", "ضري")


def test_a_letter_dropped_from_a_run_counts_each_place() -> None:
    # الرييس (normalized الرئيس) loses either of its two ي to give الريس; الرأس its one ا.
    assert slip_probability("الريس", "الرييس") > slip_probability("الرس", "الراس")


def test_the_kind_of_slip_weighs_against_how_often_the_archive_writes_a_word() -> None:
    # الرياص: ض for ص is a neighbouring key, ح for ص no slip writers make.
    words = Vocabulary({"الرياض": 300, "الرياح": 4000})
    assert correct("الرياص", 0, words) == "الرياض"


def test_nothing_is_offered_when_the_likeliest_word_is_found_as_typed() -> None:
    # السياس (a letter dropped from السياسة or السياسي) has their index term سياس: the search
    # finds them already, and السايس (the groom) would be a worse guess.
    words = Vocabulary({"السياسي": 2336, "السياسه": 1502, "السايس": 20})
    assert correct("السياس", 0, words) is None


# --- clitics Arabic never stacks -------------------------------------------------------------


def test_no_candidate_puts_lam_before_the_article() -> None:
    # ل with the article is written لل: لالرياض (ل + الرياض) is no word to suggest.
    words = Vocabulary({"الرياض": 4000})
    assert "لالرياض" not in candidates("لالرياص", words)
    assert correct("لالرياص", 0, words) is None


def test_a_doubled_conjunction_before_a_clitic_form_is_a_slip() -> None:
    # ووالجهات reads as و + والجهات, but والجهات is و + الجهات, and Arabic writes no وو + ال:
    # it is والجهات with its و doubled, not a form of clitics and a known word.
    words = Vocabulary({"الجهات": 3000, "والجهات": 348})
    assert correct("ووالجهات", 0, words) == "والجهات"
    # A word that begins with و is no clitic form: و + وزير is وزير with its conjunction.
    words = Vocabulary({"وزير": 8635, "وزيره": 600, "زير": 3})
    assert correct("ووزير", 0, words) is None

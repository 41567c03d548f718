"""The packed lexicon (``data/lexicon.pack``) is the shipped TSV and the families its rules derive.

The stemmer reads the pack to start fast; these tests make sure that reading it instead of
parsing the TSV and deriving the families cannot change a stem.
"""

from __future__ import annotations

import pytest

from search.arabic import lexicon
from search.arabic.stem import derive_families


def _tsv_counts() -> dict[str, int]:
    return lexicon._parse_lexicon(lexicon._data(lexicon.LEXICON))


def test_the_shipped_pack_is_built_from_the_shipped_lexicon() -> None:
    # A lexicon rebuilt without its pack would still stem right, only slowly: rewrite it with
    # python -m tools.build_lexicon --pack-only
    packed = lexicon.unpack(lexicon._data(lexicon.PACK), lexicon._data(lexicon.LEXICON))
    assert packed is not None


def test_packed_counts_are_the_lexicon_counts() -> None:
    packed = lexicon.unpack(lexicon._data(lexicon.PACK), lexicon._data(lexicon.LEXICON))
    assert packed is not None
    assert packed[0].to_dict() == _tsv_counts()


def test_packed_families_are_the_ones_the_suffix_rules_derive() -> None:
    # Fails after a change to the suffix rules until the pack is rewritten (--pack-only).
    packed = lexicon.unpack(lexicon._data(lexicon.PACK), lexicon._data(lexicon.LEXICON))
    assert packed is not None
    assert packed[1].to_dict() == derive_families(_tsv_counts())


WORDS = {"وزير": 120, "وزاره": 7, "وزيرا": 9, "و": 4, "x" * 40: 2**40, "ب": 3, "بو": 5}
ABSENT = ["", "وز", "وزيرات", "وزارات", "ا", "ي", "y", "x" * 39, "x" * 41, "بوو"]


def test_a_table_answers_like_a_dict_by_search_and_from_its_dict(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(lexicon, "DICT_AFTER", len(WORDS) + len(ABSENT))
    table = lexicon.Table.build(WORDS)
    assert len(table) == len(WORDS)
    asked = [*WORDS, *ABSENT]
    searched = [table.get(word) for word in asked]  # binary search, up to DICT_AFTER
    assert table._dict is None
    from_dict = [table.get(word) for word in asked]
    assert table._dict is not None
    expected = [WORDS.get(word, 0) for word in asked]
    assert searched == from_dict == expected
    assert table.get("وز", -1) == -1


def test_a_pack_round_trips() -> None:
    families = {"وزير": 130, "": 3}
    source = b"some lexicon"
    packed = lexicon.unpack(lexicon.pack(source, WORDS, families), source)
    assert packed is not None
    assert (packed[0].to_dict(), packed[1].to_dict()) == (WORDS, families)


def test_a_pack_of_another_lexicon_or_a_broken_one_is_ignored() -> None:
    raw = lexicon.pack(b"old lexicon", {"وزير": 120}, {"وزير": 130})
    assert lexicon.unpack(raw, b"old lexicon") is not None
    assert lexicon.unpack(raw, b"new lexicon") is None
    assert lexicon.unpack(b"not a pack\n", b"old lexicon") is None
    header, _, body = raw.partition(b"\n")
    fields = header.split(b" ")
    fields[3] = b"2"  # claims two words, holds one
    assert lexicon.unpack(b" ".join(fields) + b"\n" + body, b"old lexicon") is None

"""Control characters from a dump never reach a terminal raw (``terminal.neutral``): in text
output and CSV, bidi controls are removed, other C0/C1 controls shown escaped, line breaks
kept only in a body; HTML gets the same; JSON keeps every string as stored. Through a real
index and the CLI, on both engines."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from search import Indexer, Searcher, render
from search.cli import main
from search.terminal import BIDI_CONTROLS, neutral
from tests.conftest import WriteJsonl

# --- the rule ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "shown", "shown_as_lines"),
    [
        ("بوتين \u202eLATIN\u202c يقول", "بوتين LATIN يقول", None),  # override and its end
        ("a\u2066b\u2067c\u2068d\u2069e", "abcde", None),  # isolates
        ("\u200fقال\u200e \u061cبوتين", "قال بوتين", None),  # marks
        ("\x1b[2Jcleared", "\\x1b[2Jcleared", None),  # an escape sequence, shown
        ("title\x1b]0;owned\x07", "title\\x1b]0;owned\\x07", None),  # OSC: window title
        ("csi\x9b2J del\x7f nul\x00", "csi\\x9b2J del\\x7f nul\\x00", None),  # C1, DEL, NUL
        ("one\ntwo", "one two", "one\ntwo"),
        ("one\r\ntwo", "one two", "one\ntwo"),  # a Windows line end is one break
        ("one\rtwo", "one two", "one\ntwo"),  # a lone CR would overwrite the line
        ("a\u2028b\u2029c\x85d\x0be\x0cf", "a b c d e f", "a\nb\nc\nd\ne\nf"),
        ("tab\tstays", "tab\tstays", None),
        ("lone \ud800 surrogate", "lone \ufffd surrogate", None),
        ("السلام عليكم", "السلام عليكم", None),  # nothing to do: the same string
    ],
)
def test_neutral(text: str, shown: str, shown_as_lines: str | None) -> None:
    assert neutral(text) == shown
    assert neutral(text, lines=True) == (shown if shown_as_lines is None else shown_as_lines)


def test_neutral_leaves_clean_text_as_it_is() -> None:
    text = "ارتفع النفط في الأسواق (بنسبة 3%) اليوم\tوفق رويترز"
    assert neutral(text) is text


# --- through an index and the CLI --------------------------------------------------------------

TITLE = "النفط \u202eLATIN txet\u202c يرتفع \x1b]0;owned\x07 اليوم"
BODY = (
    "ارتفع النفط في الأسواق \x1b[31mأحمر\x1b[0m اليوم.\n\n"
    "الفقرة الثانية عن النفط\r\nسطر\rآخر \x9b2J نهاية"
)
HOSTILE = {
    "id": "h\u202e1",
    "title": TITLE,
    "body": BODY,
    "source": "src\u2066x",
    "category": "cat\u202eegory",
    "url": "https://example.org/a\u202eb",
    "date": "2025-01-02",
}
# What a terminal obeys: C0 controls but tab and newline, DEL, C1, and the bidi controls.
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f" + "".join(BIDI_CONTROLS) + "]")


@pytest.fixture
def hostile_index(tmp_path: Path, write_jsonl: WriteJsonl, engine: str) -> Path:
    """An index of ``HOSTILE`` alone, on each engine."""
    index = tmp_path / "index"
    assert Indexer(index).add_files([write_jsonl([HOSTILE])]).added == 1
    return index


def bahth(*args: str | Path) -> Result:
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def test_text_output_shows_no_control_and_keeps_each_field_on_its_line(
    hostile_index: Path,
) -> None:
    text = bahth("search", "النفط", "--index", hostile_index, "--facets").stdout
    assert not RAW.search(text), ascii(RAW.findall(text))
    assert "\\x1b]0;owned\\x07" in text and "\\x1b[31m" in text and "\\x9b2J" in text
    _, _, title, meta, snippet, link, *facets = text.splitlines()
    assert title.startswith("1. ") and "LATIN txet" in title
    assert meta.startswith("   srcx · 2025-01-02 · category")
    assert "الفقرة الثانية" in snippet  # the body's line breaks became spaces
    assert link == "   https://example.org/ab id: h1"
    assert "Sources: srcx 1" in facets and "Categories: category 1" in facets


def test_bidi_display_order_is_not_reversed_by_a_dumps_override(hostile_index: Path) -> None:
    with Searcher(hostile_index) as searcher:
        [hit] = searcher.search("النفط").hits
    shown = render.hit_text(hit, 1, columns=60, bidi=True)
    assert not RAW.search(shown)
    # the Latin words keep their order; an override left in would have reversed them
    assert "LATIN txet" in shown and "NITAL" not in shown


def test_csv_cells_are_neutral(hostile_index: Path) -> None:
    text = bahth("search", "النفط", "--index", hostile_index, "--csv").stdout
    _, row = list(csv.reader(io.StringIO(text)))
    assert not RAW.search(text)
    assert row[:5] == [
        "h1",
        "2025-01-02",
        "srcx",
        "النفط LATIN txet يرتفع \\x1b]0;owned\\x07 اليوم",
        "https://example.org/ab",
    ]


def test_json_keeps_the_text_as_stored(hostile_index: Path) -> None:
    document = json.loads(bahth("search", "النفط", "--index", hostile_index, "--json").stdout)
    [hit] = document["hits"]
    assert (hit["id"], hit["title"], hit["source"], hit["url"]) == (
        HOSTILE["id"],
        TITLE,
        HOSTILE["source"],
        HOSTILE["url"],
    )
    shown = json.loads(bahth("show", HOSTILE["id"], "--index", hostile_index, "--json").stdout)
    assert shown["body"] == BODY


def test_html_has_no_bidi_control_and_no_raw_escape(hostile_index: Path) -> None:
    page = bahth("search", "النفط", "--index", hostile_index, "--html").stdout
    assert not RAW.search(page)
    assert "LATIN txet" in page and "\\x1b]0;owned\\x07" in page


def test_show_keeps_the_bodys_paragraphs_and_nothing_raw(hostile_index: Path) -> None:
    text = bahth("show", HOSTILE["id"], "--index", hostile_index).stdout
    assert not RAW.search(text)
    title, meta, url, identifier, blank, *body = text.splitlines()
    assert (title, url, identifier, blank) == (
        "النفط LATIN txet يرتفع \\x1b]0;owned\\x07 اليوم",
        "https://example.org/ab",
        "id: h1",
        "",
    )
    assert "category" in meta
    # paragraphs and lines stay lines; a Windows line end or a lone CR is one line break
    assert body == [
        "ارتفع النفط في الأسواق \\x1b[31mأحمر\\x1b[0m اليوم.",
        "",
        "الفقرة الثانية عن النفط",
        "سطر",
        "آخر \\x9b2J نهاية",
    ]


def test_stats_names_sources_and_categories_neutrally(hostile_index: Path) -> None:
    text = bahth("stats", "--index", hostile_index).stdout
    assert not RAW.search(text)
    assert "  srcx" in text and "  category" in text


def test_the_problems_of_an_indexing_run_reach_stderr_neutral(tmp_path: Path) -> None:
    # A reject or a note quotes the dump: an escape sequence in a date must not clear the screen.
    dump = tmp_path / "dump.jsonl"
    records = [
        {"id": "a", "title": "عنوان", "body": "نص", "date": "\x1b[2J\u202eأمس"},
        {"id": "b", "title": "", "body": "", "date": "\x1b]0;owned\x07"},
    ]
    dump.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    result = CliRunner().invoke(main, ["index", str(dump), "--index", str(tmp_path / "i")])
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.stderr and "\u202e" not in result.stderr
    assert "unparsed date '\\x1b[2J\\u202eأمس'" in result.stderr  # as its repr shows it

"""``--hijri``: each date shown with its Umm al-Qura Hijri date, in every output of ``bahth
search`` (text, JSON, CSV, HTML, ``--all``) and ``bahth show``; without it, every output is
what it was (no ``date_hijri`` anywhere).

The index is real (on disk, each engine); the outputs are the command's, through CliRunner.
"""

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
from tests.conftest import jsonl

pytestmark = pytest.mark.usefixtures("engine")

OIL = "النفط"
# Known conversions (Umm al-Qura): 2015-08-06 is 21 Shawwal 1436, 2015-07-17 the first of
# Shawwal (Eid al-Fitr); 1900 is before the calendar (1924-2077), so it has no Hijri date.
HIJRI = {"2015-08-06": "21 شوال 1436 هـ", "2015-07-17": "1 شوال 1436 هـ"}
DATED = [
    {
        "id": "h-eid",
        "title": "أسعار النفط في أول أيام العيد",
        "body": "استقرت أسعار النفط في أول أيام عيد الفطر مع عطلة الأسواق الخليجية.",
        "date": "2015-07-17",
        "source": "okaz",
        "category": "economy",
        "url": "https://example.org/okaz/eid",
    },
    {
        "id": "h-shawwal",
        "title": "النفط يرتفع بعد قرار أوبك",
        "body": "ارتفعت أسعار النفط بعد قرار أوبك خفض الإنتاج، وقال محللون إن الطلب قوي.",
        "date": "2015-08-06",
        "source": "alriyadh",
        "category": "energy",
        "url": "https://example.org/alriyadh/shawwal",
    },
    {
        "id": "h-1900",
        "title": "أول بئر للنفط في المنطقة",
        "body": "خبر قديم عن النفط من أرشيف الصحيفة.",
        "date": "1900-01-01",
        "source": "okaz",
    },
]
UNDATED = [
    {"id": "h-none", "title": "النفط بلا تاريخ", "body": "خبر عن النفط لم يُنشر تاريخه."},
    {
        "id": "h-text",
        "title": "النفط في تاريخ لا يُقرأ",
        "body": "خبر عن النفط نُشر في يوم غير معروف.",
        "date": "يوم ما",
        "source": "okaz",
    },
]
ARTICLES = DATED + UNDATED
EXPECTED = {"h-eid": HIJRI["2015-07-17"], "h-shawwal": HIJRI["2015-08-06"]}  # None otherwise


def build_hijri_index(root: Path) -> Path:
    """The index of ``ARTICLES`` in ``root``: articles in Shawwal 1436, one from 1900, one
    without a date and one whose date is text that cannot be read (kept as ``date_text``)."""
    dump = root / "hijri.jsonl"
    dump.write_text(jsonl(ARTICLES), encoding="utf-8")
    index = root / "index"
    report = Indexer(index).add_files([dump])
    assert (report.added, report.rejected) == (len(ARTICLES), 0), report
    return index


@pytest.fixture(scope="module")
def hijri_index(tmp_path_factory: pytest.TempPathFactory, engine: str) -> Path:
    """``build_hijri_index``, once per engine, read-only."""
    return build_hijri_index(tmp_path_factory.mktemp(f"hijri-{engine}"))


def bahth(*args: str | Path) -> Result:
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    return result


def search(index: Path, *options: str) -> str:
    """``bahth search النفط --index INDEX -n 10 OPTIONS``'s stdout."""
    return bahth("search", OIL, "--index", index, "-n", "10", *options).stdout


def without_time(text: str) -> str:
    """Output with its measured times taken out (they differ from run to run)."""
    text = re.sub(r'"took_ms": [\d.]+', '"took_ms": 0', text)
    text = re.sub(r">[\d,]+ ms<", ">0 ms<", text)  # the page's, isolated (in Arabic, في)
    return re.sub(r"\bin [\d,]+ ms\b", "in 0 ms", text)


def without_hijri(document: object) -> object:
    """A JSON document with every ``date_hijri`` key taken out."""
    if isinstance(document, dict):
        return {k: without_hijri(v) for k, v in document.items() if k != "date_hijri"}
    if isinstance(document, list):
        return [without_hijri(v) for v in document]
    return document


# --- the formatter -------------------------------------------------------------------------


def test_render_gives_the_umm_al_qura_date_or_none() -> None:
    import datetime as dt

    assert render.hijri_date(dt.date(2015, 8, 6)) == "21 شوال 1436 هـ"
    assert render.hijri_date(dt.date(2015, 7, 17)) == "1 شوال 1436 هـ"
    assert render.hijri_date(dt.date(1900, 1, 1)) is None
    assert render.hijri_date(None) is None


# --- text --------------------------------------------------------------------------------------


def test_text_shows_the_hijri_date_beside_the_date(hijri_index: Path) -> None:
    shown = search(hijri_index, "--hijri")
    meta = {m[1]: m[0] for m in re.findall(r"^   (.*)\n   .*\n   (?:\S+ )?id: (\S+)$", shown, re.M)}
    assert meta["h-shawwal"].startswith("alriyadh · 2015-08-06 (21 شوال 1436 هـ) · energy  (")
    assert meta["h-eid"].startswith("okaz · 2015-07-17 (1 شوال 1436 هـ) · economy  (")
    # outside the calendar, or no date: the line without a Hijri date
    assert meta["h-1900"].startswith("okaz · 1900-01-01  (score ")
    assert meta["h-none"].startswith("  (score ") or meta["h-none"].startswith("(score ")
    assert shown.count(" هـ)") == 2


def test_text_without_hijri_is_as_before(hijri_index: Path) -> None:
    plain = search(hijri_index)
    assert "هـ" not in plain and "شوال" not in plain
    assert re.search(r"^   alriyadh · 2015-08-06 · energy  \(score [\d.]+\)$", plain, re.M)
    # --hijri only adds the Hijri dates: taken out, the output is the same, byte for byte
    shown = search(hijri_index, "--hijri")
    for hijri in HIJRI.values():
        shown = shown.replace(f" ({hijri})", "")
    assert without_time(shown) == without_time(plain)


# --- JSON --------------------------------------------------------------------------------------


def test_json_has_date_hijri_after_date_with_hijri_only(hijri_index: Path) -> None:
    document = json.loads(search(hijri_index, "--json", "--hijri"))
    hits = {hit["id"]: hit for hit in document["hits"]}
    assert set(hits) == {a["id"] for a in ARTICLES}
    for id, hit in hits.items():
        assert hit["date_hijri"] == EXPECTED.get(id), id
        keys = list(hit)
        assert keys[keys.index("date") + 1] == "date_hijri"
    assert hits["h-1900"]["date"] == "1900-01-01" and hits["h-1900"]["date_hijri"] is None
    assert hits["h-none"]["date"] is None and hits["h-none"]["date_hijri"] is None

    plain = search(hijri_index, "--json")
    assert "date_hijri" not in plain
    assert without_hijri(json.loads(without_time(search(hijri_index, "--json", "--hijri")))) == (
        json.loads(without_time(plain))
    )
    # the default document is the API's Results.to_dict(), with the sources' names
    with Searcher(hijri_index) as searcher:
        results = searcher.search(OIL, limit=10)
        expected = render.to_json(results, labels=searcher.labels)
        assert json.loads(expected)["hits"] == [
            searcher.labels.named(hit, "ar") for hit in results.to_dict()["hits"]
        ]
    assert without_time(plain) == without_time(expected) + "\n"


# --- CSV ---------------------------------------------------------------------------------------


def test_csv_has_a_last_date_hijri_column_with_hijri_only(hijri_index: Path) -> None:
    shown = search(hijri_index, "--csv", "--hijri")
    rows = list(csv.DictReader(io.StringIO(shown)))
    assert list(rows[0]) == [*render.CSV_COLUMNS, "date_hijri"]
    assert {r["id"]: r["date_hijri"] for r in rows} == {
        a["id"]: EXPECTED.get(str(a["id"]), "") for a in ARTICLES
    }
    plain = search(hijri_index, "--csv")
    assert plain.splitlines()[0] == "id,date,source,title,url,score,partial"
    # the same rows, one column more
    cut = [row[:-1] for row in csv.reader(io.StringIO(shown))]
    assert cut == list(csv.reader(io.StringIO(plain)))


# --- HTML --------------------------------------------------------------------------------------


def test_html_follows_each_time_with_the_hijri_date(hijri_index: Path) -> None:
    shown = search(hijri_index, "--html", "--hijri")
    # as on the web page (one hit template): the date, then its Hijri date isolated
    tag = '<bdi class="hijri">'
    assert f'<time datetime="2015-08-06">2015-08-06</time> {tag}(21 شوال 1436 هـ)</bdi>' in shown
    assert f'<time datetime="2015-07-17">2015-07-17</time> {tag}(1 شوال 1436 هـ)</bdi>' in shown
    assert '<time datetime="1900-01-01">1900-01-01</time> · ' in shown  # no Hijri date
    plain = search(hijri_index, "--html")
    assert "هـ" not in plain
    for day, hijri in HIJRI.items():
        shown = shown.replace(f"{day}</time> {tag}({hijri})</bdi>", f"{day}</time>")
    assert without_time(shown) == without_time(plain)


# --- --all -------------------------------------------------------------------------------------


def test_all_streams_the_hijri_dates_in_every_format(hijri_index: Path) -> None:
    def listed(*options: str) -> str:
        return bahth("search", OIL, "--index", hijri_index, "--all", *options).stdout

    document = json.loads(listed("--json", "--hijri"))
    assert {h["id"]: h["date_hijri"] for h in document["hits"]} == {
        str(a["id"]): EXPECTED.get(str(a["id"])) for a in ARTICLES
    }
    assert "date_hijri" not in listed("--json")
    rows = list(csv.DictReader(io.StringIO(listed("--csv", "--hijri"))))
    # newest first: Shawwal 21 before Shawwal 1, then 1900, then the undated
    assert [r["date_hijri"] for r in rows[:3]] == [HIJRI["2015-08-06"], HIJRI["2015-07-17"], ""]
    assert "date_hijri" not in listed("--csv")
    text = listed("--hijri")
    assert "2015-08-06 (21 شوال 1436 هـ)" in text and "2015-07-17 (1 شوال 1436 هـ)" in text
    assert '<bdi class="hijri">(21 شوال 1436 هـ)</bdi>' in listed("--html", "--hijri")


# --- show --------------------------------------------------------------------------------------


def test_show_hijri_in_text_and_json(hijri_index: Path) -> None:
    text = bahth("show", "h-shawwal", "--index", hijri_index, "--hijri").stdout
    assert text.splitlines()[1] == "alriyadh · 2015-08-06 (21 شوال 1436 هـ) · energy"
    plain = bahth("show", "h-shawwal", "--index", hijri_index).stdout
    assert plain.splitlines()[1] == "alriyadh · 2015-08-06 · energy"
    assert text.replace(" (21 شوال 1436 هـ)", "") == plain

    document = json.loads(
        bahth("show", "h-eid", "--index", hijri_index, "--json", "--hijri").stdout
    )
    assert (document["date"], document["date_hijri"]) == ("2015-07-17", "1 شوال 1436 هـ")
    keys = list(document)
    assert keys[keys.index("date") + 1] == "date_hijri"
    plain_json = bahth("show", "h-eid", "--index", hijri_index, "--json").stdout
    assert "date_hijri" not in plain_json
    assert without_hijri(document) == json.loads(plain_json)


def test_show_hijri_without_a_date_in_the_calendar(hijri_index: Path) -> None:
    for article_id in ("h-1900", "h-none", "h-text"):
        args = ("show", article_id, "--index", hijri_index)
        document = json.loads(bahth(*args, "--json", "--hijri").stdout)
        assert document["date_hijri"] is None, article_id
        # the text is as it is without --hijri: 1900-01-01, no date, or the date as published
        assert bahth(*args, "--hijri").stdout == bahth(*args).stdout
    text = bahth("show", "h-text", "--index", hijri_index, "--hijri").stdout
    assert text.splitlines()[1] == "okaz · يوم ما"


def test_hijri_is_in_the_help_of_search_and_show() -> None:
    for command in ("search", "show"):
        shown = CliRunner().invoke(main, [command, "--help"], terminal_width=200).stdout
        assert "--hijri" in shown and "Umm al-Qura" in shown, command

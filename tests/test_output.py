"""Output a person reads, and output other tools read (issue 11): the result line on stdout,
wrapping and paging on a terminal only, --bidi, a safe complete --html page, --csv, --all
streaming every match (Searcher.scan), JSON holding what the text shows, conflicting options.

Terminal behaviour is tested on a real pseudo-terminal (the pty module) running the installed
command as a subprocess; the rest through click's CliRunner, whose stdout is not a terminal.
"""

from __future__ import annotations

import csv
import datetime as dt
import fcntl
import html.parser
import io
import json
import os
import re
import select
import struct
import subprocess
import sys
import termios
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from search import Hit, Indexer, Searcher
from search.cli import main
from search.terminal import MARK, visual, width, wrap
from tests.conftest import MakeIndex

pytestmark = pytest.mark.usefixtures("engine")

# --- helpers -----------------------------------------------------------------------------------

# The installed console script, beside this Python (pip install -e .).
BAHTH = str(Path(sys.executable).with_name("bahth"))


def bahth(*args: str | Path, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], env=env, catch_exceptions=False)


def run_on_pty(
    *args: str | Path,
    columns: int = 60,
    rows: int = 24,
    env: dict[str, str | None] | None = None,
) -> tuple[str, str, int]:
    """Run ``bahth ARGS`` with stdout (and stdin) on a pseudo-terminal of that size; ``env``
    adds variables to the environment (None removes one).

    Returns what the terminal received (CRLF read back as LF), stderr, and the exit code.
    """
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    environment = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    for name, value in {"NO_COLOR": "1", "TERM": "xterm", **(env or {})}.items():
        if value is None:
            environment.pop(name, None)
        else:
            environment[name] = value
    process = subprocess.Popen(
        [BAHTH, *map(str, args)],
        stdin=slave,
        stdout=slave,
        stderr=subprocess.PIPE,
        env=environment,
        start_new_session=True,
    )
    os.close(slave)
    received = bytearray()
    while True:
        ready, _, _ = select.select([master], [], [], 60)
        if not ready:
            process.kill()
            raise AssertionError("no output from the command on the pty")
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: every writer of the terminal closed it
            break
        if not chunk:
            break
        received += chunk
    os.close(master)
    assert process.stderr is not None
    with process.stderr:
        stderr = process.stderr.read().decode()
    code = process.wait()
    return received.decode("utf-8").replace("\r\n", "\n"), stderr, code


def run_piped(
    *args: str | Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, **(env or {})}
    return subprocess.run(
        [BAHTH, *map(str, args)],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )


def hit_lines(text: str) -> list[str]:
    """The lines of the hits (the result line and the blank line after it left out)."""
    return text.split("\n")[2:]


def words(text: str) -> list[str]:
    return [w.strip("[]") for w in text.split()]


# --- the result line ---------------------------------------------------------------------------


def test_the_result_line_comes_first_on_stdout_with_the_results(seeds_index: Path) -> None:
    result = bahth("search", "بوتين", "--index", seeds_index, "-n", "2")
    assert result.exit_code == 0
    lines = result.stdout.split("\n")
    assert re.fullmatch(r"9 results \(1-2 shown\) in \d+ ms", lines[0]), lines[0]
    assert lines[1] == "" and lines[2].startswith("1. ")
    assert result.stderr == ""  # stderr is for errors, and there is none
    # a query refused: the error on stderr, nothing on stdout
    bad = CliRunner().invoke(main, ["search", "(بوتين", "--index", str(seeds_index)])
    assert bad.exit_code == 2 and bad.stdout == "" and "Error:" in bad.stderr


# --- wrapping ----------------------------------------------------------------------------------


def test_wrap_breaks_at_spaces_only() -> None:
    text = "نشر في 2025-03-01 على https://example.org/a/very/long/path/that/is/long كلمة"
    lines = wrap(text, 20, "1. ", "   ")
    assert lines == [
        "1. نشر في 2025-03-01",  # 20 columns: the date fits whole, or goes to the next line
        "   على",
        "   https://example.org/a/very/long/path/that/is/long",  # wider, but never cut
        "   كلمة",
    ]
    assert wrap(text, 19, "1. ", "   ")[:2] == ["1. نشر في", "   2025-03-01 على"]
    assert words(" ".join(lines)) == ["1.", *text.split()]
    # a marked span cut by the end of a line is closed there and reopened on the next
    marked = wrap(f"{MARK}وزير الخارجية الروسي{MARK} قال", 12)
    assert all(line.count(MARK) % 2 == 0 for line in marked), marked
    assert width(f"a{MARK}ب{MARK}\u064e") == 2  # marks and diacritics take no column


def test_text_wraps_to_the_terminal_width_at_word_boundaries(seeds_index: Path) -> None:
    args = ("search", "بوتين", "--index", seeds_index, "-n", "3", "--no-pager")
    shown, stderr, code = run_on_pty(*args, columns=50)
    assert code == 0, stderr
    piped = run_piped(*args)
    assert piped.returncode == 0
    for line in shown.split("\n"):
        # at most 50 columns, or one word (a long URL) that is not cut
        assert width(line) <= 50 or len(line.split()) == 1, line
    # the same words in the same order: nothing was cut inside a word, a date or a URL
    # (the result line's time differs from run to run)
    assert words(shown.split("\n", 1)[1]) == words(piped.stdout.split("\n", 1)[1])
    assert re.findall(r"\d{4}-\d\d-\d\d", shown) == re.findall(r"\d{4}-\d\d-\d\d", piped.stdout)
    assert len(shown.split("\n")) > len(piped.stdout.split("\n"))
    # piped, no wrapping: each snippet is one line, longer than the terminal would allow
    assert max(map(len, piped.stdout.split("\n"))) > 50


# --- pager -------------------------------------------------------------------------------------


@pytest.fixture
def fake_pager(tmp_path: Path) -> tuple[str, Path]:
    """A pager command that prefixes each line with PAGED: and records the LESS it was given."""
    script = tmp_path / "pager.py"
    record = tmp_path / "pager-env.txt"
    script.write_text(
        "import os, sys\n"
        f"open({str(record)!r}, 'w').write(os.environ.get('LESS', '(unset)'))\n"
        "for line in sys.stdin:\n"
        "    sys.stdout.write('PAGED:' + line)\n",
        encoding="utf-8",
    )
    return f"{sys.executable} {script}", record


@pytest.mark.slow
def test_long_output_goes_through_the_pager_on_a_terminal(
    seeds_index: Path, fake_pager: tuple[str, Path]
) -> None:
    command, record = fake_pager
    env: dict[str, str | None] = {"PAGER": command, "LESS": None}
    args = ("search", "بوتين", "--index", seeds_index, "-n", "5")
    paged, stderr, code = run_on_pty(*args, rows=10, env=env)
    assert code == 0, stderr
    lines = [line for line in paged.split("\n") if line]
    assert lines and all(line.startswith("PAGED:") for line in lines), paged
    assert lines[0].startswith("PAGED:9 results (1-5 shown)")
    assert record.read_text() == "FRX"  # as git gives less
    # any format, as git pages any output
    as_json, _, _ = run_on_pty(*args, "--json", rows=10, env=env)
    assert as_json.split("\n")[0] == "PAGED:{"
    # what fits on the screen is written directly
    short, _, _ = run_on_pty("search", "بوتين", "--index", seeds_index, "-n", "1", env=env)
    assert "PAGED:" not in short and "1. " in short
    # --no-pager, and never when stdout is not a terminal
    unpaged, _, _ = run_on_pty(*args, "--no-pager", rows=10, env=env)
    assert "PAGED:" not in unpaged and "5. " in unpaged
    piped = run_piped(*args, env={"PAGER": command})
    assert "PAGED:" not in piped.stdout and "5. " in piped.stdout


# --- bidi --------------------------------------------------------------------------------------

BIDI_ARTICLE = {
    "id": "b1",
    "title": "قمة COP28 في دبي (الإمارات) تبدأ",
    "body": "قال المتحدث إن قمة COP28 (في دبي) تبدأ في 2023-11-30 بمشاركة 190 دولة تقريباً",
    "date": "2023-11-30",
    "source": "alwatan",
    "url": "https://example.org/cop28",
}


def test_visual_reorders_and_mirrors_and_keeps_marks_on_their_words() -> None:
    assert visual("قال بوتين") == "نيتوب لاق"
    assert visual("في (دبي)") == "(يبد) يف"  # mirrored brackets read right on screen
    assert visual("COP28 في دبي") == "COP28 يبد يف"  # a Latin first letter: left to right
    # a marked Latin word at the end of a Latin run inside Arabic stays marked
    line = f"قال إن abc {MARK}def{MARK} و"
    assert visual(line) == f"و abc {MARK}def{MARK} نإ لاق"
    assert visual(f"قال {MARK}بوتين{MARK} اليوم") == f"مويلا {MARK}نيتوب{MARK} لاق"


@pytest.mark.slow
def test_bidi_reorders_text_on_a_terminal_only(make_index: MakeIndex) -> None:
    index = make_index([BIDI_ARTICLE])
    args = ("search", "قمة", "--index", index, "--no-pager")
    shown, stderr, code = run_on_pty(*args, "--bidi", columns=100)
    assert code == 0, stderr
    lines = shown.split("\n")
    title = next(line for line in lines if ".1" in line)
    # right-aligned to the terminal's width, read from the right: the number, then the words
    assert width(title) == 100
    assert title.strip() == "أدبت (تارامإلا) يبد يف COP28 [ةمق] .1"
    # numbers and Latin words keep their order inside the Arabic; brackets are mirrored
    assert "ةكراشمب" in shown and "(يبد يف) COP28 [ةمق] نإ" in shown
    # a diacritic follows its letter: the tanween of تقريباً is drawn on its alef
    assert "اًبيرقت ةلود 190" in shown
    # the same with BAHTH_BIDI=1
    by_env, _, _ = run_on_pty(*args, columns=100, env={"BAHTH_BIDI": "1"})
    assert by_env.split("\n")[1:] == shown.split("\n")[1:]  # (the time differs)
    # without it, logical order (the terminal's own bidi, if any, decides)
    plain, _, _ = run_on_pty(*args, columns=100)
    assert "1. قمة COP28" not in plain and "1. [قمة] COP28 في دبي (الإمارات) تبدأ" in plain
    # piped: the text as stored, whatever the option says
    piped = run_piped(*args, "--bidi")
    assert "1. [قمة] COP28 في دبي (الإمارات) تبدأ" in piped.stdout


def test_bidi_leaves_json_untouched(make_index: MakeIndex) -> None:
    index = make_index([BIDI_ARTICLE])
    plain = bahth("search", "قمة", "--index", index, "--json")
    with_env = bahth("search", "قمة", "--index", index, "--json", env={"BAHTH_BIDI": "1"})
    assert with_env.exit_code == 0
    strip = re.compile(r'"took_ms": [\d.]+')
    assert strip.sub("", with_env.stdout) == strip.sub("", plain.stdout)
    assert json.loads(with_env.stdout)["hits"][0]["title"] == BIDI_ARTICLE["title"]
    refused = CliRunner().invoke(main, ["search", "قمة", "--index", str(index), "--json", "--bidi"])
    assert refused.exit_code == 2 and "--bidi" in refused.stderr


# --- HTML --------------------------------------------------------------------------------------


class _Page(html.parser.HTMLParser):
    """Every tag and attribute of a page, and its text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


HOSTILE_URLS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(2)",
    " javascript:alert(3)",
    "java\tscript:alert(4)",
    "data:text/html,<script>alert(5)</script>",
    "vbscript:msgbox(6)",
    "//evil.example/7",
    'https://ok.example/8" onmouseover="alert(8)',
    "https://ok.example/9?a=1&b=<2>",
]


def test_html_is_a_complete_page_safe_with_hostile_dump_fields(make_index: MakeIndex) -> None:
    records = [
        {
            "id": f"x{n}<script>",
            "title": f'خبر {n} عن بوتين <img src=x onerror="alert({n})">',
            "body": f"قال بوتين </p><script>alert({n})</script> في الخبر رقم {n}.",
            "date": f"2025-01-{n + 1:02d}",
            "source": 'src"><script>alert(0)</script>',
            "url": url,
        }
        for n, url in enumerate(HOSTILE_URLS)
    ]
    index = make_index(records)
    result = bahth("search", "بوتين", "--index", index, "--html", "-n", "20")
    assert result.exit_code == 0
    out = result.stdout
    assert out.startswith("<!DOCTYPE html>\n")
    page = _Page()
    page.feed(out)
    tags = dict(page.tags)
    assert tags["html"] == {"lang": "ar", "dir": "rtl"}
    assert {"charset": "utf-8"} in [attrs for tag, attrs in page.tags if tag == "meta"]
    policy = [a["content"] for t, a in page.tags if t == "meta" and "http-equiv" in a]
    assert policy == ["default-src 'none'; style-src 'unsafe-inline'"]  # no script can run
    assert {tag for tag, _ in page.tags}.isdisjoint({"script", "img", "iframe", "object"})
    # no event handler attribute anywhere, and only the http(s) URL a browser would read as
    # written is a link (the one with a space and a quote is shown as text)
    assert not [a for _, attrs in page.tags for a in attrs if a.startswith("on")]
    hrefs = [attrs["href"] for tag, attrs in page.tags if "href" in attrs]
    assert hrefs == [HOSTILE_URLS[8]]
    assert all(tag == "a" for tag, attrs in page.tags if "href" in attrs)
    text = "".join(page.text)
    # the title, the query, total, time, scores and ids, all as text
    # in Arabic, the page's language (search.messages)
    assert "بحث: بوتين" in text
    assert re.search(r"النتائج: 9 · المعروض 1–9 · \d+ ms", text), text[:2000]
    assert len(re.findall(r"الدرجة \d+\.\d\d", text)) == 9
    for record in records:
        assert f"المعرّف: {record['id']}" in text
        assert record["title"] in text  # escaped in the page, shown as written
    # the hostile URLs that are not links are still shown, as text
    assert "javascript:alert(1)" in text
    assert out.count("<mark>بوتين</mark>") >= 18  # title and snippet of each


# --- CSV and --all -----------------------------------------------------------------------------

MANY = 1_100


@pytest.fixture(scope="module")
def many_index(tmp_path_factory: pytest.TempPathFactory, engine: str) -> Path:
    """1,100 articles matching الاقتصاد (a third also الأسعار), over 400 days; one in 50
    has no date; more than the 1,000 a page can hold."""
    root = tmp_path_factory.mktemp("many")
    start = dt.date(2020, 1, 1)
    lines = []
    for n in range(MANY):
        record: dict[str, object] = {
            "id": f"a{n:05d}",
            "title": f"خبر رقم {n} عن الاقتصاد",
            "body": "قال وزير الاقتصاد إن النمو مستمر" + (" والأسعار ترتفع" if n % 3 == 0 else ""),
            "source": "alwatan",
        }
        if n % 50:
            record["date"] = (start + dt.timedelta(days=n % 400)).isoformat()
        lines.append(json.dumps(record, ensure_ascii=False))
    dump = root / "many.jsonl"
    dump.write_text("\n".join(lines) + "\n", encoding="utf-8")
    index = root / "index"
    assert Indexer(index).add_files([dump]).added == MANY
    return index


def test_csv_columns_and_values(seeds_index: Path, seeds_searcher: Searcher) -> None:
    result = bahth("search", "بوتين المفاوضات", "--index", seeds_index, "--csv", "-n", "30")
    assert result.exit_code == 0 and result.stderr == ""
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == ["id", "date", "source", "title", "url", "score", "partial"]
    api = seeds_searcher.search("بوتين المفاوضات", limit=30)
    assert [r["id"] for r in rows] == [h.id for h in api]
    for row, hit in zip(rows, api, strict=True):
        assert row["title"] == hit.title and row["url"] == (hit.url or "")
        assert row["date"] == (hit.date.isoformat() if hit.date else "")
        assert float(row["score"]) == pytest.approx(hit.score, abs=1e-4)
        assert row["partial"] == ("true" if hit.partial else "false")
    assert {r["partial"] for r in rows} == {"true", "false"}


def test_csv_cells_that_a_spreadsheet_would_run_are_quoted(make_index: MakeIndex) -> None:
    index = make_index(
        [{"id": "f1", "title": '=HYPERLINK("https://evil.example","بوتين")', "body": "بوتين"}]
    )
    result = bahth("search", "بوتين", "--index", index, "--csv")
    [row] = list(csv.DictReader(io.StringIO(result.stdout)))
    assert row["title"] == '\'=HYPERLINK("https://evil.example","بوتين")'


@pytest.mark.slow
def test_all_streams_every_match_newest_first_past_1000(many_index: Path) -> None:
    result = bahth("search", "الاقتصاد الأسعار", "--index", many_index, "--all", "--csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == MANY == len({r["id"] for r in rows})
    with Searcher(many_index) as searcher:
        page = searcher.search("الاقتصاد الأسعار", sort="date", limit=1000)
    # the order of a date-sorted search: full matches newest first, then partial ones
    assert [(r["id"], r["partial"] == "true") for r in rows[:1000]] == [
        (h.id, h.partial) for h in page
    ]
    full = [r for r in rows if r["partial"] == "false"]
    assert rows[: len(full)] == full and len(full) == page.total_all_words == 367
    for group in (full, rows[len(full) :]):
        dated = [r["date"] for r in group if r["date"]]
        assert dated == sorted(dated, reverse=True)
        assert group[-1]["date"] == ""  # undated last
    assert all(float(r["score"]) > 0 for r in rows)


def test_all_as_json_and_text(many_index: Path) -> None:
    result = bahth("search", "الاقتصاد", "--index", many_index, "--all", "--json")
    document = json.loads(result.stdout)
    assert (document["total"], len(document["hits"]), document["limit"]) == (MANY, MANY, None)
    assert document["took_ms"] > 0 and document["page"] == 1
    text = bahth("search", "الاقتصاد", "--index", many_index, "--all")
    assert text.stdout.startswith("1,100 results (all listed, newest first)\n")
    numbers = re.findall(r"^(\d+)\. ", text.stdout, re.MULTILINE)
    assert numbers == [str(n) for n in range(1, MANY + 1)]


@pytest.mark.slow
def test_scan_matches_a_date_sorted_search_whatever_the_batch(many_index: Path) -> None:
    with Searcher(many_index) as searcher:
        for match in ("auto", "all", "any"):
            expected = [
                (h.id, h.partial)
                for h in searcher.search("الاقتصاد الأسعار", sort="date", match=match, limit=1000)
            ]
            for batch in (300, 5000):
                scanned = searcher.scan("الاقتصاد الأسعار", match=match, batch=batch)
                got = [(h.id, h.partial) for h in scanned]
                assert got[:1000] == expected, (match, batch)
        # filters as search applies them
        since = searcher.scan("الاقتصاد", since="2020-06-01", until="2020-06-30")
        assert {h.date.month for h in since if h.date} == {6}


def test_scan_is_lazy_and_lets_other_searches_run_between_windows(many_index: Path) -> None:
    with Searcher(many_index) as searcher:
        hits: Iterator[Hit] = searcher.scan("الاقتصاد", batch=100)
        first = next(hits)
        # suspended mid-scan, the Searcher answers another query (its lock is not held)
        assert searcher.search("الاقتصاد", limit=1).total == MANY
        rest = list(hits)
    assert len(rest) == MANY - 1 and first.id not in {h.id for h in rest}


def test_a_reader_that_stops_early_ends_the_stream_quietly(many_index: Path) -> None:
    pipeline = subprocess.run(
        f"{BAHTH} search الاقتصاد --index {many_index} --all --csv | head -n 3",
        shell=True,
        capture_output=True,
        text=True,
        check=False,
    )
    assert pipeline.stdout.splitlines()[0] == "id,date,source,title,url,score,partial"
    assert len(pipeline.stdout.splitlines()) == 3
    assert "Traceback" not in pipeline.stderr and "Error" not in pipeline.stderr


# --- JSON holds what the text shows ------------------------------------------------------------


def test_json_holds_unknown_words_stopwords_page_and_limit(seeds_index: Path) -> None:
    args = ("search", "بوتين في زرافة", "--index", seeds_index, "--match", "any")
    text = bahth(*args, "-n", "2", "--page", "2")
    line = text.stdout.split("\n")[0]
    assert "not in the index: زرافة" in line and "ignored stopwords: في" in line
    document = json.loads(bahth(*args, "-n", "2", "--page", "2", "--json").stdout)
    assert (document["unknown"], document["stopwords"]) == (["زرافة"], ["في"])
    assert (document["page"], document["limit"]) == (2, 2)
    assert document["total_all_words"] == 0 < document["total"]  # the key is kept
    shown = re.findall(r"^(\d+)\. .*$", text.stdout, re.MULTILINE)
    assert shown == ["3", "4"] and len(document["hits"]) == 2


# --- conflicting options -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "options",
    [
        ("--all-words", "--match", "any"),
        ("--all-words", "--match", "auto"),
        ("--json", "--html"),
        ("--json", "--csv"),
        ("--html", "--csv"),
        ("--all", "-n", "5"),
        ("--all", "--page", "2"),
        ("--all", "--sort", "relevance"),
        ("--csv", "--bidi"),
    ],
)
def test_conflicting_options_are_usage_errors(seeds_index: Path, options: tuple[str, ...]) -> None:
    result = CliRunner().invoke(main, ["search", "بوتين", "--index", str(seeds_index), *options])
    assert result.exit_code == 2, result.output
    assert result.stdout == "" and result.stderr.count("Error: ") == 1
    assert "Traceback" not in result.stderr


def test_agreeing_options_are_accepted(seeds_index: Path) -> None:
    for options in (("--all-words", "--match", "all"), ("--all", "--sort", "date")):
        assert bahth("search", "بوتين", "--index", seeds_index, *options).exit_code == 0

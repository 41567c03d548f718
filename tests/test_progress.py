"""Progress of indexing runs (issue 11): what ``on_progress`` reports, and what a terminal shows.

The terminal tests run ``bahth index`` in a subprocess whose stderr is a pseudo-terminal, as a
user's would be, and read everything written to it.
"""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest

from search import Indexer, Progress
from search.cli.progress import COMMIT_SHARE, ProgressView, run_engine
from tests.conftest import jsonl

pytestmark = pytest.mark.usefixtures("engine")

WORDS = "الحكومة الوزير البرلمان المدينة الشركة السوق الاقتصاد أعلن قال أكد".split()  # noqa: SIM905


def articles(count: int) -> list[dict[str, str]]:
    return [
        {
            "id": f"p{n}",
            "title": f"النفط {WORDS[n % len(WORDS)]} {n}",
            "body": " ".join(WORDS[(n + k) % len(WORDS)] for k in range(40)),
        }
        for n in range(count)
    ]


def test_progress_reports_reading_then_the_commit_as_its_own_phase(tmp_path: Path) -> None:
    dump = tmp_path / "dump.jsonl"
    dump.write_text(jsonl([*articles(350), "{bad"]), encoding="utf-8")
    reports: list[Progress] = []
    report = Indexer(tmp_path / "index").add_files([dump], on_progress=reports.append)

    phases = [p.phase for p in reports]
    assert phases[-2:] == ["committing", "committed"]
    assert set(phases[:-2]) == {"reading"}
    reading = reports[:-2]
    # the size of the whole is known before the first record; records are counted as read
    assert reading[0].records == 0 and reading[0].bytes_total == dump.stat().st_size
    assert [p.records for p in reading] == [0, 100, 200, 300, 351]
    assert [p.bytes_done for p in reading] == sorted(p.bytes_done for p in reading)
    assert reading[-1].bytes_done == reading[-1].bytes_total
    # the commit steps carry the final counts
    assert {p.records for p in reports[-2:]} == {report.read} == {351}
    assert 0 < report.commit_seconds <= report.seconds


def test_an_unchanged_rerun_still_reports_its_phases(tmp_path: Path) -> None:
    dump = tmp_path / "dump.jsonl"
    dump.write_text(jsonl(articles(20)), encoding="utf-8")
    Indexer(tmp_path / "index").add_files([dump])
    reports: list[Progress] = []
    report = Indexer(tmp_path / "index").add_files([dump], on_progress=reports.append)
    assert report.unchanged == 20
    assert [p.phase for p in reports][-2:] == ["committing", "committed"]


# --- on a terminal -----------------------------------------------------------------------------

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def run_on_a_terminal(*args: str | Path, cwd: Path) -> tuple[int, str, list[str]]:
    """``bahth ARGS`` with stderr on a pseudo-terminal 120 columns wide: (exit code, stdout,
    stderr as the terminal's lines: each what remains after its last carriage return, without
    control sequences)."""
    master, slave = pty.openpty()
    env = {**os.environ, "COLUMNS": "120", "LINES": "30"}
    env.pop("NO_COLOR", None)
    with subprocess.Popen(
        [sys.executable, "-c", "from search.cli import main; main()", *map(str, args)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=slave,
        cwd=cwd,
        env=env,
    ) as process:
        os.close(slave)
        chunks = []
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: the terminal's other side is closed
                break
            if not data:
                break
            chunks.append(data)
        os.close(master)
        assert process.stdout is not None
        stdout = process.stdout.read().decode()
        code = process.wait()
    raw = b"".join(chunks).decode()
    lines = [ANSI.sub("", line).rsplit("\r", 1)[-1].rstrip() for line in raw.split("\r\n")]
    return code, stdout, [line for line in lines if line]


BAR = re.compile(
    r"^reading  \[[#-]{20}\]\s+(?P<pct>\d+)%, (?P<articles>[\d,]+) articles, "
    r"[\d,]+ articles/s, ETA (\?|[\d a-z]+), [\d.]+/(?P<total>[\d.]+) MB, [\d.]+ MB/s(, \d+:\d\d)?$"
)


@pytest.fixture(scope="module")
def terminal_run(
    tmp_path_factory: pytest.TempPathFactory, engine: str
) -> tuple[int, str, list[str], Path]:
    """One run of bahth index on a terminal: 500 articles and two bad records."""
    directory = tmp_path_factory.mktemp("terminal")
    records: list[dict[str, str] | str] = list(articles(500))
    records[150] = "{bad json"
    records[420] = "[1, 2]"
    (directory / "dump.jsonl").write_text(jsonl(records), encoding="utf-8")
    code, stdout, lines = run_on_a_terminal("index", "dump.jsonl", "--index", "ix", cwd=directory)
    return code, stdout, lines, directory


@pytest.mark.slow
def test_terminal_shows_a_bar_with_articles_rates_and_megabytes(
    terminal_run: tuple[int, str, list[str], Path],
) -> None:
    code, stdout, lines, directory = terminal_run
    assert code == 0, lines
    assert stdout.startswith("ix (gen-000001): 500 read, 498 added")
    # the last state of the bar is its own line: all read
    [bar] = [line for line in lines if line.startswith("reading  [")]
    assert len(bar) <= 120  # what does not fit the terminal's width is left out
    found = BAR.match(bar)
    assert found, bar
    assert found.group("pct") == "100" and found.group("articles") == "500"
    size = (directory / "dump.jsonl").stat().st_size
    assert found.group("total") == f"{size / 1e6:.1f}"


def test_terminal_shows_rejects_on_lines_of_their_own(
    terminal_run: tuple[int, str, list[str], Path],
) -> None:
    _, _, lines, _ = terminal_run
    rejected = [line for line in lines if "rejected:" in line]
    assert rejected == [
        "rejected: dump.jsonl:151: invalid JSON at column 2: Expecting property name enclosed in "
        "double quotes",
        "rejected: dump.jsonl:421: an array, not a JSON object",
    ]


def test_terminal_shows_the_commit_as_a_step_after_reading(
    terminal_run: tuple[int, str, list[str], Path],
) -> None:
    _, _, lines, _ = terminal_run
    steps = [line for line in lines if not line.startswith("rejected")]
    assert len(steps) == 3, steps  # the bar, then the two lines of the commit step
    assert BAR.match(steps[0]), steps
    read = r"read 500 articles \(0\.\d MB\) in [\d.]+ s \([\d,]+ articles/s\)"
    assert re.fullmatch(read, steps[1]), steps
    assert re.fullmatch(r"committed in [\d.]+ s", steps[2]), steps


@pytest.mark.slow
def test_no_progress_when_stderr_is_not_a_terminal(tmp_path: Path) -> None:
    (tmp_path / "dump.jsonl").write_text(jsonl(articles(150)), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-c", "from search.cli import main; main()", "index", "dump.jsonl",
         "--index", "ix"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.startswith("ix (gen-000001): 150 read, 150 added")


# --- the time left -----------------------------------------------------------------------------


def eta_after(view: ProgressView, seconds: float, done: int, total: int) -> float | None:
    """``view``'s ETA ``seconds`` after it started, ``done`` bytes of ``total`` read."""
    view.progress = Progress("dump.jsonl", 0, 1, done, total, records=done // 100)
    return view.eta_seconds(view.start + seconds)


def test_the_eta_counts_the_commit_as_its_engines_share_of_the_reading() -> None:
    for engine, share in COMMIT_SHARE.items():
        view = ProgressView(engine)
        # half read in 10 s: 10 s of reading left, and the commit's share of 20 s of reading
        assert eta_after(view, 10, 500, 1000) == pytest.approx(10 + share * 20)
        assert eta_after(view, 20, 1000, 1000) == pytest.approx(share * 20)
        assert eta_after(view, 4, 100, 1000) is None  # the first seconds: no estimate yet
    # a run that commits nothing (a dry run) has only its reading left
    assert eta_after(ProgressView(None), 10, 500, 1000) == pytest.approx(10)


def test_the_engine_of_a_run_is_the_one_asked_else_the_live_indexs(
    tmp_path: Path, engine: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = tmp_path / "index"
    assert run_engine(Indexer(index)) == engine  # no index yet: the default (BAHTH_ENGINE)
    (tmp_path / "dump.jsonl").write_text(jsonl(articles(5)), encoding="utf-8")
    Indexer(index).add_files([tmp_path / "dump.jsonl"])
    other = next(e for e in COMMIT_SHARE if e != engine)
    monkeypatch.setenv("BAHTH_ENGINE", other)  # the default now names another engine
    assert run_engine(Indexer(index)) == engine  # the live index's
    assert run_engine(Indexer(index, engine=other)) == other  # a rebuild asked to convert it
    assert run_engine(Indexer(index), commits=False) is None  # a dry run commits nothing

"""Rejects kept across runs (search.rejects): one file per indexing run beside the index,
``rejects.jsonl`` linking to the latest, older runs kept until pruned, and ``bahth rejects``
listing them (the latest run's by default, ``--all``, ``--json``)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from search import Indexer, RejectsRun, read_rejects, rejects
from search.cli import main
from tests.conftest import WriteJsonl

pytestmark = pytest.mark.usefixtures("engine")

GOOD = [
    {"id": f"g{n}", "title": f"النفط والأسواق {n}", "body": "ارتفعت أسعار النفط في الأسواق."}
    for n in range(3)
]
BAD = ['{"id": "x1", "title": "خبر بلا نهاية', '["بوتين"]']


def bahth(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def reasons(run: RejectsRun) -> list[tuple[str, int]]:
    return [(Path(reject.file).name, reject.line) for reject in run]


@pytest.fixture
def two_runs(tmp_path: Path, write_jsonl: WriteJsonl) -> Path:
    """An index built from a dump with two bad lines, then updated from a clean one."""
    index = tmp_path / "index"
    first = Indexer(index).add_files([write_jsonl([GOOD[0], *BAD, GOOD[1]], "first.jsonl")])
    assert first.rejected == 2
    second = Indexer(index).add_files([write_jsonl([GOOD[2]], "second.jsonl")])
    assert second.rejected == 0
    return index


def test_a_later_run_keeps_the_rejects_of_the_first(two_runs: Path) -> None:
    [latest] = read_rejects(two_runs)
    assert (latest.number, latest.latest, latest.count(), list(latest)) == (2, True, 0, [])
    latest_run, first = read_rejects(two_runs, all_runs=True)
    assert latest_run == latest
    assert (first.number, first.latest, first.count()) == (1, False, 2)
    assert reasons(first) == [("first.jsonl", 2), ("first.jsonl", 3)]
    [raw, _] = [reject.raw for reject in first]
    assert raw == BAD[0]  # the record as the dump had it
    assert first.started <= latest.started


def test_rejects_jsonl_links_to_the_latest_runs_file(
    tmp_path: Path, write_jsonl: WriteJsonl
) -> None:
    index = tmp_path / "index"
    report = Indexer(index).add_files([write_jsonl([GOOD[0], BAD[0]])])
    assert report.rejects_file is not None
    assert report.rejects_file.parent == index / rejects.RUNS
    assert (index / "rejects.jsonl").resolve() == report.rejects_file.resolve()
    assert not os.path.isabs(os.readlink(index / "rejects.jsonl"))  # the index can move
    [line] = (index / "rejects.jsonl").read_text("utf-8").splitlines()
    assert json.loads(line)["raw"] == BAD[0]


def test_a_failed_run_keeps_its_rejects_and_bahth_rejects_lists_them(
    two_runs: Path, write_jsonl: WriteJsonl
) -> None:
    # a rebuild from a dump of which no record can be read fails, and commits nothing: its
    # rejects are exactly what the user needs to see
    result = bahth("rebuild", write_jsonl(BAD, "broken.jsonl"), "--index", two_runs, "-q")
    assert result.exit_code == 1
    assert "held no article" in result.stderr

    listed = bahth("rejects", "--index", two_runs)
    assert listed.exit_code == 0, listed.output
    heading, *lines = listed.stdout.splitlines()
    assert heading.startswith("run 3 (") and "the latest): 2 rejected records, in " in heading
    [first, _] = read_rejects(two_runs)[0]
    assert lines == [
        f"{first.file}:1: {first.reason}",
        f"{first.file}:2: an array, not a JSON object",
    ]
    assert listed.stderr == ""


def test_bahth_rejects_lists_the_latest_run_or_all(two_runs: Path) -> None:
    latest = bahth("rejects", "--index", two_runs)
    assert latest.exit_code == 0, latest.output
    [heading] = latest.stdout.splitlines()
    assert heading.startswith("run 2 (") and heading.endswith(
        f"the latest): nothing rejected, in {read_rejects(two_runs)[0].path}"
    )

    every = bahth("rejects", "--all", "--index", two_runs)
    assert every.exit_code == 0, every.output
    second, first = every.stdout.split("\n\n")  # newest first, a blank line between runs
    assert second.splitlines()[0] == heading
    first_heading, *lines = first.splitlines()
    assert first_heading.startswith("run 1 (") and ": 2 rejected records, in " in first_heading
    assert "latest" not in first_heading
    assert [line.split(": ")[0].rsplit("/", 1)[-1] for line in lines] == [
        "first.jsonl:2",
        "first.jsonl:3",
    ]


def test_bahth_rejects_json_holds_every_run_and_the_raw_records(two_runs: Path) -> None:
    result = bahth("rejects", "--all", "--json", "--index", two_runs)
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["index"] == str(two_runs)
    assert [(r["run"], r["latest"], r["count"]) for r in document["runs"]] == [
        (2, True, 0),
        (1, False, 2),
    ]
    first = document["runs"][1]
    assert set(first) == {"run", "started", "file", "latest", "count", "rejects"}
    assert [r["raw"] for r in first["rejects"]] == BAD
    assert [r["line"] for r in first["rejects"]] == [2, 3]
    default = json.loads(bahth("rejects", "--json", "--index", two_runs).stdout)
    assert [r["run"] for r in default["runs"]] == [2]


def test_bahth_rejects_without_an_index_says_so(tmp_path: Path) -> None:
    result = bahth("rejects", "--index", tmp_path / "nowhere")
    assert result.exit_code == 1
    assert "No index at" in result.stderr and "Traceback" not in result.output


def test_runs_beyond_the_kept_ones_are_pruned(
    tmp_path: Path, write_jsonl: WriteJsonl, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rejects, "KEEP_RUNS", 2)
    index = tmp_path / "index"
    bad = write_jsonl([GOOD[0], BAD[0]], "bad.jsonl")
    clean = write_jsonl([GOOD[1]], "clean.jsonl")
    for dump in (bad, clean, bad, bad, clean, bad, clean):
        Indexer(index).add_files([dump])
    kept = read_rejects(index, all_runs=True)
    # the latest (clean) run, and the two runs before it that rejected something
    assert [(run.number, run.count()) for run in kept] == [(7, 0), (6, 1), (4, 1)]
    assert sorted(p.name for p in (index / rejects.RUNS).iterdir()) == sorted(
        run.path.name for run in kept
    )


def test_the_rejects_jsonl_of_an_earlier_bahth_becomes_the_first_run(
    tmp_path: Path, write_jsonl: WriteJsonl
) -> None:
    index = tmp_path / "index"
    Indexer(index).add_files([write_jsonl([GOOD[0], BAD[0]])])
    # as an index of an earlier Bahth has it: one rejects.jsonl file, no history
    legacy = (index / "rejects.jsonl").read_text("utf-8")
    (index / "rejects.jsonl").unlink()
    for path in (index / rejects.RUNS).iterdir():
        path.unlink()
    (index / rejects.RUNS).rmdir()
    (index / "rejects.jsonl").write_text(legacy, encoding="utf-8")

    [old] = read_rejects(index)  # read as it is, writing nothing
    assert (old.number, old.count()) == (0, 1)
    assert "an earlier run" in bahth("rejects", "--index", index).stdout

    Indexer(index).add_files([write_jsonl([GOOD[1]], "clean.jsonl")])
    latest, adopted = read_rejects(index, all_runs=True)
    assert (latest.number, adopted.number, adopted.count()) == (1, 0, 1)
    assert adopted.path.parent == index / rejects.RUNS
    assert (index / "rejects.jsonl").is_symlink()


def test_a_line_cut_short_by_a_killed_run_is_listed_as_damaged(two_runs: Path) -> None:
    first = read_rejects(two_runs, all_runs=True)[1]
    with open(first.path, "a", encoding="utf-8") as out:
        out.write('{"file": "dump.jsonl", "li')
    *_, damaged = first
    assert damaged.file == str(first.path) and damaged.line == 3
    assert "damaged" in damaged.reason
    assert first.count() == 3


def test_rejects_text_keeps_a_dumps_controls_off_the_terminal(
    tmp_path: Path, write_jsonl: WriteJsonl
) -> None:
    # a file name (Linux allows anything but / and NUL) that an override would show as
    # "dump.jsonl", and a reason quoting an escape sequence
    dump = write_jsonl([GOOD[0], '{"id": "e", "title": "\x1b[2J'], "lnosj.\u202edump.jsonl")
    index = tmp_path / "index"
    Indexer(index).add_files([dump])
    text = bahth("rejects", "--index", index).stdout
    assert "\u202e" not in text and "\x1b" not in text
    assert "lnosj.dump.jsonl:2: " in text
    document = json.loads(bahth("rejects", "--json", "--index", index).stdout)
    [reject] = document["runs"][0]["rejects"]
    assert reject["file"] == str(dump)  # JSON keeps the name as it is
    assert reject["raw"] == '{"id": "e", "title": "\x1b[2J'

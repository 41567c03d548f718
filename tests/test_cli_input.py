"""What the bahth command accepts and what it says when it cannot go on (issue 11): queries
that begin with ``-``, the default index's path, a first build under way, dates in the forms
dumps use (partial dates as periods), and errors that name what differs and say what to do.

Every test runs the real command (click's CliRunner, or a subprocess for a second process)
on a real index on disk."""

from __future__ import annotations

import inspect
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import search
from search import (
    BahthError,
    Indexer,
    IndexIncompatible,
    IndexLocked,
    QueryError,
    Searcher,
    layout,
)
from search.arabic import ANALYSIS_VERSION
from search.cli import main
from search.engine import engine_of, location_of
from search.stories import Stories
from tests.conftest import ROOT, jsonl

pytestmark = pytest.mark.usefixtures("engine")

OIL = "النفط"
QATAR = "قطر"

# Every article holds النفط; only d3 holds قطر. The dates sit on the edges of months and years
# (and a leap day), where a partial date's first and last day are told apart.
ARTICLES = [
    {
        "id": "d1",
        "title": "أسعار النفط تنهي العام على تراجع",
        "body": "تراجعت أسعار النفط في آخر أيام العام مع زيادة المعروض في الأسواق.",
        "date": "2014-12-31",
    },
    {
        "id": "d2",
        "title": "صادرات النفط ترتفع في يوليو",
        "body": "ارتفعت صادرات النفط الخام خلال شهر يوليو بحسب بيانات رسمية.",
        "date": "2015-07-31",
    },
    {
        "id": "d3",
        "title": "قطر تبحث مع شركائها أسواق النفط",
        "body": "بحث وزير الطاقة في قطر مع نظرائه أوضاع أسواق النفط والغاز.",
        "date": "2015-08-01",
    },
    {
        "id": "d4",
        "title": "منظمة أوبك تراجع إنتاج النفط",
        "body": "راجعت منظمة أوبك مستويات إنتاج النفط في اجتماعها الأخير.",
        "date": "2015-08-31",
    },
    {
        "id": "d5",
        "title": "الحكومة تعلن موازنة تعتمد على النفط",
        "body": "أعلنت الحكومة موازنة جديدة تعتمد على عائدات النفط بدرجة كبيرة.",
        "date": "2015-09-01",
    },
    {
        "id": "d6",
        "title": "مخزونات النفط الأمريكية تنخفض",
        "body": "انخفضت مخزونات النفط في الولايات المتحدة أكثر من المتوقع.",
        "date": "2016-02-29",
    },
    {
        "id": "d7",
        "title": "شركات النفط تخفض استثماراتها",
        "body": "خفضت شركات النفط الكبرى استثماراتها في التنقيب هذا العام.",
        "date": "2016-03-01",
    },
]
ALL = {str(a["id"]) for a in ARTICLES}


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="module")
def oil_index(tmp_path_factory: pytest.TempPathFactory, engine: str) -> Path:
    """An index of ARTICLES, read-only for the module's tests."""
    directory = tmp_path_factory.mktemp("oil")
    dump = directory / "oil.jsonl"
    dump.write_text(jsonl(ARTICLES), encoding="utf-8")
    report = Indexer(directory / "index").add_files([dump])
    assert (report.added, report.rejected) == (len(ARTICLES), 0), report
    return directory / "index"


@pytest.fixture
def own_index(tmp_path: Path) -> Path:
    """An index of ARTICLES that the test may change."""
    index = tmp_path / "index"
    Indexer(index).add_files([_dump(tmp_path)])
    return index


def _dump(tmp_path: Path) -> Path:
    dump = tmp_path / "oil.jsonl"
    dump.write_text(jsonl(ARTICLES), encoding="utf-8")
    return dump


def bahth(runner: CliRunner, *args: str | Path, **kwargs: object) -> Result:
    return runner.invoke(main, [str(a) for a in args], **kwargs)


def found(runner: CliRunner, index: Path, *args: str) -> dict[str, object]:
    """The JSON document of ``bahth search --index INDEX --json ARGS``, which must succeed."""
    result = bahth(runner, "search", "--index", index, "--json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def ids(document: dict[str, object]) -> set[str]:
    return {hit["id"] for hit in document["hits"]}  # type: ignore[index,union-attr]


def assert_usage_error(result: Result, *needles: str) -> None:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.stderr and result.stdout == ""
    for needle in needles:
        assert needle in result.stderr, result.stderr


# --- a query that begins with "-" ----------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        [f"-{QATAR} {OIL}"],  # one argument, as the issue typed it
        [f"-{QATAR}", OIL],  # the shell split it
        ["--", f"-{QATAR}", OIL],  # everything after -- is the query
        [OIL, f"-{QATAR}"],
        ["--sort", "date", f"-{QATAR} {OIL}"],  # options before, their values kept
        [f"-{QATAR} {OIL}", "--match", "all"],
    ],
)
def test_query_beginning_with_minus_excludes_the_word(
    oil_index: Path, runner: CliRunner, args: list[str]
) -> None:
    document = found(runner, oil_index, "-n", "20", *args)
    assert ids(document) == ALL - {"d3"}
    assert document["query"] in (f"-{QATAR} {OIL}", f"{OIL} -{QATAR}")


@pytest.mark.parametrize(
    "limit", [["-n", "1"], ["-n1"], ["--limit", "1"], ["--limit=1"], ["-n", "1", "--"]]
)
def test_dash_n_stays_the_limit_beside_an_excluded_word(
    oil_index: Path, runner: CliRunner, limit: list[str]
) -> None:
    args = [*limit, f"-{QATAR}", OIL] if limit[-1] == "--" else [f"-{QATAR}", OIL, *limit]
    document = found(runner, oil_index, *args)
    assert len(document["hits"]) == 1  # type: ignore[arg-type]
    assert document["total"] == len(ALL) - 1
    assert ids(document) <= ALL - {"d3"}


def test_words_after_double_dash_are_query_words_even_if_they_look_like_options(
    oil_index: Path, runner: CliRunner
) -> None:
    # "-n" after -- is an excluded word, not the limit: all six hits come back
    document = found(runner, oil_index, "--", OIL, "-n", "1")
    assert document["query"] == f"{OIL} -n 1"
    assert ids(document) == ALL


@pytest.mark.parametrize("typo", ["--jsno", "--jsno=1", "--sinse"])
def test_a_mistyped_option_is_a_usage_error_not_a_query_word(
    oil_index: Path, runner: CliRunner, typo: str
) -> None:
    result = bahth(runner, "search", OIL, typo, "--index", oil_index)
    assert_usage_error(result, f"No such option '{typo.partition('=')[0]}'", "Did you mean")
    # after --, it is what the user asked for: a word of the query
    document = found(runner, oil_index, "--", OIL, typo)
    assert document["query"] == f"{OIL} {typo}"


def test_an_option_missing_its_value_is_still_reported(oil_index: Path, runner: CliRunner) -> None:
    result = bahth(runner, "search", f"-{QATAR}", OIL, "--index", oil_index, "-n")
    assert_usage_error(result, "'-n' requires an argument")


def test_only_excluded_words_is_the_query_error_not_an_option_error(
    oil_index: Path, runner: CliRunner
) -> None:
    result = bahth(runner, "search", f"-{QATAR}", "--index", oil_index)
    assert_usage_error(result, "only excludes words")
    assert "No such option" not in result.stderr


def test_search_help_names_the_query_rules(runner: CliRunner) -> None:
    result = bahth(runner, "search", "-h")
    assert result.exit_code == 0, result.output
    assert "QUERY..." in result.stdout and "-word" in result.stdout and "--" in result.stdout
    shown = " ".join(result.stdout.split())  # as read, wherever click wraps its lines
    for example in ("2015-08", "1/8/2015", "أغسطس 2015", "through its last day"):
        assert example in shown


# --- the default index, relative to the current directory ------------------------------------


def test_missing_default_index_names_the_absolute_path_and_how_to_point_at_one(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    where = Path.cwd() / "indexes" / "default"
    result = bahth(runner, "search", OIL, env={"BAHTH_INDEX": None})
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith(f"Error: No index at {where}.")
    assert "--index" in result.stderr and "BAHTH_INDEX" in result.stderr
    assert "bahth index" in result.stderr


def test_default_index_is_indexes_default_under_the_current_directory(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("oil.jsonl").write_text(jsonl(ARTICLES), encoding="utf-8")
    env = {"BAHTH_INDEX": None}
    indexed = bahth(runner, "index", "oil.jsonl", "-q", env=env)
    assert indexed.exit_code == 0, indexed.output
    assert layout.current(tmp_path / "indexes" / "default") is not None
    result = bahth(runner, "search", f"-{QATAR}", OIL, "-n", "20", "--json", env=env)
    assert result.exit_code == 0, result.output
    assert ids(json.loads(result.stdout)) == ALL - {"d3"}


# --- a search while the first build runs ------------------------------------------------------

# A second process that holds the index's write lock, as `bahth index` does while it builds,
# until its stdin closes; it creates the directory and nothing else (no CURRENT yet).
HOLD_WRITE_LOCK = """
import sys
from pathlib import Path
from search import layout
with layout.write_lock(Path(sys.argv[1])):
    print("held", flush=True)
    sys.stdin.read()
"""


@pytest.fixture
def writer(tmp_path: Path) -> Iterator[subprocess.Popen[str]]:
    """A process writing tmp_path/index (no index there yet); ended after the test."""
    with subprocess.Popen(
        [sys.executable, "-c", HOLD_WRITE_LOCK, str(tmp_path / "index")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    ) as process:
        try:
            assert process.stdout is not None and process.stdout.readline() == "held\n"
            yield process
        finally:
            process.kill()


def test_search_during_the_first_build_says_it_is_being_built(
    runner: CliRunner, tmp_path: Path, writer: subprocess.Popen[str]
) -> None:
    index = tmp_path / "index"
    for command in (["search", OIL], ["stats"], ["show", "d1"]):
        result = bahth(runner, *command, "--index", index)
        assert result.exit_code == 1, result.output
        assert "being built" in result.stderr and f"PID {writer.pid}" in result.stderr
        assert "Build one with" not in result.stderr


def test_a_writer_that_died_is_not_a_build_under_way(
    runner: CliRunner, tmp_path: Path, writer: subprocess.Popen[str]
) -> None:
    writer.kill()  # SIGKILL: its PID stays in the lock file
    writer.wait()
    assert (tmp_path / "index" / layout.WRITE_LOCK).read_text().strip() == str(writer.pid)
    result = bahth(runner, "search", OIL, "--index", tmp_path / "index")
    assert result.exit_code == 1, result.output
    assert "being built" not in result.stderr and "Build one with" in result.stderr


# --- dates as dumps write them; partial dates are periods -------------------------------------


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (["--since", "2015-08"], {"d3", "d4", "d5", "d6", "d7"}),
        (["--until", "2015-08"], {"d1", "d2", "d3", "d4"}),
        (["--since", "2015-08", "--until", "2015-08"], {"d3", "d4"}),
        (["--since", "2015"], ALL - {"d1"}),
        (["--until", "2015"], {"d1", "d2", "d3", "d4", "d5"}),
        (["--since", "2015", "--until", "2015"], {"d2", "d3", "d4", "d5"}),
        (["--until", "2016-02"], ALL - {"d7"}),  # through the leap day
        (["--since", "08/2015", "--until", "08/2015"], {"d3", "d4"}),
        (["--since", "1/8/2015"], {"d3", "d4", "d5", "d6", "d7"}),  # day first: 1 August
        (["--until", "1/8/2015"], {"d1", "d2", "d3"}),  # a whole date is one day
        (["--since", "أغسطس 2015", "--until", "أغسطس 2015"], {"d3", "d4"}),
        (["--since", "آب ٢٠١٥", "--until", "أوت 2015"], {"d3", "d4"}),  # Levant, Maghreb
        (["--until", "31 أغسطس 2015"], {"d1", "d2", "d3", "d4"}),
        (["--since", "August 2015", "--until", "Aug 2015"], {"d3", "d4"}),
        (["--since", "2015-08-01", "--until", "2015-08-31"], {"d3", "d4"}),
    ],
)
def test_since_and_until_read_the_forms_dumps_use(
    oil_index: Path, runner: CliRunner, filters: list[str], expected: set[str]
) -> None:
    assert ids(found(runner, oil_index, OIL, "-n", "20", *filters)) == expected


def test_the_api_reads_the_same_date_forms(oil_index: Path) -> None:
    with Searcher(oil_index) as searcher:
        august = searcher.search(OIL, limit=20, since="2015-08", until="أغسطس 2015")
        assert {hit.id for hit in august} == {"d3", "d4"}
        with pytest.raises(QueryError) as error:
            searcher.search(OIL, since="2016", until="2015")
    # names both dates, as the periods were read: 2016 from its first day, 2015 to its last
    assert "2016-01-01" in str(error.value) and "2015-12-31" in str(error.value)


def test_since_after_until_is_a_usage_error_naming_both_dates(
    oil_index: Path, runner: CliRunner
) -> None:
    result = bahth(
        runner, "search", OIL, "--index", oil_index, "--since", "2015-09", "--until", "2015-08"
    )
    assert_usage_error(result, "--since 2015-09-01 is after --until 2015-08-31")


@pytest.mark.parametrize("value", ["أمس", "2015-13", "13/2015", "أغسطس", "31/02/2015", "15"])
def test_an_unreadable_date_is_a_usage_error_with_the_forms(
    oil_index: Path, runner: CliRunner, value: str
) -> None:
    result = bahth(runner, "search", OIL, "--index", oil_index, "--until", value)
    assert_usage_error(result, f"'{value}' is not a date", "YYYY-MM-DD", "YYYY-MM")


# --- errors: each has a fix; one version check names what differs -----------------------------


def _error_classes() -> list[type[BahthError]]:
    return [BahthError, *BahthError.__subclasses__()]


@pytest.mark.parametrize("cls", _error_classes(), ids=lambda cls: cls.__name__)
def test_every_bahth_error_has_a_fix_even_when_raised_without_one(
    cls: type[BahthError],
) -> None:
    # Each text the class requires before ``fix`` (BahthError's message; ShardUnavailable's
    # shard and reason, which its message is made of).
    required = [
        p
        for p in inspect.signature(cls).parameters.values()
        if p.name != "fix" and p.default is p.empty and p.kind is p.POSITIONAL_OR_KEYWORD
    ]
    texts = ["something went wrong"] * len(required)
    error = cls(*texts)
    assert "something went wrong" in error.message
    assert error.fix and str(error) == f"{error.message}\n{error.fix}"
    assert cls(*texts, fix="Do this.").fix == "Do this."


def test_every_public_error_is_in_the_tree_checked_above() -> None:
    public = {
        getattr(search, name)
        for name in search.__all__
        if isinstance(getattr(search, name), type) and issubclass(getattr(search, name), BahthError)
    }
    assert public <= set(_error_classes())


def test_index_locked_from_the_engine_writer_says_what_to_do(
    own_index: Path, runner: CliRunner
) -> None:
    # Something writes the generation without our write lock (the engine's own lock is
    # held), so the refusal comes from the engine's writer rather than from layout.write_lock.
    generation = layout.current(own_index)
    assert generation is not None
    holder = engine_of(generation).open_writer(location_of(generation), 1, Stories.read(generation))
    try:
        with pytest.raises(IndexLocked) as caught:
            Indexer(own_index).delete(["d1"])
        assert "--wait" in caught.value.fix
        result = bahth(runner, "delete", "d1", "--index", own_index)
    finally:
        holder.cancel()
    assert result.exit_code == 1, result.output
    assert "locked" in result.stderr and "--wait" in result.stderr


def _set_versions(index: Path, **versions: object) -> None:
    generation = layout.current(index)
    assert generation is not None
    layout.write_meta(generation, {**layout.read_meta(generation), **versions})


def _refusals(runner: CliRunner, index: Path, tmp_path: Path) -> list[str]:
    """What `bahth search` and `bahth index` say about ``index``; both must refuse it."""
    messages = []
    dump = _dump(tmp_path)
    for command in (["search", OIL], ["index", dump, "-q"]):
        result = bahth(runner, *command, "--index", index)
        assert result.exit_code == 1, result.output
        messages.append(result.stderr)
    return messages


def _schema_version(index: Path) -> int:
    """The schema version of the engine that built ``index``."""
    generation = layout.current(index)
    assert generation is not None
    return engine_of(generation).SCHEMA_VERSION


def test_a_schema_change_names_both_schema_versions(
    own_index: Path, runner: CliRunner, tmp_path: Path
) -> None:
    version = _schema_version(own_index)
    _set_versions(own_index, schema=version - 1)
    for message in _refusals(runner, own_index, tmp_path):
        assert f"schema {version - 1} (this Bahth: {version})" in message
        assert "analysis" not in message  # the analysis did not change
        assert f"bahth rebuild DUMP... --index {own_index}" in message


def test_an_analysis_change_names_both_analysis_versions(
    own_index: Path, runner: CliRunner, tmp_path: Path
) -> None:
    _set_versions(own_index, analysis="0-000000000000")
    search_says, index_says = _refusals(runner, own_index, tmp_path)
    for message in (search_says, index_says):
        assert f"analysis 0-000000000000 (this Bahth: {ANALYSIS_VERSION})" in message
        assert "schema" not in message
    # one check: the searcher and the indexer say the same about the same index
    assert search_says.splitlines()[:2] == index_says.splitlines()[:2]


def test_both_changed_names_both(own_index: Path, tmp_path: Path) -> None:
    version = _schema_version(own_index)
    _set_versions(own_index, analysis="0-000000000000", schema=version + 1)
    with pytest.raises(IndexIncompatible) as caught:
        Searcher(own_index)
    assert "analysis 0-000000000000" in caught.value.message
    assert f"schema {version + 1}" in caught.value.message


def test_an_index_without_versions_says_unknown(own_index: Path) -> None:
    generation = layout.current(own_index)
    assert generation is not None
    meta = {k: v for k, v in layout.read_meta(generation).items() if k != "schema"}
    layout.write_meta(generation, meta)
    with pytest.raises(IndexIncompatible, match=r"schema unknown \(this Bahth: \d+\)"):
        Indexer(own_index).delete(["d1"])


def test_cli_errors_print_their_fix(own_index: Path, runner: CliRunner) -> None:
    # IndexLocked from layout.write_lock, through the command: message and fix
    with layout.write_lock(own_index):
        result = bahth(runner, "delete", "d1", "--index", own_index)
    assert result.exit_code == 1, result.output
    assert f"PID {os.getpid()}" in result.stderr and "--wait" in result.stderr

"""Shared test configuration and fixtures."""

from __future__ import annotations

import builtins
import errno
import json
import os
import signal
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from search import Indexer, Searcher, engines
from search.engine import engine_of, location_of

# No timing thresholds in unit tests: hypothesis's per-example deadline is one, and the first
# example pays for loading the stemmer's lexicon.
settings.register_profile("bahth", deadline=None)
settings.load_profile("bahth")

ROOT = Path(__file__).resolve().parents[1]


def interruptible() -> None:
    """``preexec_fn`` for a child process that a test interrupts with SIGINT.

    A shell without job control starts background commands with SIGINT ignored, and children
    inherit that: Python in the child would then never raise KeyboardInterrupt, and the test
    would hang or see a finished run. This gives the child the terminal's default handling.
    """
    signal.signal(signal.SIGINT, signal.SIG_DFL)


SHARED_DATA = ROOT.parent / "shared" / "data"
SEEDS = ROOT / "seeds"
ENGINES = engines.names()


# The fast tier runs each test on the default engine; its runs on the others are slow (CI runs
# them), and the contract suite (test_engine_contract) keeps every engine in the fast tier.
@pytest.fixture(
    scope="session",
    params=[
        pytest.param(e, marks=() if e == engines.DEFAULT else pytest.mark.slow) for e in ENGINES
    ],
)
def engine(request: pytest.FixtureRequest) -> Iterator[str]:
    """Runs a test on each engine: every index the test creates (through the API or the CLI,
    in this process or a child) is of that engine, by the ``BAHTH_ENGINE`` variable.

    A test module asks for it with ``pytestmark = pytest.mark.usefixtures("engine")``; pytest
    groups the tests by engine, so the variable changes twice a session.
    """
    before = os.environ.get("BAHTH_ENGINE")
    os.environ["BAHTH_ENGINE"] = request.param
    yield request.param
    if before is None:
        del os.environ["BAHTH_ENGINE"]
    else:
        os.environ["BAHTH_ENGINE"] = before


def committed(generation: Path) -> int:
    """The number of the last commit of a generation, by the engine that built it."""
    return engine_of(generation).committed(location_of(generation))


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The shared corpora beside the project; tests using it skip cleanly when it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data is not present")
    return SHARED_DATA


# --- files ---------------------------------------------------------------------------------


@pytest.fixture
def deny_reads(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[Path], None]]:
    """deny_reads(path): opening ``path`` fails with EACCES (permission denied) from then on.

    ``chmod 000`` does it for an ordinary user. Root (or a process with CAP_DAC_OVERRIDE, as in
    most CI containers) reads any file whatever its mode; there, ``open`` is made to give the
    answer the kernel gives everyone else, so that the test runs either way instead of
    skipping. The mode is restored afterwards, so that tmp_path can be cleaned up.
    """
    denied: set[str] = set()
    real_open = builtins.open

    def guarded_open(file: object, *args: object, **kwargs: object) -> object:
        if isinstance(file, str | bytes | os.PathLike):
            name = os.fsdecode(file)
            if os.path.abspath(name) in denied:
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), name)
        return real_open(file, *args, **kwargs)  # type: ignore[call-overload]

    chmodded: list[Path] = []

    def deny(path: Path) -> None:
        path.chmod(0)
        chmodded.append(path)
        if os.access(path, os.R_OK):  # the mode does not stop this process
            denied.add(os.path.abspath(path))
            monkeypatch.setattr(builtins, "open", guarded_open)

    yield deny
    for path in chmodded:
        path.chmod(0o644)


# --- indexes ---------------------------------------------------------------------------------

WriteJsonl = Callable[..., Path]
MakeIndex = Callable[..., Path]


@pytest.fixture(scope="session")
def seeds_index(tmp_path_factory: pytest.TempPathFactory, engine: str) -> Path:
    """An index of seeds/ (26 JSONL articles and one scraped page), built once per engine,
    read-only."""
    index = tmp_path_factory.mktemp(f"seeds-{engine}") / "index"
    report = Indexer(index).add_files([SEEDS])
    assert (report.added, report.rejected) == (27, 0), report
    return index


@pytest.fixture(scope="session")
def seeds_searcher(seeds_index: Path) -> Iterator[Searcher]:
    """One Searcher over the seeds index for the whole session (it is meant to be reused)."""
    with Searcher(seeds_index) as searcher:
        yield searcher


def jsonl(records: Iterable[dict[str, object] | str]) -> str:
    """JSON Lines text: dicts as JSON objects (UTF-8, not escaped), strings as raw lines."""
    return "".join(
        (r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in records
    )


@pytest.fixture
def write_jsonl(tmp_path: Path) -> WriteJsonl:
    """write_jsonl(records, name="dump.jsonl") -> path of a JSONL dump in tmp_path."""

    def write(records: Iterable[dict[str, object] | str], name: str = "dump.jsonl") -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(jsonl(records), encoding="utf-8")
        return path

    return write


@pytest.fixture
def make_index(tmp_path: Path, write_jsonl: WriteJsonl) -> MakeIndex:
    """make_index(records, name="index") -> an index built from records through Indexer.

    The dump is written to tmp_path/<name>.jsonl and indexed with ``Indexer.add_files``; a
    record that the reader rejects fails the fixture, so tests get exactly what they wrote.
    """

    def make(records: Iterable[dict[str, object]], name: str = "index") -> Path:
        records = list(records)
        dump = write_jsonl(records, f"{name}.jsonl")
        index = tmp_path / name
        report = Indexer(index).add_files([dump])
        assert report.added == len(records) and report.rejected == 0, report
        return index

    return make

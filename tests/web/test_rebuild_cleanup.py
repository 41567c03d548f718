"""A rebuilt generation's old directory goes as soon as no reader holds it (issue 25, item 8):
the server moves to the new generation on its next request and deletes the old one then; a
reader elsewhere (another Searcher, another process) keeps it until it lets go in its turn.

Real indexes of each engine, real Searchers, real processes and locks.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from search import Indexer, Searcher, layout
from search.web import create_app
from tests.conftest import jsonl

pytestmark = pytest.mark.usefixtures("engine")

OIL = "النفط"


def dump(path: Path, count: int) -> Path:
    """``count`` articles that all hold OIL: a search's total says which generation answered."""
    records = [
        {
            "id": f"d{n}",
            "title": f"{OIL} والأسواق {n}",
            "body": f"ارتفعت أسعار {OIL} في الأسواق العالمية، وقال محللون إن الطلب يتزايد {n}.",
            "date": f"2015-{1 + n % 12:02d}-{1 + n % 28:02d}",
        }
        for n in range(count)
    ]
    path.write_text(jsonl(records), encoding="utf-8")
    return path


def first_index(tmp_path: Path, **options: object) -> tuple[Path, Path]:
    """An index of 5 articles (its gen-000001) and a dump of 7 to rebuild it from."""
    index = tmp_path / "index"
    Indexer(index, **options).add_files([dump(tmp_path / "five.jsonl", 5)])  # type: ignore[arg-type]
    return index, dump(tmp_path / "seven.jsonl", 7)


def names(index: Path) -> list[str]:
    """What the index directory holds besides its locks and rejects."""
    kept = {layout.POINTER, layout.WRITE_LOCK, layout.REJECTS, "rejects"}
    return sorted(p.name for p in index.iterdir() if p.name not in kept)


def total(searcher: Searcher) -> int:
    return searcher.search(OIL, match="all").total


def test_refresh_moves_to_the_new_generation_and_deletes_the_old(tmp_path: Path) -> None:
    index, seven = first_index(tmp_path)
    with Searcher(index) as searcher:
        old = searcher.generation
        Indexer(index).rebuild([seven])
        # the rebuild could not delete it: the Searcher holds it, and still reads it
        assert old.is_dir() and total(searcher) == 5
        assert searcher.refresh() is True
        assert not old.exists()
        assert names(index) == ["gen-000002"]
        assert total(searcher) == 7
    assert names(index) == ["gen-000002"]  # closing the live generation deletes nothing


def test_one_request_after_a_rebuild_the_old_generation_is_gone(tmp_path: Path) -> None:
    index, seven = first_index(tmp_path)
    with TestClient(create_app(index, refresh_interval=0)) as client:
        assert client.get("/api/search", params={"q": OIL}).json()["total"] == 5
        Indexer(index).rebuild([seven])
        assert (index / "gen-000001").is_dir()  # the server has not asked since
        assert client.get("/api/search", params={"q": OIL}).json()["total"] == 7
        assert names(index) == ["gen-000002"]


def test_another_searcher_of_the_old_generation_keeps_it_until_it_lets_go(
    tmp_path: Path,
) -> None:
    index, seven = first_index(tmp_path)
    with Searcher(index) as first, Searcher(index) as second:
        Indexer(index).rebuild([seven])
        first.refresh()
        assert (index / "gen-000001").is_dir() and total(second) == 5
        second.close()  # the last reader of gen-000001
        assert names(index) == ["gen-000002"]
        assert total(first) == 7


def test_a_reader_that_finds_no_current_deletes_nothing(tmp_path: Path) -> None:
    """Without CURRENT no generation is known to be replaced: the one a Searcher let go of
    stays (the server answers 503 until CURRENT is back, then searches it again)."""
    index, _ = first_index(tmp_path)
    pointer = index / layout.POINTER
    saved = pointer.read_text(encoding="utf-8")
    with TestClient(create_app(index, refresh_interval=0)) as client:
        pointer.unlink()
        assert client.get("/api/search", params={"q": OIL}).status_code == 503
        assert names(index) == ["gen-000001"]
        pointer.write_text(saved, encoding="utf-8")
        assert client.get("/api/search", params={"q": OIL}).json()["total"] == 5


# A reader in a process of its own: it opens a Searcher, says so, and at each line it is sent
# searches with it ("search") or moves it to the live generation ("refresh"), answering the
# total it then sees.
_READER = """
import sys
from search import Searcher
with Searcher(sys.argv[1]) as searcher:
    print(searcher.generation.name, flush=True)
    for command in sys.stdin:
        if command.strip() == "refresh":
            searcher.refresh()
        print(searcher.search(sys.argv[2], match="all").total, flush=True)
"""


class Reader:
    def __init__(self, index: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", _READER, str(index), OIL],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        )
        self.generation = self._line()

    def _line(self) -> str:
        assert self.process.stdout is not None
        line = self.process.stdout.readline().strip()
        assert line, self.process.communicate(timeout=60)[1]
        return line

    def ask(self, command: str) -> int:
        assert self.process.stdin is not None
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        return int(self._line())

    def finish(self) -> None:
        _, stderr = self.process.communicate(timeout=60)
        assert self.process.returncode == 0, stderr


@pytest.mark.slow
def test_a_reader_process_keeps_the_old_generation_until_it_moves(tmp_path: Path) -> None:
    index, seven = first_index(tmp_path)
    reader = Reader(index)
    try:
        assert reader.generation == "gen-000001"
        with TestClient(create_app(index, refresh_interval=0)) as client:
            Indexer(index).rebuild([seven])
            assert client.get("/api/search", params={"q": OIL}).json()["total"] == 7
            # the server let go of gen-000001, but the other process still reads it
            assert (index / "gen-000001").is_dir()
            assert reader.ask("search") == 5
            assert reader.ask("refresh") == 7  # its Searcher moves, and was the last reader
            assert names(index) == ["gen-000002"]
            assert client.get("/api/search", params={"q": OIL}).json()["total"] == 7
    finally:
        reader.finish()  # its stdin closes: it ends


@pytest.mark.slow
def test_xapian_local_shards_go_with_their_generation(tmp_path: Path, engine: str) -> None:
    if engine != "xapian":
        pytest.skip("a test of the xapian engine's shards: run once")
    index, seven = first_index(tmp_path, engine="xapian", shards=2)
    with Searcher(index) as searcher:
        Indexer(index).rebuild([seven])
        shards = sorted(p.name for p in (index / "gen-000002").iterdir() if p.is_dir())
        assert len(shards) == 2, shards  # the rebuild's shards are local, like the first's
        searcher.refresh()
        assert names(index) == ["gen-000002"] and total(searcher) == 7


def test_of_removers_at_once_one_deletes_the_generation_and_none_fails(tmp_path: Path) -> None:
    """Last readers and a writer's ``remove_unused`` remove it at one moment: the rename
    decides, once, and the others find it gone."""
    index, seven = first_index(tmp_path)
    old, hold = layout.hold_live_generation(index)  # a reader's hold, as a Searcher takes it
    Indexer(index).rebuild([seven])
    assert layout.remove_generation(index, old) is False  # held
    hold.close()  # let go without removing: the generation waits for the removers below
    assert old.is_dir()
    start = threading.Barrier(8)
    results: list[object] = []
    errors: list[BaseException] = []

    def remove(k: int) -> None:
        start.wait()
        try:
            results.append(
                layout.remove_unused(index) if k == 0 else layout.remove_generation(index, old)
            )
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=remove, args=(k,)) for k in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    removed = [r for r in results if r in (True, ["gen-000001"])]
    assert len(removed) == 1 and len(results) == 8, results
    assert names(index) == ["gen-000002"]


def test_what_a_killed_removal_left_is_deleted_by_the_next_run(tmp_path: Path) -> None:
    index, seven = first_index(tmp_path)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    leftover = index / f"{layout.REMOVING}gen-000000.{dead.pid}"
    (leftover / "segments").mkdir(parents=True)
    mine = index / f"{layout.REMOVING}gen-000000.{os.getpid()}"  # a removal under way
    mine.mkdir()
    Indexer(index).add_files([seven])
    assert not leftover.exists() and mine.is_dir()
    assert layout.generations(index) == [index / "gen-000001"]

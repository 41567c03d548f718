"""Where an index's shards are (``search.engine.cluster``): cluster files, routing by id, and
the shards a run or a rebuild may take."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from search import Indexer, InputError, Searcher
from search.cli import main
from search.engine import create, location_of
from search.engine.cluster import (
    cluster_address,
    read_cluster_file,
    shard_of,
    shards_of,
)
from search.errors import IndexIncompatible

from .conftest import SEEDS

xapian = pytest.importorskip("xapian", reason="the xapian engine needs pip install 'bahth[xapian]'")


def test_a_cluster_file_lists_servers_and_directories(tmp_path: Path) -> None:
    (tmp_path / "conf").mkdir()
    cluster = tmp_path / "conf" / "cluster.txt"
    cluster.write_text(
        "# three shards\ntcp://10.0.0.11:7001\n\n  ../data/shard-2   # this machine\n"
        "tcp://[::1]:7003\n",
        encoding="utf-8",
    )
    address = read_cluster_file(cluster)
    assert address == (
        "tcp://10.0.0.11:7001",
        str(tmp_path / "data" / "shard-2"),
        "tcp://[::1]:7003",
    )
    shards = shards_of(tmp_path / "gen-000001", address)
    assert [(s.remote, s.host, s.port) for s in shards] == [
        (True, "10.0.0.11", 7001), (False, "", 0), (True, "::1", 7003)
    ]  # fmt: skip
    assert shards[1].path == tmp_path / "data" / "shard-2"


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("tcp://host\n", "cluster.txt:1: 'tcp://host' is not a shard address"),
        ("tcp://a:1\ntcp://a:99999\n", "cluster.txt:2: 'tcp://a:99999' is not a shard address"),
        ("# nothing\n\n", "lists no shard"),
        ("tcp://a:1\ntcp://a:1\n", "lists a shard twice"),
    ],
)
def test_a_wrong_cluster_file_says_where(tmp_path: Path, text: str, says: str) -> None:
    cluster = tmp_path / "cluster.txt"
    cluster.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=says.replace("(", r"\(")):
        read_cluster_file(cluster)


def test_articles_are_routed_by_a_stable_hash_of_their_id() -> None:
    ids = [f"snn-{n:06d}" for n in range(3000)]
    placed = [shard_of(i, 3) for i in ids]
    assert placed == [shard_of(i, 3) for i in ids]  # the same in every run
    # Pinned: shards on disk were routed so; another hash would lose their articles' updates.
    assert [shard_of(i, 3) for i in ids[:4]] == [2, 1, 2, 1]
    assert min(Counter(placed).values()) > 900  # and spread
    assert {shard_of(i, 1) for i in ids} == {0}


def test_shards_and_cluster_are_one_choice(tmp_path: Path) -> None:
    cluster = tmp_path / "cluster.txt"
    cluster.write_text("tcp://a:1\n", encoding="utf-8")
    with pytest.raises(InputError, match="--shards and --cluster both"):
        cluster_address(2, cluster)
    assert cluster_address(None, None) is None
    assert cluster_address(1, None) == ()
    assert cluster_address(3, None) == ("shard-1", "shard-2", "shard-3")


def test_an_index_keeps_its_shards_and_a_rebuild_gets_its_own(tmp_path: Path) -> None:
    index = tmp_path / "index"
    Indexer(index, engine="xapian", shards=3).add_files([SEEDS])
    with pytest.raises(IndexIncompatible, match=r"built with 3 shards .* not 2 shards"):
        Indexer(index, shards=2).add_files([SEEDS])
    first = Searcher(index)
    Indexer(index).rebuild([SEEDS])  # local shards again, in the new generation
    with Searcher(index) as searcher:
        assert searcher.generation != first.generation
        assert searcher.stats().shards == ["shard-1", "shard-2", "shard-3"]
        assert all((searcher.generation / s).is_dir() for s in searcher.stats().shards)
        assert searcher.search("بوتين").total == first.search("بوتين").total > 0
    first.close()
    with pytest.raises(InputError, match="keeps an index in one place"):
        Indexer(index, engine="tantivy", shards=2).rebuild([SEEDS])


def test_a_rebuild_never_empties_the_shards_the_live_index_is_on(tmp_path: Path) -> None:
    engine_dirs = tmp_path / "elsewhere"
    cluster = tmp_path / "cluster.txt"
    cluster.write_text(f"{engine_dirs}/a\n{engine_dirs}/b\n", encoding="utf-8")
    index = tmp_path / "index"
    Indexer(index, engine="xapian", cluster=cluster).add_files([SEEDS])
    with Searcher(index) as searcher:
        live = searcher.generation
        total = searcher.search("بوتين").total
    assert location_of(live).address == read_cluster_file(cluster)
    with pytest.raises(InputError, match="keeps its shards elsewhere"):
        Indexer(index).rebuild([SEEDS])
    with pytest.raises(InputError, match="a rebuild there would empty it"):
        Indexer(index, cluster=cluster).rebuild([SEEDS])
    with Searcher(index) as searcher:  # untouched
        assert (searcher.generation, searcher.search("بوتين").total) == (live, total)
    other = tmp_path / "other.txt"
    other.write_text(f"{engine_dirs}/c\n", encoding="utf-8")
    Indexer(index, cluster=other).rebuild([SEEDS])
    with Searcher(index) as searcher:
        assert searcher.stats().shards == [str(engine_dirs / "c")]
        assert searcher.search("بوتين").total == total


def test_a_new_index_starts_on_empty_shards(tmp_path: Path) -> None:
    """A shard that held articles (an earlier index, a first run that died before it was
    published) is emptied for a new index: none of its old articles would be in the new
    index's stories and vocabulary."""
    shard = tmp_path / "shard"
    cluster = tmp_path / "one.txt"
    cluster.write_text(f"{shard}\n", encoding="utf-8")
    Indexer(tmp_path / "old", engine="xapian", cluster=cluster).add_files([SEEDS])
    assert xapian.Database(str(shard)).get_doccount() == 27
    generation = tmp_path / "new-generation"
    generation.mkdir()
    create(generation, "xapian", (str(shard),))
    assert xapian.Database(str(shard)).get_doccount() == 0


def test_a_lost_local_shard_is_named_as_damage(tmp_path: Path) -> None:
    index = tmp_path / "index"
    Indexer(index, engine="xapian", shards=3).add_files([SEEDS])
    with Searcher(index) as searcher:
        lost = searcher.generation / "shard-2"
    shutil.rmtree(lost)
    result = CliRunner().invoke(main, ["search", "بوتين", "--index", str(index)])
    assert result.exit_code == 1
    assert f"The shard {lost} cannot be opened" in result.output
    assert "Restore the shard's directory from a backup" in result.output
    assert "Traceback" not in result.output

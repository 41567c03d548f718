"""Every registered engine passes the conformance suite (``search.engine.testing``)."""

from __future__ import annotations

import types
from collections.abc import Iterator
from pathlib import Path

import pytest

from search import Indexer, Searcher, engines
from search.engine import Location, create, engine_of, location_of, registry
from search.engine.testing import EngineContract

from . import toy_engine
from .conftest import SEEDS


class TestWhoosh(EngineContract):
    engine_name = "whoosh"


class TestTantivy(EngineContract):
    engine_name = "tantivy"


class TestXapian(EngineContract):
    engine_name = "xapian"


class TestXapianShards(EngineContract):
    """The xapian engine with its articles routed to three local shards."""

    engine_name = "xapian"

    def location(self, directory: Path) -> Location:
        return Location(directory, ("shard-1", "shard-2", "shard-3"))


def test_every_registered_engine_has_its_suite_here() -> None:
    tested = {c.engine_name for c in EngineContract.__subclasses__()}
    assert set(engines.names()) <= tested


@pytest.fixture(autouse=True, scope="module")
def toy() -> Iterator[None]:
    """The toy engine, known to the registry while this module's tests run."""
    engines.register(toy_engine)  # type: ignore[arg-type]
    yield
    engines.unregister(toy_engine.NAME)


class TestToy(EngineContract):
    engine_name = "toy"


def test_the_toy_engine_serves_indexer_and_searcher_as_the_others(tmp_path: Path) -> None:
    """Registered, an engine is usable by name with nothing else changed; and it finds what
    a real engine finds, with the same totals."""
    found = {}
    for name in ("toy", "whoosh"):
        index = tmp_path / name
        report = Indexer(index, engine=name).add_files([SEEDS])
        assert report.added == 27
        with Searcher(index) as searcher:
            assert searcher.stats().engine == name
            results = [
                searcher.search(w, limit=50)
                for w in ("بوتين", "النفط", "روسيا السعودية", '"الرئيس الروسي"')
            ]
            found[name] = [(r.total, {h.id for h in r.hits}) for r in results]
    assert found["toy"] == found["whoosh"]
    assert all(total for total, _ in found["toy"])


def test_a_generation_records_its_engine_and_where_it_keeps_the_index(tmp_path: Path) -> None:
    address = ("shard-1.example:7001", "shard-2.example:7001")
    create(tmp_path, "toy", address)
    assert (tmp_path / "ENGINE").read_text(encoding="utf-8").splitlines() == ["toy", *address]
    assert engine_of(tmp_path) is toy_engine
    assert location_of(tmp_path) == Location(tmp_path, address)
    local = tmp_path / "local"
    local.mkdir()
    create(local, "toy")
    assert location_of(local) == Location(local, ())


def test_a_registered_engine_must_have_what_the_contract_asks() -> None:
    half = types.SimpleNamespace(NAME="half", SCHEMA_VERSION=1, create=print)
    with pytest.raises(TypeError, match="no THREAD_SAFE, committed, open_reader, open_writer"):
        engines.register(half)  # type: ignore[arg-type]
    assert "half" not in engines.names()


def test_an_engine_another_distribution_declares_is_found_by_its_entry_point(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Python convention for plug-ins: a distribution's ``bahth.engines`` entry point."""
    info = tmp_path / "bahth_toy-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: bahth-toy\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[bahth.engines]\ntoy = tests.toy_engine\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    engines.unregister("toy")
    registry._entry_points.cache_clear()
    try:
        assert "toy" in engines.names()
        assert engines.load("toy") is toy_engine
        Indexer(tmp_path / "index", engine="toy").add_files([SEEDS])
        with Searcher(tmp_path / "index") as searcher:
            assert searcher.stats().engine == "toy"
            assert searcher.search("بوتين").total
    finally:
        monkeypatch.undo()
        registry._entry_points.cache_clear()
        engines.register(toy_engine)  # type: ignore[arg-type]
    assert "toy" in engines.names()

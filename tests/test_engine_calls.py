"""What a page of results costs the engine, counted on a real engine's reader: one call for
the page's stored articles, and, collapsed, one query for the copies of its stories."""

from __future__ import annotations

import types
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from search import Article, Indexer, Searcher, engines
from search.engine import contract as q

pytestmark = pytest.mark.usefixtures("engine")


class CountingReader:
    """A real engine reader that counts the calls made to it."""

    def __init__(self, reader: Any, calls: Counter[str]) -> None:
        self._reader, self._calls = reader, calls

    def __getattr__(self, name: str) -> Any:
        found = getattr(self._reader, name)
        if not callable(found):
            return found

        def counted(*args: Any, **kwargs: Any) -> Any:
            query = args[0] if args else None
            about_stories = name == "top" and q.STORY in repr(query)
            self._calls["copies query" if about_stories else name] += 1
            return found(*args, **kwargs)

        return counted


@pytest.fixture
def calls(engine: str) -> Iterator[Counter[str]]:
    """The calls made to the readers of engine ``counting``: the test's engine, counted."""
    real = engines.load(engine)
    counted: Counter[str] = Counter()
    counting = types.SimpleNamespace(
        NAME="counting",
        SCHEMA_VERSION=real.SCHEMA_VERSION,
        THREAD_SAFE=real.THREAD_SAFE,
        create=real.create,
        committed=real.committed,
        open_writer=real.open_writer,
        open_reader=lambda location, reach=None: CountingReader(
            real.open_reader(location), counted
        ),
    )
    engines.register(counting)  # type: ignore[arg-type]
    yield counted
    engines.unregister("counting")


def articles() -> list[Article]:
    """30 reports of an oil price rise, in 10 stories of three near-copies."""
    found = []
    for story in range(10):
        body = (
            f"ارتفعت أسعار النفط في الجلسة رقم {story} بعد قرار منظمة أوبك خفض الإنتاج "
            f"وقال محللون إن الأسواق تترقب بيانات المخزون الأمريكي في الأسبوع {story} "
            f"وسط مخاوف من تباطؤ الطلب العالمي على الخام"
        )
        for copy in range(3):
            found.append(Article(f"s{story}c{copy}", f"النفط {story}", body + " ." * copy))
    return found


def test_a_page_reads_its_articles_in_one_call(tmp_path: Path, calls: Counter[str]) -> None:
    Indexer(tmp_path, engine="counting").add_articles(articles())
    with Searcher(tmp_path) as searcher:
        calls.clear()
        results = searcher.search("النفط", limit=10)
        assert len(results.hits) == 10
        assert calls["stored_many"] == 1
        calls.clear()
        assert len(searcher.search("النفط", limit=10, page=2).hits) == 10
        assert calls["stored_many"] == 1


def test_a_collapsed_page_finds_its_copies_in_one_query(
    tmp_path: Path, calls: Counter[str]
) -> None:
    Indexer(tmp_path, engine="counting").add_articles(articles())
    with Searcher(tmp_path) as searcher:
        calls.clear()
        results = searcher.search("النفط", limit=10, collapse=True)
        assert len(results.hits) == 10 and results.stories == 10
        assert all(len(hit.duplicates) == 2 for hit in results.hits)
        assert all(
            {hit.id[:-1] + str(c) for c in range(3)} == {hit.id, *hit.duplicates}
            for hit in results.hits
        )
        assert calls["copies query"] == 1
        assert calls["stored_many"] == 1

"""The xapian engine on real shard servers (``bahth shard serve``, ``xapian-tcpsrv``) on
loopback ports: the same answers as one local database, a shard that goes down (an error
naming it, or the other shards' results), a shard that comes back, updates and deletes on
the article's shard, and threads sharing one Searcher.

Every article has a day of its own: Bahth orders equal scores newest first, then in index
order, and index order is not the same in one database and in shards (a sharded index
interleaves its shards' documents). With no two articles on one day, the order is the same
whatever the index order, and the top ids of the two indexes can be compared exactly.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import random
import re
import shutil
import socket
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from search import Indexer, Searcher, ShardUnavailable
from search.article import Article
from search.cli import main
from search.engine.cluster import shard_of
from search.results import Results
from search.web.app import create_app
from tests.test_crash_safety import WORDS

from .shard_servers import ShardServer, shard_servers, write_cluster


def _missing() -> str | None:
    """Why the shard tests cannot run here, or None."""
    try:
        import xapian  # noqa: F401 -- only whether it imports
    except ModuleNotFoundError:
        return "the xapian engine needs Xapian's bindings: pip install 'bahth[xapian]'"
    if shutil.which("xapian-tcpsrv") is None:
        return "xapian-tcpsrv (Xapian's shard server) is not installed: apt install xapian-tools"
    return None


# CI sets BAHTH_REQUIRE_SHARD_SERVER: there, a missing server fails instead of skipping.
if (_reason := _missing()) is not None:
    if os.environ.get("BAHTH_REQUIRE_SHARD_SERVER"):
        pytest.fail(f"{_reason} (BAHTH_REQUIRE_SHARD_SERVER is set)", pytrace=False)
    pytest.skip(_reason, allow_module_level=True)
import xapian  # noqa: E402 -- checked above

from search.engine.xapian.reading import RETRY_SECONDS  # noqa: E402 -- needs xapian

pytestmark = pytest.mark.slow

SHARDS = 3
KILLED = 1  # the shard the failure tests take down

# --- the corpus --------------------------------------------------------------------------------

PHRASES = ("أسعار النفط", "الأمن الغذائي", "مجلس الوزراء", "كأس العالم", "رؤية المملكة")
SOURCES = ("alriyadh", "okaz", "sabq", "aljazirah")
CATEGORIES = ("سياسة", "اقتصاد", "رياضة", "صحة")
FIRST_DAY = dt.date(2021, 1, 1)
DAYS = 4 * 365
ORIGINALS = 400
COPIES = 60  # near-copies of originals: other ids, sources and days, a few words changed


def _body(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(60, 110))]
    for phrase in PHRASES:
        if rng.random() < 0.2:
            words.insert(rng.randrange(len(words)), phrase)
    return " ".join(words)


def _edited(rng: random.Random, body: str) -> str:
    words = body.split()
    for at in rng.sample(range(len(words)), 3):
        words[at] = rng.choice(WORDS)
    return " ".join(words)


def corpus() -> list[dict[str, str]]:
    """Originals and near-copies, each article on a day of its own."""
    rng = random.Random(23)
    days = rng.sample(range(DAYS), ORIGINALS + COPIES)
    records = []
    for n in range(ORIGINALS):
        records.append(
            {
                "id": f"n{n:04d}",
                "title": " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 8))),
                "body": _body(rng),
                "source": SOURCES[n % len(SOURCES)],
                "category": rng.choice(CATEGORIES),
            }
        )
    for n in range(COPIES):
        original = records[rng.randrange(ORIGINALS)]
        records.append(
            {
                **original,
                "id": f"c{n:04d}",
                "body": _edited(rng, original["body"]),
                "source": rng.choice([s for s in SOURCES if s != original["source"]]),
            }
        )
    for record, day in zip(records, days, strict=True):
        record["date"] = (FIRST_DAY + dt.timedelta(days=day)).isoformat()
    return records


@dataclass(frozen=True)
class Search:
    """One search: the query and the Searcher.search options."""

    query: str
    options: tuple[tuple[str, Any], ...] = ()

    def run(self, searcher: Searcher, **more: Any) -> Results:
        return searcher.search(self.query, **dict(self.options), **more)


def searches() -> list[Search]:
    """Words, several words, phrases, prefixes, OR and NOT, filters, date sort, pages."""
    rng = random.Random(5)
    words = [Search(w) for w in WORDS]
    several = [Search(" ".join(rng.sample(WORDS, rng.choice((2, 2, 3))))) for _ in range(25)]
    phrases = [Search(f'"{p}"') for p in PHRASES] + [
        Search(f'"{rng.choice(WORDS)} {rng.choice(WORDS)}" {rng.choice(WORDS)}') for _ in range(5)
    ]
    prefixes = [Search(p) for p in ("الم*", "الاست*", "ارت*", "الوز*", "انخ* الأسعار", "أسع*")]
    logic = [Search("النفط OR الطاقة"), Search("الحكومة -البرلمان"), Search("السوق NOT البنك")]
    filters = []
    for _ in range(20):
        options: dict[str, Any] = {}
        start = FIRST_DAY + dt.timedelta(days=rng.randrange(DAYS - 200))
        if rng.random() < 0.6:
            options["since"] = start.isoformat()
        if rng.random() < 0.6:
            options["until"] = (start + dt.timedelta(days=rng.randrange(60, 400))).isoformat()
        if rng.random() < 0.5:
            options["source"] = rng.choice(SOURCES)
        if rng.random() < 0.5 or not options:
            options["category"] = rng.choice(CATEGORIES)
        filters.append(Search(rng.choice(WORDS), tuple(options.items())))
    filters += [Search("الاقتصاد", (("since", "2022"), ("until", "2023-06")))]
    by_date = [Search(rng.choice(WORDS), (("sort", "date"),)) for _ in range(8)]
    by_date += [Search('"أسعار النفط"', (("sort", "date"), ("source", "okaz")))]
    pages = [Search(w, (("page", 2),)) for w in ("الحكومة", "النفط الاقتصاد", "الم*")]
    return [*words, *several, *phrases, *prefixes, *logic, *filters, *by_date, *pages]


def answer(results: Results) -> tuple[Any, ...]:
    """What two indexes holding the same articles must both answer."""
    return (
        results.total,
        results.total_all_words,
        [(h.id, h.score, h.partial, h.duplicates) for h in results.hits],
        results.facets,
        results.stories,
        results.stories_all_words,
        results.missing_shards,
    )


# --- the indexes -------------------------------------------------------------------------------


@dataclass
class Cluster:
    servers: list[ShardServer]
    index: Path  # the index whose shards the servers hold
    local: Path  # the same dump in one local database
    records: list[dict[str, str]]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """The corpus indexed on three shard servers and in one local database."""
    root = tmp_path_factory.mktemp("shards")
    records = corpus()
    dump = root / "news.jsonl"
    dump.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    with shard_servers(root, SHARDS) as servers:
        file = write_cluster(root / "cluster.txt", servers)
        report = Indexer(root / "index", engine="xapian", cluster=file).add_files([dump])
        assert (report.added, report.rejected) == (len(records), 0), report
        report = Indexer(root / "local", engine="xapian").add_files([dump])
        assert (report.added, report.rejected) == (len(records), 0), report
        yield Cluster(servers, root / "index", root / "local", records)


@pytest.fixture(scope="module")
def local(cluster: Cluster) -> Iterator[Searcher]:
    with Searcher(cluster.local) as searcher:
        yield searcher


@contextmanager
def down(server: ShardServer) -> Iterator[None]:
    """``server`` killed; started again on leaving, whatever happened meanwhile."""
    server.kill()
    try:
        yield
    finally:
        if not server.running:
            server.start()


def matching_ids(local: Searcher, search: Search) -> set[str]:
    """Every article the search matches, by the local index."""
    results = search.run(local, limit=1000)
    assert len(results.hits) == results.total
    return {h.id for h in results.hits}


def stories_listed(local: Searcher, search: Search) -> tuple[int, int]:
    """How many stories a collapsed listing of every match shows: with any of the words, and
    with all of them."""
    options = {k: v for k, v in search.options if k != "page"}
    return tuple(  # type: ignore[return-value]
        len(local.search(search.query, limit=1000, collapse=True, match=match, **options).hits)
        for match in ("auto", "all")
    )


# --- the tests ---------------------------------------------------------------------------------


def test_the_corpus_has_copies_and_shards_that_all_hold_articles(
    cluster: Cluster, local: Searcher
) -> None:
    stats = local.stats()
    assert stats.articles == ORIGINALS + COPIES
    assert stats.stories < stats.articles  # near-copies were grouped
    on = [shard_of(r["id"], SHARDS) for r in cluster.records]
    assert all(on.count(k) > 50 for k in range(SHARDS))


def test_shards_on_servers_answer_as_one_local_database(cluster: Cluster, local: Searcher) -> None:
    planned = searches()
    assert len(planned) >= 100
    collapsed = dated = 0
    with Searcher(cluster.index) as remote:
        stats = remote.stats()
        assert stats.articles == local.stats().articles
        assert (stats.engine, stats.shards) == ("xapian", [s.address for s in cluster.servers])
        text = CliRunner().invoke(main, ["stats", "--index", str(cluster.index)]).stdout
        assert f"(not counting {SHARDS} shards held elsewhere)" in text
        assert f"shards:     {SHARDS}\n  {cluster.servers[0].address}\n" in text
        for n, search in enumerate(planned):
            for collapse in (False, True):
                want = search.run(local, facets=True, collapse=collapse)
                got = search.run(remote, facets=True, collapse=collapse)
                assert answer(got) == answer(want), (search, collapse)
                # The story counts are those of the stories listed (a listing of every match
                # is slow: one search in three).
                if collapse and n % 3 == 0:
                    assert (want.stories, want.stories_all_words) == stories_listed(local, search)
                collapsed += collapse and want.stories is not None and want.stories < want.total
                dated += dict(search.options).get("sort") == "date" and want.total > 10
    # The comparisons mean something: copies were collapsed, and dates decided pages.
    assert collapsed >= 20 and dated >= 5


def test_a_killed_shard_is_named_or_left_out(cluster: Cluster, local: Searcher) -> None:
    server = cluster.servers[KILLED]
    asked = [Search("الحكومة"), Search("النفط الاقتصاد"), Search('"أسعار النفط"')]
    asked += [Search("الم*", (("source", "okaz"),)), Search("المطار", (("sort", "date"),))]
    with Searcher(cluster.index) as strict, Searcher(cluster.index, allow_partial=True) as partial:
        for searcher in (strict, partial):  # both connected to every shard before the kill
            assert asked[0].run(searcher).missing_shards == []
        with down(server):
            with pytest.raises(ShardUnavailable) as raised:
                asked[0].run(strict)
            assert raised.value.shard == server.address
            assert server.address in str(raised.value)

            for search in asked:
                results = search.run(partial, limit=1000)
                assert results.missing_shards == [server.address]
                left = {i for i in matching_ids(local, search) if shard_of(i, SHARDS) != KILLED}
                assert results.total == len(left), search
                assert {h.id for h in results.hits} == left, search

            runner = CliRunner()
            args = ["search", "الحكومة", "--index", str(cluster.index), "--timeout", "2"]
            shown = runner.invoke(main, [*args, "--allow-partial"])
            assert shown.exit_code == 0, shown.output
            [line] = [text for text in shown.output.splitlines() if "partial" in text]
            assert f"without the shards {server.address}" in line
            document = json.loads(runner.invoke(main, [*args, "--allow-partial", "--json"]).output)
            assert document["missing_shards"] == [server.address]
            assert document["total"] == asked[0].run(partial).total
            refused = runner.invoke(main, args)
            assert refused.exit_code != 0
            assert server.address in refused.output

            # bahth serve --allow-partial: the page says so, in its language
            opener = functools.partial(Searcher, allow_partial=True, timeout=2)
            with TestClient(create_app(cluster.index, open_searcher=opener)) as client:
                page = client.get("/search", params={"q": "الحكومة"})
                api = client.get("/api/search", params={"q": "الحكومة"}).json()
            assert page.status_code == 200
            assert re.search(r'<p class="note partial">نتائج ناقصة: [^<]*<bdi>'
                             + re.escape(server.address), page.text)  # fmt: skip
            assert (api["missing_shards"], api["total"]) == ([server.address], document["total"])


# Long: half a minute of shards made to stall past their timeouts, on every path.
@pytest.mark.long
def test_a_shard_that_does_not_answer_in_time_is_named_or_left_out(
    cluster: Cluster, local: Searcher
) -> None:
    """A server that takes the connection and never answers (hung, or a firewall that drops
    the packets): the search waits ``timeout`` seconds, then names the shard."""
    server = cluster.servers[KILLED]
    with down(server), socket.socket() as silent:
        silent.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        silent.bind(("127.0.0.1", server.port))
        silent.listen()
        with pytest.raises(ShardUnavailable) as raised:
            Searcher(cluster.index, timeout=1)
        assert raised.value.shard == server.address
        assert "no answer in time" in str(raised.value)
        with Searcher(cluster.index, timeout=1, allow_partial=True) as partial:
            results = partial.search("الحكومة", limit=1000)
        assert results.missing_shards == [server.address]
        left = {i for i in matching_ids(local, Search("الحكومة")) if shard_of(i, SHARDS) != KILLED}
        assert {h.id for h in results.hits} == left


def test_a_restarted_shard_answers_the_same_searcher_again(
    cluster: Cluster, local: Searcher
) -> None:
    server = cluster.servers[KILLED]
    asked = [Search("الحكومة"), Search("السوق البنك", (("category", "اقتصاد"),))]
    with Searcher(cluster.index) as strict, Searcher(cluster.index, allow_partial=True) as partial:
        for searcher in (strict, partial):
            assert answer(asked[0].run(searcher)) == answer(asked[0].run(local))
        with down(server):
            # Every search while it is down fails, the first (its connection broke) and the
            # next ones (it cannot be reached): none answers without it.
            for _ in range(3):
                with pytest.raises(ShardUnavailable):
                    asked[0].run(strict)
            assert asked[0].run(partial).missing_shards == [server.address]
            server.start()
            for search in asked:
                assert answer(search.run(strict)) == answer(search.run(local))
        # A Searcher that allows partial answers tries a missing shard again after a while.
        time.sleep(RETRY_SECONDS + 0.1)
        for search in asked:
            assert answer(search.run(partial)) == answer(search.run(local))


def test_updates_and_deletes_land_on_the_article_shard(tmp_path: Path) -> None:
    records = corpus()[:150]
    articles = {
        r["id"]: Article(
            id=r["id"],
            title=r["title"],
            body=r["body"],
            date=dt.date.fromisoformat(r["date"]),
            source=r["source"],
            category=r["category"],
        )
        for r in records
    }
    ids = sorted(articles)
    changed, deleted = ids[:30], ids[30:50]
    with shard_servers(tmp_path, SHARDS) as servers:
        file = write_cluster(tmp_path / "cluster.txt", servers)
        index = tmp_path / "index"
        assert Indexer(index, engine="xapian", cluster=file).add_articles(articles.values()).added
        new = [
            Article(**{**_fields(articles[i]), "title": articles[i].title + " بركان"})
            for i in changed
        ]
        report = Indexer(index, engine="xapian", cluster=file).add_articles(new)
        assert (report.added, report.updated) == (0, len(changed)), report
        assert Indexer(index).delete(deleted) == len(deleted)

        with Searcher(index) as searcher:
            found = searcher.search("بركان", limit=100)
            assert sorted(h.id for h in found.hits) == changed
            assert searcher.stats().articles == len(ids) - len(deleted)

        shards = [xapian.Database(str(server.directory)) for server in servers]
        remote = xapian.remote_open("127.0.0.1", servers[0].port)
        try:
            for article_id in ids:
                held = [db.get_termfreq("Q" + article_id) for db in shards]
                if article_id in deleted:
                    assert held == [0] * SHARDS, article_id
                else:
                    home = shard_of(article_id, SHARDS)
                    assert held == [int(k == home) for k in range(SHARDS)], article_id
                assert remote.get_termfreq("Q" + article_id) == held[0]
            assert sum(db.get_doccount() for db in shards) == len(ids) - len(deleted)
        finally:
            for db in (*shards, remote):
                db.close()


def _fields(article: Article) -> dict[str, Any]:
    return {name: getattr(article, name) for name in Article.__dataclass_fields__}


def test_threads_sharing_a_cluster_searcher_answer_as_sequential_runs(cluster: Cluster) -> None:
    planned = searches()[::6]
    with Searcher(cluster.index) as searcher:
        sequential = [answer(s.run(searcher, facets=True, collapse=i % 2 == 1))
                      for i, s in enumerate(planned)]  # fmt: skip

        def run_all(seed: int) -> list[tuple[Any, ...]]:
            order = list(range(len(planned)))
            random.Random(seed).shuffle(order)  # threads ask in different orders
            answers: list[tuple[Any, ...]] = [()] * len(planned)
            for i in order:
                answers[i] = answer(planned[i].run(searcher, facets=True, collapse=i % 2 == 1))
            return answers

        with ThreadPoolExecutor(8) as pool:
            threaded = list(pool.map(run_all, range(8)))
    assert all(answers == sequential for answers in threaded)

"""The conformance suite: what every engine must do, as tests any engine package can run.

An engine package's tests subclass ``EngineContract`` and name their engine (registered:
``registry``); pytest finds the tests by their names and gives each a fresh ``tmp_path``::

    from search.engine.testing import EngineContract

    class TestMyEngine(EngineContract):
        engine_name = "mine"

What an engine returns is checked against what Bahth's own analysis says the articles hold
(``core.documents.prepare``), never against another engine: a new engine needs no other to be
tested.
Scores are only compared within one engine (order, ties); ``contract`` says what they mean.
The module imports no test framework, so it ships with the package.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from collections import Counter
from collections.abc import Callable, Hashable, Iterable
from pathlib import Path

from ..arabic import index_terms
from ..article import Article
from ..stories import Stories
from . import contract as q
from .contract import Engine, EngineReader, Failure, Location, Ref, keyword_key, version
from .core.documents import prepare
from .registry import load

D = dt.date
_BODY = (
    "أعلنت وزارة الصحة السعودية اليوم عن حملة وطنية للتطعيم ضد الإنفلونزا الموسمية في جميع "
    "مناطق المملكة، وقال المتحدث باسم الوزارة إن الحملة تستهدف كبار السن والأطفال والمصابين "
    "بالأمراض المزمنة، وإن اللقاحات متوفرة مجانا في المراكز الصحية والمستشفيات الحكومية"
)
ARTICLES = (
    Article("a1", "بوتين يلتقي ولي العهد في الرياض", "التقى الرئيس الروسي بوتين ولي العهد "
            "السعودي في الرياض وبحثا أسعار النفط والتعاون بين روسيا والمملكة",
            date=D(2024, 3, 1), source="Al Riyadh", category="سياسة", keywords=("روسيا",)),
    Article("a2", "أسعار النفط ترتفع", "ارتفعت أسعار النفط في الأسواق العالمية بعد قرار أوبك "
            "خفض الإنتاج، وقال محللون إن روسيا والسعودية تقودان القرار",
            date=D(2024, 3, 2), source="Al Riyadh", category="اقتصاد"),
    Article("a3", "ولي العهد يفتتح مشروعا", "افتتح ولي العهد مشروعا جديدا للطاقة الشمسية في "
            "شمال المملكة بحضور وزراء ومسؤولين", date=D(2023, 12, 20), source="Okaz",
            category="سياسة"),
    Article("a4", "حملة تطعيم وطنية", _BODY, date=D(2024, 1, 5), source="Okaz",
            category="صحة"),
    Article("a5", "وزارة الصحة تطلق حملة التطعيم", _BODY + " في موسم الشتاء",
            date=D(2024, 1, 6), source="Al Riyadh", category="صحة"),
    Article("a6", "الرياض تستضيف معرض الكتاب", "تستضيف الرياض معرض الكتاب الدولي بمشاركة "
            "دور نشر من روسيا ومصر ولبنان", source="Okaz", category="ثقافة"),
    Article("a7", "اجتماع أوبك", "يجتمع وزراء أوبك الأسبوع المقبل لبحث أسعار النفط والإنتاج "
            "في ظل تراجع الطلب", date=D(2022, 6, 30), source="Sabq", category="اقتصاد"),
)  # fmt: skip


def terms_of(article: Article, field: str) -> list[str]:
    """The terms Bahth's analysis puts in ``field`` of ``article`` (``contract.FIELDS``), as
    ``core.documents.prepare`` gives them to every engine that does not analyse for itself."""
    return dict(prepare(article).texts).get(field, "").split()


def term(word: str) -> str:
    """The term Bahth indexes for ``word``."""
    [found], _ = index_terms(word)
    return found


def holding(field: str, term: str, articles: tuple[Article, ...] = ARTICLES) -> set[str]:
    """The ids of the articles whose ``field`` holds ``term``."""
    return {a.id for a in articles if term in terms_of(a, field)}


def content_hash(article: Article) -> str:
    """A content hash of ``article`` as the indexer makes one (hex digits)."""
    return hashlib.sha256(repr(article).encode("utf-8", "surrogatepass")).hexdigest()


def _commit(engine: Engine, at: Location, articles: tuple[Article, ...]) -> list[Failure]:
    writer = engine.open_writer(at, 1, Stories.empty())
    for article in articles:
        writer.add(article, content_hash(article))
    failures = writer.failures()
    writer.commit(lambda number: None)
    return failures


class EngineContract:
    """The tests; a subclass sets ``engine_name``."""

    engine_name: str

    def engine(self) -> Engine:
        return load(self.engine_name)

    def location(self, directory: Path) -> Location:
        """Where each test's index goes; an engine that lives elsewhere (a server, shards)
        overrides it to give its address."""
        return Location(directory)

    def built(self, tmp_path: Path, articles: tuple[Article, ...] = ARTICLES) -> EngineReader:
        engine = self.engine()
        engine.create(self.location(tmp_path))
        assert not _commit(engine, self.location(tmp_path), articles)
        return engine.open_reader(self.location(tmp_path))

    @staticmethod
    def refs(reader: EngineReader, ids: Iterable[str]) -> list[Ref]:
        found = [reader.locate(article_id) for article_id in ids]
        assert None not in found
        return [ref for ref in found if ref is not None]

    @staticmethod
    def ids(reader: EngineReader, query: q.Query, filter_: q.Filter | None = None) -> set[str]:
        hits = reader.top(query, 100, filter_, False)
        assert len(hits) == reader.count(query, filter_)
        return set(reader.ids_of([h.ref for h in hits]))

    # --- writing ------------------------------------------------------------------------------

    def test_the_engine_declares_itself(self) -> None:
        engine = self.engine()
        assert self.engine_name == engine.NAME
        assert isinstance(engine.SCHEMA_VERSION, int)
        assert isinstance(engine.THREAD_SAFE, bool)

    def test_a_commit_is_visible_at_once_with_a_higher_number(self, tmp_path: Path) -> None:
        engine = self.engine()
        engine.create(self.location(tmp_path))
        before = engine.committed(self.location(tmp_path))
        old = engine.open_reader(self.location(tmp_path))
        writer = engine.open_writer(self.location(tmp_path), 1, Stories.empty())
        for article in ARTICLES[:3]:
            writer.add(article, content_hash(article))
        numbers: list[int] = []
        writer.commit(numbers.append)
        after = engine.committed(self.location(tmp_path))
        assert before < numbers[0] <= after
        assert old.doc_count() == 0  # a reader is a snapshot
        assert engine.open_reader(self.location(tmp_path)).doc_count() == 3

    def test_a_failed_prepare_or_a_cancel_commits_nothing(self, tmp_path: Path) -> None:
        engine = self.engine()
        engine.create(self.location(tmp_path))
        _commit(engine, self.location(tmp_path), ARTICLES[:2])
        before = engine.committed(self.location(tmp_path))

        def fail(number: int) -> None:
            raise OSError("the disk is full")

        writer = engine.open_writer(self.location(tmp_path), 1, Stories.empty())
        writer.add(ARTICLES[2], content_hash(ARTICLES[2]))
        writer.delete("a1")
        try:
            writer.commit(fail)
        except OSError:
            writer.cancel()
        else:
            raise AssertionError("commit went on after prepare raised")
        writer = engine.open_writer(self.location(tmp_path), 1, Stories.empty())
        writer.add(ARTICLES[3], content_hash(ARTICLES[3]))
        writer.cancel()
        assert engine.committed(self.location(tmp_path)) == before
        assert sorted(engine.open_reader(self.location(tmp_path)).ids()) == ["a1", "a2"]

    def test_replace_keeps_the_last_version_and_delete_counts(self, tmp_path: Path) -> None:
        engine = self.engine()
        engine.create(self.location(tmp_path))
        _commit(engine, self.location(tmp_path), ARTICLES[:2])
        writer = engine.open_writer(self.location(tmp_path), 1, Stories.empty())
        edited = Article("a1", "عنوان جديد", "نص جديد عن الطاقة")
        writer.replace(ARTICLES[0], "1" * 16)
        writer.replace(edited, "2" * 16)
        assert writer.delete("a2") == 1
        assert writer.delete("nowhere") == 0
        writer.commit(lambda number: None)
        reader = engine.open_reader(self.location(tmp_path))
        assert list(reader.ids()) == ["a1"]
        assert reader.find("a1") == edited
        assert reader.versions(["a1", "a2"]) == {"a1": version("2" * 16)}

    def test_an_article_it_cannot_take_is_a_failure_not_the_end(self, tmp_path: Path) -> None:
        engine = self.engine()
        engine.create(self.location(tmp_path))
        broken = Article("bad", "خبر \ud800", "نص", origin="dump.jsonl:7")
        failures = _commit(engine, self.location(tmp_path), (ARTICLES[0], broken, ARTICLES[1]))
        assert [(f.article_id, f.origin) for f in failures] == [("bad", "dump.jsonl:7")]
        assert sorted(engine.open_reader(self.location(tmp_path)).ids()) == ["a1", "a2"]

    # --- stored articles ----------------------------------------------------------------------

    def test_articles_come_back_as_they_were_stored(self, tmp_path: Path) -> None:
        reader = self.built(tmp_path)
        assert reader.doc_count() == len(ARTICLES)
        assert sorted(reader.ids()) == sorted(a.id for a in ARTICLES)
        for article in ARTICLES:
            ref = reader.locate(article.id)
            assert ref is not None
            assert reader.stored_many([ref]) == [article] == [reader.find(article.id)]
            assert reader.ids_of([ref]) == [article.id]
        assert reader.locate("nowhere") is None and reader.find("nowhere") is None
        assert reader.date_range() == (D(2022, 6, 30), D(2024, 3, 2))
        assert reader.keyword_counts("source") == [("Al Riyadh", 3), ("Okaz", 3), ("Sabq", 1)]
        assert reader.has_keyword("source", "al  riyadh") and not reader.has_keyword("source", "x")

    # --- queries ------------------------------------------------------------------------------

    def test_terms_match_what_the_analysis_put_in_each_field(self, tmp_path: Path) -> None:
        reader = self.built(tmp_path)
        for field in q.STEMMED_FIELDS + q.EXACT_FIELDS:
            for word in {t for a in ARTICLES for t in terms_of(a, field)}:
                wanted = holding(field, word)
                assert reader.doc_frequency(field, word) == len(wanted), (field, word)
                assert self.ids(reader, q.Term(field, word)) == wanted, (field, word)

    def test_boolean_nodes_are_set_operations(self, tmp_path: Path) -> None:
        reader = self.built(tmp_path)
        oil, russia, riyadh = (q.Term("text", term(w)) for w in ("النفط", "روسيا", "الرياض"))
        sets = {t: holding("text", t.text) for t in (oil, russia, riyadh)}
        assert sets[oil] and sets[russia] and sets[riyadh]
        assert self.ids(reader, q.AllOf((oil, russia))) == sets[oil] & sets[russia]
        assert self.ids(reader, q.AnyOf((oil, riyadh))) == sets[oil] | sets[riyadh]
        assert self.ids(reader, q.Without(oil, (russia,))) == sets[oil] - sets[russia]
        assert self.ids(reader, q.Scored(oil, riyadh)) == sets[oil]
        assert self.ids(reader, q.Nothing()) == set()
        assert self.ids(reader, q.Everything()) == {a.id for a in ARTICLES}

    def test_phrases_match_consecutive_words(self, tmp_path: Path) -> None:
        reader = self.built(tmp_path)
        words = ("ولي", "العهد")
        wanted = {
            a.id
            for a in ARTICLES
            if any(tuple(n[i : i + 2]) == words for n in [terms_of(a, "body_exact")]
                   for i in range(len(n)))
        }  # fmt: skip
        assert len(wanted) == 2
        assert self.ids(reader, q.Phrase("body_exact", words)) == wanted
        assert self.ids(reader, q.Phrase("body_exact", words[::-1])) == set()

    def test_scores_order_hits_and_a_boost_raises_them(self, tmp_path: Path) -> None:
        reader = self.built(tmp_path)
        hits = reader.top(q.Term("text", term("النفط")), 10, None, False)
        assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
        assert all(h.score > 0 for h in hits)
        query = q.AnyOf((q.Term("text", term("النفط")), q.Term("text", term("الرياض"), boost=50.0)))
        first = reader.top(query, 1, None, False)[0]
        assert reader.ids_of([first.ref])[0] in holding("text", term("الرياض"))

    def test_scores_of_given_articles_are_those_top_ranks_by(self, tmp_path: Path) -> None:
        reader = self.built(tmp_path)
        oil, riyadh = q.Term("text", term("النفط")), q.Term("text", term("الرياض"), boost=2.0)
        query = q.Scored(oil, riyadh)
        ranked = reader.top(query, 100, None, False)
        refs = self.refs(reader, (a.id for a in ARTICLES))
        scored = dict(zip(refs, reader.scores(query, refs), strict=True))
        assert {r for r, s in scored.items() if s is not None} == {h.ref for h in ranked}
        # The leaves' scores add up to the whole's (what ``search.explain`` shows).
        page = [h.ref for h in ranked]
        parts = zip(reader.scores(oil, page), reader.scores(riyadh, page), strict=True)
        for hit, (first, second) in zip(ranked, parts, strict=True):
            assert abs((scored[hit.ref] or 0) - hit.score) < 1e-4
            assert first is not None
            assert abs(first + (second or 0) - hit.score) < 1e-4
        assert reader.scores(oil, []) == []

    def test_coordinated_ranks_by_clauses_matched(self, tmp_path: Path) -> None:
        reader = self.built(tmp_path)
        words = ("النفط", "روسيا", "الرياض")
        query = q.Coordinated(tuple(q.Term("text", term(w)) for w in words))
        hits = reader.top(query, 100, None, False)
        ids = reader.ids_of([h.ref for h in hits])
        matched = {a: sum(a in holding("text", term(w)) for w in words) for a in ids}
        assert [h.matched for h in hits] == [matched[a] for a in ids]
        assert [h.matched for h in hits] == sorted(matched.values(), reverse=True)
        assert set(ids) == set().union(*(holding("text", term(w)) for w in words))

    def test_filters_select_without_scoring(self, tmp_path: Path) -> None:
        reader = self.built(tmp_path)
        every = q.Everything()
        by_day = q.Filter(since=D(2024, 1, 1), until=D(2024, 1, 31))
        assert self.ids(reader, every, by_day) == {"a4", "a5"}
        assert self.ids(reader, every, q.Filter(until=D(2023, 12, 31))) == {"a3", "a7"}
        assert self.ids(reader, every, q.Filter(source="al riyadh")) == {"a1", "a2", "a5"}
        assert self.ids(reader, every, q.Filter(category="صحة", source="Okaz")) == {"a4"}
        oil = q.Term("text", term("النفط"))
        plain = {h.ref: h.score for h in reader.top(oil, 10, None, False)}
        filtered = reader.top(oil, 10, q.Filter(source="Sabq"), False)
        assert [round(h.score, 3) for h in filtered] == [round(plain[filtered[0].ref], 3)]

    def test_by_date_is_newest_first(self, tmp_path: Path) -> None:
        reader = self.built(tmp_path)
        hits = reader.top(q.Everything(), 100, None, True)
        assert [h.day for h in hits] == sorted((h.day for h in hits), reverse=True)
        assert hits[0].date == D(2024, 3, 2) and hits[-1].day == 0  # undated last

    def test_facets_and_matching_count_exactly(self, tmp_path: Path) -> None:
        reader = self.built(tmp_path)
        oil = q.Term("text", term("النفط"))
        counts = reader.facets(oil, None)
        wanted = [a for a in ARTICLES if a.id in holding("text", term("النفط"))]
        assert counts.source == _tally(keyword_key(a.source or "") for a in wanted)
        assert counts.category == _tally(keyword_key(a.category or "") for a in wanted)
        assert counts.day == _tally(a.date.toordinal() for a in wanted if a.date)
        found = reader.matching(oil, self.refs(reader, (a.id for a in ARTICLES)))
        assert set(reader.ids_of(list(found))) == holding("text", term("النفط"))

    def test_terms_and_prefixes_come_from_the_index(self, tmp_path: Path) -> None:
        reader = self.built(tmp_path)
        listed = dict(reader.terms("title"))
        wanted = {t for a in ARTICLES for t in terms_of(a, "title")}
        assert set(listed) == wanted
        assert all(listed[t] == len(holding("title", t)) for t in wanted)
        assert set(reader.expand("body_exact", "ال", 1000)) == {
            t for a in ARTICLES for t in terms_of(a, "body_exact") if t.startswith("ال")
        }

    def test_copies_share_a_story(self, tmp_path: Path) -> None:
        reader = self.built(tmp_path)
        refs = self.refs(reader, (a.id for a in ARTICLES))
        stories = dict(zip((a.id for a in ARTICLES), reader.stories(refs), strict=True))
        assert stories["a4"] == stories["a5"]
        assert len(set(stories.values())) == len(ARTICLES) - 1
        assert reader.story_count(q.Everything(), None) == len(ARTICLES) - 1
        story = q.Term(q.STORY, str(stories["a4"]))
        assert self.ids(reader, story) == {"a4", "a5"}

    def test_a_reader_shared_by_threads_answers_as_alone(self, tmp_path: Path) -> None:
        reader = self.built(tmp_path)
        if not self.engine().THREAD_SAFE:
            return  # Searcher lets one thread at a time use it
        queries: list[q.Query] = [
            q.Term("text", term(w)) for w in ("النفط", "روسيا", "الرياض", "حملة")
        ]
        alone = [_answer(reader, query) for query in queries] * 20
        together: dict[int, list[object]] = {}

        def run(k: int) -> None:
            together[k] = [_answer(reader, query) for query in queries * 20]

        _in_threads(run, 4)
        assert list(together.values()) == [alone] * 4


def _answer(reader: EngineReader, query: q.Query) -> object:
    hits = reader.top(query, 10, None, False)
    return [(h.score, h.day) for h in hits], reader.stored_many([h.ref for h in hits])


def _in_threads(run: Callable[[int], None], count: int) -> None:
    threads = [threading.Thread(target=run, args=(k,)) for k in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def _tally(values: Iterable[Hashable]) -> dict[Hashable, int]:
    return dict(Counter(values))
